"""The local node, Anvil or Ganache: found, started on a free loopback port, stopped, and persisted with --state; a bad
port is refused before anything starts."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from portchain import AnvilNode, InputError, NodeError
from portchain.cli import main
from portchain.compiler import EVM_VERSION
from portchain.node import (
    ENGINES,
    GANACHE_HARDFORK,
    LocalNode,
    check_port,
    find_anvil,
    find_ganache,
    rpc_answers,
    set_balance,
)
from portchain.transactions import TransactionLayer

ADDRESS = "0x00000000000000000000000000000000000C0FFE"


def test_start_answers_and_stop_ends_it() -> None:
    node = AnvilNode.start()
    try:
        assert node.rpc_url.startswith("http://127.0.0.1:")
        assert rpc_answers(node.rpc_url)
    finally:
        node.stop()
    assert not node.running
    assert not rpc_answers(node.rpc_url)


def test_state_persists_across_restarts(tmp_path: Path) -> None:
    state = tmp_path / "chain.json"
    with AnvilNode.start(state=state) as node:
        TransactionLayer(node.rpc_url).request("anvil_setBalance", [ADDRESS, hex(12345)])
    assert state.is_file()
    with AnvilNode.start(state=state) as node:
        assert TransactionLayer(node.rpc_url).request("eth_getBalance", [ADDRESS, "latest"]) == hex(12345)


def test_anvil_bin_must_be_executable(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("ANVIL_BIN", str(tmp_path / "nope"))
    with pytest.raises(NodeError, match="ANVIL_BIN=.*is not an executable file"):
        find_anvil()


def test_anvil_bin_is_used(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    chosen = tmp_path / "my-anvil"  # an executable found nowhere else: only $ANVIL_BIN can name it
    chosen.symlink_to(find_anvil())
    monkeypatch.setenv("ANVIL_BIN", str(chosen))
    assert find_anvil() == chosen
    with AnvilNode.start() as node:  # and it is the binary that runs
        assert node.process.args[0] == str(chosen)  # type: ignore[index]
        assert rpc_answers(node.rpc_url)


def test_node_that_dies_is_reported(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    fake = tmp_path / "anvil"
    fake.write_text("#!/bin/sh\necho 'boom: cannot bind' >&2\nexit 3\n")
    fake.chmod(0o755)
    monkeypatch.setenv("ANVIL_BIN", str(fake))
    with pytest.raises(NodeError, match="anvil exited with code 3: boom: cannot bind"):
        AnvilNode.start(timeout=5)


# -- the second engine: Ganache (npm, pinned), with Anvil's accounts and chain id ----------------------------------

DEV_ACCOUNT_0 = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"  # account 0 of the public development mnemonic


def test_ganache_runs_with_anvils_accounts_chain_id_and_evm() -> None:
    with LocalNode.start(engine="ganache") as node:
        layer = TransactionLayer(node.rpc_url)
        assert node.engine == "ganache"
        assert layer.request("web3_clientVersion", []).startswith("Ganache/v7.9.2/")
        assert layer.chain_id == 31337
        assert layer.request("eth_getBalance", [DEV_ACCOUNT_0, "latest"]) == hex(10_000 * 10**18)
    assert not node.running
    assert GANACHE_HARDFORK == EVM_VERSION  # the shipped artifacts run on the hardfork Ganache is started with


@pytest.mark.parametrize("engine", ENGINES)
def test_set_balance_works_on_each_engine(engine: str) -> None:
    with LocalNode.start(engine=engine) as node:
        layer = TransactionLayer(node.rpc_url)
        set_balance(layer, ADDRESS, 12345)
        assert layer.request("eth_getBalance", [ADDRESS, "latest"]) == hex(12345)


def test_ganache_state_persists_in_a_folder(tmp_path: Path) -> None:
    state = tmp_path / "ganache-db"
    with LocalNode.start(engine="ganache", state=state) as node:
        set_balance(TransactionLayer(node.rpc_url), ADDRESS, 777)
    assert state.is_dir()
    with LocalNode.start(engine="ganache", state=state) as node:
        assert TransactionLayer(node.rpc_url).request("eth_getBalance", [ADDRESS, "latest"]) == hex(777)


def test_anvil_node_is_the_local_node_and_starts_anvil() -> None:
    assert AnvilNode is LocalNode
    with AnvilNode.start() as node:
        assert node.engine == "anvil"
        assert TransactionLayer(node.rpc_url).request("web3_clientVersion", []).startswith("anvil/")


def test_ganache_bin_must_be_executable(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("GANACHE_BIN", str(tmp_path / "nope"))
    with pytest.raises(NodeError, match="GANACHE_BIN=.*is not an executable file"):
        find_ganache()


def test_unknown_engine_is_an_input_error() -> None:
    with pytest.raises(InputError, match="unknown engine 'hardhat'; choose one of: anvil, ganache"):
        LocalNode.start(engine="hardhat")


# -- a bad port is refused before anything starts -------------------------------------------------------------------


@pytest.mark.parametrize("bad", [0, -1, 65536, 99999])
def test_port_out_of_range_is_refused_before_starting(
    bad: int, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("ANVIL_BIN", str(tmp_path / "never-run"))  # starting anything would be a NodeError
    with pytest.raises(InputError, match=f"port must be a TCP port from 1 to 65535, got {bad}"):
        LocalNode.start(port=bad)


def test_port_in_use_is_refused_before_starting() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(InputError, match=f"port {port} on 127.0.0.1 is already in use"):
            check_port(port)


def test_cli_node_bad_port_is_a_one_line_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["node", "--port", "99999"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == "portchain: error: port must be a TCP port from 1 to 65535, got 99999\n"
