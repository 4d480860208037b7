"""portchain bol draft|draft-hash|approve|issue|transfer|endorse|blank-endorse|sign|reject|surrender|accept-surrender|
reject-surrender|amend|void|milestone|show|history|verify|export|verify-chain."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..types import BillState
from ._common import (
    SIGNED,
    argument,
    connect_persistent,
    day,
    emit,
    group,
    hash_or_file,
    hex32,
    org_id,
    parse_date,
    plain,
    subparser,
)
from ._dispatch import Call, Command, Done, bind


def bill_ref(text: str) -> bytes:
    """A bill given as its 32-byte id (0x + 64 hex digits) or as the path of its DCSA transport document JSON
    (a :class:`~portchain.clients.bill_of_lading.DraftedFrom` hash, resolved on the chain with ``port.bol.resolve``)."""
    bill = hex32(text)
    if bill is not None:
        return bill
    path = Path(text)
    if path.is_file():
        from ..clients.bill_of_lading import DraftedFrom
        from ..documents import TransportDocument

        return DraftedFrom(TransportDocument.load(path).hash())
    raise InputError(f"{text!r} is neither a bill id (0x + 64 hex digits) nor a transport document file")


def _transport_document(path: str) -> Any:
    """The DCSA transport document in file ``path`` (validated; errors name the file and the field)."""
    from ..documents import TransportDocument

    if not Path(path).is_file():
        raise InputError(f"{path!r} is not a transport document file")
    return TransportDocument.load(path)


def _hash32(text: str) -> bytes:
    digest = hex32(text)
    if digest is None:
        raise InputError(f"{text!r} is not a hash (0x + 64 hex digits)")
    return digest


def _bill_arg(text: str) -> bytes:
    try:
        return bill_ref(text)
    except InputError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _show(args: argparse.Namespace) -> int:
    with connect_persistent(args) as port:
        status = port.bol.status(port.bol.resolve(args.bill))
        lines = [
            f"bill 0x{status.id.hex()}: {status.state.name}, {status.kind.name}"
            f"{', blank-endorsed' if status.blank_endorsed else ''}",
            f"  carrier {status.carrier}  shipper {status.shipper}  consignee {status.consignee or '-'}",
            f"  holder {status.holder or '-'}  endorsee {status.endorsee or '-'}  "
            f"titleholder {status.titleholder or '-'}",
            f"  shipped on board {day(status.shipped_on_board_date)}  arrived {day(status.arrived_date)}  "
            f"discharged {day(status.discharged_date)}",
        ]
        if status.replaced_by:
            lines.append(f"  replaced by 0x{status.replaced_by.hex()}")
        emit(args, status.to_json(), "\n".join(lines))
    return 0


def _history(args: argparse.Namespace) -> int:
    with connect_persistent(args) as port:
        history = port.bol.history(port.bol.resolve(args.bill))
        rows = [{"action": h.action, "dcsaCode": h.dcsa_code, "block": h.block_number, "txHash": h.tx_hash, **h.args}
                for h in history]
        text = "\n".join(
            f"{h.block_number:>8}  {h.action:<28} {h.dcsa_code or '-':<24} "
            + ", ".join(f"{k}={plain(v)}" for k, v in h.args.items())
            for h in history
        )
        emit(args, rows, text)
    return 0


def _verify(args: argparse.Namespace) -> int:
    """Is this DCSA document (as exchanged, byte for byte in meaning) the one a bill on the chain was drafted from?"""
    document = _transport_document(args.document)
    with connect_persistent(args) as port:
        if args.bill is not None:
            candidates = [port.bol.resolve(args.bill)]
        else:
            candidates = [bill for bill, _ in port.bol.bills_drafted_from(document)]
        statuses = [port.bol.status(bill) for bill in candidates]
        problems = {status.id: port.bol.check_document(document, status) for status in statuses}
        matching = [status for status in statuses if not problems[status.id]]
        rows = [{"bill": "0x" + status.id.hex(), "carrier": status.carrier, "state": status.state.name,
                 "problems": problems[status.id]} for status in statuses]
        result = {"verified": bool(matching), "documentHash": "0x" + document.hash().hex(),
                  "bills": rows, "warnings": list(document.warnings)}
        if matching:
            text = "\n".join(f"verified: bill 0x{status.id.hex()} (carrier {status.carrier}, {status.state.name})"
                             for status in matching)
        elif statuses:
            first = statuses[0]
            text = f"not verified: bill 0x{first.id.hex()}: {problems[first.id][0]}"
        else:
            text = f"not verified: no bill was drafted from document 0x{document.hash().hex()}"
        emit(args, result, text)
    return 0 if matching else 1


def _export(args: argparse.Namespace) -> int:
    """A bill's title history as a PINT-style transfer chain: to ``--output`` or standard output."""
    from ..title_chain import export_chain, write_chain

    document = _transport_document(args.document) if args.document else None
    with connect_persistent(args) as port:
        exported = export_chain(port, port.bol.resolve(args.bill), document=document)
    if args.output:
        write_chain(exported, args.output)
        print(f"exported {len(exported['entries'])} entries of bill {exported['bill']} to {args.output} "
              f"(head {exported['head']})")
    else:
        print(json.dumps(exported, indent=2))
    return 0


