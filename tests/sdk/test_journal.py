"""The transaction journal: every signed transaction is written before it is sent, and after a crash each one left
open is settled against the chain exactly once (mined: recorded; dropped: the same bytes sent again; nonce taken by
another transaction: marked replaced, never sent)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from eth_account import Account

from portchain.journal import TransactionJournal
from portchain.transactions import TransactionLayer


class Crash(BaseException):
    """Stands for the client being killed at that point."""


def _fresh_layer(port: Any, journal: Path) -> TransactionLayer:
    layer = TransactionLayer(port.layer.rpc_url)
    layer.use_journal(journal)
    return layer


def _funded(port: Any) -> Any:
    account = Account.create()
    port.fund(account.address)
    return account


def _nonce(port: Any, address: str) -> int:
    return int(port.layer.request("eth_getTransactionCount", [address, "latest"]), 16)


def _balance(port: Any, address: str) -> int:
    return int(port.layer.request("eth_getBalance", [address, "latest"]), 16)


def _crash_on(layer: TransactionLayer, method: str, monkeypatch: pytest.MonkeyPatch) -> None:
    raw_request = layer.raw_request

    def crashing(name: str, params: list[Any]) -> dict[str, Any]:
        if name == method:
            raise Crash(name)
        return raw_request(name, params)

    monkeypatch.setattr(layer, "raw_request", crashing)


def _crash_waiting(layer: TransactionLayer, monkeypatch: pytest.MonkeyPatch) -> None:
    """The client dies after sending, while it waits for the receipt (the exception names the transaction)."""

    def crash(tx_hash: str, timeout: float = 300.0) -> Any:
        raise Crash(tx_hash)

    monkeypatch.setattr(layer, "_wait", crash)


def test_every_send_is_journalled_before_it_is_sent_and_settled_after(port, tmp_path) -> None:  # type: ignore[no-untyped-def]
    sender, recipient = _funded(port), Account.create().address
    layer = _fresh_layer(port, tmp_path / "journal.sqlite")
    receipt = layer.send(sender, recipient, b"", value=5)
    (entry,) = layer.journal.entries() if layer.journal else []
    assert (entry.tx_hash, entry.status, entry.block, entry.nonce) == (
        receipt.tx_hash.lower(), "mined", receipt.block_number, 0)
    assert entry.sender == sender.address and entry.raw.startswith("0x02")


def test_a_crash_before_sending_is_resent_once_as_the_same_bytes(port, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    sender, recipient = _funded(port), Account.create().address
    path = tmp_path / "journal.sqlite"
    crashed = _fresh_layer(port, path)
    _crash_on(crashed, "eth_sendRawTransaction", monkeypatch)
    with pytest.raises(Crash):
        crashed.send(sender, recipient, b"", value=7)
    (written,) = TransactionJournal(path, port.layer.chain_id).open_entries()
    assert _nonce(port, sender.address) == 0  # nothing reached the chain
    restarted = TransactionLayer(port.layer.rpc_url)  # a restarted client reconciles on start
    found = restarted.use_journal(path)
    assert found.resent == [written.tx_hash] and not found.mined
    port.layer.request("evm_mine", [])
    again = TransactionLayer(port.layer.rpc_url).use_journal(path)
    assert again.mined == [written.tx_hash] and not again.resent
    assert (_nonce(port, sender.address), _balance(port, recipient)) == (1, 7)  # exactly once


def test_a_crash_after_sending_records_the_mined_transaction_without_resending(  # type: ignore[no-untyped-def]
    port, tmp_path, monkeypatch
) -> None:
    sender, recipient = _funded(port), Account.create().address
    path = tmp_path / "journal.sqlite"
    crashed = _fresh_layer(port, path)
    _crash_waiting(crashed, monkeypatch)
    with pytest.raises(Crash):
        crashed.send(sender, recipient, b"", value=3)
    found = TransactionLayer(port.layer.rpc_url).use_journal(path)
    assert len(found.mined) == 1 and not found.resent
    assert (_nonce(port, sender.address), _balance(port, recipient)) == (1, 3)


def test_a_dropped_transaction_is_resent_with_its_nonce(port, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    sender, recipient = _funded(port), Account.create().address
    path = tmp_path / "journal.sqlite"
    crashed = _fresh_layer(port, path)
    port.layer.request("evm_setAutomine", [False])
    try:
        _crash_waiting(crashed, monkeypatch)
        with pytest.raises(Crash) as crash:
            crashed.send(sender, recipient, b"", value=11)
        tx_hash = str(crash.value)
        port.layer.request("anvil_dropTransaction", [tx_hash])
        assert port.layer.request("eth_getTransactionByHash", [tx_hash]) is None
        found = TransactionLayer(port.layer.rpc_url).use_journal(path)
        assert found.resent == [tx_hash.lower()]
    finally:
        port.layer.request("evm_setAutomine", [True])
    port.layer.request("evm_mine", [])
    assert TransactionLayer(port.layer.rpc_url).use_journal(path).mined == [tx_hash.lower()]
    assert (_nonce(port, sender.address), _balance(port, recipient)) == (1, 11)


def test_a_transaction_whose_nonce_another_took_is_marked_replaced_and_never_sent(  # type: ignore[no-untyped-def]
    port, tmp_path, monkeypatch
) -> None:
    sender, recipient = _funded(port), Account.create().address
    path = tmp_path / "journal.sqlite"
    crashed = _fresh_layer(port, path)
    _crash_on(crashed, "eth_sendRawTransaction", monkeypatch)
    with pytest.raises(Crash):
        crashed.send(sender, recipient, b"", value=13)
    TransactionLayer(port.layer.rpc_url).send(sender, recipient, b"", value=17)  # another client, same nonce 0
    found = TransactionLayer(port.layer.rpc_url).use_journal(path)
    assert len(found.replaced) == 1 and not found.resent
    assert (_nonce(port, sender.address), _balance(port, recipient)) == (1, 17)


def test_the_pipelined_engine_journals_too(port, tmp_path) -> None:  # type: ignore[no-untyped-def]
    sender, recipient = _funded(port), Account.create().address
    layer = _fresh_layer(port, tmp_path / "journal.sqlite")
    with layer.batch() as batch:
        pending = [batch.send(sender, recipient, b"", value=1) for _ in range(5)]
    assert layer.journal is not None
    entries = layer.journal.entries()
    assert [entry.nonce for entry in entries] == [0, 1, 2, 3, 4]
    assert {entry.status for entry in entries} == {"mined"}
    assert {entry.tx_hash for entry in entries} == {str(p.tx_hash).lower() for p in pending}
