"""compile, node, deploy, gas and demo."""

from __future__ import annotations

import argparse
import json
import signal
import socket
import sys
import time
from typing import Any

from ._common import COMMON, NETWORK, connect_persistent, emit, progress, subparser


def cmd_compile(args: argparse.Namespace) -> int:
    from .._artifacts import clear_cache
    from ..compiler import compile_project, write_artifacts

    started = time.perf_counter()
    result = compile_project(use_cache=not args.no_cache)
    for warning in result.warnings:
        print(warning, file=sys.stderr)
    written = write_artifacts(result)
    clear_cache()
    elapsed = time.perf_counter() - started
    emit(
        args,
        {"contracts": list(result.artifacts), "cached": result.cached, "written": written,
         "solcInputHash": result.solc_input_hash, "compiler": result.compiler_version, "seconds": round(elapsed, 3)},
        f"{'compile cache hit' if result.cached else 'compiled'}: {len(result.artifacts)} contracts with solc "
        f"{result.compiler_version} in {elapsed:.2f} s; artifacts "
        f"{'updated: ' + ', '.join(written) if written else 'unchanged'}",
    )
    return 0


def _default_port() -> int:
    try:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 8545))
        return 8545
    except OSError:
        from ..node import free_port

        return free_port()


def cmd_node(args: argparse.Namespace) -> int:
    from ..node import LocalNode

    port = _default_port() if args.port is None else args.port  # a port given is checked: 1..65535 and free
    node = LocalNode.start(engine=args.engine, port=port, state=args.state)
    stop = {"now": False}

    def _stop(*_: Any) -> None:
        stop["now"] = True

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    emit(
        args,
        {"engine": node.engine, "rpcUrl": node.rpc_url, "pid": node.process.pid,
         "state": str(node.state) if node.state else None},
        f"{node.engine} listening on {node.rpc_url} (pid {node.process.pid}"
        f"{', state ' + str(node.state) if node.state else ''}); Ctrl-C stops it\n"
        f"  export PORTCHAIN_ANVIL_RPC_URL={node.rpc_url}",
    )
    sys.stdout.flush()
    try:
        while not stop["now"] and node.running:
            time.sleep(0.2)
    finally:
        node.stop()
    if not getattr(args, "json", False):
        print(f"{node.engine} stopped" + (f"; chain saved to {node.state}" if node.state else ""))
    return 0


def _stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def cmd_deploy(args: argparse.Namespace) -> int:
    with connect_persistent(args) as port:
        result = port.deploy(log=progress(args), progress=_stderr, with_token=args.with_token)
        records = {name: record["address"] for name, record in result.records.items() if "pending" not in record}
        folder = port.deployments_dir / port.network.name
        resumed = f" ({len(result.resumed)} resumed from an interrupted run)" if result.resumed else ""
        emit(
            args,
            {"network": port.network.name, "chainId": port.layer.chain_id, "contracts": records,
             "deployed": result.deployed, "reused": result.reused, "resumed": result.resumed,
             "records": str(folder)},
            f"{port.network.name} (chain {port.layer.chain_id}): {len(result.deployed)} deployed{resumed}, "
            f"{len(result.reused)} reused; records in {folder}",
        )
    return 0


def cmd_networks(args: argparse.Namespace) -> int:
    from ..config import config_file, list_networks

    path = config_file()
    entries: list[dict[str, Any]] = []
    lines = [f"configuration: {path or 'none (no portchain.toml, $PORTCHAIN_CONFIG unset)'}"]
    for name, network in list_networks():
        if isinstance(network, Exception):
            entries.append({"name": name, "error": str(network)})
            lines.append(f"{name}: error: {network}")
        else:
            entry = _network_entry(network)
            entries.append(entry)
            lines.append(_network_line(entry))
    emit(args, {"config": str(path) if path else None, "networks": entries}, "\n".join(lines))
    return 0


def _network_entry(network: Any) -> dict[str, Any]:
    """What `portchain networks` shows of a network: where its URL, key and token come from, never a secret."""
    from ..config import key_source, safe_host

    return {
        "name": network.name, "chainId": network.chain_id, "local": network.local,
        "rpc": safe_host(network.rpc_url) if network.rpc_url else None, "rpcVariable": network.rpc_env,
        "confirmations": network.confirmations, "blockTime": network.block_time, "key": key_source(network),
        "settlementToken": network.settlement_token, "settlementTokenFrom": network.settlement_token_source or None,
        "definedIn": network.source,
    }


def _network_line(entry: dict[str, Any]) -> str:
    rpc = entry["rpc"] or ("auto-started anvil" if entry["local"] else f"no RPC URL (set {entry['rpcVariable']})")
    token = entry["settlementToken"]
    return (
        f"{entry['name']}: chain {entry['chainId']}, {'local' if entry['local'] else 'remote'}, {rpc}, "
        f"{entry['confirmations']} confirmations, ~{entry['blockTime']:g} s blocks; key: {entry['key']}"
        + (f"; settlement token {token} ({entry['settlementTokenFrom']})" if token else "")
        + ("" if entry["definedIn"] == "built-in" else f" [{entry['definedIn']}]")
    )


def cmd_gas(args: argparse.Namespace) -> int:
    from ._gas import measure_gas

    report = measure_gas()
    if getattr(args, "json", False):
        print(json.dumps(report, indent=2))
    else:
        width = max(len(k) for k in report)
        print("\n".join(f"{name:<{width}}  {gas:>10,}" for name, gas in report.items()))
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from ._demo import run_demo

    return run_demo(json_output=getattr(args, "json", False))


def register(sub: Any) -> None:
    p = subparser(sub, "compile", "compile contracts/ (cached) and refresh the shipped artifacts",
                  "portchain compile --no-cache", [COMMON])
    p.add_argument("--no-cache", action="store_true", help="ignore the compile cache under build/")
    p.set_defaults(func=cmd_compile)

    p = subparser(sub, "node", "run a local Anvil (or Ganache) until Ctrl-C",
                  "portchain node --port 8545 --state build/chain.json", [COMMON])
    p.add_argument("--engine", choices=["anvil", "ganache"], default="anvil", help="the local chain (default anvil)")
    p.add_argument("--port", type=int, help="TCP port on 127.0.0.1 (default 8545, or a free one if taken)")
    p.add_argument("--state", help="file (a folder for ganache) to load the chain from and save it to on exit")
    p.set_defaults(func=cmd_node)

    p = subparser(sub, "deploy", "deploy the suite (idempotent, resumable) and write deployments/",
                  "PORTCHAIN_ANVIL_RPC_URL=http://127.0.0.1:8545 portchain deploy --network anvil", [COMMON, NETWORK])
    p.add_argument("--with-token", action="store_true",
                   help="also deploy the SettlementToken faucet on a network that is not local (a local one always "
                        "gets it); not when the network has a settlement token configured")
    p.set_defaults(func=cmd_deploy)

    p = subparser(sub, "networks", "list the networks: built in and from portchain.toml, with where each key and "
                  "RPC URL come from (never their values)", "portchain networks --json", [COMMON])
    p.set_defaults(func=cmd_networks)

    p = subparser(sub, "gas", "gas per operation, measured on a fresh local chain", "portchain gas --json", [COMMON])
    p.set_defaults(func=cmd_gas)

    p = subparser(sub, "demo", "run the flagship trade on a fresh Anvil, print its timeline, write its report",
                  "portchain demo", [COMMON])
    p.set_defaults(func=cmd_demo)
