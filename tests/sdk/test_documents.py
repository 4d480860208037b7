"""Off-chain documents: canonical JSON (RFC 8785), hashes, DCSA transport document validation, the local store."""

from __future__ import annotations

import copy
import dataclasses
import json
import re
from pathlib import Path
from typing import Any

import pytest
from eth_utils import keccak

from portchain.documents import (
    Address,
    DocumentIntegrityError,
    DocumentNotFoundError,
    DocumentStore,
    Party,
    TransportDocument,
    canonical_json,
    document_hash,
    imo_check_digit,
    iso6346_check_digit,
    sample_transport_document,
    verify,
)
from portchain.errors import InputError, PortchainError
from portchain.types import BillKind

# ---------------------------------------------------------------------------------------------- fixture builders


def sample_json(**changes: Any) -> dict[str, Any]:
    """The sample document as DCSA JSON, with ``changes`` applied by path: ``{"vessel.vesselIMONumber": "1"}``
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


def rejects(data: Any, message: str) -> None:
    """``TransportDocument.from_json(data)`` raises InputError with exactly ``message``."""
    with pytest.raises(InputError) as info:
        TransportDocument.from_json(data)
    assert str(info.value) == message


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
    assert not verify(dataclasses.replace(document, issue_date="2024-03-17"), on_chain)
    assert not verify(sample_json(**{"consignmentItems[0].cargoItems[0].cargoGrossWeight.value": 8420.6}), on_chain)
    assert not verify(document, document.hash("sha256"))
    with pytest.raises(InputError, match="on-chain hash must be 32 bytes"):
        verify(document, "0x1234")


# ---------------------------------------------------------------------------------------------- transport document


def test_sample_document(document: TransportDocument) -> None:
    assert (document.port_of_loading, document.port_of_discharge) == ("CNSZX", "NLRTM")
    assert document.is_to_order and document.consignee is None and document.bill_kind is BillKind.TO_ORDER
    assert [e.equipment_reference for e in document.utilized_transport_equipments] == ["MSKU9070323", "MSKU1234565"]
    assert [hs for item in document.consignment_items for hs in item.hs_codes] == ["851712", "847130"]
    assert document.vessel.vessel_imo_number == "9778791" and imo_check_digit("9778791") == 1
    assert all(iso6346_check_digit(e.equipment_reference) == int(e.equipment_reference[-1])
               for e in document.utilized_transport_equipments)
    assert isinstance(document.notify_parties, tuple) and isinstance(document.shipper.address, Address)
    hash(document)  # frozen all the way down: hashable


def test_json_round_trip(document: TransportDocument, tmp_path: Path) -> None:
    data = document.to_json()
    assert TransportDocument.from_json(data) == document
    assert TransportDocument.from_json(data).to_json() == data
    assert TransportDocument.from_json(json.dumps(data)) == document
    assert TransportDocument.from_json(json.dumps(data).encode()) == document
    path = document.dump(tmp_path / "bl.json")
    assert TransportDocument.load(path) == document
    assert json.loads(path.read_text(encoding="utf-8")) == data
    assert data["shipper"]["address"]["countryCode"] == "CN" and "consignee" not in data
    assert data["consignmentItems"][0]["HSCodes"] == ["851712"]


def test_to_json_is_a_fresh_copy(document: TransportDocument) -> None:
    data = document.to_json()
    data["consignmentItems"][0]["HSCodes"].append("000000")
    assert document.to_json()["consignmentItems"][0]["HSCodes"] == ["851712"]


def test_optional_fields_and_straight_bill_round_trip(document: TransportDocument) -> None:
    consignee = Party(party_name="Holland Gadget Distribution B.V.", address="Waalhaven Z.Z. 21, Rotterdam, NL")
    straight = dataclasses.replace(
        document,
        is_to_order=False,
        consignee=consignee,
        notify_parties=(),
        place_of_receipt="CNSZX",
        place_of_delivery="NLRTM",
        shipped_on_board_date=None,
    )
    data = straight.to_json()
    assert data["consignee"] == {"partyName": consignee.party_name, "address": consignee.address}
    assert "notifyParties" not in data and "shippedOnBoardDate" not in data
    assert TransportDocument.from_json(data) == straight and straight.bill_kind is BillKind.STRAIGHT
    swb = dataclasses.replace(straight, transport_document_type_code="SWB")
    assert swb.bill_kind is BillKind.SEA_WAYBILL and swb.hash() != straight.hash()


def test_python_construction_is_validated_and_normalised(document: TransportDocument) -> None:
    import datetime

    other = sample_transport_document(
        issue_date=datetime.date(2024, 3, 16),
        notify_parties=[{"partyName": "Agent", "identifyingCodes": [{"codeListProvider": "EU", "partyCode": "X1"}]}],
    )
    assert other.issue_date == "2024-03-16"
    assert isinstance(other.notify_parties, tuple) and isinstance(other.notify_parties[0], Party)
    assert other.notify_parties[0].identifying_codes[0].party_code == "X1"
    with pytest.raises(InputError, match=r"^transportDocument\.portOfDischarge: 'ROTTERDAM' is not a UN/LOCODE$"):
        dataclasses.replace(document, port_of_discharge="ROTTERDAM")
    with pytest.raises(InputError, match=r"^unknown TransportDocument field\(s\) port; fields are carrier, "):
        sample_transport_document(port="NLRTM")


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"portOfLoading": "NLRT"}, "transportDocument.portOfLoading: 'NLRT' is not a UN/LOCODE"),
        ({"portOfDischarge": "NLRT1"}, "transportDocument.portOfDischarge: 'NLRT1' is not a UN/LOCODE"),
        ({"placeOfDelivery": 12345}, "transportDocument.placeOfDelivery: 12345 is not a UN/LOCODE"),
        (
            {"portOfLoading": "cnszx"},
            "transportDocument.portOfLoading: 'cnszx' is not a UN/LOCODE (write it as 'CNSZX')",
        ),
        (
            {"consignmentItems[0].HSCodes": ["851712", "8517"]},
            "transportDocument.consignmentItems[0].HSCodes[1]: '8517' is not an HS code (6 to 10 digits)",
        ),
        (
            {"consignmentItems[1].HSCodes[0]": 847130},
            "transportDocument.consignmentItems[1].HSCodes[0]: expected a string, got number 847130",
        ),
        (
            {"consignmentItems[0].HSCodes": []},
            "transportDocument.consignmentItems[0].HSCodes: must not be empty",
        ),
        (
            {"utilizedTransportEquipments[0].equipmentReference": "MSKU9070324"},
            "transportDocument.utilizedTransportEquipments[0].equipmentReference: "
            "'MSKU9070324' has a wrong ISO 6346 check digit (expected 3)",
        ),
        (
            {"utilizedTransportEquipments[1].equipmentReference": "MSK1234565"},
            "transportDocument.utilizedTransportEquipments[1].equipmentReference: "
            "'MSK1234565' is not an ISO 6346 container number (4 letters + 7 digits, e.g. MSKU9070323)",
        ),
        (
            {"utilizedTransportEquipments[1].equipmentReference": "MSKX1234565"},
            "transportDocument.utilizedTransportEquipments[1].equipmentReference: "
            "'MSKX1234565' is not an ISO 6346 container number (4th letter must be U, J or Z)",
        ),
        (
            {"utilizedTransportEquipments[1].equipmentReference": "MSKU9070323"},
            "transportDocument.utilizedTransportEquipments[1].equipmentReference: 'MSKU9070323' is listed twice",
        ),
        (
            {"consignmentItems[1].cargoItems[0].equipmentReference": "TGHU1234567"},
            "transportDocument.consignmentItems[1].cargoItems[0].equipmentReference: "
            "'TGHU1234567' is not in utilizedTransportEquipments",
        ),
        (
            {"vessel.vesselIMONumber": "9778792"},
            "transportDocument.vessel.vesselIMONumber: '9778792' has a wrong IMO check digit (expected 1)",
        ),
        (
            {"vessel.vesselIMONumber": 9778791},
            "transportDocument.vessel.vesselIMONumber: 9778791 is not an IMO number (7 digits)",
        ),
        (
            {"transportDocumentTypeCode": "SWB"},
            "transportDocument.isToOrder: a sea waybill (SWB) cannot be to order",
        ),
        (
            {"transportDocumentTypeCode": "BL"},
            "transportDocument.transportDocumentTypeCode: 'BL' is not one of 'BOL' (bill of lading), "
            "'SWB' (sea waybill)",
        ),
        ({"isToOrder": False}, "transportDocument.consignee: required unless isToOrder is true"),
        ({"isToOrder": "true"}, "transportDocument.isToOrder: expected true or false, got 'true'"),
        ({"shipper": ...}, "transportDocument: missing required field 'shipper'"),
        (
            {"portOfLoading": ..., "issueDate": None},
            "transportDocument: missing required fields 'portOfLoading', 'issueDate'",
        ),
        ({"shipper.partyName": ...}, "transportDocument.shipper: missing required field 'partyName'"),
        (
            {"portOfLoding": "CNSZX", "portOfLoading": ...},
            "transportDocument: unknown field 'portOfLoding' (did you mean 'portOfLoading'?)",
        ),
        ({"remarks": "x", "Foo": 1}, "transportDocument: unknown fields 'remarks', 'Foo'"),
        (
            {"carrier.carrierCode": "MAEU"},
            "transportDocument.carrier.carrierCode: 'MAEU' is not an SMDG liner code (3 letters or digits)",
        ),
        (
            {"carrier.carrierCode": "M4EU", "carrier.carrierCodeListProvider": "NMFTA"},
            "transportDocument.carrier.carrierCode: 'M4EU' is not an NMFTA SCAC (2-4 letters)",
        ),
        (
            {"notifyParties[0].address.countryCode": "NLD"},
            "transportDocument.notifyParties[0].address.countryCode: 'NLD' is not an ISO 3166-1 alpha-2 country code",
        ),
        ({"issueDate": "2024-02-30"}, "transportDocument.issueDate: '2024-02-30' is not an ISO date (YYYY-MM-DD)"),
        ({"issueDate": "16/03/2024"}, "transportDocument.issueDate: '16/03/2024' is not an ISO date (YYYY-MM-DD)"),
        (
            {"shippedOnBoardDate": "2024-3-15"},
            "transportDocument.shippedOnBoardDate: '2024-3-15' is not an ISO date (YYYY-MM-DD)",
        ),
        (
            {"transportDocumentReference": "MAEU2456012340000000X"},
            "transportDocument.transportDocumentReference: 'MAEU2456012340000000X' is longer than 20 characters",
        ),
        ({"transportDocumentReference": ""}, "transportDocument.transportDocumentReference: must not be empty"),
        (
            {"consignmentItems[0].cargoItems[0].cargoGrossWeight.value": -1},
            "transportDocument.consignmentItems[0].cargoItems[0].cargoGrossWeight.value: "
            "expected a positive number, got -1",
        ),
        (
            {"consignmentItems[0].cargoItems[0].cargoGrossWeight.unit": "MTQ"},
            "transportDocument.consignmentItems[0].cargoItems[0].cargoGrossWeight.unit: "
            "'MTQ' is not one of 'KGM' (kilograms), 'LBR' (pounds)",
        ),
        (
            {"utilizedTransportEquipments[0].seals": []},
            "transportDocument.utilizedTransportEquipments[0].seals: must not be empty",
        ),
        (
            {"freightPaymentTermCode": "PPD"},
            "transportDocument.freightPaymentTermCode: 'PPD' is not one of 'PRE' (prepaid), 'COL' (collect)",
        ),
        ({"consignmentItems": {}}, "transportDocument.consignmentItems: expected a JSON array, got object"),
        ({"vessel": "MADRID MAERSK"}, "transportDocument.vessel: expected a JSON object, got string"),
    ],
)
def test_validation_errors(changes: dict[str, Any], message: str) -> None:
    rejects(sample_json(**changes), message)


def test_top_level_must_be_an_object() -> None:
    rejects([1, 2], "transportDocument: expected a JSON object, got array")
    rejects("[1, 2", "transportDocument: not valid JSON (Expecting ',' delimiter at line 1 column 6)")


def test_load_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(sample_json(portOfLoading="XX")), encoding="utf-8")
    with pytest.raises(InputError, match=r"^bad\.json: transportDocument\.portOfLoading: 'XX' is not a UN/LOCODE$"):
        TransportDocument.load(path)


def test_sea_waybill_needs_a_consignee() -> None:
    data = sample_json(transportDocumentTypeCode="SWB", isToOrder=False)
    rejects(data, "transportDocument.consignee: required unless isToOrder is true")
    data["consignee"] = {"partyName": "Holland Gadget Distribution B.V."}
    assert TransportDocument.from_json(data).bill_kind is BillKind.SEA_WAYBILL


def test_check_digits() -> None:
    assert [iso6346_check_digit(n) for n in ("MSKU9070323", "MSKU1234565", "CSQU3054383")] == [3, 5, 3]
    assert [imo_check_digit(n) for n in ("9778791", "9074729")] == [1, 9]


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