def _verify_chain(args: argparse.Namespace) -> int:
    """Verify an exported transfer chain against the chain and its registry (exit 1 if it does not verify)."""
    from ..title_chain import read_chain, verify_chain

    exported = read_chain(args.chain)
    document = _transport_document(args.document) if args.document else None
    with connect_persistent(args) as port:
        result = verify_chain(port, exported, document=document)
    later = f"; {result.actions_after_export} later action(s) on chain" if result.actions_after_export else ""
    later += "".join(f"; not checked: {note}" for note in result.unchecked)
    if result.ok:
        text = f"verified: {result.verified} entries of bill {exported['bill']}, head {exported['head']}{later}"
    else:
        text = f"not verified: {result.problems[0]}" + (
            f" (and {len(result.problems) - 1} more problem(s))" if len(result.problems) > 1 else "")
    emit(args, {"verified": result.ok, "entries": result.verified, "problems": result.problems,
                "actionsAfterExport": result.actions_after_export, "unchecked": result.unchecked}, text)
    return 0 if result.ok else 1


def _drafted(done: Done) -> tuple[Any, str]:
    bill = done.outcome.id
    status = done.port.bol.status(bill)
    return status.to_json(), f"drafted bill 0x{bill.hex()} ({status.kind.name})"


def _issued(done: Done) -> str:
    count = len(done.args.bill)
    return f"issued {count} bill{'s' if count > 1 else ''}"


def _surrendered_for_amendment(call: Call) -> bool:
    bol = call.port.bol
    return bol.status(bol.resolve(call.args.bill)).state == BillState.SURRENDERED_FOR_AMENDMENT


def _replacement(call: Call) -> bytes:
    if call.args.replacement is None:
        raise InputError("the bill was surrendered for amendment: give --replacement (the reissued bill)")
    return call.port.bol.resolve(call.args.replacement, allow_undrafted=True)


def _accepted(done: Done) -> str:
    if done.action.name == "bol.accept_amendment":
        return f"accepted the amendment; voided and replaced by 0x{done.values['replacement'].hex()}"
    return "accepted the surrender: accomplished"


COMMANDS: dict[str, Command] = {
    "draft": Command("bol.draft", values={"bill": lambda call: _transport_document(call.args.document)},
                     output=_drafted),
    "draft-hash": Command("bol.draft_hash", output=_drafted),
    "approve": Command("bol.approve", says=lambda _: "approved"),
    "issue": Command("bol.issue", says=_issued, instead=("bol.issue_batch", lambda call: len(call.args.bill) > 1),
                     values={"bill": lambda call: call.port.bol.resolve(call.args.bill[0]),
                             "bills": lambda call: [call.port.bol.resolve(bill) for bill in call.args.bill]}),
    "transfer": Command("bol.transfer", says=lambda done: f"transferred to organisation {done.args.to}"),
    "endorse": Command("bol.endorse", says=lambda done: f"endorsed {'to the order of' if done.args.to_order else 'to'}"
                                                        f" organisation {done.args.to}"),
    "blank-endorse": Command("bol.blank_endorse", says=lambda _: "endorsed in blank"),
    "sign": Command("bol.sign", says=lambda _: "signed",
                    values={"attestation": lambda call: hash_or_file(call.args.attestation)}),
    "reject": Command("bol.reject", says=lambda _: "rejected the last transfer"),
    "surrender": Command("bol.surrender", says=lambda _: "surrendered for delivery"),
    "amend": Command("bol.amend", says=lambda done: f"surrendered for amendment ({done.args.reason.upper()})"),
    "accept-surrender": Command("bol.accept_surrender", says=_accepted, values={"replacement": _replacement},
                                instead=("bol.accept_amendment", _surrendered_for_amendment)),
    "reject-surrender": Command("bol.reject_surrender", says=lambda _: "rejected the surrender"),
    "void": Command("bol.void", says=lambda _: "voided the draft"),
    "milestone": Command("bol.milestone", says=lambda done: f"recorded {done.args.milestone}",
                         values={"date": lambda call: parse_date(call.args.date)}),
}


