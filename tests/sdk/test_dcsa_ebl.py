"""DCSA's eBL 3.0.4 specification as shipped: its published transport documents validate unchanged, and each kind
of departure from its schema is refused with the field path."""

from __future__ import annotations

import copy
from importlib import resources
from typing import Any

import pytest

from portchain.documents.dcsa_ebl import (
    SPEC_FILE,
    SPEC_FOLDER,
    SPEC_VERSION,
    bill_kind_of,
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
