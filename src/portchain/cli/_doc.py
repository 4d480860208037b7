"""portchain doc anchor|verify|show: trade documents anchored by the organisations that issue them."""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

from ..errors import InputError, NotFoundError
from ..port import Port
from ._common import SIGNED, connect_persistent, emit, group, hex32, org_id, subparser
from ._dispatch import Command, bind


def _document(text: str) -> Any:
    """A trade document file (its type read from its documentType), or a bare 32-byte hash."""
    digest = hex32(text)
    if digest is not None:
        return digest
    if Path(text).is_file():
        from ..documents.trade import load_trade_document

        return load_trade_document(Path(text))
    raise InputError(f"{text!r} is neither a document hash (0x + 64 hex digits) nor a trade document file")


def _digest(document: Any) -> bytes:
    return document if isinstance(document, bytes) else bytes(document.hash())


def _describe(anchor: Any) -> str:
    when = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(anchor.anchored_at))
    return f"0x{anchor.document_hash.hex()}: {anchor.doc_type.name} anchored by organisation {anchor.issuer} at {when}"


def _read_document(args: argparse.Namespace) -> None:
    """The document to anchor, read (and its --type checked) before connecting."""
    document = args.read_document = _document(args.document)
    if isinstance(document, bytes) and args.type is None:
        raise InputError("a bare hash needs --type (commercial-invoice, packing-list, ...)")
    if not isinstance(document, bytes) and args.type is not None:
        from ..types import DocType

        if DocType.parse(args.type) != document.doc_type:
            raise InputError(f"{args.document} is a {document.doc_type.name}; --type {args.type} contradicts it")


def _subject(text: str | None) -> bytes | None:
    from ._bol import bill_ref

    return bill_ref(text) if text else None


ANCHOR = Command(
    "doc.anchor", prepare=_read_document,
    values={"document": lambda call: call.args.read_document, "doc_type": lambda call: call.args.type,
            "subject": lambda call: _subject(call.args.subject)},
    says=lambda done: f"anchored 0x{_digest(done.args.read_document).hex()}",
    json=lambda done: {"documentHash": "0x" + _digest(done.args.read_document).hex()},
)


def _anchors(args: argparse.Namespace, port: Port, document: Any) -> list[Any]:
    """The anchors of ``document``: every organisation's, or --issuer's only."""
    if args.issuer is None:
        return port.docs.anchors_of(document)
    found = port.docs.verify(document, args.issuer)
    return [found] if found else []


def _verify(args: argparse.Namespace) -> int:
    document = _document(args.document)
    with connect_persistent(args) as port:
        anchors = _anchors(args, port, document)
    if not anchors:
        by = f" by organisation {args.issuer}" if args.issuer is not None else ""
        digest = _digest(document)
        emit(args, {"documentHash": "0x" + digest.hex(), "anchored": False},
             f"0x{digest.hex()}: not anchored{by} (this exact document is not on the chain)")
        return 1
    emit(args, {"anchors": [a.to_json() for a in anchors], "anchored": True},
         "\n".join("verified: " + _describe(a) for a in anchors))
    return 0


def _show(args: argparse.Namespace) -> int:
    document = _document(args.document)
    with connect_persistent(args) as port:
        anchors = _anchors(args, port, document)
        if args.issuer is not None and not anchors:
            port.docs.anchor_of(document, args.issuer)  # raises the decoded DocumentNotAnchored
    if not anchors:  # as with --issuer (DocumentNotAnchored): exit 1
        raise NotFoundError(f"0x{_digest(document).hex()} is anchored by no organisation")
    emit(args, {"anchors": [a.to_json() for a in anchors]}, "\n".join(_describe(a) for a in anchors))
    return 0


def register(sub: Any) -> None:
    actions = group(sub, "doc", "trade documents: anchor, verify, show", "portchain doc verify invoice.json")
    p = subparser(actions, "anchor", "anchor a document's hash as issued by your organisation",
                  "portchain doc anchor invoice.json --subject shipment.json --as shipper", SIGNED)
    p.add_argument("document", help="trade document JSON file, or its hash with --type")
    p.add_argument("--type", help="commercial-invoice, packing-list, certificate-of-origin, insurance-certificate, "
                                  "inspection-certificate (read from the file when not given)")
    p.add_argument("--subject", help="what it belongs to: a bill id or transport document file")
    p = subparser(actions, "verify", "is this exact document anchored, and by whom? (exit 1 if not)",
                  "portchain doc verify invoice.json --issuer 2", SIGNED)
    p.add_argument("document", help="trade document JSON file or hash")
    p.add_argument("--issuer", type=org_id, help="only this organisation's anchor (default: every organisation's)")
    p = subparser(actions, "show", "the anchors of a document", "portchain doc show 0x1f...e2 --json", SIGNED)
    p.add_argument("document", help="trade document JSON file or hash")
    p.add_argument("--issuer", type=org_id, help="only this organisation's anchor")
    bind(actions, {"anchor": ANCHOR}, {"verify": _verify, "show": _show})
