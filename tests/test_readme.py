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


# -- the CLI walkthrough ---------------------------------------------------------------------------------------

WALKTHROUGH_PORT = 8545


def walkthrough() -> str:
    """The shell block after "The walkthrough below runs as written"."""
    after = README[README.index("The walkthrough below runs as written"):]
    found = re.search(r"^```sh\n(.*?)^```", after, flags=re.M | re.S)
    assert found, "README has no walkthrough block"
    return found.group(1)


def test_the_example_files_are_the_sdks_samples() -> None:
    from portchain.documents import sample_commercial_invoice, sample_transport_document

    examples = ROOT / "examples"
    assert json.loads((examples / "shipment.json").read_text()) == sample_transport_document().to_json()
    assert json.loads((examples / "invoice.json").read_text()) == sample_commercial_invoice().to_json()
    json.loads((examples / "terms.json").read_text())


def test_the_cli_walkthrough_runs_as_written_in_order_on_a_fresh_chain(tmp_path: Path) -> None:
    import os
    import signal
    import socket
    import subprocess
    import sys

    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", WALKTHROUGH_PORT)) == 0:
            pytest.fail(f"port {WALKTHROUGH_PORT}, which the walkthrough's node takes, is in use")
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("PORTCHAIN_", "ANVIL_", "SEPOLIA_", "BESU_"))}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env["PORTCHAIN_DEPLOYMENTS_DIR"] = str(tmp_path / "deployments")  # leave the checkout's records alone
    script = "set -euo pipefail\n" + walkthrough()
    process = subprocess.Popen(["bash", "-c", script], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        out, err = process.communicate(timeout=300)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)  # the node, if a step failed before `kill %1`
    assert process.returncode == 0, f"walkthrough failed:\n{out[-2000:]}\n{err[-2000:]}"
    assert "onboarded organisation 12" in out
    assert "honoured presentation 1: paid and the bill delivered in one transaction" in out
    assert re.search(r"^verified: \d+ entries of bill 0x[0-9a-f]{64}, head [0-9a-f]{64}$", out, flags=re.M)
    assert re.search(r"^verified: bill 0x[0-9a-f]{64} \(carrier 2, ACCOMPLISHED\)$", out, flags=re.M)
