"""Off-chain documents: canonical JSON (RFC 8785), hashes, the DCSA eBL 3.0 transport document (read and written
exactly as DCSA publishes it, refused by field path where it breaks DCSA's schema or prose rules, warned where it
departs from what DCSA recommends), and the local store."""

from __future__ import annotations

import copy
import json
import pickle
import re
from pathlib import Path
from typing import Any

import pytest
from eth_utils import keccak

from portchain.documents import (
    PARTY_ROLES,
    DocumentIntegrityError,
    DocumentNotFoundError,
    DocumentStore,
    TransportDocument,
    canonical_json,
    document_hash,
    iso6346_check_digit,
    sample_consignee_party,
    sample_transport_document,
    verify,
)
from portchain.documents.dcsa_ebl import published_examples
from portchain.errors import InputError, PortchainError
from portchain.types import BillKind, PartyCode

EXAMPLES = published_examples()
SAMPLE_WARNINGS = {
    "notify": "transportDocument.documentParties.notifyParties: expected on a to-order document (isToOrder true) "
    "unless the consignee or endorsee isNotifyParty",
    "shipper": "transportDocument.documentParties.shipper: should give an address (or addressLines) or "
    "identifyingCodes",
    "check digit": "transportDocument.utilizedTransportEquipments[0].equipment.equipmentReference: 'HLXU1234567' has "
    "a wrong ISO 6346 check digit (expected 1)",
    "issue date": "transportDocument.issueDate: should be given on an issued document (transportDocumentStatus "
    "ISSUED)",
}

# ---------------------------------------------------------------------------------------------- fixture builders


def sample_json(**changes: Any) -> dict[str, Any]:
    """The sample document as DCSA JSON, with ``changes`` applied by path: ``{"transports.portOfLoading": {}}``
    style keys go through :func:`set_path`; a value of ``...`` deletes the key."""
    data = sample_transport_document().to_json()
    for path, value in changes.items():
        set_path(data, path, value)
    return data


def set_path(data: Any, path: str, value: Any) -> None:
    """Set (or delete, for ``...``) ``a.b[1].c`` inside nested JSON."""
    parts = [int(p) if p.isdigit() else p for p in re.findall(r"[^.\[\]]+", path)]
    for part in parts[:-1]:
        data = data[part]
    if value is ...:
        del data[parts[-1]]
    else:
        data[parts[-1]] = value


@pytest.fixture
def document() -> TransportDocument:
    return sample_transport_document()


@pytest.fixture
def store(tmp_path: Path) -> DocumentStore:
    return DocumentStore(tmp_path / "documents")


def rejects(data: Any, message: str, *, strict: bool = False) -> None:
    """``TransportDocument.from_json(data)`` raises InputError with exactly ``message``."""
    with pytest.raises(InputError) as info:
        TransportDocument.from_json(data, strict=strict)
    assert str(info.value) == message


def straight(**changes: Any) -> dict[str, Any]:
    """The sample as a straight bill (its consignee Rotterdam Home Retail B.V.), with ``changes``."""
    return sample_json(**{"isToOrder": False, "documentParties.consignee": sample_consignee_party(), **changes})


REEFER = {
    "equipment": {"equipmentReference": "MSKU9070323", "ISOEquipmentCode": "45R1"},
    "isShipperOwned": False,
    "isNonOperatingReefer": False,
    "activeReeferSettings": {"temperatureSetpoint": 5, "temperatureUnit": "CEL"},
    "seals": [{"number": "BA-CN7714352"}],
}


def reefer(**settings: Any) -> dict[str, Any]:
    """The sample with its first container a reefer whose ``activeReeferSettings`` are ``settings``."""
    return sample_json(**{"utilizedTransportEquipments[0]": {**REEFER, "activeReeferSettings": settings}})


# ---------------------------------------------------------------------------------------------- canonical JSON


def test_canonical_json_sorts_keys_and_drops_whitespace() -> None:
    value = {"b": [1, {"z": None, "a": True}], "a": "x", "c": False}
    assert canonical_json(value) == b'{"a":"x","b":[1,{"a":true,"z":null}],"c":false}'


def test_canonical_json_keeps_non_ascii_and_escapes_controls() -> None:
    value = {"name": "Ürün 深圳 €", "ctl": "a\"b\\c\n\t\b\f\r\x00\x1f\x7f\u2028"}
    expected = '{"ctl":"a\\"b\\\\c\\n\\t\\b\\f\\r\\u0000\\u001f\x7f\u2028","name":"Ürün 深圳 €"}'
    assert canonical_json(value) == expected.encode("utf-8")


def test_keys_sort_by_utf16_code_units() -> None:
    # U+1F600 is a surrogate pair (D83D DE00) and sorts before U+FB01 in UTF-16, after it by code point.
    value = {"\ufb01": 1, "\U0001f600": 2, "\u20ac": 3, "\r": 4, "1": 5, "\u0080": 6, "\u00f6": 7}
    keys = list(json.loads(canonical_json(value)))
    assert keys == ["\r", "1", "\u0080", "\u00f6", "\u20ac", "\U0001f600", "\ufb01"]


@pytest.mark.parametrize(
    "value, text",
    [
        (1.0, "1"),
        (-2.0, "-2"),
        (100.0, "100"),
        (0.5, "0.5"),
        (2.5e-3, "0.0025"),
        (1e-6, "0.000001"),
        (1e-7, "1e-7"),
        (1.5e-7, "1.5e-7"),
        (1e20, "100000000000000000000"),
        (1e21, "1e+21"),
        (1.25e21, "1.25e+21"),
        (123456789.125, "123456789.125"),
        (0.1 + 0.2, "0.30000000000000004"),
        (42, "42"),
        (-7, "-7"),
        (2**53 - 1, "9007199254740991"),
        (True, "true"),
    ],
)
def test_number_formatting(value: Any, text: str) -> None:
    assert canonical_json(value) == text.encode()


