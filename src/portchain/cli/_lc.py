"""portchain lc apply|issue|advise|confirm|amend|accept-amendment|reject-amendment|present|refuse|waive|honour|
claim|expire|cancel|show|history: documentary credits under UCP 600."""

from __future__ import annotations

import argparse
import time
from typing import Any

from ..errors import InputError
from ._common import (
    ACTOR,
    COMMON,
    NETWORK,
    Parser,
    argument,
    connect_persistent,
    emit,
    end_of_day,
    hash_or_file,
    org_id,
    sender,
    subparser,
    tx_json,
    tx_text,
)

_CHANGES = {"amount": 1, "expiry": 2, "latest-shipment": 4, "terms": 8}


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive number, got {text!r}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"expected a positive number, got {value}")
    return value


def _day(seconds: int) -> str:
    return time.strftime("%Y-%m-%d", time.gmtime(seconds)) if seconds else "-"


def _token(port: Any, address: str | None) -> Any:
    if address is None:
        return port.token
    from ..clients.settlement_token import TokenClient

    return TokenClient(port.layer, address)


def cmd_lc(args: argparse.Namespace) -> int:
    from ..clients.settlement_token import from_units, to_units

    with connect_persistent(args) as port:
        lc = port.lc
        action = args.lc_action
        if action == "show":
            return _show(args, port)
        if action == "history":
            rows = [{"event": name, "block": block, **values} for name, block, values in lc.history(args.credit)]
            text = "\n".join(
                f"{row['block']:>8}  {row['event']:<30} "
                + ", ".join(f"{k}={_plain(v)}" for k, v in row.items() if k not in ("event", "block"))
                for row in rows
            )
            emit(args, rows, text)
            return 0

        account = sender(args, port)
        if action == "withdraw":
            token = _token(port, args.token)
            owed = lc.owed_to(token.address, account.address)
            receipt = lc.withdraw(token.address, args.to, sender=account)
            emit(args, {"withdrawn": owed, **tx_json(receipt)},
                 f"withdrew {from_units(owed, token.decimals)} held for {account.address} {tx_text(receipt)}")
            return 0
        if action == "deliver-held-bill":
            bill = port.bol.resolve(args.bill)
            held_for = lc.held_for(bill)
            receipt = lc.deliver_held_bill(bill, sender=account)
            emit(args, {"deliveredTo": held_for, **tx_json(receipt)},
                 f"delivered the held bill to organisation {held_for} {tx_text(receipt)}")
            return 0
        if action == "apply":
            from ..clients.letter_of_credit import CreditTerms

            token = _token(port, args.token)
            terms = CreditTerms(
                terms_hash=args.terms,
                token=token.address,
                amount=to_units(args.amount, token.decimals),
                beneficiary=args.beneficiary,
                issuing_bank=args.issuing_bank,
                expiry=end_of_day(args.expiry),
                latest_shipment=end_of_day(args.latest_shipment),
                tolerance_bps=1_000 if args.about else args.tolerance_bps,
                presentation_days=args.presentation_days,
                partial_drawings=args.partial,
                required_documents=[d for d in (args.documents or "").split(",") if d.strip()],
                advising_bank=args.advising_bank or 0,
                confirming_bank=args.confirming_bank or 0,
                bill_to_issuer=args.bill_to_issuer,
            )
            maximum = terms.amount * (10_000 + terms.tolerance_bps) // 10_000
            permit = None
            if args.permit:
                permit = token.sign_permit(account, lc.address, maximum, port.layer.block_timestamp() + 3600)
            previous = token.allowance(account.address, lc.address) if args.approve else 0
            if args.approve:  # the escrow moves in with the application itself
                token.approve(lc.address, maximum, sender=account)
            try:
                credit = lc.apply(terms, sender=account, permit=permit)
            except Exception:
                if args.approve:  # a refused application leaves the allowance as it found it
                    token.approve(lc.address, previous, sender=account)
                raise
            receipt = port.layer.last_receipt
            emit(args, {"credit": credit, **tx_json(receipt)}, f"applied for credit {credit} {tx_text(receipt)}")
            return 0
        if action == "present":
            token = _token(port, lc.credit(args.credit).token)
            presenter = port.registry.org_of(account.address)
            documents = [(digest, _issuer_of(port, digest, presenter)) for digest in args.document]
            number = lc.present(
                args.credit, to_units(args.amount, token.decimals), documents, port.bol.resolve(args.bill),
                payee=args.payee, sender=account, bol=port.bol,
            )
            receipt = port.layer.last_receipt
            presentation = lc.presentation(args.credit, number)
            found = [d.name for d in type(presentation.discrepancies) if d in presentation.discrepancies]
            emit(args, {**presentation.to_json(), **tx_json(receipt)},
                 f"presented as presentation {number} of credit {args.credit}: "
                 f"{'discrepancies ' + ', '.join(found) if found else 'no discrepancies found'}; the bank examines "
                 f"until {_day(presentation.examination_deadline)} {tx_text(receipt)}")
            return 0
        if action == "issue":
            receipt = lc.issue(args.credit, sender=account)
            what = f"issued credit {args.credit} against the escrow funded at application"
        elif action == "advise":
            receipt, what = lc.advise(args.credit, sender=account), f"advised credit {args.credit}"
        elif action == "confirm":
            receipt, what = lc.confirm(args.credit, sender=account), f"confirmed credit {args.credit}"
        elif action == "amend":
            decimals = _token(port, lc.credit(args.credit).token).decimals
            receipt = lc.amend(
                args.credit,
                amount=to_units(args.amount, decimals) if args.amount else None,
                expiry=end_of_day(args.expiry) if args.expiry else None,
                latest_shipment=end_of_day(args.latest_shipment) if args.latest_shipment else None,
                terms_hash=args.terms,
                sender=account,
            )
            what = f"issued an amendment to credit {args.credit}"
        elif action == "accept-amendment":
            changes = None
            if args.changes:
                try:
                    changes = sum(_CHANGES[c.strip()] for c in args.changes.split(",") if c.strip())
                except KeyError as exc:
                    raise InputError(f"unknown change {exc.args[0]!r}; one of: {', '.join(_CHANGES)}") from None
            receipt = lc.accept_amendment(args.credit, changes=changes, sender=account)
            rejected = lc.events(receipt, "AmendmentRejected")
            what = ("partial acceptance: the amendment is rejected (UCP 600 Art. 10(e))" if rejected
                    else f"accepted the amendment to credit {args.credit}")
        elif action == "reject-amendment":
            receipt, what = lc.reject_amendment(args.credit, sender=account), "rejected the amendment"
        elif action == "fund-amendment":
            credit = lc.credit(args.credit)
            if args.approve:
                _token(port, credit.token).approve(lc.address, credit.amendment_increase, sender=account)
            receipt = lc.fund_amendment(args.credit, sender=account)
            what = f"escrowed the increase of the pending amendment to credit {args.credit}"
        elif action == "refuse":
            receipt = lc.refuse(args.credit, args.presentation, args.discrepancies, sender=account)
            what = f"refused presentation {args.presentation}"
        elif action == "waive":
            receipt, what = lc.waive(args.credit, args.presentation, sender=account), "waived the discrepancies"
        elif action == "honour":
            receipt = lc.honour(args.credit, args.presentation, sender=account)
            what = f"honoured presentation {args.presentation}: {_legs(lc, receipt)}"
        elif action == "claim":
            receipt = lc.claim(args.credit, args.presentation, sender=account)
            what = (f"honoured presentation {args.presentation} after the deadline (the bank was precluded): "
                    f"{_legs(lc, receipt)}")
        elif action == "return-documents":
            receipt = lc.return_documents(args.credit, args.presentation, sender=account)
            what = f"returned the bill of presentation {args.presentation} to the beneficiary"
        elif action == "expire":
            receipt = lc.expire(args.credit, sender=account)
            (closed,) = lc.events(receipt, "CreditClosed")
            decimals = _token(port, lc.credit(args.credit).token).decimals
            what = f"closed expired credit {args.credit}; refunded {from_units(closed.args['refunded'], decimals)}"
        else:  # cancel
            if args.consent:
                receipt, what = lc.consent_to_cancellation(args.credit, sender=account), "consented to cancellation"
            else:
                receipt, what = lc.cancel(args.credit, sender=account), f"cancelled credit {args.credit}"
        emit(args, tx_json(receipt), f"{what} {tx_text(receipt)}")
    return 0


