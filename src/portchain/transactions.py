"""The one transaction layer every SDK client goes through.

Local signing (eth-account, coincurve-backed), a nonce cache per account, explicit gas (an estimate that doubles
as a pre-flight check, so a refused call never reaches the chain), receipts, and every revert decoded into a typed
exception from :mod:`portchain.errors`. It speaks raw JSON-RPC through web3.py's provider: three round trips per
transaction (estimate, send, receipt), with the chain id and fees cached.

:meth:`TransactionLayer.send` sends one transaction and waits for it. The pipelined engine keeps many in flight:
:meth:`TransactionLayer.submit` (estimated and signed at once, sent in JSON-RPC batches) and
:meth:`TransactionLayer.batch` (queued, then estimated, signed and sent together) return
:class:`PendingTransaction` futures; receipts are collected a block at a time (``eth_getBlockReceipts``, else
batched ``eth_getTransactionReceipt``), never polled one transaction at a time.

Gas of a transaction that depends on one still in flight: the estimate runs against the ``pending`` block while
anything is in flight (a node with a mempool counts what is waiting there), and an estimate that fails while
transactions sent or queued before it are not yet mined is not believed: the engine sends those, waits for their
receipts, and estimates again. Only an estimate that fails with nothing ahead of it in flight is a refusal, raised
before anything is sent for that transaction (and, in a batch, for the transactions queued after it).
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from eth_account.signers.local import LocalAccount
from eth_account.types import TransactionDictType
from eth_hash.auto import keccak
from eth_keys.datatypes import PrivateKey
from eth_typing import HexStr
from eth_utils.address import to_checksum_address
from web3 import HTTPProvider, Web3
from web3.types import RPCEndpoint

from ._revert import decode_revert
from .errors import ChainConnectionError, ContractError, PortchainError, TransactionError

if TYPE_CHECKING:
    from .journal import Reconciled, TransactionJournal

GAS_MARGIN = 1.2
FEE_TTL_SECONDS = 12.0
BATCH_SIZE = 100  # JSON-RPC calls per HTTP request of the pipelined engine
SWEEP_AFTER = 2.0  # poll intervals (at least seconds) with nothing settled before asking each receipt in flight


# --------------------------------------------------------------------------------------------------------------
# Receipts
# --------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Receipt:
    """A mined, successful transaction."""

    tx_hash: str
    block_number: int
    gas_used: int
    contract_address: str | None
    logs: list[dict[str, Any]] = field(repr=False)
    raw: dict[str, Any] = field(repr=False)

    @classmethod
    def of(cls, raw: dict[str, Any]) -> Receipt:
        """The receipt of a node's ``eth_getTransactionReceipt`` answer."""
        created = raw.get("contractAddress")
        return cls(
            tx_hash=raw["transactionHash"],
            block_number=int(raw["blockNumber"], 16),
            gas_used=int(raw["gasUsed"], 16),
            contract_address=to_checksum_address(created) if created else None,
            logs=raw["logs"],
            raw=raw,
        )


