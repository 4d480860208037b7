"""Client side of ``NominatedTreasuries``, the base contract of ``Customs`` and ``VatRebates``: a country's designated
authority nominates the treasury that collects duties or pays rebates, and the treasury accepts in its own
transaction."""

from __future__ import annotations

from eth_account.signers.local import LocalAccount

from ..transactions import Receipt
from ..types import to_address, to_country
from ._base import ContractClient, address_or_none


class NominatedTreasuries(ContractClient):
    """A contract whose authorities nominate their country's treasury, which accepts before it takes effect
    (``NominatedTreasuries.sol``: customs for duties, the tax authority for rebates)."""

    def nominate_treasury(self, treasury: str, token: str, *, sender: LocalAccount) -> Receipt:
        """The authority (``sender``) nominates the treasury of its country, paid or paying in ``token``; it takes
        effect when the treasury accepts (:meth:`accept_treasury`). Assessments already made keep the treasury they
        fixed."""
        return self._send(sender, "nominateTreasury", to_address(treasury, "treasury"), to_address(token, "token"))

    def accept_treasury(self, country: str, *, sender: LocalAccount) -> Receipt:
        """The nominated treasury (``sender``) accepts to serve ``country``."""
        return self._send(sender, "acceptTreasury", to_country(country))

    def treasury_of(self, country: str) -> tuple[str, str]:
        """(treasury, token) that serves ``country`` now (zero addresses until one has accepted)."""
        treasury, token = self._call("treasuryOf", to_country(country))
        return str(treasury), str(token)

    def nominated_treasury_of(self, country: str) -> tuple[str, str] | None:
        """(treasury, token) nominated for ``country`` and not accepted yet, or None."""
        treasury, token = self._call("nominatedTreasuryOf", to_country(country))
        return None if address_or_none(treasury) is None else (str(treasury), str(token))