@pytest.mark.parametrize(
    "value, message",
    [
        ({"a": [float("nan")]}, "$.a[0]: nan is not a valid JSON number (NaN and Infinity are refused)"),
        ({"a": float("inf")}, "$.a: inf is not a valid JSON number (NaN and Infinity are refused)"),
        ([float("-inf")], "$[0]: -inf is not a valid JSON number (NaN and Infinity are refused)"),
        ({1: "x"}, "$: object keys must be strings, got int 1"),
        ({"a": {1, 2}}, "$.a: set is not a JSON value"),
        ({"s": "\ud800"}, "$.s: string '\\ud800' contains a lone surrogate"),
        (
            {"n": 2**53},
            "$.n: integer 9007199254740992 is beyond 2**53 - 1 and not exact as a JSON (IEEE double) number; "
            "send it as a string",
        ),
    ],
)
def test_canonical_json_refuses_non_json(value: Any, message: str) -> None:
    with pytest.raises(InputError) as info:
        canonical_json(value)
    assert str(info.value) == message


# ---------------------------------------------------------------------------------------------- hashing


def test_hash_is_stable_under_key_order_and_whitespace() -> None:
    compact = '{"b":{"y":[1,2.50,"é"],"x":1E2},"a":null}'
    spaced = '\n {\n  "a" : null ,\n\t"b": { "x": 100.0, "y": [ 1, 2.5, "\\u00e9" ] }\n}\n'
    assert document_hash(compact) == document_hash(spaced) == document_hash(spaced.encode())
    assert document_hash(compact) == keccak(b'{"a":null,"b":{"x":100,"y":[1,2.5,"\xc3\xa9"]}}')
    reordered = dict(reversed(list(sample_json().items())))
    assert document_hash(reordered) == document_hash(sample_json()) == sample_transport_document().hash()


def test_keccak_and_sha256_differ_and_are_32_bytes(document: TransportDocument) -> None:
    k, s = document.hash(), document.hash("sha256")
    assert len(k) == len(s) == 32 and k != s
    assert k == keccak(document.canonical())
    assert s == document_hash(document.to_json(), algorithm="sha256")
    assert document_hash(document) == k


def test_unknown_hash_algorithm() -> None:
    with pytest.raises(InputError, match=r"^unknown hash algorithm 'md5'; use one of keccak256, sha256$"):
        document_hash({"a": 1}, "md5")


@pytest.mark.parametrize(
    "text, message",
    [
        ('{"a": 1, "a": 2}', "document: duplicate key 'a'"),
        ('{"a": NaN}', "document: NaN is not valid JSON"),
        (
            '{"a": 1,}',
            "document: not valid JSON (Expecting property name enclosed in double quotes at line 1 column 9)",
        ),
    ],
)
def test_json_text_is_parsed_strictly(text: str, message: str) -> None:
    with pytest.raises(InputError) as info:
        document_hash(text)
    assert str(info.value) == message


def test_verify(document: TransportDocument) -> None:
    on_chain = document.hash()
    assert verify(document, on_chain)
    assert verify(document.to_json(), "0x" + on_chain.hex())
    assert verify(json.dumps(document.to_json(), indent=4), on_chain)
    assert verify(json.dumps(document.to_json()).encode(), on_chain.hex())
    assert not verify(document.with_changes({"issueDate": "2024-03-17"}), on_chain)
    assert not verify(sample_json(**{"consignmentItems[0].cargoItems[0].cargoGrossWeight.value": 8420.6}), on_chain)
    assert not verify(document, document.hash("sha256"))
    with pytest.raises(InputError, match="on-chain hash must be 32 bytes"):
        verify(document, "0x1234")


# ---------------------------------------------------------------------------------------------- exact round trip


@pytest.mark.parametrize("name", [*sorted(EXAMPLES), "sample"])
def test_documents_round_trip_exactly(name: str) -> None:
    data = sample_json() if name == "sample" else copy.deepcopy(EXAMPLES[name])
    document = TransportDocument.from_json(data)
    assert document.to_json() == data and list(document.to_json()) == list(data)  # key for key, in order
    assert document.hash() == document_hash(data) == keccak(canonical_json(data))
    assert document.hash("sha256") == document_hash(data, "sha256")
    assert document.canonical() == canonical_json(data)
    assert TransportDocument.from_json(json.dumps(data)) == document
    assert TransportDocument.from_json(json.dumps(data, indent=3).encode()) == document
    assert data == (sample_json() if name == "sample" else EXAMPLES[name])  # reading changed nothing


def test_to_json_is_a_fresh_copy_and_the_input_is_not_kept(document: TransportDocument) -> None:
    data = sample_json()
    read = TransportDocument.from_json(data)
    data["consignmentItems"][0]["HSCodes"].append("000000")
    out = read.to_json()
    out["consignmentItems"][0]["HSCodes"].append("000000")
    assert read.to_json()["consignmentItems"][0]["HSCodes"] == ["851712"] and read == document


def test_a_document_is_an_immutable_value(document: TransportDocument) -> None:
    assert document == sample_transport_document() and hash(document) == hash(sample_transport_document())
    assert document != document.with_changes({"issueDate": "2024-03-17"}) and document != document.to_json()
    reordered = dict(reversed(list(sample_json().items())))
    assert TransportDocument.from_json(reordered) == document  # equal by canonical form, whatever the key order
    with pytest.raises(AttributeError, match="immutable"):
        document.reference = "X"  # type: ignore[misc]
    assert copy.deepcopy(document) is document and pickle.loads(pickle.dumps(document)) == document
    assert repr(document) == "<TransportDocument MAEU245601234: BOL, to order, ISSUED>"
    assert TransportDocument.from_json(document) == document


# ---------------------------------------------------------------------------------------------- the sample