class PendingTransaction:
    """A transaction handed to the pipelined engine: a future of its :class:`Receipt`.

    ``tx_hash`` and ``nonce`` are known once it is signed (at once for :meth:`TransactionLayer.submit`, when its
    batch is dispatched for :meth:`TransactionLayer.batch`); :meth:`result` sends whatever is still queued, waits
    for the receipt and returns it, or raises the decoded refusal or revert."""

    def __init__(
        self, layer: TransactionLayer, sender: LocalAccount, to: str | None, data: bytes, value: int, gas: int | None
    ) -> None:
        self.layer = layer
        self.sender = sender
        self.to = to
        self.data = data
        self.value = value
        self.gas = gas  # as the caller gave it (None: estimated)
        self.nonce: int | None = None
        self.tx_hash: str | None = None
        self._raw: str | None = None
        self._resigned = False
        self._receipt: Receipt | None = None
        self._error: PortchainError | None = None

    def __repr__(self) -> str:
        state = "mined" if self._receipt else "failed" if self._error else "sent" if self.tx_hash else "queued"
        return f"PendingTransaction({self.sender.address} nonce={self.nonce} {state} {self.tx_hash or ''})".strip()

    def done(self) -> bool:
        """Whether it has a receipt or failed."""
        return self._receipt is not None or self._error is not None

    def result(self, timeout: float = 300.0) -> Receipt:
        """Wait for the receipt (sending anything still queued first); a refusal or a mined revert raises."""
        if not self.done():
            self.layer.wait_for([self], timeout)
        if self._error is not None:
            raise self._error
        assert self._receipt is not None
        return self._receipt

    def exception(self, timeout: float = 300.0) -> PortchainError | None:
        """The error :meth:`result` would raise, or None once mined successfully."""
        try:
            self.result(timeout)
        except PortchainError as exc:
            return exc
        return None

    def call_object(self) -> dict[str, Any]:
        """The transaction as ``eth_estimateGas`` and ``eth_call`` take it."""
        tx: dict[str, Any] = {"from": self.sender.address, "data": "0x" + self.data.hex(), "value": hex(self.value)}
        if self.to is not None:
            tx["to"] = self.to
        return tx

    def _fail(self, error: PortchainError) -> None:
        self._error = error


class PendingReceipt(Receipt):
    """What a contract client's send returns inside :meth:`TransactionLayer.batch`: a :class:`Receipt` whose fields
    wait for the transaction when first read (reading one sends what the batch queued so far). ``pending`` is the
    :class:`PendingTransaction`."""

    pending: PendingTransaction

    def __init__(self, pending: PendingTransaction) -> None:  # noqa: D107 - not the dataclass's fields
        object.__setattr__(self, "pending", pending)

    def __getattr__(self, name: str) -> Any:
        if name == "pending" or name.startswith("__"):  # copy, pickle and friends probe for dunders
            raise AttributeError(name)
        return getattr(self.pending.result(), name)

    def __repr__(self) -> str:
        return f"PendingReceipt({self.pending!r})"


_BATCH: ContextVar[Batch | None] = ContextVar("portchain_batch", default=None)


class Batch:
    """Transactions queued by :meth:`TransactionLayer.batch`: estimated, signed and sent together when the ``with``
    block ends (or when something needs a result first), then waited for.

    They behave like the same sends in order: each is estimated against the state its predecessors leave (see the
    module's note on dependent gas), and the first refusal stops the batch there: nothing is sent for it or for
    the transactions queued after it, and leaving the block raises it once those before it are mined."""

    def __init__(self, layer: TransactionLayer) -> None:
        self.layer = layer
        self.transactions: list[PendingTransaction] = []
        self._queue: list[PendingTransaction] = []

    def send(
        self, sender: LocalAccount, to: str | None, data: bytes, *, value: int = 0, gas: int | None = None
    ) -> PendingTransaction:
        """Queue a transaction (nothing is asked of the node yet)."""
        pending = PendingTransaction(self.layer, sender, to, data, value, gas)
        self._queue.append(pending)
        self.transactions.append(pending)
        return pending

    def dispatch(self) -> None:
        """Estimate, sign and send everything queued (estimates and sends in JSON-RPC batches)."""
        queue, self._queue = self._queue, []
        layer = self.layer
        while queue:
            refused, error = layer._estimate_all(queue)
            for pending in queue[:refused]:
                layer._queue_signed(pending)
            layer.flush()
            if error is None:
                return
            queue = queue[refused:]
            if layer._inflight:  # perhaps a dependency not yet mined: estimate again once it is
                layer.wait_for(list(layer._inflight.values()))
                continue
            queue[0]._fail(error)
            for pending in queue[1:]:
                pending._fail(TransactionError("not sent: an earlier transaction of the batch was refused"))
            return

    def wait(self, timeout: float = 300.0) -> list[Receipt]:
        """Dispatch, wait for every transaction, and return their receipts (the first failure raises)."""
        self.dispatch()
        self.layer.wait_for(self.transactions, timeout)
        return [pending.result() for pending in self.transactions]


