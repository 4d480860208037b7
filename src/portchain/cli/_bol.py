"""portchain bol draft|approve|issue|transfer|endorse|blank-endorse|sign|reject|surrender|accept-surrender|
reject-surrender|amend|void|milestone|show|history."""

from __future__ import annotations

import argparse
import re
import time
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..types import BillState
from ._common import (
    ACTOR,
    COMMON,
    NETWORK,
    Parser,
    connect_persistent,
    emit,
    hash_or_file,
    org_id,
    parse_date,
    sender,
    subparser,
    tx_json,
    tx_text,
)


def bill_ref(text: str) -> bytes:
    """A bill given as its 32-byte id (0x + 64 hex digits) or as the path of its DCSA transport document JSON
    (a :class:`~portchain.clients.bill_of_lading.DraftedFrom` hash, resolved on the chain with ``port.bol.resolve``)."""
    if re.fullmatch(r"0x[0-9a-fA-F]{64}", text):
        return bytes.fromhex(text[2:])
    path = Path(text)
    if path.is_file():
        from ..clients.bill_of_lading import DraftedFrom
        from ..documents import TransportDocument

        return DraftedFrom(TransportDocument.load(path).hash())
    raise InputError(f"{text!r} is neither a bill id (0x + 64 hex digits) nor a transport document file")


def _bill_arg(text: str) -> bytes:
    try:
        return bill_ref(text)
    except InputError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _when(seconds: int) -> str:
    return time.strftime("%Y-%m-%d", time.gmtime(seconds)) if seconds else "-"


def cmd_bol(args: argparse.Namespace) -> int:
    with connect_persistent(args) as port:
        bol = port.bol
        action = args.bol_action
        if action != "draft":
            if isinstance(getattr(args, "bill", None), list):
                args.bill = [bol.resolve(b) for b in args.bill]
            elif getattr(args, "bill", None) is not None:
                args.bill = bol.resolve(args.bill)
            if getattr(args, "replacement", None) is not None:
                args.replacement = bol.resolve(args.replacement, allow_undrafted=True)
        if action == "show":
            status = bol.status(args.bill)
            lines = [
                f"bill 0x{status.id.hex()}: {status.state.name}, {status.kind.name}"
                f"{', blank-endorsed' if status.blank_endorsed else ''}",
                f"  carrier {status.carrier}  shipper {status.shipper}  consignee {status.consignee or '-'}",
                f"  holder {status.holder or '-'}  endorsee {status.endorsee or '-'}  titleholder {status.titleholder or '-'}",
                f"  shipped on board {_when(status.shipped_on_board_date)}  arrived {_when(status.arrived_date)}  "
                f"discharged {_when(status.discharged_date)}",
            ]
            if status.replaced_by:
                lines.append(f"  replaced by 0x{status.replaced_by.hex()}")
            emit(args, status.to_json(), "\n".join(lines))
            return 0
        if action == "history":
            history = bol.history(args.bill)
            rows = [{"action": h.action, "block": h.block_number, "txHash": h.tx_hash, **h.args} for h in history]
            text = "\n".join(
                f"{h.block_number:>8}  {h.action:<28} "
                + ", ".join(f"{k}={_plain(v)}" for k, v in h.args.items())
                for h in history
            )
            emit(args, rows, text)
            return 0

        account = sender(args, port)
        if action == "draft":
            bill = bol.draft(args.document, args.kind, shipper=args.shipper, consignee=args.consignee or 0,
                             sender=account)
            status = bol.status(bill)
            emit(args, status.to_json(), f"drafted bill 0x{bill.hex()} ({status.kind.name})")
            return 0
        if action == "issue":
            receipt = (bol.issue(args.bill[0], sender=account) if len(args.bill) == 1
                       else bol.issue_batch(args.bill, sender=account))
            what = f"issued {len(args.bill)} bill{'s' if len(args.bill) > 1 else ''}"
        elif action == "approve":
            receipt, what = bol.approve(args.bill, sender=account), "approved"
        elif action == "transfer":
            receipt, what = bol.transfer(args.bill, args.to, sender=account), f"transferred to organisation {args.to}"
        elif action == "endorse":
            receipt = bol.endorse(args.bill, args.to, to_order=args.to_order, sender=account)
            what = f"endorsed {'to the order of' if args.to_order else 'to'} organisation {args.to}"
        elif action == "blank-endorse":
            receipt, what = bol.blank_endorse(args.bill, sender=account), "endorsed in blank"
        elif action == "sign":
            attestation = hash_or_file(args.attestation)
            receipt, what = bol.sign(args.bill, attestation, sender=account), "signed"
        elif action == "reject":
            receipt, what = bol.reject_transfer(args.bill, sender=account), "rejected the last transfer"
        elif action == "surrender":
            receipt, what = bol.surrender_for_delivery(args.bill, sender=account), "surrendered for delivery"
        elif action == "amend":
            receipt = bol.surrender_for_amendment(args.bill, args.reason, sender=account)
            what = f"surrendered for amendment ({args.reason.upper()})"
        elif action == "accept-surrender":
            if bol.status(args.bill).state == BillState.SURRENDERED_FOR_AMENDMENT:
                if args.replacement is None:
                    raise InputError("the bill was surrendered for amendment: give --replacement (the reissued bill)")
                receipt = bol.accept_amendment(args.bill, args.replacement, sender=account)
                what = f"accepted the amendment; voided and replaced by 0x{args.replacement.hex()}"
            else:
                receipt, what = bol.accept_surrender(args.bill, sender=account), "accepted the surrender: accomplished"
        elif action == "reject-surrender":
            receipt, what = bol.reject_surrender(args.bill, sender=account), "rejected the surrender"
        elif action == "void":
            receipt, what = bol.void_draft(args.bill, sender=account), "voided the draft"
        else:  # milestone
            receipt = bol.record_milestone(args.bill, args.milestone, parse_date(args.date), sender=account)
            what = f"recorded {args.milestone}"
        emit(args, tx_json(receipt), f"{what} {tx_text(receipt)}")
    return 0


