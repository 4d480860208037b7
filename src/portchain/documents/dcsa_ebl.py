"""The DCSA eBL 3.0 transport document as DCSA publishes it: its schema and examples, read from DCSA's own OpenAPI
specification file (``standards/dcsa-ebl-3.0.4/``, Apache-2.0, unchanged), validation against that schema, and the
rules DCSA states in prose that the schema cannot express.

Validation is JSON Schema (the ``jsonschema`` package) over the specification's ``TransportDocument`` component,
with two additions the specification states but its schemas do not enforce: a field DCSA does not define is refused
(objects are closed), and the ``date``, ``date-time`` and ``int32`` formats are checked. Each problem names its field
path. :func:`check` adds the prose rules: hard ones are problems (:data:`RULES`), those DCSA words as a
recommendation, or that DCSA's own published examples break, are warnings (:data:`ADVICE`).

>>> examples = published_examples()
>>> sorted(examples)
['dgExample', 'reeferExample', 'regularSTDExample']
>>> schema_problems(examples["regularSTDExample"])
[]
>>> schema_problems({**examples["regularSTDExample"], "isToOrder": "yes"})
["transportDocument.isToOrder: 'yes' is not of type 'boolean'"]
>>> check({**examples["regularSTDExample"], "transportDocumentTypeCode": "SWB"}).problems
('transportDocument.isToOrder: must be false for a sea waybill (transportDocumentTypeCode SWB)',)
>>> check(examples["dgExample"]).warnings[0]
"transportDocument.utilizedTransportEquipments[0].equipment.equipmentReference: 'HLXU1234567' has a wrong ISO ...
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Any

import yaml
from jsonschema import Draft4Validator, FormatChecker
from referencing import Registry
from referencing.jsonschema import DRAFT4

from ..errors import InputError
from ..types import BillKind, container_number_problem

__all__ = [
    "ADVICE",
    "COUNTRIES",
    "ISSUED_STATUSES",
    "PARTY_ROLES",
    "RULES",
    "SPEC_FILE",
    "SPEC_FOLDER",
    "SPEC_VERSION",
    "Checked",
    "bill_kind_of",
    "check",
    "find",
    "listed_codes",
    "published_examples",
    "schema_problems",
    "specification",
    "validate_transport_document",
]

SPEC_VERSION = "3.0.4"
SPEC_FOLDER = f"standards/dcsa-ebl-{SPEC_VERSION}"
SPEC_FILE = f"EBL_v{SPEC_VERSION}.yaml"
ROOT = "transportDocument"
_ROOT_URI = f"urn:dcsa:ebl:{SPEC_VERSION}"
_COMBINATORS = ("oneOf", "anyOf", "allOf")
_EXAMPLES_PATH = ("paths", "/v3/transport-documents/{transportDocumentReference}", "get", "responses", "200",
                  "content", "application/json", "examples")

Loc = tuple[str | int, ...]
Finding = tuple[Loc, str]
Rule = Callable[[dict[str, Any]], Iterable[Finding]]


@cache
def specification() -> dict[str, Any]:
    """DCSA's eBL OpenAPI specification, parsed (the file shipped with the package)."""
    text = resources.files("portchain.documents").joinpath(SPEC_FOLDER).joinpath(SPEC_FILE).read_text(encoding="utf-8")
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    spec: dict[str, Any] = yaml.load(text, Loader=loader)  # a safe loader: the C one where PyYAML has it
    if str(spec["info"]["version"]) != SPEC_VERSION:
        raise InputError(f"{SPEC_FILE} is version {spec['info']['version']}, expected {SPEC_VERSION}")
    return spec


def published_examples() -> dict[str, dict[str, Any]]:
    """DCSA's published transport documents (the examples of ``GET /v3/transport-documents/{reference}``), by
    their names in the specification."""
    node: Any = specification()
    for key in _EXAMPLES_PATH:
        node = node[key]
    return {name: example["value"] for name, example in node.items()}


@cache
def listed_codes(component: str, prop: str) -> tuple[str, ...]:
    """The codes DCSA lists (as ``- `CODE` (meaning)`` lines) in the description of ``component.prop``.

    >>> listed_codes("TransportDocument", "cargoMovementTypeAtOrigin")
    ('FCL', 'LCL')
    """
    description = specification()["components"]["schemas"][component]["properties"][prop]["description"]
    return tuple(re.findall(r"^\s*- `([^`]+)`", description, re.MULTILINE))


