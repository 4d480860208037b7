"""README's Python examples run as written (those that need nothing but the repository), and every name the others
use exists where README says."""

from __future__ import annotations

import ast
import contextlib
import io
import json
import re
from pathlib import Path

import pytest

import portchain
from portchain.clients import (
    BillOfLadingClient,
    CustomsClient,
    GateClient,
    LetterOfCreditClient,
    RebatesClient,
    RegistryClient,
    TokenClient,
    TradeDocumentsClient,
)

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"^```python\n(.*?)^```", README, flags=re.M | re.S)
CLIENTS: dict[str, type] = {
    "registry": RegistryClient, "bol": BillOfLadingClient, "docs": TradeDocumentsClient, "lc": LetterOfCreditClient,
    "token": TokenClient, "customs": CustomsClient, "gate": GateClient, "rebates": RebatesClient,
}


def block(first_line: str) -> str:
    (found,) = [b for b in BLOCKS if b.startswith(first_line)]
    return found


def test_every_block_parses_and_imports_what_exists() -> None:
    assert len(BLOCKS) >= 3
    for source in BLOCKS:
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.ImportFrom):
                module = __import__(str(node.module), fromlist=["_"])
                for alias in node.names:
                    assert hasattr(module, alias.name), f"README imports {alias.name} from {node.module}"


def test_every_port_client_call_names_a_method() -> None:
    calls = set()
    for source in BLOCKS:
        for node in ast.walk(ast.parse(source)):
            is_client_call = (
                isinstance(node, ast.Attribute) and isinstance(node.value, ast.Attribute)
                and isinstance(node.value.value, ast.Name) and node.value.value.id == "port"
            )
            if is_client_call:
                calls.add((node.value.attr, node.attr))
    assert ("bol", "draft") in calls
    for client, method in calls:
        if client in CLIENTS:
            assert callable(getattr(CLIENTS[client], method)), f"README calls port.{client}.{method}"
        else:
            assert hasattr(portchain.Port, client), f"README uses port.{client}"


@pytest.mark.parametrize("first_line", ["import portchain\n", "from portchain.scenario import run_scenario\n"])
def test_the_self_contained_examples_run(
    first_line: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)  # scenario paths are relative to the checkout
    monkeypatch.setenv("PORTCHAIN_DEPLOYMENTS_DIR", str(tmp_path / "deployments"))
    out = io.StringIO()
    namespace: dict[str, object] = {}
    with contextlib.redirect_stdout(out):
        exec(compile(block(first_line), "README.md", "exec"), namespace)
    if first_line.startswith("import portchain"):
        assert out.getvalue().strip() == "999"  # the typed error's argument, as README says
        assert namespace["portchain"] is portchain
    else:
        result = namespace["result"]
        assert result.run.total_gas > 0 and result.saved["credit"] >= 1  # type: ignore[attr-defined]


def test_gas_tables_show_the_snapshot() -> None:
    """Every gas row in README (`| operation ... | gas |`) shows what the checked snapshot holds."""
    snapshot = json.loads((ROOT / "tests" / "gas_snapshot.json").read_text(encoding="utf-8"))
    rows = re.findall(r"^\| ([a-z]+\.[a-z_]+)(?: \([^|]*\))? \| ([0-9,]+) \|", README, flags=re.M)
    assert len(rows) >= 20
    wrong = {op: (shown, f"{snapshot[op]:,}") for op, shown in rows if f"{snapshot[op]:,}" != shown}
    assert not wrong, f"README shows (README, snapshot): {wrong}"
