"""A ready-made cast for local chains: one organisation per role, signing with Anvil's development accounts.

Used by ``portchain demo``, ``portchain gas`` and the test fixtures, so all three rehearse the same port. Each
organisation of the cast is registered with its party codes (:data:`PARTY_CODES`: a fictional LEI each, with valid
ISO 17442 check digits, and the carrier's SMDG code), so that DCSA documents naming them resolve to their
organisations.

>>> [str(code) for code in PARTY_CODES[Role.CARRIER]]
['GLEIF:9845PCCARRIER0000041', 'SMDG:BAL']
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

import pydantic
from eth_account.signers.local import LocalAccount
from pydantic import BeforeValidator

from .clients.port_registry import Onboarded, party_codes
from .config import dev_account
from .port import Port
from .transactions import Receipt
from .types import PartyCode, Role, to_country, to_unlocode


def _ports(value: Any) -> tuple[str, ...]:
    ports = tuple(str(code) for code in value or ())
    for code in ports:
        to_unlocode(code)
    return ports


def _codes(value: Any) -> tuple[PartyCode, ...]:
    """Party codes as PartyCode or PROVIDER:CODE texts; none is fine, the same code twice is not."""
    return party_codes(value) if value else ()


@pydantic.dataclasses.dataclass(frozen=True, config=pydantic.ConfigDict(extra="forbid"))
class PartySpec:
    """An organisation to onboard with one role: the devnet's cast below, and each party of a scenario file (where
    its name and registration id default to the party's name in the file).

    >>> PartySpec("bank", "Holland Trade Bank N.V.", "NL-KVK-33000001", "nl").country
    'NL'
    >>> bank = PartySpec("bank", "Holland Trade Bank N.V.", "NL-KVK-33000001", "NL",
    ...                  codes=["GLEIF:9845PCBANK0000000035"])
    >>> bank.codes
    (PartyCode(provider='GLEIF', code='9845PCBANK0000000035'),)
    """

    role: Annotated[Role, BeforeValidator(Role.parse)]
    name: str
    registration_id: str
    country: Annotated[str, BeforeValidator(lambda value: to_country(value).decode())]
    ports: Annotated[tuple[str, ...], BeforeValidator(_ports)] = ()
    codes: Annotated[tuple[PartyCode, ...], BeforeValidator(_codes)] = ()

    def onboard(self, port: Port, signer: str) -> Onboarded:
        """Onboard this organisation with ``signer`` as its signing address, then register its party codes if it
        has any (a second transaction): the consortium admin sends both. Returns the onboarding."""
        onboarded = port.registry.onboard(
            self.name, self.registration_id, self.country, [self.role], [signer], self.ports, sender=port.deployer
        )
        if self.codes:
            port.registry.add_party_codes(onboarded.org_id, self.codes, sender=port.deployer)
        return onboarded


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
# The cast's party codes: a fictional LEI each (prefix 9845, "PC" and the role; ISO 17442 check digits valid) and
# the carrier's SMDG carrier code.
PARTY_CODES: dict[Role, tuple[PartyCode, ...]] = {
    role: party_codes(codes) for role, codes in (
        (Role.CARRIER, ("GLEIF:9845PCCARRIER0000041", "SMDG:BAL")),
        (Role.SHIPPER, ("GLEIF:9845PCSHIPPER0000097",)),
        (Role.CONSIGNEE, ("GLEIF:9845PCCONSIGNEE00023",)),
        (Role.BANK, ("GLEIF:9845PCBANK0000000035",)),
        (Role.CUSTOMS, ("GLEIF:9845PCCUSTOMS0000089",)),
        (Role.TAX, ("GLEIF:9845PCTAX00000000096",)),
        (Role.PORT_OPERATOR, ("GLEIF:9845PCTERMINAL000020",)),
        (Role.FORWARDER, ("GLEIF:9845PCFORWARDER00034",)),
        (Role.INSURER, ("GLEIF:9845PCINSURER0000086",)),
        (Role.INSPECTOR, ("GLEIF:9845PCINSPECTOR00050",)),
    )
}

# Development account i+1 signs for PARTIES[i]; account 0 is the consortium admin (the deployer).
PARTIES: tuple[PartySpec, ...] = (
    PartySpec(Role.CARRIER, "Blue Anchor Line A/S", "DK-CVR-31000001", "DK", ("CNSZX", "NLRTM"),
              PARTY_CODES[Role.CARRIER]),
    PartySpec(Role.SHIPPER, "Shenzhen Bright Electronics Co., Ltd.", "CN-USCC-91440300MA5F000001", "CN",
              codes=PARTY_CODES[Role.SHIPPER]),
    PartySpec(Role.CONSIGNEE, "Rotterdam Home Retail B.V.", "NL-KVK-24000001", "NL",
              codes=PARTY_CODES[Role.CONSIGNEE]),
    PartySpec(Role.BANK, "Holland Trade Bank N.V.", "NL-KVK-33000001", "NL", codes=PARTY_CODES[Role.BANK]),
    PartySpec(Role.CUSTOMS, "Dutch Customs, Rotterdam Port", "NL-GOV-DOUANE-RTM", "NL", ("NLRTM",),
              PARTY_CODES[Role.CUSTOMS]),
    PartySpec(Role.TAX, "Netherlands Tax Administration", "NL-GOV-BELASTINGDIENST", "NL", codes=PARTY_CODES[Role.TAX]),
    PartySpec(Role.PORT_OPERATOR, "Rotterdam Container Terminal B.V.", "NL-KVK-24000002", "NL", ("NLRTM",),
              PARTY_CODES[Role.PORT_OPERATOR]),
    PartySpec(Role.FORWARDER, "Pearl River Forwarding Ltd.", "CN-USCC-91440300MA5F000002", "CN", ("CNSZX",),
              PARTY_CODES[Role.FORWARDER]),
    PartySpec(Role.INSURER, "North Sea Marine Insurance N.V.", "NL-KVK-33000002", "NL",
              codes=PARTY_CODES[Role.INSURER]),
    PartySpec(Role.INSPECTOR, "Guangdong Inspection & Certification Co.", "CN-USCC-91440300MA5F000003", "CN",
              codes=PARTY_CODES[Role.INSPECTOR]),
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
