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
    code, out, err = cli("registry", "suspend", "not-a-number")
    assert code == 2 and out == "" and err == (
        "portchain: usage: registry suspend: argument org_id: organisation id must be a number, got 'not-a-number' "
        "(see `portchain registry suspend --help`)\n")
    code, _, err = cli("deploy", "--network", "mainnet")
    assert code == 2 and err == "portchain: error: unknown network 'mainnet'; known networks: anvil, sepolia, besu\n"


@pytest.mark.parametrize("argv", [
    [], ["bogus"], ["registry"], ["registry", "show", "1", "--nope"], ["lc", "apply", "--amount", "1"],
    ["customs", "lane", "0x" + "ab" * 32, "--lane", "purple"], ["--json", "bol"],
])
def test_every_usage_error_is_one_line(cli, argv: list[str]) -> None:  # type: ignore[no-untyped-def]
    code, out, err = cli(*argv)
    assert code == 2 and err.startswith("portchain: usage: ") and err.count("\n") == 1, err
    if "--json" in argv:
        error = json.loads(out)["error"]
        assert (error["kind"], error["exitCode"]) == ("usage", 2) and error["message"] in err
    else:
        assert out == ""


def test_usage_error_under_json_and_full_help(cli) -> None:  # type: ignore[no-untyped-def]
    code, out, err = cli("registry", "suspend", "x", "--json")
    assert code == 2 and err.count("\n") == 1
    assert json.loads(out) == {"error": {
        "kind": "usage", "message": "argument org_id: organisation id must be a number, got 'x'", "exitCode": 2}}
    code, out, err = cli("registry", "suspend", "--help")
    assert code == 0 and err == "" and out.startswith("usage: portchain registry suspend") and "--reason" in out
    assert len(out.splitlines()) > 5


def test_version(cli) -> None:  # type: ignore[no-untyped-def]
    from portchain import __version__

    assert cli("--version") == (0, f"portchain {__version__}\n", "")


def test_errors_under_json_are_one_object_on_stdout(cli) -> None:  # type: ignore[no-untyped-def]
    code, out, err = cli("deploy", "--network", "mainnet", "--json")
    assert code == 2 and err.count("\n") == 1 and json.loads(out) == {"error": {
        "kind": "error", "message": "unknown network 'mainnet'; known networks: anvil, sepolia, besu", "exitCode": 2,
        "name": "UnknownNetworkError"}}
    cli("deploy")
    code, out, err = cli("registry", "show", "999", "--json")
    assert code == 1 and err == "portchain: refused: UnknownOrganisation(org_id=999)\n"
    assert json.loads(out) == {"error": {
        "kind": "refused", "message": "UnknownOrganisation(org_id=999)", "exitCode": 1, "name": "UnknownOrganisation",
        "arguments": {"orgId": 999}}}
    code, out, err = cli("registry", "add-signer", "1", "0x1234", "--json")
    assert code == 2 and json.loads(out)["error"] == {
        "kind": "error", "message": "signer is not a 20-byte hex address: '0x1234'", "exitCode": 2,
        "name": "InputError"}


def test_an_unknown_organisation_exits_1_by_id_or_address(cli) -> None:  # type: ignore[no-untyped-def]
    cli("deploy")
    nobody = Account.create().address
    code, _, err = cli("registry", "show", "999")
    assert code == 1 and "UnknownOrganisation(org_id=999)" in err
    code, out, err = cli("registry", "show", "--address", nobody, "--json")
    assert code == 1 and err == f"portchain: not found: {nobody} signs for no organisation\n"
    assert json.loads(out)["error"]["kind"] == "not-found"
    code, _, err = cli("registry", "show", "--address", "0x1234")  # bad syntax stays a usage error
    assert code == 2 and "not a 20-byte hex address" in err


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
    # one wall time in the report and the timeline (the scenario's), the demo's own total beside it, named apart
    assert 0 < report["scenarioSeconds"] < report["seconds"]
    assert "| scenario wall time | " in markdown.read_text()


def test_the_demo_names_its_two_wall_times() -> None:
    from portchain.cli._demo import demo_time_line

    line = demo_time_line(1.74, 65.5)
    assert line == ("demo wall time 1 min 5.5 s: scenario wall time 1.7 s + 1 min 3.8 s to compile, start Anvil, "
                    "deploy and write the report")


def test_token_refusals_get_a_hint() -> None:
    import argparse

    from eth_abi import encode
    from eth_utils import function_signature_to_4byte_selector

    from portchain._revert import decode_revert
    from portchain.cli import _hint

    def refusal(signature: str, *values: object) -> Exception:
        types = signature[signature.index("(") + 1:-1].split(",")
        return decode_revert("0x" + function_signature_to_4byte_selector(signature).hex() + encode(types, values).hex())

    account = Account.create().address
    allowance = refusal("ERC20InsufficientAllowance(address,uint256,uint256)", account, 0, 5)
    both, approve_only = argparse.Namespace(permit=False, approve=False), argparse.Namespace(approve=False)
    assert _hint(both, allowance) == "pass --permit or --approve, or approve the contract first"
    assert _hint(approve_only, allowance) == "pass --approve, or approve the contract first"
    assert _hint(argparse.Namespace(), allowance).startswith("approve the contract first: portchain token approve")
    balance = refusal("ERC20InsufficientBalance(address,uint256,uint256)", account, 1, 5)
    assert _hint(both, balance) == (f"{account} holds too few tokens: see `portchain token balance`; on a local chain "
                                    "`portchain token mint` adds some")
    assert _hint(both, refusal("NoTreasury(bytes2)", b"NL")) == ""
