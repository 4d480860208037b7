"""The compiler: shipped artifacts match a fresh compile, the cache works, errors read `file:line: message`."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest

from portchain import CompilationError
from portchain._artifacts import load_solc_input
from portchain.cli import main
from portchain.compiler import ARTIFACTS_DIR, SOLC_INPUT_FILE, compile_project


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
