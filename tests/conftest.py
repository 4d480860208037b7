"""Shared fixtures: one real Anvil per session, the suite deployed once, one onboarded party per role, and
every test isolated by evm_snapshot / evm_revert."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest

import portchain
from portchain.devnet import Party, onboard_parties
from portchain.port import Port
from portchain.types import Role


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
