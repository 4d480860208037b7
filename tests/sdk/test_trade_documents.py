"""Trade documents beside the bill: JSON round trips, canonical hashes, validation with field paths, DocType and
its issuer roles, dispatch by documentType, and the UCP 600 insurance minimum. Only the DocType checks need the
chain: they ask the deployed TradeDocuments contract."""

from __future__ import annotations

import dataclasses
import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from eth_utils import keccak

from portchain._artifacts import load_solc_input
from portchain.documents import (
    Party,
    canonical_json,
    document_hash,
    sample_transport_document,
)
from portchain.documents.trade import (
    INCOTERMS,
    CertificateOfOrigin,
    CommercialInvoice,
    DocType,
    GoodsItem,
    InspectionCertificate,
    InsuranceCertificate,
    LineItem,
    Package,
    PackingList,
    document_class,
    load_trade_document,
    sample_certificate_of_origin,
    sample_commercial_invoice,
    sample_inspection_certificate,
    sample_insurance_certificate,
    sample_packing_list,
    sample_trade_documents,
)
from portchain.errors import InputError, RevertError
from portchain.port import Port
from portchain.types import Role

SAMPLES = {
    CommercialInvoice: sample_commercial_invoice,
    PackingList: sample_packing_list,
    CertificateOfOrigin: sample_certificate_of_origin,
    InsuranceCertificate: sample_insurance_certificate,
    InspectionCertificate: sample_inspection_certificate,
}
ALL = pytest.mark.parametrize("cls", list(SAMPLES), ids=lambda cls: cls.__name__)


def changed(document: Any, **changes: Any) -> dict[str, Any]:
    """The document's JSON with ``changes`` applied by path (``"lineItems[0].hsCode"``); ``...`` deletes a key."""
    data = document.to_json()
    for path, value in changes.items():
        parts = [int(p) if p.isdigit() else p for p in re.findall(r"[^.\[\]]+", path)]
        target = data
        for part in parts[:-1]:
            target = target[part]
        if value is ...:
            del target[parts[-1]]
        else:
            target[parts[-1]] = value
    return data


def rejects(cls: type, data: Any, message: str) -> None:
    """``cls.from_json(data)`` raises InputError with exactly ``message``."""
    with pytest.raises(InputError) as info:
        cls.from_json(data)
    assert str(info.value) == message


# ---------------------------------------------------------------------------------------------- DocType


def test_doc_type_values_match_the_contract_enum(port: Port) -> None:
    # Names and order: ITradeDocuments.DocType as declared in the sources the deployed contracts were compiled from
    # (an ABI carries no enum member names); then the deployed contract takes every value, and not one more (its
    # ABI decoder refuses an argument beyond the enum, reverting without data).
    source = load_solc_input()["sources"]["contracts/documents/ITradeDocuments.sol"]["content"]
    declaration = re.search(r"enum DocType \{(.*?)\}", re.sub(r"//[^\n]*", "", source), re.DOTALL)
    assert declaration is not None
    assert [t.name for t in DocType] == re.findall(r"\w+", declaration.group(1))
    assert [int(t) for t in DocType] == list(range(len(DocType)))  # each name at its declared position
    for doc_type in DocType:
        port.docs._call("requiredRole", int(doc_type))
    with pytest.raises(RevertError, match=r"\(empty revert data\)$"):
        port.docs._call("requiredRole", len(DocType))


def test_issuer_roles_match_the_contract(port: Port) -> None:
    on_chain = {t: Role(port.docs._call("requiredRole", int(t))) for t in DocType}
    assert {t: t.issuer_role for t in DocType} == on_chain


@pytest.mark.parametrize(
    "value, expected",
    [
        ("commercial-invoice", DocType.COMMERCIAL_INVOICE),
        ("COMMERCIAL_INVOICE", DocType.COMMERCIAL_INVOICE),
        ("Packing-List", DocType.PACKING_LIST),
        ("certificate_of_origin", DocType.CERTIFICATE_OF_ORIGIN),
        (" insurance-certificate ", DocType.INSURANCE_CERTIFICATE),
        (4, DocType.INSPECTION_CERTIFICATE),
        (0, DocType.COMMERCIAL_INVOICE),
        (DocType.PACKING_LIST, DocType.PACKING_LIST),
    ],
)
def test_doc_type_parse(value: Any, expected: DocType) -> None:
    assert DocType.parse(value) is expected


