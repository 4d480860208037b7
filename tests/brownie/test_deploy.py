"""`brownie run scripts/deploy.py` deploys the suite, and its records are the SDK's.

Runs in .venv-brownie (`make brownie-test`) and drives the brownie CLI as a user would, with a HOME of its own (a
fresh ~/.brownie: brownie's own network list, none of the user's) and its own ports:

1. brownie starts its `development` Anvil (cmd: anvil, from node_modules/.bin), compiles with the project's solcjs
   and deploys; portchain's own deploy (`.venv/bin/python scripts/deploy.py`, the SDK path) runs on a fresh Anvil;
   the two sets of records are the same but for what a transaction's fees and times change (hashes);
2. brownie attaches to an Anvil already running (as `portchain node` runs it: base fee above 0) and deploys, then
   again (everything reused); the SDK, given these records, reuses all of them too, and the registry answers:
   one organisation (the letter-of-credit escrow), the deployer its admin.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
BROWNIE = Path(sys.prefix) / "bin" / "brownie"
SDK_PYTHON = ROOT / ".venv" / "bin" / "python"
ANVIL = ROOT / "node_modules" / ".bin" / "anvil"
ARTIFACTS = ROOT / "src" / "portchain" / "artifacts"
SUITE = [
    "PortRegistry", "Customs", "BillOfLading", "TradeDocuments", "LetterOfCreditExtension", "LetterOfCredit",
    "CargoRelease", "VatRebates", "SettlementToken",
]
DEPLOYER = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"  # Anvil's development account 0
# What differs between two deployments of the same code by the same account: the transactions' hashes and so their
# blocks' (fees and timestamps differ), and the log fields that repeat them.
PER_TRANSACTION = {"transactionHash", "blockHash", "blockTimestamp"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The environment of every command: a HOME of its own for brownie, no portchain setting from the caller (set
    empty, so a .env cannot fill them in either)."""
    home = tmp_path_factory.mktemp("home")
    cleared = ("PORTCHAIN_", "BROWNIE", "ANVIL_")
    values = {key: value for key, value in os.environ.items() if not key.startswith(cleared)}
    values.update(HOME=str(home), PYTHONUNBUFFERED="1", NO_COLOR="1")
    for key in ("PORTCHAIN_PRIVATE_KEY", "PORTCHAIN_KEYSTORE", "PORTCHAIN_ANVIL_RPC_URL", "PORTCHAIN_ANVIL_CHAIN_ID",
                "PORTCHAIN_SETTLEMENT_TOKEN"):
        values[key] = ""
    return values


def run(args: list[str | Path], env: dict[str, str], **extra: str) -> str:
    done = subprocess.run(
        [str(a) for a in args], cwd=ROOT, env={**env, **extra}, capture_output=True, text=True, timeout=900,
        check=False,
    )
    output = done.stdout + done.stderr
    assert done.returncode == 0, f"{' '.join(map(str, args))} failed ({done.returncode}):\n{output[-6000:]}"
    return output


def brownie_deploy(env: dict[str, str], port: int, records: Path) -> str:
    """`brownie run scripts/deploy.py` on brownie's `development` network at ``port``; records under ``records``."""
    run([BROWNIE, "networks", "modify", "development", f"port={port}"], env)
    return run([BROWNIE, "run", "scripts/deploy.py"], env, PORTCHAIN_DEPLOYMENTS_DIR=str(records))


def load(folder: Path) -> dict[str, Any]:
    return {name: json.loads((folder / f"{name}.json").read_text()) for name in SUITE}


def without_per_transaction(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: without_per_transaction(v) for k, v in value.items() if k not in PER_TRANSACTION}
    if isinstance(value, list):
        return [without_per_transaction(v) for v in value]
    return value