# --------------------------------------------------------------------------------------------------------------
# The schema
# --------------------------------------------------------------------------------------------------------------


def _closed(schema: Any, *, in_branch: bool = False) -> Any:
    """``schema`` with every object closed to the properties it (or one of its alternatives) declares."""
    if not isinstance(schema, dict):
        return schema
    out: dict[str, Any] = {}
    for key, value in schema.items():
        if key in _COMBINATORS:
            out[key] = [_closed(branch, in_branch=True) for branch in value]
        elif key == "properties":
            out[key] = {name: _closed(sub) for name, sub in value.items()}
        elif key == "items":
            out[key] = _closed(value)
        else:
            out[key] = value
    # an alternative's properties belong to the object that offers it, so only that object is closed, over all
    # (also an object made only of alternatives, such as InvoicePayableAt)
    branches = [branch for key in _COMBINATORS for branch in schema.get(key, []) if isinstance(branch, dict)]
    offered = {name for branch in branches for name in branch.get("properties", {})}
    if ("properties" in schema or offered) and not in_branch and "additionalProperties" not in schema:
        out["properties"] = {**{name: {} for name in offered}, **out.get("properties", {})}
        out["additionalProperties"] = False
    return out


_FORMATS = FormatChecker(formats=())


@_FORMATS.checks("date", raises=ValueError)
def _is_date(value: object) -> bool:
    """An RFC 3339 full-date (OpenAPI ``format: date``), e.g. ``2024-03-15``."""
    return not isinstance(value, str) or bool(
        re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) and datetime.date.fromisoformat(value)
    )


@_FORMATS.checks("date-time", raises=ValueError)
def _is_date_time(value: object) -> bool:
    """An RFC 3339 date-time with its offset (OpenAPI ``format: date-time``), e.g. ``2024-03-15T10:00:00Z``."""
    if not isinstance(value, str):
        return True
    shape = r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})"
    return bool(re.fullmatch(shape, value) and datetime.datetime.fromisoformat(value[:19]))


@_FORMATS.checks("int32")
def _is_int32(value: object) -> bool:
    return not isinstance(value, int) or -(2**31) <= value < 2**31


@cache
def _validator() -> Draft4Validator:
    components = {name: _closed(schema) for name, schema in specification()["components"]["schemas"].items()}
    registry: Registry[Any] = Registry().with_resource(
        _ROOT_URI, DRAFT4.create_resource({"components": {"schemas": components}})
    )
    return Draft4Validator(
        {"$ref": f"{_ROOT_URI}#/components/schemas/TransportDocument"}, registry=registry, format_checker=_FORMATS
    )


def _path(parts: Iterable[str | int], root: str = ROOT) -> str:
    out = root
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


def schema_problems(document: Any, root: str = ROOT) -> list[str]:
    """Every way ``document`` departs from DCSA's ``TransportDocument`` schema, as ``path: problem`` lines in
    document order (empty when it conforms); paths start with ``root``."""
    errors = sorted(_validator().iter_errors(document), key=lambda error: [str(p) for p in error.absolute_path])
    return [f"{_path(error.absolute_path, root)}: {error.message}" for error in errors]


# --------------------------------------------------------------------------------------------------------------
# Finding values in a document
# --------------------------------------------------------------------------------------------------------------


def find(document: Any, pattern: str) -> list[tuple[Loc, Any]]:
    """Each value at ``pattern`` with its location: keys joined by dots, ``[]`` after a key for each item of that
    array; absent keys are skipped. An empty pattern is the document itself.

    >>> find({"a": [{"b": 1}, {}, {"b": 2}]}, "a[].b")
    [(('a', 0, 'b'), 1), (('a', 2, 'b'), 2)]
    """
    found: list[tuple[Loc, Any]] = [((), document)]
    for part in pattern.split(".") if pattern else ():
        key, each = (part[:-2], True) if part.endswith("[]") else (part, False)
        found = [(loc + (key,), node[key]) for loc, node in found if isinstance(node, dict) and key in node]
        if each:
            found = [(loc + (i,), item) for loc, node in found if isinstance(node, list) for i, item in enumerate(node)]
    return found


def _objects(node: Any, loc: Loc = ()) -> Iterator[tuple[Loc, dict[str, Any]]]:
    """Every JSON object in ``node`` (itself included), with its location."""
    if isinstance(node, dict):
        yield loc, node
        for key, value in node.items():
            yield from _objects(value, loc + (key,))
    elif isinstance(node, list):
        for i, item in enumerate(node):
            yield from _objects(item, loc + (i,))