@pytest.mark.parametrize("value", ["bill-of-lading", 5, -1, True, ""])
def test_doc_type_parse_lists_the_valid_names(value: Any) -> None:
    names = "commercial-invoice, packing-list, certificate-of-origin, insurance-certificate, inspection-certificate"
    with pytest.raises(InputError) as info:
        DocType.parse(value)
    assert str(info.value) == f"unknown DocType {value!r}; one of: {names}"


def test_each_class_has_its_doc_type() -> None:
    for cls in SAMPLES:
        assert document_class(cls.doc_type) is cls
        assert cls.from_json(SAMPLES[cls]().to_json()).doc_type is cls.doc_type


# ---------------------------------------------------------------------------------------------- samples


def test_samples_match_the_sample_bill() -> None:
    bill = sample_transport_document()
    data = bill.to_json()
    documents = sample_trade_documents()
    assert list(documents) == list(DocType)
    for doc_type, document in documents.items():
        assert document.doc_type is doc_type
        assert document.transport_document_reference == bill.reference == "MAEU245601234"

    def dcsa_party(party: Party) -> dict[str, Any]:
        return {key: party.to_json()[key] for key in ("partyName", "address", "identifyingCodes")}

    shipper, notify = bill.party("shipper"), bill.party("notifyParties")
    assert shipper is not None and notify is not None
    invoice = documents[DocType.COMMERCIAL_INVOICE]
    assert dcsa_party(invoice.seller) == {key: shipper[key] for key in ("partyName", "address", "identifyingCodes")}
    assert invoice.seller.party_name == "Shenzhen Bright Electronics Co., Ltd."
    assert dcsa_party(invoice.buyer) == notify
    assert invoice.buyer.address.city == "Rotterdam"  # type: ignore[union-attr]
    assert (invoice.currency, invoice.total_amount, invoice.incoterms, invoice.named_place) == (
        "USD",
        "184000.00",
        "CIF",
        "Rotterdam",
    )
    assert [item.hs_code for item in invoice.line_items] == ["851712", "847130"]
    hs_codes = [hs for item in data["consignmentItems"] for hs in item["HSCodes"]]
    assert [item.hs_code for item in invoice.line_items] == hs_codes

    packing_list = documents[DocType.PACKING_LIST]
    containers = list(bill.equipment_references)
    assert [p.equipment_reference for p in packing_list.packages] == containers == ["MSKU9070323", "MSKU1234565"]
    cargo = [c for i in data["consignmentItems"] for c in i["cargoItems"]]
    assert [p.number_of_packages for p in packing_list.packages] == [c["outerPackaging"]["numberOfPackages"]
                                                                      for c in cargo]
    assert [Decimal(p.gross_weight_kg) for p in packing_list.packages] == [
        Decimal(str(c["cargoGrossWeight"]["value"])) for c in cargo]

    origin = documents[DocType.CERTIFICATE_OF_ORIGIN]
    assert origin.country_of_origin == "CN"
    assert [(g.hs_code, g.quantity) for g in origin.goods] == [(i.hs_code, i.quantity) for i in invoice.line_items]

    insurance = documents[DocType.INSURANCE_CERTIFICATE]
    assert (insurance.voyage_from, insurance.voyage_to) == (bill.port_of_loading, bill.port_of_discharge)
    assert Decimal(insurance.insured_amount) == Decimal(invoice.total_amount) * Decimal("1.1")
    assert bill.shipped_on_board_date is not None and insurance.effective_date <= bill.shipped_on_board_date

    inspection = documents[DocType.INSPECTION_CERTIFICATE]
    assert inspection.passed and list(inspection.equipment_references) == containers


