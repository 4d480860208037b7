"""portchain customs|tariff|gate|tax: declarations, duties, release, the terminal gate and export VAT rebates.

A declaration is given as its JSON document (kept off-chain; its canonical hash goes on-chain), which must hold an
``items`` list of ``{"hsCode": "851712", "customsValue": "120000.00", "origin": "CN"}`` (values in token units).
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path
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
    hash_or_file,
    sender,
    subparser,
    tx_json,
    tx_text,
)


def _hex32(what: str) -> Any:
    def parse(text: str) -> bytes:
        if not re.fullmatch(r"0x[0-9a-fA-F]{64}", text):
            raise InputError(f"{what} must be 0x + 64 hex digits, got {text!r}")
        return bytes.fromhex(text[2:])

    return parse


_declaration_id = _hex32("declaration id")
_code_hash = _hex32("code hash")


def _country(text: str) -> str:
    from ..types import to_country

    return to_country(text).decode()


def load_declaration(path: str | Path, decimals: int) -> tuple[dict[str, Any], list[Any]]:
    """The declaration document and its items, from a JSON file."""
    from ..clients.customs import Item
    from ..clients.settlement_token import to_units

    try:
        document = json.loads(Path(path).read_text())
    except (OSError, ValueError) as exc:
        raise InputError(f"{path}: cannot read the declaration JSON ({exc.__class__.__name__})") from None
    if not isinstance(document, dict) or not isinstance(document.get("items"), list) or not document["items"]:
        raise InputError(f"{path}: a declaration needs an \"items\" list")
    items = []
    for i, raw in enumerate(document["items"]):
        try:
            items.append(Item(str(raw["hsCode"]), to_units(str(raw["customsValue"]), decimals), str(raw["origin"])))
        except (KeyError, TypeError):
            raise InputError(f"{path}: items[{i}] needs hsCode, customsValue and origin") from None
        except InputError as exc:
            raise InputError(f"{path}: items[{i}]: {exc}") from None
    return document, items


def cmd_customs(args: argparse.Namespace) -> int:
    from ..clients.settlement_token import from_units

    with connect_persistent(args) as port:
        customs, decimals = port.customs, port.token.decimals
        money = lambda units: from_units(units, decimals)  # noqa: E731
        action = args.customs_action
        if action == "show":
            view = customs.declaration(args.declaration)
            emit(args, view.to_json(),
                 f"declaration 0x{view.id.hex()}: {view.kind.name} in {view.country}, {view.status.name}, lane "
                 f"{view.lane.name}, inspection {view.inspection.name}, {view.item_count} items, declarant "
                 f"{view.declarant}; duty {money(view.duty)}, VAT {money(view.vat)}"
                 + (f"; superseded by 0x{view.superseded_by.hex()}" if view.superseded_by else ""))
            return 0
        if action == "history":
            rows = [{"event": name, "block": block, **values} for name, block, values in customs.history(args.declaration)]
            emit(args, rows, "\n".join(f"{r['block']:>8}  {r['event']}" for r in rows))
            return 0
        account = sender(args, port)
        if getattr(args, "bill", None) is not None:
            args.bill = port.bol.resolve(args.bill)
        if action in ("lodge", "amend"):
            document, items = load_declaration(args.document, decimals)
            if action == "lodge":
                declaration = customs.lodge(args.kind, args.country, document, items, ucr=args.ucr or "",
                                            bill=args.bill, sender=account)
                what = f"lodged declaration 0x{declaration.hex()}"
            else:
                declaration = customs.amend(args.declaration, document, items, ucr=args.ucr or "", bill=args.bill,
                                            sender=account)
                what = f"lodged the amended declaration 0x{declaration.hex()}"
            receipt = port.layer.last_receipt
            emit(args, {"declaration": "0x" + declaration.hex(), **tx_json(receipt)}, f"{what} {tx_text(receipt)}")
            return 0
        if action == "assess":
            document, items = load_declaration(args.document, decimals)
            view = customs.declaration(args.declaration)
            duty, vat = customs.expected_duties(view.country, view.kind, items)
            receipt = customs.assess(args.declaration, document, items, sender=account)
            emit(args, {"duty": duty, "vat": vat, **tx_json(receipt)},
                 f"assessed: duty {money(duty)}, import VAT {money(vat)} {tx_text(receipt)}")
            return 0
        if action == "pay":
            view = customs.declaration(args.declaration)
            due = customs.amount_due(args.declaration)
            permit = None
            if args.permit:
                permit = port.token.sign_permit(account, customs.address, due, port.layer.block_timestamp() + 3600)
            elif args.approve:
                port.token.approve(customs.address, due, sender=account)
            receipt = customs.pay(args.declaration, sender=account, permit=permit)
            emit(args, {"paid": due, "duty": view.duty, "vat": view.vat, **tx_json(receipt)},
                 f"paid {money(due)} (duty {money(view.duty)} + import VAT {money(view.vat)}) {tx_text(receipt)}")
            return 0
        simple = {
            "accept": lambda: customs.accept(args.declaration, sender=account),
            "reject": lambda: customs.reject(args.declaration, args.reason, sender=account),
            "lane": lambda: customs.assign_lane(args.declaration, args.lane, sender=account),
            "inspect": lambda: customs.record_inspection(args.declaration, args.result, args.report, sender=account),
            "require-amendment": lambda: customs.require_amendment(args.declaration, args.reason, sender=account),
            "release": lambda: customs.release(args.declaration, sender=account),
        }
        receipt = simple[action]()
        emit(args, tx_json(receipt), f"{action}: done {tx_text(receipt)}")
    return 0


def cmd_tariff(args: argparse.Namespace) -> int:
    with connect_persistent(args) as port:
        customs = port.customs
        if args.tariff_action == "show":
            rate = customs.tariff_rate(args.country, args.code)
            vat = customs.vat_rate(args.country) if args.vat else None
            emit(args, {"country": args.country.upper(), "hsCode": args.code, "rateBps": rate, "vatBps": vat},
                 f"{args.country.upper()} HS {args.code}: duty {rate / 100:g}%"
                 + (f", import VAT {vat / 100:g}%" if vat is not None else ""))
            return 0
        account = sender(args, port)
        if args.tariff_action == "set":
            receipt = customs.set_tariff_rate(args.code, args.rate_bps, sender=account)
            what = f"HS {args.code}: {args.rate_bps / 100:g}%"
        elif args.tariff_action == "vat":
            receipt, what = customs.set_vat_rate(args.rate_bps, sender=account), f"import VAT {args.rate_bps / 100:g}%"
        elif args.tariff_action == "accept-treasury":
            receipt = customs.accept_treasury(args.country, sender=account)
            emit(args, tx_json(receipt), f"{account.address} now receives {args.country.upper()}'s duties "
                                         f"{tx_text(receipt)}")
            return 0
        else:
            token = args.token or port.token.address
            receipt = customs.nominate_treasury(args.treasury, token, sender=account)
            emit(args, tx_json(receipt), f"nominated treasury {args.treasury}; it takes effect when the treasury "
                                         f"accepts (portchain tariff accept-treasury) {tx_text(receipt)}")
            return 0
        emit(args, tx_json(receipt), f"set {what} {tx_text(receipt)}")
    return 0


def cmd_gate(args: argparse.Namespace) -> int:
    with connect_persistent(args) as port:
        gate, account = port.gate, sender(args, port)
        if args.gate_action == "revoke":
            receipt = gate.revoke(args.code_hash, sender=account)
            emit(args, tx_json(receipt), f"pick-up code withdrawn {tx_text(receipt)}")
            return 0
        if args.gate_action == "authorise":
            pickup = gate.authorise(args.declaration, port.bol.resolve(args.bill), args.container, sender=account)
            emit(args, {"container": pickup.container, "code": pickup.code, "codeHash": "0x" + pickup.code_hash.hex(),
                        **tx_json(pickup.receipt)},
                 f"pick-up of {pickup.container} authorised {tx_text(pickup.receipt)}\n"
                 f"  code for the haulier (send it off-chain, once): {pickup.code}")
            return 0
        receipt = gate.verify(args.container, args.code, sender=account)
        emit(args, tx_json(receipt), f"gate-out: {args.container.upper()} released {tx_text(receipt)}")
    return 0


def cmd_tax(args: argparse.Namespace) -> int:
    from ..clients.settlement_token import to_units

    with connect_persistent(args) as port:
        rebates, account = port.rebates, sender(args, port)
        action = args.tax_action
        if action == "rebate-claim":
            claim = rebates.claim(args.declaration, port.bol.resolve(args.bill), args.vat_invoice,
                                  to_units(args.amount, port.token.decimals), payee=args.payee, sender=account)
            receipt = port.layer.last_receipt
            emit(args, {"claim": claim, **tx_json(receipt)}, f"rebate claim {claim} filed {tx_text(receipt)}")
            return 0
        if action == "rebate-approve":
            receipt, what = rebates.approve(args.claim, sender=account), f"rebate claim {args.claim} approved and paid"
        elif action == "rebate-reject":
            receipt, what = rebates.reject(args.claim, args.reason, sender=account), f"rebate claim {args.claim} rejected"
        elif action == "accept-treasury":
            receipt = rebates.accept_treasury(args.country, sender=account)
            what = f"{account.address} now pays {args.country.upper()}'s rebates (approve the rebate contract)"
        else:
            token = args.token or port.token.address
            receipt = rebates.nominate_treasury(args.treasury, token, sender=account)
            what = f"nominated rebate treasury {args.treasury}; it pays once it accepts (portchain tax accept-treasury)"
        emit(args, tx_json(receipt), f"{what} {tx_text(receipt)}")
    return 0


def _claim_id(text: str) -> int:
    if not text.isdigit() or int(text) == 0:
        raise argparse.ArgumentTypeError(f"claim id must be a positive number, got {text!r}")
    return int(text)


def register(sub: Any) -> None:
    from ._bol import bill_ref

    parents = [COMMON, NETWORK, ACTOR]
    decl_arg = argument(_declaration_id)
    bill_arg = argument(bill_ref)

    group = sub.add_parser(
        "customs", parents=[COMMON], help="customs declarations: lodge, examine, assess, pay, release",
        epilog="example:\n  portchain customs lodge declaration.json --kind import --country NL --as consignee", formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    actions = group.add_subparsers(dest="customs_action", metavar="ACTION", parser_class=Parser)
    actions.required = True

    def action(name: str, help_text: str, example: str) -> Any:
        p = subparser(actions, name, help_text, example, parents)
        p.add_argument("declaration", type=decl_arg, help="declaration id (0x + 64 hex)")
        return p

    p = subparser(actions, "lodge", "declarant: lodge an export or import declaration",
                  "portchain customs lodge declaration.json --kind import --country NL --bill shipment.json "
                  "--ucr 26NL-MAEU245601234 --as consignee", parents)
    p.add_argument("document", help="declaration JSON file with an items list")
    p.add_argument("--kind", required=True, choices=["export", "import"])
    p.add_argument("--country", required=True, help="the customs jurisdiction, e.g. NL")
    p.add_argument("--bill", type=bill_arg, help="linked bill of lading: id or transport document file")
    p.add_argument("--ucr", help="Unique Consignment Reference (only its hash goes on-chain)")
    action("accept", "customs: accept a lodged declaration", "portchain customs accept 0x5e...9a --as customs")
    p = action("reject", "customs: reject", "portchain customs reject 0x5e...9a --reason 'incomplete' --as customs")
    p.add_argument("--reason", default="")
    p = action("lane", "customs: assign the risk lane", "portchain customs lane 0x5e...9a --lane red --as customs")
    p.add_argument("--lane", required=True, choices=["green", "yellow", "red"])
    p = action("inspect", "customs: record the document check or inspection",
               "portchain customs inspect 0x5e...9a --result passed --as customs")
    p.add_argument("--result", required=True, choices=["passed", "failed"])
    p.add_argument("--report", default="", help="inspection report (only its hash goes on-chain)")
    p = action("require-amendment", "customs: send back for amendment",
               "portchain customs require-amendment 0x5e...9a --reason 'declare HS 640351' --as customs")
    p.add_argument("--reason", default="")
    p = action("amend", "declarant: lodge the amended declaration",
               "portchain customs amend 0x5e...9a corrected.json --bill shipment.json --as consignee")
    p.add_argument("document", help="the amended declaration JSON file")
    p.add_argument("--bill", type=bill_arg, help="the bill the declaration is linked to")
    p.add_argument("--ucr")
    p = action("assess", "customs: assess duty and import VAT (shown before sending)",
               "portchain customs assess 0x5e...9a declaration.json --as customs")
    p.add_argument("document", help="the declaration JSON file as lodged")
    p = action("pay", "declarant: pay the assessed duty and VAT (the amount is shown)",
               "portchain customs pay 0x5e...9a --permit --as consignee")
    funding = p.add_mutually_exclusive_group()
    funding.add_argument("--permit", action="store_true", help="authorise the payment with an EIP-2612 permit")
    funding.add_argument("--approve", action="store_true", help="send an ERC-20 approve first")
    action("release", "customs: release (imports once paid; exports: cleared for shipment)",
           "portchain customs release 0x5e...9a --as customs")
    action("show", "a declaration", "portchain customs show 0x5e...9a --json")
    action("history", "every step of a declaration", "portchain customs history 0x5e...9a")
    group.set_defaults(func=cmd_customs)

    group = sub.add_parser(
        "tariff", parents=[COMMON], help="customs tariffs, import VAT and treasuries",
        epilog="example:\n  portchain tariff show NL 851712 --vat", formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    actions = group.add_subparsers(dest="tariff_action", metavar="ACTION", parser_class=Parser)
    actions.required = True
    p = subparser(actions, "set", "customs: set the duty rate of an HS heading or subheading in your jurisdiction",
                  "portchain tariff set 6403 800 --as customs", parents)
    p.add_argument("code", help="HS heading (4 digits) or subheading (6 digits)")
    p.add_argument("rate_bps", type=int, help="ad-valorem rate in basis points (800 = 8%%)")
    p = subparser(actions, "vat", "tax authority: set your jurisdiction's import VAT rate",
                  "portchain tariff vat 2100 --as tax", parents)
    p.add_argument("rate_bps", type=int)
    p = subparser(actions, "treasury", "customs: nominate where your jurisdiction's duties are paid (the treasury "
                  "accepts with accept-treasury)",
                  "portchain tariff treasury 0x976EA74026E726554dB657fA54763abd0C3a0aa9 --as customs", parents)
    p.add_argument("treasury")
    p.add_argument("--token", help="payment token (default: the settlement token)")
    p = subparser(actions, "accept-treasury", "treasury: accept to receive a country's duties (signed by the "
                  "nominated treasury's key)", "portchain tariff accept-treasury NL", parents)
    p.add_argument("country", type=argument(_country))
    p = subparser(actions, "show", "the duty rate of an HS code in a jurisdiction",
                  "portchain tariff show NL 851712 --vat", parents)
    p.add_argument("country")
    p.add_argument("code")
    p.add_argument("--vat", action="store_true", help="also show the import VAT rate")
    group.set_defaults(func=cmd_tariff)

    group = sub.add_parser(
        "gate", parents=[COMMON], help="the terminal gate: one-time pick-up codes",
        epilog="example:\n  portchain gate verify MSKU9070323 0x8c...41 --as port-operator", formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    actions = group.add_subparsers(dest="gate_action", metavar="ACTION", parser_class=Parser)
    actions.required = True
    p = subparser(actions, "authorise", "port operator: authorise one pick-up of a released container",
                  "portchain gate authorise 0x5e...9a --bill shipment.json --container MSKU9070323 --as port-operator",
                  parents)
    p.add_argument("declaration", type=decl_arg, help="the released import declaration")
    p.add_argument("--bill", required=True, type=bill_arg)
    p.add_argument("--container", required=True, help="ISO 6346 container number")
    p = subparser(actions, "verify", "at the gate: check the haulier's code and spend it",
                  "portchain gate verify MSKU9070323 0x8c...41 --as port-operator", parents)
    p.add_argument("container")
    p.add_argument("code", help="the code the haulier shows (0x + 64 hex)")
    p = subparser(actions, "revoke", "port operator: withdraw an unused pick-up code (then authorise a new one)",
                  "portchain gate revoke 0x3a...7f --as port-operator", parents)
    p.add_argument("code_hash", type=argument(_code_hash), help="the code hash authorise printed (0x + 64 hex)")
    group.set_defaults(func=cmd_gate)

    group = sub.add_parser(
        "tax", parents=[COMMON], help="export VAT rebates",
        epilog="example:\n  portchain tax rebate-claim 0x5e...9a --bill shipment.json --vat-invoice invoice.json --amount 23920 --as shipper", formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    actions = group.add_subparsers(dest="tax_action", metavar="ACTION", parser_class=Parser)
    actions.required = True
    p = subparser(actions, "rebate-claim", "exporter (the bill's shipper): claim the VAT rebate of a shipment "
                  "against the cleared export declaration linked to its bill (one claim per bill)",
                  "portchain tax rebate-claim 0x5e...9a --bill shipment.json --vat-invoice invoice.json --amount 23400 "
                  "--as shipper", parents)
    p.add_argument("declaration", type=decl_arg)
    p.add_argument("--bill", required=True, type=bill_arg, help="the shipment's bill: id or transport document file")
    p.add_argument("--vat-invoice", required=True, type=argument(hash_or_file), help="VAT invoice file or hash")
    p.add_argument("--amount", required=True, help="in token units")
    p.add_argument("--payee", help="default: the claiming address")
    p = subparser(actions, "rebate-approve", "tax authority: approve and pay a claim from your treasury",
                  "portchain tax rebate-approve 1 --as tax", parents)
    p.add_argument("claim", type=_claim_id)
    p = subparser(actions, "rebate-reject", "tax authority: reject a claim",
                  "portchain tax rebate-reject 1 --reason 'invoice mismatch' --as tax", parents)
    p.add_argument("claim", type=_claim_id)
    p.add_argument("--reason", default="")
    p = subparser(actions, "treasury", "tax authority: nominate the treasury rebates are paid from (it accepts with "
                  "accept-treasury and approves the rebate contract)", "portchain tax treasury 0x976E...0aa9 --as tax",
                  parents)
    p.add_argument("treasury")
    p.add_argument("--token")
    p = subparser(actions, "accept-treasury", "treasury: accept to pay a country's rebates (signed by the nominated "
                  "treasury's key)", "portchain tax accept-treasury CN", parents)
    p.add_argument("country", type=argument(_country))
    group.set_defaults(func=cmd_tax)
