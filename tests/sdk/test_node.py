"""The local Anvil node: found, started on a free loopback port, stopped, and persisted with --state."""

from __future__ import annotations

from pathlib import Path

import pytest

from portchain import AnvilNode, NodeError
from portchain.node import find_anvil, rpc_answers
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
