"""`portchain gas --json`: valid JSON with every measured operation, and the issues' gas bars hold."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

import pytest

from portchain.cli import main
from portchain.cli._gas import BARS

EXPECTED = [
    "registry.onboard", "registry.add_signer", "registry.remove_signer", "registry.set_roles", "registry.suspend",
    "registry.reinstate", "registry.revoke",
    "bol.draft", "bol.approve", "bol.issue", "bol.transfer", "bol.endorse", "bol.blank_endorse", "bol.reject",
    "bol.sign", "bol.surrender", "bol.accept_surrender", "bol.endorse_by_signature", "bol.surrender_for_amendment",
    "bol.amend", "bol.batch_issue_per_bill",
    "doc.anchor", "lc.apply", "lc.issue", "lc.present", "lc.refuse", "lc.waive", "lc.honour",
    "customs.lodge", "customs.accept", "customs.assess", "customs.pay", "customs.release", "gate.authorise",
    "gate.verify", "tax.rebate_claim",
]


@pytest.fixture(scope="module")
def report() -> dict[str, int]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["gas", "--json"]) == 0
    return dict(json.loads(out.getvalue()))


def test_report_has_every_operation(report: dict[str, int]) -> None:
    missing = [op for op in EXPECTED if op not in report]
    assert not missing
    assert all(isinstance(gas, int) and gas > 21_000 for op, gas in report.items() if op != "bol.batch_issue_per_bill")


@pytest.mark.parametrize("operation", sorted(BARS))
def test_gas_bar_holds(report: dict[str, int], operation: str) -> None:
    assert report[operation] <= BARS[operation], f"{operation} uses {report[operation]:,} gas, bar {BARS[operation]:,}"


def test_report_matches_the_snapshot(report: dict[str, int]) -> None:
    """The harness is deterministic (fixed chain times and codes), so any change in gas is a change in the contracts
    or in what the SDK sends: review it, then refresh with `portchain gas --json > tests/gas_snapshot.json`."""
    snapshot = json.loads((Path(__file__).parent / "gas_snapshot.json").read_text(encoding="utf-8"))
    changed = {op: (snapshot.get(op), gas) for op, gas in report.items() if snapshot.get(op) != gas}
    gone = sorted(set(snapshot) - set(report))
    assert not changed and not gone, f"gas changed (snapshot, now): {changed}; no longer measured: {gone}"
