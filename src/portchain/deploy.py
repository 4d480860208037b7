"""Deploy the portchain suite in dependency order and keep hardhat-deploy compatible records.

``deployments/<network>/<Contract>.json`` holds address, abi, transactionHash, receipt, args, bytecode,
deployedBytecode, metadata and solcInputHash; ``.chainId`` and ``solcInputs/<hash>.json`` sit beside them, so
Etherscan verification, subgraphs and ethers.js can read them. Deploying again reuses every record whose code is
on the chain and whose bytecode is unchanged; a record whose address has no code (a restarted local node) or
whose contract changed is redeployed, and the reason is reported.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from eth_account.signers.local import LocalAccount

from ._artifacts import load_artifact, load_solc_input
from ._files import atomic_write
from .clients._base import contract_abi
from .compiler import json_object
from .errors import DeploymentError
from .transactions import Receipt, TransactionLayer

Log = Callable[[str], None]


@dataclass(frozen=True)
class ContractSpec:
    """One contract of the suite: its name, how to build its constructor arguments from those deployed before,
    whether it exists only on local chains, and how to wire it to the others once deployed (idempotently)."""

    name: str
    args: Callable[[DeployContext], list[Any]]
    local_only: bool = False
    wire: Callable[[DeployContext], None] | None = None


@dataclass
class DeployContext:
    layer: TransactionLayer
    deployer: LocalAccount
    records: dict[str, dict[str, Any]]
    log: Log

    def address(self, name: str) -> str:
        return str(self.records[name]["address"])


def _onboard_escrow(ctx: DeployContext) -> None:
    """The LetterOfCredit contract holds presented bills, so it must be an organisation of the registry."""
    from .clients.port_registry import RegistryClient

    registry = RegistryClient(ctx.layer, ctx.address("PortRegistry"))
    escrow = ctx.address("LetterOfCredit")
    current = registry.org_of(escrow)
    if current == 0:
        org_id = registry.onboard_contract(
            "portchain letter-of-credit escrow", "ZZ", ["bank"], escrow, sender=ctx.deployer
        )
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
    """What :func:`deploy_suite` did: the records by name and which of them it (re)deployed."""

    records: dict[str, dict[str, Any]]
    deployed: list[str]
    reused: list[str]


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
    """Every record of ``network`` by contract name (empty if none)."""
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


def deploy_suite(
    layer: TransactionLayer,
    network: str,
    deployer: LocalAccount,
    deployments_dir: Path,
    *,
    local: bool = True,
    log: Log = lambda _msg: None,
) -> DeployResult:
    """Deploy (or reuse) every contract of the suite on ``network`` and write its records. Contracts marked
    ``local_only`` (the settlement-token faucet) are deployed only when ``local``."""
    folder = network_dir(deployments_dir, network)
    chain_id = layer.chain_id
    _check_chain_id(folder, chain_id)
    records = load_records(deployments_dir, network)
    context = DeployContext(layer, deployer, records, log)
    deployed: list[str] = []
    reused: list[str] = []

    specs = [spec for spec in SUITE if local or not spec.local_only]
    for spec in specs:
        artifact = load_artifact(spec.name)
        record = records.get(spec.name)
        args = spec.args(context)
        if record is not None:
            reason = _stale_reason(layer, spec.name, record)
            if reason is None and record.get("args") == args:
                reused.append(spec.name)
                log(f"reusing {spec.name} at {record['address']}")
                continue
            log(reason or f"{spec.name}: constructor arguments changed: redeploying")
        abi = contract_abi(spec.name)
        data = bytes.fromhex(artifact["bytecode"][2:]) + abi.encode_constructor(args)
        receipt = layer.send(deployer, None, data)
        if receipt.contract_address is None:
            raise DeploymentError(f"deploying {spec.name} returned no contract address")
        record = {
            "address": receipt.contract_address,
            "abi": artifact["abi"],
            "transactionHash": receipt.tx_hash,
            "receipt": _receipt_json(receipt, deployer.address),
            "args": args,
            "numDeployments": int((records.get(spec.name) or {}).get("numDeployments", 0)) + 1,
            "solcInputHash": artifact["solcInputHash"],
            "metadata": artifact["metadata"],
            "bytecode": artifact["bytecode"],
            "deployedBytecode": artifact["deployedBytecode"],
        }
        records[spec.name] = record
        deployed.append(spec.name)
        log(f"deployed {spec.name} at {receipt.contract_address} (tx {receipt.tx_hash}, gas {receipt.gas_used:,})")
        _write_json(folder / f"{spec.name}.json", record)

    for spec in specs:
        if spec.wire is not None:
            spec.wire(context)

    folder.mkdir(parents=True, exist_ok=True)
    (folder / ".chainId").write_text(f"{chain_id}\n")
    solc_hash = load_artifact(SUITE[0].name)["solcInputHash"]
    solc_path = folder / "solcInputs" / f"{solc_hash}.json"
    if not solc_path.is_file():
        _write_json(solc_path, load_solc_input())
    return DeployResult(records, deployed, reused)


def _write_json(path: Path, content: Any) -> None:
    atomic_write(path, (json.dumps(content, indent=2) + "\n").encode())
