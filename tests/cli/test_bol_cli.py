"""`portchain bol ...` end to end on the session's suite, signing with `--as ROLE`."""

from __future__ import annotations

import json
import os

from portchain import Role
from portchain.clients.bill_of_lading import bill_id_for


def test_bill_lifecycle_from_the_cli(suite_cli, parties) -> None:  # type: ignore[no-untyped-def]
    run = suite_cli
    document = "0x" + os.urandom(32).hex()
    shipper, bank = parties[Role.SHIPPER].org_id, parties[Role.BANK].org_id

    code, out, _ = run("bol", "draft-hash", document, "--kind", "to-order", "--shipper", str(shipper),
                       "--as", "carrier", "--json")
    assert code == 0 and json.loads(out)["state"] == "DRAFT"
    bill = json.loads(out)["id"]
    assert bill == "0x" + bill_id_for(bytes.fromhex(document[2:]), parties[Role.CARRIER].org_id).hex()
    assert run("bol", "approve", bill, "--as", "shipper")[0] == 0
    code, out, _ = run("bol", "issue", bill, "--as", "carrier")
    assert code == 0 and out.startswith("issued 1 bill (tx 0x")
    code, out, _ = run("bol", "endorse", bill, "--to", str(bank), "--as", "shipper", "--json")
    assert code == 0 and json.loads(out)["gasUsed"] > 0
    assert run("bol", "milestone", bill, "--milestone", "shipped-on-board", "--date", "2026-01-15",
               "--as", "carrier")[0] == 0
    assert run("bol", "surrender", bill, "--as", "bank")[0] == 0
    code, out, _ = run("bol", "accept-surrender", bill, "--as", "carrier")
    assert code == 0 and "accomplished" in out

    code, out, _ = run("bol", "show", bill, "--json")
    shown = json.loads(out)
    assert (shown["state"], shown["holder"], shown["shippedOnBoardDate"]) == (
        "ACCOMPLISHED", parties[Role.CARRIER].org_id, 1768478400)
    code, out, _ = run("bol", "history", bill, "--json")
    assert [row["action"] for row in json.loads(out)] == [
        "BillDrafted", "BillApproved", "BillIssued", "BillEndorsed", "MilestoneRecorded",
        "BillSurrenderedForDelivery", "SurrenderAccepted",
    ]


def test_amendment_from_the_cli(suite_cli, parties) -> None:  # type: ignore[no-untyped-def]
    run = suite_cli
    shipper = str(parties[Role.SHIPPER].org_id)
    out = run("bol", "draft-hash", "0x" + os.urandom(32).hex(), "--kind", "to-order", "--shipper", shipper,
              "--as", "carrier", "--json")[1]
    bill = json.loads(out)["id"]
    run("bol", "approve", bill, "--as", "shipper")
    run("bol", "issue", bill, "--as", "carrier")
    assert run("bol", "amend", bill, "--reason", "cod", "--as", "shipper")[0] == 0
    code, _, err = run("bol", "accept-surrender", bill, "--as", "carrier")
    assert code == 2 and "give --replacement" in err
    out = run("bol", "draft-hash", "0x" + os.urandom(32).hex(), "--kind", "to-order", "--shipper", shipper,
              "--as", "carrier", "--json")[1]
    reissue = json.loads(out)["id"]
    code, out, _ = run("bol", "accept-surrender", bill, "--replacement", reissue, "--as", "carrier")
    assert code == 0 and f"replaced by {reissue}" in out


def test_refusals_and_bad_input(suite_cli, parties) -> None:  # type: ignore[no-untyped-def]
    run = suite_cli
    bill = "0x" + os.urandom(32).hex()
    code, _, err = run("bol", "approve", bill, "--as", "shipper")
    assert code == 1 and err == f"portchain: refused: UnknownBill(id={bill})\n"
    code, _, err = run("bol", "draft-hash", bill, "--kind", "straight", "--shipper", "2", "--as", "carrier")
    assert code == 2 and err == "portchain: error: a straight bill needs a consignee organisation\n"
    code, _, err = run("bol", "draft-hash", bill, "--kind", "barge", "--shipper", "2", "--as", "carrier")
    assert code == 2 and "unknown BillKind 'barge'" in err
    code, _, err = run("bol", "show", "not-a-bill")
    assert code == 2 and "neither a bill id" in err
    code, _, err = run("bol", "draft-hash", bill, "--kind", "to-order", "--shipper", "2", "--as", "captain")
    assert code == 2 and "unknown role 'captain'" in err


