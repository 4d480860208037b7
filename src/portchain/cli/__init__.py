"""The ``portchain`` command line.

Exit codes: 0 ok, 1 refused or failed (a contract refusal, an unreachable node, a compile error), 2 bad usage
(malformed input, unknown network, missing key). Errors are one line on stderr; ``--debug`` adds the traceback.
"""

from __future__ import annotations

import argparse
import sys
import traceback
from collections.abc import Sequence

from ..errors import ConfigurationError, ContractError, DocumentContradictionError, InputError, PortchainError
from . import _bol, _core, _customs, _doc, _lc, _registry, _scenario, _token
from ._common import Parser

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
  portchain demo
"""


def build_parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(add_help=False)
    top.add_argument("--json", action="store_true", help="print one JSON document instead of text")
    top.add_argument("--debug", action="store_true", help="show tracebacks on errors")
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
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from ..config import load_env

    load_env()  # before the parser reads defaults such as $PORTCHAIN_NETWORK
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        return 130
    except (InputError, ConfigurationError) as exc:
        _report(args, exc, "error")
        return 2
    except (ContractError, DocumentContradictionError) as exc:
        _report(args, exc, "refused")
        return 1
    except PortchainError as exc:
        _report(args, exc, "error")
        return 1


def _report(args: argparse.Namespace, exc: Exception, label: str) -> None:
    if args.debug:
        traceback.print_exception(exc)
    lines = str(exc).splitlines() or [exc.__class__.__name__]
    # A compile error lists every `file:line: message`; everything else is one line.
    body = "\n".join(lines) if exc.__class__.__name__ == "CompilationError" else lines[0]
    print(f"portchain: {label}: {body}", file=sys.stderr)
