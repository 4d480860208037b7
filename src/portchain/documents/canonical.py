"""Canonical JSON (RFC 8785 JCS, written by the ``rfc8785`` package), document hashes and strict JSON text parsing.

The chain stores only a document's hash: the keccak256 of its canonical JSON (sorted keys, no whitespace, UTF-8,
ECMAScript number formatting), so key order and whitespace never change the hash.

>>> canonical_json({"b": 1, "a": [1.0, 2.5, 1e21, None]})
b'{"a":[1,2.5,1e+21,null],"b":1}'
>>> document_hash('{"b": 1, "a": [1.0, 2.5, 1e21, null]}') == document_hash({"a": [1, 2.5, 1e21, None], "b": 1})
True
>>> canonical_json({"n": 2**53})
Traceback (most recent call last):
...
portchain.errors.InputError: $.n: integer 9007199254740992 is beyond 2**53 - 1 and not exact as a JSON ...
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping
from typing import Any

import rfc8785
from eth_utils.crypto import keccak

from ..errors import InputError
from ..types import org_scoped_id, to_hash32

__all__ = [
    "HASH_ALGORITHMS",
    "canonical_json",
    "document_hash",
    "json_value",
    "parse_json_text",
    "verify",
]

HASH_ALGORITHMS = ("keccak256", "sha256")
_MAX_SAFE_INTEGER = 2**53 - 1  # integers beyond this are not exact as IEEE doubles, which JCS numbers are


def canonical_json(obj: Any) -> bytes:
    """The RFC 8785 (JCS) canonical UTF-8 form of a JSON value made of dicts, lists/tuples, str, int, float, bool
    and None. Keys are sorted by UTF-16 code units, numbers are formatted as ECMAScript does; NaN, Infinity,
    non-string keys, lone surrogates and integers beyond 2**53 - 1 are refused with :class:`InputError`.

    >>> canonical_json({"é": "ü", "a": [True, 100.0, 0.0000001, -0.0]}).decode()
    '{"a":[true,100,1e-7,0],"é":"ü"}'
    >>> canonical_json({"a": [float("nan")]})
    Traceback (most recent call last):
    ...
    portchain.errors.InputError: $.a[0]: nan is not a valid JSON number (NaN and Infinity are refused)
    """
    return bytes(rfc8785.dumps(_plain(obj, "$")))


def document_hash(obj: Any, algorithm: str = "keccak256") -> bytes:
    """The 32-byte hash of a document's canonical JSON: ``keccak256`` (what the chain stores) or ``sha256``.

    ``obj`` is a JSON value (usually a dict), anything with a ``to_json()`` (a document), or JSON text as
    ``str``/``bytes`` -- text is parsed first, so its whitespace and key order do not matter.

    >>> document_hash('{ "a" : 1.0 }') == keccak(b'{"a":1}'), document_hash({"a": 1}, "sha256").hex()[:16]
    (True, '015abd7f5cc57a2d')
    """
    return canonical_digest(canonical_json(json_value(obj)), algorithm)


def canonical_digest(canonical: bytes, algorithm: str = "keccak256") -> bytes:
    """The 32-byte ``keccak256`` or ``sha256`` of canonical JSON bytes already made (see :func:`document_hash`)."""
    if algorithm == "keccak256":
        return keccak(canonical)
    if algorithm == "sha256":
        return hashlib.sha256(canonical).digest()
    raise InputError(f"unknown hash algorithm {algorithm!r}; use one of {', '.join(HASH_ALGORITHMS)}")


def verify(document: Any, bill: Any) -> bool:
    """Whether ``document`` (a document, a dict, or JSON text) is the one on the chain. ``bill`` is a
    :class:`~portchain.clients.bill_of_lading.BillStatus` (``port.bol.status(...)``): the bill's id must bind the
    document's keccak256 canonical hash to the bill's carrier (``keccak256(abi.encode(hash, carrier))``); or the
    document hash itself (32 bytes or 0x-hex). A malformed hash or document raises :class:`InputError`.

    >>> verify({"a": 1}, document_hash({"a": 1})), verify({"a": 2}, "0x" + document_hash({"a": 1}).hex())
    (True, False)
    """
    digest = document_hash(document)
    carrier = getattr(bill, "carrier", None)
    if carrier is not None:
        return org_scoped_id(digest, int(carrier), "carrier") == to_hash32(bill.id, "bill id")
    return digest == to_hash32(bill, "on-chain hash")


def parse_json_text(text: str | bytes | bytearray | memoryview, source: str = "document") -> Any:
    """Strict JSON: UTF-8 (a BOM is allowed), no NaN/Infinity, no duplicate keys; errors start with ``source``.

    >>> parse_json_text('{"a": 1, "a": 2}')
    Traceback (most recent call last):
    ...
    portchain.errors.InputError: document: duplicate key 'a'
    """

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
    except RecursionError:
        raise InputError(f"{source}: nested too deeply to be a document") from None


def json_value(document: Any) -> Any:
    """The JSON value of a document (its ``to_json()``), of JSON text (parsed strictly), or ``document`` itself."""
    to_json = getattr(document, "to_json", None)
    if callable(to_json):
        return to_json()
    if isinstance(document, (str, bytes, bytearray, memoryview)):
        return parse_json_text(document)
    return document


# rfc8785 raises without saying where (and takes only dict, not any Mapping): check first, naming the JSON path,
# in the order the writer meets values (members in UTF-16 key order), so the first refusal is the one reported.


def _plain(value: Any, path: str) -> Any:
    """``value`` as plain JSON data for rfc8785, or :class:`InputError` for what JCS cannot represent."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str):
        return _string(value, path)
    if isinstance(value, int):
        if abs(value) > _MAX_SAFE_INTEGER:
            raise InputError(
                f"{path}: integer {value} is beyond 2**53 - 1 and not exact as a JSON (IEEE double) number; "
                "send it as a string"
            )
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise InputError(f"{path}: {value} is not a valid JSON number (NaN and Infinity are refused)")
        return value
    if isinstance(value, Mapping):
        return _object(value, path)
    if isinstance(value, (list, tuple)):
        return [_plain(item, f"{path}[{i}]") for i, item in enumerate(value)]
    raise InputError(f"{path}: {type(value).__name__} is not a JSON value")


def _object(value: Mapping[Any, Any], path: str) -> dict[str, Any]:
    for key in value:
        if not isinstance(key, str):
            raise InputError(f"{path}: object keys must be strings, got {type(key).__name__} {key!r}")
        _string(key, path)
    return {key: _plain(value[key], f"{path}.{key}") for key in sorted(value, key=_utf16)}


def _utf16(key: str) -> bytes:
    return key.encode("utf-16-be")


def _string(text: str, path: str) -> str:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise InputError(f"{path}: string {text!r} contains a lone surrogate") from None
    return text
