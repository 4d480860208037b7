"""Deploy the portchain suite in dependency order and keep hardhat-deploy compatible records.

``deployments/<network>/<Contract>.json`` holds address, abi, transactionHash, receipt, args, bytecode,
deployedBytecode, metadata and solcInputHash; ``.chainId`` and ``solcInputs/<hash>.json`` sit beside them, so
Etherscan verification, subgraphs and ethers.js can read them. Deploying again reuses every record whose code is
on the chain and whose bytecode is unchanged; a record whose address has no code (a restarted local node) or
whose contract changed is redeployed, and the reason is reported.

A slow chain is safe to deploy to. Each contract's record is written the moment its transaction is signed, before
it is sent: *pending* (no receipt yet, and a ``pending`` entry with the sender, the nonce and the hash of every
transaction signed for that nonce), then completed with its receipt once the transaction is mined. A run that
stops for any reason (Ctrl-C, a timeout, a crash, a lost connection) is resumed by the next: a pending transaction
that was mined is recorded, one still in the mempool is waited for, and one the node no longer knows (dropped) is
sent again with the same nonce, so a contract is never deployed twice. Every wait is derived from the network's
block time and confirmations, and tells its progress (the contract, the transaction, the blocks, the time) every
few seconds; confirmations are counted once, on the run's last block (every earlier block is then deeper), and the
receipts are read again afterwards so a reorganisation is noticed.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eth_account.signers.local import LocalAccount
from eth_account.types import TransactionDictType
from eth_typing import HexStr
from eth_utils.address import to_checksum_address
from web3.types import Nonce
from web3.utils.address import get_create_address

from ._artifacts import load_artifact, load_solc_input
from ._files import atomic_write
from ._revert import decode_revert
from .clients._base import contract_abi
from .compiler import json_object
from .errors import DeploymentError, TransactionError
from .transactions import GAS_MARGIN, Receipt, TransactionLayer
from .types import roles_mask, text_hash, to_address, to_country

Log = Callable[[str], None]

PROGRESS_EVERY = 5.0  # seconds between two progress lines while nothing changes


@dataclass(frozen=True)
class ContractSpec:
    """One contract of the suite: its name, how to build its constructor arguments from those deployed before,
    whether it exists only on local chains (unless asked for), and how to wire it to the others once deployed
    (idempotently)."""

    name: str
    args: Callable[[DeployContext], list[Any]]
    local_only: bool = False
    wire: Callable[[DeployContext], None] | None = None


@dataclass(frozen=True)
class Waiting:
    """How long a deployment waits, derived from the network's block time (seconds, a hint) and confirmations."""

    confirmations: int = 0
    block_time: float = 1.0
    local: bool = True

    @property
    def inclusion_timeout(self) -> float:
        """How long a transaction may take to be mined."""
        return max(60.0, 20 * self.block_time)

    @property
    def stall_timeout(self) -> float:
        """How long the chain may go without a new block while something waits for one."""
        return max(15.0, 4 * self.block_time)

    @property
    def confirmation_timeout(self) -> float:
        return max(30.0, 4 * (self.confirmations + 1) * self.block_time)

    @property
    def poll(self) -> float:
        return min(1.0, max(0.02, self.block_time / 5))


class _RefusedError(Exception):
    """The node answered eth_sendRawTransaction with an error: the transaction was not accepted."""


class _Clock:
    """Elapsed time and progress lines for one wait: state changes at once, otherwise a line every few seconds."""

    def __init__(self, say: Log) -> None:
        self.say = say
        self.started = self.last = time.monotonic()

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def tick(self, message: Callable[[], str]) -> None:
        now = time.monotonic()
        if now - self.last >= PROGRESS_EVERY:
            self.last = now
            self.say(message())