PARTY_ROLES = ("shipper", "onBehalfOfShipper", "consignee", "onBehalfOfConsignee", "endorsee", "issuingParty",
               "carriersAgentAtDestination")
"""The ``documentParties`` members that hold one party; ``notifyParties`` and ``other`` hold lists."""
_PARTIES = (*(f"documentParties.{role}" for role in PARTY_ROLES), "documentParties.notifyParties[]",
            "documentParties.other[].party")
_ADDRESS_OR_CODE = ("documentParties.shipper", "documentParties.onBehalfOfShipper", "documentParties.notifyParties[]",
                    "documentParties.other[].party")
_EQUIPMENT = "utilizedTransportEquipments[].equipment.equipmentReference"
_CARGO_EQUIPMENT = "consignmentItems[].cargoItems[].equipmentReference"

ISSUED_STATUSES = frozenset({"ISSUED", "PENDING_SURRENDER_FOR_AMENDMENT", "SURRENDERED_FOR_AMENDMENT",
                             "PENDING_SURRENDER_FOR_DELIVERY", "SURRENDERED_FOR_DELIVERY", "VOIDED"})
"""The statuses of a document that has been issued (``ISSUED`` and the ones only an issued document reaches)."""

COUNTRIES = frozenset({
    "AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AQ", "AR", "AS", "AT", "AU", "AW", "AX", "AZ", "BA", "BB",
    "BD", "BE", "BF", "BG", "BH", "BI", "BJ", "BL", "BM", "BN", "BO", "BQ", "BR", "BS", "BT", "BV", "BW", "BY",
    "BZ", "CA", "CC", "CD", "CF", "CG", "CH", "CI", "CK", "CL", "CM", "CN", "CO", "CR", "CU", "CV", "CW", "CX",
    "CY", "CZ", "DE", "DJ", "DK", "DM", "DO", "DZ", "EC", "EE", "EG", "EH", "ER", "ES", "ET", "FI", "FJ", "FK",
    "FM", "FO", "FR", "GA", "GB", "GD", "GE", "GF", "GG", "GH", "GI", "GL", "GM", "GN", "GP", "GQ", "GR", "GS",
    "GT", "GU", "GW", "GY", "HK", "HM", "HN", "HR", "HT", "HU", "ID", "IE", "IL", "IM", "IN", "IO", "IQ", "IR",
    "IS", "IT", "JE", "JM", "JO", "JP", "KE", "KG", "KH", "KI", "KM", "KN", "KP", "KR", "KW", "KY", "KZ", "LA",
    "LB", "LC", "LI", "LK", "LR", "LS", "LT", "LU", "LV", "LY", "MA", "MC", "MD", "ME", "MF", "MG", "MH", "MK",
    "ML", "MM", "MN", "MO", "MP", "MQ", "MR", "MS", "MT", "MU", "MV", "MW", "MX", "MY", "MZ", "NA", "NC", "NE",
    "NF", "NG", "NI", "NL", "NO", "NP", "NR", "NU", "NZ", "OM", "PA", "PE", "PF", "PG", "PH", "PK", "PL", "PM",
    "PN", "PR", "PS", "PT", "PW", "PY", "QA", "RE", "RO", "RS", "RU", "RW", "SA", "SB", "SC", "SD", "SE", "SG",
    "SH", "SI", "SJ", "SK", "SL", "SM", "SN", "SO", "SR", "SS", "ST", "SV", "SX", "SY", "SZ", "TC", "TD", "TF",
    "TG", "TH", "TJ", "TK", "TL", "TM", "TN", "TO", "TR", "TT", "TV", "TW", "TZ", "UA", "UG", "UM", "US", "UY",
    "UZ", "VA", "VC", "VE", "VG", "VI", "VN", "VU", "WF", "WS", "YE", "YT", "ZA", "ZM", "ZW",
})
"""The 249 officially assigned ISO 3166-1 alpha-2 country codes."""
_UNLOCODE_COUNTRIES = COUNTRIES | {"XZ"}  # UN/LOCODE's XZ: installations in international waters


# --------------------------------------------------------------------------------------------------------------
# Rules DCSA states in prose: each yields (location, problem)
# --------------------------------------------------------------------------------------------------------------