def test_sample_overrides_are_validated() -> None:
    invoice = sample_commercial_invoice(letter_of_credit_number=None, incoterms="FOB", named_place="Shenzhen")
    assert (invoice.letter_of_credit_number, invoice.incoterms) == (None, "FOB")
    assert "letterOfCreditNumber" not in invoice.to_json()
    with pytest.raises(InputError) as info:
        sample_commercial_invoice(total_amount="1.00")
    assert str(info.value) == "commercialInvoice.totalAmount: '1.00' is not the sum of the lineItems (184000.00)"
    with pytest.raises(InputError, match=r"^unknown PackingList field\(s\) shiper; fields are issue_date, "):
        sample_packing_list(shiper=None)


def test_python_construction_is_validated_and_normalised() -> None:
    import datetime

    invoice = sample_commercial_invoice(
        issue_date=datetime.date(2024, 3, 11),
        line_items=[
            {"description": "Smartphones", "hsCode": "851712", "quantity": 2, "unitPrice": "0.50", "amount": "1.00"},
            LineItem(description="Laptops", hs_code="84713000", quantity=1, unit_price=Decimal("183999"),
                     amount="183999.00"),
        ],
    )
    assert invoice.issue_date == "2024-03-11"
    assert isinstance(invoice.line_items, tuple) and all(isinstance(i, LineItem) for i in invoice.line_items)
    assert invoice.line_items[1].unit_price == "183999"
    with pytest.raises(dataclasses.FrozenInstanceError):
        invoice.currency = "EUR"  # type: ignore[misc]
    with pytest.raises(InputError) as info:
        dataclasses.replace(sample_packing_list(), packages=())
    assert str(info.value) == "packingList.packages: must not be empty"


# ---------------------------------------------------------------------------------------------- JSON and hashing


@ALL
def test_json_round_trip(cls: type, tmp_path: Path) -> None:
    document = SAMPLES[cls]()
    data = document.to_json()
    assert data["documentType"] == cls.doc_type.name
    assert next(iter(data)) == "documentType"
    assert cls.from_json(data) == document
    assert cls.from_json(document) == document
    assert cls.from_json(data).to_json() == data
    assert cls.from_json(json.dumps(data)) == document
    assert cls.from_json(json.dumps(data).encode()) == document
    path = document.dump(tmp_path / "nested" / "document.json")
    assert path.read_text(encoding="utf-8").endswith("\n")
    assert cls.load(path) == document
    assert cls.load(str(path)).hash() == document.hash()
    assert document.canonical() == canonical_json(data)


def test_optional_fields_round_trip() -> None:
    origin = sample_certificate_of_origin(preference_criterion="WO")
    assert origin.to_json()["preferenceCriterion"] == "WO"
    assert CertificateOfOrigin.from_json(origin.to_json()) == origin
    inspection = sample_inspection_certificate(findings=(), equipment_references=())
    data = inspection.to_json()
    assert "findings" not in data and "equipmentReferences" not in data
    assert InspectionCertificate.from_json(data) == inspection


@ALL
def test_hash_is_canonical(cls: type) -> None:
    document = SAMPLES[cls]()
    data = document.to_json()
    reordered = dict(reversed(list(data.items())))
    text = json.dumps(reordered, indent=4, ensure_ascii=True)
    assert len(document.hash()) == 32
    assert document.hash() == bytes(keccak(document.canonical())) == document_hash(data)
    assert document.hash() == cls.from_json(text).hash() == document_hash(text)
    assert document.hash("sha256") == document_hash(data, "sha256") != document.hash()


def test_hash_changes_with_content() -> None:
    hashes = {document.hash() for document in sample_trade_documents().values()}
    assert len(hashes) == 5
    invoice = sample_commercial_invoice()
    assert sample_commercial_invoice(invoice_number="BS-INV-2024-0319").hash() != invoice.hash()
    assert sample_commercial_invoice(letter_of_credit_number=None).hash() != invoice.hash()
    # the same amount written differently is a different document
    assert sample_commercial_invoice(total_amount="184000.0").hash() != invoice.hash()
    inspection = sample_inspection_certificate()
    failed = sample_inspection_certificate(result="FAILED")
    assert failed.hash() != inspection.hash()


