"""Shared pieces of the CLI: the parser class, common options, output, connections and the signing account."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

from eth_account.signers.local import LocalAccount

from ..errors import ConfigurationError, InputError
from ..port import Port
from ..transactions import Receipt


class UsageError(SystemExit):
    """A malformed command line: :func:`portchain.cli.main` reports it in one line and exits 2 (``--help`` shows
    the full usage)."""

    def __init__(self, prog: str, message: str) -> None:
        super().__init__(2)
        self.prog, self.message = prog, message


class Parser(argparse.ArgumentParser):
    """argparse whose usage errors are raised (:class:`UsageError`) for the caller to report in one line."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(self.prog, message)


def _options() -> argparse.ArgumentParser:
    # SUPPRESS keeps `portchain --json gas` from being reset by the subcommand's own default.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help="print one JSON document")
    common.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help="show tracebacks on errors")
    return common


def _network_options() -> argparse.ArgumentParser:
    net = argparse.ArgumentParser(add_help=False)
    net.add_argument("--network", default=os.environ.get("PORTCHAIN_NETWORK", "anvil"),
                     help="network name: anvil, sepolia, besu or one defined in portchain.toml "
                          "(default: $PORTCHAIN_NETWORK or anvil)")
    net.add_argument("--rpc-url", help="override the network's RPC URL")
    net.add_argument("--deployments", type=Path, default=None,
                     help="deployments folder (default: $PORTCHAIN_DEPLOYMENTS_DIR, else deployments/ in the project "
                          "the current directory is in (the nearest folder upwards with portchain.toml, or a "
                          "portchain checkout), else ./deployments)")
    return net


def _actor_options() -> argparse.ArgumentParser:
    actor = argparse.ArgumentParser(add_help=False)
    actor.add_argument("--as", dest="as_role", metavar="ROLE",
                       help="local networks only: sign as the demo organisation of ROLE (carrier, shipper ...); "
                            "otherwise the network's key signs (<NETWORK>_PRIVATE_KEY or <NETWORK>_KEYSTORE; on a "
                            "remote network PORTCHAIN_PRIVATE_KEY / PORTCHAIN_KEYSTORE without one)")
    return actor


COMMON = _options()
NETWORK = _network_options()
ACTOR = _actor_options()
SIGNED = [COMMON, NETWORK, ACTOR]  # the parents of a subcommand that sends transactions


def emit(args: argparse.Namespace, data: Any, text: str) -> None:
    """Print ``data`` as JSON under --json, else ``text``."""
    if getattr(args, "json", False):
        print(json.dumps(data, indent=2, default=json_default))
    else:
        print(text)


def json_default(value: Any) -> Any:
    if isinstance(value, bytes):
        return "0x" + value.hex()
    if hasattr(value, "name"):
        return value.name
    if hasattr(value, "to_json"):
        return value.to_json()
    raise TypeError(type(value).__name__)


def tx_json(receipt: Receipt) -> dict[str, Any]:
    return {"txHash": receipt.tx_hash, "blockNumber": receipt.block_number, "gasUsed": receipt.gas_used}


def tx_text(receipt: Receipt) -> str:
    return f"(tx {receipt.tx_hash}, gas {receipt.gas_used:,})"


def plain(value: Any) -> str:
    """An event argument as history lines show it: hex for bytes, names for codes."""
    if isinstance(value, bytes):
        return "0x" + value.hex()
    if isinstance(value, tuple):
        return "(" + ", ".join(plain(v) for v in value) + ")"
    return str(getattr(value, "name", value))


def day(seconds: int) -> str:
    """A timestamp as its UTC date; 0 (not yet) as '-'."""
    return time.strftime("%Y-%m-%d", time.gmtime(seconds)) if seconds else "-"


def progress(args: argparse.Namespace) -> Callable[[str], None]:
    """Where progress lines go: stderr under --json, so stdout stays one JSON document."""
    stream = sys.stderr if getattr(args, "json", False) else sys.stdout
    return lambda message: print(message, file=stream)


def connect_persistent(args: argparse.Namespace) -> Port:
    """A connection to a node that outlives this command (deploy and every contract command need one)."""
    from ..config import get_network
    from ..port import connect

    network = get_network(args.network, rpc_url=args.rpc_url)
    rpc_url = network.rpc_url
    if rpc_url is None:
        raise ConfigurationError(
            f"network {network.name!r} has no running node: start one with `portchain node` and set "
            f"{network.rpc_env}=http://127.0.0.1:8545 (or pass --rpc-url)"
        )
    return connect(args.network, rpc_url=rpc_url, deployments_dir=args.deployments)


