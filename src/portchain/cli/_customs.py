"""portchain customs|tariff|gate|tax: declarations, duties, release, the terminal gate and export VAT rebates.

A declaration is given as its JSON document (kept off-chain; its canonical hash goes on-chain), which must hold an
``items`` list of ``{"hsCode": "851712", "customsValue": "120000.00", "origin": "CN"}`` (values in token units).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from ..actions import declaration_items
from ..errors import InputError
from ._common import (
    SIGNED,
    argument,
    connect_persistent,
    emit,
    group,
    hash_or_file,
    hex32,
    positive_int,
    subparser,
    tx_json,
    tx_text,
)
from ._dispatch import Call, Command, Done, bind, funding_of


def _hex32(what: str) -> Any:
    def parse(text: str) -> bytes:
        value = hex32(text)
        if value is None:
            raise InputError(f"{what} must be 0x + 64 hex digits, got {text!r}")
        return value

    return parse


_declaration_id = _hex32("declaration id")
_code_hash = _hex32("code hash")


def _country(text: str) -> str:
    from ..types import to_country

    return to_country(text).decode()


def load_declaration(path: str | Path, decimals: int) -> dict[str, Any]:
    """A declaration document from a JSON file, its items checked."""
    try:
        document = json.loads(Path(path).read_text())
    except (OSError, ValueError) as exc:
        raise InputError(f"{path}: cannot read the declaration JSON ({exc.__class__.__name__})") from None
    try:
        declaration_items(document, decimals)
    except InputError as exc:
        raise InputError(f"{path}: {exc}") from None
    return dict(document)


def _money(done: Done, units: int) -> str:
    from ..clients.settlement_token import from_units

    return from_units(units, done.port.token.decimals)


def _declaration_file(call: Call) -> dict[str, Any]:
    return load_declaration(call.args.document, call.port.token.decimals)


def _show(args: argparse.Namespace) -> int:
    from ..clients.settlement_token import from_units

    with connect_persistent(args) as port:
        view = port.customs.declaration(args.declaration)
        decimals = port.token.decimals
        emit(args, view.to_json(),
             f"declaration 0x{view.id.hex()}: {view.kind.name} in {view.country}, {view.status.name}, lane "
             f"{view.lane.name}, inspection {view.inspection.name}, {view.item_count} items, declarant "
             f"{view.declarant}; duty {from_units(view.duty, decimals)}, VAT {from_units(view.vat, decimals)}"
             + (f"; superseded by 0x{view.superseded_by.hex()}" if view.superseded_by else ""))
    return 0


def _history(args: argparse.Namespace) -> int:
    with connect_persistent(args) as port:
        rows = [{"event": name, "block": block, **values}
                for name, block, values in port.customs.history(args.declaration)]
        emit(args, rows, "\n".join(f"{r['block']:>8}  {r['event']}" for r in rows))
    return 0


def _assessed(done: Done) -> tuple[Any, str]:
    customs = done.port.customs
    view = customs.declaration(done.args.declaration)
    items = declaration_items(done.values["document"], done.port.token.decimals)
    duty, vat = customs.expected_duties(view.country, view.kind, items)
    receipt = done.outcome.tx
    return ({"duty": duty, "vat": vat, **tx_json(receipt)},
            f"assessed: duty {_money(done, duty)}, import VAT {_money(done, vat)} {tx_text(receipt)}")


def _paid(done: Done) -> tuple[Any, str]:
    view, paid, receipt = done.port.customs.declaration(done.args.declaration), done.outcome.number, done.outcome.tx
    return ({"paid": paid, "duty": view.duty, "vat": view.vat, **tx_json(receipt)},
            f"paid {_money(done, paid)} (duty {_money(done, view.duty)} + import VAT {_money(done, view.vat)}) "
            f"{tx_text(receipt)}")


def _lodged(action: str, document: str, what: str) -> Command:
    """lodge and amend: a declaration document in, a declaration id out."""
    return Command(action, values={document: _declaration_file},
                   json=lambda done: {"declaration": "0x" + done.outcome.id.hex()},
                   says=lambda done: f"{what} 0x{done.outcome.id.hex()}")


def _decided(done: Done) -> str:
    return f"{done.args.customs_action}: done"


CUSTOMS: dict[str, Command] = {
    "lodge": _lodged("customs.lodge", "declaration", "lodged declaration"),
    "amend": _lodged("customs.amend", "replacement", "lodged the amended declaration"),
    "assess": Command("customs.assess", values={"document": _declaration_file}, output=_assessed),
    "pay": Command("customs.pay", values={"funding": funding_of}, output=_paid),
    "accept": Command("customs.accept", says=_decided),
    "reject": Command("customs.reject", says=_decided),
    "lane": Command("customs.lane", says=_decided),
    "inspect": Command("customs.inspect", says=_decided),
    "require-amendment": Command("customs.require_amendment", says=_decided),
    "release": Command("customs.release", says=_decided),
}


def _tariff_show(args: argparse.Namespace) -> int:
    with connect_persistent(args) as port:
        rate = port.customs.tariff_rate(args.country, args.code)
        vat = port.customs.vat_rate(args.country) if args.vat else None
    emit(args, {"country": args.country.upper(), "hsCode": args.code, "rateBps": rate, "vatBps": vat},
         f"{args.country.upper()} HS {args.code}: duty {rate / 100:g}%"
         + (f", import VAT {vat / 100:g}%" if vat is not None else ""))
    return 0


def _treasury(domain: str, nominated: str, accepted: str) -> dict[str, Command]:
    """treasury and accept-treasury: the same two steps for duties (tariff) and rebates (tax)."""
    return {
        "treasury": Command(f"{domain}.nominate_treasury",
                            says=lambda done: nominated.format(treasury=done.args.treasury)),
        "accept-treasury": Command(f"{domain}.accept_treasury", says=lambda done: accepted.format(
            address=done.call.account.address, country=done.args.country.upper())),
    }


TARIFF: dict[str, Command] = {
    "set": Command("customs.set_tariff", says=lambda done: f"set HS {done.args.code}: {done.args.rate_bps / 100:g}%"),
    "vat": Command("customs.set_vat", says=lambda done: f"set import VAT {done.args.rate_bps / 100:g}%"),
    **_treasury("customs", "nominated treasury {treasury}; it takes effect when the treasury accepts "
                           "(portchain tariff accept-treasury)", "{address} now receives {country}'s duties"),
}


def _authorised(done: Done) -> tuple[Any, str]:
    from ..clients.cargo_release import pickup_code_hash

    container, code, receipt = done.args.container.upper(), done.outcome.text, done.outcome.tx
    code_hash = pickup_code_hash(container, bytes.fromhex(code[2:]))
    return ({"container": container, "code": code, "codeHash": "0x" + code_hash.hex(), **tx_json(receipt)},
            f"pick-up of {container} authorised {tx_text(receipt)}\n"
            f"  code for the haulier (send it off-chain, once): {code}")


GATE: dict[str, Command] = {
    "authorise": Command("gate.authorise", output=_authorised),
    "verify": Command("gate.verify", says=lambda done: f"gate-out: {done.args.container.upper()} released"),
    "revoke": Command("gate.revoke", says=lambda _: "pick-up code withdrawn"),
}

TAX: dict[str, Command] = {
    "rebate-claim": Command("tax.rebate_claim", values={"invoice": lambda call: call.args.vat_invoice},
                            json=lambda done: {"claim": done.outcome.number},
                            says=lambda done: f"rebate claim {done.outcome.number} filed"),
    "rebate-approve": Command("tax.rebate_approve",
                              says=lambda done: f"rebate claim {done.args.claim} approved and paid"),
    "rebate-reject": Command("tax.rebate_reject", says=lambda done: f"rebate claim {done.args.claim} rejected"),
    **_treasury("tax", "nominated rebate treasury {treasury}; it pays once it accepts (portchain tax accept-treasury)",
                "{address} now pays {country}'s rebates (approve the rebate contract)"),
}


def register(sub: Any) -> None:
    from ._bol import bill_ref

    parents = SIGNED
    decl_arg = argument(_declaration_id)
    bill_arg = argument(bill_ref)

    actions = group(sub, "customs", "customs declarations: lodge, examine, assess, pay, release",
                    "portchain customs lodge declaration.json --kind import --country NL --as consignee")

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
    bind(actions, CUSTOMS, {"show": _show, "history": _history})

    actions = group(sub, "tariff", "customs tariffs, import VAT and treasuries",
                    "portchain tariff show NL 851712 --vat")
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
    bind(actions, TARIFF, {"show": _tariff_show})

    actions = group(sub, "gate", "the terminal gate: one-time pick-up codes",
                    "portchain gate verify MSKU9070323 0x8c...41 --as port-operator")
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
    bind(actions, GATE, {})

    actions = group(sub, "tax", "export VAT rebates",
                    "portchain tax rebate-claim 0x5e...9a --bill shipment.json --vat-invoice invoice.json "
                    "--amount 23920 --as shipper")
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
    p.add_argument("claim", type=positive_int("claim id"))
    p = subparser(actions, "rebate-reject", "tax authority: reject a claim",
                  "portchain tax rebate-reject 1 --reason 'invoice mismatch' --as tax", parents)
    p.add_argument("claim", type=positive_int("claim id"))
    p.add_argument("--reason", default="")
    p = subparser(actions, "treasury", "tax authority: nominate the treasury rebates are paid from (it accepts with "
                  "accept-treasury and approves the rebate contract)", "portchain tax treasury 0x976E...0aa9 --as tax",
                  parents)
    p.add_argument("treasury")
    p.add_argument("--token")
    p = subparser(actions, "accept-treasury", "treasury: accept to pay a country's rebates (signed by the nominated "
                  "treasury's key)", "portchain tax accept-treasury CN", parents)
    p.add_argument("country", type=argument(_country))
    bind(actions, TAX, {})
