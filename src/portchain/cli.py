"""The ``portchain`` command line.

Exit codes: 0 ok, 1 refused or failed (a contract refusal, an unreachable node, a compile error), 2 bad usage
(malformed input, unknown network, missing key). Errors are one line on stderr; ``--debug`` adds the traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import time
import traceback
from pathlib import Path
from typing import Any, Callable, NoReturn, Sequence

from .exceptions import ConfigurationError, ContractError, InputError, PortchainError

EXAMPLES = """examples:
  portchain compile
  portchain node --state build/chain.json            # keep a local chain across restarts
  export PORTCHAIN_ANVIL_RPC_URL=http://127.0.0.1:8545
  portchain deploy --network anvil
  portchain registry onboard --name "Blue Anchor Line A/S" --registration-id DK-CVR-31000001 \\
      --country DK --roles carrier --signer 0x70997970C51812dc3A010C7d01b50e0d17dc79C8 --port NLRTM
  portchain registry show 1 --json
  portchain gas --json
  portchain demo
"""


class UsageError(InputError):
    """Bad command-line usage (exit 2)."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        print(f"{self.prog}: error: {message}", file=sys.stderr)
        raise SystemExit(2)


# ----------------------------------------------------------------------------------------------------------------
# Output
# ----------------------------------------------------------------------------------------------------------------


def _emit(args: argparse.Namespace, data: dict[str, Any], text: str) -> None:
    if args.json:
        print(json.dumps(data, indent=2, default=_json_default))
    else:
        print(text)


def _json_default(value: Any) -> Any:
    if isinstance(value, bytes):
        return "0x" + value.hex()
    if hasattr(value, "name"):
        return value.name
    raise TypeError(type(value).__name__)


def _tx_json(receipt: Any) -> dict[str, Any]:
    return {"txHash": receipt.tx_hash, "blockNumber": receipt.block_number, "gasUsed": receipt.gas_used}


def _log(args: argparse.Namespace) -> Callable[[str], None]:
    # Progress goes to stderr under --json so stdout stays one JSON document.
    stream = sys.stderr if args.json else sys.stdout
    return lambda message: print(message, file=stream)


# ----------------------------------------------------------------------------------------------------------------
# Connections
# ----------------------------------------------------------------------------------------------------------------


def _connect_persistent(args: argparse.Namespace) -> Any:
    """A connection to a node that outlives this command (deploy and registry commands need one)."""
    from .config import get_network
    from .port import connect

    network = get_network(args.network)
    rpc_url = args.rpc_url or network.rpc_url
    if rpc_url is None:
        raise ConfigurationError(
            f"network {network.name!r} has no running node: start one with `portchain node` and set "
            f"{network.rpc_env}=http://127.0.0.1:8545 (or pass --rpc-url)"
        )
    return connect(args.network, rpc_url=rpc_url, deployments_dir=args.deployments)


# ----------------------------------------------------------------------------------------------------------------
# Commands
# ----------------------------------------------------------------------------------------------------------------


def cmd_compile(args: argparse.Namespace) -> int:
    from .artifacts import clear_cache
    from .compiler import compile_project, write_artifacts

    started = time.perf_counter()
    result = compile_project(use_cache=not args.no_cache)
    for warning in result.warnings:
        print(warning, file=sys.stderr)
    written = write_artifacts(result)
    clear_cache()
    elapsed = time.perf_counter() - started
    _emit(
        args,
        {"contracts": list(result.artifacts), "cached": result.cached, "written": written,
         "solcInputHash": result.solc_input_hash, "compiler": result.compiler_version, "seconds": round(elapsed, 3)},
        f"{'compile cache hit' if result.cached else 'compiled'}: {len(result.artifacts)} contracts with solc "
        f"{result.compiler_version} in {elapsed:.2f} s; artifacts {'updated: ' + ', '.join(written) if written else 'unchanged'}",
    )
    return 0


def cmd_node(args: argparse.Namespace) -> int:
    from .chain import AnvilNode, free_port

    port = args.port
    if port is None:
        try:
            import socket

            with socket.socket() as sock:
                sock.bind(("127.0.0.1", 8545))
            port = 8545
        except OSError:
            port = free_port()
    node = AnvilNode.start(port=port, state=args.state)
    stop = {"now": False}

    def _stop(*_: Any) -> None:
        stop["now"] = True

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    _emit(
        args,
        {"rpcUrl": node.rpc_url, "pid": node.process.pid, "state": str(node.state) if node.state else None},
        f"anvil listening on {node.rpc_url} (pid {node.process.pid}"
        f"{', state ' + str(node.state) if node.state else ''}); Ctrl-C stops it\n"
        f"  export PORTCHAIN_ANVIL_RPC_URL={node.rpc_url}",
    )
    sys.stdout.flush()
    try:
        while not stop["now"] and node.running:
            time.sleep(0.2)
    finally:
        node.stop()
    if not args.json:
        print("anvil stopped" + (f"; chain saved to {node.state}" if node.state else ""))
    return 0


