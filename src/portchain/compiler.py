"""Compile contracts/ in one solc standard-JSON job, cache it, and ship the artifacts inside the package.

The input handed to solc is self-contained (every source, OpenZeppelin's included, inline), so the same JSON
serves native solc, the solcjs shim, Etherscan verification and ``deployments/<net>/solcInputs/``.

>>> from portchain.compiler import compile_project
>>> result = compile_project()            # doctest: +SKIP
>>> result.cached                         # doctest: +SKIP
True
"""

from __future__ import annotations

import hashlib
import json
import os
import posixpath
import re
import shutil
import stat
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ._files import atomic_write
from .errors import CompilationError, ConfigurationError

SOLC_VERSION = "0.8.30"
# The newest EVM every supported chain runs: Anvil (any), Ganache 7.9 (up to shanghai) and Besu (networks/besu's
# genesis enables shanghai). solc 0.8.30 defaults to prague; cancun code (MCOPY, TLOAD/TSTORE) reverts on Ganache.
EVM_VERSION = "shanghai"
OPTIMIZER_RUNS = 500

SETTINGS: dict[str, Any] = {
    "optimizer": {"enabled": True, "runs": OPTIMIZER_RUNS},
    "evmVersion": EVM_VERSION,
    "metadata": {"bytecodeHash": "ipfs"},
    "outputSelection": {
        "*": {"*": ["abi", "evm.bytecode.object", "evm.deployedBytecode.object", "metadata"]},
    },
}

_IMPORT_RE = re.compile(r"""^\s*import\s+(?:[^;]*?\bfrom\s+)?["']([^"']+)["']""", re.MULTILINE)
ARTIFACTS_DIR = Path(__file__).parent / "artifacts"
SOLC_INPUT_FILE = "solc-input.json"


@dataclass
class CompileResult:
    """What one compile produced: the standard-JSON input, its hash and one artifact per contract."""

    solc_input: dict[str, Any]
    solc_input_hash: str
    compiler_version: str
    artifacts: dict[str, dict[str, Any]]
    warnings: list[str] = field(default_factory=list)
    cached: bool = False


def find_project_root(start: Path | None = None) -> Path:
    """The nearest folder (from ``start`` or the cwd upwards, then the package's checkout) with contracts/."""
    candidates = [start or Path.cwd()]
    candidates.append(Path(__file__).resolve().parents[2])
    for candidate in candidates:
        for folder in [candidate.resolve(), *candidate.resolve().parents]:
            if (folder / "contracts").is_dir() and (folder / "package.json").is_file():
                return folder
    raise ConfigurationError(
        "no portchain project found (a folder with contracts/ and package.json); run from a checkout"
    )


# --------------------------------------------------------------------------------------------------------------
# Sources
# --------------------------------------------------------------------------------------------------------------


def _resolve_import(root: Path, importer: str, target: str) -> tuple[str, Path]:
    if target.startswith("./") or target.startswith("../"):
        unit = posixpath.normpath(posixpath.join(posixpath.dirname(importer), target))
    else:
        unit = target
    for base in (root, root / "node_modules"):
        path = base / unit
        if path.is_file():
            return unit, path
    raise CompilationError([f"{importer}: import not found: {target}"])


def collect_sources(root: Path) -> dict[str, str]:
    """Every .sol file under contracts/ plus everything it imports, keyed by source unit name."""
    pending = [p.relative_to(root).as_posix() for p in sorted((root / "contracts").rglob("*.sol"))]
    sources: dict[str, str] = {}
    paths = {unit: root / unit for unit in pending}
    while pending:
        unit = pending.pop()
        if unit in sources:
            continue
        content = paths[unit].read_text(encoding="utf-8")
        sources[unit] = content
        for target in _IMPORT_RE.findall(content):
            imported, path = _resolve_import(root, unit, target)
            if imported not in sources:
                paths[imported] = path
                pending.append(imported)
    return dict(sorted(sources.items()))


def standard_json_input(sources: dict[str, str]) -> dict[str, Any]:
    """The solc standard-JSON input for ``sources`` with portchain's pinned settings."""
    return {
        "language": "Solidity",
        "sources": {unit: {"content": content} for unit, content in sources.items()},
        "settings": SETTINGS,
    }


