"""Values that cross the SDK boundary: participant roles, statuses, and validators for addresses, hashes and codes.

Validators raise :class:`~portchain.errors.InputError` before anything is sent:

>>> to_country("nl")
b'NL'
>>> to_unlocode("NLRTM")
b'NLRTM'
>>> to_hash32("0x12")
Traceback (most recent call last):
...
portchain.errors.InputError: document hash must be 32 bytes (64 hex digits), got 1 bytes
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from enum import IntEnum, IntFlag
from typing import Any

from eth_abi.abi import encode as abi_encode
from eth_utils.address import is_checksum_address, is_hex_address, to_checksum_address
from eth_utils.crypto import keccak
from typing_extensions import Self

from .errors import InputError

BPS = 10_000  # basis points in one: rates, tolerances



def hs_code_problem(code: str) -> str | None:
    """What is wrong with ``code`` as a Harmonized System code (6 to 10 digits: chapter, heading, subheading and
    national digits), or None when it is one. The one HS check of the SDK: documents and declarations use it.

    >>> hs_code_problem("851712") is None, hs_code_problem("8517")
    (True, "'8517' is not an HS code (6 to 10 digits)")
    """
    return None if re.fullmatch(r"[0-9]{6,10}", code) else f"{code!r} is not an HS code (6 to 10 digits)"

class _ParsableEnum(IntEnum):
    @classmethod
    def parse(cls, value: object) -> Self:
        """A member from its name (any case, dashes for underscores) or number; anything else (another number,
        name or type) is refused with :class:`InputError` naming the valid ones."""
        if isinstance(value, cls):
            return value
        if isinstance(value, int) and not isinstance(value, bool):
            if value in cls._value2member_map_:
                return cls(value)
        else:
            key = str(value).strip().upper().replace("-", "_").replace(" ", "_")
            if key in cls.__members__:
                return cls[key]
        raise InputError(cls._unknown(value))

    @classmethod
    def _unknown(cls, value: object) -> str:
        names = ", ".join(m.name.lower().replace("_", "-") for m in cls)
        return f"unknown {cls.__name__} {value!r}; one of: {names}"


class Role(_ParsableEnum):
    """Participant roles, in the order of ``IPortRegistry.Role``; :meth:`parse` takes a name (any case,
    ``port-operator`` too) or a number."""

    CARRIER = 0
    SHIPPER = 1
    CONSIGNEE = 2
    BANK = 3
    CUSTOMS = 4
    TAX = 5
    PORT_OPERATOR = 6
    FORWARDER = 7
    INSURER = 8
    INSPECTOR = 9

    @classmethod
    def _unknown(cls, value: object) -> str:
        if isinstance(value, int):
            return f"unknown role number {value}"
        return f"unknown role {value!r}; roles are {', '.join(r.name for r in cls)}"


class OrgStatus(IntEnum):
    """Organisation status, in the order of ``IPortRegistry.Status``."""

    NONE = 0
    ACTIVE = 1
    SUSPENDED = 2
    REVOKED = 3


def roles_mask(roles: Iterable[Role | str | int]) -> int:
    """The bit set the registry stores for a collection of roles."""
    mask = 0
    for role in roles:
        mask |= 1 << Role.parse(role)
    if mask == 0:
        raise InputError("an organisation needs at least one role")
    return mask


def roles_from_mask(mask: int) -> list[Role]:
    """The roles in a registry bit set."""
    return [role for role in Role if mask >> role & 1]


HexLike = str | bytes


class Bytes32(bytes):
    """32 bytes that print as ``0x``-hex: the ids and hashes the SDK returns (bill and declaration ids, document and
    name hashes). Otherwise plain :class:`bytes`: equal to, hashing like and usable wherever the same bytes are
    (sending, slicing, ``.hex()``); ``bytes(value)`` gives the plain bytes back.

    >>> bill = Bytes32("0x" + "ab" * 32)
    >>> str(bill) == repr(bill) == f"{bill}" == "0x" + "ab" * 32, bill == bytes.fromhex("ab" * 32)
    (True, True)
    >>> f"{Bytes32(bytes(32)):.10}"
    '0x00000000'
    """

    def __new__(cls, value: HexLike) -> Bytes32:
        if isinstance(value, str):
            text = value[2:] if value.startswith(("0x", "0X")) else value
            if not re.fullmatch(r"[0-9a-fA-F]{64}", text):
                raise InputError(f"expected 0x + 64 hex digits, got {value!r}")
            value = bytes.fromhex(text)
        if len(value) != 32:
            raise InputError(f"expected 32 bytes, got {len(value)}")
        return super().__new__(cls, value)

    def __str__(self) -> str:
        return "0x" + self.hex()

    __repr__ = __str__

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)


def to_address(value: str, what: str = "address") -> str:
    """A checksummed address; refuses malformed ones and wrong checksums."""
    if not isinstance(value, str) or not is_hex_address(value):
        raise InputError(f"{what} is not a 20-byte hex address: {value!r}")
    if value != value.lower() and value[2:] != value[2:].upper() and not is_checksum_address(value):
        raise InputError(f"{what} has a wrong EIP-55 checksum: {value}")
    return to_checksum_address(value)


def to_hash32(value: HexLike, what: str = "document hash") -> Bytes32:
    """32 bytes (:class:`Bytes32`) from ``0x``-hex or bytes; refuses any other length and the zero hash."""
    if isinstance(value, (bytes, bytearray)):
        raw = bytes(value)
    elif isinstance(value, str):
        text = value[2:] if value.startswith(("0x", "0X")) else value
        if len(text) % 2 or not re.fullmatch(r"[0-9a-fA-F]*", text):
            raise InputError(f"{what} is not hex: {value!r}")
        raw = bytes.fromhex(text)
    else:
        raise InputError(f"{what} must be hex or bytes, got {type(value).__name__}")
    if len(raw) != 32:
        raise InputError(f"{what} must be 32 bytes (64 hex digits), got {len(raw)} bytes")
    if raw == bytes(32):
        raise InputError(f"{what} must not be zero")
    return Bytes32(raw)


def to_country(value: str) -> bytes:
    """An ISO 3166-1 alpha-2 code as the registry stores it (``bytes2``)."""
    code = str(value).strip().upper()
    if not re.fullmatch(r"[A-Z]{2}", code):
        raise InputError(f"country must be an ISO 3166-1 alpha-2 code such as NL or CN, got {value!r}")
    return code.encode()


def to_unlocode(value: str) -> bytes:
    """A UN/LOCODE (country + 3 letters or digits 2-9) as ``bytes5``, e.g. ``NLRTM`` for Rotterdam."""
    code = str(value).strip().upper().replace(" ", "")
    if not re.fullmatch(r"[A-Z]{2}[A-Z2-9]{3}", code):
        raise InputError(f"port must be a UN/LOCODE such as NLRTM or CNSZX, got {value!r}")
    return code.encode()


def to_uint(value: int, bits: int, what: str) -> int:
    """An integer that fits ``uint<bits>``."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 1 << bits:
        raise InputError(f"{what} must be an integer from 0 to {2**bits - 1}, got {value!r}")
    return value


