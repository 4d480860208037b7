"""Deploy the portchain suite and keep its hardhat-deploy records in deployments/<network>/.

* SDK: ``python scripts/deploy.py [NETWORK]``, or ``main(network)`` (portchain's own deploy; on the local anvil
  network with no RPC URL set it starts an Anvil for the run).
* Brownie: ``brownie run scripts/deploy.py [main FOLDER]`` from .venv-brownie (``make brownie``): brownie compiles
  (the project's solcjs, brownie-config.yaml), signs and sends; the suite, its constructor arguments, the wiring and
  the records are the SDK's, so ``portchain`` reuses them. The records go to deployments/FOLDER, by default the
  brownie network's id, its local ``development`` (or ``anvil``) network being portchain's ``anvil``.

Under brownie this file does not import portchain (brownie's venv does not have it): the brownie half below keeps
portchain.deploy's suite, reuse rules and record format, and tests/brownie compares its records with the SDK's.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "src" / "portchain" / "artifacts"


def main(network: str | None = None) -> Any:
    """Deploy (or reuse) the suite. Under ``brownie run``: on brownie's network, records in deployments/``network``
    (default: from the brownie network), returning them. Otherwise with the SDK on ``network`` (default ``anvil``),
    returning the connection, a ``portchain.Port`` (its node, if any, keeps running).

    ``brownie run`` compiles the function it calls again, without this file's ``from __future__ import
    annotations``: its annotations are evaluated, so they name nothing of portchain."""
    if _brownie_connected():
        return _brownie_main(network)
    import portchain

    port = portchain.connect(network or "anvil")
    port.deploy(log=print)
    return port


# ---------------------------------------------------------------------------------------------------------------
# Brownie: the same suite, order, arguments, wiring and records as portchain.deploy
# ---------------------------------------------------------------------------------------------------------------

# Dependency order, as portchain.deploy.SUITE: name, constructor arguments from the addresses deployed before (and
# the deployer's), and whether the contract exists only on local chains.
Addresses = dict[str, str]
SUITE: list[tuple[str, Callable[[Addresses], list[Any]], bool]] = [
    ("PortRegistry", lambda a: [a["deployer"]], False),
    ("Customs", lambda a: [a["PortRegistry"]], False),
    ("BillOfLading", lambda a: [a["PortRegistry"], a["Customs"]], False),
    ("TradeDocuments", lambda a: [a["PortRegistry"]], False),
    ("LetterOfCreditExtension", lambda a: [a["PortRegistry"], a["BillOfLading"], a["TradeDocuments"]], False),
    (
        "LetterOfCredit",
        lambda a: [a["PortRegistry"], a["BillOfLading"], a["TradeDocuments"], a["LetterOfCreditExtension"]],
        False,
    ),
    ("CargoRelease", lambda a: [a["PortRegistry"], a["Customs"], a["BillOfLading"]], False),
    ("VatRebates", lambda a: [a["PortRegistry"], a["Customs"], a["BillOfLading"]], False),
    ("SettlementToken", lambda a: ["Port Settlement USD", "pUSD", a["deployer"]], True),
]
ESCROW_NAME = "portchain letter-of-credit escrow"  # the LetterOfCredit's contract organisation (bank, country ZZ)
BANK_ROLE = 3  # IPortRegistry.Role.Bank
LOCAL_NETWORKS = {"development": "anvil", "anvil": "anvil"}  # brownie's local Anvil networks -> portchain's


class DeployError(RuntimeError):
    """The deploy cannot go on; the message says why and what to do."""


def _brownie_connected() -> bool:
    brownie = sys.modules.get("brownie")
    return brownie is not None and bool(brownie.network.is_connected())


def _brownie_main(folder_name: str | None) -> dict[str, dict[str, Any]]:
    import brownie

    _load_dotenv()
    active = str(brownie.network.show_active())
    name = folder_name or LOCAL_NETWORKS.get(active, active)
    local = brownie._config.CONFIG.network_type == "development" or name == "anvil"
    return brownie_deploy(name, local=local)


def _load_dotenv() -> None:
    """Read a .env (cwd upwards) without overriding the environment, as portchain.config does."""
    from dotenv import find_dotenv, load_dotenv

    path = find_dotenv(usecwd=True)
    if path:
        load_dotenv(path, override=False)


def deployments_dir() -> Path:
    """$PORTCHAIN_DEPLOYMENTS_DIR, else the checkout's deployments/ (portchain.port.default_deployments_dir)."""
    explicit = os.environ.get("PORTCHAIN_DEPLOYMENTS_DIR")
    return Path(explicit) if explicit else ROOT / "deployments"


