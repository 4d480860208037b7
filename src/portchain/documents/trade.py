"""The trade documents beside the bill of lading: commercial invoice, packing list, certificate of origin,
insurance certificate and inspection certificate.

Each is an immutable, validated dataclass with the same JSON, canonical form (RFC 8785) and hashing as
:class:`~portchain.documents.TransportDocument`. Its JSON names its type in ``"documentType"``, and its hash is what
the ``TradeDocuments`` contract anchors, under :class:`DocType` (which also says which registry role may anchor it).
Money and weights are decimal strings such as ``"1234.50"``, never floats, and are checked exactly.

>>> invoice = sample_commercial_invoice()
>>> invoice.doc_type, invoice.doc_type.issuer_role
(<DocType.COMMERCIAL_INVOICE: 0>, <Role.SHIPPER: 1>)
>>> invoice.currency, invoice.total_amount, invoice.incoterms, invoice.named_place, len(invoice.hash())
('USD', '184000.00', 'CIF', 'Rotterdam', 32)
>>> load_trade_document(invoice.to_json()) == invoice
True
>>> CommercialInvoice.from_json({**invoice.to_json(), "totalAmount": "184000.01"})
Traceback (most recent call last):
...
portchain.errors.InputError: commercialInvoice.totalAmount: '184000.01' is not the sum of the lineItems (184000.00)
>>> sample_insurance_certificate().covers_ucp_minimum(Decimal("184000.00"))  # UCP 600 art. 28(f)(ii): 110 %
True
"""

from __future__ import annotations

import dataclasses
import decimal
import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, ClassVar, Union

from ..errors import InputError
from ..types import DocType
from . import (
    Party,
    _atomic_write,
    _container_number,
    _country,
    _dump,
    _f,
    _fail,
    _hs_code,
    _iso_date,
    _JsonRecord,
    _kind,
    _list_of,
    _nested,
    _one_of,
    _parse_fields,
    _parse_json_text,
    _pattern,
    _positive_integer,
    _text,
    _unlocode,
    canonical_json,
    document_hash,
    sample_transport_document,
)

__all__ = [
    "INCOTERMS",
    "CertificateOfOrigin",
    "CommercialInvoice",
    "DocType",
    "document_class",
    "GoodsItem",
    "InspectionCertificate",
    "InsuranceCertificate",
    "LineItem",
    "Package",
    "PackingList",
    "TradeDocument",
    "load_trade_document",
    "sample_certificate_of_origin",
    "sample_commercial_invoice",
    "sample_inspection_certificate",
    "sample_insurance_certificate",
    "sample_packing_list",
    "sample_trade_documents",
]


INCOTERMS = {  # Incoterms 2020: seven rules for any mode of transport, four for sea and inland waterway
    "EXW": "Ex Works",
    "FCA": "Free Carrier",
    "CPT": "Carriage Paid To",
    "CIP": "Carriage and Insurance Paid To",
    "DAP": "Delivered at Place",
    "DPU": "Delivered at Place Unloaded",
    "DDP": "Delivered Duty Paid",
    "FAS": "Free Alongside Ship",
    "FOB": "Free on Board",
    "CFR": "Cost and Freight",
    "CIF": "Cost, Insurance and Freight",
}
INSPECTION_RESULTS = {"PASSED": "the goods conform", "FAILED": "the goods do not conform"}

# --------------------------------------------------------------------------------------------------------------
# Field checks beyond those of documents.py
# --------------------------------------------------------------------------------------------------------------

_DECIMAL = re.compile(r"(?:0|[1-9][0-9]{0,17})(?:\.[0-9]{1,6})?")
_EXACT = decimal.Context(prec=decimal.MAX_PREC, Emax=decimal.MAX_EMAX, Emin=decimal.MIN_EMIN)  # + and * are exact


def _decimal_string(*, positive: bool) -> Any:
    """A decimal string such as ``"1234.50"`` (no sign or exponent; up to 18 digits before the point and 6 after).
    A finite ``Decimal`` from Python is accepted and written out; numbers (floats above all) are refused."""

    def check(value: Any, path: str) -> str:
        if isinstance(value, Decimal) and value.is_finite():
            value = format(value, "f")
        if not isinstance(value, str):
            hint = " (floats are not exact: write amounts as strings)" if isinstance(value, float) else ""
            raise _fail(path, f"expected a decimal string such as '1234.50', got {_kind(value)} {value!r}{hint}")
        if not _DECIMAL.fullmatch(value):
            raise _fail(
                path,
                f"{value!r} is not a decimal string such as '1234.50' "
                "(digits, no sign or exponent, at most 18 before the point and 6 after)",
            )
        if positive and Decimal(value) == 0:
            raise _fail(path, f"{value!r} must be more than zero")
        return value

    return check


