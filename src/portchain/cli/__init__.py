"""The ``portchain`` command line.

Exit codes: 0 ok, 1 refused or failed (a contract refusal, something that does not exist, an unreachable node, a
compile error), 2 bad usage (a malformed command line or input, unknown network, missing key). Errors are one line
on stderr (``--debug`` adds the traceback); with ``--json`` an error is also one JSON object on stdout,
``{"error": {"kind": "usage" | "error" | "not-found" | "refused", "message": ..., "exitCode": ...}}``, with the
contract error's ``name`` and ``arguments`` for a refusal.
"""

from __future__ import annotations

import argparse
import json
import sys
import traceback
from collections.abc import Sequence
from typing import Any

from .. import __version__
from ..errors import (
    ConfigurationError,
    ContractError,
    DocumentContradictionError,
    InputError,
    NotFoundError,
    PortchainError,
)
from . import _bench, _bol, _core, _customs, _doc, _lc, _registry, _scenario, _token
from ._common import Parser, UsageError, json_default

EXAMPLES = """examples:
  portchain compile
  portchain node --state build/chain.json            # keep a local chain across restarts
  export PORTCHAIN_ANVIL_RPC_URL=http://127.0.0.1:8545
  portchain deploy --network anvil
  portchain registry onboard --name "Blue Anchor Line A/S" --registration-id DK-CVR-31000001 \\
      --country DK --roles carrier --signer 0x70997970C51812dc3A010C7d01b50e0d17dc79C8 --port NLRTM
  portchain registry show 1 --json
  portchain bol draft shipment.json --as carrier
  portchain bol history shipment.json
  portchain doc anchor invoice.json --subject shipment.json --as shipper
  portchain lc show 1
  portchain customs lodge declaration.json --kind import --country NL --bill shipment.json --as consignee
  portchain gate verify MSKU9070323 0x8c...41 --as port-operator
  portchain scenario run scripts/scenarios/flagship.yaml --repeat 20
  portchain gas --json
  portchain bench --json
  portchain demo
"""


def build_parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(add_help=False)
    top.add_argument("--json", action="store_true", help="print one JSON document instead of text")
    top.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    top.add_argument("--version", action="version", version=f"portchain {__version__}",
                     help="print the version and exit")
    parser = Parser(
        prog="portchain",
        description="portchain: a blockchain-based digital port (registry, eBL, letters of credit, customs).",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        parents=[top],
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    sub.required = True
    _core.register(sub)
    _registry.register(sub)
    _bol.register(sub)
    _doc.register(sub)
    _lc.register(sub)
    _token.register(sub)
    _customs.register(sub)
    _scenario.register(sub)
    _bench.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from ..config import load_env

    load_env()  # before the parser reads defaults such as $PORTCHAIN_NETWORK
    words = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    try:
        args = parser.parse_args(words)
    except UsageError as exc:
        _say(_usage_line(exc), {"kind": "usage", "message": exc.message, "exitCode": 2}, _wants_json(words))
        return 2
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        return 130
    except (InputError, ConfigurationError) as exc:
        return _report(args, exc, "error", 2)
    except (ContractError, DocumentContradictionError) as exc:
        return _report(args, exc, "refused", 1)
    except NotFoundError as exc:
        return _report(args, exc, "not found", 1)
    except PortchainError as exc:
        return _report(args, exc, "error", 1)


def _wants_json(words: list[str]) -> bool:
    """Whether the command line asks for JSON (before a ``--`` that ends the options)."""
    return "--json" in (words[: words.index("--")] if "--" in words else words)


def _usage_line(exc: UsageError) -> str:
    command = exc.prog.removeprefix("portchain").strip()
    where = f"{command}: " if command else ""
    return f"portchain: usage: {where}{exc.message} (see `{exc.prog} --help`)"


def _report(args: argparse.Namespace, exc: Exception, label: str, code: int) -> int:
    """Say what went wrong: one line on stderr (a compile error: one per error), and under --json one object on
    stdout; returns the exit code."""
    if getattr(args, "debug", False):
        traceback.print_exception(exc)
    lines = str(exc).splitlines() or [exc.__class__.__name__]
    # A compile error lists every `file:line: message`; everything else is one line.
    body = "\n".join(lines) if exc.__class__.__name__ == "CompilationError" else lines[0]
    hint = _hint(args, exc)
    error: dict[str, Any] = {"kind": label.replace(" ", "-"), "message": body, "exitCode": code}
    if isinstance(exc, ContractError):
        error.update(name=exc.error_name, arguments=exc.json_arguments())
    else:
        error["name"] = exc.__class__.__name__
    if hint:
        error["hint"] = hint
    _say(f"portchain: {label}: {body}" + (f" ({hint})" if hint else ""), error, getattr(args, "json", False))
    return code


def _say(line: str, error: dict[str, Any], as_json: bool) -> None:
    print(line, file=sys.stderr)
    if as_json:
        print(json.dumps({"error": error}, indent=2, default=json_default))


def _hint(args: argparse.Namespace, exc: Exception) -> str:
    """What to do about a token refusal: authorise the contract (with the command's own options where it has
    them), or find the tokens."""
    name = getattr(exc, "error_name", "")
    if name == "ERC20InsufficientAllowance":
        options = [f"--{option}" for option in ("permit", "approve") if hasattr(args, option)]
        if options:
            return f"pass {' or '.join(options)}, or approve the contract first"
        return "approve the contract first: portchain token approve <contract> <amount>"
    if name == "ERC20InsufficientBalance":
        return (f"{getattr(exc, 'sender', 'the paying account')} holds too few tokens: see `portchain token "
                "balance`; on a local chain `portchain token mint` adds some")
    return ""