def _artifact(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((ARTIFACTS / f"{name}.json").read_text())
    return data


def _write_json(path: Path, content: Any) -> None:
    """Whole or not at all (portchain._files.atomic_write), laid out as portchain.deploy writes it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    with os.fdopen(fd, "w") as handle:
        handle.write(json.dumps(content, indent=2) + "\n")
    os.replace(tmp, path)


def _key_source(prefix: str) -> tuple[str, str | None, str | None]:
    """(what, private key, keystore path) from ``<prefix>_PRIVATE_KEY`` / ``<prefix>_KEYSTORE``; both is an error."""
    key, keystore = os.environ.get(f"{prefix}_PRIVATE_KEY"), os.environ.get(f"{prefix}_KEYSTORE")
    if key and keystore:
        raise DeployError(f"both {prefix}_PRIVATE_KEY and {prefix}_KEYSTORE are set: keep one")
    return prefix, key, keystore


def _deployer(name: str, local: bool) -> Any:
    """The SDK's order (portchain.config): the network's own ``<NAME>_PRIVATE_KEY`` or ``<NAME>_KEYSTORE`` (+
    ``_PASSWORD``); a remote network then falls back to ``PORTCHAIN_PRIVATE_KEY`` / ``PORTCHAIN_KEYSTORE``; a local
    one to the node's account 0 (Anvil's development account 0) and never to another network's key."""
    from brownie import accounts

    sources = [_key_source(name.upper().replace("-", "_"))]
    if not local:
        sources.append(_key_source("PORTCHAIN"))
    for prefix, key, keystore in sources:
        if key:
            return accounts.add(key.strip())
        if keystore:
            password = os.environ.get(f"{prefix}_KEYSTORE_PASSWORD")
            if password is None:
                raise DeployError(f"{prefix}_KEYSTORE is set but {prefix}_KEYSTORE_PASSWORD is not")
            return accounts.load(keystore, password)
    if local and len(accounts) > 0:
        return accounts[0]
    wanted = f"{name.upper().replace('-', '_')}_PRIVATE_KEY"
    raise DeployError(f"no deployer key for {name}: set {wanted} (or a keystore, or PORTCHAIN_PRIVATE_KEY)")


def _compiled(container: Any, name: str) -> dict[str, Any]:
    """The shipped artifact of ``name``, checked to be the very code brownie compiled (so its metadata and
    solcInputHash describe what is deployed, and the SDK reuses what brownie deploys)."""
    artifact = _artifact(name)
    if "0x" + str(container.bytecode).removeprefix("0x") != artifact["bytecode"]:
        raise DeployError(
            f"brownie's build of {name} differs from src/portchain/artifacts/{name}.json: run `make compile` "
            "(contracts changed since) or align brownie-config.yaml with portchain.compiler's settings"
        )
    return artifact


def _raw_receipt(tx_hash: str) -> dict[str, Any]:
    from brownie import web3

    response = web3.provider.make_request("eth_getTransactionReceipt", [tx_hash])
    raw: dict[str, Any] = response["result"]
    return raw


def _receipt_json(raw: dict[str, Any], sender: str, contract_address: str) -> dict[str, Any]:
    """portchain.deploy._receipt_json of the node's own receipt."""
    return {
        "to": raw.get("to"),
        "from": sender,
        "contractAddress": contract_address,
        "transactionIndex": int(raw["transactionIndex"], 16),
        "gasUsed": str(int(raw["gasUsed"], 16)),
        "logsBloom": raw.get("logsBloom"),
        "blockHash": raw["blockHash"],
        "transactionHash": raw["transactionHash"],
        "logs": raw["logs"],
        "blockNumber": int(raw["blockNumber"], 16),
        "cumulativeGasUsed": str(int(raw["cumulativeGasUsed"], 16)),
        "status": 1,
        "byzantium": True,
    }


def _load_records(folder: Path, chain_id: int) -> dict[str, dict[str, Any]]:
    marker = folder / ".chainId"
    if marker.is_file() and marker.read_text().strip() != str(chain_id):
        raise DeployError(
            f"{folder} holds deployments on chain {marker.read_text().strip()} but the node is chain {chain_id}; "
            "pick the right network or move the folder away"
        )
    records = {}
    for name, _args, _local in SUITE:
        path = folder / f"{name}.json"
        if path.is_file():
            try:
                records[name] = json.loads(path.read_text())
            except ValueError:
                raise DeployError(f"{path} is not valid JSON: delete it to redeploy") from None
    return records


