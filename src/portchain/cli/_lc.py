"""portchain lc apply|issue|advise|confirm|amend|accept-amendment|reject-amendment|present|refuse|waive|honour|
claim|expire|cancel|show|history: documentary credits under UCP 600."""

from __future__ import annotations

import argparse
from typing import Any

from ..actions import token_client
from ..clients.letter_of_credit import ABOUT_TOLERANCE_BPS
from ..clients.settlement_token import TokenClient, from_units, to_units
from ..port import Port
from ..types import AmendmentChange
from ._common import (
    SIGNED,
    argument,
    connect_persistent,
    day,
    emit,
    end_of_day,
    group,
    hash_or_file,
    org_id,
    plain,
    positive_int,
    subparser,
    tx_json,
    tx_text,
)
from ._dispatch import Call, Command, Done, bind, funding_of


def _credit_token(port: Port, credit: int) -> TokenClient:
    """The token a credit is paid in (its amounts are in its units)."""
    return token_client(port, port.lc.credit(credit).token)


def _history(args: argparse.Namespace) -> int:
    with connect_persistent(args) as port:
        rows = [{"event": name, "block": block, **values} for name, block, values in port.lc.history(args.credit)]
        text = "\n".join(
            f"{row['block']:>8}  {row['event']:<30} "
            + ", ".join(f"{k}={plain(v)}" for k, v in row.items() if k not in ("event", "block"))
            for row in rows
        )
        emit(args, rows, text)
    return 0


def _show(args: argparse.Namespace) -> int:
    with connect_persistent(args) as port:
        if args.presentation is not None:
            _show_presentation(args, port)
        else:
            _show_credit(args, port)
    return 0


def _show_presentation(args: argparse.Namespace, port: Port) -> None:
    presentation = port.lc.presentation(args.credit, args.presentation)
    found = presentation.discrepancies.member_names()
    decimals = _credit_token(port, args.credit).decimals
    emit(args, presentation.to_json(),
         f"presentation {presentation.number} of credit {presentation.credit}: {presentation.state.name}, "
         f"amount {from_units(presentation.amount, decimals)}, discrepancies {', '.join(found) or '-'}, "
         f"examination until {day(presentation.examination_deadline)}, bill 0x{presentation.bill.hex()}")


def _show_credit(args: argparse.Namespace, port: Port) -> None:
    credit = port.lc.credit(args.credit)
    decimals = token_client(port, credit.token).decimals

    def money(units: int) -> str:
        return from_units(units, decimals)

    flags = [name for name, on in (("advised", credit.advised), ("confirmed", credit.confirmed),
                                   ("confirmation lapsed", credit.confirmation_lapsed),
                                   ("amendment pending", credit.amendment_pending)) if on]
    text = "\n".join([
        f"credit {credit.id}: {credit.state.name}{', ' + ', '.join(flags) if flags else ''}",
        f"  applicant {credit.applicant}  beneficiary {credit.beneficiary}  issuing bank {credit.issuing_bank}"
        f"  advising {credit.advising_bank or '-'}  confirming {credit.confirming_bank or '-'}",
        f"  amount {money(credit.amount)} (+/-{credit.tolerance_bps / 100:g}%, at most {money(credit.max_drawable)})"
        f"  escrowed {money(credit.escrowed)}  reserved {money(credit.reserved)}  available {money(credit.available)}",
        f"  expiry {day(credit.expiry)}  latest shipment {day(credit.latest_shipment)}  presentation "
        f"{credit.presentation_days} days  partial drawings {'allowed' if credit.partial_drawings else 'not allowed'}",
        f"  presentations {credit.presentations}  amendments {credit.amendments}",
    ])
    emit(args, credit.to_json(), text)


def _legs(done: Done) -> str:
    """What delivery versus payment did: both legs, or which one is held for its recipient."""
    held = [e.name for e in done.port.lc.events(done.outcome.tx) if e.name in ("PaymentHeld", "BillHeld")]
    if not held:
        return "paid and the bill delivered in one transaction"
    parts = {"PaymentHeld": "the payment is held for the payee to withdraw (its token refused it)",
             "BillHeld": "the bill is held until its recipient is active again (lc deliver-held-bill ... later)"}
    return "; ".join(parts[name] for name in held)


