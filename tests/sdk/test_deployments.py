"""Deployment records in hardhat-deploy's format; idempotent redeploys; stale records detected."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from portchain import DeploymentError
from portchain._artifacts import load_artifact, load_solc_input
from portchain.deploy import SUITE, deploy_suite

SUITE_NAMES = [spec.name for spec in SUITE]

HARDHAT_DEPLOY_KEYS = {
    "address", "abi", "transactionHash", "receipt", "args", "bytecode", "deployedBytecode", "metadata", "solcInputHash",
}
RECEIPT_KEYS = {
    "to", "from", "contractAddress", "transactionIndex", "gasUsed", "logsBloom", "blockHash", "transactionHash",
    "logs", "blockNumber", "cumulativeGasUsed", "status", "byzantium",
}


def test_records_follow_hardhat_deploy(port, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = deploy_suite(port.layer, "anvil", port.deployer, tmp_path)
    folder = tmp_path / "anvil"
    assert (folder / ".chainId").read_text().strip() == "31337"
    record = json.loads((folder / "PortRegistry.json").read_text())
    assert set(record) >= HARDHAT_DEPLOY_KEYS
    assert set(record["receipt"]) >= RECEIPT_KEYS
    artifact = load_artifact("PortRegistry")
    assert record["abi"] == artifact["abi"]
    assert record["bytecode"] == artifact["bytecode"]
    assert record["deployedBytecode"] == artifact["deployedBytecode"]
    assert record["args"] == [port.deployer.address]
    assert record["receipt"]["contractAddress"] == record["address"] == result.records["PortRegistry"]["address"]
    assert record["receipt"]["transactionHash"] == record["transactionHash"]
    assert record["receipt"]["status"] == 1
    assert int(record["receipt"]["gasUsed"]) > 0
    solc_input = json.loads((folder / "solcInputs" / f"{record['solcInputHash']}.json").read_text())
    assert solc_input == load_solc_input()
    # The runtime code on the chain is the recorded deployed bytecode (no immutables in PortRegistry).
    assert "0x" + port.layer.get_code(record["address"]).hex() == record["deployedBytecode"]


def test_second_deploy_deploys_nothing(port, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    first = deploy_suite(port.layer, "anvil", port.deployer, tmp_path)
    block = port.layer.request("eth_blockNumber", [])
    second = deploy_suite(port.layer, "anvil", port.deployer, tmp_path)
    assert first.deployed == SUITE_NAMES
    assert second.deployed == [] and second.reused == SUITE_NAMES
    assert second.records["PortRegistry"]["address"] == first.records["PortRegistry"]["address"]
    assert port.layer.request("eth_blockNumber", []) == block


def test_record_without_code_is_redeployed_with_a_message(port, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    deploy_suite(port.layer, "anvil", port.deployer, tmp_path)
    path = tmp_path / "anvil" / "PortRegistry.json"
    record = json.loads(path.read_text())
    record["address"] = "0x000000000000000000000000000000000000dEaD"
    path.write_text(json.dumps(record))
    messages: list[str] = []
    again = deploy_suite(port.layer, "anvil", port.deployer, tmp_path, log=messages.append)
    # every contract built on the registry follows it; the token does not depend on it
    assert again.deployed == [name for name in SUITE_NAMES if name != "SettlementToken"]
    assert any("no code there" in m and "0x000000000000000000000000000000000000dEaD" in m for m in messages)
    assert json.loads(path.read_text())["numDeployments"] == 2


def test_changed_contract_is_redeployed(port, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    deploy_suite(port.layer, "anvil", port.deployer, tmp_path)
    path = tmp_path / "anvil" / "PortRegistry.json"
    record = json.loads(path.read_text())
    record["bytecode"] = "0x00"
    path.write_text(json.dumps(record))
    messages: list[str] = []
    again = deploy_suite(port.layer, "anvil", port.deployer, tmp_path, log=messages.append)
    assert again.deployed == [name for name in SUITE_NAMES if name != "SettlementToken"]
    assert any("changed" in m for m in messages)


def test_records_of_another_chain_are_refused(port, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "anvil").mkdir()
    (tmp_path / "anvil" / ".chainId").write_text("11155111\n")
    with pytest.raises(DeploymentError, match="chain 11155111 but the node is chain 31337"):
        deploy_suite(port.layer, "anvil", port.deployer, tmp_path)


def test_corrupt_record_is_reported(port, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "anvil").mkdir()
    (tmp_path / "anvil" / "PortRegistry.json").write_text("{not json")
    with pytest.raises(DeploymentError, match="not valid JSON"):
        deploy_suite(port.layer, "anvil", port.deployer, tmp_path)


def test_remote_networks_get_no_faucet_token(port, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = deploy_suite(port.layer, "anvil", port.deployer, tmp_path, local=False)
    assert "SettlementToken" not in result.records
    assert result.deployed == [name for name in SUITE_NAMES if name != "SettlementToken"]


def test_letter_of_credit_is_wired_once(port, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    messages: list[str] = []
    first = deploy_suite(port.layer, "anvil", port.deployer, tmp_path, log=messages.append)
    from portchain.clients.port_registry import RegistryClient

    registry = RegistryClient(port.layer, first.records["PortRegistry"]["address"])
    escrow_org = registry.org_of(first.records["LetterOfCredit"]["address"])
    assert escrow_org != 0 and any("wired LetterOfCredit" in m for m in messages)
    messages.clear()
    deploy_suite(port.layer, "anvil", port.deployer, tmp_path, log=messages.append)
    assert not any("wired" in m for m in messages)
    assert registry.organisation_count() == escrow_org


def test_a_refused_transaction_leaves_no_record(port, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from eth_account import Account

    broke = Account.create()  # no ether: the node refuses the deployment
    with pytest.raises(DeploymentError, match="deploying PortRegistry: the node refused the transaction: Insufficient"):
        deploy_suite(port.layer, "anvil", broke, tmp_path)
    assert not (tmp_path / "anvil" / "PortRegistry.json").exists()


def test_a_stopped_deploy_is_resumed_from_its_pending_record(  # type: ignore[no-untyped-def]
    port, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Stopped while waiting for Customs' transaction (here: it was mined meanwhile): the record was written,
    pending, before the transaction was sent; the next run records the mined one instead of deploying again."""
    from portchain import deploy

    real_wait = deploy._Chain.wait_mined

    def stop_at_customs(self, label: str, hashes: list[str]):  # type: ignore[no-untyped-def]
        if label == "Customs":
            raise KeyboardInterrupt
        return real_wait(self, label, hashes)

    monkeypatch.setattr(deploy._Chain, "wait_mined", stop_at_customs)
    nonce = int(port.layer.request("eth_getTransactionCount", [port.deployer.address, "latest"]), 16)
    with pytest.raises(KeyboardInterrupt):
        deploy_suite(port.layer, "anvil", port.deployer, tmp_path)
    pending = json.loads((tmp_path / "anvil" / "Customs.json").read_text())
    assert pending["pending"]["nonce"] == nonce + 1 and "receipt" not in pending
    again = portchain_connect(port, tmp_path)
    with pytest.raises(DeploymentError, match=r"Customs has a deployment pending \(transaction 0x[0-9a-f]{64}, "
                                              rf"nonce {nonce + 1}\): run `portchain deploy --network anvil`"):
        again.customs.address  # noqa: B018
    monkeypatch.setattr(deploy._Chain, "wait_mined", real_wait)
    messages: list[str] = []
    result = deploy_suite(port.layer, "anvil", port.deployer, tmp_path, log=messages.append)
    assert result.resumed == ["Customs"] and result.reused == ["PortRegistry"]
    assert result.deployed == SUITE_NAMES[1:]
    assert any("Customs: the transaction an earlier run sent" in m and "was mined" in m for m in messages)
    record = json.loads((tmp_path / "anvil" / "Customs.json").read_text())
    assert "pending" not in record and record["address"] == pending["address"] and record["numDeployments"] == 1
    assert list(record)[:4] == ["address", "abi", "transactionHash", "receipt"]
    # one transaction per contract, and the escrow's wiring
    assert int(port.layer.request("eth_getTransactionCount", [port.deployer.address, "latest"]), 16) == (
        nonce + len(SUITE_NAMES) + 1)


def test_a_pending_record_whose_nonce_went_elsewhere_is_deployed_afresh(port, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    deploy_suite(port.layer, "anvil", port.deployer, tmp_path)
    path = tmp_path / "anvil" / "TradeDocuments.json"
    record = json.loads(path.read_text())
    del record["receipt"]
    record["pending"] = {"from": port.deployer.address, "nonce": 0, "transactions": ["0x" + "ab" * 32]}
    path.write_text(json.dumps(record))
    messages: list[str] = []
    again = deploy_suite(port.layer, "anvil", port.deployer, tmp_path, log=messages.append)
    assert any("TradeDocuments: the transaction an earlier run sent (nonce 0) was never mined" in m for m in messages)
    # deployed afresh, and the contracts built on it follow
    assert again.deployed[0] == "TradeDocuments" and again.resumed == []
    assert json.loads(path.read_text())["numDeployments"] == 1


def portchain_connect(port, folder: Path):  # type: ignore[no-untyped-def]
    import portchain

    return portchain.connect("anvil", rpc_url=port.layer.rpc_url, deployments_dir=folder)