# ISO 6346 letter values: A=10 onwards, skipping the multiples of 11.
_ISO6346_LETTERS = dict(zip("ABCDEFGHIJKLMNOPQRSTUVWXYZ", (n for n in range(10, 39) if n % 11), strict=True))


def iso6346_check_digit(number: str) -> int:
    """The ISO 6346 check digit of a container number's first ten characters (owner code + serial).

    >>> iso6346_check_digit("MSKU9070323")
    3
    """
    total = sum((_ISO6346_LETTERS[c] if c.isalpha() else int(c)) << i for i, c in enumerate(number[:10]))
    return total % 11 % 10


def container_number_problem(value: Any) -> str | None:
    """What is wrong with ``value`` as an ISO 6346 container number (owner code, category U/J/Z, serial, check
    digit), or None when it is one. The one container check of the SDK: documents and the gate both use it.

    >>> container_number_problem("MSKU9070323") is None
    True
    >>> container_number_problem("MSKU9070324")
    "'MSKU9070324' has a wrong ISO 6346 check digit (expected 3)"
    """
    if not isinstance(value, str) or not re.fullmatch(r"[A-Z]{4}[0-9]{7}", value):
        return f"{value!r} is not an ISO 6346 container number (4 letters + 7 digits, e.g. MSKU9070323)"
    if value[3] not in "UJZ":
        return f"{value!r} is not an ISO 6346 container number (4th letter must be U, J or Z)"
    expected = iso6346_check_digit(value)
    if int(value[10]) != expected:
        return f"{value!r} has a wrong ISO 6346 check digit (expected {expected})"
    return None


