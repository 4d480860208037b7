"""``portchain bench``: confirmed transactions per second on one fresh Anvil, in the same run.

Three ways of sending the same settlement-token transfers, in alternating rounds:

* ``sequential``: the SDK's normal send (estimate, sign, send, wait for the receipt, then the next);
* ``pipelined``: the same client calls inside ``with layer.batch()`` (estimates, sends and receipts in JSON-RPC
  batches, receipts a block at a time), signing timed;
* ``raw``: the node's ceiling for this client: transfers signed before the clock starts, sent in JSON-RPC batches of
  100; once the last one is mined, every receipt fetched in batches of 100.

The figure to watch is ``pipelined / raw``: the share of what the node can take that the SDK reaches.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from collections.abc import Callable
from typing import Any

from eth_account import Account
from eth_typing import HexStr

from .._abi import ContractABI
from .._artifacts import load_artifact
from ..clients.settlement_token import TokenClient
from ..config import dev_account
from ..errors import TransactionError
from ..node import AnvilNode
from ..transactions import TransactionLayer
from ._common import COMMON, subparser

MODES = ("sequential", "pipelined", "raw")
RAW_BATCH = 100
RAW_GAS = 100_000


class _Bench:
    """One fresh chain with the settlement token, a sender per mode, and recipients already holding tokens."""

    def __init__(self, rpc_url: str, transfers: int, recipients: int) -> None:
        self.layer = TransactionLayer(rpc_url)
        self.transfers = transfers
        admin = dev_account(0)
        abi = ContractABI(load_artifact("SettlementToken")["abi"])
        code = bytes.fromhex(load_artifact("SettlementToken")["bytecode"][2:])
        created = self.layer.send(admin, None, code + abi.encode_constructor(["Bench USD", "bUSD", admin.address]))
        assert created.contract_address is not None
        self.token = TokenClient(self.layer, created.contract_address)
        self.senders = {mode: dev_account(index) for index, mode in enumerate(MODES, start=1)}
        self.recipients: list[str] = [str(Account.create().address) for _ in range(recipients)]
        with self.layer.batch():
            for sender in self.senders.values():
                self.token.mint(sender.address, 10**30, sender=admin)
            for recipient in self.recipients:  # so no mode pays for a first balance slot
                self.token.mint(recipient, 1, sender=admin)

    def _to(self, index: int) -> str:
        return self.recipients[index % len(self.recipients)]

    def sequential(self) -> float:
        sender = self.senders["sequential"]
        started = time.perf_counter()
        for i in range(self.transfers):
            self.token.transfer(self._to(i), 1, sender=sender)
        return time.perf_counter() - started

    def pipelined(self) -> float:
        sender = self.senders["pipelined"]
        started = time.perf_counter()
        with self.layer.batch():
            for i in range(self.transfers):
                self.token.transfer(self._to(i), 1, sender=sender)
        return time.perf_counter() - started

    def raw(self) -> float:
        """Pre-signed transfers (signing not timed), sent and their receipts fetched in batches of 100."""
        sender = self.senders["raw"]
        layer = self.layer
        nonce = int(layer.request("eth_getTransactionCount", [sender.address, "pending"]), 16)
        fee = 2 * int(layer.request("eth_getBlockByNumber", ["latest", False])["baseFeePerGas"], 16) + 10**9
        transfer = self.token.abi.function("transfer")
        raws, hashes = [], []
        for i in range(self.transfers):
            signed = sender.sign_transaction({
                "type": 2, "chainId": layer.chain_id, "nonce": nonce + i, "gas": RAW_GAS, "maxFeePerGas": fee,
                "maxPriorityFeePerGas": 10**9, "to": HexStr(self.token.address), "value": 0,
                "data": transfer.encode([self._to(i), 1]),
            })
            raws.append("0x" + bytes(signed.raw_transaction).hex())
            hashes.append("0x" + bytes(signed.hash).hex())
        started = time.perf_counter()
        for start in range(0, len(raws), RAW_BATCH):
            answers = layer.batch_request([("eth_sendRawTransaction", [r]) for r in raws[start : start + RAW_BATCH]])
            _check(answers)
        # One sender: once the last nonce is mined, all are. Wait for it, then fetch every receipt in batches.
        pause = 0.001
        while layer.request("eth_getTransactionReceipt", [hashes[-1]]) is None:
            time.sleep(pause)
            pause = min(pause * 2, 0.02)
        for start in range(0, len(hashes), RAW_BATCH):
            chunk = hashes[start : start + RAW_BATCH]
            answers = layer.batch_request([("eth_getTransactionReceipt", [h]) for h in chunk])
            if not all(a.get("result") for a in answers):
                raise TransactionError("a raw transfer has no receipt though a later nonce was mined")
        return time.perf_counter() - started


def _check(answers: list[dict[str, Any]]) -> None:
    refused = [a["error"] for a in answers if "error" in a]
    if refused:
        raise TransactionError(f"the node refused {len(refused)} raw transfers: {refused[0]}")


def _load() -> float | None:
    try:
        return round(os.getloadavg()[0], 2)
    except OSError:
        return None


def run_bench(transfers: int, rounds: int, recipients: int = 16) -> dict[str, Any]:
    """Measure the three modes on one fresh Anvil; returns the report (see ``portchain bench --json``)."""
    load_before = _load()
    started = time.perf_counter()
    with AnvilNode.start() as node:
        bench = _Bench(node.rpc_url, transfers, recipients)
        runs: dict[str, Callable[[], float]] = {"sequential": bench.sequential, "pipelined": bench.pipelined,
                                                 "raw": bench.raw}
        seconds: dict[str, list[float]] = {mode: [] for mode in MODES}
        for _ in range(rounds):
            for mode in MODES:
                seconds[mode].append(runs[mode]())
    rates = {mode: transfers * rounds / sum(seconds[mode]) for mode in MODES}
    return {
        "node": "anvil (fresh, automine)",
        "transfersPerRound": transfers,
        "rounds": rounds,
        "txPerSecond": {mode: round(rate, 1) for mode, rate in rates.items()},
        "roundsTxPerSecond": {mode: [round(transfers / s, 1) for s in seconds[mode]] for mode in MODES},
        "pipelinedOverRaw": round(rates["pipelined"] / rates["raw"], 3),
        "sequentialOverRaw": round(rates["sequential"] / rates["raw"], 3),
        "signingTimed": {"sequential": True, "pipelined": True, "raw": False},
        "notMeasured": ["tradesPerSecond", "blocksPerFlagshipTrade"],
        "loadAverage": {"before": load_before, "after": _load()},
        "cpus": os.cpu_count(),
        "seconds": round(time.perf_counter() - started, 2),
    }


def cmd_bench(args: argparse.Namespace) -> int:
    report = run_bench(args.transfers, args.rounds)
    if getattr(args, "json", False):
        print(json.dumps(report, indent=2))
        return 0
    rates, per_round = report["txPerSecond"], report["roundsTxPerSecond"]
    lines = [f"{report['rounds']} alternating rounds of {report['transfersPerRound']} token transfers on a fresh "
             f"Anvil ({report['seconds']} s, load {report['loadAverage']['before']} on {report['cpus']} CPUs)",
             f"{'mode':<12} {'tx/s':>9}  rounds"]
    for mode in MODES:
        rounds = ", ".join(f"{r:,.0f}" for r in per_round[mode])
        lines.append(f"{mode:<12} {rates[mode]:>9,.1f}  {rounds}")
    lines.append(f"pipelined / raw ceiling: {report['pipelinedOverRaw']:.0%} "
                 f"(sequential / raw: {report['sequentialOverRaw']:.0%}); raw excludes signing")
    print("\n".join(lines))
    return 0


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def register(sub: Any) -> None:
    p = subparser(sub, "bench", "confirmed tx/s on a fresh Anvil: the SDK sequential, the SDK pipelined, and the "
                  "node's raw ceiling (pre-signed, JSON-RPC batches)", "portchain bench --json", [COMMON])
    p.add_argument("--transfers", type=_positive, default=400, help="token transfers per mode and round (default 400)")
    p.add_argument("--rounds", type=_positive, default=3, help="alternating rounds (default 3)")
    p.set_defaults(func=cmd_bench)