def test_the_sample_is_a_clean_dcsa_document(document: TransportDocument) -> None:
    assert TransportDocument.from_json(document.to_json(), strict=True) == document and document.warnings == ()
    assert (document.reference, document.type_code, document.is_to_order, document.status) == (
        "MAEU245601234", "BOL", True, "ISSUED")
    assert document.bill_kind is BillKind.TO_ORDER and document.is_electronic
    assert (document.carrier_code, document.carrier_code_list_provider) == ("BAL", "SMDG")
    assert (document.port_of_loading, document.port_of_discharge) == ("CNSZX", "NLRTM")
    assert (document.issue_date, document.shipped_on_board_date) == ("2024-03-16", "2024-03-15")
    assert document.equipment_references == ("MSKU9070323", "MSKU1234565")
    assert all(iso6346_check_digit(n) == int(n[-1]) for n in document.equipment_references)
    assert document.party("consignee") is None and document.party("endorsee") is None  # to the order of the shipper
    issuing = document.party("issuingParty")
    assert issuing is not None and issuing["partyName"] == "Blue Anchor Line A/S"
    assert issuing["address"]["countryCode"] == "DK"


def test_the_sample_parties_carry_the_devnet_codes(document: TransportDocument) -> None:
    assert document.party_codes("issuingParty") == (
        PartyCode("SMDG", "BAL"), PartyCode("GLEIF", "9845PCCARRIER0000041"))
    assert document.party_codes("shipper") == (PartyCode("GLEIF", "9845PCSHIPPER0000097"),)
    assert document.party_codes("notifyParties") == (PartyCode("GLEIF", "9845PCCONSIGNEE00023"),)
    assert document.party("shipper")["partyName"] == "Shenzhen Bright Electronics Co., Ltd."  # type: ignore[index]
    assert document.party("notifyParties")["partyName"] == "Rotterdam Home Retail B.V."  # type: ignore[index]
    assert document.party_codes("consignee") == document.party_codes("endorsee") == ()
    assert sample_consignee_party()["identifyingCodes"] == [
        {"codeListProvider": "GLEIF", "codeListName": "LEI", "partyCode": "9845PCCONSIGNEE00023"}]


@pytest.mark.parametrize(
    "type_code, kind", [("BOL", BillKind.STRAIGHT), ("SWB", BillKind.SEA_WAYBILL)]
)
def test_sample_variants(type_code: str, kind: BillKind) -> None:
    changes = {"transportDocumentTypeCode": type_code, "isToOrder": False,
               "documentParties.consignee": sample_consignee_party()}
    variant = sample_transport_document(changes)
    assert variant.bill_kind is kind and variant.warnings == ()
    assert variant.party_codes("consignee") == (PartyCode("GLEIF", "9845PCCONSIGNEE00023"),)
    assert variant == sample_transport_document().with_changes(changes)
    assert sample_transport_document(transportDocumentStatus="DRAFT").status == "DRAFT"
    assert sample_transport_document({"issueDate": None}, transportDocumentStatus="DRAFT").issue_date is None


def test_party_codes_take_tax_and_legal_references_and_skip_blank_codes(document: TransportDocument) -> None:
    shipper = {**sample_json()["documentParties"]["shipper"],
               "taxLegalReferences": [{"type": "EORI", "countryCode": "CN", "value": "CN4403000000001"}],
               "identifyingCodes": [{"codeListProvider": "GLEIF", "partyCode": " "},
                                    {"codeListProvider": "ZZZ", "partyCode": "bright"},
                                    {"codeListProvider": "ZZZ", "partyCode": "bright"}]}
    changed = document.with_changes({"documentParties.shipper": shipper})
    assert changed.party_codes("shipper") == (PartyCode("ZZZ", "bright"), PartyCode("CN-EORI", "CN4403000000001"))


def test_party_roles(document: TransportDocument) -> None:
    assert set(PARTY_ROLES) >= {"shipper", "consignee", "endorsee", "issuingParty"}
    two = document.with_changes({"documentParties.notifyParties[1]": {"partyName": "Agent", "addressLines": ["x"]}})
    assert two.party("notifyParties[1]") == {"partyName": "Agent", "addressLines": ["x"]}
    assert two.party("notifyParties[2]") is None and two.party_codes("notifyParties[1]") == ()
    with pytest.raises(InputError, match=r"^unknown party role 'carrier'; use one of shipper, "):
        document.party("carrier")
    changed = document.party("shipper")
    changed["partyName"] = "X"  # type: ignore[index]
    assert document.party("shipper")["partyName"] != "X"  # type: ignore[index]


# ---------------------------------------------------------------------------------------------- published examples


def test_dcsas_examples_load_unchanged_with_their_warnings() -> None:
    expected = {
        "regularSTDExample": [SAMPLE_WARNINGS["notify"], SAMPLE_WARNINGS["shipper"]],
        "reeferExample": [SAMPLE_WARNINGS["notify"], SAMPLE_WARNINGS["shipper"]],
        "dgExample": [SAMPLE_WARNINGS[w] for w in ("check digit", "issue date", "notify", "shipper")],
    }
    for name, warnings in expected.items():
        document = TransportDocument.from_json(EXAMPLES[name])
        assert list(document.warnings) == warnings, name
        assert document.to_json() == EXAMPLES[name]
        rejects(EXAMPLES[name], "; ".join(warnings), strict=True)


def test_dcsas_examples_read() -> None:
    regular = TransportDocument.from_json(EXAMPLES["regularSTDExample"])
    assert (regular.reference, regular.status, regular.carrier_code, regular.bill_kind) == (
        "62CD536BA8D34C469AFD", "DRAFT", "MSC", BillKind.TO_ORDER)
    assert (regular.port_of_loading, regular.port_of_discharge, regular.issue_date) == ("DKAAR", "DEBRV", None)
    assert regular.equipment_references == ("NARU3472484",)
    assert regular.party_codes("issuingParty") == (PartyCode("SMDG", "MSC"), PartyCode("GLEIF", "529900T8BM49AURSDO55"))
    assert regular.party_codes("shipper") == () and regular.party("notifyParties") is None
    dg = TransportDocument.from_json(EXAMPLES["dgExample"])
    assert dg.status == "ISSUED" and dg.equipment_references == ("HLXU1234567",)


