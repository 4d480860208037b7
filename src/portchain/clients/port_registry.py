"""Client of ``PortRegistry``: onboarding, signers, suspension, revocation and the role question.

>>> org_id = port.registry.onboard(                                    # doctest: +SKIP
...     "Rotterdam Customs", "NL-CUST-001", "NL", [Role.CUSTOMS], signers=[customs.address], sender=admin)
>>> port.registry.organisation(org_id).status                        # doctest: +SKIP
<OrgStatus.ACTIVE: 1>
>>> lei = party_code("GLEIF:529900T8BM49AURSDO55")                     # PROVIDER:CODE
>>> port.registry.add_party_codes(org_id, [lei], sender=admin)       # doctest: +SKIP
>>> port.registry.org_of_party_code(lei) == org_id                   # doctest: +SKIP
True
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from eth_account.signers.local import LocalAccount

from ..errors import InputError
from ..transactions import Receipt
from ..types import (
    Bytes32,
    HexLike,
    OrgStatus,
    PartyCode,
    Role,
    optional_text_hash,
    roles_from_mask,
    roles_mask,
    text_hash,
    to_address,
    to_country,
    to_hash32,
    to_uint,
    to_unlocode,
)
from ._base import ContractClient

__all__ = ["Onboarded", "Organisation", "RegistryClient", "party_code", "party_codes", "text_hash"]


def _named(text: str, what: str) -> Bytes32:
    """:func:`~portchain.types.text_hash` of a name or id that must not be blank."""
    if not text or not text.strip():
        raise InputError(f"{what} must not be empty")
    return text_hash(text)


def party_code(value: PartyCode | str) -> PartyCode:
    """A :class:`~portchain.types.PartyCode`, or one written ``PROVIDER:CODE`` (split at the first colon, each part
    trimmed), as the CLI and the devnet cast give them.

    >>> party_code("GLEIF:9845PCCARRIER0000041")
    PartyCode(provider='GLEIF', code='9845PCCARRIER0000041')
    >>> party_code("NL-EORI: NL812345678").code
    'NL812345678'
    >>> party_code("9845PCCARRIER0000041")
    Traceback (most recent call last):
    ...
    portchain.errors.InputError: party code must be PROVIDER:CODE (e.g. GLEIF:<LEI>), got '9845PCCARRIER0000041'
    """
    if isinstance(value, PartyCode):
        return value
    if not isinstance(value, str) or ":" not in value:
        raise InputError(f"party code must be PROVIDER:CODE (e.g. GLEIF:<LEI>), got {value!r}")
    provider, code = value.split(":", 1)
    return PartyCode(provider.strip(), code.strip())


def party_codes(values: Iterable[PartyCode | str]) -> tuple[PartyCode, ...]:
    """At least one party code (:func:`party_code` each), none listed twice.

    >>> party_codes(["GLEIF:9845PCCARRIER0000041", "SMDG:BAL"])[1]
    PartyCode(provider='SMDG', code='BAL')
    >>> party_codes(["SMDG:BAL", "SMDG: BAL"])
    Traceback (most recent call last):
    ...
    portchain.errors.InputError: party code SMDG:BAL is listed twice
    """
    if isinstance(values, (str, PartyCode)):
        raise InputError("party codes must be a list of PartyCode or PROVIDER:CODE texts")
    codes = tuple(party_code(value) for value in values)
    if not codes:
        raise InputError("give at least one party code")
    seen: set[PartyCode] = set()
    for code in codes:
        if code in seen:
            raise InputError(f"party code {code} is listed twice")
        seen.add(code)
    return codes


def _code_hash(code: PartyCode | HexLike) -> Bytes32:
    """The registry's key of a party code: its :meth:`~portchain.types.PartyCode.hash`, or a hash given as such."""
    return code.hash() if isinstance(code, PartyCode) else to_hash32(code, "party code hash")


@dataclass(frozen=True)
class Organisation:
    """One organisation as the registry holds it."""

    org_id: int
    name_hash: Bytes32
    registration_id_hash: Bytes32
    country: str
    roles: tuple[Role, ...]
    status: OrgStatus
    onboarded_at: int
    signer_count: int

    def to_json(self) -> dict[str, object]:
        return {
            "orgId": self.org_id,
            "nameHash": "0x" + self.name_hash.hex(),
            "registrationIdHash": "0x" + self.registration_id_hash.hex(),
            "country": self.country,
            "roles": [r.name for r in self.roles],
            "status": self.status.name,
            "onboardedAt": self.onboarded_at,
            "signerCount": self.signer_count,
        }