def _sea_waybill_not_to_order(doc: dict[str, Any]) -> Iterator[Finding]:
    """isToOrder: "must be false if transportDocumentTypeCode='SWB'"."""
    if doc["transportDocumentTypeCode"] == "SWB" and doc["isToOrder"]:
        yield ("isToOrder",), "must be false for a sea waybill (transportDocumentTypeCode SWB)"


def _consignee_of_a_straight_document(doc: dict[str, Any]) -> Iterator[Finding]:
    """consignee: "Mandatory for non-negotiable BL (isToOrder=false)"."""
    if not doc["isToOrder"] and "consignee" not in doc["documentParties"]:
        yield ("documentParties", "consignee"), "required when isToOrder is false"


def _endorsee_only_to_order(doc: dict[str, Any]) -> Iterator[Finding]:
    """endorsee: "Can only be provided for negotiable BLs (isToOrder=true)"."""
    if not doc["isToOrder"] and "endorsee" in doc["documentParties"]:
        yield ("documentParties", "endorsee"), "only allowed when isToOrder is true"


def _consignee_or_endorsee(doc: dict[str, Any]) -> Iterator[Finding]:
    """consignee, endorsee: "Consignee and Endorsee are mutually exclusive"."""
    if {"consignee", "endorsee"} <= doc["documentParties"].keys():
        yield ("documentParties", "endorsee"), "not allowed with a consignee (they are mutually exclusive)"


_PAIRS = (
    ("", "declaredValue", "declaredValueCurrency"),
    ("utilizedTransportEquipments[].activeReeferSettings", "temperatureSetpoint", "temperatureUnit"),
    ("utilizedTransportEquipments[].activeReeferSettings", "airExchangeSetpoint", "airExchangeUnit"),
)


def _units_with_their_values(doc: dict[str, Any]) -> Iterator[Finding]:
    """declaredValueCurrency, temperatureUnit, airExchangeUnit: "Mandatory if <value> is provided. If <value> is not
    provided, this field must be empty"."""
    for where, value, unit in _PAIRS:
        for loc, node in find(doc, where):
            if value in node and unit not in node:
                yield loc + (unit,), f"required when {value} is given"
            elif unit in node and value not in node:
                yield loc + (unit,), f"must be absent when {value} is not given"


def _active_reefer_settings(doc: dict[str, Any]) -> Iterator[Finding]:
    """activeReeferSettings: "Only applicable when isNonOperatingReefer is set to false"."""
    for loc, equipment in find(doc, "utilizedTransportEquipments[]"):
        if "activeReeferSettings" in equipment and equipment.get("isNonOperatingReefer") is not False:
            yield loc + ("activeReeferSettings",), "only allowed when isNonOperatingReefer is false"


def _reefer_type(code: str) -> bool | None:
    """Whether an ISO 6346 size-type (``45R1``) or type-group (``45RE``) code is a thermal type with refrigeration
    (group R, or H with removable equipment: H0-H2, HR); None when the code does not say (e.g. old numeric codes)."""
    if len(code) != 4 or not code[2].isalpha():
        return None
    return code[2] == "R" or (code[2] == "H" and code[3] in "012R")


def _non_operating_reefer_is_a_reefer(doc: dict[str, Any]) -> Iterator[Finding]:
    """isNonOperatingReefer: "Only applicable if ISOEquipmentCode shows a Reefer type"."""
    for loc, equipment in find(doc, "utilizedTransportEquipments[]"):
        code = equipment["equipment"].get("ISOEquipmentCode", "")
        if "isNonOperatingReefer" in equipment and _reefer_type(code) is False:
            yield loc + ("isNonOperatingReefer",), f"only applicable to a reefer; ISOEquipmentCode {code!r} is not one"


def _issued_on_board_or_received(doc: dict[str, Any]) -> Iterator[Finding]:
    """shippedOnBoardDate, receivedForShipmentDate: "Exactly one ... must be provided on an issued B/L"."""
    status = doc["transportDocumentStatus"]
    given = [key for key in ("shippedOnBoardDate", "receivedForShipmentDate") if key in doc]
    if status in ISSUED_STATUSES and len(given) != 1:
        what = "both are given" if given else "neither is given"
        yield ("shippedOnBoardDate",), (
            f"exactly one of shippedOnBoardDate and receivedForShipmentDate is required on an issued document "
            f"(transportDocumentStatus {status}); {what}"
        )


