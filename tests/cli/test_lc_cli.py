"""`portchain token|doc|lc ...` end to end on the session's suite: a credit from application to honour."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

from portchain import Role
from portchain.trade_documents import sample_commercial_invoice


def _day(timestamp: int) -> str:
    return dt.datetime.fromtimestamp(timestamp, dt.timezone.utc).date().isoformat()


def test_credit_from_application_to_honour(suite_cli, port, parties, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    run = suite_cli
    applicant, beneficiary, bank = parties[Role.CONSIGNEE], parties[Role.SHIPPER], parties[Role.BANK]
    now = port.layer.block_timestamp()

    code, out, _ = run("token", "mint", applicant.address, "250000", "--json")
    assert code == 0
    code, out, _ = run("token", "balance", applicant.address)
    assert code == 0 and out.strip().endswith("250000 pUSD")

    bill = "0x" + os.urandom(32).hex()
    run("bol", "draft", bill, "--kind", "to-order", "--shipper", str(beneficiary.org_id), "--as", "carrier")
    run("bol", "approve", bill, "--as", "shipper")
    run("bol", "issue", bill, "--as", "carrier")
    run("bol", "milestone", bill, "--milestone", "shipped-on-board", "--date", str(now - 3600), "--as", "carrier")

    invoice = sample_commercial_invoice(invoice_number="INV-CLI-1").dump(tmp_path / "invoice.json")
    code, _, _ = run("doc", "verify", str(invoice))
    assert code == 1
    code, out, _ = run("doc", "anchor", str(invoice), "--subject", bill, "--as", "shipper", "--json")
    assert code == 0 and json.loads(out)["documentHash"].startswith("0x")
    code, out, _ = run("doc", "verify", str(invoice))
    assert code == 0 and f"COMMERCIAL_INVOICE anchored by organisation {beneficiary.org_id}" in out

    code, out, err = run(
        "lc", "apply", "--terms", "0x" + "ab" * 32, "--beneficiary", str(beneficiary.org_id),
        "--issuing-bank", str(bank.org_id), "--amount", "184000", "--about", "--expiry", _day(now + 60 * 86400),
        "--latest-shipment", _day(now + 30 * 86400), "--documents", "commercial-invoice", "--permit",
        "--as", "consignee", "--json",
    )
    assert code == 0, err
    credit = str(json.loads(out)["credit"])
    assert run("lc", "issue", credit, "--as", "bank")[0] == 0
    code, out, _ = run("lc", "show", credit, "--json")
    assert json.loads(out)["escrowed"] == 202_400 * 10**6

    code, out, err = run("lc", "present", credit, "--amount", "184000", "--bill", bill, "--document", str(invoice),
                         "--as", "shipper", "--json")
    assert code == 0, err
    presented = json.loads(out)
    assert (presented["number"], presented["discrepancies"]) == (1, [])
    code, out, _ = run("lc", "honour", credit, "1", "--as", "bank")
    assert code == 0 and "paid and the bill delivered in one transaction" in out
    code, out, _ = run("lc", "show", credit, "1", "--json")
    assert json.loads(out)["state"] == "HONOURED"
    code, out, _ = run("token", "balance", beneficiary.address, "--json")
    assert json.loads(out)["amount"] == "184000"
    code, out, _ = run("lc", "history", credit, "--json")
    assert [row["event"] for row in json.loads(out)] == [
        "CreditApplied", "CreditIssued", "DocumentsPresented", "PresentationHonoured",
    ]

    code, _, err = run("lc", "honour", credit, "1", "--as", "bank")
    assert code == 1 and err.startswith(f"portchain: refused: InvalidPresentationState(id={credit}, presentation=1")
    code, _, err = run("lc", "refuse", credit, "1", "--discrepancies", "smudged-ink", "--as", "bank")
    assert code == 2 and "unknown discrepancy 'smudged-ink'" in err
    code, _, err = run("lc", "show", "0")
    assert code == 2 and "expected a positive number" in err


def test_refused_application_approves_nothing_and_types_must_agree(suite_cli, port, parties, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    run = suite_cli
    applicant = parties[Role.CONSIGNEE]
    now = port.layer.block_timestamp()
    code, _, err = run("lc", "apply", "--terms", "0x" + "ab" * 32, "--beneficiary", "999", "--issuing-bank",
                       str(parties[Role.BANK].org_id), "--amount", "100", "--expiry", _day(now + 60 * 86400),
                       "--latest-shipment", _day(now + 30 * 86400), "--approve", "--as", "consignee")
    assert code == 1 and "UnknownOrganisation(org_id=999)" in err
    assert port.token.allowance(applicant.address, port.lc.address) == 0  # nothing was sent before the refusal

    invoice = sample_commercial_invoice(invoice_number="INV-TYPE-1").dump(tmp_path / "invoice.json")
    code, _, err = run("doc", "anchor", str(invoice), "--type", "packing-list", "--as", "shipper")
    assert code == 2 and "is a COMMERCIAL_INVOICE; --type packing-list contradicts it" in err


def test_onboard_demo_is_idempotent(cli) -> None:  # type: ignore[no-untyped-def]
    cli("deploy")
    code, out, _ = cli("registry", "onboard-demo", "--json")
    assert code == 0 and len(json.loads(out)) == 10
    code, out, _ = cli("registry", "onboard-demo")
    assert code == 0 and out.count("(already onboarded)") == 10
