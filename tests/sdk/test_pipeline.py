"""The pipelined engine against a real node: many transactions in flight per account, batches, refusals, nonce
resync, gas of dependent transactions, receipts a block at a time, and `portchain bench --json`."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import pytest
from eth_account import Account

from portchain import errors
from portchain.cli import main
from portchain.transactions import PendingReceipt, PendingTransaction, TransactionLayer, sign_type2


class CountingProvider:
    """Wraps a layer's provider: every HTTP request, and every JSON-RPC method inside it."""

    def __init__(self, layer: TransactionLayer) -> None:
        self.provider = layer.w3.provider
        self.http = 0
        self.methods: Counter[str] = Counter()
        self.blocks: list[int] = []  # whose receipts were asked for
        single, batch = self.provider.make_request, self.provider.make_batch_request  # type: ignore[attr-defined]

        def make_request(method, params):  # type: ignore[no-untyped-def]
            self.http += 1
            self.methods[method] += 1
            return single(method, params)

        def make_batch_request(calls):  # type: ignore[no-untyped-def]
            self.http += 1
            self.methods.update(method for method, _ in calls)
            self.blocks += [int(params[0], 16) for method, params in calls if method == "eth_getBlockReceipts"]
            return batch(calls)

        self.provider.make_request = make_request  # type: ignore[method-assign]
        self.provider.make_batch_request = make_batch_request  # type: ignore[attr-defined]

    def restore(self) -> None:
        del self.provider.make_request, self.provider.make_batch_request  # the class's methods again

    def reset(self) -> None:
        self.http = 0
        self.methods.clear()
        self.blocks.clear()


@pytest.fixture
def engine(port) -> TransactionLayer:  # type: ignore[no-untyped-def]
    """A layer of its own (its nonce cache and receipts scan start cold) on the test's node."""
    return TransactionLayer(port.layer.rpc_url)


@pytest.fixture
def payer(port, admin):  # type: ignore[no-untyped-def]
    """A fresh account with ether and 1,000,000 token units."""
    account = Account.create()
    port.fund(account.address)
    port.token.mint(account.address, 1_000_000, sender=admin)
    return account


def _transfer(port, to: str, amount: int) -> bytes:  # type: ignore[no-untyped-def]
    return port.token.abi.function("transfer").encode([to, amount])


def _nonce(port, address: str) -> int:  # type: ignore[no-untyped-def]
    return int(port.layer.request("eth_getTransactionCount", [address, "latest"]), 16)


def test_many_transactions_in_flight_from_one_account(port, engine, payer) -> None:  # type: ignore[no-untyped-def]
    to = Account.create().address
    pending = [engine.submit(payer, port.token.address, _transfer(port, to, 1 + i)) for i in range(30)]
    assert all(isinstance(p, PendingTransaction) and p.tx_hash for p in pending)
    receipts = [p.result() for p in pending]
    assert [p.nonce for p in pending] == list(range(30))
    assert [r.tx_hash for r in receipts] == [p.tx_hash for p in pending]
    assert all(int(r.raw["status"], 16) == 1 for r in receipts)
    assert port.token.balance_of(to) == sum(range(1, 31))
    assert _nonce(port, payer.address) == 30


def test_a_refused_transaction_raises_and_nothing_is_sent_for_it(port, engine, payer) -> None:  # type: ignore[no-untyped-def]
    to = Account.create().address
    with pytest.raises(errors.ERC20InsufficientBalance) as info, engine.batch() as batch:
        first = batch.send(payer, port.token.address, _transfer(port, to, 10))
        refused = batch.send(payer, port.token.address, _transfer(port, to, 10**9))
        after = batch.send(payer, port.token.address, _transfer(port, to, 20))
    assert info.value.needed == 10**9
    assert first.result().block_number > 0
    assert refused.tx_hash is None and after.tx_hash is None  # never signed, never sent
    with pytest.raises(errors.TransactionError, match="earlier transaction of the batch was refused"):
        after.result()
    assert port.token.balance_of(to) == 10
    assert _nonce(port, payer.address) == 1
    # outside a batch, submit refuses at once
    with pytest.raises(errors.ERC20InsufficientBalance):
        engine.submit(payer, port.token.address, _transfer(port, to, 10**9))
    assert _nonce(port, payer.address) == 1


