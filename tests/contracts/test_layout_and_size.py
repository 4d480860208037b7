"""What the contracts' hand-written parts and the chain's limits depend on: the packed Record that BillOfLading's
assembly rewrites, and every contract's deployed size under EIP-170 with room to grow."""

from __future__ import annotations

import os

import pytest
from eth_abi import encode
from eth_utils import keccak

from portchain import BillKind, Role
from portchain._artifacts import artifact_names, load_artifact

SIZE_LIMIT = 22_500  # bytes; EIP-170 allows 24,576: the rest is headroom for the contracts to grow
RECORDS_SLOT = 3  # after EIP712's two string fallbacks and Nonces' mapping

# BillOfLading.Record from the low bits, as `_writeHolding` writes it: (field, first bit, width in bits)
RECORD_LAYOUT = [
    ("state", 0, 8), ("kind", 8, 8), ("flags", 16, 8), ("carrier", 24, 32), ("shipper", 56, 32), ("holder", 88, 32),
    ("endorsee", 120, 32), ("previous_holder", 152, 32), ("previous_endorsee", 184, 32), ("transfers", 216, 40),
]


@pytest.mark.parametrize(
    "name", [n for n in artifact_names() if load_artifact(n).get("deployedBytecode", "0x") != "0x"]
)
def test_every_contract_keeps_headroom_under_eip170(name: str) -> None:
    size = (len(load_artifact(name)["deployedBytecode"]) - 2) // 2
    assert 0 < size <= SIZE_LIMIT, f"{name} is {size:,} bytes deployed; the limit is {SIZE_LIMIT:,}"


def _record(port, bill: bytes) -> dict[str, int]:  # type: ignore[no-untyped-def]
    slot = keccak(encode(["bytes32", "uint256"], [bill, RECORDS_SLOT]))
    word = int(port.layer.request("eth_getStorageAt", [port.bol.address, "0x" + slot.hex(), "latest"]), 16)
    return {field: word >> start & ((1 << width) - 1) for field, start, width in RECORD_LAYOUT}


def test_the_packed_record_the_assembly_writes(port, parties) -> None:  # type: ignore[no-untyped-def]
    bol = port.bol
    carrier, shipper, bank, consignee = (parties[r] for r in (Role.CARRIER, Role.SHIPPER, Role.BANK, Role.CONSIGNEE))
    bill = bol.draft_from_hash(os.urandom(32), BillKind.TO_ORDER, shipper=shipper.org_id, consignee=consignee.org_id,
                     sender=carrier.account)
    bol.approve(bill, sender=shipper.account)
    bol.issue(bill, sender=carrier.account)
    bol.transfer(bill, consignee.org_id, sender=shipper.account)  # holding rewritten in assembly
    bol.endorse(bill, bank.org_id, sender=consignee.account)
    bol.blank_endorse(bill, sender=bank.account)
    bol.transfer(bill, shipper.org_id, sender=bank.account)
    status = bol.status(bill)
    record = _record(port, bill)
    assert record == {
        "state": int(status.state), "kind": int(status.kind), "flags": 1 | 2,  # blank-endorsed, and before this move
        "carrier": carrier.org_id, "shipper": shipper.org_id, "holder": shipper.org_id, "endorsee": 0,
        "previous_holder": bank.org_id, "previous_endorsee": 0, "transfers": 4,
    }
    assert (status.holder, status.previous_holder, status.blank_endorsed, status.transfers) == (
        record["holder"], record["previous_holder"], True, record["transfers"])
    # a rejection restores the previous holding from the same slot, and counts as one more change of holding
    bol.reject_transfer(bill, sender=shipper.account)
    assert _record(port, bill) | {"transfers": 0} == record | {
        "holder": bank.org_id, "previous_holder": 0, "flags": 1, "transfers": 0}
    assert _record(port, bill)["transfers"] == 5
    assert bol.status(bill).consignee == consignee.org_id  # kept off the hot slot
