"""Client of ``VatRebates``: export VAT rebates, claimed by the exporter and decided by the tax authority."""

from __future__ import annotations

from typing import Any

from eth_account.signers.local import LocalAccount

from ..errors import InputError
from ..transactions import Receipt
from ..types import ClaimStatus, HexLike, to_address, to_country, to_hash32, to_uint
from ._base import ContractClient
from .customs import _hash, _id, _text_hash, _treasury


class RebatesClient(ContractClient):
    """Export VAT rebates: claimed by the exporter, decided by the tax authority."""

    contract_name = "VatRebates"

    def claim(
        self,
        declaration: HexLike,
        bill: HexLike,
        vat_invoice: Any,
        amount: int,
        *,
        payee: str | None = None,
        sender: LocalAccount,
    ) -> int:
        """Claim the rebate of the shipment under ``bill`` (sender: its shipper) against the cleared export
        declaration it linked to that bill; one live claim per bill. Returns the claim id."""
        if to_uint(amount, 96, "amount") == 0:
            raise InputError("a rebate amount must be positive")
        receipt = self._send(
            sender, "claim", _id(declaration), to_hash32(bill, "bill id"), _hash(vat_invoice, "VAT invoice hash"),
            amount, to_address(payee or sender.address, "payee"),
        )
        (event,) = self.events(receipt, "RebateClaimed")
        return int(event.args["claimId"])

    def approve(self, claim: int, *, sender: LocalAccount) -> Receipt:
        return self._send(sender, "approve", _claim(claim))

    def reject(self, claim: int, reason: str = "", *, sender: LocalAccount) -> Receipt:
        return self._send(sender, "reject", _claim(claim), _text_hash(reason))

    def nominate_treasury(self, treasury: str, token: str, *, sender: LocalAccount) -> Receipt:
        """The tax authority nominates the treasury its country's rebates are paid from; it pays nothing until it
        accepts (:meth:`accept_treasury`)."""
        return self._send(sender, "nominateTreasury", to_address(treasury, "treasury"), to_address(token, "token"))

    def accept_treasury(self, country: str, *, sender: LocalAccount) -> Receipt:
        """The nominated treasury (``sender``) accepts to pay ``country``'s rebates."""
        return self._send(sender, "acceptTreasury", to_country(country))

    def treasury_of(self, country: str) -> tuple[str, str]:
        """(treasury, token) that pays ``country``'s rebates (zero addresses until one has accepted)."""
        treasury, token = self._call("treasuryOf", to_country(country))
        return treasury, token

    def nominated_treasury_of(self, country: str) -> tuple[str, str] | None:
        """(treasury, token) nominated for ``country``'s rebates and not accepted yet, or None."""
        return _treasury(self._call("nominatedTreasuryOf", to_country(country)))

    def claim_of(self, claim: int) -> dict[str, Any]:
        status, exporter, country, claimed_at, amount, payee, declaration, invoice, bill = self._call(
            "claimOf", _claim(claim)
        )
        return {
            "claim": claim, "status": ClaimStatus(status).name, "exporter": exporter, "country": bytes(country).decode(),
            "claimedAt": claimed_at, "amount": amount, "payee": payee, "declaration": "0x" + bytes(declaration).hex(),
            "vatInvoiceHash": "0x" + bytes(invoice).hex(), "bill": "0x" + bytes(bill).hex(),
        }


def _claim(value: int) -> int:
    if to_uint(value, 256, "claim id") == 0:
        raise InputError("claim id must be positive")
    return value