class BillState(_ParsableEnum):
    """Lifecycle of a bill of lading, in the order of ``IBillOfLading.State``."""

    NONE = 0
    DRAFT = 1
    APPROVED = 2
    ISSUED = 3
    SURRENDERED_FOR_DELIVERY = 4
    SURRENDERED_FOR_AMENDMENT = 5
    ACCOMPLISHED = 6
    VOIDED = 7


class BillKind(_ParsableEnum):
    """Transport document types: negotiable to-order bill, straight bill, sea waybill."""

    TO_ORDER = 0
    STRAIGHT = 1
    SEA_WAYBILL = 2


class AmendmentReason(_ParsableEnum):
    """DCSA reasons to surrender for amendment: switch to paper, change of destination, switch BL."""

    SWTP = 0
    COD = 1
    SWI = 2


class Milestone(_ParsableEnum):
    """Carrier shipment milestones, recorded in this order."""

    SHIPPED_ON_BOARD = 0
    ARRIVED = 1
    DISCHARGED = 2


class CreditState(_ParsableEnum):
    """Life of a letter of credit, in the order of ``ILetterOfCredit.CreditState``."""

    NONE = 0
    APPLIED = 1
    ISSUED = 2
    EXPIRED = 3
    CANCELLED = 4


class PresentationState(_ParsableEnum):
    """Life of one presentation under a credit."""

    NONE = 0
    PRESENTED = 1
    REFUSED = 2
    WAIVED = 3
    HONOURED = 4
    RETURNED = 5


class CreditParty(_ParsableEnum):
    """The party a credit action needs (``ILetterOfCredit.Party``)."""

    APPLICANT = 0
    BENEFICIARY = 1
    ISSUING_BANK = 2
    ADVISING_BANK = 3
    CONFIRMING_BANK = 4
    EXAMINING_BANK = 5


class CreditTerm(_ParsableEnum):
    """A term of a credit or amendment that can be wrong (``ILetterOfCredit.Term``)."""

    AMOUNT = 0
    TOLERANCE = 1
    EXPIRY = 2
    LATEST_SHIPMENT = 3
    TOKEN = 4
    TERMS_HASH = 5
    CHANGES = 6
    PARTIES = 7
    REQUIRED_DOCUMENTS = 8


class _ParsableFlag(IntFlag):
    def member_names(self) -> list[str]:
        """The names of the flags set, in declaration order."""
        return [str(member.name) for member in type(self) if member in self]

    @classmethod
    def _item_name(cls) -> str:
        return cls.__name__.lower()

    @classmethod
    def parse_list(cls, names: Iterable[str | int] | str) -> Self:
        """Flags from names (comma-separated text or a list, any case, dashes for underscores) or ints; refuses
        unknown names."""
        items = names.split(",") if isinstance(names, str) else list(names)
        result = cls(0)
        for item in items:
            if isinstance(item, int):
                result |= cls(item)
                continue
            key = str(item).strip().upper().replace("-", "_")
            if not key:
                continue
            if key not in cls.__members__:
                valid = ", ".join(m.lower().replace("_", "-") for m in cls.__members__)
                raise InputError(f"unknown {cls._item_name()} {item!r}; one of: {valid}")
            result |= cls[key]
        return result


