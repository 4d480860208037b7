"""Realistic sample documents of one shipment: consumer electronics from Shenzhen (CNSZX) to Rotterdam (NLRTM) under
bill of lading MAEU245601234, a DCSA eBL 3.0 transport document issued by the devnet carrier (Blue Anchor Line A/S),
and the trade documents that go with it. The parties are the devnet cast (:mod:`portchain.devnet`) with its codes.

``sample_transport_document`` takes changes as DCSA JSON field paths (:meth:`TransportDocument.with_changes`);
the trade samples take ``overrides`` by their Python field names. Either way the result is validated.

>>> bill = sample_transport_document()
>>> bill.reference, bill.status, bill.equipment_references
('MAEU245601234', 'ISSUED', ('MSKU9070323', 'MSKU1234565'))
>>> waybill = sample_transport_document(
...     {"transportDocumentTypeCode": "SWB", "isToOrder": False, "documentParties.consignee": sample_consignee_party()})
>>> waybill.bill_kind.name, [str(code) for code in waybill.party_codes("consignee")]
('SEA_WAYBILL', ['GLEIF:9845PCCONSIGNEE00023'])
>>> invoice = sample_commercial_invoice(incoterms="FOB", named_place="Shenzhen")
>>> invoice.seller.party_name == bill.party("shipper")["partyName"], invoice.transport_document_reference
(True, 'MAEU245601234')
>>> sample_packing_list(shiper=None)
Traceback (most recent call last):
...
portchain.errors.InputError: unknown PackingList field(s) shiper; fields are issue_date, packages, ...
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Mapping
from functools import cache
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
    Party,
    TradeDocument,
)
from .transport import TransportDocument

__all__ = [
    "sample_certificate_of_origin",
    "sample_commercial_invoice",
    "sample_consignee_party",
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


# --------------------------------------------------------------------------------------------------------------
# The transport document: DCSA eBL 3.0 JSON
# --------------------------------------------------------------------------------------------------------------


def _lei(code: str) -> dict[str, str]:
    return {"codeListProvider": "GLEIF", "codeListName": "LEI", "partyCode": code}


_CARRIER = {
    "partyName": "Blue Anchor Line A/S",
    "address": {"street": "Amaliegade", "streetNumber": "22", "postCode": "1256", "city": "Copenhagen",
                "countryCode": "DK"},
    "identifyingCodes": [_lei("9845PCCARRIER0000041")],
}
_SHIPPER = {
    "partyName": "Shenzhen Bright Electronics Co., Ltd.",
    "address": {"street": "Keji South 12th Road", "streetNumber": "18", "postCode": "518057", "city": "Shenzhen",
                "stateRegion": "Guangdong", "countryCode": "CN"},
    "identifyingCodes": [_lei("9845PCSHIPPER0000097")],
    "partyContactDetails": [{"name": "Export documentation", "email": "export@bright-electronics.example"}],
}
_CONSIGNEE = {
    "partyName": "Rotterdam Home Retail B.V.",
    "address": {"street": "Waalhaven Zuidzijde", "streetNumber": "21", "postCode": "3089 JH", "city": "Rotterdam",
                "countryCode": "NL"},
    "identifyingCodes": [_lei("9845PCCONSIGNEE00023")],
}


def _cargo(container: str, kilograms: float, cartons: int, cubic_metres: float) -> dict[str, Any]:
    return {
        "equipmentReference": container,
        "cargoGrossWeight": {"value": kilograms, "unit": "KGM"},
        "cargoGrossVolume": {"value": cubic_metres, "unit": "MTQ"},
        "outerPackaging": {"numberOfPackages": cartons, "packageCode": "CT", "description": "Cartons"},
    }


def _container(container: str, seal: str) -> dict[str, Any]:
    return {
        "equipment": {"equipmentReference": container, "ISOEquipmentCode": "45G1"},
        "isShipperOwned": False,
        "seals": [{"number": seal, "source": "CAR"}],
    }


_TERMS = (
    "Received by the Carrier in apparent good order and condition, unless otherwise stated, the total number of "
    "containers or packages stated above, for carriage from the Port of Loading to the Port of Discharge, subject "
    "to the terms and conditions of the Blue Anchor Line A/S bill of lading (edition 2024), incorporated herein. "
    "One original electronic bill of lading, duly endorsed, must be surrendered in exchange for the goods."
)

_SAMPLE: dict[str, Any] = {
    "transportDocumentReference": "MAEU245601234",
    "shippingInstructionsReference": "SI-BRIGHT-2024-0311",
    "transportDocumentStatus": "ISSUED",
    "transportDocumentTypeCode": "BOL",
    "isShippedOnBoardType": True,
    "freightPaymentTermCode": "PRE",
    "isElectronic": True,
    "isToOrder": True,
    "shippedOnBoardDate": "2024-03-15",
    "issueDate": "2024-03-16",
    "placeOfIssue": {"locationName": "Shenzhen", "UNLocationCode": "CNSZX"},
    "displayedShippedOnBoardReceivedForShipment": "Shipped on board BLUE ANCHOR MADRID 15-Mar-2024, Yantian, "
                                                  "Shenzhen, for Blue Anchor Line A/S as carrier",
    "termsAndConditions": _TERMS,
    "receiptTypeAtOrigin": "CY",
    "deliveryTypeAtDestination": "CY",
    "cargoMovementTypeAtOrigin": "FCL",
    "cargoMovementTypeAtDestination": "FCL",
    "serviceContractReference": "BAL-SC-2024-0417",
    "carrierCode": "BAL",
    "carrierCodeListProvider": "SMDG",
    "transports": {
        "plannedDepartureDate": "2024-03-15",
        "plannedArrivalDate": "2024-04-18",
        "portOfLoading": {"UNLocationCode": "CNSZX"},
        "portOfDischarge": {"UNLocationCode": "NLRTM"},
        "vesselVoyages": [
            {"vesselName": "BLUE ANCHOR MADRID", "carrierExportVoyageNumber": "412W",
             "universalExportVoyageReference": "2412W"},
        ],
    },
    "charges": [
        {"chargeName": "Basic ocean freight", "currencyAmount": 3200, "currencyCode": "USD", "paymentTermCode": "PRE",
         "calculationBasis": "Per container", "unitPrice": 1600, "quantity": 2},
    ],
    "invoicePayableAt": {"UNLocationCode": "CNSZX"},
    "partyContactDetails": [{"name": "BAL Shenzhen export documentation", "email": "docs.cnszx@blueanchor.example"}],
    "documentParties": {
        "shipper": _SHIPPER,
        "issuingParty": _CARRIER,
        "notifyParties": [_CONSIGNEE],
    },
    "consignmentItems": [
        {
            "carrierBookingReference": "245601234",
            "descriptionOfGoods": ["Smartphones, 5G, 128 GB", "boxed with chargers"],
            "HSCodes": ["851712"],
            "cargoItems": [_cargo("MSKU9070323", 8420.5, 960, 61.2)],
        },
        {
            "carrierBookingReference": "245601234",
            "descriptionOfGoods": ["Laptop computers, 14 inch", "Lithium-ion batteries in equipment"],
            "HSCodes": ["847130"],
            "cargoItems": [_cargo("MSKU1234565", 11250, 1200, 66.5)],
        },
    ],
    "utilizedTransportEquipments": [_container("MSKU9070323", "BA-CN7714352"), _container("MSKU1234565",
                                                                                          "BA-CN7714353")],
}


@cache
def _sample() -> TransportDocument:
    return TransportDocument(_SAMPLE, strict=True)


def sample_transport_document(changes: Mapping[str, Any] | None = None, /, **fields: Any) -> TransportDocument:
    """A realistic, issued, electronic to-order bill of lading (DCSA eBL 3.0): consumer electronics from Shenzhen
    (CNSZX) to Rotterdam (NLRTM) on BLUE ANCHOR MADRID, in two 40' high cubes, issued by Blue Anchor Line A/S
    (SMDG ``BAL``) for the shipper Shenzhen Bright Electronics Co., Ltd., notifying Rotterdam Home Retail B.V.;
    no endorsee (to the order of the shipper). Each party carries its devnet LEI.

    ``changes`` (a mapping, for dotted paths) and ``fields`` (keyword arguments, top-level keys) are DCSA JSON field
    paths applied with :meth:`TransportDocument.with_changes` (None removes a field)::

        sample_transport_document({"transportDocumentTypeCode": "SWB", "isToOrder": False,
                                   "documentParties.consignee": sample_consignee_party()})
    """
    merged = {**(changes or {}), **fields}
    return _sample().with_changes(merged) if merged else _sample()


def sample_consignee_party() -> dict[str, Any]:
    """DCSA's ``consignee`` object for Rotterdam Home Retail B.V. (GLEIF LEI 9845PCCONSIGNEE00023), the sample's
    notify party and buyer: for a straight bill or a sea waybill of the sample shipment."""
    return copy.deepcopy(_CONSIGNEE)


# --------------------------------------------------------------------------------------------------------------
# Trade documents consistent with sample_transport_document(): the same bill, shipper, buyer, goods and containers
# --------------------------------------------------------------------------------------------------------------


def _trade_party(party: Mapping[str, Any]) -> Party:
    """A DCSA party as a trade document's party: its name, address and identifying codes."""
    return Party.from_json({key: party[key] for key in ("partyName", "address", "identifyingCodes") if key in party})


def _shipment() -> tuple[str, Party, Party]:
    """The bill's reference, its shipper (the seller) and its notify party (the Rotterdam buyer)."""
    parties = _SAMPLE["documentParties"]
    return _SAMPLE["transportDocumentReference"], _trade_party(parties["shipper"]), _trade_party(_CONSIGNEE)


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
