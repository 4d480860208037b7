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

    code, out, _ = run("bol", "draft", document, "--kind", "to-order", "--shipper", str(shipper), "--as", "carrier",
                       "--json")
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
    out = run("bol", "draft", "0x" + os.urandom(32).hex(), "--kind", "to-order", "--shipper", shipper,
              "--as", "carrier", "--json")[1]
    bill = json.loads(out)["id"]
    run("bol", "approve", bill, "--as", "shipper")
    run("bol", "issue", bill, "--as", "carrier")
    assert run("bol", "amend", bill, "--reason", "cod", "--as", "shipper")[0] == 0
    code, _, err = run("bol", "accept-surrender", bill, "--as", "carrier")
    assert code == 2 and "give --replacement" in err
    out = run("bol", "draft", "0x" + os.urandom(32).hex(), "--kind", "to-order", "--shipper", shipper,
              "--as", "carrier", "--json")[1]
    reissue = json.loads(out)["id"]
    code, out, _ = run("bol", "accept-surrender", bill, "--replacement", reissue, "--as", "carrier")
    assert code == 0 and f"replaced by {reissue}" in out


def test_refusals_and_bad_input(suite_cli, parties) -> None:  # type: ignore[no-untyped-def]
    run = suite_cli
    bill = "0x" + os.urandom(32).hex()
    code, _, err = run("bol", "approve", bill, "--as", "shipper")
    assert code == 1 and err == f"portchain: refused: UnknownBill(id={bill})\n"
    code, _, err = run("bol", "draft", bill, "--kind", "straight", "--shipper", "2", "--as", "carrier")
    assert code == 2 and err == "portchain: error: a straight bill needs a consignee organisation\n"
    code, _, err = run("bol", "draft", bill, "--kind", "barge", "--shipper", "2", "--as", "carrier")
    assert code == 2 and "unknown BillKind 'barge'" in err
    code, _, err = run("bol", "show", "not-a-bill")
    assert code == 2 and "neither a bill id" in err
    code, _, err = run("bol", "draft", bill, "--kind", "to-order", "--shipper", "2", "--as", "captain")
    assert code == 2 and "unknown role 'captain'" in err
