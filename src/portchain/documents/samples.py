"""Realistic sample documents of one shipment: consumer electronics from Shenzhen (CNSZX) to Rotterdam (NLRTM) under
bill of lading MAEU245601234, and the trade documents that go with it. ``overrides`` replace fields by their Python
names and are validated like any construction.

>>> bill = sample_transport_document()
>>> bill.transport_document_reference, bill.vessel.vessel_name, len(bill.utilized_transport_equipments)
('MAEU245601234', 'MADRID MAERSK', 2)
>>> invoice = sample_commercial_invoice(incoterms="FOB", named_place="Shenzhen")
>>> invoice.seller == bill.shipper, invoice.transport_document_reference == bill.transport_document_reference
(True, True)
>>> sample_packing_list(shiper=None)
Traceback (most recent call last):
...
portchain.errors.InputError: unknown PackingList field(s) shiper; fields are issue_date, packages, ...
"""

from __future__ import annotations

import dataclasses
from typing import Any, TypeVar

from ..errors import InputError
from ..types import DocType
from ._record import Document
from .trade import (
    CertificateOfOrigin,
    CommercialInvoice,
    GoodsItem,
    InspectionCertificate,
    InsuranceCertificate,
    LineItem,
    Package,
    PackingList,
    TradeDocument,
)
from .transport import (
    Address,
    CargoItem,
    Carrier,
    ConsignmentItem,
    IdentifyingCode,
    Measure,
    OuterPackaging,
    Party,
    Seal,
    TransportDocument,
    UtilizedTransportEquipment,
    Vessel,
)

__all__ = [
    "sample_certificate_of_origin",
    "sample_commercial_invoice",
    "sample_inspection_certificate",
    "sample_insurance_certificate",
    "sample_packing_list",
    "sample_trade_documents",
    "sample_transport_document",
]

_D = TypeVar("_D", bound=Document)


def _with_overrides(document: _D, overrides: dict[str, Any]) -> _D:
    """``document`` with fields replaced by their Python names (and validated again); unknown names are refused."""
    if not overrides:
        return document
    names = {f.name for f in dataclasses.fields(document)}
    unknown = sorted(set(overrides) - names)
    if unknown:
        fields = ", ".join(sorted(names))
        raise InputError(f"unknown {type(document).__name__} field(s) {', '.join(unknown)}; fields are {fields}")
    return dataclasses.replace(document, **overrides)