class _Chain:
    """The deployer's transactions: signed locally, sent by raw JSON-RPC and waited for with progress."""

    def __init__(
        self, layer: TransactionLayer, deployer: LocalAccount, network: str, waiting: Waiting, progress: Log
    ) -> None:
        self.layer, self.deployer, self.network, self.waiting = layer, deployer, network, waiting
        self.progress = progress
        # On a local chain a transaction is mined at once: only a wait that lasts says anything.
        self.state: Log = (lambda _m: None) if waiting.local else progress

    def block_number(self) -> int:
        return int(self.layer.request("eth_blockNumber", []), 16)

    def nonce(self, address: str, block: str = "pending") -> int:
        return int(self.layer.request("eth_getTransactionCount", [address, block]), 16)

    def receipt(self, tx_hash: str) -> dict[str, Any] | None:
        found = self.layer.request("eth_getTransactionReceipt", [tx_hash])
        return dict(found) if found else None

    def known(self, tx_hash: str) -> dict[str, Any] | None:
        found = self.layer.request("eth_getTransactionByHash", [tx_hash])
        return dict(found) if found else None

    def _fees(self) -> tuple[int, int]:
        block = self.layer.request("eth_getBlockByNumber", ["latest", False])
        base = int(block.get("baseFeePerGas", "0x0"), 16)
        try:
            tip = int(self.layer.request("eth_maxPriorityFeePerGas", []), 16)
        except TransactionError:
            tip = 1_000_000_000
        return 2 * base + tip, tip

    def estimate(self, label: str, to: str | None, data: bytes) -> int:
        tx: dict[str, Any] = {"from": self.deployer.address, "data": "0x" + data.hex()}
        if to is not None:
            tx["to"] = to
        response = self.layer.raw_request("eth_estimateGas", [tx])
        if "error" in response:
            error = response["error"]
            revert = error.get("data")
            reason = str(decode_revert(revert)) if isinstance(revert, str) and revert.startswith("0x") else ""
            raise DeploymentError(f"{label} would fail: {reason or error.get('message', error)}")
        return int(int(response["result"], 16) * GAS_MARGIN)

    def sign(self, to: str | None, data: bytes, gas: int, nonce: int) -> tuple[str, str]:
        """(transaction hash, raw transaction) of a type-2 transaction at ``nonce``."""
        max_fee, tip = self._fees()
        unsigned: TransactionDictType = {
            "type": 2, "chainId": self.layer.chain_id, "gas": gas, "maxFeePerGas": max_fee,
            "maxPriorityFeePerGas": tip, "value": 0, "data": data, "nonce": nonce,
        }
        if to is not None:
            unsigned["to"] = HexStr(to)
        signed = self.deployer.sign_transaction(unsigned)
        return "0x" + signed.hash.hex().removeprefix("0x"), "0x" + signed.raw_transaction.hex().removeprefix("0x")

    def broadcast(self, raw: str) -> None:
        response = self.layer.raw_request("eth_sendRawTransaction", [raw])
        if "error" in response:
            raise _RefusedError(str(response["error"].get("message", response["error"])))

    def wait_mined(self, label: str, hashes: list[str]) -> dict[str, Any]:
        """The receipt of whichever of ``hashes`` (one nonce's transactions) is mined."""
        clock = _Clock(self.progress)
        deadline = clock.started + self.waiting.inclusion_timeout
        watch = _Stall(self, self.waiting.stall_timeout)
        pause = 0.001
        while True:
            for tx_hash in hashes:
                receipt = self.receipt(tx_hash)
                if receipt is not None:
                    block = int(receipt["blockNumber"], 16)
                    self.state(f"{label}: {tx_hash} mined in block {block} after {clock.elapsed:.0f} s")
                    return receipt
            latest = watch.check(f"{label}: {hashes[-1]} is not mined")
            if time.monotonic() > deadline:
                raise DeploymentError(
                    f"{label}: {hashes[-1]} was not mined within {self.waiting.inclusion_timeout:.0f} s "
                    f"(latest block {latest})"
                )
            clock.tick(lambda: f"{label}: waiting for {hashes[-1]} to be mined, {clock.elapsed:.0f} s "
                               f"(latest block {watch.latest})")
            time.sleep(pause)
            pause = min(pause * 2, self.waiting.poll)

    def wait_confirmations(self, block: int) -> None:
        """Until ``block`` has the network's confirmations."""
        wanted = self.waiting.confirmations
        latest = self.block_number()
        if latest >= block + wanted:
            return
        clock = _Clock(self.progress)
        self.state(f"waiting for {wanted} confirmations of block {block}, the last of this run (latest {latest})")
        deadline = clock.started + self.waiting.confirmation_timeout
        watch = _Stall(self, self.waiting.stall_timeout, latest)
        while latest < block + wanted:
            if time.monotonic() > deadline:
                raise DeploymentError(f"block {block} did not get {wanted} confirmations within "
                                      f"{self.waiting.confirmation_timeout:.0f} s (latest block {latest})")
            clock.tick(lambda: f"waiting for {wanted} confirmations of block {block}: {watch.latest - block} so far, "
                               f"{clock.elapsed:.0f} s")
            time.sleep(self.waiting.poll)
            latest = watch.check(
                f"block {block} has {latest - block} of {wanted} confirmations; if this chain mines only when a "
                f"transaction arrives, set confirmations = 0 for network {self.network!r} (portchain.toml, or "
                f"{self.network.upper().replace('-', '_')}_CONFIRMATIONS=0)"
            )
        self.state(f"block {block} has {wanted} confirmations (latest {latest}) after {clock.elapsed:.0f} s")

    def settle(self, label: str) -> None:
        """Wait until no transaction of the deployer is in flight (one an interrupted run sent, say)."""
        address = self.deployer.address
        pending, mined = self.nonce(address), self.nonce(address, "latest")
        if pending <= mined:
            return
        clock = _Clock(self.progress)
        self.progress(f"{label}: waiting for {pending - mined} earlier transaction(s) of {address} to be mined "
                      f"(nonce {mined} on)")
        deadline = clock.started + self.waiting.inclusion_timeout
        watch = _Stall(self, self.waiting.stall_timeout)
        while self.nonce(address, "latest") < pending:
            if time.monotonic() > deadline:
                raise DeploymentError(f"{address} has transactions from nonce {mined} on that are not mined: wait for "
                                      "them, or replace them (the same nonce, a higher fee), then deploy again")
            watch.check(f"{label}: earlier transactions of {address} are not mined")
            clock.tick(lambda: f"{label}: waiting for earlier transactions of {address}, {clock.elapsed:.0f} s")
            time.sleep(self.waiting.poll)