# ---------------------------------------------------------------------------------------------- validation


INVOICE = sample_commercial_invoice()
PACKING = sample_packing_list()
ORIGIN = sample_certificate_of_origin()
INSURANCE = sample_insurance_certificate()
INSPECTION = sample_inspection_certificate()
NUMBER = "expected a decimal string such as '1234.50', got number"
NOT_DECIMAL = (
    "is not a decimal string such as '1234.50' (digits, no sign or exponent, at most 18 before the point and 6 after)"
)


@pytest.mark.parametrize(
    "cls, data, message",
    [
        # commercial invoice
        (
            CommercialInvoice,
            changed(INVOICE, **{"lineItems[0].amount": "67500.00"}),
            "commercialInvoice.lineItems[0].amount: '67500.00' is not quantity x unitPrice (1600 x 42.25 = 67600.00)",
        ),
        (
            CommercialInvoice,
            changed(INVOICE, **{"lineItems[1].unitPrice": "97.001"}),
            "commercialInvoice.lineItems[1].amount: '116400.00' is not quantity x unitPrice "
            "(1200 x 97.001 = 116401.200)",
        ),
        (
            CommercialInvoice,
            changed(INVOICE, totalAmount="184000.01"),
            "commercialInvoice.totalAmount: '184000.01' is not the sum of the lineItems (184000.00)",
        ),
        (
            CommercialInvoice,
            changed(INVOICE, **{"lineItems[0].hsCode": "8517"}),
            "commercialInvoice.lineItems[0].hsCode: '8517' is not an HS code (6 to 10 digits)",
        ),
        (
            CommercialInvoice,
            changed(INVOICE, **{"lineItems[1].hsCode": "8471.30"}),
            "commercialInvoice.lineItems[1].hsCode: '8471.30' is not an HS code (6 to 10 digits)",
        ),
        (
            CommercialInvoice,
            changed(INVOICE, currency="usd"),
            "commercialInvoice.currency: 'usd' is not an ISO 4217 currency code (3 capital letters, e.g. USD)",
        ),
        (
            CommercialInvoice,
            changed(INVOICE, currency="US$"),
            "commercialInvoice.currency: 'US$' is not an ISO 4217 currency code (3 capital letters, e.g. USD)",
        ),
        (
            CommercialInvoice,
            changed(INVOICE, incoterms="CNF"),
            "commercialInvoice.incoterms: 'CNF' is not an Incoterms 2020 rule; "
            "one of EXW, FCA, CPT, CIP, DAP, DPU, DDP, FAS, FOB, CFR, CIF",
        ),
        (
            CommercialInvoice,
            changed(INVOICE, incoterms="DAT"),  # an Incoterms 2010 rule, replaced by DPU
            "commercialInvoice.incoterms: 'DAT' is not an Incoterms 2020 rule; "
            "one of EXW, FCA, CPT, CIP, DAP, DPU, DDP, FAS, FOB, CFR, CIF",
        ),
        (
            CommercialInvoice,
            changed(INVOICE, totalAmount=184000.0),
            f"commercialInvoice.totalAmount: {NUMBER} 184000.0 (floats are not exact: write amounts as strings)",
        ),
        (
            CommercialInvoice,
            changed(INVOICE, **{"lineItems[0].unitPrice": 42}),
            f"commercialInvoice.lineItems[0].unitPrice: {NUMBER} 42",
        ),
        (
            CommercialInvoice,
            changed(INVOICE, totalAmount="-1.00"),
            f"commercialInvoice.totalAmount: '-1.00' {NOT_DECIMAL}",
        ),
        (
            CommercialInvoice,
            changed(INVOICE, totalAmount="1.84e5"),
            f"commercialInvoice.totalAmount: '1.84e5' {NOT_DECIMAL}",
        ),
        (
            CommercialInvoice,
            changed(INVOICE, totalAmount="184,000.00"),
            f"commercialInvoice.totalAmount: '184,000.00' {NOT_DECIMAL}",
        ),
        (
            CommercialInvoice,
            changed(INVOICE, **{"lineItems[0].quantity": 0}),
            "commercialInvoice.lineItems[0].quantity: expected a positive integer, got 0",
        ),
        (
            CommercialInvoice,
            changed(INVOICE, **{"lineItems[0].quantity": 1.5}),
            "commercialInvoice.lineItems[0].quantity: expected a positive integer, got 1.5",
        ),
        (CommercialInvoice, changed(INVOICE, lineItems=[]), "commercialInvoice.lineItems: must not be empty"),
        (
            CommercialInvoice,
            changed(INVOICE, issueDate="12/03/2024"),
            "commercialInvoice.issueDate: '12/03/2024' is not an ISO date (YYYY-MM-DD)",
        ),
        (
            CommercialInvoice,
            changed(INVOICE, **{"buyer.address.countryCode": "NLD"}),
            "commercialInvoice.buyer.address.countryCode: 'NLD' is not an ISO 3166-1 alpha-2 country code",
        ),
        (
            CommercialInvoice,
            changed(INVOICE, namedPlace=...),
            "commercialInvoice: missing required field 'namedPlace'",
        ),
        # packing list
        (
            PackingList,
            changed(PACKING, **{"packages[0].netWeightKg": "8420.51"}),
            "packingList.packages[0].netWeightKg: '8420.51' is more than grossWeightKg '8420.50'",
        ),
        (
            PackingList,
            changed(PACKING, **{"packages[1].equipmentReference": "MSKU1234566"}),
            "packingList.packages[1].equipmentReference: 'MSKU1234566' has a wrong ISO 6346 check digit (expected 5)",
        ),
        (
            PackingList,
            changed(PACKING, **{"packages[0].equipmentReference": "MSK9070323"}),
            "packingList.packages[0].equipmentReference: 'MSK9070323' is not an ISO 6346 container number "
            "(4 letters + 7 digits, e.g. MSKU9070323)",
        ),
        (
            PackingList,
            changed(PACKING, **{"packages[0].grossWeightKg": "0.00"}),
            "packingList.packages[0].grossWeightKg: '0.00' must be more than zero",
        ),
        (
            PackingList,
            changed(PACKING, **{"packages[0].packageCode": "carton"}),
            "packingList.packages[0].packageCode: 'carton' is not a 2-character package code",
        ),
        # certificate of origin
        (
            CertificateOfOrigin,
            changed(ORIGIN, countryOfOrigin="CHN"),
            "certificateOfOrigin.countryOfOrigin: 'CHN' is not an ISO 3166-1 alpha-2 country code",
        ),
        (
            CertificateOfOrigin,
            changed(ORIGIN, **{"goods[1].hsCode": 847130}),
            "certificateOfOrigin.goods[1].hsCode: expected a string, got number 847130",
        ),
        # insurance certificate
        (
            InsuranceCertificate,
            changed(INSURANCE, voyageTo="NLRT"),
            "insuranceCertificate.voyageTo: 'NLRT' is not a UN/LOCODE",
        ),
        (
            InsuranceCertificate,
            changed(INSURANCE, voyageTo="CNSZX"),
            "insuranceCertificate.voyageTo: 'CNSZX' is the same as voyageFrom",
        ),
        (
            InsuranceCertificate,
            changed(INSURANCE, currency="EURO"),
            "insuranceCertificate.currency: 'EURO' is not an ISO 4217 currency code (3 capital letters, e.g. USD)",
        ),
        (
            InsuranceCertificate,
            changed(INSURANCE, insuredAmount="0"),
            "insuranceCertificate.insuredAmount: '0' must be more than zero",
        ),
        # inspection certificate
        (
            InspectionCertificate,
            changed(INSPECTION, result="PASS"),
            "inspectionCertificate.result: 'PASS' is not one of 'PASSED' (the goods conform), "
            "'FAILED' (the goods do not conform)",
        ),
        (
            InspectionCertificate,
            changed(INSPECTION, result="FAILED", findings=...),
            "inspectionCertificate.findings: required when result is 'FAILED'",
        ),
        (
            InspectionCertificate,
            changed(INSPECTION, inspectionDate="2024-03-15"),
            "inspectionCertificate.inspectionDate: '2024-03-15' is after issueDate '2024-03-14'",
        ),
        (
            InspectionCertificate,
            changed(INSPECTION, **{"equipmentReferences[1]": "MSKU9070323"}),
            "inspectionCertificate.equipmentReferences[1]: 'MSKU9070323' is listed twice",
        ),
        (
            InspectionCertificate,
            changed(INSPECTION, **{"equipmentReferences[0]": "MSKU9070324"}),
            "inspectionCertificate.equipmentReferences[0]: 'MSKU9070324' has a wrong ISO 6346 check digit (expected 3)",
        ),
        (InspectionCertificate, changed(INSPECTION, findings=[]), "inspectionCertificate.findings: must not be empty"),
    ],
)
def test_validation_errors(cls: type, data: dict[str, Any], message: str) -> None:
    rejects(cls, data, message)