def test_a_non_iso_equipment_reference_is_no_warning() -> None:
    data = sample_json(**{"utilizedTransportEquipments[0].equipment.equipmentReference": "BAL-FLAT-7",
                          "consignmentItems[0].cargoItems[0].equipmentReference": "BAL-FLAT-7"})
    assert TransportDocument.from_json(data, strict=True).equipment_references[0] == "BAL-FLAT-7"


# ---------------------------------------------------------------------------------------------- DCSA's schema


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"remarks": "x"}, "transportDocument: Additional properties are not allowed ('remarks' was unexpected)"),
        (
            {"documentParties.shipper.nickname": "x"},
            "transportDocument.documentParties.shipper: Additional properties are not allowed ('nickname' was "
            "unexpected)",
        ),
        (
            {"consignmentItems[1].cargoItems[0].cargoGrossWeight.kilograms": 1},
            "transportDocument.consignmentItems[1].cargoItems[0].cargoGrossWeight: Additional properties are not "
            "allowed ('kilograms' was unexpected)",
        ),
        (
            {"transports.vesselVoyages[0].vesselIMONumber": "9778791"},
            "transportDocument.transports.vesselVoyages[0]: Additional properties are not allowed "
            "('vesselIMONumber' was unexpected)",
        ),
        ({"isToOrder": "true"}, "transportDocument.isToOrder: 'true' is not of type 'boolean'"),
        ({"termsAndConditions": ...}, "transportDocument: 'termsAndConditions' is a required property"),
        ({"transportDocumentTypeCode": "BL"}, "transportDocument.transportDocumentTypeCode: 'BL' is not one of "
                                              "['BOL', 'SWB']"),
        (
            {"transports.portOfLoading.UNLocationCode": "cnszx"},
            "transportDocument.transports.portOfLoading.UNLocationCode: 'cnszx' does not match "
            "'^[A-Z]{2}[A-Z2-9]{3}$'",
        ),
        (
            {"consignmentItems[0].HSCodes": ["8517"]},
            "transportDocument.consignmentItems[0].HSCodes[0]: '8517' does not match '^\\\\d{6,10}$'; "
            "transportDocument.consignmentItems[0].HSCodes[0]: '8517' is too short",
        ),
        ({"issueDate": "2024-02-30"}, "transportDocument.issueDate: '2024-02-30' is not a 'date'"),
        ({"shippedOnBoardDate": "15/03/2024"}, "transportDocument.shippedOnBoardDate: '15/03/2024' is not a 'date'"),
        ({"numberOfRiderPages": 2**31}, "transportDocument.numberOfRiderPages: 2147483648 is not a 'int32'"),
        (
            {"consignmentItems[0].cargoItems[0].outerPackaging.dangerousGoods": [
                {"UNNumber": "3082", "properShippingName": "x", "imoClass": "9", "fumigationDateTime": "2024-03-15"}]},
            "transportDocument.consignmentItems[0].cargoItems[0].outerPackaging.dangerousGoods[0]"
            ".fumigationDateTime: '2024-03-15' is not a 'date-time'",
        ),
    ],
)
def test_dcsas_schema_refuses_by_path(changes: dict[str, Any], message: str) -> None:
    rejects(sample_json(**changes), message)


def test_date_times_with_an_offset_pass() -> None:
    goods = {"UNNumber": "3082", "properShippingName": "x", "imoClass": "9",
             "fumigationDateTime": "2024-03-15T08:30:00Z"}
    data = sample_json(**{"consignmentItems[0].cargoItems[0].outerPackaging.dangerousGoods": [goods]})
    assert TransportDocument.from_json(data).to_json() == data
    goods["fumigationDateTime"] = "2024-03-15T08:30:00.5+08:00"
    assert TransportDocument.from_json(data).to_json() == data


def test_not_a_json_object_or_not_json() -> None:
    rejects([1, 2], "transportDocument: expected a JSON object, got array")
    rejects("[1, 2", "transportDocument: not valid JSON (Expecting ',' delimiter at line 1 column 6)")
    rejects('{"a": 1, "a": 2}', "transportDocument: duplicate key 'a'")
    rejects(sample_json(**{"declaredValue": float("nan")}),
            "transportDocument.declaredValue: nan is not a valid JSON number (NaN and Infinity are refused)")
    first = ("transportDocumentReference", "transportDocumentStatus", "transportDocumentTypeCode",
             "isShippedOnBoardType", "isElectronic", "isToOrder", "invoicePayableAt", "partyContactDetails",
             "documentParties", "consignmentItems")  # of DCSA's 19 required fields
    rejects({}, "; ".join(f"transportDocument: {key!r} is a required property" for key in first) + "; and 9 more")


def test_a_path_names_its_source() -> None:
    with pytest.raises(InputError, match=r"^shipment: Additional properties are not allowed \('x' was unexpected\)$"):
        TransportDocument.from_json(sample_json(x=1), "shipment")


# ---------------------------------------------------------------------------------------------- DCSA's prose rules