def _anchored(call: Call) -> list[tuple[bytes, int]]:
    presenter = call.port.registry.org_of(call.account.address)
    return [(digest, call.port.docs.issuer_for(digest, presenter)) for digest in call.args.document]


def _presented(done: Done) -> tuple[Any, str]:
    number, credit = done.outcome.number, done.args.credit
    presentation = done.port.lc.presentation(credit, number)
    found = presentation.discrepancies.member_names()
    receipt = done.outcome.tx
    return {**presentation.to_json(), **tx_json(receipt)}, (
        f"presented as presentation {number} of credit {credit}: "
        f"{'discrepancies ' + ', '.join(found) if found else 'no discrepancies found'}; the bank examines "
        f"until {day(presentation.examination_deadline)} {tx_text(receipt)}")


def _amount_in_credit_token(call: Call) -> int | None:
    return to_units(call.args.amount, _credit_token(call.port, call.args.credit).decimals) if call.args.amount else None


def _accepted(done: Done) -> str:
    if done.port.lc.events(done.outcome.tx, "AmendmentRejected"):
        return "partial acceptance: the amendment is rejected (UCP 600 Art. 10(e))"
    return f"accepted the amendment to credit {done.args.credit}"


def _refunded(done: Done) -> str:
    (closed,) = done.port.lc.events(done.outcome.tx, "CreditClosed")
    refunded = from_units(closed.args["refunded"], _credit_token(done.port, done.args.credit).decimals)
    return f"closed expired credit {done.args.credit}; refunded {refunded}"


def _withdrawn(done: Done) -> str:
    amount = from_units(done.outcome.number, token_client(done.port, done.args.token).decimals)
    return f"withdrew {amount} held for {done.call.account.address}"


COMMANDS: dict[str, Command] = {
    "apply": Command(
        "lc.apply", says=lambda done: f"applied for credit {done.outcome.number}",
        json=lambda done: {"credit": done.outcome.number},
        values={
            "amount": lambda call: to_units(call.args.amount, token_client(call.port, call.args.token).decimals),
            "expiry": lambda call: end_of_day(call.args.expiry),
            "latest_shipment": lambda call: end_of_day(call.args.latest_shipment),
            "tolerance_bps": lambda call: ABOUT_TOLERANCE_BPS if call.args.about else call.args.tolerance_bps,
            "funding": funding_of,
        },
    ),
    "issue": Command("lc.issue", says=lambda done: f"issued credit {done.args.credit} against the escrow funded at "
                                                   "application"),
    "advise": Command("lc.advise", says=lambda done: f"advised credit {done.args.credit}"),
    "confirm": Command("lc.confirm", says=lambda done: f"confirmed credit {done.args.credit}"),
    "amend": Command(
        "lc.amend", says=lambda done: f"issued an amendment to credit {done.args.credit}",
        values={"amount": _amount_in_credit_token,
                "expiry": lambda call: end_of_day(call.args.expiry) if call.args.expiry else None,
                "latest_shipment": lambda call: end_of_day(call.args.latest_shipment) if call.args.latest_shipment
                else None},
    ),
    "accept-amendment": Command(
        "lc.accept_amendment", says=_accepted,
        values={"changes": lambda call: AmendmentChange.parse_list(call.args.changes) if call.args.changes else None},
    ),
    "reject-amendment": Command("lc.reject_amendment", says=lambda _: "rejected the amendment"),
    "fund-amendment": Command("lc.fund_amendment", says=lambda done: "escrowed the increase of the pending amendment "
                                                                     f"to credit {done.args.credit}"),
    "present": Command("lc.present", output=_presented,
                       values={"amount": _amount_in_credit_token, "documents": _anchored}),
    "refuse": Command("lc.refuse", says=lambda done: f"refused presentation {done.args.presentation}"),
    "waive": Command("lc.waive", says=lambda _: "waived the discrepancies"),
    "honour": Command("lc.honour", says=lambda done: f"honoured presentation {done.args.presentation}: {_legs(done)}"),
    "claim": Command("lc.claim", says=lambda done: f"honoured presentation {done.args.presentation} after the "
                                                   f"deadline (the bank was precluded): {_legs(done)}"),
    "return-documents": Command("lc.return_documents", says=lambda done: f"returned the bill of presentation "
                                f"{done.args.presentation} to the beneficiary"),
    "withdraw": Command("lc.withdraw", says=_withdrawn, json=lambda done: {"withdrawn": done.outcome.number}),
    "deliver-held-bill": Command("lc.deliver_held_bill", json=lambda done: {"deliveredTo": done.outcome.number},
                                 says=lambda done: f"delivered the held bill to organisation {done.outcome.number}"),
    "expire": Command("lc.expire", says=_refunded),
    "cancel": Command("lc.cancel", instead=("lc.consent_to_cancellation", lambda call: call.args.consent),
                      says=lambda done: "consented to cancellation" if done.args.consent
                      else f"cancelled credit {done.args.credit}"),
}