def _plain(value: Any) -> str:
    if isinstance(value, bytes):
        return "0x" + value.hex()
    return str(getattr(value, "name", value))


def register(sub: Any) -> None:
    group = sub.add_parser(
        "bol", parents=[COMMON], help="electronic bills of lading (DCSA eBL 3.0)",
        epilog="example:\n  portchain bol show shipment.json --json", formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    actions = group.add_subparsers(dest="bol_action", metavar="ACTION", parser_class=Parser)
    actions.required = True
    parents = [COMMON, NETWORK, ACTOR]
    bill_help = "bill id (0x + 64 hex) or the transport document JSON file"

    def action(name: str, help_text: str, example: str, *, bill: bool = True) -> Any:
        p = subparser(actions, name, help_text, example, parents)
        if bill:
            p.add_argument("bill", type=_bill_arg, help=bill_help)
        return p

    p = action("draft", "carrier: draft a bill from its transport document",
               "portchain bol draft shipment.json --kind to-order --shipper 3 --as carrier", bill=False)
    p.add_argument("document", type=_bill_arg, help="transport document JSON file (or its hash)")
    p.add_argument("--kind", required=True, help="to-order, straight or sea-waybill")
    p.add_argument("--shipper", required=True, type=org_id, help="the shipper's organisation id")
    p.add_argument("--consignee", type=org_id, help="consignee organisation (to-order: the order party; default shipper)")
    action("approve", "shipper: approve the draft", "portchain bol approve shipment.json --as shipper")
    p = action("issue", "carrier: issue approved bills (several at once in one transaction)",
               "portchain bol issue 0x1f...e2 0x77...01 --as carrier", bill=False)
    p.add_argument("bill", nargs="+", type=_bill_arg, help=bill_help)
    p = action("transfer", "holder: pass possession to another organisation",
               "portchain bol transfer shipment.json --to 5 --as shipper")
    p.add_argument("--to", required=True, type=org_id, help="recipient organisation id")
    p = action("endorse", "titleholder: endorse to another organisation and deliver",
               "portchain bol endorse shipment.json --to 5 --to-order --as shipper")
    p.add_argument("--to", required=True, type=org_id, help="endorsee organisation id")
    p.add_argument("--to-order", action="store_true", help="endorse to the order of the endorsee")
    action("blank-endorse", "titleholder: endorse in blank (bearer bill)", "portchain bol blank-endorse shipment.json --as bank")
    p = action("sign", "holder: attest the bill (the attestation stays off-chain)",
               "portchain bol sign shipment.json --attestation attestation.json --as bank")
    p.add_argument("--attestation", required=True, help="attestation document hash (0x + 64 hex) or file")
    action("reject", "new holder: reject the last transfer or endorsement", "portchain bol reject shipment.json --as consignee")
    action("surrender", "titleholder: surrender for delivery", "portchain bol surrender shipment.json --as consignee")
    p = action("amend", "titleholder: surrender for amendment (swtp: switch to paper, cod: change of destination, "
               "swi: switch BL)", "portchain bol amend shipment.json --reason cod --as shipper")
    p.add_argument("--reason", required=True, choices=["swtp", "cod", "swi", "SWTP", "COD", "SWI"])
    p = action("accept-surrender", "carrier: accept a surrender (for an amendment, with the reissued bill)",
               "portchain bol accept-surrender shipment.json --as carrier")
    p.add_argument("--replacement", type=_bill_arg, help="for an amendment: the reissued bill (or the paper bill's hash)")
    action("reject-surrender", "carrier: reject a surrender; the bill goes back",
           "portchain bol reject-surrender shipment.json --as carrier")
    action("void", "carrier: void a bill that was never issued", "portchain bol void shipment.json --as carrier")
    p = action("milestone", "carrier: record shipped on board, arrived or discharged",
               "portchain bol milestone shipment.json --milestone shipped-on-board --date 2026-11-20 --as carrier")
    p.add_argument("--milestone", required=True, choices=["shipped-on-board", "arrived", "discharged"])
    p.add_argument("--date", help="YYYY-MM-DD or unix seconds (default: now)")
    action("show", "everything the chain holds about a bill", "portchain bol show shipment.json --json")
    action("history", "every step of a bill, from its events", "portchain bol history shipment.json")
    group.set_defaults(func=cmd_bol)
