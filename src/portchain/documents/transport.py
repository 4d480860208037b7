"""The DCSA eBL 3.0 transport document (bill of lading or sea waybill) and its parts, as frozen pydantic models.

Built from Python (snake_case names) or read from DCSA JSON (camelCase keys); either way every value is checked
and an error names its JSON path.

>>> from .samples import sample_transport_document
>>> doc = sample_transport_document()
>>> doc.port_of_loading, doc.port_of_discharge, doc.bill_kind.name, len(doc.hash())
('CNSZX', 'NLRTM', 'TO_ORDER', 32)
>>> TransportDocument.from_json({**doc.to_json(), "portOfLoading": "NLRT"})
Traceback (most recent call last):
...
portchain.errors.InputError: transportDocument.portOfLoading: 'NLRT' is not a UN/LOCODE
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field, model_validator

from ..types import BillKind
from ._fields import (
    ContainerNumber,
    CountryCode,
    HsCode,
    IsoDate,
    Loc,
    PositiveInt,
    UnLocode,
    array,
    checked_text,
    kind,
    one_of,
    one_of_problem,
    pattern,
    problem,
    problem_at,
    text,
)
from ._record import Document, Record, record, validated

__all__ = [
    "CARRIER_CODE_LISTS",
    "DOCUMENT_TYPES",
    "FREIGHT_PAYMENT_TERMS",
    "SEAL_SOURCES",
    "VOLUME_UNITS",
    "WEIGHT_UNITS",
    "Address",
    "CargoItem",
    "Carrier",
    "ConsignmentItem",
    "IdentifyingCode",
    "Measure",
    "OuterPackaging",
    "Party",
    "Seal",
    "TransportDocument",
    "UtilizedTransportEquipment",
    "Vessel",
    "imo_check_digit",
]

DOCUMENT_TYPES = {"BOL": "bill of lading", "SWB": "sea waybill"}
FREIGHT_PAYMENT_TERMS = {"PRE": "prepaid", "COL": "collect"}
CARRIER_CODE_LISTS = {"SMDG": "SMDG liner code", "NMFTA": "NMFTA SCAC"}
WEIGHT_UNITS = {"KGM": "kilograms", "LBR": "pounds"}
VOLUME_UNITS = {"MTQ": "cubic metres", "FTQ": "cubic feet"}
SEAL_SOURCES = {"CAR": "carrier", "SHI": "shipper", "PHY": "phytosanitary", "VET": "veterinary", "CUS": "customs"}


def imo_check_digit(number: str) -> int:
    """The IMO ship number check digit of the first six digits: sum of digit * (7..2), last digit.

    >>> imo_check_digit("9778791")
    1
    """
    return sum(int(d) * w for d, w in zip(number[:6], range(7, 1, -1), strict=False)) % 10


def _imo_number(value: Any) -> str:
    if not isinstance(value, str) or not re.fullmatch(r"[0-9]{7}", value):
        raise problem(f"{value!r} is not an IMO number (7 digits)")
    expected = imo_check_digit(value)
    if int(value[6]) != expected:
        raise problem(f"{value!r} has a wrong IMO check digit (expected {expected})")
    return value


def _boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise problem(f"expected true or false, got {value!r}")
    return value


def _positive_number(value: Any) -> int | float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value <= 0:
        raise problem(f"expected a positive number, got {value!r}")
    return value


@record
class Address(Record):
    """A structured postal address (DCSA ``Address``)."""

    street: Annotated[str | None, text(70)] = None
    street_number: Annotated[str | None, text(50)] = None
    floor: Annotated[str | None, text(50)] = None
    post_code: Annotated[str | None, text(10)] = None
    po_box: Annotated[str | None, text(20), Field(alias="POBox")] = None
    city: Annotated[str, text(35)]
    state_region: Annotated[str | None, text(65)] = None
    country_code: CountryCode


def _address(value: Any) -> Address | str:
    """A structured address (object) or a free-text one (string)."""
    if isinstance(value, (Mapping, Address)):
        return validated(Address, value)
    if isinstance(value, str):
        return checked_text(value, 250)
    raise problem(f"expected an address object or string, got {kind(value)}")


@record
class IdentifyingCode(Record):
    """A party's code in some code list, e.g. ``codeListProvider="EU", partyCode="NL812345678"`` (an EORI)."""

    code_list_provider: Annotated[str, text(100)]
    party_code: Annotated[str, text(150)]
    code_list_name: Annotated[str | None, text(100)] = None


@record
class Party(Record):
    """Shipper, consignee or notify party: a name, an address (structured or free text) and identifying codes."""

    party_name: Annotated[str, text(70)]
    address: Annotated[Address | str | None, BeforeValidator(_address)] = None
    identifying_codes: Annotated[tuple[IdentifyingCode, ...], array()] = ()


@record
class Carrier(Record):
    """The issuing carrier: its SMDG liner code (3 characters, e.g. MSK) or NMFTA SCAC (2-4 letters, e.g. MAEU)."""

    carrier_code: Annotated[str, text(4)]
    carrier_code_list_provider: Annotated[str, one_of(CARRIER_CODE_LISTS)]
    party_name: Annotated[str, text(70)]

    @model_validator(mode="after")
    def _code_fits_its_list(self) -> Carrier:
        code, provider = self.carrier_code, self.carrier_code_list_provider
        regex, what = (r"[A-Z0-9]{3}", "3 letters or digits") if provider == "SMDG" else (r"[A-Z]{2,4}", "2-4 letters")
        if not re.fullmatch(regex, code):
            raise problem_at(("carrierCode",), f"{code!r} is not an {CARRIER_CODE_LISTS[provider]} ({what})", code)
        return self