@dataclass(frozen=True)
class Onboarded:
    """What :meth:`RegistryClient.onboard` returns: the new id and the transaction."""

    org_id: int
    receipt: Receipt


class RegistryClient(ContractClient):
    """The participant registry."""

    contract_name = "PortRegistry"

    # -- registrar actions -------------------------------------------------------------------------------------

    def onboard(
        self,
        name: str,
        registration_id: str,
        country: str,
        roles: Iterable[Role | str | int],
        signers: Sequence[str],
        ports: Sequence[str] = (),
        *,
        sender: LocalAccount,
    ) -> Onboarded:
        """Onboard an organisation. Name and registration id are hashed here; only the hashes are sent."""
        name_hash, registration_hash = _named(name, "organisation name"), _named(registration_id, "registration id")
        signer_addresses = [to_address(s, "signer") for s in signers]
        if not signer_addresses:
            raise InputError("an organisation needs at least one signing address")
        if len(set(signer_addresses)) != len(signer_addresses):
            raise InputError("the same signer is listed twice")
        receipt = self._send(
            sender,
            "onboard",
            name_hash,
            registration_hash,
            to_country(country),
            roles_mask(roles),
            [to_unlocode(p) for p in ports],
            signer_addresses,
        )
        (event,) = self.events(receipt, "OrganisationOnboarded")
        return Onboarded(event.args["orgId"], receipt)

    def onboard_contract(
        self, name: str, country: str, roles: Iterable[Role | str | int], account: str, *, sender: LocalAccount
    ) -> int:
        """Onboard a deployed contract (an escrow) as an organisation whose only signer is itself: fixed signers,
        never suspended or revoked. Returns the new organisation id."""
        receipt = self._send(
            sender, "onboardContract", _named(name, "organisation name"), to_country(country), roles_mask(roles),
            to_address(account, "contract address"),
        )
        (event,) = self.events(receipt, "OrganisationOnboarded")
        return int(event.args["orgId"])

    def designate_authority(self, country: str, role: Role | str, org_id: int, *, sender: LocalAccount) -> Receipt:
        """The registrar designates ``org_id`` as the one ``role`` authority (customs, tax) of ``country``. The first
        such organisation onboarded in a country is designated automatically."""
        return self._send(sender, "designateAuthority", to_country(country), Role.parse(role), _org(org_id))

    def add_signer(self, org_id: int, signer: str, *, sender: LocalAccount) -> Receipt:
        """Propose another address to sign for organisation ``org_id``: ``sender`` must be one of its own signers
        (the registrar cannot add signers to an organisation). The address signs once it accepts
        (:meth:`accept_signer`), so nobody can claim another's address; an organisation has at most 16 signers."""
        return self._send(sender, "addSigner", _org(org_id), to_address(signer, "signer"))

    def accept_signer(self, org_id: int, *, sender: LocalAccount) -> Receipt:
        """The proposed address (``sender``) accepts to sign for organisation ``org_id``."""
        return self._send(sender, "acceptSigner", _org(org_id))

    def remove_signer(self, signer: str, *, sender: LocalAccount) -> Receipt:
        """Stop an address signing for its organisation (``sender``: a signer of the same organisation; the
        last signer stays)."""
        return self._send(sender, "removeSigner", to_address(signer, "signer"))

    def set_roles(self, org_id: int, roles: Iterable[Role | str | int], *, sender: LocalAccount) -> Receipt:
        """Replace the organisation's role set."""
        return self._send(sender, "setRoles", _org(org_id), roles_mask(roles))

    def set_port(self, org_id: int, port: str, operates: bool = True, *, sender: LocalAccount) -> Receipt:
        """Add (or with ``operates=False`` remove) a port the organisation operates at."""
        return self._send(sender, "setPort", _org(org_id), to_unlocode(port), bool(operates))

    def add_party_codes(self, org_id: int, codes: Sequence[PartyCode | str], *, sender: LocalAccount) -> Receipt:
        """The registrar records the party codes that identify organisation ``org_id`` in DCSA documents (LEI, EORI,
        DUNS, SMDG/NMFTA carrier code, as :class:`~portchain.types.PartyCode` or ``PROVIDER:CODE``); only their
        hashes go on-chain. A code the organisation already holds is skipped; one another organisation holds is
        refused (``errors.PartyCodeTaken``), as is a revoked organisation."""
        hashes = [code.hash() for code in party_codes(codes)]
        return self._send(sender, "addPartyCodes", _org(org_id), hashes)

    def remove_party_code(self, code: PartyCode | str, *, sender: LocalAccount) -> Receipt:
        """The registrar frees a party code (a lapsed or transferred LEI): it names no organisation any more."""
        return self._send(sender, "removePartyCode", party_code(code).hash())

    def suspend(self, org_id: int, reason: str = "", *, sender: LocalAccount) -> Receipt:
        """Suspend an active organisation; the reason stays off-chain, its hash goes on-chain."""
        return self._send(sender, "suspend", _org(org_id), optional_text_hash(reason))

    def reinstate(self, org_id: int, *, sender: LocalAccount) -> Receipt:
        """Reinstate a suspended organisation."""
        return self._send(sender, "reinstate", _org(org_id))

    def revoke(self, org_id: int, reason: str = "", *, sender: LocalAccount) -> Receipt:
        """Revoke an organisation for good."""
        return self._send(sender, "revoke", _org(org_id), optional_text_hash(reason))

    # -- queries -----------------------------------------------------------------------------------------------

    def organisation(self, org_id: int) -> Organisation:
        """Everything the registry holds about ``org_id`` (raises ``errors.UnknownOrganisation``)."""
        name_hash, reg_hash, country, roles, status, onboarded_at, signer_count = self._call(
            "organisation", _org(org_id)
        )
        return Organisation(
            org_id, Bytes32(name_hash), Bytes32(reg_hash), country.decode(), tuple(roles_from_mask(roles)),
            OrgStatus(status), onboarded_at, signer_count,
        )

    def authority_of(self, country: str, role: Role | str) -> int:
        """The organisation designated as the ``role`` authority of ``country``, or 0."""
        return int(self._call("authorityOf", to_country(country), Role.parse(role)))

    def organisation_count(self) -> int:
        return int(self._call("organisationCount"))

    def is_contract_organisation(self, org_id: int) -> bool:
        """Whether organisation ``org_id`` was onboarded for a contract (fixed signer, never suspended or revoked)."""
        return bool(self._call("isContractOrganisation", _org(org_id)))

    def org_of_party_code(self, code: PartyCode | HexLike) -> int:
        """The organisation holding party ``code`` (a :class:`~portchain.types.PartyCode`, or its 32-byte hash), or
        0. A suspended or revoked organisation keeps its codes until the registrar removes them: check its status."""
        return int(self._call("orgOfPartyCode", _code_hash(code)))

    def org_of_party_codes(self, codes: Iterable[PartyCode | str]) -> dict[PartyCode, int]:
        """The organisation holding each code (0 for a code nobody holds), all read in one call."""
        listed = list(dict.fromkeys(party_code(code) for code in codes))
        if not listed:
            return {}
        found: Sequence[int] = self._call("orgsOfPartyCodes", [code.hash() for code in listed])
        return dict(zip(listed, (int(org) for org in found), strict=True))

    def org_of(self, account: str) -> int:
        """The organisation ``account`` signs for, or 0."""
        return int(self._call("orgOf", to_address(account)))

    def signers(self, org_id: int) -> list[str]:
        """Current signing addresses of ``org_id``."""
        return list(self._call("signersOf", _org(org_id)))

    def is_acting(self, account: str, role: Role | str, country: str | None = None) -> bool:
        """Whether ``account`` acts for an active organisation with ``role`` (in ``country`` if given)."""
        return bool(self._acting("isActing", account, role, country))

    def require_acting(self, account: str, role: Role | str, country: str | None = None) -> int:
        """The organisation id ``account`` acts for with ``role``; raises the registry's decoded refusal."""
        return int(self._acting("requireActing", account, role, country))

    def _acting(self, function: str, account: str, role: Role | str, country: str | None) -> Any:
        """``function(account, role)``, or its ``...In`` form bound to ``country`` when one is given."""
        if country is None:
            return self._call(function, to_address(account), Role.parse(role))
        return self._call(f"{function}In", to_address(account), Role.parse(role), to_country(country))

    def operates_at(self, org_id: int, port: str) -> bool:
        return bool(self._call("operatesAt", _org(org_id), to_unlocode(port)))


def _org(org_id: int) -> int:
    return to_uint(org_id, 32, "organisation id")
