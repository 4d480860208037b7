"""The transaction layer against a real node: nonce cache, explicit gas, round trips, refusals."""

from __future__ import annotations

import pytest
from eth_account import Account

from portchain import Role, TransactionError, errors
from portchain.transactions import TransactionLayer


class CountingLayer(TransactionLayer):
    def __init__(self, url: str) -> None:
        super().__init__(url)
        self.methods: list[str] = []

    def raw_request(self, method, params):  # type: ignore[no-untyped-def]
        self.methods.append(method)
        return super().raw_request(method, params)


def test_three_kinds_of_round_trip_per_transaction_once_warm(port, admin, parties) -> None:  # type: ignore[no-untyped-def]
    layer = CountingLayer(port.layer.rpc_url)
    registry = type(port.registry)(layer, port.registry.address)
    bank = parties[Role.BANK]
    registry.add_signer(bank.org_id, Account.create().address, sender=bank.account)
    layer.methods.clear()
    registry.add_signer(bank.org_id, Account.create().address, sender=bank.account)
    # no chain id, nonce or fee look-ups once warm; the receipt may take more than one poll if the node is busy
    assert layer.methods[:3] == ["eth_estimateGas", "eth_sendRawTransaction", "eth_getTransactionReceipt"]
    assert set(layer.methods[3:]) <= {"eth_getTransactionReceipt"}


def test_explicit_gas_skips_the_estimate(port, admin, parties) -> None:  # type: ignore[no-untyped-def]
    layer = CountingLayer(port.layer.rpc_url)
    registry = type(port.registry)(layer, port.registry.address)
    fn = registry.abi.function("addSigner")
    bank = parties[Role.BANK]
    data = fn.encode([bank.org_id, Account.create().address])
    receipt = layer.send(bank.account, registry.address, data, gas=200_000)
    assert "eth_estimateGas" not in layer.methods
    assert receipt.gas_used < 200_000


def test_mined_revert_is_decoded(port, admin, parties) -> None:  # type: ignore[no-untyped-def]
    # Explicit gas skips the pre-flight check, so the refusal is mined and replayed to learn why.
    fn = port.registry.abi.function("addSigner")
    data = fn.encode([parties[Role.BANK].org_id, parties[Role.CARRIER].address])
    with pytest.raises(errors.SignerAlreadyRegistered) as info:
        port.layer.send(parties[Role.BANK].account, port.registry.address, data, gas=200_000)
    assert info.value.org_id == parties[Role.CARRIER].org_id


def test_nonce_cache_recovers_when_another_client_used_the_key(port, admin, parties) -> None:  # type: ignore[no-untyped-def]
    org, bank = parties[Role.BANK].org_id, parties[Role.BANK].account
    before = int(port.layer.request("eth_getTransactionCount", [bank.address, "latest"]), 16)
    port.registry.add_signer(org, Account.create().address, sender=bank)  # warms this layer's nonce cache
    other = type(port.registry)(TransactionLayer(port.layer.rpc_url), port.registry.address)
    other.add_signer(org, Account.create().address, sender=bank)  # the chain's nonce moves on
    receipt = port.registry.add_signer(org, Account.create().address, sender=bank)  # stale cache: resynced, retried
    assert len(port.registry.events(receipt, "SignerProposed")) == 1
    assert int(port.layer.request("eth_getTransactionCount", [bank.address, "latest"]), 16) == before + 3


def test_node_refusal_is_a_transaction_error(port, parties) -> None:  # type: ignore[no-untyped-def]
    pauper = Account.create()
    fn = port.registry.abi.function("isActing")
    with pytest.raises(TransactionError, match="node refused|insufficient|funds"):
        port.layer.send(pauper, port.registry.address, fn.encode([pauper.address, 0]), gas=100_000)


def test_send_first_sends_what_the_pipelined_engine_signed(port, admin, parties) -> None:  # type: ignore[no-untyped-def]
    layer = TransactionLayer(port.layer.rpc_url)
    registry = type(port.registry)(layer, port.registry.address)
    fn = registry.abi.function("addSigner")
    bank = parties[Role.BANK]
    queued = layer.submit(bank.account, registry.address, fn.encode([bank.org_id, Account.create().address]))
    assert not queued.done()  # signed, waiting for a JSON-RPC batch to fill
    receipt = layer.send(bank.account, registry.address, fn.encode([bank.org_id, Account.create().address]))
    assert queued.result().block_number < receipt.block_number  # its nonce came first, so it was sent first
    sent = layer.request("eth_getTransactionByHash", [receipt.tx_hash])
    assert queued.nonce is not None and int(sent["nonce"], 16) == queued.nonce + 1