def register(sub: Any) -> None:
    actions = group(sub, "bol", "electronic bills of lading (DCSA eBL 3.0)", "portchain bol show shipment.json --json")
    bill_help = "bill id (0x + 64 hex) or the transport document JSON file"

    def action(name: str, help_text: str, example: str, *, bill: bool = True) -> Any:
        p = subparser(actions, name, help_text, example, SIGNED)
        if bill:
            p.add_argument("bill", type=_bill_arg, help=bill_help)
        return p

    p = action("draft", "carrier: draft a bill from its DCSA eBL 3.0 transport document; its kind and parties "
               "follow the document (parties found in the registry by their codes)",
               "portchain bol draft shipment.json --as carrier", bill=False)
    p.add_argument("document", help="DCSA eBL 3.0 transport document JSON file")
    p.add_argument("--kind", help="to-order, straight or sea-waybill: must be the document's kind")
    p.add_argument("--shipper", type=org_id,
                   help="the shipper's organisation id, where the document's codes do not name it")
    p.add_argument("--consignee", type=org_id,
                   help="consignee (to order: endorsee) organisation id, where the document's codes do not name it")
    p = action("draft-hash", "carrier: draft a bill from a document hash alone, for a transport document validated "
               "and bound to its parties elsewhere (nothing about the document is checked)",
               "portchain bol draft-hash 0x5f...9c --kind to-order --shipper 3 --as carrier", bill=False)
    p.add_argument("document_hash", type=argument(_hash32), help="the document's canonical hash (0x + 64 hex)")
    p.add_argument("--kind", required=True, help="to-order, straight or sea-waybill")
    p.add_argument("--shipper", required=True, type=org_id, help="the shipper's organisation id")
    p.add_argument("--consignee", type=org_id, default=0,
                   help="consignee organisation (to order: the order party; default the shipper)")
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
    action("blank-endorse", "titleholder: endorse in blank (bearer bill)",
           "portchain bol blank-endorse shipment.json --as bank")
    p = action("sign", "holder: attest the bill (the attestation stays off-chain)",
               "portchain bol sign shipment.json --attestation attestation.json --as bank")
    p.add_argument("--attestation", required=True, help="attestation document hash (0x + 64 hex) or file")
    action("reject", "new holder: reject the last transfer or endorsement",
           "portchain bol reject shipment.json --as consignee")
    action("surrender", "titleholder: surrender for delivery", "portchain bol surrender shipment.json --as consignee")
    p = action("amend", "titleholder: surrender for amendment (swtp: switch to paper, cod: change of destination, "
               "swi: switch BL)", "portchain bol amend shipment.json --reason cod --as shipper")
    p.add_argument("--reason", required=True, choices=["swtp", "cod", "swi", "SWTP", "COD", "SWI"])
    p = action("accept-surrender", "carrier: accept a surrender (for an amendment, with the reissued bill)",
               "portchain bol accept-surrender shipment.json --as carrier")
    p.add_argument("--replacement", type=_bill_arg,
                   help="for an amendment: the reissued bill (or the paper bill's hash)")
    action("reject-surrender", "carrier: reject a surrender; the bill goes back",
           "portchain bol reject-surrender shipment.json --as carrier")
    action("void", "carrier: void a bill that was never issued", "portchain bol void shipment.json --as carrier")
    p = action("milestone", "carrier: record shipped on board, arrived or discharged",
               "portchain bol milestone shipment.json --milestone shipped-on-board --date 2026-11-20 --as carrier")
    p.add_argument("--milestone", required=True, choices=["shipped-on-board", "arrived", "discharged"])
    p.add_argument("--date", help="YYYY-MM-DD or unix seconds (default: now)")
    action("show", "everything the chain holds about a bill", "portchain bol show shipment.json --json")
    action("history", "every step of a bill, from its events", "portchain bol history shipment.json")
    p = action("verify", "is this DCSA transport document (as exchanged) the one a bill was drafted from? (exit 1 if "
               "not)", "portchain bol verify shipment.json", bill=False)
    p.add_argument("document", help="the DCSA eBL 3.0 transport document JSON file")
    p.add_argument("bill", nargs="?", type=_bill_arg, help="the bill (default: every bill drafted from the document)")
    p = action("export", "the bill's title history as a DCSA PINT 3.0-style transfer chain, each entry with the signed "
               "transaction that performed it", "portchain bol export shipment.json --output chain.json")
    p.add_argument("--document", help="the transport document JSON file (adds its SHA-256 checksum, as PINT does)")
    p.add_argument("--output", help="file to write (default: standard output)")
    p = action("verify-chain", "verify an exported transfer chain: checksums, each actor's signature, and the chain's "
               "own record (exit 1 if not)", "portchain bol verify-chain chain.json", bill=False)
    p.add_argument("chain", help="the exported transfer chain (JSON)")
    p.add_argument("--document", help="the transport document JSON file the chain must be of")
    bind(actions, COMMANDS, {"show": _show, "history": _history, "verify": _verify, "export": _export,
                             "verify-chain": _verify_chain})