def input_hash(solc_input: dict[str, Any]) -> str:
    """32 hex digits identifying a standard-JSON input (the ``solcInputHash`` of hardhat-deploy records)."""
    return hashlib.md5(_canonical(solc_input).encode(), usedforsecurity=False).hexdigest()


def _canonical(data: Any) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"))


def json_object(text: str | bytes) -> dict[str, Any]:
    """The JSON object in ``text``; :class:`ValueError` if it is not JSON or holds something else than an object.

    >>> json_object('{"a": 1}')
    {'a': 1}
    """
    data = json.loads(text)
    if not isinstance(data, dict):
        raise ValueError(f"expected a JSON object, got {type(data).__name__}")
    return data


# --------------------------------------------------------------------------------------------------------------
# Compiler executable
# --------------------------------------------------------------------------------------------------------------


def _solc_version(binary: str) -> str | None:
    """What ``binary --version`` prints, or None if it does not run."""
    try:
        return subprocess.run([binary, "--version"], capture_output=True, text=True, timeout=20).stdout
    except (OSError, subprocess.SubprocessError):
        return None


def _explicit_solc(binary: str) -> Path:
    """$SOLC_BINARY: it must be an executable solc of the pinned version (never silently passed over)."""
    path = Path(binary)
    if not path.is_file() or not os.access(path, os.X_OK):
        raise ConfigurationError(f"SOLC_BINARY={binary} is not an executable file (unset it to use solcjs)")
    out = _solc_version(binary)
    if out is None or f"{SOLC_VERSION}+commit" not in out:
        found = re.search(r"\d+\.\d+\.\d+", out or "")
        raise ConfigurationError(
            f"SOLC_BINARY={binary} is {'solc ' + found.group() if found else 'not a solc that runs'}; "
            f"portchain pins solc {SOLC_VERSION}"
        )
    return path


def _native_solc() -> Path | None:
    """A native solc of the pinned version: $SOLC_BINARY (an error if unusable), py-solc-x's folder, or `solc` on
    PATH."""
    explicit = os.environ.get("SOLC_BINARY")
    if explicit:
        return _explicit_solc(explicit)
    for candidate in (str(Path.home() / ".solcx" / f"solc-v{SOLC_VERSION}"), shutil.which("solc")):
        if not candidate or not Path(candidate).is_file():
            continue
        out = _solc_version(candidate)
        if out is not None and f"{SOLC_VERSION}+commit" in out:
            return Path(candidate)
    return None