def _shipped_on_board_type(doc: dict[str, Any]) -> Iterator[Finding]:
    """shippedOnBoardDate: "When provided ... the transportDocument is a Shipped On Board B/L" (and
    receivedForShipmentDate a Received For Shipment one): isShippedOnBoardType must say the same."""
    on_board = doc["isShippedOnBoardType"]
    if "shippedOnBoardDate" in doc and not on_board:
        yield ("isShippedOnBoardType",), "must be true when shippedOnBoardDate is given (a shipped-on-board document)"
    if "receivedForShipmentDate" in doc and on_board:
        yield ("isShippedOnBoardType",), (
            "must be false when receivedForShipmentDate is given (a received-for-shipment document)"
        )


_ORIGINALS = ("numberOfOriginalsWithCharges", "numberOfOriginalsWithoutCharges")
_COPIES = ("numberOfCopiesWithCharges", "numberOfCopiesWithoutCharges")


def _originals_of_a_bill_of_lading(doc: dict[str, Any]) -> Iterator[Finding]:
    """numberOfOriginals...: "Only applicable if transportDocumentType = BOL" (a count of 0 says nothing)."""
    if doc["transportDocumentTypeCode"] == "SWB":
        for key in _ORIGINALS:
            if doc.get(key):
                yield (key,), "only applicable to a bill of lading (transportDocumentTypeCode BOL)"


def _one_electronic_original(doc: dict[str, Any]) -> Iterator[Finding]:
    """numberOfOriginals...: "If isElectronic = 'True', accepted value is 1 (one) or 0 (zero).
    numberOfOriginalsWithoutCharges + numberOfOriginalsWithCharges must be <= 1"."""
    if doc["isElectronic"] and sum(doc.get(key, 0) for key in _ORIGINALS) > 1:
        key = _ORIGINALS[1] if doc.get(_ORIGINALS[1]) else _ORIGINALS[0]
        yield (key,), (
            "numberOfOriginalsWithCharges + numberOfOriginalsWithoutCharges must be at most 1 for an electronic "
            "document (isElectronic true)"
        )


def _no_copies_of_an_electronic_bill(doc: dict[str, Any]) -> Iterator[Finding]:
    """numberOfCopies...: for BOL with isElectronic true "Not applicable, there are no copies"."""
    if doc["transportDocumentTypeCode"] == "BOL" and doc["isElectronic"]:
        for key in _COPIES:
            if doc.get(key):
                yield (key,), "not applicable to an electronic bill of lading (isElectronic true): it has no copies"


def _rider_pages_on_paper(doc: dict[str, Any]) -> Iterator[Finding]:
    """numberOfRiderPages: "Only applicable for physical transport documents"."""
    if doc["isElectronic"] and doc.get("numberOfRiderPages"):
        yield ("numberOfRiderPages",), "only applicable to a paper document (isElectronic false)"


def _places_of_carrier_haulage(doc: dict[str, Any]) -> Iterator[Finding]:
    """preCarriageBy: "If this attribute is populated, then a Place of Receipt must also be defined" (onCarriageBy:
    a Place of Delivery)."""
    transports = doc["transports"]
    for mode, place in (("preCarriageBy", "placeOfReceipt"), ("onCarriageBy", "placeOfDelivery")):
        if mode in transports and place not in transports:
            yield ("transports", place), f"required when {mode} is given"


def _countries(doc: dict[str, Any]) -> Iterator[Finding]:
    """countryCode: "ISO 3166-1 alpha-2"; UNLocationCode: "2 characters for the country code using ISO 3166-1
    alpha-2" (UN/LOCODE's XZ, international waters, too)."""
    for loc, node in _objects(doc):
        country = node.get("countryCode")
        if isinstance(country, str) and country not in COUNTRIES:
            yield loc + ("countryCode",), f"{country!r} is not an ISO 3166-1 alpha-2 country code"
        code = node.get("UNLocationCode")
        if isinstance(code, str) and code[:2] not in _UNLOCODE_COUNTRIES:
            yield loc + ("UNLocationCode",), f"{code!r} is not a UN/LOCODE: {code[:2]!r} is not an ISO 3166-1 country"


def _one_location_one_country(doc: dict[str, Any]) -> Iterator[Finding]:
    """A location: "if a location is specified in multiple ways ... both ways point to the same location": a
    UN/LOCODE and a country code (of the location, its city or its address) name the same country."""
    for loc, node in _objects(doc):
        code = node.get("UNLocationCode")
        if not isinstance(code, str):
            continue
        for where in ((), ("city",), ("address",)):
            holder = node if not where else node.get(where[0])
            country = holder.get("countryCode") if isinstance(holder, dict) else None
            if isinstance(country, str) and country != code[:2]:
                yield loc + where + ("countryCode",), f"{country!r} is not the country of UNLocationCode {code!r}"


