"""Gas per operation, measured once each on a fresh local chain: the product figures of ``portchain gas``."""

from __future__ import annotations

import tempfile

from .config import dev_account
from .port import connect
from .types import Role


def measure_gas() -> dict[str, int]:
    """Start Anvil, deploy the suite, run each measured operation once and return ``{operation: gas used}``."""
    report: dict[str, int] = {}
    with tempfile.TemporaryDirectory() as records, connect("anvil", deployments_dir=records, fresh_node=True) as port:
        deployed = port.deploy()
        report["deploy.PortRegistry"] = int(deployed.records["PortRegistry"]["receipt"]["gasUsed"])
        registry, admin = port.registry, port.deployer
        signer, second = dev_account(1).address, dev_account(2).address

        onboarded = registry.onboard(
            "Blue Anchor Line A/S", "DK-CVR-31000001", "DK", [Role.CARRIER], [signer], ["NLRTM"], sender=admin
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
    return report
