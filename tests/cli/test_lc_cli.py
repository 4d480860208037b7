"""`portchain token|doc|lc ...` end to end on the session's suite: a credit from application to honour, and an
amendment increase the payer funds itself."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from portchain import Role
from portchain.clients.bill_of_lading import bill_id_for
from portchain.documents import sample_transport_document
from portchain.documents.trade import (
    sample_certificate_of_origin,
    sample_commercial_invoice,
)


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

    # the bill is drafted from its transport document; its id binds the document's hash to the carrier
    shipment = sample_transport_document().dump(tmp_path / "shipment.json")
    code, out, err = run("bol", "draft", str(shipment), "--as", "carrier", "--json")
    assert code == 0, err
    bill = json.loads(out)["id"]
    assert bill == "0x" + bill_id_for(sample_transport_document(), parties[Role.CARRIER].org_id).hex()
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
    # a document of another issuer: the presentation finds its anchor's issuer on the chain
    certificate = sample_certificate_of_origin(certificate_number="CO-CLI-1").dump(tmp_path / "origin.json")
    code, _, err = run("doc", "anchor", str(certificate), "--subject", bill, "--as", "inspector")
    assert code == 0, err

    code, out, err = run(
        "lc", "apply", "--terms", "0x" + "ab" * 32, "--beneficiary", str(beneficiary.org_id),
        "--issuing-bank", str(bank.org_id), "--amount", "184000", "--about", "--expiry", _day(now + 60 * 86400),
        "--latest-shipment", _day(now + 30 * 86400), "--documents", "commercial-invoice,certificate-of-origin",
        "--permit", "--as", "consignee", "--json",
    )
    assert code == 0, err
    credit = str(json.loads(out)["credit"])
    # the escrow moved in with the application, from the applicant's address, under the permit
    code, out, _ = run("token", "balance", applicant.address, "--json")
    assert json.loads(out)["amount"] == "47600"
    code, out, _ = run("lc", "show", credit, "--json")
    shown = json.loads(out)
    assert (shown["state"], shown["escrowed"], shown["payer"]) == ("APPLIED", 202_400 * 10**6, applicant.address)
    assert port.token.allowance(applicant.address, port.lc.address) == 0  # the permit was spent on the escrow
    code, out, _ = run("lc", "issue", credit, "--as", "bank")
    assert code == 0 and "against the escrow funded at application" in out
    code, out, _ = run("lc", "show", credit, "--json")
    assert (json.loads(out)["state"], json.loads(out)["escrowed"]) == ("ISSUED", 202_400 * 10**6)
    code, out, _ = run("token", "balance", applicant.address, "--json")
    assert json.loads(out)["amount"] == "47600"  # issuing moved no money

    # --bill given as the transport document file, looked up on the chain; each document's issuer found there
    code, out, err = run("lc", "present", credit, "--amount", "184000", "--bill", str(shipment),
                         "--document", str(invoice), "--document", str(certificate), "--as", "shipper", "--json")
    assert code == 0, err
    presented = json.loads(out)
    assert (presented["number"], presented["discrepancies"], presented["bill"]) == (1, [], bill)
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
    assert port.bol.status(bill).holder == applicant.org_id

    code, _, err = run("lc", "honour", credit, "1", "--as", "bank")
    assert code == 1 and err.startswith(f"portchain: refused: InvalidPresentationState(id={credit}, presentation=1")
    code, _, err = run("lc", "refuse", credit, "1", "--discrepancies", "smudged-ink", "--as", "bank")
    assert code == 2 and "unknown discrepancy 'smudged-ink'" in err
    code, _, err = run("lc", "show", "0")
    assert code == 2 and "expected a positive number" in err


def test_an_amendment_increase_is_funded_by_the_payer(suite_cli, port, parties) -> None:  # type: ignore[no-untyped-def]
    run = suite_cli
    applicant, beneficiary, bank = parties[Role.CONSIGNEE], parties[Role.SHIPPER], parties[Role.BANK]
    now = port.layer.block_timestamp()
    assert run("token", "mint", applicant.address, "250000")[0] == 0
    code, out, err = run(
        "lc", "apply", "--terms", "0x" + "cd" * 32, "--beneficiary", str(beneficiary.org_id),
        "--issuing-bank", str(bank.org_id), "--amount", "184000", "--about", "--expiry", _day(now + 60 * 86400),
        "--latest-shipment", _day(now + 30 * 86400), "--approve", "--as", "consignee", "--json",
    )
    assert code == 0, err
    credit = str(json.loads(out)["credit"])
    # approved before the application, exactly the escrow, and spent by it
    assert port.token.allowance(applicant.address, port.lc.address) == 0
    assert port.token.balance_of(applicant.address) == 47_600 * 10**6
    assert run("lc", "issue", credit, "--as", "bank")[0] == 0

    code, _, err = run("lc", "amend", credit, "--amount", "200000", "--as", "bank")
    assert code == 0, err
    assert port.token.balance_of(applicant.address) == 47_600 * 10**6  # the bank's amendment moves no money
    code, _, err = run("lc", "accept-amendment", credit, "--as", "shipper")
    assert code == 1 and err.startswith(  # an amount in token units, and in base units as the contract has it
        f"portchain: refused: AmendmentNotFunded(id={credit}, number=1, increase=17600 pUSD (17600000000 base units))"
    )
    code, _, err = run("lc", "fund-amendment", credit, "--as", "consignee")  # nothing approved: a hint at --approve
    assert code == 1 and err == (
        f"portchain: refused: ERC20InsufficientAllowance(spender={port.lc.address}, allowance=0 pUSD (0 base units), "
        "needed=17600 pUSD (17600000000 base units)) (pass --approve, or approve the contract first)\n"
    )
    code, _, err = run("lc", "fund-amendment", credit, "--approve", "--as", "bank")  # only the payer funds it
    assert code == 1 and f"NotPayer(id={credit}, caller={bank.address}, payer={applicant.address})" in err
    assert port.token.allowance(bank.address, port.lc.address) == 0  # the refused --approve was withdrawn
    code, out, err = run("lc", "fund-amendment", credit, "--approve", "--as", "consignee")
    assert code == 0 and "escrowed the increase of the pending amendment" in out, err
    assert port.token.balance_of(applicant.address) == 30_000 * 10**6
    assert port.token.allowance(applicant.address, port.lc.address) == 0
    code, out, _ = run("lc", "show", credit, "--json")
    shown = json.loads(out)
    assert (shown["amendmentFunded"], shown["amendmentIncrease"], shown["escrowed"]) == (
        True, 17_600 * 10**6, 220_000 * 10**6)
    code, _, err = run("lc", "fund-amendment", credit, "--as", "consignee")
    assert code == 1 and f"NothingToFund(id={credit})" in err
    code, out, err = run("lc", "accept-amendment", credit, "--as", "shipper")
    assert code == 0 and f"accepted the amendment to credit {credit}" in out, err
    code, out, _ = run("lc", "show", credit, "--json")
    shown = json.loads(out)
    assert (shown["amount"], shown["available"], shown["amendmentPending"]) == (200_000 * 10**6, 220_000 * 10**6, False)


def test_refused_application_approves_nothing_and_types_must_agree(suite_cli, port, parties, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    run = suite_cli
    applicant = parties[Role.CONSIGNEE]
    now = port.layer.block_timestamp()
    code, _, err = run("lc", "apply", "--terms", "0x" + "ab" * 32, "--beneficiary", "999", "--issuing-bank",
                       str(parties[Role.BANK].org_id), "--amount", "100", "--expiry", _day(now + 60 * 86400),
                       "--latest-shipment", _day(now + 30 * 86400), "--approve", "--as", "consignee")
    assert code == 1 and "UnknownOrganisation(org_id=999)" in err
    assert port.token.allowance(applicant.address, port.lc.address) == 0  # nothing was sent before the refusal
    code, out, err = run("lc", "apply", "--terms", "0x" + "ab" * 32, "--beneficiary", str(parties[Role.SHIPPER].org_id),
                         "--issuing-bank", str(parties[Role.BANK].org_id), "--amount", "100.5", "--expiry",
                         _day(now + 60 * 86400), "--latest-shipment", _day(now + 30 * 86400), "--as", "consignee",
                         "--json")  # neither --permit nor --approve, and no allowance
    assert code == 1 and err.endswith(
        "needed=100.5 pUSD (100500000 base units)) (pass --permit or --approve, or approve the contract first)\n")
    assert json.loads(out) == {"error": {
        "kind": "refused", "exitCode": 1, "name": "ERC20InsufficientAllowance",
        "message": err.removeprefix("portchain: refused: ").split(" (pass")[0],
        "arguments": {"spender": port.lc.address, "allowance": 0, "needed": 100_500_000},
        "hint": "pass --permit or --approve, or approve the contract first",
    }}

    invoice = sample_commercial_invoice(invoice_number="INV-TYPE-1").dump(tmp_path / "invoice.json")
    code, _, err = run("doc", "anchor", str(invoice), "--type", "packing-list", "--as", "shipper")
    assert code == 2 and "is a COMMERCIAL_INVOICE; --type packing-list contradicts it" in err


def test_onboard_demo_is_idempotent(cli) -> None:  # type: ignore[no-untyped-def]
    cli("deploy")
    code, out, _ = cli("registry", "onboard-demo", "--json")
    assert code == 0 and len(json.loads(out)) == 10
    code, out, _ = cli("registry", "onboard-demo")
    assert code == 0 and out.count("(already onboarded)") == 10