def _facility_within_a_unlocode(doc: dict[str, Any]) -> Iterator[Finding]:
    """facilityCodeListProvider: "BIC (Requires a UN Location Code)", "SMDG (Requires a UN Location Code)"."""
    for loc, node in _objects(doc):
        if "facility" in node and "UNLocationCode" not in node:
            yield loc + ("facility",), "needs the location's UNLocationCode (a BIC or SMDG facility code requires one)"


def _equipment_listed_once(doc: dict[str, Any]) -> Iterator[Finding]:
    """equipmentReference: "The unique identifier for the equipment": each container is listed once."""
    seen: dict[str, Loc] = {}
    for loc, reference in find(doc, _EQUIPMENT):
        if reference in seen:
            yield loc, f"{reference!r} is listed twice (also utilizedTransportEquipments[{seen[reference][1]}])"
        seen.setdefault(reference, loc)


def _cargo_in_listed_equipment(doc: dict[str, Any]) -> Iterator[Finding]:
    """cargoItems[].equipmentReference: "The unique identifier for the equipment" the cargo item is packed in: one of
    the utilizedTransportEquipments."""
    listed = {reference for _, reference in find(doc, _EQUIPMENT)}
    for loc, reference in find(doc, _CARGO_EQUIPMENT):
        if reference not in listed:
            yield loc, f"{reference!r} is not one of the utilizedTransportEquipments"


def _in_list(patterns: Iterable[tuple[str, str, str]], doc: dict[str, Any]) -> Iterator[Finding]:
    for pattern, component, prop in patterns:
        codes = listed_codes(component, prop)
        for loc, value in find(doc, pattern):
            if value not in codes:
                yield loc, f"{value!r} is not one of {', '.join(codes)}"


_CLOSED_LISTS = (
    ("transportDocumentStatus", "TransportDocument", "transportDocumentStatus"),
    ("cargoMovementTypeAtOrigin", "TransportDocument", "cargoMovementTypeAtOrigin"),
    ("cargoMovementTypeAtDestination", "TransportDocument", "cargoMovementTypeAtDestination"),
    ("transports.vesselVoyages[].role", "VesselVoyage", "role"),
    *((f"{party}.eblPlatform", "Shipper", "eblPlatform") for party in _PARTIES),
    *((f"{party}.typeOfPerson", "Shipper", "typeOfPerson") for party in _PARTIES),
    *((f"{party}.identifyingCodes[].codeListProvider", "IdentifyingCode", "codeListProvider") for party in _PARTIES),
    ("documentParties.other[].partyFunction", "OtherDocumentParty", "partyFunction"),
    ("references[].type", "Reference", "type"),
    ("utilizedTransportEquipments[].references[].type", "Reference", "type"),
    ("consignmentItems[].references[].type", "ReferenceConsignmentItem", "type"),
    *((f"consignmentItems[].{item}{codes}[].type", "NationalCommodityCode", "type")
      for item in ("", "cargoItems[].") for codes in ("nationalCommodityCodes", "extendedNationalCommodityCodes")),
    ("consignmentItems[].cargoItems[].outerPackaging.dangerousGoods[].inhalationZone", "DangerousGoods",
     "inhalationZone"),
    ("feedbacks[].severity", "Feedback", "severity"),
    ("feedbacks[].code", "Feedback", "code"),
)
"""Codes DCSA lists as the possible values ("Possible values are", "MUST be one of") where its schema has no enum."""


def _codes_dcsa_lists(doc: dict[str, Any]) -> Iterator[Finding]:
    """A code whose values DCSA lists ("Possible values are", "The value MUST be one of") is one of them:
    transportDocumentStatus, eblPlatform, codeListProvider, partyFunction ... (:data:`_CLOSED_LISTS`)."""
    return _in_list(_CLOSED_LISTS, doc)


RULES: tuple[Rule, ...] = (
    _codes_dcsa_lists,
    _sea_waybill_not_to_order,
    _consignee_of_a_straight_document,
    _endorsee_only_to_order,
    _consignee_or_endorsee,
    _units_with_their_values,
    _active_reefer_settings,
    _non_operating_reefer_is_a_reefer,
    _issued_on_board_or_received,
    _shipped_on_board_type,
    _originals_of_a_bill_of_lading,
    _one_electronic_original,
    _no_copies_of_an_electronic_bill,
    _rider_pages_on_paper,
    _places_of_carrier_haulage,
    _countries,
    _one_location_one_country,
    _facility_within_a_unlocode,
    _equipment_listed_once,
    _cargo_in_listed_equipment,
)
"""The prose rules a document must satisfy (each docstring quotes DCSA); a break is a problem, like the schema's."""


