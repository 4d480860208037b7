"""Off-chain trade documents: canonical JSON, hashing, the DCSA eBL 3.0 transport document, and a local store.

The chain stores only a document's hash: the keccak256 of its canonical JSON (RFC 8785 JCS: sorted keys, no
whitespace, UTF-8, ECMAScript number formatting), so key order and whitespace never change the hash.

>>> canonical_json({"b": 1, "a": [1.0, 2.5, 1e21, None]})
b'{"a":[1,2.5,1e+21,null],"b":1}'
>>> doc = sample_transport_document()
>>> doc.port_of_loading, doc.port_of_discharge, len(doc.hash())
('CNSZX', 'NLRTM', 32)
>>> verify(doc.to_json(), doc.hash()), verify(doc.to_json(), document_hash({"other": "document"}))
(True, False)
>>> TransportDocument.from_json({**doc.to_json(), "portOfLoading": "NLRT"})
Traceback (most recent call last):
...
portchain.errors.InputError: transportDocument.portOfLoading: 'NLRT' is not a UN/LOCODE

Documents stay off-chain in a content-addressed :class:`DocumentStore`::

    store = DocumentStore(Path("documents"))
    h = store.put(doc)            # writes documents/<hex hash>.json (canonical JSON)
    store.get(h)                  # the JSON object, re-hashed on read
"""

from __future__ import annotations

import dataclasses
import datetime
import difflib
import hashlib
import json
import math
import os
import re
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Union

from eth_utils import keccak

from ..errors import DocumentIntegrityError, DocumentNotFoundError, InputError
from ..types import BillKind, HexLike, to_country, to_hash32, to_unlocode

__all__ = [
    "Address",
    "CargoItem",
    "Carrier",
    "ConsignmentItem",
    "DocumentIntegrityError",
    "DocumentNotFoundError",
    "DocumentStore",
    "IdentifyingCode",
    "Measure",
    "OuterPackaging",
    "Party",
    "Seal",
    "TransportDocument",
    "UtilizedTransportEquipment",
    "Vessel",
    "canonical_json",
    "document_hash",
    "sample_transport_document",
    "verify",
]

HASH_ALGORITHMS = ("keccak256", "sha256")
_MAX_SAFE_INTEGER = 2**53 - 1  # integers beyond this are not exact as IEEE doubles, which JCS numbers are


# --------------------------------------------------------------------------------------------------------------
# Canonical JSON (RFC 8785 JCS) and hashing
# --------------------------------------------------------------------------------------------------------------


def canonical_json(obj: Any) -> bytes:
    """The RFC 8785 (JCS) canonical UTF-8 form of a JSON value made of dicts, lists/tuples, str, int, float, bool
    and None. Keys are sorted by UTF-16 code units, numbers are formatted as ECMAScript does; NaN, Infinity,
    non-string keys, lone surrogates and integers beyond 2**53 - 1 are refused with :class:`InputError`.

    >>> canonical_json({"é": "ü", "a": [True, 100.0, 0.0000001, -0.0]}).decode()
    '{"a":[true,100,1e-7,0],"é":"ü"}'
    """
    out: list[str] = []
    _write_json(obj, "$", out)
    return "".join(out).encode("utf-8")


def document_hash(obj: Any, algorithm: str = "keccak256") -> bytes:
    """The 32-byte hash of a document's canonical JSON: ``keccak256`` (what the chain stores) or ``sha256``.

    ``obj`` is a JSON value (usually a dict), anything with a ``to_json()`` (a :class:`TransportDocument`), or JSON
    text as ``str``/``bytes`` -- text is parsed first, so its whitespace and key order do not matter.
    """
    data = canonical_json(_json_value(obj))
    if algorithm == "keccak256":
        return bytes(keccak(data))
    if algorithm == "sha256":
        return hashlib.sha256(data).digest()
    raise InputError(f"unknown hash algorithm {algorithm!r}; use one of {', '.join(HASH_ALGORITHMS)}")


