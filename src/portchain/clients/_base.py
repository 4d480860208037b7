"""Base of the SDK's contract clients: encode, send through the transaction layer, decode."""

from __future__ import annotations

from functools import cache
from typing import Any

from eth_account import Account
from eth_account.datastructures import SignedMessage
from eth_account.signers.local import LocalAccount

from .._abi import ContractABI, DecodedEvent
from .._artifacts import load_artifact
from ..transactions import Receipt, TransactionLayer
from ..types import to_address

# Contracts whose address also answers another contract's functions (LetterOfCredit's fallback delegates to its
# extension): their client ABI is the union of both.
DELEGATED_ABIS: dict[str, tuple[str, ...]] = {"LetterOfCredit": ("LetterOfCreditExtension",)}


def merged_abi(name: str) -> list[dict[str, object]]:
    """The ABI that callers of contract ``name``'s address use: its own plus the ABIs it delegates to."""
    entries = list(load_artifact(name)["abi"])
    seen = {(e.get("type"), e.get("name"), str(e.get("inputs"))) for e in entries}
    for extra in DELEGATED_ABIS.get(name, ()):
        for entry in load_artifact(extra)["abi"]:
            key = (entry.get("type"), entry.get("name"), str(entry.get("inputs")))
            if key not in seen and entry.get("type") not in ("constructor", "fallback"):
                seen.add(key)
                entries.append(entry)
    return entries


@cache
def contract_abi(name: str) -> ContractABI:
    """The parsed ABI of shipped contract ``name`` (with the functions its address delegates)."""
    return ContractABI(merged_abi(name))


class ContractClient:
    """A deployed contract reached through one :class:`~portchain.transactions.TransactionLayer`."""

    contract_name = ""

    def __init__(self, layer: TransactionLayer, address: str, *, deploy_block: int = 0) -> None:
        self.layer = layer
        self.address = to_address(address, f"{self.contract_name} address")
        self.deploy_block = deploy_block
        self.abi = contract_abi(self.contract_name)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.address})"

    def _call(self, function: str, *args: Any) -> Any:
        fn = self.abi.function(function)
        return fn.decode(self.layer.call(self.address, fn.encode(args)))

    def _send(self, sender: LocalAccount, function: str, *args: Any, gas: int | None = None) -> Receipt:
        return self.layer.send(sender, self.address, self.abi.function(function).encode(args), gas=gas)

    def _sign_typed(
        self,
        signer: LocalAccount,
        domain_name: str,
        primary: str,
        fields: list[tuple[str, str]],
        message: dict[str, Any],
        version: str = "1",
    ) -> SignedMessage:
        """Sign EIP-712 data for this contract (domain: ``domain_name``, ``version``, this chain and address)."""
        typed = {
            "types": {
                "EIP712Domain": [
                    {"name": "name", "type": "string"},
                    {"name": "version", "type": "string"},
                    {"name": "chainId", "type": "uint256"},
                    {"name": "verifyingContract", "type": "address"},
                ],
                primary: [{"name": name, "type": kind} for name, kind in fields],
            },
            "primaryType": primary,
            "domain": {
                "name": domain_name, "version": version, "chainId": self.layer.chain_id,
                "verifyingContract": self.address,
            },
            "message": message,
        }
        return Account.sign_typed_data(signer.key, full_message=typed)

    def events(self, receipt: Receipt, name: str | None = None) -> list[DecodedEvent]:
        """The events this contract emitted in ``receipt`` (only those called ``name`` if given)."""
        decoded = self.abi.decode_logs(receipt.logs, self.address)
        return [e for e in decoded if name is None or e.name == name]

    def logs(self, event: str, *indexed: Any, from_block: int | None = None) -> list[DecodedEvent]:
        """Past ``event`` logs filtered by their indexed topics (32-byte values or None for any)."""
        topics: list[Any] = ["0x" + self.abi.event_topic(event).hex()]
        topics += [None if t is None else "0x" + t.hex() for t in indexed]
        start = self.deploy_block if from_block is None else from_block
        return self.abi.decode_logs(self.layer.get_logs(self.address, topics, start), self.address)