# --------------------------------------------------------------------------------------------------------------
# Advice: what DCSA says should hold, and rules DCSA's own published examples break
# --------------------------------------------------------------------------------------------------------------

_ISO6346_SHAPE = re.compile(r"[A-Z]{3}[UJZ][0-9]{7}")


def _iso6346_check_digit(doc: dict[str, Any]) -> Iterator[Finding]:
    """equipmentReference "should follow the BIC ISO Container Identification Number where possible" (others may
    follow SMDG Recommendation #2): one in ISO 6346 shape should carry the right check digit. (DCSA's dgExample
    does not: HLXU1234567, check digit 1.)"""
    for loc, reference in find(doc, _EQUIPMENT):
        problem = container_number_problem(reference) if _ISO6346_SHAPE.fullmatch(reference) else None
        if problem:
            yield loc, problem


def _issue_date_when_issued(doc: dict[str, Any]) -> Iterator[Finding]:
    """issueDate: "must be provided when the document has been issued". A warning: DCSA's dgExample is ISSUED
    without one."""
    if doc["transportDocumentStatus"] in ISSUED_STATUSES and "issueDate" not in doc:
        status = doc["transportDocumentStatus"]
        yield ("issueDate",), f"should be given on an issued document (transportDocumentStatus {status})"


def _notify_party_of_a_to_order_document(doc: dict[str, Any]) -> Iterator[Finding]:
    """notifyParties: "Mandatory for To Order BLs, isToOrder=true, unless isNotifyParty in Consignee or Endorsee is
    set to true". A warning: none of DCSA's three published (to order) examples has one."""
    parties = doc["documentParties"]
    notified = any(parties.get(role, {}).get("isNotifyParty") for role in ("consignee", "endorsee"))
    if doc["isToOrder"] and not parties.get("notifyParties") and not notified:
        yield ("documentParties", "notifyParties"), (
            "expected on a to-order document (isToOrder true) unless the consignee or endorsee isNotifyParty"
        )


def _party_address_or_code(doc: dict[str, Any]) -> Iterator[Finding]:
    """shipper, onBehalfOfShipper, notifyParties, other parties: "Either the address or a party identifyingCode must
    be provided". A warning: the shipper of each of DCSA's published examples has neither (only a
    displayedAddress)."""
    for pattern in _ADDRESS_OR_CODE:
        for loc, party in find(doc, pattern):
            if not {"address", "addressLines", "identifyingCodes"} & party.keys():
                yield loc, "should give an address (or addressLines) or identifyingCodes"


def _displayed_address_on_paper(doc: dict[str, Any]) -> Iterator[Finding]:
    """displayedAddress: "for physical BL (isElectronic=false), it is only allowed to provide max 2 lines ... Some
    carriers may choose to allow more lines"."""
    if not doc["isElectronic"]:
        for pattern in _PARTIES:
            for loc, lines in find(doc, f"{pattern}.displayedAddress"):
                if len(lines) > 2:
                    yield loc, f"has {len(lines)} lines; a paper document (isElectronic false) allows 2"


_DECIMALS = (("cargoGrossWeight", 3), ("cargoNetWeight", 3), ("cargoGrossVolume", 4), ("cargoNetVolume", 4))


def _decimals(value: float) -> int:
    exponent = Decimal(repr(value)).as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def _measure_decimals(doc: dict[str, Any]) -> Iterator[Finding]:
    """cargoGrossWeight.value ...: "A maximum of 3 decimals should be provided" (4 for volumes)."""
    for measure, most in _DECIMALS:
        for loc, value in find(doc, f"consignmentItems[].cargoItems[].{measure}.value"):
            if _decimals(value) > most:
                yield loc, f"{value!r} has more than {most} decimals"


_OPEN_LISTS = (
    ("transports.preCarriageBy", "Transports", "preCarriageBy"),
    ("transports.onCarriageBy", "Transports", "onCarriageBy"),
    ("consignmentItems[].cargoItems[].outerPackaging.woodDeclaration", "OuterPackaging", "woodDeclaration"),
)
"""Codes whose values DCSA lists as "currently supported values include" / "Possible values include"."""