@pytest.fixture(scope="module")
def anvil() -> Iterator[str]:
    """A running Anvil on a free port, as `portchain node` starts one (chain 31337, default base fee)."""
    port = free_port()
    process = subprocess.Popen(
        [str(ANVIL), "--host", "127.0.0.1", "--port", str(port), "--chain-id", "31337", "--silent"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "eth_chainId", "params": []}).encode()
                request = urllib.request.Request(url, body, {"Content-Type": "application/json"})
                with urllib.request.urlopen(request, timeout=2):
                    break
            except OSError:
                assert process.poll() is None and time.monotonic() < deadline, "anvil did not start"
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_brownie_deploys_the_sdk_records(env: dict[str, str], anvil: str, tmp_path: Path) -> None:
    assert SDK_PYTHON.is_file(), "the SDK's .venv is missing: make setup"
    config = yaml.safe_load((ROOT / "brownie-config.yaml").read_text())["compiler"]
    settings = json.loads((ARTIFACTS / "PortRegistry.json").read_text())["compiler"]["settings"]
    assert (config["evm_version"], config["solc"]["optimizer"]) == (settings["evmVersion"], settings["optimizer"]), (
        "brownie-config.yaml's compiler settings are not portchain.compiler's (shipped artifacts)"
    )

    # 1. brownie starts its own Anvil; the SDK deploys on a fresh one; same records
    launched = brownie_deploy(env, free_port(), tmp_path / "brownie")
    assert "Launching 'anvil" in launched
    run([SDK_PYTHON, "scripts/deploy.py"], env, PORTCHAIN_DEPLOYMENTS_DIR=str(tmp_path / "sdk"))
    ours, theirs = tmp_path / "brownie" / "anvil", tmp_path / "sdk" / "anvil"
    files = sorted(p.relative_to(ours).as_posix() for p in ours.rglob("*"))
    assert files == sorted(p.relative_to(theirs).as_posix() for p in theirs.rglob("*"))
    assert (ours / ".chainId").read_text() == (theirs / ".chainId").read_text() == "31337\n"
    (solc_input,) = (ours / "solcInputs").iterdir()
    assert solc_input.read_bytes() == (theirs / "solcInputs" / solc_input.name).read_bytes()
    brownie_records, sdk_records = load(ours), load(theirs)
    for name in SUITE:
        record, expected = brownie_records[name], sdk_records[name]
        assert list(record) == list(expected) and list(record["receipt"]) == list(expected["receipt"]), name
        assert without_per_transaction(record) == without_per_transaction(expected), name
        assert record["transactionHash"] == record["receipt"]["transactionHash"], name
        assert record["bytecode"] == json.loads((ARTIFACTS / f"{name}.json").read_text())["bytecode"], name
    assert brownie_records["PortRegistry"]["args"] == [DEPLOYER]

    # 2. brownie attaches to a running Anvil, twice (the second run reuses all); the SDK reuses brownie's records
    records = tmp_path / "attached"
    port = int(anvil.rsplit(":", 1)[1])
    assert "Attached to local RPC client" in brownie_deploy(env, port, records)
    again = brownie_deploy(env, port, records)
    assert all(f"reusing {name} at " in again for name in SUITE), again[-3000:]
    check = (
        "import json, portchain\n"
        f"port = portchain.connect('anvil', rpc_url={anvil!r}, deployments_dir={str(records)!r})\n"
        "result = port.deploy()\n"
        "print(json.dumps({'deployed': result.deployed, 'count': port.registry.organisation_count()}))\n"
    )
    sdk = json.loads(run([SDK_PYTHON, "-c", check], env).strip().splitlines()[-1])
    assert sdk == {"deployed": [], "count": 1}

    from web3 import Web3

    registry = load(records / "anvil")["PortRegistry"]
    w3 = Web3(Web3.HTTPProvider(anvil))
    contract = w3.eth.contract(address=registry["address"], abi=registry["abi"])
    assert contract.functions.hasRole(bytes(32), DEPLOYER).call()
    assert contract.functions.organisationCount().call() == 1