def verify(document: Any, bill: Any) -> bool:
    """Whether ``document`` (a TransportDocument, a dict, or JSON text) is the one on the chain. ``bill`` is a
    :class:`~portchain.clients.bill_of_lading.BillStatus` (``port.bol.status(...)``): the bill's id must bind the document's keccak256
    canonical hash to the bill's carrier (``keccak256(abi.encode(hash, carrier))``); or the document hash itself
    (32 bytes or 0x-hex). A malformed hash or document raises :class:`InputError`."""
    digest = document_hash(document)
    carrier = getattr(bill, "carrier", None)
    if carrier is not None:
        from eth_abi import encode as abi_encode

        return bytes(keccak(abi_encode(["bytes32", "uint32"], [digest, int(carrier)]))) == to_hash32(bill.id, "bill id")
    return digest == to_hash32(bill, "on-chain hash")


_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_NEEDS_ESCAPE = re.compile(r'["\\\x00-\x1f]')


def _write_json(value: Any, path: str, out: list[str]) -> None:
    if value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, str):
        out.append(_json_string(value, path))
    elif isinstance(value, int):
        if abs(value) > _MAX_SAFE_INTEGER:
            raise InputError(
                f"{path}: integer {value} is beyond 2**53 - 1 and not exact as a JSON (IEEE double) number; "
                "send it as a string"
            )
        out.append(str(int(value)))
    elif isinstance(value, float):
        out.append(_es_number(value, path))
    elif isinstance(value, Mapping):
        items = []
        for key in value:
            if not isinstance(key, str):
                raise InputError(f"{path}: object keys must be strings, got {type(key).__name__} {key!r}")
            items.append((key, _json_string(key, path)))
        items.sort(key=lambda item: item[0].encode("utf-16-be"))  # UTF-16 code unit order, as JCS requires
        out.append("{")
        for i, (key, encoded) in enumerate(items):
            if i:
                out.append(",")
            out.append(encoded)
            out.append(":")
            _write_json(value[key], f"{path}.{key}", out)
        out.append("}")
    elif isinstance(value, (list, tuple)):
        out.append("[")
        for i, item in enumerate(value):
            if i:
                out.append(",")
            _write_json(item, f"{path}[{i}]", out)
        out.append("]")
    else:
        raise InputError(f"{path}: {type(value).__name__} is not a JSON value")


def _json_string(text: str, path: str) -> str:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise InputError(f"{path}: string {text!r} contains a lone surrogate") from None
    escaped = _NEEDS_ESCAPE.sub(lambda m: _ESCAPES.get(m.group(), f"\\u{ord(m.group()):04x}"), text)
    return f'"{escaped}"'


def _es_number(value: float, path: str = "$") -> str:
    """A finite float as ECMAScript's Number.prototype.toString writes it (shortest round-trip digits)."""
    if not math.isfinite(value):
        raise InputError(f"{path}: {value} is not a valid JSON number (NaN and Infinity are refused)")
    if value == 0:
        return "0"  # -0 too
    if value < 0:
        return "-" + _es_number(-value, path)
    mantissa, _, exponent = repr(value).partition("e")  # repr gives the shortest round-trip digits
    whole, _, fraction = mantissa.partition(".")
    digits = whole + fraction
    point = len(whole) + (int(exponent) if exponent else 0)  # value = 0.<digits> * 10**point
    significant = digits.lstrip("0")
    point -= len(digits) - len(significant)
    digits = significant.rstrip("0")
    k, n = len(digits), point  # ECMAScript: value = digits * 10**(n - k)
    if k <= n <= 21:
        return digits + "0" * (n - k)
    if 0 < n <= 21:
        return f"{digits[:n]}.{digits[n:]}"
    if -6 < n <= 0:
        return "0." + "0" * -n + digits
    e = n - 1
    head = digits[0] + ("." + digits[1:] if k > 1 else "")
    return f"{head}e{'+' if e >= 0 else '-'}{abs(e)}"


