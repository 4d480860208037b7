"""portchain token balance|mint|approve: the settlement token (mint is the local faucet)."""

from __future__ import annotations

import argparse
from typing import Any

from ._common import (
    ACTOR,
    COMMON,
    NETWORK,
    Parser,
    connect_persistent,
    emit,
    sender,
    subparser,
    tx_json,
    tx_text,
)


def cmd_token(args: argparse.Namespace) -> int:
    from ..clients.settlement_token import from_units, to_units
    from ..types import to_address

    with connect_persistent(args) as port:
        token = port.token
        decimals, symbol = token.decimals, token.symbol
        if args.token_action == "balance":
            address = to_address(args.address or sender(args, port).address)
            units = token.balance_of(address)
            emit(args, {"address": address, "units": units, "amount": from_units(units, decimals), "symbol": symbol},
                 f"{address}: {from_units(units, decimals)} {symbol}")
            return 0
        account = sender(args, port)
        units = to_units(args.amount, decimals)
        if args.token_action == "mint":
            receipt = token.mint(to_address(args.address), units, sender=account)
            what = f"minted {args.amount} {symbol} to {args.address}"
        else:
            receipt = token.approve(to_address(args.spender), units, sender=account)
            what = f"approved {args.spender} for {args.amount} {symbol}"
        emit(args, tx_json(receipt), f"{what} {tx_text(receipt)}")
    return 0


def register(sub: Any) -> None:
    group = sub.add_parser(
        "token", parents=[COMMON], help="the settlement token: balance, mint (local faucet), approve",
        epilog="example:\n  portchain token balance 0x90F79bf6EB2c4f870365E785982E1f101E93b906", formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    actions = group.add_subparsers(dest="token_action", metavar="ACTION", parser_class=Parser)
    actions.required = True
    parents = [COMMON, NETWORK, ACTOR]
    p = subparser(actions, "balance", "a token balance", "portchain token balance 0x90F7...b906", parents)
    p.add_argument("address", nargs="?", help="default: the signing account")
    p = subparser(actions, "mint", "faucet: mint tokens (the deployer on a local chain)",
                  "portchain token mint 0x90F79bf6EB2c4f870365E785982E1f101E93b906 250000", parents)
    p.add_argument("address")
    p.add_argument("amount", help="in token units, e.g. 250000.50")
    p = subparser(actions, "approve", "allow a contract to move your tokens",
                  "portchain token approve 0x5FbDB2315678afecb367f032d93F642f64180aa3 202400 --as consignee", parents)
    p.add_argument("spender")
    p.add_argument("amount")
    group.set_defaults(func=cmd_token)