class Discrepancy(_ParsableFlag):
    """Discrepancy codes of a presentation: bits 0-3 are found on-chain, 8-15 are for the banks' own findings."""

    MISSING_DOCUMENT = 1 << 0
    DOCUMENT_NOT_ANCHORED = 1 << 1
    LATE_SHIPMENT = 1 << 2
    INVOICE_NOT_BY_BENEFICIARY = 1 << 3
    DOCUMENTS_INCONSISTENT = 1 << 8
    GOODS_DESCRIPTION = 1 << 9
    QUANTITY_OR_AMOUNT = 1 << 10
    OTHER = 1 << 15


class AmendmentChange(_ParsableFlag):
    """What an amendment of a credit changes (``ILetterOfCredit.Amendment.changes``): the beneficiary accepts all of
    them or the amendment is rejected (UCP 600 art. 10(e)).

    >>> AmendmentChange.parse_list("amount,latest-shipment")
    <AmendmentChange.AMOUNT|LATEST_SHIPMENT: 5>
    """

    AMOUNT = 1 << 0
    EXPIRY = 1 << 1
    LATEST_SHIPMENT = 1 << 2
    TERMS = 1 << 3

    @classmethod
    def _item_name(cls) -> str:
        return "change"


class DeclarationKind(_ParsableEnum):
    """Export or import (``ICustoms.Kind``)."""

    EXPORT = 0
    IMPORT = 1


class DeclarationStatus(_ParsableEnum):
    """Life of a customs declaration (``ICustoms.Status``)."""

    NONE = 0
    LODGED = 1
    ACCEPTED = 2
    REJECTED = 3
    AMENDMENT_REQUIRED = 4
    SUPERSEDED = 5
    ASSESSED = 6
    PAID = 7
    RELEASED = 8


class Lane(_ParsableEnum):
    """Risk lanes: green releases on the documents, yellow a document check, red a physical inspection."""

    NONE = 0
    GREEN = 1
    YELLOW = 2
    RED = 3


class InspectionResult(_ParsableEnum):
    NONE = 0
    PASSED = 1
    FAILED = 2


class ItemField(_ParsableEnum):
    """What is wrong with a declaration item (``ICustoms.ItemField``)."""

    HS_CODE = 0
    CUSTOMS_VALUE = 1
    ORIGIN = 2


class ClaimStatus(_ParsableEnum):
    """Life of an export VAT rebate claim (``VatRebates.ClaimStatus``)."""

    NONE = 0
    CLAIMED = 1
    PAID = 2
    REJECTED = 3


class DocType(_ParsableEnum):
    """Trade document types, in the order of ``ITradeDocuments.DocType``."""

    COMMERCIAL_INVOICE = 0
    PACKING_LIST = 1
    CERTIFICATE_OF_ORIGIN = 2
    INSURANCE_CERTIFICATE = 3
    INSPECTION_CERTIFICATE = 4

    @property
    def issuer_role(self) -> Role:
        """The registry role whose organisations may anchor documents of this type (``TradeDocuments.requiredRole``)."""
        return _DOC_ISSUER_ROLES[self]


_DOC_ISSUER_ROLES = {
    DocType.COMMERCIAL_INVOICE: Role.SHIPPER,
    DocType.PACKING_LIST: Role.SHIPPER,
    DocType.CERTIFICATE_OF_ORIGIN: Role.INSPECTOR,
    DocType.INSURANCE_CERTIFICATE: Role.INSURER,
    DocType.INSPECTION_CERTIFICATE: Role.INSPECTOR,
}


def is_document(value: Any) -> bool:
    """Whether ``value`` is a document object (it has a ``hash()`` method) rather than a hash or an id."""
    return callable(getattr(value, "hash", None))


def document_hash_of(document: Any, what: str = "document hash") -> Bytes32:
    """A document's 32-byte hash: ``document.hash()`` for a document object, the canonical hash of a JSON mapping,
    else the hash given (hex or bytes). The one way the SDK turns "a document or its hash" into 32 bytes.

    >>> document_hash_of("0x" + "ab" * 32) == bytes.fromhex("ab" * 32)
    True
    """
    if is_document(document):
        return Bytes32(document.hash())
    if isinstance(document, dict):
        from .documents import document_hash

        return Bytes32(document_hash(document))
    return to_hash32(document, what)