@record
class Vessel(Record):
    """The vessel and the carrier's export voyage number."""

    vessel_name: Annotated[str, text(50)]
    vessel_imo_number: Annotated[str, BeforeValidator(_imo_number), Field(alias="vesselIMONumber")]
    carrier_export_voyage_number: Annotated[str, text(50)]


@record
class Measure(Record):
    """A weight (``KGM``/``LBR``) or volume (``MTQ``/``FTQ``)."""

    value: Annotated[int | float, BeforeValidator(_positive_number)]
    unit: Annotated[str, text(3)]


def _unit_in(units: dict[str, str]) -> AfterValidator:
    """A measure whose unit is one of ``units`` (a weight or a volume)."""

    def check(measure: Measure) -> Measure:
        wrong = one_of_problem(measure.unit, units)
        if wrong:
            raise problem_at(("unit",), wrong, measure.unit)
        return measure

    return AfterValidator(check)


Weight = Annotated[Measure, _unit_in(WEIGHT_UNITS)]
Volume = Annotated[Measure, _unit_in(VOLUME_UNITS)]


@record
class OuterPackaging(Record):
    """How the goods in a cargo item are packed, e.g. 960 cartons (UN/ECE Rec. 21 code ``CT``)."""

    package_code: Annotated[str | None, pattern(r"[A-Z0-9]{2}", "a 2-character package code")] = None
    number_of_packages: PositiveInt
    description: Annotated[str, text(100)]


@record
class CargoItem(Record):
    """The part of a consignment item packed in one container."""

    equipment_reference: Annotated[str, text(11)]
    cargo_gross_weight: Weight
    cargo_gross_volume: Volume | None = None
    outer_packaging: OuterPackaging | None = None


@record
class ConsignmentItem(Record):
    """One kind of goods: description, HS codes and the cargo items (per container) carrying it."""

    carrier_booking_reference: Annotated[str | None, text(35)] = None
    description_of_goods: Annotated[tuple[Annotated[str, text(5000)], ...], array(min_items=1)]
    hs_codes: Annotated[tuple[HsCode, ...], array(min_items=1), Field(alias="HSCodes")]
    cargo_items: Annotated[tuple[CargoItem, ...], array(min_items=1)]


@record
class Seal(Record):
    """A seal on a container and who applied it (CAR, SHI, PHY, VET, CUS)."""

    number: Annotated[str, text(15)]
    source: Annotated[str | None, one_of(SEAL_SOURCES)] = None


@record
class UtilizedTransportEquipment(Record):
    """A container: its ISO 6346 number (check digit verified), ISO size/type code and seals."""

    equipment_reference: ContainerNumber
    iso_equipment_code: Annotated[
        str | None,
        pattern(r"[0-9A-Z]{4}", "an ISO 6346 size/type code such as 45G1"),
        Field(alias="ISOEquipmentCode"),
    ] = None
    seals: Annotated[tuple[Seal, ...], array(min_items=1)]


@record
class TransportDocument(Document):
    """A DCSA eBL 3.0 transport document: a bill of lading (``BOL``) or sea waybill (``SWB``).

    Immutable and validated on construction (from Python or from JSON); :meth:`to_json` writes DCSA-style JSON
    with camelCase keys, and :meth:`hash` is what the chain stores. Nested lists are tuples; dates are ISO
    strings (``datetime.date`` is accepted and converted).
    """

    transport_document_reference: Annotated[str, text(20)]
    transport_document_type_code: Annotated[str, one_of(DOCUMENT_TYPES)]
    is_to_order: Annotated[bool, BeforeValidator(_boolean)]
    shipper: Party
    consignee: Party | None = None
    notify_parties: Annotated[tuple[Party, ...], array()] = ()
    carrier: Carrier
    vessel: Vessel
    place_of_receipt: UnLocode | None = None
    port_of_loading: UnLocode
    port_of_discharge: UnLocode
    place_of_delivery: UnLocode | None = None
    consignment_items: Annotated[tuple[ConsignmentItem, ...], array(min_items=1)]
    utilized_transport_equipments: Annotated[tuple[UtilizedTransportEquipment, ...], array(min_items=1)]
    freight_payment_term_code: Annotated[str, one_of(FREIGHT_PAYMENT_TERMS)]
    issue_date: IsoDate
    shipped_on_board_date: IsoDate | None = None

    @model_validator(mode="after")
    def _consistent(self) -> TransportDocument:
        if self.transport_document_type_code == "SWB" and self.is_to_order:
            raise problem_at(("isToOrder",), "a sea waybill (SWB) cannot be to order", True)
        if not self.is_to_order and self.consignee is None:
            raise problem_at(("consignee",), "required unless isToOrder is true", None)
        containers: set[str] = set()
        for i, equipment in enumerate(self.utilized_transport_equipments):
            reference = equipment.equipment_reference
            if reference in containers:
                where: Loc = ("utilizedTransportEquipments", i, "equipmentReference")
                raise problem_at(where, f"{reference!r} is listed twice", reference)
            containers.add(reference)
        for i, item in enumerate(self.consignment_items):
            for j, cargo in enumerate(item.cargo_items):
                if cargo.equipment_reference not in containers:
                    where = ("consignmentItems", i, "cargoItems", j, "equipmentReference")
                    message = f"{cargo.equipment_reference!r} is not in utilizedTransportEquipments"
                    raise problem_at(where, message, cargo.equipment_reference)
        return self

    @property
    def bill_kind(self) -> BillKind:
        """The on-chain bill kind: to-order bill, straight bill, or sea waybill."""
        if self.transport_document_type_code == "SWB":
            return BillKind.SEA_WAYBILL
        return BillKind.TO_ORDER if self.is_to_order else BillKind.STRAIGHT
