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
    from ..scenario import load_scenario

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
            _repeat(args, scenario, port)
    return 0


def _repeat(args: argparse.Namespace, scenario: Any, port: Any) -> None:
    """Run the scenario ``--repeat`` times on one chain; the rates count the trades (the steps) only, and the
    onboarding each run needs first is reported apart."""
    from ..scenario import run_scenario

    started = time.perf_counter()
    trade = [0, 0, 0.0]  # transactions, gas, seconds
    onboarding = [0, 0, 0.0]
    per_trade: list[dict[str, Any]] = []
    for done in range(1, args.repeat + 1):
        result = run_scenario(scenario, port, timeline=False)
        per_trade.append({"seconds": round(result.seconds, 4), "blocks": result.blocks,
                          "transactions": result.transactions})
        for totals, counts in ((trade, (result.transactions, result.gas, result.seconds)),
                               (onboarding, (result.setup_transactions, result.setup_gas, result.setup_seconds))):
            for index, value in enumerate(counts):
                totals[index] += value
        _progress(done, args.repeat, started)
    wall = time.perf_counter() - started
    transactions, gas, seconds = int(trade[0]), int(trade[1]), max(trade[2], 1e-9)
    summary = {
        "scenario": scenario.name, "network": port.network.name, "trades": args.repeat,
        "seconds": round(seconds, 3), "tradesPerSecond": round(args.repeat / seconds, 2),
        "transactions": transactions, "transactionsPerSecond": round(transactions / seconds, 1), "totalGas": gas,
        "onboarding": {"transactions": int(onboarding[0]), "gas": int(onboarding[1]),
                       "seconds": round(onboarding[2], 3)},
        "wallSeconds": round(wall, 3),
        "blocks": sum(row["blocks"] for row in per_trade),
        "perTrade": per_trade,
    }
    emit(args, summary,
         f"{args.repeat} trades of {scenario.name} in {seconds:.1f} s: {args.repeat / seconds:.2f} trades/s "
         f"({transactions} transactions in {summary['blocks']} blocks, {transactions / seconds:.0f} tx/s, "
         f"{gas:,} gas); onboarding before them, "
         f"not counted: {int(onboarding[0])} transactions, {int(onboarding[1]):,} gas, {onboarding[2]:.1f} s; "
         f"wall time {wall:.1f} s")


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
            "onboarding": {"transactions": result.setup_transactions, "gas": result.setup_gas},
            "seconds": round(run.wall_seconds, 3), "tradeSeconds": round(result.seconds, 4), "blocks": result.blocks,
            **paths,
            "timeline": [{"step": e.index, "actor": e.actor, "action": e.action, "txHash": e.tx_hash, "gas": e.gas,
                          "block": e.block or None, "state": e.state, "note": e.note} for e in run.timeline],
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
    p.add_argument("--repeat", type=positive_int(), default=1,
                   help="run it N times on one chain and print trades/s (the trades' own transactions and time; the "
                        "onboarding before each is reported apart)")
    p.add_argument("--report", help="write the Markdown + PNG report into this folder")
    p.set_defaults(func=cmd_scenario)