def test_draft_from_a_dcsa_document_and_its_refusals(suite_cli, parties, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from portchain.documents import sample_consignee_party, sample_transport_document

    run = suite_cli
    shipment = sample_transport_document().dump(tmp_path / "shipment.json")
    code, out, err = run("bol", "draft", str(shipment), "--as", "carrier", "--json")
    assert code == 0, err
    drafted = json.loads(out)
    assert (drafted["kind"], drafted["shipper"]) == ("TO_ORDER", parties[Role.SHIPPER].org_id)
    code, out, _ = run("bol", "verify", str(shipment))
    assert (code, out) == (0, f"verified: bill {drafted['id']} (carrier {parties[Role.CARRIER].org_id}, DRAFT)\n")
    code, out, _ = run("bol", "verify", str(shipment), drafted["id"], "--json")
    assert code == 0 and json.loads(out)["verified"] is True
    changed = sample_transport_document({"transportDocumentReference": "MAEU245601235"}).dump(tmp_path / "x.json")
    code, out, _ = run("bol", "verify", str(changed), drafted["id"])
    assert code == 1 and out.startswith(f"not verified: bill {drafted['id']}: transportDocument: its hash 0x")
    waybill = sample_transport_document({
        "transportDocumentReference": "MAEU245601299", "transportDocumentTypeCode": "SWB", "isToOrder": False,
        "documentParties.consignee": sample_consignee_party(),
    }).dump(tmp_path / "waybill.json")
    code, out, err = run("bol", "draft", str(waybill), "--kind", "to-order", "--as", "carrier")
    assert (code, out) == (1, "")
    assert err == (
        "portchain: refused: transportDocument.transportDocumentTypeCode: the bill's kind follows its document: "
        "the document is a sea-waybill, not a to-order\n"
    )
    code, _, err = run("bol", "draft", str(shipment), "--shipper", str(parties[Role.BANK].org_id), "--as", "carrier")
    assert code == 1 and "documentParties.shipper: its codes name organisation" in err
    (tmp_path / "flat.json").write_text('{"transportDocumentReference": "X1"}')
    code, _, err = run("bol", "draft", str(tmp_path / "flat.json"), "--as", "carrier")
    assert code == 2 and err.startswith("portchain: error: flat.json: transportDocument")


def test_export_and_verify_a_transfer_chain(suite_cli, parties, tmp_path) -> None:  # type: ignore[no-untyped-def]
    run = suite_cli
    shipper, bank = str(parties[Role.SHIPPER].org_id), str(parties[Role.BANK].org_id)
    bill = json.loads(run("bol", "draft-hash", "0x" + os.urandom(32).hex(), "--kind", "to-order", "--shipper",
                          shipper, "--as", "carrier", "--json")[1])["id"]
    run("bol", "approve", bill, "--as", "shipper")
    run("bol", "issue", bill, "--as", "carrier")
    run("bol", "endorse", bill, "--to", bank, "--as", "shipper")
    code, out, _ = run("bol", "history", bill, "--json")
    assert [row["dcsaCode"] for row in json.loads(out)] == ["DRAFT", "APPROVED", "ISSUE", "ENDORSE"]
    chain = tmp_path / "chain.json"
    code, out, err = run("bol", "export", bill, "--output", str(chain))
    assert code == 0, err
    assert out.startswith(f"exported 2 entries of bill {bill} to {chain} (head ")
    code, out, _ = run("bol", "verify-chain", str(chain))
    assert code == 0 and out.startswith(f"verified: 2 entries of bill {bill}, head ")
    exported = json.loads(chain.read_text())
    exported["entries"][1]["transaction"]["recipient"]["orgId"] = int(shipper)
    chain.write_text(json.dumps(exported))
    code, out, _ = run("bol", "verify-chain", str(chain), "--json")
    assert code == 1 and json.loads(out)["verified"] is False and json.loads(out)["problems"]