def test_amounts_compare_as_numbers_and_exactly() -> None:
    # 3 x 0.10 is 0.30 exactly (with floats it would not be), and trailing zeros do not matter
    invoice = sample_commercial_invoice(
        line_items=(LineItem(description="Cable ties", hs_code="392690", quantity=3, unit_price="0.1", amount="0.30"),),
        total_amount="0.3",
    )
    assert invoice.total_amount == "0.3"
    # 18-digit amounts stay exact
    big = "123456789012345678.999999"
    item = LineItem(description="Ship", hs_code="890190", quantity=1, unit_price=big, amount=big)
    assert sample_commercial_invoice(line_items=(item,), total_amount=big).total_amount == big


def test_unknown_keys_are_refused_with_a_hint() -> None:
    data = changed(INVOICE, invoiceNumber=...)
    data["invoiceNo"] = "BS-INV-2024-0318"
    rejects(CommercialInvoice, data, "commercialInvoice: unknown field 'invoiceNo' (did you mean 'invoiceNumber'?)")
    rejects(
        CommercialInvoice,
        {**INVOICE.to_json(), "vatNumber": "x", "notes": "y"},
        "commercialInvoice: unknown fields 'vatNumber', 'notes'",
    )
    data = changed(PACKING)
    data["packages"][0]["grossWeight"] = data["packages"][0].pop("grossWeightKg")
    rejects(PackingList, data, "packingList.packages[0]: unknown field 'grossWeight' (did you mean 'grossWeightKg'?)")