PROSE_RULES = [
    pytest.param(
        {"transportDocumentTypeCode": "SWB"},
        "transportDocument.isToOrder: must be false for a sea waybill (transportDocumentTypeCode SWB)",
        id="sea waybill not to order",
    ),
    pytest.param(
        {"isToOrder": False},
        "transportDocument.documentParties.consignee: required when isToOrder is false",
        id="consignee of a straight bill",
    ),
    pytest.param(
        {"isToOrder": False, "documentParties.endorsee": sample_consignee_party()},
        "transportDocument.documentParties.consignee: required when isToOrder is false; "
        "transportDocument.documentParties.endorsee: only allowed when isToOrder is true",
        id="endorsee only to order",
    ),
    pytest.param(
        {"documentParties.consignee": sample_consignee_party(), "documentParties.endorsee": sample_consignee_party()},
        "transportDocument.documentParties.endorsee: not allowed with a consignee (they are mutually exclusive)",
        id="consignee or endorsee",
    ),
    pytest.param(
        {"declaredValue": 184000},
        "transportDocument.declaredValueCurrency: required when declaredValue is given",
        id="declared value needs its currency",
    ),
    pytest.param(
        {"declaredValueCurrency": "USD"},
        "transportDocument.declaredValueCurrency: must be absent when declaredValue is not given",
        id="no currency without a declared value",
    ),
    pytest.param(
        {"utilizedTransportEquipments[0]": {**REEFER, "isNonOperatingReefer": True}},
        "transportDocument.utilizedTransportEquipments[0].activeReeferSettings: only allowed when "
        "isNonOperatingReefer is false",
        id="active reefer settings of a non-operating reefer",
    ),
    pytest.param(
        {"utilizedTransportEquipments[0]": {key: v for key, v in REEFER.items() if key != "isNonOperatingReefer"}},
        "transportDocument.utilizedTransportEquipments[0].activeReeferSettings: only allowed when "
        "isNonOperatingReefer is false",
        id="active reefer settings without isNonOperatingReefer",
    ),
    pytest.param(
        {"utilizedTransportEquipments[1].isNonOperatingReefer": True},
        "transportDocument.utilizedTransportEquipments[1].isNonOperatingReefer: only applicable to a reefer; "
        "ISOEquipmentCode '45G1' is not one",
        id="non-operating reefer is a reefer",
    ),
    pytest.param(
        {"shippedOnBoardDate": ...},
        "transportDocument.shippedOnBoardDate: exactly one of shippedOnBoardDate and receivedForShipmentDate is "
        "required on an issued document (transportDocumentStatus ISSUED); neither is given",
        id="issued needs a date",
    ),
    pytest.param(
        {"isShippedOnBoardType": False, "receivedForShipmentDate": "2024-03-14"},
        "transportDocument.shippedOnBoardDate: exactly one of shippedOnBoardDate and receivedForShipmentDate is "
        "required on an issued document (transportDocumentStatus ISSUED); both are given; "
        "transportDocument.isShippedOnBoardType: must be true when shippedOnBoardDate is given (a shipped-on-board "
        "document)",
        id="issued has one date",
    ),
    pytest.param(
        {"isShippedOnBoardType": False},
        "transportDocument.isShippedOnBoardType: must be true when shippedOnBoardDate is given (a shipped-on-board "
        "document)",
        id="shipped on board type",
    ),
    pytest.param(
        {"shippedOnBoardDate": ..., "receivedForShipmentDate": "2024-03-14"},
        "transportDocument.isShippedOnBoardType: must be false when receivedForShipmentDate is given (a "
        "received-for-shipment document)",
        id="received for shipment type",
    ),
    pytest.param(
        {"transportDocumentTypeCode": "SWB", "isToOrder": False, "documentParties.consignee": sample_consignee_party(),
         "numberOfOriginalsWithCharges": 1},
        "transportDocument.numberOfOriginalsWithCharges: only applicable to a bill of lading "
        "(transportDocumentTypeCode BOL)",
        id="originals of a bill of lading",
    ),
    pytest.param(
        {"numberOfOriginalsWithCharges": 1, "numberOfOriginalsWithoutCharges": 1},
        "transportDocument.numberOfOriginalsWithoutCharges: numberOfOriginalsWithCharges + "
        "numberOfOriginalsWithoutCharges must be at most 1 for an electronic document (isElectronic true)",
        id="one electronic original",
    ),
    pytest.param(
        {"numberOfCopiesWithoutCharges": 2},
        "transportDocument.numberOfCopiesWithoutCharges: not applicable to an electronic bill of lading "
        "(isElectronic true): it has no copies",
        id="no copies of an electronic bill",
    ),
    pytest.param(
        {"numberOfRiderPages": 1},
        "transportDocument.numberOfRiderPages: only applicable to a paper document (isElectronic false)",
        id="rider pages on paper",
    ),
    pytest.param(
        {"transports.preCarriageBy": "TRUCK"},
        "transportDocument.transports.placeOfReceipt: required when preCarriageBy is given",
        id="pre-carriage needs a place of receipt",
    ),
    pytest.param(
        {"transports.onCarriageBy": "RAIL"},
        "transportDocument.transports.placeOfDelivery: required when onCarriageBy is given",
        id="on-carriage needs a place of delivery",
    ),
    pytest.param(
        {"documentParties.issuingParty.address.countryCode": "XX"},
        "transportDocument.documentParties.issuingParty.address.countryCode: 'XX' is not an ISO 3166-1 alpha-2 "
        "country code",
        id="country code",
    ),
    pytest.param(
        {"transports.portOfDischarge.UNLocationCode": "QQRTM"},
        "transportDocument.transports.portOfDischarge.UNLocationCode: 'QQRTM' is not a UN/LOCODE: 'QQ' is not an "
        "ISO 3166-1 country",
        id="UN/LOCODE country",
    ),
    pytest.param(
        {"transports.portOfDischarge.city": {"city": "Rotterdam", "countryCode": "DE"}},
        "transportDocument.transports.portOfDischarge.city.countryCode: 'DE' is not the country of UNLocationCode "
        "'NLRTM'",
        id="one location one country (city)",
    ),
    pytest.param(
        {"documentParties.issuingParty.address.UNLocationCode": "NLRTM"},
        "transportDocument.documentParties.issuingParty.address.countryCode: 'DK' is not the country of "
        "UNLocationCode 'NLRTM'",
        id="one location one country (address)",
    ),
    pytest.param(
        {"transports.placeOfReceipt": {"facility": {"facilityCode": "YICT", "facilityCodeListProvider": "SMDG"}}},
        "transportDocument.transports.placeOfReceipt.facility: needs the location's UNLocationCode (a BIC or SMDG "
        "facility code requires one)",
        id="facility within a UN/LOCODE",
    ),
    pytest.param(
        {"utilizedTransportEquipments[1].equipment.equipmentReference": "MSKU9070323"},
        "transportDocument.utilizedTransportEquipments[1].equipment.equipmentReference: 'MSKU9070323' is listed "
        "twice (also utilizedTransportEquipments[0]); transportDocument.consignmentItems[1].cargoItems[0]"
        ".equipmentReference: 'MSKU1234565' is not one of the utilizedTransportEquipments",
        id="equipment listed once",
    ),
    pytest.param(
        {"consignmentItems[1].cargoItems[0].equipmentReference": "TGHU1234567"},
        "transportDocument.consignmentItems[1].cargoItems[0].equipmentReference: 'TGHU1234567' is not one of the "
        "utilizedTransportEquipments",
        id="cargo in listed equipment",
    ),
    pytest.param(
        {"transportDocumentStatus": "FINAL"},
        "transportDocument.transportDocumentStatus: 'FINAL' is not one of DRAFT, APPROVED, ISSUED, "
        "PENDING_SURRENDER_FOR_AMENDMENT, SURRENDERED_FOR_AMENDMENT, PENDING_SURRENDER_FOR_DELIVERY, "
        "SURRENDERED_FOR_DELIVERY, VOIDED",
        id="listed codes: status",
    ),
    pytest.param(
        {"cargoMovementTypeAtOrigin": "BBK"},
        "transportDocument.cargoMovementTypeAtOrigin: 'BBK' is not one of FCL, LCL",
        id="listed codes: cargo movement",
    ),
    pytest.param(
        {"documentParties.shipper.eblPlatform": "PCHN"},
        "transportDocument.documentParties.shipper.eblPlatform: 'PCHN' is not one of WAVE, CARX, ESSD, IDT, BOLE, "
        "EDOX, IQAX, SECR, TRGO, ETEU, TRAC, BRIT, COVA, ETIT, KTNE, CRED, BLOC, DOCU, AEOT, SGTD",
        id="listed codes: eBL platform",
    ),
    pytest.param(
        {"documentParties.notifyParties[0].identifyingCodes[0].codeListProvider": "EU"},
        "transportDocument.documentParties.notifyParties[0].identifyingCodes[0].codeListProvider: 'EU' is not one "
        "of WAVE, CARX, ESSD, IDT, BOLE, EDOX, IQAX, SECR, TRGO, ETEU, TRAC, BRIT, COVA, ETIT, KTNE, CRED, BLOC, "
        "DOCU, AEOT, SGTD, GSBN, WISE, GLEIF, W3C, DNB, FMC, DCSA, ZZZ",
        id="listed codes: code list provider",
    ),
    pytest.param(
        {"documentParties.other": [{"party": {"partyName": "Pearl River Forwarding Ltd.", "addressLines": ["SZ"]},
                                    "partyFunction": "FWD"}]},
        "transportDocument.documentParties.other[0].partyFunction: 'FWD' is not one of SCO, DDR, DDS, COW, COX",
        id="listed codes: party function",
    ),
    pytest.param(
        {"transports.vesselVoyages[0].role": "FEEDER"},
        "transportDocument.transports.vesselVoyages[0].role: 'FEEDER' is not one of FIRST_SEA_GOING, MOTHER",
        id="listed codes: vessel role",
    ),
]


