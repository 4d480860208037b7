"""The CLI: JSON output, exit codes 0/1/2, one-line errors without a traceback (unless --debug)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from eth_account import Account

from portchain.deploy import SUITE
from portchain.node import free_port

SUITE_NAMES = [spec.name for spec in SUITE]


def test_deploy_then_onboard_show_suspend(cli) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = cli("deploy", "--json")
    assert code == 0 and json.loads(out)["deployed"] == SUITE_NAMES
    code, out, _ = cli("deploy", "--json")
    assert code == 0 and json.loads(out)["reused"] == SUITE_NAMES

    signer = Account.create().address
    code, out, _ = cli(
        "registry", "onboard", "--name", "Port of Rotterdam Authority", "--registration-id", "NL-KVK-24354561",
        "--country", "NL", "--roles", "port-operator,customs", "--signer", signer, "--port", "NLRTM", "--json",
    )
    assert code == 0
    org_id = json.loads(out)["orgId"]
    code, out, _ = cli("registry", "show", "--address", signer, "--json")
    shown = json.loads(out)
    assert code == 0 and shown["orgId"] == org_id and shown["signers"] == [signer]
    assert shown["roles"] == ["CUSTOMS", "PORT_OPERATOR"] and shown["status"] == "ACTIVE"

    code, out, _ = cli("registry", "suspend", str(org_id), "--reason", "audit")
    assert code == 0 and out.startswith(f"suspended organisation {org_id} (tx 0x")
    code, out, err = cli("registry", "suspend", str(org_id))
    assert code == 1 and out == ""
    assert err == (
        f"portchain: refused: InvalidStatusTransition(org_id={org_id}, current=SUSPENDED, requested=SUSPENDED)\n"
    )


def test_bad_input_exits_2_with_one_line(cli) -> None:  # type: ignore[no-untyped-def]
    cli("deploy")
    code, _, err = cli("registry", "add-signer", "1", "0x1234")
    assert code == 2 and err == "portchain: error: signer is not a 20-byte hex address: '0x1234'\n"
    code, _, err = cli("registry", "onboard", "--name", "X", "--registration-id", "Y", "--country", "NLD",
                       "--roles", "bank", "--signer", Account.create().address)
    assert code == 2 and "ISO 3166-1 alpha-2" in err and err.count("\n") == 1


def test_usage_errors_exit_2(cli) -> None:  # type: ignore[no-untyped-def]
    code, _, err = cli("registry", "suspend", "not-a-number")
    assert code == 2 and err.endswith("error: argument org_id: organisation id must be a number, got 'not-a-number'\n")
    code, _, err = cli("deploy", "--network", "mainnet")
    assert code == 2 and err == "portchain: error: unknown network 'mainnet'; known networks: anvil, sepolia, besu\n"


def test_missing_node_is_explained(cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("PORTCHAIN_ANVIL_RPC_URL")
    code, _, err = cli("deploy")
    assert code == 2 and "start one with `portchain node`" in err


def test_not_deployed_is_explained(cli) -> None:  # type: ignore[no-untyped-def]
    code, _, err = cli("registry", "show", "1")
    assert code == 1 and "PortRegistry is not deployed on anvil: run `portchain deploy --network anvil`" in err


def test_debug_shows_the_traceback(cli) -> None:  # type: ignore[no-untyped-def]
    code, _, err = cli("registry", "show", "1", "--debug")
    assert code == 1 and "Traceback" in err


def test_unreachable_node_from_a_real_process(tmp_path: Path) -> None:
    env = {**os.environ, "PORTCHAIN_DEPLOYMENTS_DIR": str(tmp_path)}
    proc = subprocess.run(
        [sys.executable, "-m", "portchain.cli", "deploy", "--rpc-url", f"http://127.0.0.1:{free_port()}"],
        capture_output=True, text=True, env=env, timeout=60,
    )
    assert proc.returncode == 1
    assert proc.stderr.startswith("portchain: error: cannot reach the RPC endpoint at 127.0.0.1:")
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr


def test_demo_runs_the_flagship_and_writes_its_report(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    from portchain.cli import _demo as demo
    from portchain.compiler import compile_project

    compile_project()  # an earlier compile of the same tree: the demo must reuse it
    assert demo.run_demo(json_output=True, reports=tmp_path) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["compileCached"] is True
    assert {party["role"] for party in report["parties"].values()} == {
        "CARRIER", "SHIPPER", "CONSIGNEE", "BANK", "CUSTOMS", "TAX", "PORT_OPERATOR", "FORWARDER", "INSURER",
        "INSPECTOR",
    }  # one organisation (at least) per role
    markdown, picture = Path(report["report"]), Path(report["picture"])
    assert markdown.parent == picture.parent == tmp_path
    assert picture.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "Shenzhen to Rotterdam" in markdown.read_text() and picture.name in markdown.read_text()
    assert report["transactions"] > 30 and report["totalGas"] > 1_000_000
