"""`portchain tariff|customs|gate|tax ...` end to end on the session's suite."""

from __future__ import annotations

import json
import os
from pathlib import Path

from portchain import BillKind, Role


def test_import_from_lodging_to_gate_out(suite_cli, port, parties, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    run = suite_cli
    importer, exporter, carrier = parties[Role.CONSIGNEE], parties[Role.SHIPPER], parties[Role.CARRIER]
    bol = port.bol
    bill = bol.draft(os.urandom(32), BillKind.TO_ORDER, shipper=exporter.org_id, sender=carrier.account)
    bol.approve(bill, sender=exporter.account)
    bol.issue(bill, sender=carrier.account)
    bol.transfer(bill, importer.org_id, sender=exporter.account)
    bill_hex = "0x" + bill.hex()

    assert run("tariff", "set", "6403", "800", "--as", "customs")[0] == 0
    assert run("tariff", "set", "851712", "0", "--as", "customs")[0] == 0
    assert run("tariff", "vat", "2100", "--as", "tax")[0] == 0
    treasury = parties[Role.TAX].address
    assert run("tariff", "treasury", treasury, "--as", "customs")[0] == 0
    code, out, _ = run("tariff", "show", "NL", "640399", "--vat")
    assert code == 0 and out.strip() == "NL HS 640399: duty 8%, import VAT 21%"
    run("token", "mint", importer.address, "1000000")

    declaration = tmp_path / "declaration.json"
    declaration.write_text(json.dumps({
        "declarationType": "IM", "office": "NL000396",
        "items": [{"hsCode": "640399", "customsValue": "12.345678", "origin": "VN"},
                  {"hsCode": "851712", "customsValue": "100", "origin": "CN"}],
    }))
    code, out, err = run("customs", "lodge", str(declaration), "--kind", "import", "--country", "NL", "--bill", bill_hex,
                         "--ucr", "26NL-1", "--as", "consignee", "--json")
    assert code == 0, err
    decl = json.loads(out)["declaration"]
    assert run("customs", "accept", decl, "--as", "customs")[0] == 0
    assert run("customs", "lane", decl, "--lane", "green", "--as", "customs")[0] == 0
    code, out, _ = run("customs", "assess", decl, str(declaration), "--as", "customs")
    # 12.345678 x 8% = 0.98765424 -> 0.987654; VAT (112.345678 + 0.987654) x 21% = 23.79999972 -> 23.8
    assert code == 0 and out.startswith("assessed: duty 0.987654, import VAT 23.8 (tx 0x")
    code, _, err = run("customs", "release", decl, "--as", "customs")
    assert code == 1 and "InvalidDeclarationStatus" in err and "current=ASSESSED" in err
    code, out, _ = run("customs", "pay", decl, "--approve", "--as", "consignee")
    assert code == 0 and out.startswith("paid 24.787654 (duty 0.987654 + import VAT 23.8)")
    assert run("customs", "release", decl, "--as", "customs")[0] == 0
    code, out, _ = run("customs", "show", decl, "--json")
    assert json.loads(out)["status"] == "RELEASED"

    code, _, err = run("gate", "authorise", decl, "--bill", bill_hex, "--container", "MSKU9070323", "--as", "port-operator")
    assert code == 1 and "BillNotSurrendered" in err
    # the importer holds the bill only by transfer: it must be the titleholder (endorsee) to surrender
    bol.reject_transfer(bill, sender=importer.account)
    bol.endorse(bill, importer.org_id, sender=exporter.account)
    bol.surrender_for_delivery(bill, sender=importer.account)
    bol.accept_surrender(bill, sender=carrier.account)
    port.layer.reset_nonces()
    code, out, err = run("gate", "authorise", decl, "--bill", bill_hex, "--container", "MSKU9070323",
                         "--as", "port-operator", "--json")
    assert code == 0, err
    pickup = json.loads(out)
    assert run("gate", "verify", "MSKU9070323", pickup["code"], "--as", "port-operator")[0] == 0
    code, _, err = run("gate", "verify", "MSKU9070323", pickup["code"], "--as", "port-operator")
    assert code == 1 and err.startswith("portchain: refused: PickupAlreadyUsed(")

    code, out, _ = run("customs", "history", decl, "--json")
    assert [row["event"] for row in json.loads(out)][-1] == "DeclarationReleased"


def test_bad_declarations_and_uncleared_rebates(suite_cli, parties, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    run = suite_cli
    empty = tmp_path / "empty.json"
    empty.write_text('{"items": []}')
    code, _, err = run("customs", "lodge", str(empty), "--kind", "import", "--country", "NL", "--as", "consignee")
    assert code == 2 and 'needs an "items" list' in err
    bad = tmp_path / "bad.json"
    bad.write_text('{"items": [{"hsCode": "64", "customsValue": "1", "origin": "VN"}]}')
    code, _, err = run("customs", "lodge", str(bad), "--kind", "import", "--country", "NL", "--as", "consignee")
    assert code == 2 and "items[0]: HS code must be 6 to 10 digits" in err
    code, _, err = run("customs", "show", "0x1234")
    assert code == 2 and "declaration id must be 0x + 64 hex digits" in err

    good = tmp_path / "export.json"
    good.write_text('{"items": [{"hsCode": "851712", "customsValue": "100", "origin": "CN"}]}')
    code, out, _ = run("customs", "lodge", str(good), "--kind", "export", "--country", "NL", "--as", "shipper", "--json")
    decl = json.loads(out)["declaration"]
    code, _, err = run("tax", "rebate-claim", decl, "--vat-invoice", "0x" + "11" * 32, "--amount", "13", "--as", "shipper")
    assert code == 1 and err.startswith(f"portchain: refused: DeclarationNotCleared(declaration={decl}, status=LODGED)")