@pytest.mark.parametrize("changes, message", PROSE_RULES)
def test_each_prose_rule_is_refused_by_path(changes: dict[str, Any], message: str) -> None:
    rejects(sample_json(**changes), message)


@pytest.mark.parametrize(
    "settings, message",
    [
        ({"temperatureSetpoint": 5}, "temperatureUnit: required when temperatureSetpoint is given"),
        ({"temperatureUnit": "CEL"}, "temperatureUnit: must be absent when temperatureSetpoint is not given"),
        ({"airExchangeSetpoint": 15}, "airExchangeUnit: required when airExchangeSetpoint is given"),
        ({"airExchangeUnit": "MQH"}, "airExchangeUnit: must be absent when airExchangeSetpoint is not given"),
    ],
)
def test_reefer_units_go_with_their_values(settings: dict[str, Any], message: str) -> None:
    rejects(reefer(**settings), f"transportDocument.utilizedTransportEquipments[0].activeReeferSettings.{message}")


def test_what_the_rules_allow() -> None:
    allowed = [
        reefer(temperatureSetpoint=-18, temperatureUnit="CEL", airExchangeSetpoint=15, airExchangeUnit="MQH"),
        straight(),
        straight(transportDocumentTypeCode="SWB"),
        sample_json(**{"documentParties.endorsee": sample_consignee_party()}),
        sample_json(declaredValue=184000, declaredValueCurrency="USD"),
        sample_json(transportDocumentStatus="DRAFT", shippedOnBoardDate=...),
        sample_json(isElectronic=False, numberOfOriginalsWithCharges=3, numberOfCopiesWithoutCharges=2,
                    numberOfRiderPages=1),
        sample_json(numberOfOriginalsWithCharges=0, numberOfOriginalsWithoutCharges=1),
        straight(transportDocumentTypeCode="SWB", numberOfOriginalsWithCharges=0, numberOfCopiesWithCharges=1),
        sample_json(**{"transports.preCarriageBy": "TRUCK", "transports.placeOfReceipt": {
            "UNLocationCode": "CNSZX", "facility": {"facilityCode": "YICT", "facilityCodeListProvider": "SMDG"},
            "address": {"street": "Yantian Road", "city": "Shenzhen", "countryCode": "CN"}}}),
        sample_json(**{"transports.portOfDischarge": {"UNLocationCode": "NLRTM", "city": {
            "city": "Rotterdam", "countryCode": "NL"}}}),
        sample_json(**{"transports.portOfDischarge": {"city": {"city": "Rotterdam", "countryCode": "NL"}}}),
        sample_json(**{"transports.portOfLoading.UNLocationCode": "XZAAA"}),  # UN/LOCODE's international waters
        sample_json(**{"utilizedTransportEquipments[1].isNonOperatingReefer": True,
                       "utilizedTransportEquipments[1].equipment.ISOEquipmentCode": "45RE"}),
    ]
    for data in allowed:
        assert TransportDocument.from_json(data).to_json() == data