def _parse_json_text(text: str | bytes | bytearray | memoryview, source: str = "document") -> Any:
    """Strict JSON: no NaN/Infinity, no duplicate keys."""

    def no_constants(name: str) -> Any:
        raise InputError(f"{source}: {name} is not valid JSON")

    def no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key, value in pairs:
            if key in result:
                raise InputError(f"{source}: duplicate key {key!r}")
            result[key] = value
        return result

    if isinstance(text, (bytes, bytearray, memoryview)):
        try:
            text = bytes(text).decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise InputError(f"{source}: not UTF-8 ({exc.reason} at byte {exc.start})") from None
    try:
        return json.loads(text, parse_constant=no_constants, object_pairs_hook=no_duplicates)
    except json.JSONDecodeError as exc:
        raise InputError(f"{source}: not valid JSON ({exc.msg} at line {exc.lineno} column {exc.colno})") from None


def _json_value(document: Any) -> Any:
    to_json = getattr(document, "to_json", None)
    if callable(to_json):
        return to_json()
    if isinstance(document, (str, bytes, bytearray, memoryview)):
        return _parse_json_text(document)
    return document


# --------------------------------------------------------------------------------------------------------------
# Field validation: every check takes (value, path) and returns the Python value or raises InputError
# --------------------------------------------------------------------------------------------------------------

Check = Callable[[Any, str], Any]


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, Mapping):
        return "object"
    if isinstance(value, (list, tuple)):
        return "array"
    return type(value).__name__


def _fail(path: str, problem: str) -> InputError:
    return InputError(f"{path}: {problem}")


def _text(max_length: int) -> Check:
    def check(value: Any, path: str) -> str:
        if not isinstance(value, str):
            raise _fail(path, f"expected a string, got {_kind(value)} {value!r}")
        if not value.strip():
            raise _fail(path, "must not be empty")
        if len(value) > max_length:
            raise _fail(path, f"{value!r} is longer than {max_length} characters")
        return value

    return check


def _boolean(value: Any, path: str) -> bool:
    if not isinstance(value, bool):
        raise _fail(path, f"expected true or false, got {value!r}")
    return value


def _one_of(codes: dict[str, str]) -> Check:
    def check(value: Any, path: str) -> str:
        if not isinstance(value, str) or value not in codes:
            allowed = ", ".join(f"{code!r} ({meaning})" for code, meaning in codes.items())
            raise _fail(path, f"{value!r} is not one of {allowed}")
        return value

    return check


def _unlocode(value: Any, path: str) -> str:
    if not isinstance(value, str):
        raise _fail(path, f"{value!r} is not a UN/LOCODE")
    try:
        code = to_unlocode(value).decode()
    except InputError:
        raise _fail(path, f"{value!r} is not a UN/LOCODE") from None
    if code != value:
        raise _fail(path, f"{value!r} is not a UN/LOCODE (write it as {code!r})")
    return value


def _country(value: Any, path: str) -> str:
    if not isinstance(value, str) or not re.fullmatch(r"[A-Z]{2}", value):
        raise _fail(path, f"{value!r} is not an ISO 3166-1 alpha-2 country code")
    return to_country(value).decode()


def _iso_date(value: Any, path: str) -> str:
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            datetime.date.fromisoformat(value)
            return value
        except ValueError:
            pass
    raise _fail(path, f"{value!r} is not an ISO date (YYYY-MM-DD)")


def _hs_code(value: Any, path: str) -> str:
    if not isinstance(value, str):
        raise _fail(path, f"expected a string, got {_kind(value)} {value!r}")
    if not re.fullmatch(r"[0-9]{6,10}", value):
        raise _fail(path, f"{value!r} is not an HS code (6 to 10 digits)")
    return value


def imo_check_digit(number: str) -> int:
    """The IMO ship number check digit of the first six digits: sum of digit * (7..2), last digit.

    >>> imo_check_digit("9778791")
    1
    """
    return sum(int(d) * w for d, w in zip(number[:6], range(7, 1, -1))) % 10


def _imo_number(value: Any, path: str) -> str:
    if not isinstance(value, str) or not re.fullmatch(r"[0-9]{7}", value):
        raise _fail(path, f"{value!r} is not an IMO number (7 digits)")
    expected = imo_check_digit(value)
    if int(value[6]) != expected:
        raise _fail(path, f"{value!r} has a wrong IMO check digit (expected {expected})")
    return value


