"""`portchain tariff|customs|gate|tax ...` end to end on the session's suite."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from portchain import InputError, Role
from portchain.clients.bill_of_lading import bill_id_for
from portchain.clients.customs import Item
from portchain.documents import sample_transport_document

ZERO_ADDRESS = "0x" + "00" * 20


def test_import_from_lodging_to_gate_out(suite_cli, port, parties, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    run = suite_cli
    importer, exporter, carrier = parties[Role.CONSIGNEE], parties[Role.SHIPPER], parties[Role.CARRIER]
    bol = port.bol
    transport_document = sample_transport_document()
    document_file = str(transport_document.dump(tmp_path / "bill-of-lading.json"))
    bill = bol.draft(transport_document, sender=carrier.account)
    assert bill == bill_id_for(transport_document, carrier.org_id)
    bol.approve(bill, sender=exporter.account)
    bol.issue(bill, sender=carrier.account)
    bol.transfer(bill, importer.org_id, sender=exporter.account)
    bill_hex = "0x" + bill.hex()
    assert str(bill) == f"{bill}" == repr(bill) == bill_hex  # the SDK's ids print as 0x-hex

    assert run("tariff", "set", "6403", "800", "--as", "customs")[0] == 0
    assert run("tariff", "set", "851712", "0", "--as", "customs")[0] == 0
    assert run("tariff", "vat", "2100", "--as", "tax")[0] == 0
    treasury = parties[Role.TAX].address
    code, out, _ = run("tariff", "treasury", treasury, "--as", "customs")
    assert code == 0 and out.startswith(f"nominated treasury {treasury}; it takes effect when the treasury accepts "
                                        "(portchain tariff accept-treasury) (tx 0x")
    assert port.customs.treasury_of("NL") == (ZERO_ADDRESS, ZERO_ADDRESS)  # not until it accepts
    code, out, _ = run("tariff", "show", "NL", "640399", "--vat")
    assert code == 0 and out.strip() == "NL HS 640399: duty 8%, import VAT 21%"
    run("token", "mint", importer.address, "1000000")

    declaration = tmp_path / "declaration.json"
    declaration.write_text(json.dumps({
        "declarationType": "IM", "office": "NL000396",
        "items": [{"hsCode": "640399", "customsValue": "12.345678", "origin": "VN"},
                  {"hsCode": "851712", "customsValue": "100", "origin": "CN"}],
    }))
    code, out, err = run("customs", "lodge", str(declaration), "--kind", "import", "--country", "NL",
                         "--bill", bill_hex,
                         "--ucr", "26NL-1", "--as", "consignee", "--json")
    assert code == 0, err
    decl = json.loads(out)["declaration"]
    assert port.customs.declaration_of_bill(bill, "import", importer.org_id) == bytes.fromhex(decl[2:])
    assert run("customs", "accept", decl, "--as", "customs")[0] == 0
    assert run("customs", "lane", decl, "--lane", "green", "--as", "customs")[0] == 0
    code, _, err = run("customs", "assess", decl, str(declaration), "--as", "customs")
    assert code == 1 and err.startswith("portchain: refused: NoTreasury(country=NL)")  # nominated, not accepted
    code, _, err = run("tariff", "accept-treasury", "NL", "--as", "customs")  # only the treasury's own key accepts
    assert code == 1 and err.startswith(
        f"portchain: refused: NotNominatedTreasury(country=NL, caller={parties[Role.CUSTOMS].address}, "
        f"nominated={treasury})")
    code, out, err = run("tariff", "accept-treasury", "nl", "--as", "tax")
    assert code == 0, err
    assert out.startswith(f"{treasury} now receives NL's duties (tx 0x")
    assert port.customs.treasury_of("NL") == (treasury, port.token.address)
    code, out, _ = run("customs", "assess", decl, str(declaration), "--as", "customs")
    # 12.345678 x 8% = 0.98765424 -> 0.987654; VAT (112.345678 + 0.987654) x 21% = 23.79999972 -> 23.8
    assert code == 0 and out.startswith("assessed: duty 0.987654, import VAT 23.8 (tx 0x")
    code, _, err = run("customs", "release", decl, "--as", "customs")
    assert code == 1 and "InvalidDeclarationStatus" in err and "current=ASSESSED" in err
    before = port.token.balance_of(treasury)
    code, out, _ = run("customs", "pay", decl, "--approve", "--as", "consignee")
    assert code == 0 and out.startswith("paid 24.787654 (duty 0.987654 + import VAT 23.8)")
    assert port.token.balance_of(treasury) == before + 24_787_654
    assert run("customs", "release", decl, "--as", "customs")[0] == 0
    code, out, _ = run("customs", "show", decl, "--json")
    shown = json.loads(out)
    assert (shown["status"], shown["treasury"], shown["token"]) == ("RELEASED", treasury, port.token.address)

    # the bill given as its transport document file: looked up on chain by the document's hash
    code, _, err = run("gate", "authorise", decl, "--bill", document_file, "--container", "MSKU9070323",
                       "--as", "port-operator")
    assert code == 1 and err.startswith(f"portchain: refused: BillNotSurrendered(bill={bill_hex}, state=ISSUED)")
    # the importer holds the bill only by transfer: it must be the titleholder (endorsee) to surrender
    bol.reject_transfer(bill, sender=importer.account)
    bol.endorse(bill, importer.org_id, sender=exporter.account)
    bol.surrender_for_delivery(bill, sender=importer.account)
    bol.accept_surrender(bill, sender=carrier.account)
    port.layer.reset_nonces()
    code, out, err = run("gate", "authorise", decl, "--bill", document_file, "--container", "MSKU9070323",
                         "--as", "port-operator", "--json")
    assert code == 0, err
    lost = json.loads(out)
    code, _, err = run("gate", "authorise", decl, "--bill", bill_hex, "--container", "MSKU9070323",
                       "--as", "port-operator")
    assert code == 1 and err.startswith(
        f"portchain: refused: ContainerAlreadyAuthorised(container=MSKU9070323, code_hash={lost['codeHash']})")
    code, out, err = run("gate", "revoke", lost["codeHash"], "--as", "port-operator")
    assert code == 0 and out.startswith("pick-up code withdrawn (tx 0x"), err
    code, _, err = run("gate", "verify", "MSKU9070323", lost["code"], "--as", "port-operator")
    assert code == 1 and err.startswith(f"portchain: refused: PickupAlreadyUsed(code_hash={lost['codeHash']}, "
                                        f"used_at={2**40 - 1})")
    code, out, err = run("gate", "authorise", decl, "--bill", bill_hex, "--container", "MSKU9070323",
                         "--as", "port-operator", "--json")
    assert code == 0, err
    pickup = json.loads(out)
    assert pickup["codeHash"] != lost["codeHash"]
    assert run("gate", "verify", "MSKU9070323", pickup["code"], "--as", "port-operator")[0] == 0
    code, _, err = run("gate", "verify", "MSKU9070323", pickup["code"], "--as", "port-operator")
    assert code == 1 and err.startswith("portchain: refused: PickupAlreadyUsed(")

    code, out, _ = run("customs", "history", decl, "--json")
    assert [row["event"] for row in json.loads(out)][-1] == "DeclarationReleased"


def test_bad_declarations_and_uncleared_rebates(suite_cli, port, parties, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
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

    exporter, carrier = parties[Role.SHIPPER], parties[Role.CARRIER]
    transport_document = sample_transport_document()
    document_file = str(transport_document.dump(tmp_path / "bill-of-lading.json"))
    bill = port.bol.draft(transport_document, sender=carrier.account)
    bill_hex = "0x" + bill.hex()
    good = tmp_path / "export.json"
    good.write_text('{"items": [{"hsCode": "851712", "customsValue": "100", "origin": "CN"}]}')
    code, out, _ = run("customs", "lodge", str(good), "--kind", "export", "--country", "NL", "--as", "shipper",
                       "--json")
    unlinked = json.loads(out)["declaration"]
    shipment = tmp_path / "export-of-the-bill.json"
    shipment.write_text('{"items": [{"hsCode": "851712", "customsValue": "250", "origin": "CN"}]}')
    code, out, err = run("customs", "lodge", str(shipment), "--kind", "export", "--country", "NL", "--bill",
                         document_file, "--as", "shipper", "--json")
    assert code == 0, err
    decl = json.loads(out)["declaration"]
    assert port.customs.declaration_of_bill(bill, "export", exporter.org_id) == bytes.fromhex(decl[2:])

    code, _, err = run("tax", "rebate-claim", decl, "--vat-invoice", "0x" + "11" * 32, "--amount", "13",
                       "--as", "shipper")
    assert code == 2 and "--bill" in err  # the shipment's bill is required
    code, _, err = run("tax", "rebate-claim", unlinked, "--bill", bill_hex, "--vat-invoice", "0x" + "11" * 32,
                       "--amount", "13", "--as", "shipper")
    assert code == 1 and err.startswith(
        f"portchain: refused: DeclarationNotOfBill(declaration={unlinked}, bill={bill_hex})")
    code, _, err = run("tax", "rebate-claim", decl, "--bill", document_file, "--vat-invoice", "0x" + "11" * 32,
                       "--amount", "13", "--as", "forwarder")
    assert code == 1 and err.startswith(
        f"portchain: refused: NotExporter(declaration={decl}, actor={parties[Role.FORWARDER].org_id}, "
        f"declarant={exporter.org_id}, shipper={exporter.org_id})")
    code, _, err = run("tax", "rebate-claim", decl, "--bill", document_file, "--vat-invoice", "0x" + "11" * 32,
                       "--amount", "13", "--as", "shipper")
    assert code == 1 and err.startswith(f"portchain: refused: DeclarationNotCleared(declaration={decl}, status=LODGED)")


def test_rebate_treasury_is_nominated_then_accepted(suite_cli, port, parties) -> None:  # type: ignore[no-untyped-def]
    run = suite_cli
    treasury = parties[Role.BANK].address
    code, out, err = run("tax", "treasury", treasury, "--as", "tax")
    assert code == 0, err
    assert out.startswith(f"nominated rebate treasury {treasury}; it pays once it accepts (portchain tax "
                          "accept-treasury) (tx 0x")
    assert tuple(port.rebates._call("treasuryOf", b"NL")) == (ZERO_ADDRESS, ZERO_ADDRESS)
    code, _, err = run("tax", "treasury", treasury, "--as", "customs")
    assert code == 1 and err.startswith("portchain: refused: MissingRole(")
    code, _, err = run("tax", "accept-treasury", "NL", "--as", "tax")
    assert code == 1 and err.startswith(
        f"portchain: refused: NotNominatedTreasury(country=NL, caller={parties[Role.TAX].address}, "
        f"nominated={treasury})")
    code, out, err = run("tax", "accept-treasury", "NL", "--as", "bank")
    assert code == 0, err
    assert out.startswith(f"{treasury} now pays NL's rebates (approve the rebate contract) (tx 0x")
    assert tuple(port.rebates._call("treasuryOf", b"NL")) == (treasury, port.token.address)


def test_lodging_where_no_customs_authority_is_designated_is_refused(suite_cli, port, parties, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    run, importer = suite_cli, parties[Role.CONSIGNEE]
    assert port.registry.authority_of("BR", Role.CUSTOMS) == 0
    declaration = tmp_path / "declaration.json"
    declaration.write_text('{"items": [{"hsCode": "010121", "customsValue": "5", "origin": "IE"}]}')

    def sent() -> int:
        return int(port.layer.request("eth_getTransactionCount", [importer.address, "latest"]), 16)

    before = sent()
    code, out, err = run("customs", "lodge", str(declaration), "--kind", "import", "--country", "BR",
                         "--as", "consignee", "--json")
    assert code == 2 and err == (
        "portchain: error: BR has no customs authority: nobody could act on a declaration lodged there; the "
        "consortium admin designates one with `portchain registry designate <org-id> --country BR --role customs`\n")
    assert json.loads(out)["error"]["name"] == "InputError"
    goods = [Item("010121", 5, "IE")]
    with pytest.raises(InputError, match="BR has no customs authority"):
        port.customs.lodge("import", "br", os.urandom(32), goods, sender=importer.account)
    assert sent() == before  # refused before anything was sent

    lodged = port.customs.lodge("import", "NL", os.urandom(32), goods, sender=importer.account)
    assert str(lodged) == "0x" + lodged.hex() and port.customs.declaration(lodged).id == lodged
    shown = port.registry.organisation(importer.org_id)
    assert str(shown.name_hash) == "0x" + shown.name_hash.hex() and shown.to_json()["nameHash"] == str(shown.name_hash)
