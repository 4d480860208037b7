"""Base of the SDK's contract clients: encode, send through the transaction layer, decode."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import TYPE_CHECKING, Any

from eth_account import Account
from eth_account.datastructures import SignedMessage
from eth_account.signers.local import LocalAccount

from .._abi import ContractABI, DecodedEvent
from .._artifacts import load_artifact
from ..transactions import PendingReceipt, Receipt, TransactionLayer
from ..types import Bytes32, HexLike, to_address, to_hash32

if TYPE_CHECKING:
    from .port_registry import RegistryClient
    from .settlement_token import SignedPermit

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


def eip712_typed_data(
    domain_name: str,
    version: str,
    chain_id: int,
    contract: str,
    primary: str,
    fields: Sequence[tuple[str, str]],
    message: dict[str, Any],
) -> dict[str, Any]:
    """EIP-712 typed data of one ``primary`` message for a contract's domain (name, version, chain, address): what
    a client signs and what a verifier recovers the signer from."""
    return {
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
        "domain": {"name": domain_name, "version": version, "chainId": chain_id, "verifyingContract": contract},
        "message": message,
    }


class ContractClient:
    """A deployed contract reached through one :class:`~portchain.transactions.TransactionLayer`."""

    contract_name = ""

    def __init__(self, layer: TransactionLayer, address: str, *, deploy_block: int = 0) -> None:
        self.layer = layer
        self.address = to_address(address, f"{self.contract_name} address")
        self.deploy_block = deploy_block
        self.abi = contract_abi(self.contract_name)
        self._registry_client: RegistryClient | None = None

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.address})"

    def _call(self, function: str, *args: Any) -> Any:
        fn = self.abi.function(function)
        return fn.decode(self.layer.call(self.address, fn.encode(args)))

    def _registry(self) -> RegistryClient:
        """The participant registry this contract asks (its ``registry()``), found once per client."""
        if self._registry_client is None:
            from .port_registry import RegistryClient

            self._registry_client = RegistryClient(self.layer, self._call("registry"))
        return self._registry_client

    def _send(self, sender: LocalAccount, function: str, *args: Any, gas: int | None = None) -> Receipt:
        """Send ``function(*args)`` and return its receipt; inside ``with port.batch()`` (a batch open on this
        client's layer) queue it instead and return a :class:`~portchain.transactions.PendingReceipt`, whose fields
        wait for the transaction when first read."""
        data = self.abi.function(function).encode(args)
        batch = self.layer.open_batch()
        if batch is not None:
            return PendingReceipt(batch.send(sender, self.address, data, gas=gas))
        return self.layer.send(sender, self.address, data, gas=gas)

    def _send_paying(
        self, sender: LocalAccount, function: str, *args: Any, permit: SignedPermit | None = None
    ) -> Receipt:
        """Send ``function(*args)``, a call that pulls tokens from ``sender`` (approved beforehand); with a
        ``permit``, send ``<function>WithPermit(*args, deadline, v, r, s)`` so the approval rides in the same
        transaction."""
        if permit is None:
            return self._send(sender, function, *args)
        return self._send(sender, f"{function}WithPermit", *args, permit.deadline, permit.v, permit.r, permit.s)

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
        typed = eip712_typed_data(domain_name, version, self.layer.chain_id, self.address, primary, fields, message)
        signed: SignedMessage = Account.sign_typed_data(signer.key, full_message=typed)
        return signed

    def events(self, receipt: Receipt, name: str | None = None) -> list[DecodedEvent]:
        """The events this contract emitted in ``receipt`` (only those called ``name`` if given)."""
        decoded = self.abi.decode_logs(receipt.logs, self.address)
        return [e for e in decoded if name is None or e.name == name]

    def logs(self, event: str | Sequence[str], *indexed: Any, from_block: int | None = None) -> list[DecodedEvent]:
        """Past logs of ``event`` (or of any of several events), oldest first, filtered by their indexed topics
        (32-byte values, or None for any), from ``from_block`` (default: the contract's deployment block)."""
        names = [event] if isinstance(event, str) else list(event)
        kinds = ["0x" + self.abi.event_topic(name).hex() for name in names]
        topics: list[Any] = [kinds[0] if isinstance(event, str) else kinds]
        topics += [None if t is None else "0x" + t.hex() for t in indexed]
        start = self.deploy_block if from_block is None else from_block
        found = self.abi.decode_logs(self.layer.get_logs(self.address, topics, start), self.address)
        return sorted(found, key=lambda e: (e.block_number, e.log_index))

    def _steps(self, events: Sequence[str], ident: bytes, from_block: int) -> list[tuple[str, int, dict[str, Any]]]:
        """(event, block, arguments but the id) of every one of ``events`` indexed by ``ident`` first, oldest first:
        one log query from the block where the record began (no scan from genesis)."""
        return [(e.name, e.block_number, args_but_id(e)) for e in self.logs(events, ident, from_block=from_block)]


def args_but_id(event: DecodedEvent) -> dict[str, Any]:
    """An event's arguments without the ``id`` that every step of a record's history repeats; its 32-byte values
    (bill and declaration ids, hashes) as :class:`~portchain.types.Bytes32`."""
    return {k: Bytes32(v) if isinstance(v, bytes) and len(v) == 32 else v for k, v in event.args.items() if k != "id"}


def address_or_none(address: str) -> str | None:
    """An address a view returned, or None for the zero address (nothing set)."""
    return None if int(address, 16) == 0 else str(address)


def declaration_id(value: HexLike) -> Bytes32:
    """A customs declaration id (32 bytes, as :meth:`~portchain.clients.customs.CustomsClient.lodge` returned it)."""
    return to_hash32(value, "declaration id")
