"""Client of ``TradeDocuments``: anchor an invoice, packing list or certificate by the organisation that issues it.

Each organisation anchors in its own name space: an anchor's id is ``keccak256(abi.encode(documentHash, issuer))``
(:func:`anchor_id`), so nobody can anchor someone else's document first, and a presentation names anchor ids.

>>> port.docs.anchor(sample_commercial_invoice(), subject=bill, sender=shipper)      # doctest: +SKIP
>>> port.docs.anchor_of(sample_commercial_invoice(), issuer=3).issuer                  # doctest: +SKIP
3
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from eth_account.signers.local import LocalAccount

from ..errors import InputError
from ..transactions import Receipt
from ..types import Bytes32, DocType, HexLike, document_hash_of, org_scoped_id, to_hash32
from ._base import ContractClient


@dataclass(frozen=True)
class Anchor:
    """Who anchored a document, as what, and when."""

    document_hash: Bytes32
    doc_type: DocType
    issuer: int
    anchored_at: int

    def to_json(self) -> dict[str, Any]:
        return {
            "documentHash": "0x" + self.document_hash.hex(),
            "docType": self.doc_type.name,
            "issuer": self.issuer,
            "anchoredAt": self.anchored_at,
        }


def anchor_id(document: Any, issuer: int) -> Bytes32:
    """The id of organisation ``issuer``'s anchor of ``document`` (a document object or its hash).

    >>> anchor_id(bytes(31) + b"\\x01", 3).hex()[:16]
    'a15bc60c955c405d'
    """
    return org_scoped_id(document, issuer, "issuer organisation")


class TradeDocumentsClient(ContractClient):
    """Anchors of trade documents."""

    contract_name = "TradeDocuments"

    def anchor(
        self, document: Any, doc_type: DocType | str | int | None = None, *, subject: HexLike | None = None,
        sender: LocalAccount,
    ) -> Receipt:
        """Anchor a document (a trade-document dataclass, or a hash with its ``doc_type``) as issued by the
        sender's organisation; ``subject`` (e.g. the bill id) is indexed for lookups. Its anchor id is
        :func:`anchor_id` of the document and the sender's organisation."""
        kind = DocType.parse(doc_type if doc_type is not None else getattr(document, "doc_type", None))
        related = to_hash32(subject, "subject") if subject is not None else bytes(32)
        return self._send(sender, "anchor", document_hash_of(document), int(kind), related)

    def anchor_of(self, document: Any, issuer: int) -> Anchor:
        """Organisation ``issuer``'s anchor of a document or hash (raises ``errors.DocumentNotAnchored``)."""
        return self._anchor("anchorOf", document, issuer)

    def verify(self, document: Any, issuer: int | None = None) -> Anchor | None:
        """``issuer``'s anchor if this exact document is anchored by it (by anyone when no issuer is given: the
        first anchor), else None."""
        if issuer is None:
            anchors = self.anchors_of(document)
            return anchors[0] if anchors else None
        found = self._anchor("tryAnchorOf", document, issuer)
        return found if found.anchored_at else None

    def _anchor(self, view: str, document: Any, issuer: int) -> Anchor:
        """``issuer``'s anchor of ``document`` as ``view`` answers it (``tryAnchorOf`` answers zeros for none)."""
        digest = document_hash_of(document)
        doc_type, found_issuer, anchored_at = self._call(view, anchor_id(digest, issuer))
        return Anchor(digest, DocType(doc_type), int(found_issuer), int(anchored_at))

    def issuer_for(self, document: Any, presenter: int) -> int:
        """The organisation whose anchor of ``document`` a presentation by ``presenter`` names: the only one that
        anchored it, or the presenter's own among several (none: the presenter's, which the credit will find not
        anchored). Several others: :class:`InputError` (name the issuer yourself)."""
        digest = document_hash_of(document)
        issuers = sorted({anchor.issuer for anchor in self.anchors_of(digest)})
        if not issuers or presenter in issuers:
            return presenter
        if len(issuers) == 1:
            return issuers[0]
        raise InputError(f"document 0x{digest.hex()} is anchored by organisations {issuers}: present it from the "
                         "SDK naming the issuer")

    def anchors_of(self, document: Any) -> list[Anchor]:
        """Every organisation's anchor of a document or hash, oldest first (one log query plus one read each)."""
        digest = document_hash_of(document)
        events = self.logs("DocumentAnchored", digest)
        anchors = [self.verify(digest, int(e.args["issuer"])) for e in events]
        return [a for a in anchors if a is not None]