_amount = _decimal_string(positive=False)
_positive_amount = _decimal_string(positive=True)
_currency = _pattern(r"[A-Z]{3}", "an ISO 4217 currency code (3 capital letters, e.g. USD)")
_reference = _text(35)
_transport_document_reference = _text(20)


def _incoterm(value: Any, path: str) -> str:
    if not isinstance(value, str) or value not in INCOTERMS:
        raise _fail(path, f"{value!r} is not an Incoterms 2020 rule; one of {', '.join(INCOTERMS)}")
    return value


def _to_decimal(value: Any, what: str) -> Decimal:
    """A finite Decimal from a Decimal, an int or a decimal string; floats are refused as inexact."""
    if isinstance(value, bool) or not isinstance(value, (Decimal, int, str)):
        raise InputError(f"{what}: expected a Decimal or a decimal string, got {type(value).__name__} {value!r}")
    try:
        number = Decimal(value)
    except decimal.InvalidOperation:
        raise InputError(f"{what}: {value!r} is not a decimal number") from None
    if not number.is_finite():
        raise InputError(f"{what}: {value!r} is not a finite number")
    return number


# --------------------------------------------------------------------------------------------------------------
# Shared behaviour of the five documents
# --------------------------------------------------------------------------------------------------------------

_TYPE_KEY = "documentType"


class _TradeDocument(_JsonRecord):
    """JSON, canonical form, hashing and files, shared by the five document classes."""

    doc_type: ClassVar[DocType]
    _root: ClassVar[str]  # the JSON path prefix of errors, e.g. "commercialInvoice"

    def __post_init__(self) -> None:
        # As TransportDocument: validate whatever was passed through the JSON form (errors name the field path),
        # then store the normalised values (nested dataclasses, tuples, ISO date strings, decimal strings).
        values = _parse_fields(type(self), _dump(self), self._root)
        for f in dataclasses.fields(self):  # type: ignore[arg-type]
            object.__setattr__(self, f.name, values.get(f.name, f.default))

    @classmethod
    def from_json(cls, data: Any, path: str = "") -> Any:
        """Read JSON: a dict, or JSON text as ``str``/``bytes``. ``documentType`` must name this class's type;
        unknown and missing fields are refused."""
        path = path or cls._root
        if isinstance(data, cls):
            data = data.to_json()
        if isinstance(data, (str, bytes, bytearray, memoryview)):
            data = _parse_json_text(data, path)
        if not isinstance(data, Mapping):
            raise _fail(path, f"expected a JSON object, got {_kind(data)}")
        expected = cls.doc_type.name
        if _TYPE_KEY not in data:
            raise _fail(path, f"missing required field {_TYPE_KEY!r} (must be {expected!r})")
        found = data[_TYPE_KEY]
        if found != expected:
            hint = ""
            if isinstance(found, str) and found in DocType.__members__:
                other = _CLASSES[DocType[found]].__name__
                hint = f" (read it with {other}.from_json or load_trade_document)"
            raise _fail(f"{path}.{_TYPE_KEY}", f"{found!r} is not {expected!r}{hint}")
        fields = {key: value for key, value in data.items() if key != _TYPE_KEY}
        return cls(**_parse_fields(cls, fields, path))

    def to_json(self) -> dict[str, Any]:
        """The document as JSON: ``documentType`` first, then camelCase fields (absent optional ones left out)."""
        return {_TYPE_KEY: self.doc_type.name, **_dump(self)}

    def canonical(self) -> bytes:
        """The canonical JSON (RFC 8785) whose hash is anchored on chain."""
        return canonical_json(self.to_json())

    def hash(self, algorithm: str = "keccak256") -> bytes:
        """The 32-byte document hash: keccak256 (what ``TradeDocuments`` anchors) or sha256 of :meth:`canonical`."""
        return document_hash(self.to_json(), algorithm)

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> Any:
        """Read a JSON file; errors name the file."""
        return cls.from_json(Path(path).read_bytes(), f"{Path(path).name}: {cls._root}")

    def dump(self, path: str | os.PathLike[str]) -> Path:
        """Write indented JSON (UTF-8) to ``path``; the hash does not depend on the layout."""
        text = json.dumps(self.to_json(), indent=2, ensure_ascii=False) + "\n"
        target = Path(path)
        _atomic_write(target, text.encode("utf-8"))
        return target