_ISO6346_LETTERS = {letter: n for letter, n in zip("ABCDEFGHIJKLMNOPQRSTUVWXYZ", (n for n in range(10, 39) if n % 11))}


def iso6346_check_digit(number: str) -> int:
    """The ISO 6346 check digit of a container number's first ten characters (owner code + serial).

    >>> iso6346_check_digit("MSKU9070323")
    3
    """
    total = sum((_ISO6346_LETTERS[c] if c.isalpha() else int(c)) << i for i, c in enumerate(number[:10]))
    return total % 11 % 10


def _container_number(value: Any, path: str) -> str:
    if not isinstance(value, str) or not re.fullmatch(r"[A-Z]{4}[0-9]{7}", value):
        raise _fail(path, f"{value!r} is not an ISO 6346 container number (4 letters + 7 digits, e.g. MSKU9070323)")
    if value[3] not in "UJZ":
        raise _fail(path, f"{value!r} is not an ISO 6346 container number (4th letter must be U, J or Z)")
    expected = iso6346_check_digit(value)
    if int(value[10]) != expected:
        raise _fail(path, f"{value!r} has a wrong ISO 6346 check digit (expected {expected})")
    return value


def _pattern(regex: str, what: str) -> Check:
    def check(value: Any, path: str) -> str:
        if not isinstance(value, str) or not re.fullmatch(regex, value):
            raise _fail(path, f"{value!r} is not {what}")
        return value

    return check


def _positive_number(value: Any, path: str) -> int | float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value <= 0:
        raise _fail(path, f"expected a positive number, got {value!r}")
    return value


