"""The one transaction layer every SDK client goes through.

Local signing (eth-account, coincurve-backed), a nonce cache per account, explicit gas (an estimate that doubles
as a pre-flight check, so a refused call never reaches the chain), receipts, and every revert decoded into a typed
exception from :mod:`portchain.errors`. It speaks raw JSON-RPC through web3.py's provider: three round trips per
transaction (estimate, send, receipt), with the chain id and fees cached.
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass, field
from typing import Any

from eth_account.signers.local import LocalAccount
from eth_account.types import TransactionDictType
from eth_typing import HexStr
from eth_utils.address import to_checksum_address
from web3 import HTTPProvider, Web3
from web3.types import RPCEndpoint

from ._revert import decode_revert
from .errors import ChainConnectionError, ContractError, TransactionError

GAS_MARGIN = 1.2
FEE_TTL_SECONDS = 12.0


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


# --------------------------------------------------------------------------------------------------------------
# The layer
# --------------------------------------------------------------------------------------------------------------


class TransactionLayer:
    """Signs locally, caches nonces and fees, sends, waits for receipts and decodes reverts."""

    def __init__(self, rpc_url: str, *, confirmations: int = 0, poll_interval: float | None = None) -> None:
        self.rpc_url = rpc_url
        self.w3 = Web3(HTTPProvider(rpc_url, request_kwargs={"timeout": 60}))
        self.confirmations = confirmations
        local = rpc_url.startswith(("http://127.0.0.1", "http://localhost"))
        self.poll_interval = poll_interval if poll_interval is not None else (0.02 if local else 1.0)
        self._ids = itertools.count(1)
        self._nonces: dict[str, int] = {}
        self._fees: tuple[float, int, int] | None = None
        self._chain_id: int | None = None
        self.last_receipt: Receipt | None = None

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
        except ValueError:  # an HTML error page, a proxy's answer: not JSON-RPC
            raise ChainConnectionError(f"the endpoint at {self.host()} did not answer JSON-RPC") from None
        except OSError as exc:
            status = getattr(getattr(exc, "response", None), "status_code", None)
            if status is not None:
                raise ChainConnectionError(f"the RPC endpoint at {self.host()} answered HTTP {status}") from None
            raise self._unreachable(exc) from None
        except Exception as exc:  # requests' exceptions are OSError subclasses; anything else is a bad answer
            if "Connection" in exc.__class__.__name__ or "Timeout" in exc.__class__.__name__:
                raise self._unreachable(exc) from None
            raise

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

        A call the chain would refuse raises its decoded exception before anything is sent.
        """
        tx: dict[str, Any] = {"from": sender.address, "data": "0x" + data.hex(), "value": hex(value)}
        if to is not None:
            tx["to"] = to
        if gas is None:
            response = self.raw_request("eth_estimateGas", [tx])
            if "error" in response:
                raise self._revert_from(response["error"], "estimate")
            gas = int(int(response["result"], 16) * GAS_MARGIN)
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
        for attempt in (1, 2):
            unsigned["nonce"] = self._next_nonce(sender.address)
            signed = sender.sign_transaction(unsigned)
            response = self.raw_request("eth_sendRawTransaction", ["0x" + signed.raw_transaction.hex()])
            if "error" not in response:
                break
            self._nonces.pop(sender.address, None)  # resync from the chain on the next send
            message = str(response["error"].get("message", response["error"]))
            if "nonce" in message.lower() and attempt == 1:
                continue  # another client used this key: one retry with the chain's nonce
            if "revert" in message.lower() or response["error"].get("data"):
                raise self._revert_from(response["error"], "send")
            raise TransactionError(f"the node refused the transaction: {message}")
        tx_hash = response["result"]
        receipt = self._wait(tx_hash)
        if int(receipt["status"], 16) != 1:
            raise self._mined_revert(tx, receipt)
        self.last_receipt = Receipt(
            tx_hash=tx_hash,
            block_number=int(receipt["blockNumber"], 16),
            gas_used=int(receipt["gasUsed"], 16),
            contract_address=(
                to_checksum_address(receipt["contractAddress"]) if receipt.get("contractAddress") else None
            ),
            logs=receipt["logs"],
            raw=receipt,
        )
        return self.last_receipt

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