def sample_transport_document(**overrides: Any) -> TransportDocument:
    """A realistic to-order bill of lading: consumer electronics from Shenzhen (CNSZX) to Rotterdam (NLRTM) on
    MADRID MAERSK, in two 40' high cubes. ``overrides`` replace fields by their Python names::

        sample_transport_document(transport_document_type_code="SWB", is_to_order=False, consignee=Party(...))
    """
    shipper = Party(
        party_name="Shenzhen Bright Star Electronics Co., Ltd.",
        address=Address(
            street="Keji South 12th Road",
            street_number="18",
            post_code="518057",
            city="Shenzhen",
            state_region="Guangdong",
            country_code="CN",
        ),
        identifying_codes=(IdentifyingCode(code_list_provider="PORTCHAIN", party_code="CN-SZX-BRIGHTSTAR"),),
    )
    notify = Party(
        party_name="Holland Gadget Distribution B.V.",
        address=Address(street="Waalhaven Zuidzijde", street_number="21", post_code="3089 JH", city="Rotterdam",
                        country_code="NL"),
        identifying_codes=(IdentifyingCode(code_list_provider="EU", party_code="NL812345678", code_list_name="EORI"),),
    )
    document = TransportDocument(
        transport_document_reference="MAEU245601234",
        transport_document_type_code="BOL",
        is_to_order=True,
        shipper=shipper,
        notify_parties=(notify,),
        carrier=Carrier(carrier_code="MSK", carrier_code_list_provider="SMDG", party_name="Maersk A/S"),
        vessel=Vessel(vessel_name="MADRID MAERSK", vessel_imo_number="9778791", carrier_export_voyage_number="412W"),
        port_of_loading="CNSZX",
        port_of_discharge="NLRTM",
        consignment_items=(
            ConsignmentItem(
                carrier_booking_reference="245601234",
                description_of_goods=("Smartphones, 5G, 128 GB, boxed with chargers",),
                hs_codes=("851712",),
                cargo_items=(
                    CargoItem(
                        equipment_reference="MSKU9070323",
                        cargo_gross_weight=Measure(value=8420.5, unit="KGM"),
                        cargo_gross_volume=Measure(value=61.2, unit="MTQ"),
                        outer_packaging=OuterPackaging(
                            number_of_packages=960, package_code="CT", description="Cartons"
                        ),
                    ),
                ),
            ),
            ConsignmentItem(
                carrier_booking_reference="245601234",
                description_of_goods=("Laptop computers, 14 inch", "Lithium-ion batteries contained in equipment"),
                hs_codes=("847130",),
                cargo_items=(
                    CargoItem(
                        equipment_reference="MSKU1234565",
                        cargo_gross_weight=Measure(value=11250, unit="KGM"),
                        outer_packaging=OuterPackaging(
                            number_of_packages=1200, package_code="CT", description="Cartons"
                        ),
                    ),
                ),
            ),
        ),
        utilized_transport_equipments=(
            UtilizedTransportEquipment(
                equipment_reference="MSKU9070323",
                iso_equipment_code="45G1",
                seals=(Seal(number="ML-CN7714352", source="CAR"),),
            ),
            UtilizedTransportEquipment(
                equipment_reference="MSKU1234565",
                iso_equipment_code="45G1",
                seals=(Seal(number="ML-CN7714353", source="CAR"),),
            ),
        ),
        freight_payment_term_code="PRE",
        issue_date="2024-03-16",
        shipped_on_board_date="2024-03-15",
    )
    return _with_overrides(document, overrides)


# --------------------------------------------------------------------------------------------------------------
# Trade documents consistent with sample_transport_document(): the same bill, shipper, buyer, goods and containers
# --------------------------------------------------------------------------------------------------------------


def _shipment() -> tuple[str, Party, Party]:
    """The bill's reference, its shipper (the seller) and its notify party (the Rotterdam buyer)."""
    bill = sample_transport_document()
    return bill.transport_document_reference, bill.shipper, bill.notify_parties[0]


_PHONES = "Smartphones, 5G, 128 GB, boxed with chargers"
_LAPTOPS = "Laptop computers, 14 inch"


def sample_commercial_invoice(**overrides: Any) -> CommercialInvoice:
    """The seller's invoice for the sample bill: 1,600 smartphones and 1,200 laptops, USD 184,000.00 CIF
    Rotterdam, under a letter of credit. ``overrides`` replace fields by their Python names (re-validated)."""
    reference, seller, buyer = _shipment()
    invoice = CommercialInvoice(
        invoice_number="BS-INV-2024-0318",
        issue_date="2024-03-12",
        seller=seller,
        buyer=buyer,
        currency="USD",
        line_items=(
            LineItem(description=_PHONES, hs_code="851712", quantity=1600, unit_price="42.25", amount="67600.00"),
            LineItem(description=_LAPTOPS, hs_code="847130", quantity=1200, unit_price="97.00", amount="116400.00"),
        ),
        total_amount="184000.00",
        incoterms="CIF",
        named_place="Rotterdam",
        transport_document_reference=reference,
        letter_of_credit_number="LC-NL-2024-000417",
    )
    return _with_overrides(invoice, overrides)


