"""The compiler: shipped artifacts match a fresh compile for the EVM every engine runs, the cache works, errors read
`file:line: message`, and a $SOLC_BINARY that cannot be used is an error, never passed over."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest

from portchain import CompilationError, ConfigurationError
from portchain._artifacts import artifact_names, load_artifact, load_solc_input
from portchain.cli import main
from portchain.compiler import ARTIFACTS_DIR, EVM_VERSION, SOLC_INPUT_FILE, compile_project


def test_shipped_artifacts_match_a_fresh_compile(project_root: Path) -> None:
    fresh = compile_project(project_root, use_cache=False)
    assert not fresh.cached
    shipped = {p.stem for p in ARTIFACTS_DIR.glob("*.json") if p.name != SOLC_INPUT_FILE}
    assert shipped == set(fresh.artifacts), "run `portchain compile` and commit src/portchain/artifacts"
    for name, artifact in fresh.artifacts.items():
        on_disk = json.loads((ARTIFACTS_DIR / f"{name}.json").read_text())
        assert on_disk == json.loads(json.dumps(artifact)), f"{name} is stale: run `portchain compile`"
    assert load_solc_input() == fresh.solc_input


def test_solc_input_is_self_contained(project_root: Path) -> None:
    sources = compile_project(project_root).solc_input["sources"]
    assert "contracts/access/PortRegistry.sol" in sources
    assert "@openzeppelin/contracts/access/AccessControl.sol" in sources
    assert all("content" in source for source in sources.values())


def test_unchanged_tree_hits_the_cache_quickly(project_root: Path) -> None:
    compile_project(project_root)
    started = time.perf_counter()
    again = compile_project(project_root)
    assert again.cached
    assert time.perf_counter() - started < 1.0


@pytest.fixture
def broken_project(tmp_path: Path, project_root: Path) -> Path:
    (tmp_path / "contracts").mkdir()
    shutil.copy(project_root / "package.json", tmp_path / "package.json")
    (tmp_path / "node_modules").symlink_to(project_root / "node_modules")
    (tmp_path / "contracts" / "Broken.sol").write_text(
        "// SPDX-License-Identifier: MIT\npragma solidity 0.8.30;\n\ncontract Broken {\n"
        "    function f() external pure returns (uint256) {\n        return undefinedThing;\n    }\n}\n"
    )
    return tmp_path


def test_compile_error_reads_file_line_message(broken_project: Path) -> None:
    with pytest.raises(CompilationError) as info:
        compile_project(broken_project, use_cache=False)
    assert info.value.errors == ['contracts/Broken.sol:6: DeclarationError: Undeclared identifier.']


def test_cli_compile_error_exits_1(
    broken_project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(broken_project)
    assert main(["compile", "--no-cache"]) == 1
    err = capsys.readouterr().err
    assert "contracts/Broken.sol:6: DeclarationError: Undeclared identifier." in err
    assert "Traceback" not in err


def test_a_missing_solc_binary_is_an_error_naming_the_variable(
    project_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOLC_BINARY", "/nonexistent")
    with pytest.raises(ConfigurationError, match=r"^SOLC_BINARY=/nonexistent is not an executable file"):
        compile_project(project_root, use_cache=False)


def test_a_solc_binary_of_another_version_is_an_error(
    project_root: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    other = tmp_path / "solc"
    other.write_text("#!/bin/sh\necho 'solc, the solidity compiler commandline interface'\necho "
                     "'Version: 0.8.29+commit.ab55807c.Linux.g++'\n")
    other.chmod(0o755)
    monkeypatch.setenv("SOLC_BINARY", str(other))
    with pytest.raises(ConfigurationError, match=r"SOLC_BINARY=.*/solc is solc 0\.8\.29; portchain pins solc 0\.8\.30"):
        compile_project(project_root, use_cache=False)


def test_cli_compile_with_a_missing_solc_binary_exits_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SOLC_BINARY", "/nonexistent")
    assert main(["compile", "--no-cache"]) == 2
    err = capsys.readouterr().err
    assert "SOLC_BINARY=/nonexistent" in err and len(err.strip().splitlines()) == 1


def test_shipped_artifacts_target_the_evm_every_engine_runs() -> None:
    """Anvil, Ganache 7.9 (at most shanghai) and the Besu genesis (networks/besu) all run the shipped code."""
    assert EVM_VERSION == "shanghai"
    for name in artifact_names():
        assert json.loads(load_artifact(name)["metadata"])["settings"]["evmVersion"] == EVM_VERSION, name
    assert load_solc_input()["settings"]["evmVersion"] == EVM_VERSION