def test_a_long_list_of_problems_is_cut_short() -> None:
    codes = [{"codeListProvider": "EU", "partyCode": f"NL{i}"} for i in range(12)]
    data = sample_json(**{"documentParties.notifyParties[0].identifyingCodes": codes})
    with pytest.raises(InputError) as info:
        TransportDocument.from_json(data)
    assert str(info.value).count("is not one of") == 10 and str(info.value).endswith("; and 2 more")


# ---------------------------------------------------------------------------------------------- warnings, strict

ADVICE = [
    pytest.param(
        {"utilizedTransportEquipments[1].equipment.equipmentReference": "MSKU1234567",
         "consignmentItems[1].cargoItems[0].equipmentReference": "MSKU1234567"},
        "transportDocument.utilizedTransportEquipments[1].equipment.equipmentReference: 'MSKU1234567' has a wrong "
        "ISO 6346 check digit (expected 5)",
        id="ISO 6346 check digit",
    ),
    pytest.param(
        {"issueDate": ...},
        "transportDocument.issueDate: should be given on an issued document (transportDocumentStatus ISSUED)",
        id="issue date of an issued document",
    ),
    pytest.param(
        {"documentParties.notifyParties": ...},
        SAMPLE_WARNINGS["notify"],
        id="notify party of a to-order document",
    ),
    pytest.param(
        {"documentParties.shipper": {"partyName": "Shenzhen Bright Electronics Co., Ltd.",
                                     "displayedAddress": ["Keji South 12th Road 18", "518057 Shenzhen"]}},
        SAMPLE_WARNINGS["shipper"],
        id="party address or code",
    ),
    pytest.param(
        {"isElectronic": False, "documentParties.shipper.displayedAddress": ["Shenzhen Bright Electronics",
                                                                             "Keji South 12th Road 18", "Shenzhen"]},
        "transportDocument.documentParties.shipper.displayedAddress: has 3 lines; a paper document (isElectronic "
        "false) allows 2",
        id="displayed address on paper",
    ),
    pytest.param(
        {"consignmentItems[0].cargoItems[0].cargoGrossWeight.value": 8420.5001},
        "transportDocument.consignmentItems[0].cargoItems[0].cargoGrossWeight.value: 8420.5001 has more than 3 "
        "decimals",
        id="measure decimals",
    ),
    pytest.param(
        {"transports.preCarriageBy": "HORSE", "transports.placeOfReceipt": {"UNLocationCode": "CNSZX"}},
        "transportDocument.transports.preCarriageBy: 'HORSE' is not one of VESSEL, RAIL, TRUCK, BARGE, MULTIMODAL",
        id="open code list",
    ),
    pytest.param(
        {"contractQuotationReference": "BAL-Q-2024-11"},
        "transportDocument.contractQuotationReference: is deprecated: use extendedContractQuotationReference",
        id="deprecated field",
    ),
    pytest.param(
        {"documentParties.shipper.eblPlatform": "ESSD"},
        "transportDocument.documentParties.shipper.eblPlatform: 'ESSD' is deprecated: use 'IDT'",
        id="deprecated code",
    ),
]


@pytest.mark.parametrize("changes, warning", ADVICE)
def test_each_piece_of_advice_is_a_warning_that_strict_refuses(changes: dict[str, Any], warning: str) -> None:
    data = sample_json(**changes)
    document = TransportDocument.from_json(data)
    assert document.warnings == (warning,) and document.to_json() == data
    rejects(data, warning, strict=True)
    assert sample_transport_document().with_changes({}, strict=True).warnings == ()
    as_changes = {path: None if value is ... else value for path, value in changes.items()}
    assert sample_transport_document(as_changes).warnings == (warning,)
    with pytest.raises(InputError) as info:
        sample_transport_document().with_changes(as_changes, strict=True)
    assert str(info.value) == warning


# ---------------------------------------------------------------------------------------------- with_changes


def test_with_changes(document: TransportDocument) -> None:
    changed = document.with_changes({
        "transportDocumentReference": "MAEU245601299",
        "transports.placeOfReceipt.UNLocationCode": "CNSZX",  # the missing placeOfReceipt object is created
        "consignmentItems[0].HSCodes[1]": "851713",  # appended
        "utilizedTransportEquipments[0].seals[0].source": None,  # removed
        "issueDate": None,
    })
    data = changed.to_json()
    assert changed.reference == "MAEU245601299" and data["transports"]["placeOfReceipt"] == {"UNLocationCode": "CNSZX"}
    assert data["consignmentItems"][0]["HSCodes"] == ["851712", "851713"] and "issueDate" not in data
    assert data["utilizedTransportEquipments"][0]["seals"] == [{"number": "BA-CN7714352"}]
    assert document == sample_transport_document()  # unchanged
    assert document.with_changes({"consignmentItems[0].HSCodes[1]": "851713"}).with_changes(
        {"consignmentItems[0].HSCodes[1]": None}) == document  # an array item removed
    value = {"partyName": "Agent", "addressLines": ["x"]}
    added = document.with_changes({"documentParties.notifyParties[1]": value})
    value["partyName"] = "changed later"
    assert added.party("notifyParties[1]") == {"partyName": "Agent", "addressLines": ["x"]}


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"portOfLoading": "CNSZX"},
         "transportDocument: Additional properties are not allowed ('portOfLoading' was unexpected)"),
        ({"isToOrder": None}, "transportDocument: 'isToOrder' is a required property"),
        ({"documentParties.consignee.partyName": "X"},
         "transportDocument.documentParties.consignee: 'identifyingCodes' is a required property"),
        ({"a..b": 1}, "change 'a..b': not a field path such as 'isToOrder', 'documentParties.consignee' or "
                      "'consignmentItems[0].HSCodes'"),
        ({"consignmentItems[5].HSCodes": []}, "change 'consignmentItems[5].HSCodes': the document has no 5 there"),
        ({"isToOrder.x": 1}, "change 'isToOrder.x': the document has no 'x' there"),
        ({"consignmentItems.x": 1}, "change 'consignmentItems.x': the document has no 'x' there"),
    ],
)
def test_with_changes_validates_again(document: TransportDocument, changes: dict[str, Any], message: str) -> None:
    with pytest.raises(InputError) as info:
        document.with_changes(changes)
    assert str(info.value) == message


