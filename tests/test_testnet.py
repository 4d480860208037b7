"""The real-network path, rehearsed on Anvil standing for a testnet: chain id 11155111, blocks on a timer (not on
demand), a network defined only in a portchain.toml, a keystore key funded like a testnet account, no cheat codes
in the SDK's path (the network is not local).

* Deploying: with the settlement token, waiting for 2 confirmations of 1-second blocks, with progress; again (all
  reused, no transaction); interrupted after a transaction was sent (and that transaction dropped by the node, and
  another left pending) then run again: exactly one copy of each contract; on a chain that mines only when asked, a
  clear error within seconds instead of a silent five-minute wait.
* Scenarios: the flagship twice with the same PORTCHAIN_SCENARIO_KEYS, the second run reusing every organisation.
  The flagship sends about 70 transactions one after the other; at 1-second blocks and 2 confirmations that is
  minutes, so the scenarios run on a second chain of the same kind with 0.2-second blocks and no confirmations
  (what is rehearsed there is re-running with fixed keys, not waiting).
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from eth_account import Account
from eth_account.signers.local import LocalAccount
from web3.utils.address import get_create_address

import portchain
from portchain.config import dev_account
from portchain.deploy import SUITE, Waiting
from portchain.errors import ConfigurationError, DeploymentError
from portchain.node import AnvilNode
from portchain.port import Port
from portchain.scenario import load_scenario, run_scenario
from portchain.transactions import TransactionLayer

SEPOLIA = 11155111
SLOW, FAST = "rehearsal-sepolia", "rehearsal-fast"
SUITE_NAMES = [spec.name for spec in SUITE]
FLAGSHIP = Path(__file__).resolve().parents[1] / "scripts" / "scenarios" / "flagship.yaml"


class Interrupted(BaseException):
    """Stands for Ctrl-C or a crash: not an Exception, so nothing on the way catches it."""


@dataclass
class Chain:
    node: AnvilNode
    network: str
    folder: Path
    deployer: LocalAccount
    lines: list[str] = field(default_factory=list)

    def rpc(self, method: str, params: list[Any]) -> Any:
        return TransactionLayer(self.node.rpc_url).request(method, params)

    def nonce(self) -> int:
        return int(self.rpc("eth_getTransactionCount", [self.deployer.address, "latest"]), 16)

    def mining(self, on: bool) -> None:
        self.rpc("evm_setIntervalMining", [1 if on else 0])

    def connect(self) -> Port:
        return portchain.connect(self.network, deployments_dir=self.folder)


@pytest.fixture(scope="module")
def chains(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Chain]]:
    root = tmp_path_factory.mktemp("testnet")
    slow_deployer, fast_deployer = Account.create(), Account.create()
    keystore = root / "deployer.keystore.json"
    keystore.write_text(json.dumps(Account.encrypt(slow_deployer.key, "correct horse", kdf="pbkdf2", iterations=2)))
    with AnvilNode.start(chain_id=SEPOLIA, extra_args=["--block-time", "1"]) as slow, \
            AnvilNode.start(chain_id=SEPOLIA, extra_args=["--block-time", "0.2"]) as fast, \
            pytest.MonkeyPatch.context() as env:
        (root / "portchain.toml").write_text(
            f'[networks.{SLOW}]\nrpc_url = "{slow.rpc_url}"\nchain_id = {SEPOLIA}\nconfirmations = 2\nblock_time = 1\n'
            f'\n[networks.{FAST}]\nrpc_url = "{fast.rpc_url}"\nchain_id = {SEPOLIA}\nconfirmations = 0\n'
            f"block_time = 0.2\n"
        )
        env.setenv("PORTCHAIN_CONFIG", str(root / "portchain.toml"))
        for name in ("PORTCHAIN_PRIVATE_KEY", "PORTCHAIN_KEYSTORE", "PORTCHAIN_SETTLEMENT_TOKEN",
                     "PORTCHAIN_SCENARIO_KEYS", "PORTCHAIN_DEPLOYMENTS_DIR"):
            env.delenv(name, raising=False)
        env.setenv("REHEARSAL_SEPOLIA_KEYSTORE", str(keystore))
        env.setenv("REHEARSAL_SEPOLIA_KEYSTORE_PASSWORD", "correct horse")
        env.setenv("REHEARSAL_FAST_PRIVATE_KEY", "0x" + bytes(fast_deployer.key).hex())
        # Funded the way a testnet account is: a transfer from an account that has ether.
        for node, account in ((slow, slow_deployer), (fast, fast_deployer)):
            TransactionLayer(node.rpc_url).send(dev_account(0), account.address, b"", value=50 * 10**18)
        yield {
            "slow": Chain(slow, SLOW, root / "deployments", slow_deployer),
            "fast": Chain(fast, FAST, root / "deployments", fast_deployer),
        }


def _hook(chain: Chain, actions: dict[str, Callable[[], None]]) -> Callable[[str], None]:
    """A progress listener that keeps every line and runs the action of the first text a line contains."""

    def hear(line: str) -> None:
        chain.lines.append(line)
        for text, action in list(actions.items()):
            if text in line:
                del actions[text]
                action()

    return hear


def _interrupt() -> None:
    raise Interrupted


def _record(chain: Chain, name: str, folder: str | None = None) -> dict[str, Any]:
    base = chain.folder if folder is None else chain.folder.parent / folder
    return dict(json.loads((base / chain.network / f"{name}.json").read_text()))


def test_deploy_with_the_token_waits_for_confirmations_and_tells_its_progress(chains: dict[str, Chain]) -> None:
    chain = chains["slow"]
    started = time.monotonic()
    with chain.connect() as port:
        assert port.deployer.address == chain.deployer.address  # the keystore of REHEARSAL_SEPOLIA_KEYSTORE
        result = port.deploy(with_token=True, progress=_hook(chain, {}))
        assert port.token.symbol == "pUSD"  # the recorded faucet token serves this network
    assert result.deployed == SUITE_NAMES and result.reused == []
    records = {name: _record(chain, name) for name in SUITE_NAMES}
    assert all("pending" not in record and record["receipt"]["status"] == 1 for record in records.values())
    assert records["PortRegistry"]["args"] == [chain.deployer.address]
    last = max(record["receipt"]["blockNumber"] for record in records.values())
    assert int(chain.rpc("eth_blockNumber", []), 16) >= last + 2  # the confirmations were waited for
    text = "\n".join(chain.lines)
    assert "PortRegistry: sent 0x" in text and "(nonce 0); waiting for it to be mined" in text
    assert "SettlementToken: 0x" in text and " mined in block " in text
    assert "waiting for 2 confirmations of block" in text and "has 2 confirmations" in text
    assert time.monotonic() - started < 40


def test_deploying_again_sends_nothing(chains: dict[str, Chain]) -> None:
    chain = chains["slow"]
    nonce = chain.nonce()
    with chain.connect() as port:
        result = port.deploy(with_token=True)
    assert result.deployed == [] and result.reused == SUITE_NAMES
    assert chain.nonce() == nonce


def test_an_interrupted_deploy_is_resumed_and_never_duplicated(chains: dict[str, Chain]) -> None:
    chain = chains["slow"]
    chain.folder = chain.folder.parent / "interrupted"
    start = chain.nonce()
    logged: list[str] = []
    # 1. Stopped right after PortRegistry's transaction is sent; the node then drops it (a mempool eviction).
    chain.mining(False)
    with chain.connect() as port, pytest.raises(Interrupted):
        port.deploy(log=logged.append, progress=_hook(chain, {"PortRegistry: sent": _interrupt}))
    pending = _record(chain, "PortRegistry", "interrupted")["pending"]
    assert pending["nonce"] == start and pending["from"] == chain.deployer.address
    assert _record(chain, "PortRegistry", "interrupted")["address"] == get_create_address(chain.deployer.address, start)
    assert any("recorded as pending in" in line for line in chain.lines)
    chain.rpc("anvil_dropTransaction", [pending["transactions"][0]])
    chain.mining(True)

    # 2. Run again: the dropped transaction is sent again with its nonce; stopped after Customs' transaction is sent,
    # with the chain paused so that it stays pending.
    with chain.connect() as port, pytest.raises(Interrupted):
        port.deploy(log=logged.append, progress=_hook(chain, {
            "PortRegistry: 0x": lambda: chain.mining(False), "Customs: sent": _interrupt,
        }))
    assert any(f"no longer knows the transaction an earlier run sent ({pending['transactions'][0]}): sending it "
               f"again with nonce {start}" in line for line in logged)
    registry = _record(chain, "PortRegistry", "interrupted")
    assert "pending" not in registry and registry["address"] == get_create_address(chain.deployer.address, start)
    assert "pending" in _record(chain, "Customs", "interrupted")

    # 3. Run again while Customs' transaction is still pending: it is waited for (a progress line while it waits),
    # then the rest of the suite is deployed.
    threading.Timer(5.5, chain.mining, args=(True,)).start()
    with chain.connect() as port:
        result = port.deploy(log=logged.append, progress=_hook(chain, {}))
    assert any("Customs: the transaction an earlier run sent" in line and "is still pending: waiting for it" in line
               for line in logged)
    assert any("Customs: waiting for 0x" in line and "to be mined, 5 s" in line for line in chain.lines)
    assert result.resumed == ["Customs"] and result.reused == ["PortRegistry"]
    assert result.deployed == [name for name in SUITE_NAMES if name not in ("PortRegistry", "SettlementToken")]
    # exactly one transaction per contract (the resent one used the dropped one's nonce), plus the escrow's wiring
    assert chain.nonce() - start == len(SUITE_NAMES) - 1 + 1
    addresses = {name: record["address"] for name, record in result.records.items()}
    assert len(set(addresses.values())) == len(addresses)
    with chain.connect() as port:
        assert port.deploy().reused == [name for name in SUITE_NAMES if name != "SettlementToken"]
        assert port.registry.org_of(addresses["LetterOfCredit"]) != 0  # wired once


def test_a_chain_that_mines_only_when_asked_is_reported_at_once(
    chains: dict[str, Chain], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The reported hang: 300 s of silence, then "block 2 did not get 2 confirmations in time", no record."""
    chain = chains["slow"]
    chain.folder = chain.folder.parent / "on-demand"
    monkeypatch.setattr(Waiting, "stall_timeout", property(lambda _self: 2.0))  # 15 s at least, otherwise
    chain.mining(False)
    chain.rpc("evm_setAutomine", [True])
    try:
        started = time.monotonic()
        with chain.connect() as port, pytest.raises(DeploymentError) as info:
            port.deploy(progress=_hook(chain, {}))
        assert time.monotonic() - started < 15
    finally:
        chain.rpc("evm_setAutomine", [False])
        chain.mining(True)
    assert "the chain made no new block for 2 s after block" in str(info.value)
    assert "if this chain mines only when a transaction arrives, set confirmations = 0 for network " \
           "'rehearsal-sepolia' (portchain.toml, or REHEARSAL_SEPOLIA_CONFIRMATIONS=0)" in str(info.value)
    # every record was written as its transaction was mined: the next run deploys nothing again
    assert all("receipt" in _record(chain, name, "on-demand") for name in SUITE_NAMES if name != "SettlementToken")