def _solcjs_shim(root: Path) -> tuple[Path, str]:
    """An executable under build/bin that runs the npm solcjs through ``_solcjs.js``, and solcjs's version."""
    package = root / "node_modules" / "solc" / "package.json"
    if not package.is_file():
        raise ConfigurationError("solcjs is not installed: run `npm ci` (or `make setup`) in the project folder")
    version = json.loads(package.read_text())["version"]
    if version != SOLC_VERSION:
        raise ConfigurationError(f"node_modules has solc {version}, portchain pins {SOLC_VERSION}: run `npm ci`")
    node = shutil.which("node")
    if node is None:
        raise ConfigurationError("node is not on PATH: solcjs needs Node.js")
    shim = root / "build" / "bin" / f"solc-v{SOLC_VERSION}"
    script = (
        "#!/bin/sh\n"
        f'NODE_PATH="{root / "node_modules"}" exec "{node}" "{Path(__file__).with_name("_solcjs.js")}" "$@"\n'
    )
    if not shim.is_file() or shim.read_text() != script:
        shim.parent.mkdir(parents=True, exist_ok=True)
        shim.write_text(script)
        shim.chmod(shim.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return shim, version


def solc_executable(root: Path) -> tuple[Path, str]:
    """The compiler to run and a label of it for the cache key: native solc if present, else the solcjs shim."""
    native = _native_solc()
    if native is not None:
        return native, f"native-{SOLC_VERSION}"
    shim, version = _solcjs_shim(root)
    return shim, f"solcjs-{version}"


# --------------------------------------------------------------------------------------------------------------
# Compile
# --------------------------------------------------------------------------------------------------------------


def _line_of(content: str, offset: int) -> int:
    return content.count("\n", 0, max(offset, 0)) + 1


def _format_diagnostic(diag: dict[str, Any], sources: dict[str, str]) -> str:
    location = diag.get("sourceLocation")
    kind = diag.get("type", diag.get("severity", "error"))
    message = diag.get("message", "").strip()
    if location and location.get("file") in sources:
        line = _line_of(sources[location["file"]], location.get("start", 0))
        return f"{location['file']}:{line}: {kind}: {message}"
    return f"{kind}: {message}"


def _run_solc(executable: Path, solc_input: dict[str, Any]) -> dict[str, Any]:
    import solcx
    from solcx.exceptions import SolcError

    try:
        return solcx.compile_standard(solc_input, solc_binary=executable, allow_empty=True)
    except SolcError as exc:
        # solc reports refused sources as JSON on stdout; anything else is the message's first line
        if exc.stdout_data:
            try:
                return json_object(exc.stdout_data)
            except ValueError:
                pass
        raise CompilationError([str(exc).strip().splitlines()[0]]) from None


def _compiler_version(output: dict[str, Any]) -> str:
    for contracts in output.get("contracts", {}).values():
        for data in contracts.values():
            return str(json.loads(data["metadata"])["compiler"]["version"])
    return SOLC_VERSION


def compile_project(root: Path | None = None, *, use_cache: bool = True) -> CompileResult:
    """Compile every contract under ``root``/contracts (cached under build/ by input and compiler)."""
    root = find_project_root(root)
    sources = collect_sources(root)
    solc_input = standard_json_input(sources)
    executable, compiler_label = solc_executable(root)
    key = hashlib.sha256((_canonical(solc_input) + compiler_label).encode()).hexdigest()[:32]
    cache_file = root / "build" / "cache" / f"solc-{key}.json"

    cached = use_cache and cache_file.is_file()
    output = json_object(cache_file.read_text()) if cached else _run_solc(executable, solc_input)
    diagnostics = output.get("errors", [])
    errors = [_format_diagnostic(d, sources) for d in diagnostics if d.get("severity") == "error"]
    if errors:
        raise CompilationError(errors)
    warnings = [
        _format_diagnostic(d, sources)
        for d in diagnostics
        if d.get("severity") != "error" and str(d.get("sourceLocation", {}).get("file", "")).startswith("contracts/")
    ]
    if not cached:
        atomic_write(cache_file, json.dumps(output).encode())

    solc_hash = input_hash(solc_input)
    version = _compiler_version(output)
    artifacts: dict[str, dict[str, Any]] = {}
    for unit, contracts in output.get("contracts", {}).items():
        if not unit.startswith("contracts/"):
            continue
        for name, data in contracts.items():
            if name in artifacts:
                raise CompilationError([f"{unit}: contract name {name} is used twice; names must be unique"])
            artifacts[name] = {
                "contractName": name,
                "sourceName": unit,
                "abi": data["abi"],
                "bytecode": "0x" + data["evm"]["bytecode"]["object"],
                "deployedBytecode": "0x" + data["evm"]["deployedBytecode"]["object"],
                "metadata": data["metadata"],
                "solcInputHash": solc_hash,
                "compiler": {"version": version, "settings": SETTINGS},
            }
    return CompileResult(solc_input, solc_hash, version, dict(sorted(artifacts.items())), warnings, cached)


def write_artifacts(result: CompileResult, directory: Path = ARTIFACTS_DIR) -> list[str]:
    """Write the shipped artifacts; only files whose content changed are touched. Returns the names written."""
    directory.mkdir(parents=True, exist_ok=True)
    wanted = {f"{name}.json": artifact for name, artifact in result.artifacts.items()}
    wanted[SOLC_INPUT_FILE] = result.solc_input
    written = []
    for filename, content in wanted.items():
        path = directory / filename
        text = json.dumps(content, indent=2, sort_keys=True) + "\n"
        if not path.is_file() or path.read_text() != text:
            path.write_text(text)
            written.append(filename)
    for stale in directory.glob("*.json"):
        if stale.name not in wanted:
            stale.unlink()
            written.append(stale.name)
    return written