def cmd_deploy(args: argparse.Namespace) -> int:
    with _connect_persistent(args) as port:
        result = port.deploy(log=_log(args))
        records = {name: record["address"] for name, record in result.records.items()}
        _emit(
            args,
            {"network": port.network.name, "chainId": port.layer.chain_id, "contracts": records,
             "deployed": result.deployed, "reused": result.reused},
            f"{port.network.name} (chain {port.layer.chain_id}): {len(result.deployed)} deployed, "
            f"{len(result.reused)} reused; records in {port.deployments_dir / port.network.name}",
        )
    return 0


def _split_roles(text: str) -> list[str]:
    return [r for r in (part.strip() for part in text.split(",")) if r]


def cmd_registry(args: argparse.Namespace) -> int:
    with _connect_persistent(args) as port:
        registry, admin = port.registry, None
        action = args.registry_action
        if action != "show":
            admin = port.deployer
        if action == "onboard":
            onboarded = registry.onboard(
                args.name, args.registration_id, args.country, _split_roles(args.roles), args.signer, args.port,
                sender=admin,
            )
            _emit(args, {"orgId": onboarded.org_id, **_tx_json(onboarded.receipt)},
                  f"onboarded organisation {onboarded.org_id} (tx {onboarded.receipt.tx_hash}, "
                  f"gas {onboarded.receipt.gas_used:,})")
            return 0
        if action == "show":
            org_id = args.org_id if args.org_id is not None else registry.org_of(args.address)
            if org_id == 0:
                raise InputError(f"{args.address} signs for no organisation")
            org = registry.organisation(org_id)
            signers = registry.signers(org_id)
            data = {**org.to_json(), "signers": signers}
            text = "\n".join(
                [f"organisation {org.org_id}: {org.status.name}, {org.country}, roles {', '.join(r.name for r in org.roles)}",
                 f"  name hash        0x{org.name_hash.hex()}",
                 f"  registration id  0x{org.registration_id_hash.hex()}",
                 f"  onboarded at     {time.strftime('%Y-%m-%d %H:%M:%S UTC', time.gmtime(org.onboarded_at))}",
                 f"  signers          {', '.join(signers) or '-'}"]
            )
            _emit(args, data, text)
            return 0
        if action == "add-signer":
            receipt = registry.add_signer(args.org_id, args.signer, sender=admin)
            what = f"added signer {args.signer} to organisation {args.org_id}"
        elif action == "remove-signer":
            receipt = registry.remove_signer(args.signer, sender=admin)
            what = f"removed signer {args.signer}"
        elif action == "suspend":
            receipt = registry.suspend(args.org_id, args.reason, sender=admin)
            what = f"suspended organisation {args.org_id}"
        elif action == "reinstate":
            receipt = registry.reinstate(args.org_id, sender=admin)
            what = f"reinstated organisation {args.org_id}"
        elif action == "revoke":
            receipt = registry.revoke(args.org_id, args.reason, sender=admin)
            what = f"revoked organisation {args.org_id}"
        else:  # pragma: no cover - argparse refuses unknown actions
            raise UsageError(f"unknown registry action {action}")
        _emit(args, _tx_json(receipt), f"{what} (tx {receipt.tx_hash}, gas {receipt.gas_used:,})")
    return 0


def cmd_gas(args: argparse.Namespace) -> int:
    from .gas import measure_gas

    report = measure_gas()
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        width = max(len(k) for k in report)
        print("\n".join(f"{name:<{width}}  {gas:>10,}" for name, gas in report.items()))
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from .demo import run_demo

    return run_demo(json_output=args.json)


# ----------------------------------------------------------------------------------------------------------------
# Parser
# ----------------------------------------------------------------------------------------------------------------


def _org_id(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"organisation id must be a number, got {text!r}") from None
    if not 0 < value < 2**32:
        raise argparse.ArgumentTypeError(f"organisation id must be from 1 to {2**32 - 1}, got {value}")
    return value