def to_org_id(value: int, what: str = "organisation id") -> int:
    """A registry organisation id: a ``uint32`` other than 0."""
    if to_uint(value, 32, what) == 0:
        raise InputError(f"{what} must not be 0")
    return value


def to_positive(value: int, bits: int, what: str) -> int:
    """A positive integer that fits ``uint<bits>`` (an amount, a credit or claim id)."""
    if to_uint(value, bits, what) == 0:
        raise InputError(f"{what} must be positive")
    return value


def org_scoped_id(document: Any, org_id: int, what: str = "organisation") -> Bytes32:
    """``keccak256(abi.encode(documentHash, orgId))``: how the contracts bind a first-come id (a bill, an anchor) to
    the organisation that creates it, so that no other can take it.

    >>> org_scoped_id(bytes(31) + b"\\x01", 1).hex()[:16]
    'cc69885fda6bcc1a'
    """
    org = to_org_id(org_id, what)
    return Bytes32(keccak(abi_encode(["bytes32", "uint32"], [document_hash_of(document), org])))


def text_hash(text: str) -> Bytes32:
    """keccak256 of a text's NFC-normalised, trimmed UTF-8: how names, ids and reasons are hashed for the chain."""
    return Bytes32(keccak(unicodedata.normalize("NFC", text.strip()).encode()))


def optional_text_hash(text: str | None) -> Bytes32:
    """:func:`text_hash` of ``text``, or 32 zero bytes for no text (an optional reason, report or UCR).

    >>> optional_text_hash("  ") == bytes(32)
    True
    """
    return text_hash(text) if text and text.strip() else Bytes32(bytes(32))


def _code_text(value: str) -> str:
    """``value`` NFKC-normalised, without format characters (zero-width spaces, joiners) and trimmed."""
    normal = unicodedata.normalize("NFKC", value)
    return "".join(ch for ch in normal if unicodedata.category(ch) != "Cf").strip()


@dataclass(frozen=True)
class PartyCode:
    """A code that identifies an organisation in a code list: an ``identifyingCodes`` entry of a DCSA party
    (``codeListProvider`` and ``partyCode``, e.g. GLEIF and an LEI), a ``taxLegalReferences`` entry (provider
    ``<countryCode>-<type>``, e.g. ``NL-EORI``), or a carrier's ``carrierCode`` (provider SMDG or NMFTA). The registry
    stores only :meth:`hash`, so the chain never holds the code itself.

    >>> PartyCode("GLEIF", "529900T8BM49AURSDO55").hash().hex()[:16]
    '423af88a62bfe0ba'
    >>> PartyCode("gleif", " 529900t8bm49aursdo55\u200b") == PartyCode("GLEIF", "529900T8BM49AURSDO55")
    True
    >>> PartyCode("GLEIF", " ")
    Traceback (most recent call last):
    ...
    portchain.errors.InputError: party code must not be empty
    """

    provider: str
    code: str

    def __post_init__(self) -> None:
        for what, value in (("code list provider", self.provider), ("party code", self.code)):
            if not isinstance(value, str) or not _code_text(value):
                raise InputError(f"{what} must not be empty")
            if len(value) > 150:
                raise InputError(f"{what} is longer than 150 characters")
        # One code, one key: a look-alike (case, surrounding or invisible characters, compatibility forms) is the
        # same code, so it can neither dodge the organisation registered for it nor be registered twice. W3C DIDs
        # keep their case (their method-specific part is case-sensitive).
        provider = _code_text(self.provider).upper()
        code = _code_text(self.code)
        object.__setattr__(self, "provider", provider)
        object.__setattr__(self, "code", code if provider == "W3C" else code.upper())

    def hash(self) -> Bytes32:
        """``keccak256(abi.encode(provider, code))``: the key the registry maps to the organisation."""
        return Bytes32(keccak(abi_encode(["string", "string"], [self.provider, self.code])))

    def __str__(self) -> str:
        return f"{self.provider}:{self.code}"