def _check_dates(values: dict[str, Any], path: str, earlier: tuple[str, str], later: tuple[str, str]) -> None:
    """``values[earlier]`` must not be after ``values[later]`` (ISO date strings compare as dates)."""
    (early_name, early_key), (late_name, late_key) = earlier, later
    if values[early_name] > values[late_name]:
        raise _fail(f"{path}.{early_key}", f"{values[early_name]!r} is after {late_key} {values[late_name]!r}")


# --------------------------------------------------------------------------------------------------------------
# Commercial invoice
# --------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class LineItem(_JsonRecord):
    """One invoice line: ``amount`` must equal ``quantity`` x ``unitPrice`` exactly."""

    description: str = _f("description", _text(500))
    hs_code: str = _f("hsCode", _hs_code)
    quantity: int = _f("quantity", _positive_integer)
    unit_price: str = _f("unitPrice", _amount)
    amount: str = _f("amount", _amount)

    @staticmethod
    def _validate(values: dict[str, Any], path: str) -> None:
        quantity, unit_price, amount = values["quantity"], values["unit_price"], values["amount"]
        product = _EXACT.multiply(Decimal(quantity), Decimal(unit_price))
        if Decimal(amount) != product:
            raise _fail(
                f"{path}.amount",
                f"{amount!r} is not quantity x unitPrice ({quantity} x {unit_price} = {product})",
            )


@dataclass(frozen=True, kw_only=True)
class CommercialInvoice(_TradeDocument):
    """The seller's bill for the goods: lines, total, currency, Incoterms rule and the bill of lading it covers.

    ``totalAmount`` must equal the sum of the line amounts exactly; amounts are decimal strings.
    """

    doc_type = DocType.COMMERCIAL_INVOICE
    _root = "commercialInvoice"

    invoice_number: str = _f("invoiceNumber", _reference)
    issue_date: str = _f("issueDate", _iso_date)
    seller: Party = _f("seller", _nested(Party))
    buyer: Party = _f("buyer", _nested(Party))
    currency: str = _f("currency", _currency)
    line_items: tuple[LineItem, ...] = _f("lineItems", _list_of(_nested(LineItem), min_items=1))
    total_amount: str = _f("totalAmount", _amount)
    incoterms: str = _f("incoterms", _incoterm)
    named_place: str = _f("namedPlace", _text(70))
    transport_document_reference: str = _f("transportDocumentReference", _transport_document_reference)
    letter_of_credit_number: str | None = _f("letterOfCreditNumber", _reference, optional=True)

    @staticmethod
    def _validate(values: dict[str, Any], path: str) -> None:
        total = Decimal(0)
        for item in values["line_items"]:
            total = _EXACT.add(total, Decimal(item.amount))
        if Decimal(values["total_amount"]) != total:
            raise _fail(
                f"{path}.totalAmount",
                f"{values['total_amount']!r} is not the sum of the lineItems ({total})",
            )


# --------------------------------------------------------------------------------------------------------------
# Packing list
# --------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Package(_JsonRecord):
    """Packages of one kind in one container (ISO 6346 number, check digit verified); net weight <= gross."""

    equipment_reference: str = _f("equipmentReference", _container_number)
    package_code: str = _f("packageCode", _pattern(r"[A-Z0-9]{2}", "a 2-character package code"))
    number_of_packages: int = _f("numberOfPackages", _positive_integer)
    gross_weight_kg: str = _f("grossWeightKg", _positive_amount)
    net_weight_kg: str = _f("netWeightKg", _positive_amount)
    description: str = _f("description", _text(500))

    @staticmethod
    def _validate(values: dict[str, Any], path: str) -> None:
        gross, net = values["gross_weight_kg"], values["net_weight_kg"]
        if Decimal(net) > Decimal(gross):
            raise _fail(f"{path}.netWeightKg", f"{net!r} is more than grossWeightKg {gross!r}")


@dataclass(frozen=True, kw_only=True)
class PackingList(_TradeDocument):
    """What is packed where: packages per container, with weights in kilograms."""

    doc_type = DocType.PACKING_LIST
    _root = "packingList"

    packing_list_number: str = _f("packingListNumber", _reference)
    issue_date: str = _f("issueDate", _iso_date)
    shipper: Party = _f("shipper", _nested(Party))
    transport_document_reference: str = _f("transportDocumentReference", _transport_document_reference)
    packages: tuple[Package, ...] = _f("packages", _list_of(_nested(Package), min_items=1))