@pytest.fixture(scope="module")
def scenario_keys(chains: dict[str, Chain], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Funded keys for the flagship's parties (set as a faucet would, outside the SDK)."""
    chain = chains["fast"]
    keys = {name: Account.create() for name in load_scenario(FLAGSHIP).parties}
    for account in keys.values():
        chain.rpc("anvil_setBalance", [account.address, hex(10**20)])
    path = tmp_path_factory.mktemp("keys") / "scenario-keys.json"
    path.write_text(json.dumps({name: "0x" + bytes(account.key).hex() for name, account in keys.items()}))
    return path


def test_the_flagship_runs_twice_with_the_same_keys(
    chains: dict[str, Chain], scenario_keys: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    chain = chains["fast"]
    monkeypatch.setenv("PORTCHAIN_SCENARIO_KEYS", str(scenario_keys))
    with chain.connect() as port:
        with pytest.raises(DeploymentError, match="has no settlement token: .*--with-token"):
            run_scenario(FLAGSHIP, port, timeline=False)
        port.deploy(with_token=True)
        first = run_scenario(FLAGSHIP, port, timeline=False)
        second = run_scenario(FLAGSHIP, port, timeline=False)
    parties = {party.name: party.org_id for party in first.run.parties}
    assert parties == {party.name: party.org_id for party in second.run.parties}  # the same organisations
    assert first.setup_transactions > len(parties) and second.setup_transactions == 0  # nothing onboarded again
    assert first.saved["credit"] != second.saved["credit"] and first.transactions == second.transactions > 40
    assert first.refusals == second.refusals == 3


def test_a_key_that_signs_for_another_party_is_refused(
    chains: dict[str, Chain], scenario_keys: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    keys = json.loads(scenario_keys.read_text())
    swapped = tmp_path / "swapped.json"
    swapped.write_text(json.dumps({**keys, "exporter": keys["importer"], "importer": keys["exporter"]}))
    monkeypatch.setenv("PORTCHAIN_SCENARIO_KEYS", str(swapped))
    with chains["fast"].connect() as port, pytest.raises(ConfigurationError) as info:
        run_scenario(FLAGSHIP, port, timeline=False)
    assert "party 'exporter': its key" in str(info.value)
    assert "registered under another registration id than this party's ('exporter-" in str(info.value)
