"""portchain token balance|mint|approve: the settlement token (mint is the local faucet)."""

from __future__ import annotations

import argparse
from typing import Any

from ._common import SIGNED, connect_persistent, emit, group, sender, subparser
from ._dispatch import Command, Done, bind


def _balance(args: argparse.Namespace) -> int:
    from ..clients.settlement_token import from_units
    from ..types import to_address

    with connect_persistent(args) as port:
        token = port.token
        address = to_address(args.address or sender(args, port).address)
        units, symbol = token.balance_of(address), token.symbol
        amount = from_units(units, token.decimals)
        emit(args, {"address": address, "units": units, "amount": amount, "symbol": symbol},
             f"{address}: {amount} {symbol}")
    return 0


def _minted(done: Done) -> str:
    return f"minted {done.args.amount} {done.port.token.symbol} to {done.args.address}"


def _approved(done: Done) -> str:
    return f"approved {done.args.spender} for {done.args.amount} {done.port.token.symbol}"


COMMANDS: dict[str, Command] = {
    "mint": Command("token.mint", says=_minted, values={"to": lambda call: call.args.address}),
    "approve": Command("token.approve", says=_approved),
}


def register(sub: Any) -> None:
    actions = group(sub, "token", "the settlement token: balance, mint (local faucet), approve",
                    "portchain token balance 0x90F79bf6EB2c4f870365E785982E1f101E93b906")
    p = subparser(actions, "balance", "a token balance", "portchain token balance 0x90F7...b906", SIGNED)
    p.add_argument("address", nargs="?", help="default: the signing account")
    # mint and approve: who, then how much
    for name, help_text, example, who, amount_help in (
        ("mint", "faucet: mint tokens (the deployer on a local chain)",
         "portchain token mint 0x90F79bf6EB2c4f870365E785982E1f101E93b906 250000", "address",
         "in token units, e.g. 250000.50"),
        ("approve", "allow a contract to move your tokens",
         "portchain token approve 0x5FbDB2315678afecb367f032d93F642f64180aa3 202400 --as consignee", "spender", None),
    ):
        p = subparser(actions, name, help_text, example, SIGNED)
        p.add_argument(who)
        p.add_argument("amount", help=amount_help)
    bind(actions, COMMANDS, {"balance": _balance})