def _show(args: argparse.Namespace, port: Any) -> int:
    from ..clients.settlement_token import from_units

    lc = port.lc
    if args.presentation is not None:
        presentation = lc.presentation(args.credit, args.presentation)
        found = [d.name for d in type(presentation.discrepancies) if d in presentation.discrepancies]
        decimals = _token(port, lc.credit(args.credit).token).decimals
        emit(args, presentation.to_json(),
             f"presentation {presentation.number} of credit {presentation.credit}: {presentation.state.name}, "
             f"amount {from_units(presentation.amount, decimals)}, discrepancies {', '.join(found) or '-'}, "
             f"examination until {_day(presentation.examination_deadline)}, bill 0x{presentation.bill.hex()}")
        return 0
    credit = lc.credit(args.credit)
    decimals = _token(port, credit.token).decimals
    money = lambda units: from_units(units, decimals)  # noqa: E731
    flags = [name for name, on in (("advised", credit.advised), ("confirmed", credit.confirmed),
                                   ("confirmation lapsed", credit.confirmation_lapsed),
                                   ("amendment pending", credit.amendment_pending)) if on]
    text = "\n".join([
        f"credit {credit.id}: {credit.state.name}{', ' + ', '.join(flags) if flags else ''}",
        f"  applicant {credit.applicant}  beneficiary {credit.beneficiary}  issuing bank {credit.issuing_bank}"
        f"  advising {credit.advising_bank or '-'}  confirming {credit.confirming_bank or '-'}",
        f"  amount {money(credit.amount)} (+/-{credit.tolerance_bps / 100:g}%, at most {money(credit.max_drawable)})"
        f"  escrowed {money(credit.escrowed)}  reserved {money(credit.reserved)}  available {money(credit.available)}",
        f"  expiry {_day(credit.expiry)}  latest shipment {_day(credit.latest_shipment)}  presentation "
        f"{credit.presentation_days} days  partial drawings {'allowed' if credit.partial_drawings else 'not allowed'}",
        f"  presentations {credit.presentations}  amendments {credit.amendments}",
    ])
    emit(args, credit.to_json(), text)
    return 0