# --------------------------------------------------------------------------------------------------------------
# Certificate of origin
# --------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class GoodsItem(_JsonRecord):
    """Goods certified by a certificate of origin."""

    description: str = _f("description", _text(500))
    hs_code: str = _f("hsCode", _hs_code)
    quantity: int = _f("quantity", _positive_integer)


@dataclass(frozen=True, kw_only=True)
class CertificateOfOrigin(_TradeDocument):
    """Where the goods were made, certified by an issuing body (e.g. a chamber of commerce)."""

    doc_type = DocType.CERTIFICATE_OF_ORIGIN
    _root = "certificateOfOrigin"

    certificate_number: str = _f("certificateNumber", _reference)
    issue_date: str = _f("issueDate", _iso_date)
    issuing_body: Party = _f("issuingBody", _nested(Party))
    exporter: Party = _f("exporter", _nested(Party))
    consignee: Party = _f("consignee", _nested(Party))
    country_of_origin: str = _f("countryOfOrigin", _country)
    transport_document_reference: str = _f("transportDocumentReference", _transport_document_reference)
    goods: tuple[GoodsItem, ...] = _f("goods", _list_of(_nested(GoodsItem), min_items=1))
    preference_criterion: str | None = _f("preferenceCriterion", _text(35), optional=True)


# --------------------------------------------------------------------------------------------------------------
# Insurance certificate
# --------------------------------------------------------------------------------------------------------------

_UCP_MINIMUM = Decimal("1.10")  # UCP 600 art. 28(f)(ii): at least 110 % of the CIF or CIP value


@dataclass(frozen=True, kw_only=True)
class InsuranceCertificate(_TradeDocument):
    """Cargo insurance for the voyage. Whether it covers 110 % of the CIF value (UCP 600 art. 28(f)(ii)) is
    checked by :meth:`covers_ucp_minimum`, not on construction; nor is ``effectiveDate`` compared with the
    shipment date on the bill."""

    doc_type = DocType.INSURANCE_CERTIFICATE
    _root = "insuranceCertificate"

    certificate_number: str = _f("certificateNumber", _reference)
    issue_date: str = _f("issueDate", _iso_date)
    insurer: Party = _f("insurer", _nested(Party))
    assured: Party = _f("assured", _nested(Party))
    currency: str = _f("currency", _currency)
    insured_amount: str = _f("insuredAmount", _positive_amount)
    coverage: str = _f("coverage", _text(100))
    voyage_from: str = _f("voyageFrom", _unlocode)
    voyage_to: str = _f("voyageTo", _unlocode)
    transport_document_reference: str = _f("transportDocumentReference", _transport_document_reference)
    effective_date: str = _f("effectiveDate", _iso_date)

    @staticmethod
    def _validate(values: dict[str, Any], path: str) -> None:
        if values["voyage_from"] == values["voyage_to"]:
            raise _fail(f"{path}.voyageTo", f"{values['voyage_to']!r} is the same as voyageFrom")

    def covers_ucp_minimum(self, cif_value: Decimal | str | int) -> bool:
        """Whether ``insuredAmount`` is at least 110 % of ``cif_value`` (UCP 600 art. 28(f)(ii)), compared exactly.
        ``cif_value`` is in this certificate's currency, as a Decimal, int or decimal string (not a float)."""
        value = _to_decimal(cif_value, "cif_value")
        return Decimal(self.insured_amount) >= _EXACT.multiply(value, _UCP_MINIMUM)


# --------------------------------------------------------------------------------------------------------------
# Inspection certificate
# --------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class InspectionCertificate(_TradeDocument):
    """An inspector's verdict on the goods. ``inspectionDate`` may not be after ``issueDate``; a ``FAILED``
    result needs findings; containers may not be listed twice."""

    doc_type = DocType.INSPECTION_CERTIFICATE
    _root = "inspectionCertificate"

    certificate_number: str = _f("certificateNumber", _reference)
    issue_date: str = _f("issueDate", _iso_date)
    inspector: Party = _f("inspector", _nested(Party))
    transport_document_reference: str = _f("transportDocumentReference", _transport_document_reference)
    inspection_date: str = _f("inspectionDate", _iso_date)
    result: str = _f("result", _one_of(INSPECTION_RESULTS))
    findings: tuple[str, ...] = _f("findings", _list_of(_text(1000), min_items=1), optional=True, default=())
    equipment_references: tuple[str, ...] = _f(
        "equipmentReferences", _list_of(_container_number, min_items=1), optional=True, default=()
    )

    @staticmethod
    def _validate(values: dict[str, Any], path: str) -> None:
        _check_dates(values, path, ("inspection_date", "inspectionDate"), ("issue_date", "issueDate"))
        if values["result"] == "FAILED" and not values.get("findings"):
            raise _fail(f"{path}.findings", "required when result is 'FAILED'")
        seen: set[str] = set()
        for i, container in enumerate(values.get("equipment_references", ())):
            if container in seen:
                raise _fail(f"{path}.equipmentReferences[{i}]", f"{container!r} is listed twice")
            seen.add(container)

    @property
    def passed(self) -> bool:
        """Whether the result is ``PASSED``."""
        return self.result == "PASSED"