# --------------------------------------------------------------------------------------------------------------
# Signing
# --------------------------------------------------------------------------------------------------------------


def _rlp(item: int | bytes | list[Any]) -> bytes:
    """Recursive-length-prefix encoding of integers (big-endian, no leading zeros), byte strings and lists."""
    if isinstance(item, list):
        payload = b"".join(_rlp(element) for element in item)
        return _rlp_length(len(payload), 0xC0) + payload
    if isinstance(item, int):
        item = item.to_bytes((item.bit_length() + 7) // 8, "big")
    if len(item) == 1 and item[0] < 0x80:
        return item
    return _rlp_length(len(item), 0x80) + item


def _rlp_length(length: int, offset: int) -> bytes:
    if length < 56:
        return bytes([offset + length])
    encoded = length.to_bytes((length.bit_length() + 7) // 8, "big")
    return bytes([offset + 55 + len(encoded)]) + encoded


def sign_type2(sender: LocalAccount, tx: TransactionDictType) -> bytes:
    """The signed raw bytes of EIP-1559 transaction ``tx`` (the dict :meth:`TransactionLayer.send` signs, with its
    nonce): the same bytes as ``sender.sign_transaction(tx)`` (RFC 6979 signatures are deterministic) without
    eth-account's validation and dict handling, which take most of its ~0.8 ms; the ECDSA itself is coincurve's."""
    to = tx.get("to")
    data: Any = tx["data"]
    fields: list[Any] = [
        tx["chainId"], tx["nonce"], tx["maxPriorityFeePerGas"], tx["maxFeePerGas"], tx["gas"],
        bytes.fromhex(str(to)[2:]) if to else b"", tx["value"],
        bytes.fromhex(data[2:]) if isinstance(data, str) else bytes(data), [],
    ]
    signature = PrivateKey(bytes(sender.key)).sign_msg_hash(keccak(b"\x02" + _rlp(fields)))
    return b"\x02" + _rlp([*fields, signature.v, signature.r, signature.s])


# --------------------------------------------------------------------------------------------------------------
# The layer
# --------------------------------------------------------------------------------------------------------------


class TransactionLayer:
    """Signs locally, caches nonces and fees, sends, waits for receipts and decodes reverts.

    Not thread-safe: one layer per thread (the pipelined engine keeps many transactions in flight without threads).
    """

    def __init__(self, rpc_url: str, *, confirmations: int = 0, poll_interval: float | None = None) -> None:
        self.rpc_url = rpc_url
        self.w3 = Web3(HTTPProvider(rpc_url, request_kwargs={"timeout": 60}))
        self.confirmations = confirmations
        local = rpc_url.startswith(("http://127.0.0.1", "http://localhost"))
        self.poll_interval = poll_interval if poll_interval is not None else (0.02 if local else 1.0)
        self._ids = itertools.count(1)
        self._nonces: dict[str, int] = {}
        self.journal: TransactionJournal | None = None  # see use_journal
        self._fees: tuple[float, int, int] | None = None
        self._chain_id: int | None = None
        self.last_receipt: Receipt | None = None
        # the pipelined engine
        self.batch_size = BATCH_SIZE
        self._outbox: list[PendingTransaction] = []  # signed, not yet sent
        self._inflight: dict[str, PendingTransaction] = {}  # sent, no receipt yet, by transaction hash
        self._scanned: int | None = None  # the last block whose receipts were collected
        self._block_receipts = True  # whether the node answers eth_getBlockReceipts

    # -- raw JSON-RPC ----------------------------------------------------------------------------------------

    def host(self) -> str:
        """The endpoint's host for messages (never its path or query, which may carry an API key)."""
        from .config import safe_host

        return safe_host(self.rpc_url)

    def request(self, method: str, params: list[Any]) -> Any:
        """One JSON-RPC call; an RPC error comes back as a TransactionError, a dead endpoint as ChainConnectionError."""
        response = self.raw_request(method, params)
        if "error" in response:
            raise TransactionError(f"{method} failed: {response['error'].get('message', response['error'])}")
        return response["result"]

    def raw_request(self, method: str, params: list[Any]) -> dict[str, Any]:
        try:
            return dict(self.w3.provider.make_request(RPCEndpoint(method), params))
        except Exception as exc:
            self._transport_error(exc)

    def batch_request(self, calls: Sequence[tuple[str, list[Any]]]) -> list[dict[str, Any]]:
        """Several JSON-RPC calls in one HTTP request (a JSON array); the answers in the calls' order, each a
        response object (``result`` or ``error``)."""
        if not calls:
            return []
        try:
            provider: Any = self.w3.provider
            answers = provider.make_batch_request([(RPCEndpoint(method), params) for method, params in calls])
        except Exception as exc:
            self._transport_error(exc)
        if not isinstance(answers, list) or len(answers) != len(calls):
            error = answers.get("error", answers) if isinstance(answers, dict) else answers
            raise TransactionError(f"the node refused a JSON-RPC batch of {len(calls)} calls: {error}")
        return [dict(answer) for answer in answers]

    def _transport_error(self, exc: Exception) -> NoReturn:
        if isinstance(exc, ValueError):  # an HTML error page, a proxy's answer: not JSON-RPC
            raise ChainConnectionError(f"the endpoint at {self.host()} did not answer JSON-RPC") from None
        if isinstance(exc, OSError):
            status = getattr(getattr(exc, "response", None), "status_code", None)
            if status is not None:
                raise ChainConnectionError(f"the RPC endpoint at {self.host()} answered HTTP {status}") from None
            raise self._unreachable(exc) from None
        # requests' exceptions are OSError subclasses; anything else is a bad answer
        if "Connection" in exc.__class__.__name__ or "Timeout" in exc.__class__.__name__:
            raise self._unreachable(exc) from None
        raise exc

    def _unreachable(self, exc: Exception) -> ChainConnectionError:
        return ChainConnectionError(f"cannot reach the RPC endpoint at {self.host()}: {exc.__class__.__name__}")

    @property
    def chain_id(self) -> int:
        if self._chain_id is None:
            self._chain_id = int(self.request("eth_chainId", []), 16)
        return self._chain_id

    # -- reads -----------------------------------------------------------------------------------------------

    def call(self, to: str, data: bytes, *, sender: str | None = None, block: str = "latest") -> bytes:
        """``eth_call``; a revert raises its decoded exception."""
        tx: dict[str, Any] = {"to": to, "data": "0x" + data.hex()}
        if sender:
            tx["from"] = sender
        response = self.raw_request("eth_call", [tx, block])
        if "error" in response:
            raise self._revert_from(response["error"], "eth_call")
        return bytes.fromhex(response["result"][2:])

    def block_timestamp(self) -> int:
        """The chain's time: the latest block's timestamp (a local chain's clock may run ahead of the wall's)."""
        return int(self.request("eth_getBlockByNumber", ["latest", False])["timestamp"], 16)

    def get_code(self, address: str) -> bytes:
        return bytes.fromhex(self.request("eth_getCode", [address, "latest"])[2:])

    def get_logs(
        self, address: str, topics: list[Any], from_block: int, to_block: int | str = "latest"
    ) -> list[dict[str, Any]]:
        to = hex(to_block) if isinstance(to_block, int) else to_block
        query = {"address": address, "topics": topics, "fromBlock": hex(from_block), "toBlock": to}
        return list(self.request("eth_getLogs", [query]))

    # -- writes ----------------------------------------------------------------------------------------------

    def send(
        self,
        sender: LocalAccount,
        to: str | None,
        data: bytes,
        *,
        value: int = 0,
        gas: int | None = None,
    ) -> Receipt:
        """Sign and send a transaction from ``sender``, wait for its receipt, and return it.

        A call the chain would refuse raises its decoded exception before anything is sent. Transactions the
        pipelined engine signed but has not sent yet are sent first (their nonces come before this one's).
        """
        if self._outbox:
            self.flush()
        tx: dict[str, Any] = {"from": sender.address, "data": "0x" + data.hex(), "value": hex(value)}
        if to is not None:
            tx["to"] = to
        if gas is None:
            response = self.raw_request("eth_estimateGas", [tx])
            if "error" in response:
                raise self._revert_from(response["error"], "estimate")
            gas = int(int(response["result"], 16) * GAS_MARGIN)
        unsigned = self._unsigned(to, data, value, gas)
        for attempt in (1, 2):
            nonce = self._next_nonce(sender.address)
            unsigned["nonce"] = nonce
            signed = sender.sign_transaction(unsigned)
            raw = "0x" + signed.raw_transaction.hex()
            self._journal(signed.hash, sender.address, nonce, raw, to, data)
            response = self.raw_request("eth_sendRawTransaction", [raw])
            if "error" not in response:
                break
            self._journal_mark("0x" + bytes(signed.hash).hex(), "refused")
            self._nonces.pop(sender.address, None)  # resync from the chain on the next send
            message = str(response["error"].get("message", response["error"]))
            if "nonce" in message.lower() and attempt == 1:
                continue  # another client used this key: one retry with the chain's nonce
            if "revert" in message.lower() or response["error"].get("data"):
                raise self._revert_from(response["error"], "send")
            raise TransactionError(f"the node refused the transaction: {message}")
        tx_hash = response["result"]
        receipt = self._wait(tx_hash)
        mined = int(receipt["status"], 16) == 1
        self._journal_mark(tx_hash, "mined" if mined else "reverted", int(receipt["blockNumber"], 16))
        if not mined:
            raise self._mined_revert(tx, receipt)
        self.last_receipt = Receipt.of(receipt)
        return self.last_receipt

    # -- the journal -------------------------------------------------------------------------------------------

    def use_journal(self, path: str | Path) -> Reconciled:
        """Journal every transaction this layer signs in the SQLite file ``path`` (written before it is sent), after
        settling what an earlier run left open there (:func:`portchain.journal.reconcile`): mined ones recorded,
        dropped ones re-sent as the same signed bytes, never twice."""
        from .journal import TransactionJournal, reconcile

        journal = TransactionJournal(path, self.chain_id)
        found = reconcile(self, journal)
        self.journal = journal
        return found

    def _journal(self, tx_hash: bytes, sender: str, nonce: int, raw: str, to: str | None, data: bytes) -> None:
        if self.journal is not None:
            intent = f"{to or 'create'}:{data[:4].hex()}"
            self.journal.record("0x" + bytes(tx_hash).hex(), sender, nonce, raw, intent)

    def _journal_mark(self, tx_hash: str, status: str, block: int | None = None) -> None:
        if self.journal is not None:
            self.journal.mark(tx_hash, status, block)

    def _unsigned(self, to: str | None, data: bytes, value: int, gas: int) -> TransactionDictType:
        max_fee, tip = self._fees_now()
        unsigned: TransactionDictType = {
            "type": 2,
            "chainId": self.chain_id,
            "gas": gas,
            "maxFeePerGas": max_fee,
            "maxPriorityFeePerGas": tip,
            "value": value,
            "data": data,
        }
        if to is not None:
            unsigned["to"] = HexStr(to)
        return unsigned

    # -- the pipelined engine ----------------------------------------------------------------------------------

    def submit(
        self, sender: LocalAccount, to: str | None, data: bytes, *, value: int = 0, gas: int | None = None
    ) -> PendingTransaction:
        """Estimate (unless ``gas`` is given) and sign a transaction now, and queue it to be sent in a JSON-RPC batch
        (when :attr:`batch_size` are queued, or when anything waits for a result); returns its future.

        A refusal raises here, before anything is sent for it: its estimate fails with nothing ahead of it in
        flight (an estimate that fails while earlier transactions are still in flight is retried once they are
        mined)."""
        pending = PendingTransaction(self, sender, to, data, value, gas)
        if gas is None:
            pending.gas = self._estimate_one(pending)
        self._queue_signed(pending)
        return pending

    @contextmanager
    def batch(self) -> Iterator[Batch]:
        """``with layer.batch() as b:`` queues ``b.send(...)`` (and every contract client's send on this layer, which
        then returns a :class:`PendingReceipt`); leaving the block estimates, signs and sends them together and
        waits for all their receipts, raising the first failure. An exception inside the block sends nothing
        still queued."""
        if self.open_batch() is not None:
            raise TransactionError("a batch is already open on this transaction layer")
        batch = Batch(self)
        token = _BATCH.set(batch)
        try:
            yield batch
        except BaseException:
            for pending in batch._queue:
                pending._fail(TransactionError("not sent: the batch's block raised before it ended"))
            batch._queue.clear()
            raise
        finally:
            _BATCH.reset(token)
        batch.wait()

    def open_batch(self) -> Batch | None:
        """The batch open on this layer in the current context, if any."""
        batch = _BATCH.get()
        return batch if batch is not None and batch.layer is self else None

    def flush(self) -> None:
        """Send every signed transaction not yet sent, :attr:`batch_size` to a JSON-RPC batch."""
        while self._outbox:
            chunk, self._outbox = self._outbox[: self.batch_size], self._outbox[self.batch_size :]
            self._send_chunk(chunk)

    def wait_for(self, pending: Sequence[PendingTransaction], timeout: float = 300.0) -> None:
        """Send what is queued and collect receipts, a block at a time, until every one of ``pending`` is done."""
        batch = self.open_batch()
        if batch is not None:
            batch.dispatch()
        self.flush()
        deadline = time.monotonic() + timeout
        pause = min(0.001, self.poll_interval)
        sweep_at = time.monotonic() + SWEEP_AFTER * max(1.0, self.poll_interval)
        while not all(p.done() for p in pending):
            if not self._inflight:
                lost = next(p for p in pending if not p.done())
                raise TransactionError(f"{lost!r} is neither queued nor in flight (queued in another batch?)")
            sweep = time.monotonic() > sweep_at
            settled = self._collect(sweep)
            if settled or sweep:
                sweep_at = time.monotonic() + SWEEP_AFTER * max(1.0, self.poll_interval)
            if settled:
                pause = min(0.001, self.poll_interval)
                continue
            if time.monotonic() > deadline:
                waiting = next(p for p in pending if not p.done())
                raise TransactionError(f"transaction {waiting.tx_hash} was not mined within {timeout:.0f} s")
            time.sleep(pause)
            pause = min(pause * 2, self.poll_interval)

    def _estimate_call(self, pending: PendingTransaction) -> tuple[str, list[Any]]:
        busy = bool(self._inflight or self._outbox)
        return "eth_estimateGas", [pending.call_object(), "pending"] if busy else [pending.call_object()]

    def _estimate_one(self, pending: PendingTransaction) -> int:
        response = self.raw_request(*self._estimate_call(pending))
        if "error" in response and (self._inflight or self._outbox):
            self.wait_for(list(self._outbox) + list(self._inflight.values()))  # a dependency may be in flight
            response = self.raw_request(*self._estimate_call(pending))
        if "error" in response:
            raise self._revert_from(response["error"], "estimate")
        return int(int(response["result"], 16) * GAS_MARGIN)

    def _estimate_all(self, queue: list[PendingTransaction]) -> tuple[int, PortchainError | None]:
        """Estimate the gas of every one of ``queue`` without it (JSON-RPC batches); returns the index of the first
        whose estimate failed (``len(queue)`` if none) with its error. Only those before it get their gas."""
        asking = [p for p in queue if p.gas is None]
        answers: dict[int, dict[str, Any]] = {}
        for start in range(0, len(asking), self.batch_size):
            chunk = asking[start : start + self.batch_size]
            for pending, answer in zip(chunk, self.batch_request([self._estimate_call(p) for p in chunk]), strict=True):
                answers[id(pending)] = answer
        for index, pending in enumerate(queue):
            got = answers.get(id(pending))
            if got is None:
                continue
            if "error" in got:
                return index, self._revert_from(got["error"], "estimate")
            pending.gas = int(int(got["result"], 16) * GAS_MARGIN)
        return len(queue), None

    def _queue_signed(self, pending: PendingTransaction) -> None:
        """Sign and queue; a full JSON-RPC batch goes at once (the node mines it while the next ones are signed)."""
        self._sign(pending)
        self._outbox.append(pending)
        if len(self._outbox) >= self.batch_size:
            self.flush()

    def _sign(self, pending: PendingTransaction) -> None:
        assert pending.gas is not None
        unsigned = self._unsigned(pending.to, pending.data, pending.value, pending.gas)
        unsigned["nonce"] = pending.nonce = self._next_nonce(pending.sender.address)
        raw = sign_type2(pending.sender, unsigned)
        pending.tx_hash = "0x" + keccak(raw).hex()
        pending._raw = "0x" + raw.hex()
        self._journal(keccak(raw), pending.sender.address, pending.nonce, pending._raw, pending.to, pending.data)

    def _send_chunk(self, chunk: list[PendingTransaction]) -> None:
        if not self._inflight:  # receipts are collected from the blocks after this one
            self._scanned = self._head()
        answers = self.batch_request([("eth_sendRawTransaction", [p._raw]) for p in chunk])
        stale: list[PendingTransaction] = []
        for pending, answer in zip(chunk, answers, strict=True):
            if "error" not in answer:
                assert pending.tx_hash is not None
                self._inflight[pending.tx_hash] = pending
                continue
            message = str(answer["error"].get("message", answer["error"]))
            self._journal_mark(str(pending.tx_hash), "refused")
            if "nonce" in message.lower() and not pending._resigned:
                stale.append(pending)  # another client used this key: resign with the chain's nonce, once
            else:
                self._nonces.pop(pending.sender.address, None)  # its nonce was not used: resync on the next one
                refused = "revert" in message.lower() or answer["error"].get("data")
                pending._fail(
                    self._revert_from(answer["error"], "send")
                    if refused
                    else TransactionError(f"the node refused the transaction: {message}")
                )
        if stale:
            for pending in stale:
                self._nonces.pop(pending.sender.address, None)
            for pending in stale:
                pending._resigned = True
                self._sign(pending)
            self._send_chunk(stale)

    def _head(self) -> int:
        return int(self.request("eth_blockNumber", []), 16)

    def _collect(self, sweep: bool = False) -> bool:
        """Collect the receipts of the blocks mined since the last look (with the confirmations the network wants);
        returns whether any transaction in flight was settled. A ``sweep`` asks for the receipt of every transaction
        in flight instead (batched): the safety net for one a block scan missed."""
        if not self._inflight:
            return False
        top = self._head() - self.confirmations
        if self._scanned is None:
            self._scanned = top - 1
        if sweep or not self._block_receipts:
            receipts = self._receipts_in_flight(top)
        elif top > self._scanned:
            receipts, self._scanned = self._block_receipts_between(self._scanned + 1, top)
        else:
            return False
        settled = False
        for raw in receipts:
            mined = self._inflight.pop(str(raw["transactionHash"]).lower(), None)
            if mined is not None:
                self._settle(mined, dict(raw))
                settled = True
        return settled

    def _block_receipts_between(self, first: int, last: int) -> tuple[list[dict[str, Any]], int]:
        """Every receipt of blocks ``first`` to ``last`` (``eth_getBlockReceipts`` in JSON-RPC batches), and the last
        block read: a block the node cannot give yet ends the scan before it, to be read on the next look."""
        found: list[dict[str, Any]] = []
        for start in range(first, last + 1, self.batch_size):
            blocks = range(start, min(start + self.batch_size, last + 1))
            answers = self.batch_request([("eth_getBlockReceipts", [hex(n)]) for n in blocks])
            for number, answer in zip(blocks, answers, strict=True):
                if "error" in answer:  # a node without the method: per-transaction receipts from now on
                    self._block_receipts = False
                if answer.get("result") is None:
                    return found, number - 1
                found += answer["result"]
        return found, last

    def _receipts_in_flight(self, last: int) -> list[dict[str, Any]]:
        """The receipts of the transactions in flight mined by block ``last`` (``eth_getTransactionReceipt``,
        batched)."""
        hashes = list(self._inflight)
        found: list[dict[str, Any]] = []
        for start in range(0, len(hashes), self.batch_size):
            calls = [("eth_getTransactionReceipt", [h]) for h in hashes[start : start + self.batch_size]]
            found += [a["result"] for a in self.batch_request(calls) if a.get("result")]
        return [r for r in found if int(r["blockNumber"], 16) <= last]

    def _settle(self, pending: PendingTransaction, raw: dict[str, Any]) -> None:
        mined = int(raw["status"], 16) == 1
        self._journal_mark(str(raw["transactionHash"]), "mined" if mined else "reverted", int(raw["blockNumber"], 16))
        if mined:
            pending._receipt = self.last_receipt = Receipt.of(raw)
        else:
            pending._fail(self._mined_revert(pending.call_object(), raw))

    def reset_nonces(self) -> None:
        """Forget cached nonces (after a chain snapshot was reverted, or another client sent from a key)."""
        self._nonces.clear()

    def _next_nonce(self, address: str) -> int:
        nonce = self._nonces.get(address)
        if nonce is None:
            nonce = int(self.request("eth_getTransactionCount", [address, "pending"]), 16)
        self._nonces[address] = nonce + 1
        return nonce

    def _fees_now(self) -> tuple[int, int]:
        now = time.monotonic()
        if self._fees is None or now - self._fees[0] > FEE_TTL_SECONDS:
            block = self.request("eth_getBlockByNumber", ["latest", False])
            base = int(block.get("baseFeePerGas", "0x0"), 16)
            try:
                tip = int(self.request("eth_maxPriorityFeePerGas", []), 16)
            except TransactionError:
                tip = 1_000_000_000
            # Twice the base fee absorbs six full blocks of base-fee growth before the cache refreshes.
            self._fees = (now, 2 * base + tip, tip)
        return self._fees[1], self._fees[2]

    def _wait(self, tx_hash: str, timeout: float = 300.0) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        # A local node mines within milliseconds: start polling fast and back off to the poll interval.
        pause = min(0.001, self.poll_interval)
        while True:
            receipt = self.request("eth_getTransactionReceipt", [tx_hash])
            if receipt is not None:
                if self.confirmations:
                    self._wait_confirmations(int(receipt["blockNumber"], 16), deadline)
                return dict(receipt)
            if time.monotonic() > deadline:
                raise TransactionError(f"transaction {tx_hash} was not mined within {timeout:.0f} s")
            time.sleep(pause)
            pause = min(pause * 2, self.poll_interval)

    def _wait_confirmations(self, block_number: int, deadline: float) -> None:
        while int(self.request("eth_blockNumber", []), 16) < block_number + self.confirmations:
            if time.monotonic() > deadline:
                raise TransactionError(f"block {block_number} did not get {self.confirmations} confirmations in time")
            time.sleep(self.poll_interval)

    # -- reverts ---------------------------------------------------------------------------------------------

    @staticmethod
    def _revert_from(error: dict[str, Any], stage: str) -> ContractError | TransactionError:
        data = error.get("data")
        if isinstance(data, dict):  # some nodes nest it
            data = data.get("data") or data.get("result")
        if isinstance(data, str) and data.startswith("0x"):
            return decode_revert(data)
        message = str(error.get("message", error))
        if "revert" in message.lower():
            return decode_revert("0x")
        return TransactionError(f"{stage} failed: {message}")

    def _mined_revert(self, tx: dict[str, Any], receipt: dict[str, Any]) -> TransactionError:
        """A transaction that passed its estimate but reverted when mined: replay it to learn why."""
        block = hex(int(receipt["blockNumber"], 16) - 1)
        response = self.raw_request("eth_call", [tx, block])
        if "error" in response:
            return self._revert_from(response["error"], "replay")
        return TransactionError(f"transaction {receipt['transactionHash']} reverted (out of gas or state changed)")
