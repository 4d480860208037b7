"""Transaction subcommands, each bound to an action of :data:`portchain.actions.ACTIONS`: the subcommand's options
become the action's values, the action runs, and its outcome is printed.

A :class:`Command` says only what differs from the default: an option's value is read from the option of the
parameter's name (a bill resolved on the chain, an amount in the settlement token's units), unless ``values``
computes it; the output is the transaction line, with ``says`` in front and ``json`` fields besides.
:func:`bind` checks each subcommand against its action's parameters when the parser is built.
"""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from eth_account.signers.local import LocalAccount

from ..actions import ACTIONS, Action, Funding, Kind, Outcome, Param
from ..errors import AMOUNT_ARGUMENTS, ContractError, PortchainError
from ..port import Port
from ._common import connect_persistent, emit, sender, tx_json, tx_text


@dataclass(frozen=True)
class Call:
    """One invocation of a transaction subcommand: its parsed options, the connection and the signing account."""

    args: argparse.Namespace
    port: Port
    account: LocalAccount


@dataclass(frozen=True)
class Done:
    """A performed subcommand: the call, the action chosen, the values it was given and its outcome."""

    call: Call
    action: Action
    values: dict[str, Any]
    outcome: Outcome

    @property
    def args(self) -> argparse.Namespace:
        return self.call.args

    @property
    def port(self) -> Port:
        return self.call.port


Value = Callable[[Call], Any]  # an action's value from the call (None: the action's default)


def _done(_done: Done) -> str:
    return "done"


def _nothing(_done: Done) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class Command:
    """A subcommand that performs ``action`` (or ``instead[0]`` when ``instead[1]`` says so)."""

    action: str
    says: Callable[[Done], str] = _done
    json: Callable[[Done], dict[str, Any]] = _nothing
    values: Mapping[str, Value] = field(default_factory=dict)
    instead: tuple[str, Callable[[Call], bool]] | None = None
    output: Callable[[Done], tuple[Any, str]] | None = None  # the whole output, when not a transaction line
    prepare: Callable[[argparse.Namespace], None] | None = None  # input checks that need no node

    def candidates(self) -> list[Action]:
        return [ACTIONS[self.action]] + ([ACTIONS[self.instead[0]]] if self.instead else [])

    def choose(self, call: Call) -> Action:
        if self.instead is not None and self.instead[1](call):
            return ACTIONS[self.instead[0]]
        return ACTIONS[self.action]

    def report(self, done: Done) -> tuple[Any, str]:
        if self.output is not None:
            return self.output(done)
        receipt = done.outcome.tx
        return {**self.json(done), **tx_json(receipt)}, f"{self.says(done)} {tx_text(receipt)}"


def _option(call: Call, param: Param) -> Any:
    """The value of the option named like ``param``, as the action takes it."""
    given = getattr(call.args, param.name, None)
    if given is None:
        return None
    if param.kind is Kind.BILL:
        return call.port.bol.resolve(given)
    if param.kind is Kind.BILLS:
        return [call.port.bol.resolve(bill) for bill in given]
    if param.kind is Kind.AMOUNT:
        from ..clients.settlement_token import to_units

        return to_units(given, call.port.token.decimals)
    return given


def perform(command: Command, args: argparse.Namespace) -> int:
    """Run a transaction subcommand: connect, sign as ``--as`` says, perform the action, print what it did."""
    if command.prepare is not None:
        command.prepare(args)
    with connect_persistent(args) as port:
        call = Call(args, port, sender(args, port))
        action = command.choose(call)
        values = {}
        for param in action.params:
            value = command.values[param.name](call) if param.name in command.values else _option(call, param)
            if value is not None:
                values[param.name] = value
        try:
            outcome = action.run(port, call.account, values)
        except ContractError as exc:
            _token_unit(exc, port)
            raise
        data, text = command.report(Done(call, action, values, outcome))
        emit(args, data, text)
    return 0


def _token_unit(exc: ContractError, port: Port) -> None:
    """Show the amounts of a refusal in the units of this network's settlement token (its decimals and symbol);
    should they not be read, the refusal stays as it is."""
    if not AMOUNT_ARGUMENTS.intersection(exc.arguments):
        return
    with contextlib.suppress(PortchainError):
        exc.amount_unit = (port.token.decimals, port.token.symbol)


def bind(subcommands: Any, commands: Mapping[str, Command], reads: Mapping[str, Callable[[Any], int]]) -> None:
    """Make each subcommand perform its command (or run its read-only function), after checking that the
    subcommand gives its action every required value, and computes only values the action takes."""
    for name, parser in subcommands.choices.items():
        if name in reads:
            parser.set_defaults(func=reads[name])
            continue
        command = commands[name]
        options = {option.dest for option in parser._actions}
        names = {param.name for action in command.candidates() for param in action.params}
        stray = set(command.values) - names
        unbound = [f"{action.name}.{param.name}" for action in command.candidates() for param in action.params
                   if param.required and param.name not in command.values and param.name not in options]
        if stray or unbound:
            raise TypeError(f"`{parser.prog}`: computes {sorted(stray)} no action takes; gives no {unbound}")
        parser.set_defaults(func=partial(perform, command))


def funding_of(call: Call) -> Funding:
    """How ``--permit`` / ``--approve`` (else an allowance in place) authorise the token movement of a command."""
    return Funding.PERMIT if call.args.permit else Funding.APPROVE if call.args.approve else Funding.ALLOWANCE