class _Stall:
    """Notices a chain that makes no new block for too long while something waits for one."""

    def __init__(self, chain: _Chain, timeout: float, latest: int | None = None) -> None:
        self.chain, self.timeout = chain, timeout
        self.latest = chain.block_number() if latest is None else latest
        self.since = time.monotonic()

    def check(self, what: str) -> int:
        block = self.chain.block_number()
        now = time.monotonic()
        if block != self.latest:
            self.latest, self.since = block, now
        elif now - self.since > self.timeout:
            raise DeploymentError(f"the chain made no new block for {self.timeout:.0f} s after block {block}: {what}")
        return block


@dataclass
class DeployContext:
    layer: TransactionLayer
    deployer: LocalAccount
    records: dict[str, dict[str, Any]]
    log: Log
    chain: _Chain | None = None
    blocks: list[int] = field(default_factory=list)  # the blocks this run's transactions were mined in

    def address(self, name: str) -> str:
        return str(self.records[name]["address"])

    def send(self, label: str, to: str, data: bytes) -> dict[str, Any]:
        """Send a wiring transaction from the deployer and wait for it to be mined; returns the raw receipt."""
        chain = self._chain()
        gas = chain.estimate(label, to, data)
        tx_hash, raw = chain.sign(to, data, gas, chain.nonce(self.deployer.address))
        try:
            chain.broadcast(raw)
        except _RefusedError as exc:
            raise DeploymentError(f"{label}: the node refused the transaction: {exc}") from None
        chain.state(f"{label}: sent {tx_hash}; waiting for it to be mined")
        receipt = chain.wait_mined(label, [tx_hash])
        if int(receipt["status"], 16) != 1:
            raise DeploymentError(f"{label}: transaction {tx_hash} reverted")
        self.blocks.append(int(receipt["blockNumber"], 16))
        return receipt

    def _chain(self) -> _Chain:
        if self.chain is None:
            self.chain = _Chain(self.layer, self.deployer, "?", Waiting(), lambda _m: None)
        return self.chain


