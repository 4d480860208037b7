"""A content-addressed local store: documents kept off-chain as canonical JSON files named by their keccak256 hash.

>>> import tempfile
>>> store = DocumentStore(tempfile.mkdtemp())
>>> h = store.put({"kind": "invoice", "amount": "12.50"})
>>> store.path_of(h).read_bytes()
b'{"amount":"12.50","kind":"invoice"}'
>>> store.get(h), h in store
({'amount': '12.50', 'kind': 'invoice'}, True)
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from eth_utils.crypto import keccak

from .._files import atomic_write
from ..errors import DocumentIntegrityError, DocumentNotFoundError, InputError
from ..types import HexLike, to_hash32
from ._fields import kind
from .canonical import canonical_json, json_value, parse_json_text

__all__ = ["DocumentIntegrityError", "DocumentNotFoundError", "DocumentStore"]


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
        """Store a document, a dict, or JSON text of an object; returns its keccak256 hash. Idempotent; a damaged
        copy of the same document is replaced."""
        value = json_value(document)
        if not isinstance(value, Mapping):
            raise InputError(f"document store: expected a JSON object, got {kind(value)}")
        data = canonical_json(value)
        digest = keccak(data)
        target = self.path_of(digest)
        try:
            if target.read_bytes() == data:
                return digest
        except FileNotFoundError:
            pass
        atomic_write(target, data)
        return digest

    def get(self, document_hash: HexLike) -> dict[str, Any]:
        """The stored JSON object, after checking that the file still hashes to ``document_hash``."""
        expected = to_hash32(document_hash)
        target = self.path_of(expected)
        try:
            data = target.read_bytes()
        except FileNotFoundError:
            raise DocumentNotFoundError(f"no document 0x{expected.hex()} in {self.root}") from None
        if keccak(data) != expected:
            raise DocumentIntegrityError(f"{target}: content does not match its hash 0x{expected.hex()} (tampered?)")
        value = parse_json_text(data, str(target))
        if not isinstance(value, dict):
            raise DocumentIntegrityError(f"{target}: not a JSON object")
        return value

    def __contains__(self, document_hash: object) -> bool:
        return self.path_of(document_hash).is_file()  # type: ignore[arg-type]
