"""The trade documents beside the bill of lading: commercial invoice, packing list, certificate of origin,
insurance certificate and inspection certificate.

Each is an immutable, validated pydantic model with the same JSON, canonical form (RFC 8785) and hashing as
:class:`~portchain.documents.TransportDocument`. Its JSON names its type in ``"documentType"``, and its hash is what
the ``TradeDocuments`` contract anchors, under :class:`DocType` (which also says which registry role may anchor it).
Money and weights are decimal strings such as ``"1234.50"``, never floats, and are checked exactly.

>>> from .samples import sample_commercial_invoice, sample_insurance_certificate
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

The ``sample_*`` functions live in :mod:`portchain.documents.samples` and are importable from here too.
"""

from __future__ import annotations

import decimal
import os
import re
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, ClassVar

from pydantic import BeforeValidator, Field, model_validator
from typing_extensions import Self

from ..errors import InputError
from ..types import DocType
from ._fields import (
    ContainerNumber,
    CountryCode,
    HsCode,
    IsoDate,
    PositiveInt,
    UnLocode,
    array,
    checked_text,
    kind,
    one_of,
    pattern,
    problem,
    problem_at,
    text,
)
from ._record import Document, Record, record, validated
from .canonical import parse_json_text

if TYPE_CHECKING:
    from .samples import (
        sample_certificate_of_origin,
        sample_commercial_invoice,
        sample_inspection_certificate,
        sample_insurance_certificate,
        sample_packing_list,
        sample_trade_documents,
    )