def test_document_type_must_match_the_class() -> None:
    rejects(
        CommercialInvoice,
        PACKING.to_json(),
        "commercialInvoice.documentType: 'PACKING_LIST' is not 'COMMERCIAL_INVOICE' "
        "(read it with PackingList.from_json or load_trade_document)",
    )
    rejects(
        InspectionCertificate,
        changed(INSPECTION, documentType="inspection-certificate"),
        "inspectionCertificate.documentType: 'inspection-certificate' is not 'INSPECTION_CERTIFICATE'",
    )
    rejects(
        InsuranceCertificate,
        changed(INSURANCE, documentType=...),
        "insuranceCertificate: missing required field 'documentType' (must be 'INSURANCE_CERTIFICATE')",
    )
    rejects(CertificateOfOrigin, "[]", "certificateOfOrigin: expected a JSON object, got array")
    rejects(
        CertificateOfOrigin,
        "{",
        "certificateOfOrigin: not valid JSON (Expecting property name enclosed in double quotes at line 1 column 2)",
    )


def test_load_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "packing.json"
    path.write_text(json.dumps(changed(PACKING, **{"packages[0].numberOfPackages": -960})), encoding="utf-8")
    message = "packing.json: packingList.packages[0].numberOfPackages: expected a positive integer, got -960"
    with pytest.raises(InputError) as info:
        PackingList.load(path)
    assert str(info.value) == message
    with pytest.raises(InputError) as info:
        load_trade_document(path)
    assert str(info.value) == message


# ---------------------------------------------------------------------------------------------- dispatch