TradeDocument = Union[CommercialInvoice, PackingList, CertificateOfOrigin, InsuranceCertificate, InspectionCertificate]

_CLASSES: dict[DocType, type[_TradeDocument]] = {
    cls.doc_type: cls
    for cls in (CommercialInvoice, PackingList, CertificateOfOrigin, InsuranceCertificate, InspectionCertificate)
}


def document_class(doc_type: DocType) -> type[_TradeDocument]:
    """The dataclass for documents of ``doc_type``."""
    return _CLASSES[doc_type]


def load_trade_document(data: Any) -> TradeDocument:
    """Read any of the five documents, by its ``documentType``: a dict, JSON text (``bytes``, or a ``str``
    starting with ``{``), a path (``Path``, or any other ``str``) to a JSON file, or a document (returned as is).
    """
    if isinstance(data, tuple(_CLASSES.values())):
        return data  # type: ignore[return-value]
    source = "tradeDocument"
    if isinstance(data, os.PathLike) or (isinstance(data, str) and not data.lstrip().startswith("{")):
        path = Path(data)
        source = f"{path.name}: tradeDocument"
        data = _parse_json_text(path.read_bytes(), source)
    elif isinstance(data, (str, bytes, bytearray, memoryview)):
        data = _parse_json_text(data, source)
    if not isinstance(data, Mapping):
        raise _fail(source, f"expected a JSON object, got {_kind(data)}")
    names = ", ".join(t.name for t in DocType)
    if _TYPE_KEY not in data:
        hint = ""
        if "transportDocumentTypeCode" in data:
            hint = "; this looks like a transport document: read it with TransportDocument.from_json"
        raise _fail(source, f"missing required field {_TYPE_KEY!r} (one of {names}){hint}")
    found = data[_TYPE_KEY]
    if not isinstance(found, str) or found not in DocType.__members__:
        raise _fail(f"{source}.{_TYPE_KEY}", f"{found!r} is not one of {names}")
    cls = _CLASSES[DocType[found]]
    prefix = source[: -len("tradeDocument")]
    return cls.from_json(data, f"{prefix}{cls._root}")  # type: ignore[no-any-return]


# --------------------------------------------------------------------------------------------------------------
# Samples consistent with sample_transport_document(): Shenzhen (CNSZX) to Rotterdam (NLRTM), bill MAEU245601234
# --------------------------------------------------------------------------------------------------------------


def _with_overrides(document: Any, overrides: dict[str, Any]) -> Any:
    if not overrides:
        return document
    names = {f.name for f in dataclasses.fields(document)}
    unknown = sorted(set(overrides) - names)
    if unknown:
        fields = ", ".join(sorted(names))
        raise InputError(f"unknown {type(document).__name__} field(s) {', '.join(unknown)}; fields are {fields}")
    return dataclasses.replace(document, **overrides)


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
    return _with_overrides(invoice, overrides)  # type: ignore[no-any-return]


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
    return _with_overrides(packing_list, overrides)  # type: ignore[no-any-return]


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
    return _with_overrides(certificate, overrides)  # type: ignore[no-any-return]


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
    return _with_overrides(certificate, overrides)  # type: ignore[no-any-return]


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
    return _with_overrides(certificate, overrides)  # type: ignore[no-any-return]


def sample_trade_documents() -> dict[DocType, TradeDocument]:
    """One sample of each type, in :class:`DocType` order."""
    return {
        DocType.COMMERCIAL_INVOICE: sample_commercial_invoice(),
        DocType.PACKING_LIST: sample_packing_list(),
        DocType.CERTIFICATE_OF_ORIGIN: sample_certificate_of_origin(),
        DocType.INSURANCE_CERTIFICATE: sample_insurance_certificate(),
        DocType.INSPECTION_CERTIFICATE: sample_inspection_certificate(),
    }
