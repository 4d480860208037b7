"""Shared fixtures: one real Anvil per session, the suite deployed once, one onboarded party per role, and
every test isolated by evm_snapshot / evm_revert."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import portchain
from portchain.devnet import Party, onboard_parties
from portchain.port import Port
from portchain.types import Role

from .trade import Trade


@pytest.fixture(scope="session")
def session_port(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Port]:
    records = tmp_path_factory.mktemp("deployments")
    with portchain.connect("anvil", deployments_dir=records, fresh_node=True) as port:
        port.deploy()
        yield port


@pytest.fixture(scope="session")
def session_parties(session_port: Port) -> dict[Role, Party]:
    return onboard_parties(session_port)


@pytest.fixture
def port(session_port: Port, session_parties: dict[Role, Party]) -> Iterator[Port]:
    """The deployed suite with every party onboarded; whatever a test changes is reverted after it."""
    snapshot = session_port.snapshot()
    try:
        yield session_port
    finally:
        session_port.revert(snapshot)


@pytest.fixture
def parties(port: Port, session_parties: dict[Role, Party]) -> dict[Role, Party]:
    """One active organisation per role, each with a funded signing account."""
    return session_parties


@pytest.fixture
def admin(port: Port):  # type: ignore[no-untyped-def]
    """The consortium admin (deployer, registrar)."""
    return port.deployer


@pytest.fixture(scope="session")
def project_root() -> Path:
    return Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def fixture_artifacts(tmp_path_factory: pytest.TempPathFactory, project_root: Path) -> dict[str, dict]:  # type: ignore[type-arg]
    """Test-only contracts (tests/fixtures/contracts), compiled like the product's but never shipped."""
    from portchain.compiler import compile_project

    root = tmp_path_factory.mktemp("fixture-project")
    (root / "contracts").symlink_to(project_root / "tests" / "fixtures" / "contracts")
    (root / "node_modules").symlink_to(project_root / "node_modules")
    (root / "package.json").write_text((project_root / "package.json").read_text())
    return compile_project(root).artifacts


@pytest.fixture
def deploy_fixture(port, fixture_artifacts):  # type: ignore[no-untyped-def]
    """Deploy a fixture contract by name; returns a client-like object with `call`/`send` by function name."""
    from portchain._abi import ContractABI

    class Fixture:
        def __init__(self, address: str, abi: ContractABI) -> None:
            self.address, self.abi = address, abi

        def call(self, fn: str, *args):  # type: ignore[no-untyped-def]
            f = self.abi.function(fn)
            return f.decode(port.layer.call(self.address, f.encode(args)))

        def send(self, fn: str, *args, sender=None):  # type: ignore[no-untyped-def]
            return port.layer.send(sender or port.deployer, self.address, self.abi.function(fn).encode(args))

    def deploy(name: str, *args):  # type: ignore[no-untyped-def]
        artifact = fixture_artifacts[name]
        abi = ContractABI(artifact["abi"])
        code = bytes.fromhex(artifact["bytecode"][2:]) + abi.encode_constructor(list(args))
        receipt = port.layer.send(port.deployer, None, code)
        return Fixture(receipt.contract_address, abi)

    return deploy


@pytest.fixture
def trade(port, parties, admin) -> Trade:  # type: ignore[no-untyped-def]
    return Trade(port, parties, admin)
