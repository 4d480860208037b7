"""Finish .venv-brownie (run by `make brownie` with that venv's python, after pip): the project's solc and Anvil.

* ``<venv>/solcx/solc-v0.8.30``: a launcher of brownie/solc.js (the npm solcjs 0.8.30 speaking solc's
  ``--version`` and ``--standard-json``), in the folder py-solc-x looks in, so brownie finds solc 0.8.30 installed
  and never downloads one;
* ``<site-packages>/_portchain_brownie.py`` and a ``.pth`` file importing it at start-up of every python of the
  venv: $SOLCX_BINARY_PATH is that folder (unless set) and node_modules/.bin (anvil, ganache) is on $PATH, so
  ``.venv-brownie/bin/brownie`` works whether the venv is activated or not.

Nothing here touches ~/.solcx (portchain.compiler takes a solc found there for a native one) or ~/.brownie.
"""

from __future__ import annotations

import json
import shutil
import stat
import subprocess
import sys
import sysconfig
from pathlib import Path

SOLC_VERSION = "0.8.30"
ROOT = Path(__file__).resolve().parents[1]


def _write(path: Path, text: str, *, executable: bool = False) -> None:
    if not path.is_file() or path.read_text() != text:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    if executable:
        path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)


def main() -> int:
    package = ROOT / "node_modules" / "solc" / "package.json"
    if not package.is_file():
        sys.exit("brownie/install.py: node_modules/solc is missing: run `npm ci` (make setup) first")
    version = json.loads(package.read_text())["version"]
    if version != SOLC_VERSION:
        sys.exit(f"brownie/install.py: node_modules has solc {version}, the project pins {SOLC_VERSION}: npm ci")
    node = shutil.which("node")
    if node is None:
        sys.exit("brownie/install.py: node is not on PATH (solcjs needs Node.js)")

    venv = Path(sys.prefix)
    solcx_dir = venv / "solcx"
    launcher = solcx_dir / f"solc-v{SOLC_VERSION}"
    _write(launcher, f'#!/bin/sh\nexec "{node}" "{ROOT / "brownie" / "solc.js"}" "$@"\n', executable=True)

    bin_dir = ROOT / "node_modules" / ".bin"
    site = Path(sysconfig.get_paths()["purelib"])
    _write(
        site / "_portchain_brownie.py",
        '"""Written by brownie/install.py (make brownie): the project\'s solc and node tools for brownie."""\n'
        "import os\n\n"
        f'os.environ.setdefault("SOLCX_BINARY_PATH", {str(solcx_dir)!r})\n'
        f"_BIN = {str(bin_dir)!r}\n"
        'if _BIN not in os.environ.get("PATH", "").split(os.pathsep):\n'
        '    os.environ["PATH"] = _BIN + os.pathsep + os.environ.get("PATH", "")\n',
    )
    _write(site / "_portchain_brownie.pth", "import _portchain_brownie\n")

    # a new interpreter of the venv reads the .pth: py-solc-x must see 0.8.30 installed, and it must answer
    check = (
        "import solcx; from solcx.wrapper import get_solc_version; "
        f"assert '{SOLC_VERSION}' in [str(v) for v in solcx.get_installed_solc_versions()], 'not installed'; "
        f"print(get_solc_version(solcx.install.get_executable('{SOLC_VERSION}'), with_commit_hash=True))"
    )
    found = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True, check=False)
    if found.returncode != 0 or not found.stdout.startswith(SOLC_VERSION):
        sys.exit(f"brownie/install.py: py-solc-x does not see solc {SOLC_VERSION}: {found.stderr.strip()}")
    if shutil.which("anvil", path=f"{bin_dir}") is None:
        sys.exit("brownie/install.py: node_modules/.bin/anvil is missing: run `npm ci` (make setup) first")
    print(f"brownie: solc {found.stdout.strip()} (solcjs) at {launcher}; anvil from {bin_dir}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
