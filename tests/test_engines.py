"""The same artifacts on each local engine: the suite deploys (LetterOfCredit wired as the escrow organisation), a
second deploy reuses every record, and the flagship scenario runs green, on Anvil and on Ganache 7.9 (npm, pinned);
and the Besu QBFT network of networks/besu, which cannot run here, is checked as files.

Ganache runs at most shanghai, so this is what holds the compiler's EVM version to it: cancun code (MCOPY, the
transient reentrancy guard's TLOAD/TSTORE) is an invalid opcode there, and the deploy fails with no reason given.
"""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
import yaml

import portchain
from portchain.compiler import EVM_VERSION
from portchain.config import dev_account, get_network
from portchain.deploy import SUITE, DeployResult
from portchain.node import ENGINES, LocalNode
from portchain.port import Port
from portchain.scenario import load_scenario, run_scenario

FLAGSHIP = Path(__file__).resolve().parents[1] / "scripts" / "scenarios" / "flagship.yaml"
SUITE_NAMES = [spec.name for spec in SUITE]


@pytest.fixture(scope="module", params=ENGINES)
def deployed(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Port, DeployResult, Path]]:
    """A fresh node of each engine with the suite deployed once through the public SDK."""
    records = tmp_path_factory.mktemp(f"deployments-{request.param}")
    with LocalNode.start(engine=request.param) as node, portchain.connect(
        "anvil", rpc_url=node.rpc_url, deployments_dir=records
    ) as port:
        assert port.layer.request("web3_clientVersion", []).lower().startswith(request.param)
        yield port, port.deploy(), records


def test_the_suite_deploys_and_the_escrow_is_wired(deployed: tuple[Port, DeployResult, Path]) -> None:
    port, result, records = deployed
    assert result.deployed == SUITE_NAMES
    assert (records / "anvil" / ".chainId").read_text().strip() == "31337"
    for name, record in result.records.items():
        assert port.layer.get_code(record["address"]), f"no code for {name}"
    escrow = port.registry.org_of(result.records["LetterOfCredit"]["address"])
    assert escrow != 0 and port.registry.is_contract_organisation(escrow)


def test_a_second_deploy_deploys_nothing(deployed: tuple[Port, DeployResult, Path]) -> None:
    port, first, _ = deployed
    block = port.layer.request("eth_blockNumber", [])
    again = port.deploy()
    assert again.deployed == [] and again.reused == SUITE_NAMES
    assert again.records["PortRegistry"]["address"] == first.records["PortRegistry"]["address"]
    assert port.layer.request("eth_blockNumber", []) == block


def test_the_flagship_scenario_runs_green(deployed: tuple[Port, DeployResult, Path]) -> None:
    port, _, _ = deployed
    scenario = load_scenario(FLAGSHIP)
    result = run_scenario(scenario, port, timeline=False)
    assert result.refusals == sum(1 for step in scenario.steps if step.expect) >= 1
    assert {"credit", "presentation", "pickup", "rebate"} <= set(result.saved)


# -- Besu: cannot run here, so its network files are checked statically -------------------------------------------

BESU = Path(__file__).resolve().parents[1] / "networks" / "besu"


@pytest.fixture(scope="module")
def besu_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_besu_genesis", BESU / "make_genesis.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_besu_files_are_what_the_script_writes(besu_script: ModuleType) -> None:
    assert besu_script.check() == []


def test_besu_genesis_is_a_four_validator_qbft_chain_for_the_shipped_evm(besu_script: ModuleType) -> None:
    genesis = json.loads((BESU / "genesis.json").read_text())
    config = genesis["config"]
    assert config["chainId"] == 1337 == get_network("besu", rpc_url="http://besu.invalid").chain_id
    assert config["qbft"] == {"blockperiodseconds": 2, "epochlength": 30000, "requesttimeoutseconds": 4}
    validators = besu_script.decode_extra_data(genesis["extraData"])
    keyed = [(BESU / "dev-keys" / f"validator{i}" / "address").read_text().strip() for i in range(1, 5)]
    assert validators == keyed and len(set(validators)) == 4
    # london, then shanghai (the compiler's EVM) from genesis, and no later fork
    assert EVM_VERSION == "shanghai"
    assert config["londonBlock"] == 0 and config["shanghaiTime"] == 0
    assert not {"cancunTime", "pragueTime", "osakaTime"} & set(config)
    assert int(genesis["alloc"][dev_account(0).address.lower()[2:]]["balance"], 16) >= 10**21


def test_besu_compose_runs_the_four_validators(besu_script: ModuleType) -> None:
    compose = yaml.safe_load((BESU / "docker-compose.yml").read_text())
    services = compose["services"]
    assert sorted(services) == [f"validator{i}" for i in range(1, 5)]
    for i in range(1, 5):
        service = services[f"validator{i}"]
        assert service["image"] == "hyperledger/besu:24.12.2"
        env = service["environment"]
        key_file = env["BESU_NODE_PRIVATE_KEY_FILE"].replace("/besu/", "")
        assert (BESU / key_file).read_text() == "0x" + besu_script.validator_key(i).to_bytes().hex()
        assert env["BESU_P2P_HOST"] == service["networks"]["qbft"]["ipv4_address"] == f"172.28.0.{10 + i}"
        assert env["BESU_GENESIS_FILE"] == "/besu/genesis.json"