__all__ = [
    "INCOTERMS",
    "INSPECTION_RESULTS",
    "Address",
    "CertificateOfOrigin",
    "CommercialInvoice",
    "DocType",
    "GoodsItem",
    "IdentifyingCode",
    "InspectionCertificate",
    "InsuranceCertificate",
    "LineItem",
    "Package",
    "PackingList",
    "Party",
    "TradeDocument",
    "document_class",
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
# Field checks of trade documents only
# --------------------------------------------------------------------------------------------------------------

_DECIMAL = re.compile(r"(?:0|[1-9][0-9]{0,17})(?:\.[0-9]{1,6})?")
_EXACT = decimal.Context(prec=decimal.MAX_PREC, Emax=decimal.MAX_EMAX, Emin=decimal.MIN_EMIN)  # + and * are exact


def _decimal_string(*, positive: bool) -> BeforeValidator:
    """A decimal string such as ``"1234.50"`` (no sign or exponent; up to 18 digits before the point and 6 after).
    A finite ``Decimal`` from Python is accepted and written out; numbers (floats above all) are refused."""

    def check(value: Any) -> str:
        if isinstance(value, Decimal) and value.is_finite():
            value = format(value, "f")
        if not isinstance(value, str):
            hint = " (floats are not exact: write amounts as strings)" if isinstance(value, float) else ""
            raise problem(f"expected a decimal string such as '1234.50', got {kind(value)} {value!r}{hint}")
        if not _DECIMAL.fullmatch(value):
            raise problem(
                f"{value!r} is not a decimal string such as '1234.50' "
                "(digits, no sign or exponent, at most 18 before the point and 6 after)"
            )
        if positive and Decimal(value) == 0:
            raise problem(f"{value!r} must be more than zero")
        return value

    return BeforeValidator(check)


def _incoterm(value: Any) -> str:
    if not isinstance(value, str) or value not in INCOTERMS:
        raise problem(f"{value!r} is not an Incoterms 2020 rule; one of {', '.join(INCOTERMS)}")
    return value


Amount = Annotated[str, _decimal_string(positive=False)]
PositiveAmount = Annotated[str, _decimal_string(positive=True)]
Currency = Annotated[str, pattern(r"[A-Z]{3}", "an ISO 4217 currency code (3 capital letters, e.g. USD)")]
Incoterm = Annotated[str, BeforeValidator(_incoterm)]
Reference = Annotated[str, text(35)]
TransportDocumentReference = Annotated[str, text(20)]


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
# The parties of trade documents (seller, buyer, exporter, insurer ...)
# --------------------------------------------------------------------------------------------------------------


@record
class Address(Record):
    """A structured postal address (the fields of DCSA's ``Address``)."""

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
    """A party's code in some code list, e.g. ``codeListProvider="GLEIF", partyCode=<an LEI>``."""

    code_list_provider: Annotated[str, text(100)]
    party_code: Annotated[str, text(150)]
    code_list_name: Annotated[str | None, text(100)] = None


@record
class Party(Record):
    """A party to a trade document: a name, an address (structured or free text) and identifying codes (the
    ``partyName``, ``address`` and ``identifyingCodes`` of a DCSA party)."""

    party_name: Annotated[str, text(70)]
    address: Annotated[Address | str | None, BeforeValidator(_address)] = None
    identifying_codes: Annotated[tuple[IdentifyingCode, ...], array()] = ()


# --------------------------------------------------------------------------------------------------------------
# Shared behaviour of the five documents
# --------------------------------------------------------------------------------------------------------------

_TYPE_KEY = "documentType"


class _TradeDocument(Document):
    """JSON with its ``documentType``, shared by the five document classes."""

    doc_type: ClassVar[DocType]

    @classmethod
    def from_json(cls, data: Any, path: str = "") -> Self:
        """Read JSON: a dict, or JSON text as ``str``/``bytes``. ``documentType`` must name this class's type;
        unknown and missing fields are refused."""
        path = path or cls._root
        if isinstance(data, cls):
            data = data.to_json()
        if isinstance(data, (str, bytes, bytearray, memoryview)):
            data = parse_json_text(data, path)
        if not isinstance(data, Mapping):
            raise InputError(f"{path}: expected a JSON object, got {kind(data)}")
        expected = cls.doc_type.name
        if _TYPE_KEY not in data:
            raise InputError(f"{path}: missing required field {_TYPE_KEY!r} (must be {expected!r})")
        found = data[_TYPE_KEY]
        if found != expected:
            hint = ""
            if isinstance(found, str) and found in DocType.__members__:
                other = _CLASSES[DocType[found]].__name__
                hint = f" (read it with {other}.from_json or load_trade_document)"
            raise InputError(f"{path}.{_TYPE_KEY}: {found!r} is not {expected!r}{hint}")
        return super().from_json({key: value for key, value in data.items() if key != _TYPE_KEY}, path)

    def to_json(self) -> dict[str, Any]:
        """The document as JSON: ``documentType`` first, then camelCase fields (absent optional ones left out)."""
        return {_TYPE_KEY: self.doc_type.name, **super().to_json()}


# --------------------------------------------------------------------------------------------------------------
# Commercial invoice
# --------------------------------------------------------------------------------------------------------------


@record
class LineItem(Record):
    """One invoice line: ``amount`` must equal ``quantity`` x ``unitPrice`` exactly."""

    description: Annotated[str, text(500)]
    hs_code: HsCode
    quantity: PositiveInt
    unit_price: Amount
    amount: Amount

    @model_validator(mode="after")
    def _amount_is_the_product(self) -> LineItem:
        product = _EXACT.multiply(Decimal(self.quantity), Decimal(self.unit_price))
        if Decimal(self.amount) != product:
            message = f"{self.amount!r} is not quantity x unitPrice ({self.quantity} x {self.unit_price} = {product})"
            raise problem_at(("amount",), message, self.amount)
        return self


@record
class CommercialInvoice(_TradeDocument):
    """The seller's bill for the goods: lines, total, currency, Incoterms rule and the bill of lading it covers.

    ``totalAmount`` must equal the sum of the line amounts exactly; amounts are decimal strings.
    """

    doc_type = DocType.COMMERCIAL_INVOICE

    invoice_number: Reference
    issue_date: IsoDate
    seller: Party
    buyer: Party
    currency: Currency
    line_items: Annotated[tuple[LineItem, ...], array(min_items=1)]
    total_amount: Amount
    incoterms: Incoterm
    named_place: Annotated[str, text(70)]
    transport_document_reference: TransportDocumentReference
    letter_of_credit_number: Reference | None = None

    @model_validator(mode="after")
    def _total_is_the_sum(self) -> CommercialInvoice:
        total = Decimal(0)
        for item in self.line_items:
            total = _EXACT.add(total, Decimal(item.amount))
        if Decimal(self.total_amount) != total:
            message = f"{self.total_amount!r} is not the sum of the lineItems ({total})"
            raise problem_at(("totalAmount",), message, self.total_amount)
        return self


# --------------------------------------------------------------------------------------------------------------
# Packing list
# --------------------------------------------------------------------------------------------------------------


@record
class Package(Record):
    """Packages of one kind in one container (ISO 6346 number, check digit verified); net weight <= gross."""

    equipment_reference: ContainerNumber
    package_code: Annotated[str, pattern(r"[A-Z0-9]{2}", "a 2-character package code")]
    number_of_packages: PositiveInt
    gross_weight_kg: PositiveAmount
    net_weight_kg: PositiveAmount
    description: Annotated[str, text(500)]

    @model_validator(mode="after")
    def _net_within_gross(self) -> Package:
        gross, net = self.gross_weight_kg, self.net_weight_kg
        if Decimal(net) > Decimal(gross):
            raise problem_at(("netWeightKg",), f"{net!r} is more than grossWeightKg {gross!r}", net)
        return self


@record
class PackingList(_TradeDocument):
    """What is packed where: packages per container, with weights in kilograms."""

    doc_type = DocType.PACKING_LIST

    packing_list_number: Reference
    issue_date: IsoDate
    shipper: Party
    transport_document_reference: TransportDocumentReference
    packages: Annotated[tuple[Package, ...], array(min_items=1)]


# --------------------------------------------------------------------------------------------------------------
# Certificate of origin
# --------------------------------------------------------------------------------------------------------------


@record
class GoodsItem(Record):
    """Goods certified by a certificate of origin."""

    description: Annotated[str, text(500)]
    hs_code: HsCode
    quantity: PositiveInt


@record
class CertificateOfOrigin(_TradeDocument):
    """Where the goods were made, certified by an issuing body (e.g. a chamber of commerce)."""

    doc_type = DocType.CERTIFICATE_OF_ORIGIN

    certificate_number: Reference
    issue_date: IsoDate
    issuing_body: Party
    exporter: Party
    consignee: Party
    country_of_origin: CountryCode
    transport_document_reference: TransportDocumentReference
    goods: Annotated[tuple[GoodsItem, ...], array(min_items=1)]
    preference_criterion: Annotated[str | None, text(35)] = None


# --------------------------------------------------------------------------------------------------------------
# Insurance certificate
# --------------------------------------------------------------------------------------------------------------

_UCP_MINIMUM = Decimal("1.10")  # UCP 600 art. 28(f)(ii): at least 110 % of the CIF or CIP value


@record
class InsuranceCertificate(_TradeDocument):
    """Cargo insurance for the voyage. Whether it covers 110 % of the CIF value (UCP 600 art. 28(f)(ii)) is
    checked by :meth:`covers_ucp_minimum`, not on construction; nor is ``effectiveDate`` compared with the
    shipment date on the bill."""

    doc_type = DocType.INSURANCE_CERTIFICATE

    certificate_number: Reference
    issue_date: IsoDate
    insurer: Party
    assured: Party
    currency: Currency
    insured_amount: PositiveAmount
    coverage: Annotated[str, text(100)]
    voyage_from: UnLocode
    voyage_to: UnLocode
    transport_document_reference: TransportDocumentReference
    effective_date: IsoDate

    @model_validator(mode="after")
    def _voyage_goes_somewhere(self) -> InsuranceCertificate:
        if self.voyage_from == self.voyage_to:
            raise problem_at(("voyageTo",), f"{self.voyage_to!r} is the same as voyageFrom", self.voyage_to)
        return self

    def covers_ucp_minimum(self, cif_value: Decimal | str | int) -> bool:
        """Whether ``insuredAmount`` is at least 110 % of ``cif_value`` (UCP 600 art. 28(f)(ii)), compared exactly.
        ``cif_value`` is in this certificate's currency, as a Decimal, int or decimal string (not a float)."""
        value = _to_decimal(cif_value, "cif_value")
        return Decimal(self.insured_amount) >= _EXACT.multiply(value, _UCP_MINIMUM)


# --------------------------------------------------------------------------------------------------------------
# Inspection certificate
# --------------------------------------------------------------------------------------------------------------


@record
class InspectionCertificate(_TradeDocument):
    """An inspector's verdict on the goods. ``inspectionDate`` may not be after ``issueDate``; a ``FAILED``
    result needs findings; containers may not be listed twice."""

    doc_type = DocType.INSPECTION_CERTIFICATE

    certificate_number: Reference
    issue_date: IsoDate
    inspector: Party
    transport_document_reference: TransportDocumentReference
    inspection_date: IsoDate
    result: Annotated[str, one_of(INSPECTION_RESULTS)]
    findings: Annotated[tuple[Annotated[str, text(1000)], ...], array(min_items=1)] = ()
    equipment_references: Annotated[tuple[ContainerNumber, ...], array(min_items=1)] = ()

    @model_validator(mode="after")
    def _consistent(self) -> InspectionCertificate:
        if self.inspection_date > self.issue_date:  # ISO dates compare as dates
            message = f"{self.inspection_date!r} is after issueDate {self.issue_date!r}"
            raise problem_at(("inspectionDate",), message, self.inspection_date)
        if self.result == "FAILED" and not self.findings:
            raise problem_at(("findings",), "required when result is 'FAILED'", self.findings)
        seen: set[str] = set()
        for i, container in enumerate(self.equipment_references):
            if container in seen:
                raise problem_at(("equipmentReferences", i), f"{container!r} is listed twice", container)
            seen.add(container)
        return self

    @property
    def passed(self) -> bool:
        """Whether the result is ``PASSED``."""
        return self.result == "PASSED"


TradeDocument = CommercialInvoice | PackingList | CertificateOfOrigin | InsuranceCertificate | InspectionCertificate

_CLASSES: dict[DocType, type[TradeDocument]] = {
    cls.doc_type: cls
    for cls in (CommercialInvoice, PackingList, CertificateOfOrigin, InsuranceCertificate, InspectionCertificate)
}


def document_class(doc_type: DocType) -> type[TradeDocument]:
    """The model class for documents of ``doc_type``.

    >>> document_class(DocType.PACKING_LIST).__name__
    'PackingList'
    """
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
        data = parse_json_text(path.read_bytes(), source)
    elif isinstance(data, (str, bytes, bytearray, memoryview)):
        data = parse_json_text(data, source)
    if not isinstance(data, Mapping):
        raise InputError(f"{source}: expected a JSON object, got {kind(data)}")
    names = ", ".join(t.name for t in DocType)
    if _TYPE_KEY not in data:
        hint = ""
        if "transportDocumentTypeCode" in data:
            hint = "; this looks like a transport document: read it with TransportDocument.from_json"
        raise InputError(f"{source}: missing required field {_TYPE_KEY!r} (one of {names}){hint}")
    found = data[_TYPE_KEY]
    if not isinstance(found, str) or found not in DocType.__members__:
        raise InputError(f"{source}.{_TYPE_KEY}: {found!r} is not one of {names}")
    cls = _CLASSES[DocType[found]]
    prefix = source[: -len("tradeDocument")]
    return cls.from_json(data, f"{prefix}{cls._root}")


_SAMPLES = frozenset(name for name in __all__ if name.startswith("sample_"))


def __getattr__(name: str) -> Any:
    # The samples build on these classes and on the transport document's sample, so they live in samples.py;
    # importing them from here too (as before the split) loads that module on first use, with no import cycle.
    if name in _SAMPLES:
        from . import samples

        return getattr(samples, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
