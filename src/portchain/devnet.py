"""A ready-made cast for local chains: one organisation per role, signing with Anvil's development accounts.

Used by ``portchain demo``, ``portchain gas`` and the test fixtures, so all three rehearse the same port.
"""

from __future__ import annotations

from dataclasses import dataclass

from eth_account.signers.local import LocalAccount

from .config import dev_account
from .port import Port
from .transactions import Receipt
from .types import Role


@dataclass(frozen=True)
class PartySpec:
    role: Role
    name: str
    registration_id: str
    country: str
    ports: tuple[str, ...] = ()


@dataclass(frozen=True)
class Party:
    """An onboarded organisation with one signing account."""

    spec: PartySpec
    account: LocalAccount
    org_id: int
    receipt: Receipt

    @property
    def address(self) -> str:
        return str(self.account.address)


# Development account i+1 signs for PARTIES[i]; account 0 is the consortium admin (the deployer).
PARTIES: tuple[PartySpec, ...] = (
    PartySpec(Role.CARRIER, "Blue Anchor Line A/S", "DK-CVR-31000001", "DK", ("CNSZX", "NLRTM")),
    PartySpec(Role.SHIPPER, "Shenzhen Bright Electronics Co., Ltd.", "CN-USCC-91440300MA5F000001", "CN"),
    PartySpec(Role.CONSIGNEE, "Rotterdam Home Retail B.V.", "NL-KVK-24000001", "NL"),
    PartySpec(Role.BANK, "Holland Trade Bank N.V.", "NL-KVK-33000001", "NL"),
    PartySpec(Role.CUSTOMS, "Dutch Customs, Rotterdam Port", "NL-GOV-DOUANE-RTM", "NL", ("NLRTM",)),
    PartySpec(Role.TAX, "Netherlands Tax Administration", "NL-GOV-BELASTINGDIENST", "NL"),
    PartySpec(Role.PORT_OPERATOR, "Rotterdam Container Terminal B.V.", "NL-KVK-24000002", "NL", ("NLRTM",)),
    PartySpec(Role.FORWARDER, "Pearl River Forwarding Ltd.", "CN-USCC-91440300MA5F000002", "CN", ("CNSZX",)),
    PartySpec(Role.INSURER, "North Sea Marine Insurance N.V.", "NL-KVK-33000002", "NL"),
    PartySpec(Role.INSPECTOR, "Guangdong Inspection & Certification Co.", "CN-USCC-91440300MA5F000003", "CN"),
)


def onboard_parties(port: Port, specs: tuple[PartySpec, ...] = PARTIES, *, first_account: int = 1) -> dict[Role, Party]:
    """Onboard each spec with development account ``first_account + i`` as its signer (local chains only).
    Specs whose account already signs for an organisation are skipped, so running it twice changes nothing."""
    admin = port.deployer
    parties = {}
    for i, spec in enumerate(specs):
        account = dev_account(first_account + i)
        if port.registry.org_of(account.address):
            continue
        port.fund(account.address)
        onboarded = port.registry.onboard(
            spec.name, spec.registration_id, spec.country, [spec.role], [account.address], spec.ports, sender=admin
        )
        parties[spec.role] = Party(spec, account, onboarded.org_id, onboarded.receipt)
    return parties


def account_for(role: Role | str) -> LocalAccount:
    """The development account that signs for the devnet party of ``role`` (local chains only)."""
    wanted = Role.parse(role)
    for i, spec in enumerate(PARTIES):
        if spec.role == wanted:
            return dev_account(1 + i)
    raise AssertionError(f"no devnet party for {wanted.name}")  # every role has one