def _onboard_escrow(ctx: DeployContext) -> None:
    """The LetterOfCredit contract holds presented bills, so it must be an organisation of the registry."""
    from .clients.port_registry import RegistryClient

    registry = RegistryClient(ctx.layer, ctx.address("PortRegistry"))
    escrow = ctx.address("LetterOfCredit")
    current = registry.org_of(escrow)
    if current == 0:
        data = registry.abi.function("onboardContract").encode([
            text_hash("portchain letter-of-credit escrow"), to_country("ZZ"), roles_mask(["bank"]),
            to_address(escrow, "contract address"),
        ])
        ctx.send("wiring LetterOfCredit", registry.address, data)
        org_id = registry.org_of(escrow)
        ctx.log(
            f"wired LetterOfCredit: onboarded as contract organisation {org_id} (fixed signer, never suspended) "
            "so it can hold presented bills"
        )
    elif not registry.is_contract_organisation(current):
        raise DeploymentError(
            f"LetterOfCredit {escrow} already signs for organisation {current}, which is not its contract "
            "organisation: the address was claimed before deployment, and this escrow would refuse every "
            "presentation (EscrowNotOnboarded); deploy it again from another address"
        )


# Dependency order: each contract may name any contract above it in its constructor arguments.
SUITE: list[ContractSpec] = [
    ContractSpec("PortRegistry", lambda ctx: [ctx.deployer.address]),
    ContractSpec("Customs", lambda ctx: [ctx.address("PortRegistry")]),
    ContractSpec("BillOfLading", lambda ctx: [ctx.address("PortRegistry"), ctx.address("Customs")]),
    ContractSpec("TradeDocuments", lambda ctx: [ctx.address("PortRegistry")]),
    ContractSpec(
        "LetterOfCreditExtension",
        lambda ctx: [ctx.address("PortRegistry"), ctx.address("BillOfLading"), ctx.address("TradeDocuments")],
    ),
    ContractSpec(
        "LetterOfCredit",
        lambda ctx: [
            ctx.address("PortRegistry"), ctx.address("BillOfLading"), ctx.address("TradeDocuments"),
            ctx.address("LetterOfCreditExtension"),
        ],
        wire=_onboard_escrow,
    ),
    ContractSpec(
        "CargoRelease",
        lambda ctx: [ctx.address("PortRegistry"), ctx.address("Customs"), ctx.address("BillOfLading")],
    ),
    ContractSpec(
        "VatRebates", lambda ctx: [ctx.address("PortRegistry"), ctx.address("Customs"), ctx.address("BillOfLading")]
    ),
    ContractSpec(
        "SettlementToken", lambda ctx: ["Port Settlement USD", "pUSD", ctx.deployer.address], local_only=True
    ),
]


@dataclass(frozen=True)
class DeployResult:
    """What :func:`deploy_suite` did: the records by name, which of them it (re)deployed (``resumed``: those whose
    transaction an earlier, interrupted run had sent, and this run recorded) and which it reused."""

    records: dict[str, dict[str, Any]]
    deployed: list[str]
    reused: list[str]
    resumed: list[str] = field(default_factory=list)


def _receipt(raw: dict[str, Any]) -> Receipt:
    return Receipt(
        tx_hash=raw["transactionHash"],
        block_number=int(raw["blockNumber"], 16),
        gas_used=int(raw["gasUsed"], 16),
        contract_address=to_checksum_address(raw["contractAddress"]) if raw.get("contractAddress") else None,
        logs=raw["logs"],
        raw=raw,
    )


def _receipt_json(receipt: Receipt, sender: str) -> dict[str, Any]:
    raw = receipt.raw
    return {
        "to": raw.get("to"),
        "from": sender,
        "contractAddress": receipt.contract_address,
        "transactionIndex": int(raw["transactionIndex"], 16),
        "gasUsed": str(receipt.gas_used),
        "logsBloom": raw.get("logsBloom"),
        "blockHash": raw["blockHash"],
        "transactionHash": receipt.tx_hash,
        "logs": raw["logs"],
        "blockNumber": receipt.block_number,
        "cumulativeGasUsed": str(int(raw["cumulativeGasUsed"], 16)),
        "status": 1,
        "byzantium": True,
    }


