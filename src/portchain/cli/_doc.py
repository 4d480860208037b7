"""portchain doc anchor|verify|show: trade documents anchored by the organisations that issue them."""

from __future__ import annotations

import argparse
import re
import time
from pathlib import Path
from typing import Any

from ..errors import InputError
from ._common import (
    ACTOR,
    COMMON,
    NETWORK,
    Parser,
    connect_persistent,
    emit,
    org_id,
    sender,
    subparser,
    tx_json,
    tx_text,
)


def _document(text: str) -> Any:
    """A trade document file (its type read from its documentType), or a bare 32-byte hash."""
    if re.fullmatch(r"0x[0-9a-fA-F]{64}", text):
        return bytes.fromhex(text[2:])
    if Path(text).is_file():
        from ..documents.trade import load_trade_document

        return load_trade_document(Path(text))
    raise InputError(f"{text!r} is neither a document hash (0x + 64 hex digits) nor a trade document file")


def _describe(anchor: Any) -> str:
    when = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(anchor.anchored_at))
    return f"0x{anchor.document_hash.hex()}: {anchor.doc_type.name} anchored by organisation {anchor.issuer} at {when}"


def cmd_doc(args: argparse.Namespace) -> int:
    document = _document(args.document)
    with connect_persistent(args) as port:
        docs = port.docs
        if args.doc_action == "anchor":
            if isinstance(document, bytes) and args.type is None:
                raise InputError("a bare hash needs --type (commercial-invoice, packing-list, ...)")
            if not isinstance(document, bytes) and args.type is not None:
                from ..documents.trade import DocType

                if DocType.parse(args.type) != document.doc_type:
                    raise InputError(
                        f"{args.document} is a {document.doc_type.name}; --type {args.type} contradicts it"
                    )
            subject = None
            if args.subject:
                from ._bol import bill_ref

                subject = bill_ref(args.subject)
            receipt = docs.anchor(document, args.type, subject=subject, sender=sender(args, port))
            digest = document if isinstance(document, bytes) else document.hash()
            emit(args, {"documentHash": "0x" + digest.hex(), **tx_json(receipt)},
                 f"anchored 0x{digest.hex()} {tx_text(receipt)}")
            return 0
        digest = document if isinstance(document, bytes) else document.hash()
        if args.issuer is not None:
            found = docs.verify(document, args.issuer)
            anchors = [found] if found else []
        else:
            anchors = docs.anchors_of(document)
        if args.doc_action == "verify":
            if not anchors:
                by = f" by organisation {args.issuer}" if args.issuer is not None else ""
                emit(args, {"documentHash": "0x" + digest.hex(), "anchored": False},
                     f"0x{digest.hex()}: not anchored{by} (this exact document is not on the chain)")
                return 1
            emit(args, {"anchors": [a.to_json() for a in anchors], "anchored": True},
                 "\n".join("verified: " + _describe(a) for a in anchors))
            return 0
        if args.issuer is not None and not anchors:
            docs.anchor_of(document, args.issuer)  # raises the decoded DocumentNotAnchored
        if not anchors:
            raise InputError(f"0x{digest.hex()} is anchored by no organisation")
        emit(args, {"anchors": [a.to_json() for a in anchors]}, "\n".join(_describe(a) for a in anchors))
    return 0


def register(sub: Any) -> None:
    group = sub.add_parser(
        "doc", parents=[COMMON], help="trade documents: anchor, verify, show",
        epilog="example:\n  portchain doc verify invoice.json", formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    actions = group.add_subparsers(dest="doc_action", metavar="ACTION", parser_class=Parser)
    actions.required = True
    parents = [COMMON, NETWORK, ACTOR]
    p = subparser(actions, "anchor", "anchor a document's hash as issued by your organisation",
                  "portchain doc anchor invoice.json --subject shipment.json --as shipper", parents)
    p.add_argument("document", help="trade document JSON file, or its hash with --type")
    p.add_argument("--type", help="commercial-invoice, packing-list, certificate-of-origin, insurance-certificate, "
                                  "inspection-certificate (read from the file when not given)")
    p.add_argument("--subject", help="what it belongs to: a bill id or transport document file")
    p = subparser(actions, "verify", "is this exact document anchored, and by whom? (exit 1 if not)",
                  "portchain doc verify invoice.json --issuer 2", parents)
    p.add_argument("document", help="trade document JSON file or hash")
    p.add_argument("--issuer", type=org_id, help="only this organisation's anchor (default: every organisation's)")
    p = subparser(actions, "show", "the anchors of a document", "portchain doc show 0x1f...e2 --json", parents)
    p.add_argument("document", help="trade document JSON file or hash")
    p.add_argument("--issuer", type=org_id, help="only this organisation's anchor")
    group.set_defaults(func=cmd_doc)
