"""Gas per operation, measured once each on a fresh local chain: the product figures of ``portchain gas``.

``BARS`` holds the most gas the issues allow; ``tests/test_gas.py`` checks the report against them.
"""

from __future__ import annotations

import tempfile
from typing import Callable

from eth_utils import keccak

from .config import dev_account
from .devnet import onboard_parties
from .port import Port, connect
from .tx import Receipt
from .types import BillKind, Role

# operation -> the most gas it may use (the issues' bars)
BARS: dict[str, int] = {
    "bol.issue": 90_000,
    "bol.transfer": 40_000,
    "bol.endorse": 45_000,
    "bol.surrender": 40_000,
    "bol.accept_surrender": 40_000,
    "bol.batch_issue_per_bill": 60_000,
}


def _doc(name: str) -> bytes:
    """A stable stand-in for a transport document's hash, so the report is the same on every run."""
    return keccak(text=f"portchain gas report: {name}")


def measure_gas() -> dict[str, int]:
    """Start Anvil, deploy the suite, run each measured operation once and return ``{operation: gas used}``."""
    report: dict[str, int] = {}
    with tempfile.TemporaryDirectory() as records, connect("anvil", deployments_dir=records, fresh_node=True) as port:
        deployed = port.deploy()
        for name, record in deployed.records.items():
            report[f"deploy.{name}"] = int(record["receipt"]["gasUsed"])
        _registry(port, report)
        _bill_of_lading(port, report)
    return report


def _registry(port: Port, report: dict[str, int]) -> None:
    registry, admin = port.registry, port.deployer
    signer, second = dev_account(18).address, dev_account(19).address
    onboarded = registry.onboard(
        "Gas Report Line", "GAS-0001", "DK", [Role.CARRIER], [signer], ["NLRTM"], sender=admin
    )
    org = onboarded.org_id
    report["registry.onboard"] = onboarded.receipt.gas_used
    report["registry.add_signer"] = registry.add_signer(org, second, sender=admin).gas_used
    report["registry.remove_signer"] = registry.remove_signer(second, sender=admin).gas_used
    report["registry.set_roles"] = registry.set_roles(org, [Role.CARRIER, Role.FORWARDER], sender=admin).gas_used
    report["registry.set_port"] = registry.set_port(org, "CNSZX", sender=admin).gas_used
    report["registry.suspend"] = registry.suspend(org, "audit pending", sender=admin).gas_used
    report["registry.reinstate"] = registry.reinstate(org, sender=admin).gas_used
    report["registry.revoke"] = registry.revoke(org, "licence withdrawn", sender=admin).gas_used


def _bill_of_lading(port: Port, report: dict[str, int]) -> None:
    parties = onboard_parties(port)
    carrier, shipper = parties[Role.CARRIER], parties[Role.SHIPPER]
    bank, consignee, forwarder = parties[Role.BANK], parties[Role.CONSIGNEE], parties[Role.FORWARDER]
    bol = port.bol

    def draft(name: str) -> bytes:
        return bol.draft(_doc(name), BillKind.TO_ORDER, shipper=shipper.org_id, sender=carrier.account)

    def gas(operation: str, action: Callable[[], Receipt]) -> None:
        report[operation] = action().gas_used

    bill = _doc("bill")
    report["bol.draft"] = port.layer.send(
        carrier.account, bol.address, bol.abi.function("draft").encode([bill, 0, shipper.org_id, 0])
    ).gas_used
    gas("bol.approve", lambda: bol.approve(bill, sender=shipper.account))
    gas("bol.issue", lambda: bol.issue(bill, sender=carrier.account))
    gas("bol.endorse", lambda: bol.endorse(bill, bank.org_id, sender=shipper.account))
    gas("bol.transfer", lambda: bol.transfer(bill, consignee.org_id, sender=bank.account))
    gas("bol.reject", lambda: bol.reject_transfer(bill, sender=consignee.account))
    gas("bol.blank_endorse", lambda: bol.blank_endorse(bill, sender=bank.account))
    gas("bol.sign", lambda: bol.sign(bill, _doc("attestation"), sender=bank.account))
    gas("bol.surrender", lambda: bol.surrender_for_delivery(bill, sender=bank.account))
    gas("bol.accept_surrender", lambda: bol.accept_surrender(bill, sender=carrier.account))

    relayed = draft("relayed")
    bol.approve(relayed, sender=shipper.account)
    bol.issue(relayed, sender=carrier.account)
    signed = bol.sign_endorsement(relayed, bank.org_id, signer=shipper.account)
    gas("bol.endorse_by_signature", lambda: bol.endorse_by_signature(signed, sender=forwarder.account))
    gas("bol.surrender_for_amendment", lambda: bol.surrender_for_amendment(relayed, "cod", sender=bank.account))
    reissue = draft("reissue")
    gas("bol.amend", lambda: bol.accept_amendment(relayed, reissue, sender=carrier.account))

    batch = [draft(f"batch {i}") for i in range(20)]
    for item in batch:
        bol.approve(item, sender=shipper.account)
    report["bol.batch_issue_per_bill"] = bol.issue_batch(batch, sender=carrier.account).gas_used // len(batch)