def _open_codes(doc: dict[str, Any]) -> Iterator[Finding]:
    """preCarriageBy, onCarriageBy, woodDeclaration: one of the values DCSA lists ("include")."""
    return _in_list(_OPEN_LISTS, doc)


_DEPRECATED: tuple[tuple[str, str | None, str], ...] = (  # where, the deprecated value (None: any), what instead
    ("contractQuotationReference", None, "extendedContractQuotationReference"),
    ("consignmentItems[].nationalCommodityCodes", None, "extendedNationalCommodityCodes"),
    ("consignmentItems[].cargoItems[].nationalCommodityCodes", None, "extendedNationalCommodityCodes"),
    *((f"{party}.eblPlatform", "ESSD", "IDT") for party in _PARTIES),
    *((f"{party}.identifyingCodes[].codeListProvider", "ESSD", "IDT") for party in _PARTIES),
)


def _deprecated(doc: dict[str, Any]) -> Iterator[Finding]:
    """contractQuotationReference, nationalCommodityCodes: "not to be used any more"; ESSD: "deprecated. Please
    use IDT"."""
    for pattern, deprecated, instead in _DEPRECATED:
        for loc, value in find(doc, pattern):
            if deprecated is None:
                yield loc, f"is deprecated: use {instead}"
            elif value == deprecated:
                yield loc, f"{value!r} is deprecated: use {instead!r}"


ADVICE: tuple[Rule, ...] = (
    _iso6346_check_digit,
    _issue_date_when_issued,
    _notify_party_of_a_to_order_document,
    _party_address_or_code,
    _displayed_address_on_paper,
    _measure_decimals,
    _open_codes,
    _deprecated,
)
"""What DCSA says should hold, and the prose rules DCSA's own published examples break: warnings, not problems."""


# --------------------------------------------------------------------------------------------------------------
# Checking a document
# --------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Checked:
    """What :func:`check` found: ``problems`` (the schema's; or, for a document that conforms to it, the prose
    rules') and ``warnings`` (advice; only for a document with no problems), each ``path: problem``."""

    problems: tuple[str, ...]
    warnings: tuple[str, ...]


def _findings(rules: Iterable[Rule], document: dict[str, Any], root: str) -> tuple[str, ...]:
    return tuple(f"{_path(loc, root)}: {message}" for rule in rules for loc, message in rule(document))


def check(document: Any, root: str = ROOT) -> Checked:
    """``document`` against DCSA's schema, then (when it conforms) against the prose rules and advice; paths start
    with ``root``."""
    problems = schema_problems(document, root)
    if problems:
        return Checked(tuple(problems), ())
    return Checked(_findings(RULES, document, root), _findings(ADVICE, document, root))


def validate_transport_document(document: Any) -> dict[str, Any]:
    """``document`` if it conforms to DCSA's schema and prose rules; else :class:`InputError` listing each problem
    by field path."""
    problems = check(document).problems
    if problems:
        raise InputError("; ".join(problems))
    return dict(document)


def bill_kind_of(document: Any) -> BillKind:
    """The kind of bill a DCSA transport document makes: a bill of lading (``BOL``) to order is a to-order bill,
    one not to order a straight bill; a sea waybill (``SWB``) is never to order (DCSA: "``isToOrder`` must be
    ``false`` if ``transportDocumentTypeCode='SWB'``").

    >>> bill_kind_of(published_examples()["dgExample"])
    <BillKind.TO_ORDER: 0>
    >>> bill_kind_of({"transportDocumentTypeCode": "SWB", "isToOrder": True})
    Traceback (most recent call last):
    ...
    portchain.errors.InputError: transportDocument.isToOrder: must be false for a sea waybill (...)
    """
    code, to_order = document.get("transportDocumentTypeCode"), document.get("isToOrder")
    if not isinstance(to_order, bool):
        raise InputError(f"transportDocument.isToOrder: expected true or false, got {to_order!r}")
    if code == "SWB":
        if to_order:
            raise InputError(
                "transportDocument.isToOrder: must be false for a sea waybill (transportDocumentTypeCode SWB)"
            )
        return BillKind.SEA_WAYBILL
    if code == "BOL":
        return BillKind.TO_ORDER if to_order else BillKind.STRAIGHT
    raise InputError(f"transportDocument.transportDocumentTypeCode: expected BOL or SWB, got {code!r}")