def _positive_integer(value: Any, path: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise _fail(path, f"expected a positive integer, got {value!r}")
    return value


def _list_of(item: Check, min_items: int = 0) -> Check:
    def check(value: Any, path: str) -> tuple[Any, ...]:
        if not isinstance(value, (list, tuple)):
            raise _fail(path, f"expected a JSON array, got {_kind(value)}")
        if len(value) < min_items:
            raise _fail(path, "must not be empty" if min_items == 1 else f"needs at least {min_items} entries")
        return tuple(item(v, f"{path}[{i}]") for i, v in enumerate(value))

    return check


def _either(expected: str, *checks: tuple[Any, Check]) -> Check:
    def check(value: Any, path: str) -> Any:
        for kind, inner in checks:
            if isinstance(value, kind):
                return inner(value, path)
        raise _fail(path, f"expected {expected}, got {_kind(value)}")

    return check


def _nested(cls: type) -> Check:
    def check(value: Any, path: str) -> Any:
        return cls(**_parse_fields(cls, value, path))

    return check


def _f(key: str, check: Check, *, optional: bool = False, default: Any = None) -> Any:
    """A dataclass field with its JSON key and its check; optional fields default to None (or ``default``)."""
    metadata = {"json": key, "check": check}
    if optional:
        return field(default=default, metadata=metadata)
    return field(metadata=metadata)


def _parse_fields(cls: type, data: Any, path: str) -> dict[str, Any]:
    """Check a JSON object against a dataclass's fields: unknown keys, missing keys, then each value."""
    if isinstance(data, cls):
        data = _dump(data)
    if not isinstance(data, Mapping):
        raise _fail(path, f"expected a JSON object, got {_kind(data)}")
    fields = {f.metadata["json"]: f for f in dataclasses.fields(cls)}
    unknown = [key for key in data if key not in fields]
    if unknown:
        quoted = ", ".join(repr(key) for key in unknown)
        hint = ""
        if len(unknown) == 1:
            close = difflib.get_close_matches(str(unknown[0]), [k for k in fields if k not in data], n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise _fail(path, f"unknown field{'s' if len(unknown) > 1 else ''} {quoted}{hint}")
    required = [f for f in fields.values() if f.default is dataclasses.MISSING]
    missing = [f.metadata["json"] for f in required if data.get(f.metadata["json"]) is None]
    if missing:
        quoted = ", ".join(repr(key) for key in missing)
        raise _fail(path, f"missing required field{'s' if len(missing) > 1 else ''} {quoted}")
    values: dict[str, Any] = {}
    for key, f in fields.items():
        if data.get(key) is not None:
            values[f.name] = f.metadata["check"](data[key], f"{path}.{key}")
    validate = getattr(cls, "_validate", None)
    if validate is not None:
        validate(values, path)
    return values


def _dump(value: Any) -> Any:
    """Dataclasses to DCSA JSON (camelCase keys; None and empty optional lists left out)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out: dict[str, Any] = {}
        for f in dataclasses.fields(value):
            item = getattr(value, f.name)
            if item is None or (item == () and f.default == ()):
                continue
            out[f.metadata.get("json", f.name)] = _dump(item)
        return out
    if isinstance(value, (list, tuple)):
        return [_dump(v) for v in value]
    if isinstance(value, Mapping):
        return {k: _dump(v) for k, v in value.items()}
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value.isoformat()
    return value


class _JsonRecord:
    """Shared by the parts of a transport document: ``to_json()`` and ``from_json(data, path)``."""

    def to_json(self) -> dict[str, Any]:
        """This part as DCSA JSON (camelCase keys)."""
        return _dump(self)  # type: ignore[no-any-return]

    @classmethod
    def from_json(cls, data: Any, path: str = "") -> Any:
        """Build and validate from DCSA JSON; errors name ``path`` (default: the class name)."""
        return cls(**_parse_fields(cls, data, path or cls.__name__[0].lower() + cls.__name__[1:]))


# --------------------------------------------------------------------------------------------------------------
# The DCSA eBL 3.0 transport document
# --------------------------------------------------------------------------------------------------------------

DOCUMENT_TYPES = {"BOL": "bill of lading", "SWB": "sea waybill"}
FREIGHT_PAYMENT_TERMS = {"PRE": "prepaid", "COL": "collect"}
CARRIER_CODE_LISTS = {"SMDG": "SMDG liner code", "NMFTA": "NMFTA SCAC"}
WEIGHT_UNITS = {"KGM": "kilograms", "LBR": "pounds"}
VOLUME_UNITS = {"MTQ": "cubic metres", "FTQ": "cubic feet"}
SEAL_SOURCES = {"CAR": "carrier", "SHI": "shipper", "PHY": "phytosanitary", "VET": "veterinary", "CUS": "customs"}


@dataclass(frozen=True, kw_only=True)
class Address(_JsonRecord):
    """A structured postal address (DCSA ``Address``)."""

    street: str | None = _f("street", _text(70), optional=True)
    street_number: str | None = _f("streetNumber", _text(50), optional=True)
    floor: str | None = _f("floor", _text(50), optional=True)
    post_code: str | None = _f("postCode", _text(10), optional=True)
    po_box: str | None = _f("POBox", _text(20), optional=True)
    city: str = _f("city", _text(35))
    state_region: str | None = _f("stateRegion", _text(65), optional=True)
    country_code: str = _f("countryCode", _country)


@dataclass(frozen=True, kw_only=True)
class IdentifyingCode(_JsonRecord):
    """A party's code in some code list, e.g. ``codeListProvider="EU", partyCode="NL812345678"`` (an EORI)."""

    code_list_provider: str = _f("codeListProvider", _text(100))
    party_code: str = _f("partyCode", _text(150))
    code_list_name: str | None = _f("codeListName", _text(100), optional=True)


@dataclass(frozen=True, kw_only=True)
class Party(_JsonRecord):
    """Shipper, consignee or notify party: a name, an address (structured or free text) and identifying codes."""

    party_name: str = _f("partyName", _text(70))
    address: Address | str | None = _f(
        "address",
        _either("an address object or string", ((Mapping, Address), _nested(Address)), (str, _text(250))),
        optional=True,
    )
    identifying_codes: tuple[IdentifyingCode, ...] = _f(
        "identifyingCodes", _list_of(_nested(IdentifyingCode)), optional=True, default=()
    )


@dataclass(frozen=True, kw_only=True)
class Carrier(_JsonRecord):
    """The issuing carrier: its SMDG liner code (3 characters, e.g. MSK) or NMFTA SCAC (2-4 letters, e.g. MAEU)."""

    carrier_code: str = _f("carrierCode", _text(4))
    carrier_code_list_provider: str = _f("carrierCodeListProvider", _one_of(CARRIER_CODE_LISTS))
    party_name: str = _f("partyName", _text(70))

    @staticmethod
    def _validate(values: dict[str, Any], path: str) -> None:
        code, provider = values["carrier_code"], values["carrier_code_list_provider"]
        regex, what = (r"[A-Z0-9]{3}", "3 letters or digits") if provider == "SMDG" else (r"[A-Z]{2,4}", "2-4 letters")
        if not re.fullmatch(regex, code):
            raise _fail(f"{path}.carrierCode", f"{code!r} is not an {CARRIER_CODE_LISTS[provider]} ({what})")


@dataclass(frozen=True, kw_only=True)
class Vessel(_JsonRecord):
    """The vessel and the carrier's export voyage number."""

    vessel_name: str = _f("vesselName", _text(50))
    vessel_imo_number: str = _f("vesselIMONumber", _imo_number)
    carrier_export_voyage_number: str = _f("carrierExportVoyageNumber", _text(50))


@dataclass(frozen=True, kw_only=True)
class Measure(_JsonRecord):
    """A weight (``KGM``/``LBR``) or volume (``MTQ``/``FTQ``)."""

    value: float = _f("value", _positive_number)
    unit: str = _f("unit", _text(3))


def _measure(units: dict[str, str]) -> Check:
    def check(value: Any, path: str) -> Measure:
        measure = Measure(**_parse_fields(Measure, value, path))
        _one_of(units)(measure.unit, f"{path}.unit")
        return measure

    return check


@dataclass(frozen=True, kw_only=True)
class OuterPackaging(_JsonRecord):
    """How the goods in a cargo item are packed, e.g. 960 cartons (UN/ECE Rec. 21 code ``CT``)."""

    package_code: str | None = _f("packageCode", _pattern(r"[A-Z0-9]{2}", "a 2-character package code"), optional=True)
    number_of_packages: int = _f("numberOfPackages", _positive_integer)
    description: str = _f("description", _text(100))


@dataclass(frozen=True, kw_only=True)
class CargoItem(_JsonRecord):
    """The part of a consignment item packed in one container."""

    equipment_reference: str = _f("equipmentReference", _text(11))
    cargo_gross_weight: Measure = _f("cargoGrossWeight", _measure(WEIGHT_UNITS))
    cargo_gross_volume: Measure | None = _f("cargoGrossVolume", _measure(VOLUME_UNITS), optional=True)
    outer_packaging: OuterPackaging | None = _f("outerPackaging", _nested(OuterPackaging), optional=True)


@dataclass(frozen=True, kw_only=True)
class ConsignmentItem(_JsonRecord):
    """One kind of goods: description, HS codes and the cargo items (per container) carrying it."""

    carrier_booking_reference: str | None = _f("carrierBookingReference", _text(35), optional=True)
    description_of_goods: tuple[str, ...] = _f("descriptionOfGoods", _list_of(_text(5000), min_items=1))
    hs_codes: tuple[str, ...] = _f("HSCodes", _list_of(_hs_code, min_items=1))
    cargo_items: tuple[CargoItem, ...] = _f("cargoItems", _list_of(_nested(CargoItem), min_items=1))


@dataclass(frozen=True, kw_only=True)
class Seal(_JsonRecord):
    """A seal on a container and who applied it (CAR, SHI, PHY, VET, CUS)."""

    number: str = _f("number", _text(15))
    source: str | None = _f("source", _one_of(SEAL_SOURCES), optional=True)


@dataclass(frozen=True, kw_only=True)
class UtilizedTransportEquipment(_JsonRecord):
    """A container: its ISO 6346 number (check digit verified), ISO size/type code and seals."""

    equipment_reference: str = _f("equipmentReference", _container_number)
    iso_equipment_code: str | None = _f(
        "ISOEquipmentCode", _pattern(r"[0-9A-Z]{4}", "an ISO 6346 size/type code such as 45G1"), optional=True
    )
    seals: tuple[Seal, ...] = _f("seals", _list_of(_nested(Seal), min_items=1))


_ROOT = "transportDocument"


@dataclass(frozen=True, kw_only=True)
class TransportDocument(_JsonRecord):
    """A DCSA eBL 3.0 transport document: a bill of lading (``BOL``) or sea waybill (``SWB``).

    Immutable and validated on construction (from Python or from JSON); :meth:`to_json` writes DCSA-style JSON
    with camelCase keys, and :meth:`hash` is what the chain stores. Nested lists are tuples; dates are ISO
    strings (``datetime.date`` is accepted and converted).
    """

    transport_document_reference: str = _f("transportDocumentReference", _text(20))
    transport_document_type_code: str = _f("transportDocumentTypeCode", _one_of(DOCUMENT_TYPES))
    is_to_order: bool = _f("isToOrder", _boolean)
    shipper: Party = _f("shipper", _nested(Party))
    consignee: Party | None = _f("consignee", _nested(Party), optional=True)
    notify_parties: tuple[Party, ...] = _f("notifyParties", _list_of(_nested(Party)), optional=True, default=())
    carrier: Carrier = _f("carrier", _nested(Carrier))
    vessel: Vessel = _f("vessel", _nested(Vessel))
    place_of_receipt: str | None = _f("placeOfReceipt", _unlocode, optional=True)
    port_of_loading: str = _f("portOfLoading", _unlocode)
    port_of_discharge: str = _f("portOfDischarge", _unlocode)
    place_of_delivery: str | None = _f("placeOfDelivery", _unlocode, optional=True)
    consignment_items: tuple[ConsignmentItem, ...] = _f(
        "consignmentItems", _list_of(_nested(ConsignmentItem), min_items=1)
    )
    utilized_transport_equipments: tuple[UtilizedTransportEquipment, ...] = _f(
        "utilizedTransportEquipments", _list_of(_nested(UtilizedTransportEquipment), min_items=1)
    )
    freight_payment_term_code: str = _f("freightPaymentTermCode", _one_of(FREIGHT_PAYMENT_TERMS))
    issue_date: str = _f("issueDate", _iso_date)
    shipped_on_board_date: str | None = _f("shippedOnBoardDate", _iso_date, optional=True)

    def __post_init__(self) -> None:
        # Validate whatever was passed (dataclasses, dicts, lists, dates) through the JSON form, so errors name
        # the field path, then store the normalised values (nested dataclasses, tuples, ISO date strings).
        values = _parse_fields(TransportDocument, _dump(self), _ROOT)
        for f in dataclasses.fields(self):
            object.__setattr__(self, f.name, values.get(f.name, f.default))

    @staticmethod
    def _validate(values: dict[str, Any], path: str) -> None:
        if values["transport_document_type_code"] == "SWB" and values["is_to_order"]:
            raise _fail(f"{path}.isToOrder", "a sea waybill (SWB) cannot be to order")
        if not values["is_to_order"] and values.get("consignee") is None:
            raise _fail(f"{path}.consignee", "required unless isToOrder is true")
        containers: set[str] = set()
        for i, equipment in enumerate(values["utilized_transport_equipments"]):
            if equipment.equipment_reference in containers:
                where = f"{path}.utilizedTransportEquipments[{i}].equipmentReference"
                raise _fail(where, f"{equipment.equipment_reference!r} is listed twice")
            containers.add(equipment.equipment_reference)
        for i, item in enumerate(values["consignment_items"]):
            for j, cargo in enumerate(item.cargo_items):
                if cargo.equipment_reference not in containers:
                    where = f"{path}.consignmentItems[{i}].cargoItems[{j}].equipmentReference"
                    raise _fail(where, f"{cargo.equipment_reference!r} is not in utilizedTransportEquipments")

    @classmethod
    def from_json(cls, data: Any, path: str = _ROOT) -> TransportDocument:
        """Read DCSA JSON: a dict, or JSON text as ``str``/``bytes``. Unknown and missing fields are refused."""
        if isinstance(data, (str, bytes, bytearray, memoryview)):
            data = _parse_json_text(data, path)
        return cls(**_parse_fields(cls, data, path))

    def to_json(self) -> dict[str, Any]:
        """DCSA JSON (camelCase keys; absent optional fields and empty ``notifyParties`` are left out)."""
        return super().to_json()

    def canonical(self) -> bytes:
        """The canonical JSON (RFC 8785) whose hash goes on chain."""
        return canonical_json(self.to_json())

    def hash(self, algorithm: str = "keccak256") -> bytes:
        """The 32-byte document hash: keccak256 (on-chain id) or sha256 of :meth:`canonical`."""
        return document_hash(self.to_json(), algorithm)

    @property
    def bill_kind(self) -> BillKind:
        """The on-chain bill kind: to-order bill, straight bill, or sea waybill."""
        if self.transport_document_type_code == "SWB":
            return BillKind.SEA_WAYBILL
        return BillKind.TO_ORDER if self.is_to_order else BillKind.STRAIGHT

    @classmethod
    def load(cls, path: str | Path) -> TransportDocument:
        """Read a JSON file."""
        return cls.from_json(Path(path).read_bytes(), f"{Path(path).name}: {_ROOT}")

    def dump(self, path: str | Path) -> Path:
        """Write indented JSON (UTF-8) to ``path``; the hash does not depend on the layout."""
        text = json.dumps(self.to_json(), indent=2, ensure_ascii=False) + "\n"
        target = Path(path)
        _atomic_write(target, text.encode("utf-8"))
        return target


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
    if not overrides:
        return document
    names = {f.name for f in dataclasses.fields(TransportDocument)}
    unknown = sorted(set(overrides) - names)
    if unknown:
        fields = ", ".join(sorted(names))
        raise InputError(f"unknown TransportDocument field(s) {', '.join(unknown)}; fields are {fields}")
    return dataclasses.replace(document, **overrides)


# --------------------------------------------------------------------------------------------------------------
# Content-addressed local store
# --------------------------------------------------------------------------------------------------------------


def _atomic_write(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


class DocumentStore:
    """Documents kept off-chain as canonical JSON files named by their keccak256 hash (``<root>/<hex>.json``).

    Hashes are accepted as 32 bytes or 0x-hex. Every read re-hashes the file and raises
    :class:`DocumentIntegrityError` if it no longer matches its name.
    """

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

    def __repr__(self) -> str:
        return f"DocumentStore({str(self.root)!r})"

    def path_of(self, document_hash: HexLike) -> Path:
        """Where the document with this hash is (or would be) stored."""
        return self.root / f"{to_hash32(document_hash).hex()}.json"

    def put(self, document: Any) -> bytes:
        """Store a TransportDocument, a dict, or JSON text of an object; returns its keccak256 hash. Idempotent;
        a damaged copy of the same document is replaced."""
        value = _json_value(document)
        if not isinstance(value, Mapping):
            raise InputError(f"document store: expected a JSON object, got {_kind(value)}")
        data = canonical_json(value)
        digest = bytes(keccak(data))
        target = self.path_of(digest)
        try:
            if target.read_bytes() == data:
                return digest
        except FileNotFoundError:
            pass
        _atomic_write(target, data)
        return digest

    def get(self, document_hash: HexLike) -> dict[str, Any]:
        """The stored JSON object, after checking that the file still hashes to ``document_hash``."""
        expected = to_hash32(document_hash)
        target = self.path_of(expected)
        try:
            data = target.read_bytes()
        except FileNotFoundError:
            raise DocumentNotFoundError(f"no document 0x{expected.hex()} in {self.root}") from None
        if bytes(keccak(data)) != expected:
            raise DocumentIntegrityError(f"{target}: content does not match its hash 0x{expected.hex()} (tampered?)")
        value = _parse_json_text(data, str(target))
        if not isinstance(value, dict):
            raise DocumentIntegrityError(f"{target}: not a JSON object")
        return value

    def __contains__(self, document_hash: object) -> bool:
        return self.path_of(document_hash).is_file()  # type: ignore[arg-type]