def network_dir(deployments_dir: Path, network: str) -> Path:
    return Path(deployments_dir) / network


def load_records(deployments_dir: Path, network: str) -> dict[str, dict[str, Any]]:
    """Every record of ``network`` by contract name (empty if none), pending ones included."""
    folder = network_dir(deployments_dir, network)
    records = {}
    for spec in SUITE:
        path = folder / f"{spec.name}.json"
        if path.is_file():
            try:
                records[spec.name] = json_object(path.read_text())
            except ValueError:
                raise DeploymentError(f"{path} is not valid JSON: delete it to redeploy") from None
    return records


def pending_note(record: dict[str, Any]) -> str:
    """How a message names a pending record: its transaction(s) and nonce."""
    pending = record.get("pending") or {}
    hashes = pending.get("transactions") or [record.get("transactionHash")]
    return f"has a deployment pending (transaction {hashes[-1]}, nonce {pending.get('nonce')})"


def _check_chain_id(folder: Path, chain_id: int) -> None:
    marker = folder / ".chainId"
    if marker.is_file():
        recorded = marker.read_text().strip()
        if recorded != str(chain_id):
            raise DeploymentError(
                f"{folder} holds deployments on chain {recorded} but the node is chain {chain_id}; "
                "pick the right --network or move the folder away"
            )


def _stale_reason(layer: TransactionLayer, name: str, record: dict[str, Any]) -> str | None:
    artifact = load_artifact(name)
    if record.get("bytecode") != artifact["bytecode"]:
        return f"{name}: the contract changed since {record['address']} was deployed: redeploying"
    if not layer.get_code(record["address"]):
        return (
            f"{name}: the record says {record['address']} but there is no code there on this chain "
            "(a restarted local node?): redeploying"
        )
    return None


def _write_json(path: Path, content: Any) -> None:
    atomic_write(path, (json.dumps(content, indent=2) + "\n").encode())


