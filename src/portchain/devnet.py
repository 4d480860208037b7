"""A ready-made cast for local chains: one organisation per role, signing with Anvil's development accounts.

Used by ``portchain demo``, ``portchain gas`` and the test fixtures, so all three rehearse the same port.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

import pydantic
from eth_account.signers.local import LocalAccount
from pydantic import BeforeValidator

from .clients.port_registry import Onboarded
from .config import dev_account
from .port import Port
from .transactions import Receipt
from .types import Role, to_country, to_unlocode


def _ports(value: Any) -> tuple[str, ...]:
    ports = tuple(str(code) for code in value or ())
    for code in ports:
        to_unlocode(code)
    return ports


@pydantic.dataclasses.dataclass(frozen=True, config=pydantic.ConfigDict(extra="forbid"))
class PartySpec:
    """An organisation to onboard with one role: the devnet's cast below, and each party of a scenario file (where
    its name and registration id default to the party's name in the file).

    >>> PartySpec("bank", "Holland Trade Bank N.V.", "NL-KVK-33000001", "nl").country
    'NL'
    """

    role: Annotated[Role, BeforeValidator(Role.parse)]
    name: str
    registration_id: str
    country: Annotated[str, BeforeValidator(lambda value: to_country(value).decode())]
    ports: Annotated[tuple[str, ...], BeforeValidator(_ports)] = ()

    def onboard(self, port: Port, signer: str) -> Onboarded:
        """Onboard this organisation with ``signer`` as its signing address (the consortium admin sends it)."""
        return port.registry.onboard(
            self.name, self.registration_id, self.country, [self.role], [signer], self.ports, sender=port.deployer
        )


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
    parties = {}
    for i, spec in enumerate(specs):
        account = dev_account(first_account + i)
        if port.registry.org_of(account.address):
            continue
        port.fund(account.address)
        onboarded = spec.onboard(port, account.address)
        parties[spec.role] = Party(spec, account, onboarded.org_id, onboarded.receipt)
    return parties


def account_for(role: Role | str) -> LocalAccount:
    """The development account that signs for the devnet party of ``role`` (local chains only)."""
    wanted = Role.parse(role)
    for i, spec in enumerate(PARTIES):
        if spec.role == wanted:
            return dev_account(1 + i)
    raise AssertionError(f"no devnet party for {wanted.name}")  # every role has one