def sample_packing_list(**overrides: Any) -> PackingList:
    """The packing list for the sample bill: 960 cartons of smartphones in MSKU9070323, 1,200 cartons of laptops
    in MSKU1234565, with the bill's gross weights."""
    reference, shipper, _ = _shipment()
    packing_list = PackingList(
        packing_list_number="BS-PL-2024-0318",
        issue_date="2024-03-12",
        shipper=shipper,
        transport_document_reference=reference,
        packages=(
            Package(
                equipment_reference="MSKU9070323",
                package_code="CT",
                number_of_packages=960,
                gross_weight_kg="8420.50",
                net_weight_kg="7680.00",
                description=_PHONES,
            ),
            Package(
                equipment_reference="MSKU1234565",
                package_code="CT",
                number_of_packages=1200,
                gross_weight_kg="11250.00",
                net_weight_kg="10440.00",
                description=_LAPTOPS,
            ),
        ),
    )
    return _with_overrides(packing_list, overrides)


def sample_certificate_of_origin(**overrides: Any) -> CertificateOfOrigin:
    """A non-preferential certificate of Chinese origin for the sample goods."""
    reference, exporter, consignee = _shipment()
    certificate = CertificateOfOrigin(
        certificate_number="CCPIT-SZ-2024-0031877",
        issue_date="2024-03-13",
        issuing_body=Party(party_name="CCPIT Shenzhen Sub-Council", address="Futian District, Shenzhen, CN"),
        exporter=exporter,
        consignee=consignee,
        country_of_origin="CN",
        transport_document_reference=reference,
        goods=(
            GoodsItem(description=_PHONES, hs_code="851712", quantity=1600),
            GoodsItem(description=_LAPTOPS, hs_code="847130", quantity=1200),
        ),
    )
    return _with_overrides(certificate, overrides)


def sample_insurance_certificate(**overrides: Any) -> InsuranceCertificate:
    """Institute Cargo Clauses (A) cover from Shenzhen to Rotterdam for USD 202,400.00: 110 % of the invoice's CIF
    value, effective the day before shipment."""
    reference, assured, _ = _shipment()
    certificate = InsuranceCertificate(
        certificate_number="PHMI-MC-2024-0047152",
        issue_date="2024-03-14",
        insurer=Party(
            party_name="Pacific Harbour Marine Insurance Co., Ltd.",
            address="Shennan Boulevard 6008, Shenzhen, CN",
        ),
        assured=assured,
        currency="USD",
        insured_amount="202400.00",
        coverage="ICC(A)",
        voyage_from="CNSZX",
        voyage_to="NLRTM",
        transport_document_reference=reference,
        effective_date="2024-03-14",
    )
    return _with_overrides(certificate, overrides)


def sample_inspection_certificate(**overrides: Any) -> InspectionCertificate:
    """A passed pre-shipment inspection of both sample containers."""
    reference, _, _ = _shipment()
    certificate = InspectionCertificate(
        certificate_number="SCIC-2024-SZ-03317",
        issue_date="2024-03-14",
        inspector=Party(
            party_name="Shenzhen Cargo Inspection & Certification Co., Ltd.",
            address="Yantian Port Logistics Park, Shenzhen, CN",
        ),
        transport_document_reference=reference,
        inspection_date="2024-03-13",
        result="PASSED",
        findings=(
            "Quantities, descriptions and HS codes conform to invoice BS-INV-2024-0318",
            "Cartons intact and marked; lithium battery labels present",
        ),
        equipment_references=("MSKU9070323", "MSKU1234565"),
    )
    return _with_overrides(certificate, overrides)


def sample_trade_documents() -> dict[DocType, TradeDocument]:
    """One sample of each type, in :class:`DocType` order."""
    return {
        DocType.COMMERCIAL_INVOICE: sample_commercial_invoice(),
        DocType.PACKING_LIST: sample_packing_list(),
        DocType.CERTIFICATE_OF_ORIGIN: sample_certificate_of_origin(),
        DocType.INSURANCE_CERTIFICATE: sample_insurance_certificate(),
        DocType.INSPECTION_CERTIFICATE: sample_inspection_certificate(),
    }