def _redeploy_reason(name: str, record: dict[str, Any], artifact: dict[str, Any], args: list[Any]) -> str | None:
    """Why the contract of ``record`` cannot be reused, or None (portchain.deploy's rules)."""
    from brownie import web3

    if record.get("bytecode") != artifact["bytecode"]:
        return f"{name}: the contract changed since {record['address']} was deployed: redeploying"
    if len(web3.eth.get_code(record["address"])) == 0:
        return (
            f"{name}: the record says {record['address']} but there is no code there on this chain "
            "(a restarted local node?): redeploying"
        )
    if record.get("args") != args:
        return f"{name}: constructor arguments changed: redeploying"
    return None


def _deploy_one(container: Any, name: str, artifact: dict[str, Any], args: list[Any], deployer: Any,
                previous: dict[str, Any] | None) -> dict[str, Any]:
    contract = container.deploy(*args, {"from": deployer})
    raw = _raw_receipt(contract.tx.txid)
    address = str(contract.address)
    print(f"deployed {name} at {address} (tx {raw['transactionHash']}, gas {int(raw['gasUsed'], 16):,})")
    return {
        "address": address,
        "abi": artifact["abi"],
        "transactionHash": raw["transactionHash"],
        "receipt": _receipt_json(raw, str(deployer.address), address),
        "args": args,
        "numDeployments": int((previous or {}).get("numDeployments", 0)) + 1,
        "solcInputHash": artifact["solcInputHash"],
        "metadata": artifact["metadata"],
        "bytecode": artifact["bytecode"],
        "deployedBytecode": artifact["deployedBytecode"],
    }


def _onboard_escrow(project: Any, addresses: Addresses, deployer: Any) -> None:
    """The LetterOfCredit contract holds presented bills, so it must be an organisation of the registry."""
    from brownie import web3

    registry = project["PortRegistry"].at(addresses["PortRegistry"])
    escrow = addresses["LetterOfCredit"]
    current = int(registry.orgOf(escrow))
    if current == 0:
        tx = registry.onboardContract(
            web3.keccak(text=ESCROW_NAME), b"ZZ", 1 << BANK_ROLE, escrow, {"from": deployer}
        )
        org_id = tx.events["OrganisationOnboarded"]["orgId"]
        print(
            f"wired LetterOfCredit: onboarded as contract organisation {org_id} (fixed signer, never suspended) "
            "so it can hold presented bills"
        )
    elif not registry.isContractOrganisation(current):
        raise DeployError(
            f"LetterOfCredit {escrow} already signs for organisation {current}, which is not its contract "
            "organisation: the address was claimed before deployment, and this escrow would refuse every "
            "presentation (EscrowNotOnboarded); deploy it again from another address"
        )


def brownie_deploy(name: str, *, local: bool) -> dict[str, dict[str, Any]]:
    """Deploy (or reuse) the suite on brownie's network and write its records to deployments/``name``."""
    from brownie import chain, project

    (loaded,) = project.get_loaded_projects()
    folder = deployments_dir() / name
    chain_id = int(chain.id)
    records = _load_records(folder, chain_id)
    deployer = _deployer(name, local)
    addresses: Addresses = {"deployer": str(deployer.address)}
    for contract, build_args, local_only in SUITE:
        if local_only and not local:
            continue
        artifact = _compiled(loaded[contract], contract)
        args = build_args(addresses)
        record = records.get(contract)
        if record is not None and "pending" in record:
            raise DeployError(
                f"{contract}: a stopped `portchain deploy` left its transaction pending in {folder}: "
                f"resume it with `portchain deploy --network {name}` first"
            )
        reason = None if record is None else _redeploy_reason(contract, record, artifact, args)
        if record is not None and reason is None:
            print(f"reusing {contract} at {record['address']}")
        else:
            if reason:
                print(reason)
            record = _deploy_one(loaded[contract], contract, artifact, args, deployer, record)
            records[contract] = record
            _write_json(folder / f"{contract}.json", record)
        addresses[contract] = record["address"]

    _onboard_escrow(loaded, addresses, deployer)

    folder.mkdir(parents=True, exist_ok=True)
    (folder / ".chainId").write_text(f"{chain_id}\n")
    solc_hash = _artifact(SUITE[0][0])["solcInputHash"]
    solc_path = folder / "solcInputs" / f"{solc_hash}.json"
    if not solc_path.is_file():
        _write_json(solc_path, json.loads((ARTIFACTS / "solc-input.json").read_text()))
    print(f"records of {len(addresses) - 1} contracts in {folder} (chain {chain_id})")
    return records


if __name__ == "__main__":
    import portchain

    connection = main(sys.argv[1] if len(sys.argv) > 1 else "anvil")
    if isinstance(connection, portchain.Port):
        connection.close()