@ALL
def test_load_trade_document_dispatches_on_document_type(cls: type, tmp_path: Path) -> None:
    document = SAMPLES[cls]()
    data = document.to_json()
    assert type(load_trade_document(data)) is cls
    assert load_trade_document(data) == document
    assert load_trade_document(json.dumps(data, indent=2)) == document
    assert load_trade_document(json.dumps(data).encode()) == document
    assert load_trade_document(document) is document
    path = document.dump(tmp_path / f"{cls.__name__}.json")
    assert load_trade_document(path) == document
    assert load_trade_document(str(path)) == document


def test_load_trade_document_refuses_unknown_types() -> None:
    names = "COMMERCIAL_INVOICE, PACKING_LIST, CERTIFICATE_OF_ORIGIN, INSURANCE_CERTIFICATE, INSPECTION_CERTIFICATE"
    with pytest.raises(InputError) as info:
        load_trade_document({**INVOICE.to_json(), "documentType": "BILL_OF_LADING"})
    assert str(info.value) == f"tradeDocument.documentType: 'BILL_OF_LADING' is not one of {names}"
    with pytest.raises(InputError) as info:
        load_trade_document({"documentType": 0})
    assert str(info.value) == f"tradeDocument.documentType: 0 is not one of {names}"
    with pytest.raises(InputError) as info:
        load_trade_document(sample_transport_document().to_json())
    assert str(info.value) == (
        f"tradeDocument: missing required field 'documentType' (one of {names}); "
        "this looks like a transport document: read it with TransportDocument.from_json"
    )
    with pytest.raises(InputError) as info:
        load_trade_document(b"[1]")
    assert str(info.value) == "tradeDocument: expected a JSON object, got array"
    with pytest.raises(InputError) as info:
        load_trade_document({**INVOICE.to_json(), "currency": "dollars"})
    assert str(info.value).startswith("commercialInvoice.currency: 'dollars' is not an ISO 4217 currency code")


# ---------------------------------------------------------------------------------------------- UCP 600 insurance


def test_covers_ucp_minimum() -> None:
    cif = Decimal(INVOICE.total_amount)
    exactly = sample_insurance_certificate(insured_amount="202400.00")
    assert exactly.covers_ucp_minimum(cif)
    assert exactly.covers_ucp_minimum("184000.00")
    assert exactly.covers_ucp_minimum(184000)
    assert not sample_insurance_certificate(insured_amount="202399.99").covers_ucp_minimum(cif)
    assert sample_insurance_certificate(insured_amount="202400.01").covers_ucp_minimum(cif)
    # one cent of CIF value more needs 1.1 cents more cover
    assert not exactly.covers_ucp_minimum(Decimal("184000.01"))
    assert sample_insurance_certificate(insured_amount="202400.011").covers_ucp_minimum(Decimal("184000.01"))
    # below 110 % is still a valid certificate: the rule is checked on demand, not on construction
    assert sample_insurance_certificate(insured_amount="1.00").insured_amount == "1.00"


@pytest.mark.parametrize(
    "value, message",
    [
        (184000.0, "cif_value: expected a Decimal or a decimal string, got float 184000.0"),
        ("lots", "cif_value: 'lots' is not a decimal number"),
        (Decimal("NaN"), "cif_value: Decimal('NaN') is not a finite number"),
        (True, "cif_value: expected a Decimal or a decimal string, got bool True"),
    ],
)
def test_covers_ucp_minimum_refuses_inexact_values(value: Any, message: str) -> None:
    with pytest.raises(InputError) as info:
        INSURANCE.covers_ucp_minimum(value)
    assert str(info.value) == message


def test_incoterms_are_the_eleven_2020_rules() -> None:
    assert len(INCOTERMS) == 11
    assert set(INCOTERMS) == {"EXW", "FCA", "CPT", "CIP", "DAP", "DPU", "DDP", "FAS", "FOB", "CFR", "CIF"}


def test_parts_are_exported() -> None:
    assert GoodsItem.from_json({"description": "x", "hsCode": "851712", "quantity": 1}).quantity == 1
    assert Package.from_json(PACKING.to_json()["packages"][0]) == PACKING.packages[0]
    assert isinstance(INVOICE.seller, Party)