def _plain(value: Any) -> str:
    if isinstance(value, bytes):
        return "0x" + value.hex()
    if isinstance(value, tuple):
        return "(" + ", ".join(_plain(v) for v in value) + ")"
    return str(getattr(value, "name", value))


def _legs(lc: Any, receipt: Any) -> str:
    """What delivery versus payment did: both legs, or which one is held for its recipient."""
    held = [e.name for e in lc.events(receipt) if e.name in ("PaymentHeld", "BillHeld")]
    if not held:
        return "paid and the bill delivered in one transaction"
    parts = {"PaymentHeld": "the payment is held for the payee to withdraw (its token refused it)",
             "BillHeld": "the bill is held until its recipient is active again (lc deliver-held-bill ... later)"}
    return "; ".join(parts[name] for name in held)


def _issuer_of(port: Any, digest: bytes, presenter: int) -> int:
    """The organisation whose anchor of ``digest`` a presentation names: the only one that anchored it, or the
    presenter's own among several (none: the presenter's, which the credit will find not anchored)."""
    issuers = sorted({anchor.issuer for anchor in port.docs.anchors_of(digest)})
    if not issuers or presenter in issuers:
        return presenter
    if len(issuers) == 1:
        return issuers[0]
    raise InputError(f"document 0x{digest.hex()} is anchored by organisations {issuers}: present it from the "
                     "SDK naming the issuer")


def register(sub: Any) -> None:
    from ._bol import bill_ref

    group = sub.add_parser(
        "lc", parents=[COMMON], help="letters of credit (UCP 600) with escrow and DvP",
        epilog="example:\n  portchain lc show 1", formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    actions = group.add_subparsers(dest="lc_action", metavar="ACTION", parser_class=Parser)
    actions.required = True
    parents = [COMMON, NETWORK, ACTOR]

    def action(name: str, help_text: str, example: str, *, presentation: bool = False) -> Any:
        p = subparser(actions, name, help_text, example, parents)
        p.add_argument("credit", type=_positive, help="credit id")
        if presentation:
            p.add_argument("presentation", type=_positive, help="presentation number")
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
    funding.add_argument("--permit", action="store_true", help="authorise the escrow with an EIP-2612 permit (no extra tx)")
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
    action("reject-amendment", "beneficiary: reject the pending amendment", "portchain lc reject-amendment 1 --as shipper")
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
               "portchain lc refuse 1 1 --discrepancies missing-document,goods-description --as bank", presentation=True)
    p.add_argument("--discrepancies", required=True,
                   help="comma-separated: missing-document, document-not-anchored, late-shipment, "
                        "invoice-not-by-beneficiary, documents-inconsistent, goods-description, quantity-or-amount, other")
    action("waive", "applicant: waive the discrepancies", "portchain lc waive 1 1 --as consignee", presentation=True)
    action("honour", "examining bank: honour; payment and bill in one transaction", "portchain lc honour 1 1 --as bank",
           presentation=True)
    action("claim", "anyone: honour a presentation the bank let pass its deadline (it is precluded)",
           "portchain lc claim 1 1 --as shipper", presentation=True)
    action("return-documents", "examining bank or beneficiary (anyone after expiry): after a refusal, the bill goes back",
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
    p.add_argument("presentation", nargs="?", type=_positive, help="presentation number")
    action("history", "every step of a credit, from its events", "portchain lc history 1")
    group.set_defaults(func=cmd_lc)
