"""Client of ``TradeDocuments``: anchor an invoice, packing list or certificate by the organisation that issues it.

>>> port.docs.anchor(sample_commercial_invoice(), subject=bill, sender=shipper)      # doctest: +SKIP
>>> port.docs.anchor_of(sample_commercial_invoice()).issuer                           # doctest: +SKIP
3
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from eth_account.signers.local import LocalAccount

from .client import ContractClient
from .tx import Receipt
from .types import HexLike, to_hash32


def _hash_of(document: Any) -> bytes:
    if hasattr(document, "hash") and callable(document.hash):
        return bytes(document.hash())
    return to_hash32(document, "document hash")


@dataclass(frozen=True)
class Anchor:
    """Who anchored a document, as what, and when."""

    document_hash: bytes
    doc_type: Any  # portchain.trade_documents.DocType
    issuer: int
    anchored_at: int

    def to_json(self) -> dict[str, Any]:
        return {
            "documentHash": "0x" + self.document_hash.hex(),
            "docType": self.doc_type.name,
            "issuer": self.issuer,
            "anchoredAt": self.anchored_at,
        }


class TradeDocumentsClient(ContractClient):
    """Anchors of trade documents."""

    contract_name = "TradeDocuments"

    def anchor(
        self, document: Any, doc_type: Any = None, *, subject: HexLike | None = None, sender: LocalAccount
    ) -> Receipt:
        """Anchor a document (a trade-document dataclass, or a hash with its ``doc_type``) as issued by the
        sender's organisation; ``subject`` (e.g. the bill id) is indexed for lookups."""
        from .trade_documents import DocType

        kind = DocType.parse(doc_type if doc_type is not None else getattr(document, "doc_type", None))
        related = to_hash32(subject, "subject") if subject is not None else bytes(32)
        return self._send(sender, "anchor", _hash_of(document), int(kind), related)

    def anchor_of(self, document: Any) -> Anchor:
        """The anchor of a document or hash (raises ``errors.DocumentNotAnchored``)."""
        from .trade_documents import DocType

        digest = _hash_of(document)
        doc_type, issuer, anchored_at = self._call("anchorOf", digest)
        return Anchor(digest, DocType(doc_type), int(issuer), int(anchored_at))

    def verify(self, document: Any) -> Anchor | None:
        """The anchor if this exact document is anchored, else None."""
        from .trade_documents import DocType

        digest = _hash_of(document)
        doc_type, issuer, anchored_at = self._call("tryAnchorOf", digest)
        return Anchor(digest, DocType(doc_type), int(issuer), int(anchored_at)) if anchored_at else None