def register(sub: Any) -> None:
    from ._bol import bill_ref

    actions = group(sub, "lc", "letters of credit (UCP 600) with escrow and DvP", "portchain lc show 1")
    parents = SIGNED

    def action(name: str, help_text: str, example: str, *, presentation: bool = False) -> Any:
        p = subparser(actions, name, help_text, example, parents)
        p.add_argument("credit", type=positive_int(), help="credit id")
        if presentation:
            p.add_argument("presentation", type=positive_int(), help="presentation number")
        return p

    p = subparser(actions, "apply", "applicant: apply for a credit (your address funds the escrow in this transaction)",
                  "portchain lc apply --terms terms.json --beneficiary 3 --issuing-bank 5 --amount 184000 --about "
                  "--expiry 2027-03-31 --latest-shipment 2027-03-01 --documents commercial-invoice,packing-list "
                  "--as consignee", parents)
    p.add_argument("--terms", required=True, type=argument(hash_or_file), help="full terms: JSON file or its hash")
    p.add_argument("--beneficiary", required=True, type=org_id)
    p.add_argument("--issuing-bank", required=True, type=org_id)
    p.add_argument("--advising-bank", type=org_id)
    p.add_argument("--confirming-bank", type=org_id)
    p.add_argument("--amount", required=True, help="in token units, e.g. 184000.00 (32B)")
    p.add_argument("--token", help="ERC-20 address (default: the network's settlement token)")
    p.add_argument("--about", action="store_true", help="'about' the amount: +/-10%% tolerance (39A)")
    p.add_argument("--tolerance-bps", type=int, default=0, help="tolerance in basis points (max 1000)")
    p.add_argument("--expiry", required=True, help="YYYY-MM-DD (31D)")
    p.add_argument("--latest-shipment", required=True, help="YYYY-MM-DD (44C)")
    p.add_argument("--presentation-days", type=int, default=21, help="days after shipment to present (48)")
    p.add_argument("--partial", action="store_true", help="allow partial drawings (43P)")
    p.add_argument("--documents", help="required documents, comma-separated (46A); the bill is always required")
    p.add_argument("--bill-to-issuer", action="store_true",
                   help="honoured bills go to the issuing bank rather than to you (your choice, not the bank's)")
    funding = p.add_mutually_exclusive_group()
    funding.add_argument("--permit", action="store_true",
                         help="authorise the escrow with an EIP-2612 permit (no extra tx)")
    funding.add_argument("--approve", action="store_true",
                         help="send an ERC-20 approve for the escrow first (withdrawn if the application is refused)")
    action("issue", "issuing bank: issue against the escrow funded at application", "portchain lc issue 1 --as bank")
    action("advise", "advising bank: advise the credit", "portchain lc advise 1 --as bank")
    action("confirm", "confirming bank: add its confirmation", "portchain lc confirm 1 --as bank")
    p = action("amend", "issuing bank: issue an amendment (binding at once)",
               "portchain lc amend 1 --amount 200000 --expiry 2027-04-30 --as bank")
    p.add_argument("--amount")
    p.add_argument("--expiry")
    p.add_argument("--latest-shipment")
    p.add_argument("--terms", type=argument(hash_or_file))
    p = action("accept-amendment", "beneficiary: accept the pending amendment (naming only some changes rejects it)",
               "portchain lc accept-amendment 1 --as shipper")
    p.add_argument("--changes", help="the changes accepted: amount,expiry,latest-shipment,terms (default: all)")
    action("reject-amendment", "beneficiary: reject the pending amendment",
           "portchain lc reject-amendment 1 --as shipper")
    p = action("fund-amendment", "payer: escrow the increase of the pending amendment (only the payer can)",
               "portchain lc fund-amendment 1 --approve --as consignee")
    p.add_argument("--approve", action="store_true", help="send an ERC-20 approve for exactly the increase first")
    p = action("present", "beneficiary: present documents and the bill (endorsed to the escrow by signature)",
               "portchain lc present 1 --amount 184000 --bill shipment.json --document invoice.json "
               "--document packing.json --as shipper")
    p.add_argument("--amount", required=True)
    p.add_argument("--bill", required=True, type=argument(bill_ref), help="bill id or transport document file")
    p.add_argument("--document", action="append", default=[], type=argument(hash_or_file),
                   help="anchored document file or hash (repeat)")
    p.add_argument("--payee", help="address paid on honour (default: the presenting address)")
    p = action("refuse", "examining bank: refuse in one notice listing every discrepancy",
               "portchain lc refuse 1 1 --discrepancies missing-document,goods-description --as bank",
               presentation=True)
    p.add_argument("--discrepancies", required=True,
                   help="comma-separated: missing-document, document-not-anchored, late-shipment, "
                        "invoice-not-by-beneficiary, documents-inconsistent, goods-description, quantity-or-amount, "
                        "other")
    action("waive", "applicant: waive the discrepancies", "portchain lc waive 1 1 --as consignee", presentation=True)
    action("honour", "examining bank: honour; payment and bill in one transaction", "portchain lc honour 1 1 --as bank",
           presentation=True)
    action("claim", "anyone: honour a presentation the bank let pass its deadline (it is precluded)",
           "portchain lc claim 1 1 --as shipper", presentation=True)
    action("return-documents",
           "examining bank or beneficiary (anyone after expiry): after a refusal, the bill goes back",
           "portchain lc return-documents 1 1 --as bank", presentation=True)
    p = subparser(actions, "withdraw", "payee or payer: withdraw a payment the token refused and the escrow holds for "
                  "you, to an address of your choice", "portchain lc withdraw --to 0x90F7...b906 --as shipper", parents)
    p.add_argument("--token", help="the credit's token (default: the settlement token)")
    p.add_argument("--to", help="where to send it (default: your own address)")
    p = subparser(actions, "deliver-held-bill", "anyone: deliver a bill held for an organisation that is active again",
                  "portchain lc deliver-held-bill shipment.json", parents)
    p.add_argument("bill", type=argument(bill_ref), help="bill id or transport document file")
    action("expire", "anyone: close an expired credit and refund the rest", "portchain lc expire 1")
    p = action("cancel", "applicant (application) or issuing bank (with consent): cancel",
               "portchain lc cancel 1 --consent --as shipper && portchain lc cancel 1 --as bank")
    p.add_argument("--consent", action="store_true", help="beneficiary: consent to the cancellation")
    p = action("show", "a credit, or one of its presentations", "portchain lc show 1 --json")
    p.add_argument("presentation", nargs="?", type=positive_int(), help="presentation number")
    action("history", "every step of a credit, from its events", "portchain lc history 1")
    bind(actions, COMMANDS, {"show": _show, "history": _history})