# ---------------------------------------------------------------------------------------------- files


def test_dump_and_load(document: TransportDocument, tmp_path: Path) -> None:
    path = document.dump(tmp_path / "bl.json")
    assert TransportDocument.load(path) == document
    assert json.loads(path.read_text(encoding="utf-8")) == document.to_json()
    assert path.read_text(encoding="utf-8").startswith('{\n  "transportDocumentReference": "MAEU245601234",')
    dg = TransportDocument.from_json(EXAMPLES["dgExample"]).dump(tmp_path / "dg.json")
    assert TransportDocument.load(dg).to_json() == EXAMPLES["dgExample"]
    with pytest.raises(InputError, match=r"^dg\.json: transportDocument\.utilizedTransportEquipments\[0\]"):
        TransportDocument.load(dg, strict=True)


def test_load_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(sample_json(isToOrder=False)), encoding="utf-8")
    with pytest.raises(InputError) as info:
        TransportDocument.load(path)
    assert str(info.value) == "bad.json: transportDocument.documentParties.consignee: required when isToOrder is false"
    path.write_text('{"transportDocumentReference": "X1",}', encoding="utf-8")
    with pytest.raises(InputError, match=r"^bad\.json: transportDocument: not valid JSON"):
        TransportDocument.load(path)


def test_check_digits() -> None:
    assert [iso6346_check_digit(n) for n in ("MSKU9070323", "MSKU1234565", "CSQU3054383", "HLXU1234567")] == [
        3, 5, 3, 1]


# ---------------------------------------------------------------------------------------------- document store


def test_store_put_get(store: DocumentStore, document: TransportDocument) -> None:
    h = store.put(document)
    assert h == document.hash()
    assert store.path_of(h) == store.root / f"{h.hex()}.json"
    assert store.path_of(h).read_bytes() == document.canonical()
    assert store.get(h) == document.to_json() == store.get("0x" + h.hex())
    assert TransportDocument.from_json(store.get(h)) == document
    assert h in store and "0x" + h.hex() in store
    assert document_hash({"other": 1}) not in store


def test_store_is_idempotent_and_content_addressed(store: DocumentStore, document: TransportDocument) -> None:
    h = store.put(document)
    mtime = store.path_of(h).stat().st_mtime_ns
    assert store.put(document.to_json()) == h
    assert store.put(json.dumps(document.to_json(), indent=2)) == h
    assert store.path_of(h).stat().st_mtime_ns == mtime
    assert sorted(p.name for p in store.root.iterdir()) == [f"{h.hex()}.json"]  # no temp files left behind
    other = store.put({"kind": "invoice", "amount": 12.5})
    assert other != h and len(list(store.root.iterdir())) == 2


def test_store_detects_tampering(store: DocumentStore, document: TransportDocument) -> None:
    h = store.put(document)
    path = store.path_of(h)
    path.write_bytes(path.read_bytes().replace(b"8420.5", b"8420.6"))
    with pytest.raises(DocumentIntegrityError, match=r"content does not match its hash 0x[0-9a-f]{64} \(tampered\?\)"):
        store.get(h)
    assert store.put(document) == h  # putting the genuine document back repairs it
    assert store.get(h) == document.to_json()


def test_store_missing_and_bad_hashes(store: DocumentStore) -> None:
    missing = "0x" + "ab" * 32
    with pytest.raises(DocumentNotFoundError) as info:
        store.get(missing)
    assert str(info.value) == f"no document {missing} in {store.root}"
    assert isinstance(info.value, KeyError) and isinstance(info.value, PortchainError)
    assert missing not in store
    with pytest.raises(InputError, match="document hash must be 32 bytes"):
        store.get(b"\x01" * 31)
    with pytest.raises(InputError, match="expected a JSON object, got array"):
        store.put([1, 2, 3])


def test_sample_is_deep_copy_safe() -> None:
    data = sample_json()
    before = copy.deepcopy(data)
    TransportDocument.from_json(data)
    assert data == before


def test_an_object_made_only_of_alternatives_is_closed_too() -> None:
    from portchain.documents.dcsa_ebl import published_examples

    published = published_examples()["regularSTDExample"]
    with pytest.raises(InputError, match=r"transportDocument\.invoicePayableAt: Additional properties are not allowed"):
        TransportDocument.from_json({**published, "invoicePayableAt": {"UNLocationCode": "DKAAR", "zzz": 1}})


def test_a_document_cannot_be_changed_through_its_pickled_state() -> None:
    import pickle

    document = sample_transport_document()
    _, (state,) = document.__reduce__()
    state["isToOrder"] = False
    assert document.bill_kind is BillKind.TO_ORDER and document.hash() == document_hash(document.to_json())
    assert pickle.loads(pickle.dumps(document)) == document
