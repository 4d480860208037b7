"""DCSA's eBL 3.0.4 specification as shipped: its published transport documents validate unchanged, each kind of
departure from its schema is refused with the field path, and the rules DCSA states in prose are read from it and
checked (see tests/sdk/test_documents.py for each rule through TransportDocument)."""

from __future__ import annotations

import copy
from importlib import resources
from typing import Any

import pytest

from portchain.documents.dcsa_ebl import (
    ADVICE,
    COUNTRIES,
    ISSUED_STATUSES,
    RULES,
    SPEC_FILE,
    SPEC_FOLDER,
    SPEC_VERSION,
    bill_kind_of,
    check,
    find,
    listed_codes,
    published_examples,
    schema_problems,
    specification,
    validate_transport_document,
)
from portchain.errors import InputError
from portchain.types import BillKind

EXAMPLES = published_examples()


def test_the_specification_ships_unchanged_with_its_licence_and_source() -> None:
    folder = resources.files("portchain.documents").joinpath(SPEC_FOLDER)
    assert specification()["info"]["version"] == SPEC_VERSION == "3.0.4"
    assert specification()["openapi"] == "3.0.3"
    assert "Apache License" in folder.joinpath("LICENSE").read_text(encoding="utf-8")
    source = folder.joinpath("SOURCE.md").read_text(encoding="utf-8")
    assert "dcsaorg/DCSA-OpenAPI" in source and f"ebl/v3/{SPEC_FILE}" in source
    assert len(folder.joinpath(SPEC_FILE).read_bytes()) == 526_187  # the file as DCSA published it


@pytest.mark.parametrize("name", ["regularSTDExample", "reeferExample", "dgExample"])
def test_each_published_example_conforms(name: str) -> None:
    document = EXAMPLES[name]
    assert schema_problems(document) == []
    assert validate_transport_document(document) == document


def _changed(path: tuple[Any, ...], value: Any, *, delete: bool = False) -> dict[str, Any]:
    document = copy.deepcopy(EXAMPLES["regularSTDExample"])
    node: Any = document
    for key in path[:-1]:
        node = node[key]
    if delete:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return document


@pytest.mark.parametrize(
    "path, value, problem",
    [
        (("invented",), 1, "transportDocument: Additional properties are not allowed ('invented' was unexpected)"),
        (("documentParties", "shipper", "nickname"), "x",
         "transportDocument.documentParties.shipper: Additional properties are not allowed ('nickname' was "
         "unexpected)"),
        (("transportDocumentTypeCode",), "XYZ", "transportDocument.transportDocumentTypeCode: 'XYZ' is not one of"),
        (("isToOrder",), "yes", "transportDocument.isToOrder: 'yes' is not of type 'boolean'"),
        (("transportDocumentReference",), "R" * 21, "transportDocument.transportDocumentReference: 'RRRR"),
        (("utilizedTransportEquipments", 0, "equipment", "equipmentReference"), " padded",
         "transportDocument.utilizedTransportEquipments[0].equipment.equipmentReference: ' padded' does not match"),
    ],
)
def test_a_departure_is_refused_with_its_path(path: tuple[Any, ...], value: Any, problem: str) -> None:
    problems = schema_problems(_changed(path, value))
    assert len(problems) == 1 and problems[0].startswith(problem), problems
    with pytest.raises(InputError, match="^transportDocument"):
        validate_transport_document(_changed(path, value))


def test_a_missing_required_field_is_named() -> None:
    problems = schema_problems(_changed(("termsAndConditions",), None, delete=True))
    assert problems == ["transportDocument: 'termsAndConditions' is a required property"]


@pytest.mark.parametrize(
    "code, to_order, kind",
    [("BOL", True, BillKind.TO_ORDER), ("BOL", False, BillKind.STRAIGHT), ("SWB", False, BillKind.SEA_WAYBILL)],
)
def test_the_bill_kind_follows_the_document(code: str, to_order: bool, kind: BillKind) -> None:
    document = _changed(("transportDocumentTypeCode",), code)
    document["isToOrder"] = to_order
    assert schema_problems(document) == []
    assert bill_kind_of(document) is kind


def test_a_sea_waybill_to_order_is_refused_by_its_field() -> None:
    document = _changed(("transportDocumentTypeCode",), "SWB")  # isToOrder stays true, as in the example
    with pytest.raises(InputError, match=r"^transportDocument\.isToOrder: must be false for a sea waybill"):
        bill_kind_of(document)
    assert [bill_kind_of(example) for example in EXAMPLES.values()] == [BillKind.TO_ORDER] * 3


# ---------------------------------------------------------------------------------------------- prose rules


def test_dcsas_examples_break_no_prose_rule_and_only_advice() -> None:
    for name, example in EXAMPLES.items():
        checked = check(example)
        assert checked.problems == (), name
        assert all(w.startswith("transportDocument.") for w in checked.warnings)
    assert [len(check(example).warnings) for example in EXAMPLES.values()] == [2, 2, 4]


def test_a_schema_problem_comes_before_the_prose_rules() -> None:
    broken = {**_changed(("transportDocumentTypeCode",), "SWB"), "isElectronic": "yes"}  # SWB to order, too
    assert check(broken).problems == ("transportDocument.isElectronic: 'yes' is not of type 'boolean'",)
    assert check(broken).warnings == ()
    assert schema_problems({**EXAMPLES["dgExample"], "isToOrder": 1}, "bl.json: transportDocument") == [
        "bl.json: transportDocument.isToOrder: 1 is not of type 'boolean'"]


def test_validate_refuses_a_prose_rule_by_its_path() -> None:
    with pytest.raises(InputError) as info:
        validate_transport_document(_changed(("isToOrder",), False))
    assert str(info.value) == "transportDocument.documentParties.consignee: required when isToOrder is false"


def test_the_codes_dcsa_lists_are_read_from_its_prose() -> None:
    statuses = listed_codes("TransportDocument", "transportDocumentStatus")
    assert statuses == ("DRAFT", "APPROVED", "ISSUED", "PENDING_SURRENDER_FOR_AMENDMENT", "SURRENDERED_FOR_AMENDMENT",
                        "PENDING_SURRENDER_FOR_DELIVERY", "SURRENDERED_FOR_DELIVERY", "VOIDED")
    assert set(statuses) - {"DRAFT", "APPROVED"} == ISSUED_STATUSES
    providers = listed_codes("IdentifyingCode", "codeListProvider")
    assert len(providers) == 28 and {"GLEIF", "DNB", "W3C", "ZZZ", "DCSA"} <= set(providers)
    assert listed_codes("Shipper", "eblPlatform") == listed_codes("Consignee", "eblPlatform") == listed_codes(
        "Endorsee", "eblPlatform")
    assert listed_codes("OtherDocumentParty", "partyFunction") == ("SCO", "DDR", "DDS", "COW", "COX")


def test_each_rule_quotes_dcsa() -> None:
    for rule in (*RULES, *ADVICE):
        assert rule.__doc__ and '"' in rule.__doc__, rule.__name__


def test_countries_are_iso_3166() -> None:
    assert len(COUNTRIES) == 249 and {"CN", "NL", "DK", "CH", "DE"} <= COUNTRIES
    assert not {"UK", "EU", "XZ", "XK"} & COUNTRIES


def test_find() -> None:
    document = EXAMPLES["dgExample"]
    assert find(document, "utilizedTransportEquipments[].equipment.equipmentReference") == [
        (("utilizedTransportEquipments", 0, "equipment", "equipmentReference"), "HLXU1234567")]
    assert find(document, "documentParties.notifyParties[]") == [] and find(document, "") == [((), document)]
