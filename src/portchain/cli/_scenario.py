"""portchain scenario run FILE [--network NAME] [--repeat N]: scripted trades through the public SDK."""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from ._common import COMMON, NETWORK, emit, group, positive_int, subparser


def _progress(done: int, total: int, started: float) -> None:
    width = 30
    filled = int(width * done / total)
    elapsed = time.perf_counter() - started
    rate = done / elapsed if elapsed > 0 else 0.0
    sys.stderr.write(f"\r[{'#' * filled}{'-' * (width - filled)}] {done}/{total}  {rate:.1f} trades/s")
    if done == total:
        sys.stderr.write("\n")
    sys.stderr.flush()


def cmd_scenario(args: argparse.Namespace) -> int:
    from ..config import get_network
    from ..port import connect
    from ..scenario import load_scenario, run_scenario

    scenario = load_scenario(args.file)  # refuses a bad file before anything is sent
    if args.report:
        report_dir = Path(args.report)
        if report_dir.exists() and not report_dir.is_dir():
            from ..errors import InputError

            raise InputError(f"--report {report_dir} is a file, not a folder")
    network = get_network(args.network, rpc_url=args.rpc_url)
    rpc_url = network.rpc_url
    with tempfile.TemporaryDirectory() as records:
        if rpc_url is None:  # no node configured: a fresh local chain for this run
            port = connect(network.name, deployments_dir=records, fresh_node=True)
            port.deploy()
        else:
            port = connect(network.name, rpc_url=rpc_url, deployments_dir=args.deployments)
        with port:
            if args.repeat == 1:
                return _single(args, scenario, port)
            started = time.perf_counter()
            transactions = 0
            gas = 0
            for done in range(1, args.repeat + 1):
                counter = _Counter(port)
                try:
                    run_scenario(scenario, port, timeline=False)
                finally:
                    counter.detach()
                transactions += counter.count
                gas += counter.gas
                _progress(done, args.repeat, started)
            wall = time.perf_counter() - started
            summary = {
                "scenario": scenario.name, "network": port.network.name, "trades": args.repeat,
                "seconds": round(wall, 3), "tradesPerSecond": round(args.repeat / wall, 2),
                "transactions": transactions, "transactionsPerSecond": round(transactions / wall, 1), "totalGas": gas,
            }
            emit(args, summary,
                 f"{args.repeat} trades of {scenario.name} in {wall:.1f} s: {args.repeat / wall:.2f} trades/s "
                 f"({transactions} transactions, {transactions / wall:.0f} tx/s, {gas:,} gas)")
    return 0


class _Counter:
    """Counts the transactions and gas of a run by watching the transaction layer's receipts."""

    def __init__(self, port: Any) -> None:
        self.layer = port.layer
        self.count = 0
        self.gas = 0
        self._send = self.layer.send

        def counting_send(*a: Any, **k: Any) -> Any:
            receipt = self._send(*a, **k)
            self.count += 1
            self.gas += receipt.gas_used
            return receipt

        self.layer.send = counting_send

    def detach(self) -> None:
        del self.layer.send


def _single(args: argparse.Namespace, scenario: Any, port: Any) -> int:
    from ..report import format_timeline
    from ..scenario import run_scenario

    result = run_scenario(scenario, port)
    run = result.run
    paths: dict[str, str] = {}
    if args.report:
        from ..report import write_report

        markdown, picture = write_report(run, Path(args.report))
        paths = {"report": str(markdown), "picture": str(picture)}
    if getattr(args, "json", False):
        print(json.dumps({
            "scenario": scenario.name, "network": run.network, "steps": len(run.timeline),
            "transactions": run.transactions, "totalGas": run.total_gas, "refusals": result.refusals,
            "seconds": round(run.wall_seconds, 3), **paths,
            "timeline": [{"step": e.index, "actor": e.actor, "action": e.action, "txHash": e.tx_hash, "gas": e.gas,
                          "state": e.state, "note": e.note} for e in run.timeline],
        }, indent=2))
    else:
        print(f"{scenario.title}\n")
        print(format_timeline(run))
        for kind, path in paths.items():
            print(f"{kind}: {path}")
    return 0


def register(sub: Any) -> None:
    actions = group(sub, "scenario", "run scripted trade scenarios (YAML)",
                    "portchain scenario run scripts/scenarios/flagship.yaml --repeat 20")
    p = subparser(actions, "run", "run a scenario through the SDK (a fresh local Anvil unless a node is configured)",
                  "portchain scenario run scripts/scenarios/flagship.yaml --repeat 20", [COMMON, NETWORK])
    p.add_argument("file", help="scenario YAML file (see scripts/scenarios/)")
    p.add_argument("--repeat", type=positive_int(), default=1, help="run it N times on one chain and print trades/s")
    p.add_argument("--report", help="write the Markdown + PNG report into this folder")
    p.set_defaults(func=cmd_scenario)