def sender(args: argparse.Namespace, port: Port) -> LocalAccount:
    """The account this command signs with: ``--as ROLE`` on a local network, else the configured key."""
    role = getattr(args, "as_role", None)
    if role:
        if not port.network.local:
            raise ConfigurationError(
                f"--as works only on a local network; on {port.network.name} the network's key signs: set "
                f"{port.network.keys.describe()}"
            )
        from ..devnet import account_for

        return account_for(role)
    return port.deployer


def org_id(text: str) -> int:
    """argparse type: an organisation id."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"organisation id must be a number, got {text!r}") from None
    if not 0 < value < 2**32:
        raise argparse.ArgumentTypeError(f"organisation id must be from 1 to {2**32 - 1}, got {value}")
    return value


def subparser(sub: Any, name: str, help_text: str, example: str, parents: list[argparse.ArgumentParser]) -> Any:
    """A subcommand with an example in its --help."""
    return sub.add_parser(
        name, parents=parents, help=help_text, description=help_text[:1].upper() + help_text[1:] + ".",
        epilog=f"example:\n  {example}", formatter_class=argparse.RawDescriptionHelpFormatter,
    )


def group(sub: Any, name: str, help_text: str, example: str) -> Any:
    """A command whose ACTION subcommands follow (``portchain bol approve ...``); returns their parsers' holder."""
    parser = sub.add_parser(name, parents=[COMMON], help=help_text, epilog=f"example:\n  {example}",
                            formatter_class=argparse.RawDescriptionHelpFormatter)
    actions = parser.add_subparsers(dest=f"{name}_action", metavar="ACTION", parser_class=Parser)
    actions.required = True
    return actions


def require(condition: bool, message: str) -> None:
    """Bad usage that argparse cannot express."""
    if not condition:
        raise InputError(message)


def parse_date(text: str | None) -> int | None:
    """A date given as YYYY-MM-DD (noon UTC) or unix seconds; None stays None."""
    if text is None:
        return None
    if text.isdigit() and len(text) >= 9:  # unix seconds; eight digits are a YYYYMMDD date
        return int(text)
    if re.fullmatch(r"\d{8}", text):
        text = f"{text[:4]}-{text[4:6]}-{text[6:]}"
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise InputError(f"date must be YYYY-MM-DD or unix seconds, got {text!r}") from None
    return int(dt.datetime(day.year, day.month, day.day, 12, tzinfo=dt.timezone.utc).timestamp())


def end_of_day(text: str) -> int:
    """A deadline given as YYYY-MM-DD (23:59:59 UTC that day) or unix seconds."""
    if text.isdigit() and len(text) >= 9:
        return int(text)
    noon = parse_date(text)
    assert noon is not None
    return noon + 12 * 3600 - 1


def hex32(text: str) -> bytes | None:
    """The 32 bytes of ``0x`` + 64 hex digits, else None (the text may name a file instead)."""
    return bytes.fromhex(text[2:]) if re.fullmatch(r"0x[0-9a-fA-F]{64}", text) else None


def positive_int(what: str | None = None) -> Callable[[str], int]:
    """An argparse type: a positive whole number (``what`` names it in the error)."""

    def parse(text: str) -> int:
        if not text.isdigit() or int(text) == 0:
            problem = f"{what} must be a positive number" if what else "expected a positive number"
            raise argparse.ArgumentTypeError(f"{problem}, got {text!r}")
        return int(text)

    return parse


def hash_or_file(text: str) -> bytes:
    """A 32-byte hash (0x + 64 hex digits), or the canonical hash of a JSON document file."""
    digest = hex32(text)
    if digest is not None:
        return digest
    path = Path(text)
    if path.is_file():
        from ..documents import TransportDocument, document_hash
        from ..documents.trade import load_trade_document

        # A trade or transport document hashes as the SDK builds it (absent optional fields dropped), which is the
        # hash its issuer anchored; any other JSON hashes as written.
        raw = path.read_bytes()
        try:
            data = json.loads(raw)
        except ValueError:
            raise InputError(f"{path}: not JSON") from None
        if isinstance(data, dict) and "documentType" in data:
            return bytes(load_trade_document(path).hash())
        if isinstance(data, dict) and "transportDocumentReference" in data:
            return bytes(TransportDocument.load(path).hash())
        return document_hash(raw)
    raise InputError(f"{text!r} is neither a hash (0x + 64 hex digits) nor a document file")


def argument(convert: Callable[[str], Any]) -> Callable[[str], Any]:
    """An argparse type from a converter that raises InputError (so the message reaches the user)."""

    def parse(text: str) -> Any:
        try:
            return convert(text)
        except InputError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    parse.__name__ = convert.__name__
    return parse
