"""Client of ``VatRebates``: export VAT rebates, claimed by the exporter and decided by the tax authority."""

from __future__ import annotations

from typing import Any

from eth_account.signers.local import LocalAccount

from ..transactions import Receipt
from ..types import ClaimStatus, HexLike, document_hash_of, optional_text_hash, to_address, to_positive
from ._base import declaration_id
from .bill_of_lading import bill_id
from .nominated_treasuries import NominatedTreasuries


class RebatesClient(NominatedTreasuries):
    """Export VAT rebates: claimed by the exporter, decided by the tax authority (which nominates the treasury its
    country's rebates are paid from; it pays nothing until it accepts)."""

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
        receipt = self._send(
            sender, "claim", declaration_id(declaration), bill_id(bill),
            document_hash_of(vat_invoice, "VAT invoice hash"), to_positive(amount, 96, "rebate amount"),
            to_address(payee or sender.address, "payee"),
        )
        (event,) = self.events(receipt, "RebateClaimed")
        return int(event.args["claimId"])

    def approve(self, claim: int, *, sender: LocalAccount) -> Receipt:
        return self._send(sender, "approve", _claim(claim))

    def reject(self, claim: int, reason: str = "", *, sender: LocalAccount) -> Receipt:
        return self._send(sender, "reject", _claim(claim), optional_text_hash(reason))

    def claim_of(self, claim: int) -> dict[str, Any]:
        status, exporter, country, claimed_at, amount, payee, declaration, invoice, bill = self._call(
            "claimOf", _claim(claim)
        )
        return {
            "claim": claim, "status": ClaimStatus(status).name, "exporter": exporter,
            "country": bytes(country).decode(), "claimedAt": claimed_at, "amount": amount, "payee": payee,
            "declaration": "0x" + bytes(declaration).hex(), "vatInvoiceHash": "0x" + bytes(invoice).hex(),
            "bill": "0x" + bytes(bill).hex(),
        }


def _claim(value: int) -> int:
    return to_positive(value, 256, "claim id")