def test_a_mined_revert_is_decoded(port, engine, payer) -> None:  # type: ignore[no-untyped-def]
    # Explicit gas skips the pre-flight check: the refusal is mined, and replayed to learn why.
    pending = engine.submit(payer, port.token.address, _transfer(port, Account.create().address, 10**9), gas=100_000)
    with pytest.raises(errors.ERC20InsufficientBalance):
        pending.result()


def test_a_nonce_collision_resynchronises(port, engine, payer) -> None:  # type: ignore[no-untyped-def]
    to = Account.create().address
    engine.submit(payer, port.token.address, _transfer(port, to, 1)).result()  # warms the nonce cache at 1
    TransactionLayer(port.layer.rpc_url).send(payer, port.token.address, _transfer(port, to, 1))  # takes nonce 1
    pending = [engine.submit(payer, port.token.address, _transfer(port, to, 1)) for _ in range(5)]
    assert pending[0].nonce == 1  # stale: the node refuses it, the engine re-signs it with the chain's nonce
    for p in pending:
        p.result()
    assert sorted(p.nonce for p in pending if p.nonce is not None) == [2, 3, 4, 5, 6]
    assert port.token.balance_of(to) == 7
    assert _nonce(port, payer.address) == 7


def test_dependent_transactions_in_one_batch_estimate_after_their_dependency(port, admin) -> None:  # type: ignore[no-untyped-def]
    # The transfer's estimate before the mint is mined fails (ERC20InsufficientBalance): the engine sends the mint,
    # waits for its receipt and estimates the transfer again, instead of refusing it.
    holder, to = Account.create(), Account.create().address
    port.fund(holder.address)
    counting = CountingProvider(port.layer)
    try:
        with port.batch():
            minted = port.token.mint(holder.address, 500, sender=admin)
            moved = port.token.transfer(to, 400, sender=holder)
            assert isinstance(moved, PendingReceipt)
    finally:
        counting.restore()
    assert counting.methods["eth_estimateGas"] == 3  # mint and transfer together, then the transfer again
    assert moved.block_number > minted.block_number
    assert [e.name for e in port.token.events(moved)] == ["Transfer"]
    assert port.token.balance_of(to) == 400


def test_a_dependent_submit_waits_for_its_dependency(port, engine, admin) -> None:  # type: ignore[no-untyped-def]
    holder, to = Account.create(), Account.create().address
    port.fund(holder.address)
    counting = CountingProvider(engine)
    mint = engine.submit(admin, port.token.address, port.token.abi.function("mint").encode([holder.address, 300]))
    assert not mint.done()  # signed and queued, not sent yet
    moved = engine.submit(holder, port.token.address, _transfer(port, to, 300))  # estimated once the mint is mined
    assert mint.done()
    assert counting.methods["eth_estimateGas"] == 3
    assert moved.result().block_number > mint.result().block_number
    assert port.token.balance_of(to) == 300


def test_receipts_are_collected_per_block_not_polled_per_transaction(port, engine, payer) -> None:  # type: ignore[no-untyped-def]
    counting = CountingProvider(engine)
    to = Account.create().address
    engine.submit(payer, port.token.address, _transfer(port, to, 1)).result()  # warm: chain id, fees, nonce
    counting.reset()
    with engine.batch() as batch:
        for i in range(40):
            batch.send(payer, port.token.address, _transfer(port, to, 1 + i))
    assert all(p.done() for p in batch.transactions)
    assert counting.methods["eth_getTransactionReceipt"] == 0
    assert counting.methods["eth_estimateGas"] == 40 and counting.methods["eth_sendRawTransaction"] == 40
    blocks = {p.result().block_number for p in batch.transactions}
    # each block's receipts fetched once, whatever number of transactions it holds
    assert blocks <= set(counting.blocks) and len(counting.blocks) == len(set(counting.blocks))
    # one HTTP request for the estimates, one for the sends, then per look at the chain's head (backing off while
    # the node mines) one for the number and at most one for the new blocks' receipts
    assert counting.http <= 2 + 2 * counting.methods["eth_blockNumber"], counting.methods
    assert counting.http < 40, counting.methods
    # the sequential send: three round trips per transaction at least
    counting.reset()
    for i in range(5):
        engine.send(payer, port.token.address, _transfer(port, to, 1 + i))
    assert counting.http >= 15


