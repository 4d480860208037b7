"""Every shipped scenario runs green through the public SDK, and a bad scenario is refused before anything is sent."""

from __future__ import annotations

from pathlib import Path

import pytest

from portchain.scenario import (
    ScenarioError,
    ScenarioFailedError,
    load_scenario,
    run_scenario,
)

SCENARIOS = sorted((Path(__file__).resolve().parents[2] / "scripts" / "scenarios").glob("*.yaml"))


def test_eight_scenarios_ship() -> None:
    assert [p.stem for p in SCENARIOS] == [
        "change_of_destination", "discrepancy_waiver", "flagship", "lc_expiry_refund", "open_account",
        "partial_shipments", "red_lane_amendment", "switch_to_paper",
    ]


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_scenario_runs_green(port, path: Path) -> None:  # type: ignore[no-untyped-def]
    scenario = load_scenario(path)
    result = run_scenario(scenario, port, timeline=False)
    expected_refusals = sum(1 for step in scenario.steps if step.expect)
    assert result.refusals == expected_refusals >= 1


def test_a_scenario_runs_twice_on_one_chain(port) -> None:  # type: ignore[no-untyped-def]
    path = next(p for p in SCENARIOS if p.stem == "flagship")
    first = run_scenario(path, port, timeline=False)
    second = run_scenario(path, port, timeline=False)
    assert first.saved["credit"] != second.saved["credit"]


def test_a_failed_expectation_names_the_step(port, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "wrong.yaml"
    path.write_text(
        "title: wrong expectation\n"
        "parties: {importer: {role: consignee, country: NL}}\n"
        "steps:\n"
        "  - {actor: admin, action: token.mint, to: importer, amount: '10', expect: ERC20InsufficientBalance}\n"
    )
    with pytest.raises(ScenarioFailedError, match=r"wrong.yaml: step 1 \(token.mint\): expected the refusal "
                                             r"ERC20InsufficientBalance, but the step succeeded"):
        run_scenario(path, port, timeline=False)


BASE = "title: t\nparties: {importer: {role: consignee, country: NL}, bank: {role: bank, country: NL}}\n"


@pytest.mark.parametrize(
    "body, message",
    [
        ("steps:\n  - {actor: importr, action: token.mint, to: importer, amount: '1'}\n",
         r"bad.yaml: step 1 \(token.mint\): unknown actor 'importr'; parties are importer, bank"),
        ("steps:\n  - {actor: admin, action: mint, to: importer, amount: '1'}\n",
         r"bad.yaml: step 1: unknown action 'mint' \(did you mean token.mint\?\)"),
        ("steps:\n  - {actor: admin, action: token.mint, to: importer}\n",
         r"step 1 \(token.mint\): missing argument 'amount'"),
        ("steps:\n  - {actor: admin, action: token.mint, to: importer, amount: lots}\n",
         r"step 1 \(token.mint\): amount: an amount such as 184000.00, got 'lots'"),
        ("steps:\n  - {actor: bank, action: lc.issue, credit: $credit}\n",
         r"step 1 \(lc.issue\): credit: \$credit is not saved by an earlier step"),
        ("steps:\n  - {actor: bank, action: bol.approve, bill: shipment}\n",
         r"step 1 \(bol.approve\): bill: unknown document 'shipment'"),
        ("steps:\n  - {actor: admin, action: token.mint, to: importer, amount: '1', expect: Oops}\n",
         r"step 1 \(token.mint\): expect: no contract error named 'Oops'"),
        ("steps:\n  - {actor: admin, action: token.mint, to: importer, amount: '1', colour: red}\n",
         r"step 1 \(token.mint\): unknown argument 'colour'"),
        ("steps:\n  - {actor: admin, action: lc.apply, beneficiary: importer, issuing_bank: bank, amount: '1', "
         "expiry: tomorrow, latest_shipment: +1d}\n",
         r"step 1 \(lc.apply\): expiry: a date relative to the start, such as \+30d, got 'tomorrow'"),
        ("steps:\n  - {actor: admin, action: token.mint\n", r"bad.yaml: line \d+ is not valid YAML"),
        ("steps:\n  - {actor: admin, action: token.mint, to: importer, amount: inf}\n",
         r"step 1 \(token.mint\): amount: an amount such as 184000.00, got 'inf'"),
        ("steps:\n  - {actor: importer, action: token.approve, spender: bank, amount: '1'}\n",
         r"step 1 \(token.approve\): spender: one of lc, customs, rebates, got 'bank'"),
        ("documents: {inv: {type: commercial-invoice}}\nsteps:\n  - {actor: bank, action: bol.draft, bill: inv, "
         "kind: to-order, shipper: importer}\n", r"step 1 \(bol.draft\): bill: 'inv' is a commercial-invoice, "
         r"not a transport-document"),
        ("documents: {b: {type: transport-document}}\nsteps:\n  - {actor: bank, action: bol.draft, bill: b, "
         "kind: barge, shipper: importer}\n", r"step 1 \(bol.draft\): kind: unknown BillKind 'barge'"),
        ("documents: {d: {type: declaration, items: [{hsCode: '851712', customsValue: '1', origin: CN}]}}\n"
         "steps:\n  - {check: {declaration: d, state: released}}\n",
         r"step 1 \(check\): a check names a bill .*; state does not fit"),
    ],
)
def test_bad_scenarios_are_refused_before_anything_is_sent(tmp_path: Path, body: str, message: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(BASE + body)
    with pytest.raises(ScenarioError, match=message):
        load_scenario(path)


def test_bad_parties_and_documents(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("title: t\nparties: {x: {role: captain, country: NL}}\nsteps: []\n")
    with pytest.raises(ScenarioError, match=r"party 'x': unknown role 'captain'"):
        load_scenario(path)
    path.write_text("title: t\nparties: {x: {role: bank, country: NL}}\ndocuments: {d: {type: memo}}\nsteps: []\n")
    with pytest.raises(ScenarioError, match=r"document 'd': type must be one of"):
        load_scenario(path)
    path.write_text("title: t\nsteps: []\n")
    with pytest.raises(ScenarioError, match=r"bad.yaml: missing 'parties'"):
        load_scenario(path)


def test_amounts_must_fit_the_tokens_decimals_before_anything_is_sent(port, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "decimals.yaml"
    path.write_text(BASE + "steps:\n  - {actor: admin, action: token.mint, to: importer, amount: '1.0000001'}\n")
    block = port.layer.request("eth_blockNumber", [])
    with pytest.raises(ScenarioError, match=r"step 1 \(token.mint\): amount: amount 1.0000001 is negative or has "
                                            r"more than 6 decimals"):
        run_scenario(path, port, timeline=False)
    assert port.layer.request("eth_blockNumber", []) == block  # nothing was onboarded or sent