class _Deployer:
    """One run of :func:`deploy_suite`: deploys, resumes and records the contracts one by one."""

    def __init__(self, context: DeployContext, chain: _Chain, folder: Path) -> None:
        self.ctx, self.chain, self.folder = context, chain, folder
        self.deployed: list[str] = []
        self.reused: list[str] = []
        self.resumed: list[str] = []

    def path(self, name: str) -> Path:
        return self.folder / f"{name}.json"

    def contract(self, spec: ContractSpec) -> None:
        name, log = spec.name, self.ctx.log
        previous = record = self.ctx.records.get(name)
        resumed = False
        if record is not None and "pending" in record:
            record = self.resume(spec, record)
            resumed = record is not None
        args = spec.args(self.ctx)
        if record is not None:
            reason = _stale_reason(self.ctx.layer, name, record)
            if reason is None and record.get("args") == args:
                if resumed:
                    self.deployed.append(name)
                    self.resumed.append(name)
                else:
                    self.reused.append(name)
                    log(f"reusing {name} at {record['address']}")
                return
            log(reason or f"{name}: constructor arguments changed: redeploying")
            previous = record
        self.send(spec, args, previous)
        self.deployed.append(name)

    def _unsigned_record(self, spec: ContractSpec, args: list[Any], previous: dict[str, Any] | None) -> dict[str, Any]:
        artifact = load_artifact(spec.name)
        count = int((previous or {}).get("numDeployments", 0))
        if previous is not None and "pending" in previous:
            count -= 1  # the pending attempt was counted when it was sent
        return {
            "address": None, "abi": artifact["abi"], "transactionHash": None, "args": args,
            "numDeployments": count + 1, "solcInputHash": artifact["solcInputHash"], "metadata": artifact["metadata"],
            "bytecode": artifact["bytecode"], "deployedBytecode": artifact["deployedBytecode"],
        }

    def send(
        self, spec: ContractSpec, args: list[Any], previous: dict[str, Any] | None, *, nonce: int | None = None
    ) -> None:
        """Deploy ``spec``: sign, record as pending, send, wait, complete the record. ``nonce`` (and the earlier
        hashes in ``previous``) when a dropped transaction is sent again."""
        chain, name = self.chain, spec.name
        resend = nonce is not None
        data = bytes.fromhex(load_artifact(name)["bytecode"][2:]) + contract_abi(name).encode_constructor(args)
        gas = chain.estimate(f"deploying {name}", None, data)
        sender = self.ctx.deployer.address
        nonce = chain.nonce(sender) if nonce is None else nonce
        tx_hash, raw = chain.sign(None, data, gas, nonce)
        earlier = list(((previous or {}).get("pending") or {}).get("transactions", [])) if resend else []
        earlier = [known for known in earlier if known != tx_hash]  # the same fees sign the same transaction
        record = self._unsigned_record(spec, args, previous)
        record.update(address=get_create_address(sender, Nonce(nonce)), transactionHash=tx_hash)
        record["pending"] = {"from": sender, "nonce": nonce, "transactions": [*earlier, tx_hash][-8:],
                             "sentAt": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
        _write_json(self.path(name), record)  # before sending: a run stopped from here on is resumed
        try:
            chain.broadcast(raw)
        except _RefusedError as exc:
            self._restore(name, previous)
            raise DeploymentError(f"deploying {name}: the node refused the transaction: {exc}") from None
        self.wait(name, record, sent=f"{name}: sent {tx_hash} (nonce {nonce}); waiting for it to be mined")

    def _restore(self, name: str, previous: dict[str, Any] | None) -> None:
        if previous is None or "pending" in previous:
            self.path(name).unlink(missing_ok=True)
            self.ctx.records.pop(name, None)
        else:
            _write_json(self.path(name), previous)

    def wait(self, name: str, record: dict[str, Any], *, sent: str) -> None:
        """Wait for ``record``'s pending transaction(s) and complete it; a stop leaves it pending, and says so."""
        try:
            self.chain.state(sent)
            raw = self.chain.wait_mined(name, record["pending"]["transactions"])
        except BaseException:
            self.chain.progress(f"{name}: recorded as pending in {self.path(name)}; the next deploy resumes it")
            raise
        self.complete(name, record, raw)
        receipt = _receipt(raw)
        self.ctx.log(f"deployed {name} at {receipt.contract_address} (tx {receipt.tx_hash}, gas {receipt.gas_used:,})")

    def complete(self, name: str, record: dict[str, Any], raw: dict[str, Any]) -> None:
        receipt = _receipt(raw)
        if int(raw["status"], 16) != 1 or receipt.contract_address is None:
            self._restore(name, None)
            raise DeploymentError(f"deploying {name}: transaction {receipt.tx_hash} reverted; deploy again")
        sender = record["pending"]["from"]
        record.pop("pending", None)
        record.update(address=receipt.contract_address, transactionHash=receipt.tx_hash,
                      receipt=_receipt_json(receipt, sender))
        first = ("address", "abi", "transactionHash", "receipt")  # hardhat-deploy's order
        completed: dict[str, Any] = {key: record[key] for key in first if key in record}
        completed.update(record)
        _write_json(self.path(name), completed)
        self.ctx.records[name] = completed
        self.ctx.blocks.append(receipt.block_number)

    def resume(self, spec: ContractSpec, record: dict[str, Any]) -> dict[str, Any] | None:
        """An earlier run's pending deployment: its completed record, or None when it will never be mined (and the
        contract is deployed afresh); a dropped transaction is sent again with its nonce."""
        name, chain, log = spec.name, self.chain, self.ctx.log
        pending = record["pending"]
        hashes, nonce = list(pending["transactions"]), int(pending["nonce"])
        mined = next((raw for raw in map(chain.receipt, hashes) if raw is not None), None)
        if mined is None and any(chain.known(tx_hash) for tx_hash in hashes):
            log(f"{name}: the transaction an earlier run sent ({hashes[-1]}, nonce {nonce}) is still pending: "
                "waiting for it")
            mined = self._wait_resumed(name, hashes)
        if mined is not None:
            self.complete(name, record, mined)
            log(f"{name}: the transaction an earlier run sent ({mined['transactionHash']}) was mined: {name} is at "
                f"{self.ctx.records[name]['address']}")
            return self.ctx.records[name]
        if chain.nonce(pending["from"], "latest") > nonce or pending["from"] != self.ctx.deployer.address:
            log(f"{name}: the transaction an earlier run sent (nonce {nonce}) was never mined, and the nonce is used "
                "or another key sent it: deploying afresh")
            return None
        log(f"{name}: the node no longer knows the transaction an earlier run sent ({hashes[-1]}): sending it again "
            f"with nonce {nonce}")
        self.send(spec, spec.args(self.ctx), record, nonce=nonce)
        return self.ctx.records[name]

    def _wait_resumed(self, name: str, hashes: list[str]) -> dict[str, Any]:
        try:
            return self.chain.wait_mined(name, hashes)
        except BaseException:
            self.chain.progress(f"{name}: still pending in {self.path(name)}; the next deploy resumes it")
            raise

    def confirm(self) -> None:
        """Wait for the confirmations of this run's last block, then check every receipt of this run is still in
        the chain (a reorganisation puts a record back to pending)."""
        if not self.ctx.blocks or not self.chain.waiting.confirmations:
            return
        self.chain.wait_confirmations(max(self.ctx.blocks))
        for name in self.deployed:
            record = self.ctx.records[name]
            raw = self.chain.receipt(record["transactionHash"])
            if raw is not None and raw["blockHash"] == record["receipt"]["blockHash"]:
                continue
            if raw is not None:
                record["receipt"] = _receipt_json(_receipt(raw), record["receipt"]["from"])
                _write_json(self.path(name), record)
                continue
            self._reorged(name, record)

    def _reorged(self, name: str, record: dict[str, Any]) -> None:
        tx = self.chain.known(record["transactionHash"])
        record["pending"] = {"from": record["receipt"]["from"], "nonce": int(tx["nonce"], 16) if tx else -1,
                             "transactions": [record["transactionHash"]]}
        record.pop("receipt", None)
        _write_json(self.path(name), record)
        raise DeploymentError(f"{name}: transaction {record['transactionHash']} is no longer in the chain (a "
                              "reorganisation); its record is pending again: deploy again to resume")


def deploy_suite(
    layer: TransactionLayer,
    network: str,
    deployer: LocalAccount,
    deployments_dir: Path,
    *,
    local: bool = True,
    log: Log = lambda _msg: None,
    with_token: bool = False,
    progress: Log | None = None,
    confirmations: int | None = None,
    block_time: float | None = None,
) -> DeployResult:
    """Deploy (or reuse, or finish) every contract of the suite on ``network`` and write its records. Contracts
    marked ``local_only`` (the settlement-token faucet) are deployed only when ``local`` or ``with_token``.

    ``progress`` hears how transactions are waited for; ``confirmations`` (default: the layer's) and ``block_time``
    (seconds, a hint; default 1 on a local network, else 12) set how long each wait may last."""
    folder = network_dir(deployments_dir, network)
    chain_id = layer.chain_id
    _check_chain_id(folder, chain_id)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / ".chainId").write_text(f"{chain_id}\n")
    solc_hash = load_artifact(SUITE[0].name)["solcInputHash"]
    solc_path = folder / "solcInputs" / f"{solc_hash}.json"
    if not solc_path.is_file():
        _write_json(solc_path, load_solc_input())
    waiting = Waiting(
        layer.confirmations if confirmations is None else confirmations,
        block_time if block_time is not None else (1.0 if local else 12.0),
        local,
    )
    chain = _Chain(layer, deployer, network, waiting, progress or (lambda _m: None))
    context = DeployContext(layer, deployer, load_records(deployments_dir, network), log, chain)
    run = _Deployer(context, chain, folder)
    specs = [spec for spec in SUITE if local or with_token or not spec.local_only]
    try:
        for spec in specs:
            run.contract(spec)
        wiring = [spec.wire for spec in specs if spec.wire is not None]
        if wiring:
            chain.settle("wiring")  # a wiring transaction an interrupted run sent may still be in flight
        for wire in wiring:
            wire(context)
        run.confirm()
    finally:
        layer.reset_nonces()  # this run sent from the deployer behind the layer's nonce cache
    return DeployResult(context.records, run.deployed, run.reused, run.resumed)