def test_bench_json_shape(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bench", "--json", "--transfers", "5", "--rounds", "1"]) == 0
    report: dict[str, Any] = json.loads(capsys.readouterr().out)
    assert report["transfersPerRound"] == 5 and report["rounds"] == 1
    modes = {"sequential", "pipelined", "raw"}
    assert set(report["txPerSecond"]) == modes and set(report["roundsTxPerSecond"]) == modes
    assert all(rate > 0 for rate in report["txPerSecond"].values())
    assert report["pipelinedOverRaw"] > 0 and report["signingTimed"]["raw"] is False
    assert "tradesPerSecond" in report["notMeasured"]


def test_an_exception_inside_a_batch_sends_nothing(port, engine, payer) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(RuntimeError, match="changed my mind"), engine.batch() as batch:
        queued = batch.send(payer, port.token.address, _transfer(port, Account.create().address, 1))
        raise RuntimeError("changed my mind")
    with pytest.raises(errors.TransactionError, match="not sent"):
        queued.result()
    assert _nonce(port, payer.address) == 0


def test_a_node_without_block_receipts_gets_batched_receipt_queries(port, engine, payer) -> None:  # type: ignore[no-untyped-def]
    provider: Any = engine.w3.provider
    batch = provider.make_batch_request

    def without_block_receipts(calls):  # type: ignore[no-untyped-def]
        answers = batch(calls)
        return [
            {"jsonrpc": "2.0", "id": a["id"], "error": {"code": -32601, "message": "the method does not exist"}}
            if method == "eth_getBlockReceipts" else a
            for (method, _), a in zip(calls, answers, strict=True)
        ]

    provider.make_batch_request = without_block_receipts
    counting = CountingProvider(engine)
    to = Account.create().address
    pending = [engine.submit(payer, port.token.address, _transfer(port, to, 1)) for _ in range(20)]
    assert all(p.result().block_number for p in pending)
    assert port.token.balance_of(to) == 20
    assert counting.methods["eth_getBlockReceipts"] <= 100  # one batch of them answered "no such method"
    assert counting.methods["eth_getTransactionReceipt"] >= 20


@pytest.mark.parametrize(
    "to, data, value",
    [
        ("0x5FbDB2315678afecb367f032d93F642f64180aa3", bytes.fromhex("a9059cbb") + bytes(64), 0),
        ("0x5FbDB2315678afecb367f032d93F642f64180aa3", b"", 10**18),
        (None, bytes(range(256)) * 3, 0),  # a contract creation with long code
        ("0x0000000000000000000000000000000000000001", b"\x01", 1),
    ],
    ids=["call", "ether", "creation", "one-byte"],
)
def test_the_fast_signer_signs_what_eth_account_signs(to, data, value) -> None:  # type: ignore[no-untyped-def]
    account = Account.create()
    for nonce in (0, 1, 127, 128, 2**40):
        tx: dict[str, Any] = {"type": 2, "chainId": 31337, "nonce": nonce, "gas": 1_234_567, "value": value,
                              "maxFeePerGas": 3 * 10**9 + 7, "maxPriorityFeePerGas": 10**9, "data": data}
        if to is not None:
            tx["to"] = to
        assert sign_type2(account, tx) == bytes(account.sign_transaction(tx).raw_transaction)  # type: ignore[arg-type]