def build_parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(add_help=False)
    top.add_argument("--json", action="store_true", help="print one JSON document instead of text")
    top.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    # The same options on every subcommand; SUPPRESS keeps `portchain --json gas` from being reset by `gas`.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help="print one JSON document")
    common.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help="show tracebacks on errors")
    net = argparse.ArgumentParser(add_help=False)
    net.add_argument("--network", default=os.environ.get("PORTCHAIN_NETWORK", "anvil"),
                     help="network name: anvil, sepolia, besu (default: $PORTCHAIN_NETWORK or anvil)")
    net.add_argument("--rpc-url", help="override the network's RPC URL")
    net.add_argument("--deployments", type=Path, default=None,
                     help="deployments folder (default: $PORTCHAIN_DEPLOYMENTS_DIR or ./deployments)")

    parser = _Parser(
        prog="portchain",
        description="portchain: a blockchain-based digital port (registry, eBL, letters of credit, customs).",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        parents=[top],
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True

    p = sub.add_parser("compile", parents=[common], help="compile contracts/ (cached) and refresh shipped artifacts",
                       epilog="example: portchain compile --no-cache", formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--no-cache", action="store_true", help="ignore the compile cache under build/")
    p.set_defaults(func=cmd_compile)

    p = sub.add_parser("node", parents=[common], help="run a local Anvil until Ctrl-C",
                       epilog="example: portchain node --port 8545 --state build/chain.json")
    p.add_argument("--port", type=int, help="TCP port on 127.0.0.1 (default 8545, or a free one if taken)")
    p.add_argument("--state", help="file to load the chain from and save it to on exit")
    p.set_defaults(func=cmd_node)

    p = sub.add_parser("deploy", parents=[common, net], help="deploy the suite (idempotent) and write deployments/",
                       epilog="example: PORTCHAIN_ANVIL_RPC_URL=http://127.0.0.1:8545 portchain deploy --network anvil")
    p.set_defaults(func=cmd_deploy)

    reg = sub.add_parser("registry", parents=[common], help="participant registry: onboard, signers, suspend, revoke, show")
    rsub = reg.add_subparsers(dest="registry_action", metavar="ACTION", parser_class=_Parser)
    rsub.required = True
    a = rsub.add_parser("onboard", parents=[common, net], help="onboard an organisation",
                        epilog="example: portchain registry onboard --name 'Dutch Customs' --registration-id NL-DOU-1 "
                               "--country NL --roles customs --signer 0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC --port NLRTM")
    a.add_argument("--name", required=True, help="legal name (only its hash goes on-chain)")
    a.add_argument("--registration-id", required=True, help="company registration / EORI id (only its hash goes on-chain)")
    a.add_argument("--country", required=True, help="jurisdiction, ISO 3166-1 alpha-2 (NL, CN ...)")
    a.add_argument("--roles", required=True, help="comma-separated: carrier,shipper,consignee,bank,customs,tax,"
                                                  "port-operator,forwarder,insurer,inspector")
    a.add_argument("--signer", action="append", required=True, help="signing address (repeat for several)")
    a.add_argument("--port", action="append", default=[], help="UN/LOCODE of a port it operates at (repeatable)")
    a = rsub.add_parser("add-signer", parents=[common, net], help="authorise another signing address",
                        epilog="example: portchain registry add-signer 3 0x90F79bf6EB2c4f870365E785982E1f101E93b906")
    a.add_argument("org_id", type=_org_id)
    a.add_argument("signer")
    a = rsub.add_parser("remove-signer", parents=[common, net], help="withdraw a signing address",
                        epilog="example: portchain registry remove-signer 0x90F79bf6EB2c4f870365E785982E1f101E93b906")
    a.add_argument("signer")
    for action, verb in (("suspend", "suspend an active organisation"), ("revoke", "revoke an organisation for good")):
        a = rsub.add_parser(action, parents=[common, net], help=verb,
                            epilog=f"example: portchain registry {action} 3 --reason 'licence under review'")
        a.add_argument("org_id", type=_org_id)
        a.add_argument("--reason", default="", help="reason (kept off-chain; its hash goes on-chain)")
    a = rsub.add_parser("reinstate", parents=[common, net], help="reinstate a suspended organisation",
                        epilog="example: portchain registry reinstate 3")
    a.add_argument("org_id", type=_org_id)
    a = rsub.add_parser("show", parents=[common, net], help="show an organisation by id or signer address",
                        epilog="example: portchain registry show 3 --json")
    a.add_argument("org_id", nargs="?", type=_org_id)
    a.add_argument("--address", help="show the organisation this address signs for")
    reg.set_defaults(func=cmd_registry)

    p = sub.add_parser("gas", parents=[common], help="gas per operation on a fresh local chain",
                       epilog="example: portchain gas --json")
    p.set_defaults(func=cmd_gas)

    p = sub.add_parser("demo", parents=[common], help="compile, start Anvil, deploy, onboard one organisation per role",
                       epilog="example: portchain demo")
    p.set_defaults(func=cmd_demo)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "registry_action", None) == "show" and args.org_id is None and not args.address:
        parser.error("registry show needs an organisation id or --address")
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        return 130
    except (InputError, ConfigurationError) as exc:
        _report(args, exc, "error")
        return 2
    except ContractError as exc:
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


if __name__ == "__main__":
    sys.exit(main())
