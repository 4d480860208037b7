"""Lay out the project's compile as a foundry project that slither reads without compiling anything itself.

Run with the SDK's interpreter (``.venv/bin/python audit/build_info.py build/audit``): it takes the very standard-JSON
input ``portchain compile`` builds (portchain.compiler: same sources, same settings), asks the same compiler
(native solc 0.8.30 or the npm solcjs shim) for the AST and source maps as well, and writes into the scratch folder

    foundry.toml                   minimal, offline, so that `forge config --json` answers without a network
    out/build-info/<id>.json       {id, solcVersion, input, output} as forge writes it
    contracts/**, node_modules/**  the sources exactly as compiled, so slither's source mappings point at them
                                   (OpenZeppelin under node_modules/ so slither treats it as a dependency)

The compiler output is cached in <scratch>/cache by the input's hash: an unchanged tree recompiles nothing.
"""

from __future__ import annotations

import copy
import hashlib
import json
import shutil
import sys
import time
from pathlib import Path

from portchain import compiler

# What slither reads from a build-info on top of the project's own outputs: the AST of every source and the
# source maps (crytic-compile's hardhat/foundry parser requires them). Selecting more output does not change the
# bytecode, so the analysed contracts are the deployed ones.
EXTRA_CONTRACT_OUTPUTS = ["evm.bytecode.sourceMap", "evm.deployedBytecode.sourceMap", "userdoc", "devdoc"]

FOUNDRY_TOML = """\
# Written by audit/build_info.py for slither (--foundry-ignore-compile): nothing here compiles or downloads.
[profile.default]
src = "contracts"
out = "out"
libs = ["node_modules"]
offline = true
auto_detect_solc = false
evm_version = "{evm}"
"""


def audit_input(root: Path) -> dict:
    """The project's standard-JSON input (portchain.compiler) with the AST and source maps selected too."""
    solc_input = compiler.standard_json_input(compiler.collect_sources(root))
    solc_input = copy.deepcopy(solc_input)
    selection = solc_input["settings"]["outputSelection"]
    per_contract = selection.setdefault("*", {}).setdefault("*", [])
    per_contract.extend(o for o in EXTRA_CONTRACT_OUTPUTS if o not in per_contract)
    selection["*"][""] = ["ast"]
    return solc_input


def compile_input(root: Path, solc_input: dict, cache_dir: Path) -> tuple[dict, str, bool]:
    """solc's output for ``solc_input`` (cached by input and compiler), and the compiler label."""
    import solcx  # the SDK's own dependency, as portchain.compiler uses it

    executable, label = compiler.solc_executable(root)
    canonical = json.dumps(solc_input, sort_keys=True, separators=(",", ":"))
    key = hashlib.sha256((canonical + label).encode()).hexdigest()[:32]
    cache_file = cache_dir / f"solc-{key}.json"
    if cache_file.is_file():
        return json.loads(cache_file.read_text()), label, True
    try:
        output = solcx.compile_standard(solc_input, solc_binary=executable, allow_empty=True)
    except solcx.exceptions.SolcError as exc:
        try:
            output = json.loads(exc.stdout_data)
        except (TypeError, ValueError):
            sys.exit(f"audit: solc failed: {str(exc).strip().splitlines()[0]}")
    errors = [d for d in output.get("errors", []) if d.get("severity") == "error"]
    if errors:
        for diag in errors:
            print(diag.get("formattedMessage") or diag.get("message"), file=sys.stderr)
        sys.exit("audit: the contracts do not compile")
    cache_dir.mkdir(parents=True, exist_ok=True)
    for stale in cache_dir.glob("solc-*.json"):
        stale.unlink()
    tmp = cache_file.with_suffix(".tmp")
    tmp.write_text(json.dumps(output))
    tmp.replace(cache_file)
    return output, label, False


def write_project(scratch: Path, solc_input: dict, output: dict) -> Path:
    """Write foundry.toml, the sources and out/build-info/<id>.json into ``scratch``; returns the build-info."""
    for folder in ("out", "contracts", "node_modules"):
        shutil.rmtree(scratch / folder, ignore_errors=True)
    scratch.mkdir(parents=True, exist_ok=True)
    (scratch / "foundry.toml").write_text(FOUNDRY_TOML.format(evm=compiler.EVM_VERSION))
    for unit, source in solc_input["sources"].items():
        # Project sources keep their unit name; imported packages (@openzeppelin/...) go under node_modules/.
        target = scratch / unit if unit.startswith("contracts/") else scratch / "node_modules" / unit
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(source["content"], encoding="utf-8")

    version = compiler.SOLC_VERSION
    long_version = version
    for contracts in output.get("contracts", {}).values():
        for data in contracts.values():
            long_version = json.loads(data["metadata"])["compiler"]["version"]
            break
        break
    build_id = compiler.input_hash(solc_input)
    build_info = {
        "_format": "ethers-rs-sol-build-info-1",
        "id": build_id,
        "solcVersion": version,
        "solcLongVersion": long_version,
        "input": solc_input,
        "output": output,
    }
    path = scratch / "out" / "build-info" / f"{build_id}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(build_info))
    return path


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python audit/build_info.py SCRATCH_DIR", file=sys.stderr)
        return 2
    started = time.monotonic()
    root = compiler.find_project_root()  # the checkout we run in (make runs from the project folder)
    scratch = Path(argv[1]).resolve()
    solc_input = audit_input(root)
    output, label, cached = compile_input(root, solc_input, scratch / "cache")
    path = write_project(scratch, solc_input, output)
    units = sum(1 for unit in solc_input["sources"] if unit.startswith("contracts/"))
    print(
        f"audit: {units} contract sources compiled with {label}"
        f" ({'cached' if cached else f'{time.monotonic() - started:.1f} s'}) -> {path.relative_to(root)}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
