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
    from ..node import AnvilNode

    node = AnvilNode.start(port=args.port or _default_port(), state=args.state)
    stop = {"now": False}

    def _stop(*_: Any) -> None:
        stop["now"] = True

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    emit(
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
    if not getattr(args, "json", False):
        print("anvil stopped" + (f"; chain saved to {node.state}" if node.state else ""))
    return 0


def cmd_deploy(args: argparse.Namespace) -> int:
    with connect_persistent(args) as port:
        result = port.deploy(log=progress(args))
        records = {name: record["address"] for name, record in result.records.items()}
        emit(
            args,
            {"network": port.network.name, "chainId": port.layer.chain_id, "contracts": records,
             "deployed": result.deployed, "reused": result.reused},
            f"{port.network.name} (chain {port.layer.chain_id}): {len(result.deployed)} deployed, "
            f"{len(result.reused)} reused; records in {port.deployments_dir / port.network.name}",
        )
    return 0


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

    p = subparser(sub, "node", "run a local Anvil until Ctrl-C",
                  "portchain node --port 8545 --state build/chain.json", [COMMON])
    p.add_argument("--port", type=int, help="TCP port on 127.0.0.1 (default 8545, or a free one if taken)")
    p.add_argument("--state", help="file to load the chain from and save it to on exit")
    p.set_defaults(func=cmd_node)

    p = subparser(sub, "deploy", "deploy the suite (idempotent) and write deployments/",
                  "PORTCHAIN_ANVIL_RPC_URL=http://127.0.0.1:8545 portchain deploy --network anvil", [COMMON, NETWORK])
    p.set_defaults(func=cmd_deploy)

    p = subparser(sub, "gas", "gas per operation, measured on a fresh local chain", "portchain gas --json", [COMMON])
    p.set_defaults(func=cmd_gas)

    p = subparser(sub, "demo", "run the flagship trade on a fresh Anvil, print its timeline, write its report",
                  "portchain demo", [COMMON])
    p.set_defaults(func=cmd_demo)
