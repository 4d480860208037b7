"""Clients of ``Customs`` (declarations, tariffs, duties, release), ``CargoRelease`` (the terminal gate) and
``VatRebates`` (export VAT rebates), and the duty arithmetic the SDK shows before anything is paid.

Duties are integer token units, rounded half up: duty = sum over items of round(value x rate / 10,000), the rate
being the item's HS subheading's (6 digits) else its heading's (4 digits); import VAT = round((sum of values +
duty) x VAT rate / 10,000). Exports carry neither.

>>> compute_duties([Item("851712", 100_000_000, "CN")], {"851712": 0}, vat_bps=2_100)
(0, 21000000)
>>> compute_duties([Item("847130", 1_000_005, "CN")], {"8471": 250}, vat_bps=2_100)
(25000, 215251)
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from eth_account.signers.local import LocalAccount

from ..errors import InputError
from ..transactions import Receipt
from ..types import (
    BPS,
    Bytes32,
    DeclarationKind,
    DeclarationStatus,
    HexLike,
    InspectionResult,
    Lane,
    Role,
    document_hash_of,
    hs_code_problem,
    optional_text_hash,
    to_country,
    to_positive,
    to_uint,
)
from ._base import address_or_none, declaration_id
from .bill_of_lading import bill_id
from .nominated_treasuries import NominatedTreasuries
from .settlement_token import SignedPermit


@dataclass(frozen=True)
class Item:
    """One goods item: HS code (the first 6 digits count on-chain), customs value (CIF, in token units), origin."""

    hs_code: str
    customs_value: int
    origin: str

    def __post_init__(self) -> None:
        if hs_code_problem(self._digits):
            raise InputError(f"HS code must be 6 to 10 digits, got {self.hs_code!r}")
        to_positive(self.customs_value, 96, "customs value")
        to_country(self.origin)

    @property
    def _digits(self) -> str:
        return str(self.hs_code).replace(".", "").replace(" ", "")

    @property
    def subheading(self) -> int:
        return int(self._digits[:6])

    def encode(self) -> tuple[int, int, bytes]:
        return (self.subheading, self.customs_value, to_country(self.origin))


def _round_half_up(numerator: int) -> int:
    return (numerator + BPS // 2) // BPS


def compute_duties(items: Sequence[Item], rates: Mapping[str, int], vat_bps: int) -> tuple[int, int]:
    """(duty, import VAT) of ``items`` under ``rates`` (HS subheading or heading -> basis points) and ``vat_bps``,
    exactly as the contract computes them."""
    duty = 0
    for item in items:
        code = f"{item.subheading:06d}"
        rate = rates.get(code, rates.get(code[:4]))
        if rate is None:
            raise InputError(f"no tariff rate for HS {code} (nor its heading {code[:4]})")
        duty += _round_half_up(item.customs_value * rate)
    vat = _round_half_up((sum(i.customs_value for i in items) + duty) * vat_bps)
    return duty, vat


@dataclass(frozen=True)
class Declaration:
    """Everything the chain holds about one declaration."""

    id: Bytes32
    status: DeclarationStatus
    kind: DeclarationKind
    lane: Lane
    inspection: InspectionResult
    declarant: int
    country: str
    lodged_at: int
    item_count: int
    lodged_block: int
    duty: int
    vat: int
    superseded_by: Bytes32 | None
    treasury: str | None = None
    token: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": "0x" + self.id.hex(), "status": self.status.name, "kind": self.kind.name, "lane": self.lane.name,
            "inspection": self.inspection.name, "declarant": self.declarant, "country": self.country,
            "lodgedAt": self.lodged_at, "itemCount": self.item_count, "lodgedBlock": self.lodged_block,
            "duty": self.duty, "vat": self.vat,
            "supersededBy": "0x" + self.superseded_by.hex() if self.superseded_by else None,
            "treasury": self.treasury, "token": self.token,
        }


_EVENTS = (
    "DeclarationLodged", "DeclarationAccepted", "DeclarationRejected", "LaneAssigned", "InspectionRecorded",
    "AmendmentRequired", "DeclarationAmended", "DutiesAssessed", "DutiesPaid", "DeclarationReleased",
)


def _items(items: Iterable[Item]) -> list[tuple[int, int, bytes]]:
    encoded = [item.encode() for item in items]
    if not 1 <= len(encoded) <= 99:
        raise InputError(f"a declaration needs 1 to 99 items, got {len(encoded)}")
    return encoded


def _declared(document: Any, items: Iterable[Item], ucr: str, bill: HexLike | None) -> tuple[Any, ...]:
    """What a lodged or amended declaration sends after its leading arguments: document hash, UCR hash, the bill
    (zero for none) and the items."""
    linked = bill_id(bill) if bill is not None else bytes(32)
    return document_hash_of(document, "declaration hash"), optional_text_hash(ucr), linked, _items(items)


class CustomsClient(NominatedTreasuries):
    """Customs declarations, tariffs, import VAT, duties and release."""

    contract_name = "Customs"

    # -- declarant ---------------------------------------------------------------------------------------------------

    def lodge(
        self,
        kind: DeclarationKind | str,
        country: str,
        document: Any,
        items: Sequence[Item],
        *,
        ucr: str = "",
        bill: HexLike | None = None,
        sender: LocalAccount,
    ) -> Bytes32:
        """Lodge a declaration with the customs of ``country``; returns its id (which commits to the items).
        Refused before sending (:class:`~portchain.errors.InputError`) when ``country`` has no designated customs
        authority: nobody could act on the declaration."""
        declared = _declared(document, items, ucr, bill)
        jurisdiction = to_country(country)
        if self._registry().authority_of(jurisdiction.decode(), Role.CUSTOMS) == 0:
            code = jurisdiction.decode()
            raise InputError(
                f"{code} has no customs authority: nobody could act on a declaration lodged there; the consortium "
                f"admin designates one with `portchain registry designate <org-id> --country {code} --role customs`"
            )
        receipt = self._send(sender, "lodge", DeclarationKind.parse(kind), jurisdiction, *declared)
        (event,) = self.events(receipt, "DeclarationLodged")
        return Bytes32(event.args["id"])

    def amend(
        self, declaration: HexLike, document: Any, items: Sequence[Item], *, ucr: str = "", bill: HexLike | None = None,
        sender: LocalAccount,
    ) -> Bytes32:
        """Lodge the amended declaration customs asked for; returns the new id."""
        receipt = self._send(sender, "amend", declaration_id(declaration), *_declared(document, items, ucr, bill))
        (event,) = self.events(receipt, "DeclarationAmended")
        return Bytes32(event.args["replacement"])

    def amount_due(self, declaration: HexLike) -> int:
        """What paying the assessed declaration will cost (duty + VAT), read before sending anything."""
        view = self.declaration(declaration)
        if view.status != DeclarationStatus.ASSESSED:
            raise InputError(f"declaration is {view.status.name}, not ASSESSED: nothing to pay")
        return view.duty + view.vat

    def pay(self, declaration: HexLike, *, sender: LocalAccount, permit: SignedPermit | None = None) -> Receipt:
        """Pay duty + VAT to the jurisdiction's treasury (approve first, or give a ``permit``)."""
        return self._send_paying(sender, "pay", declaration_id(declaration), permit=permit)

    # -- customs authority -------------------------------------------------------------------------------------------

    def accept(self, declaration: HexLike, *, sender: LocalAccount) -> Receipt:
        return self._send(sender, "accept", declaration_id(declaration))

    def reject(self, declaration: HexLike, reason: str = "", *, sender: LocalAccount) -> Receipt:
        return self._send(sender, "reject", declaration_id(declaration), optional_text_hash(reason))

    def assign_lane(self, declaration: HexLike, lane: Lane | str, *, sender: LocalAccount) -> Receipt:
        return self._send(sender, "assignLane", declaration_id(declaration), Lane.parse(lane))

    def record_inspection(
        self, declaration: HexLike, result: InspectionResult | str, report: str = "", *, sender: LocalAccount
    ) -> Receipt:
        return self._send(
            sender, "recordInspection", declaration_id(declaration), InspectionResult.parse(result),
            optional_text_hash(report),
        )

    def require_amendment(self, declaration: HexLike, reason: str = "", *, sender: LocalAccount) -> Receipt:
        return self._send(sender, "requireAmendment", declaration_id(declaration), optional_text_hash(reason))

    def assess(self, declaration: HexLike, document: Any, items: Sequence[Item], *, sender: LocalAccount) -> Receipt:
        """Assess duty and import VAT; ``document`` and ``items`` as lodged (checked against the id)."""
        digest = document_hash_of(document, "declaration hash")
        return self._send(sender, "assess", declaration_id(declaration), digest, _items(items))

    def release(self, declaration: HexLike, *, sender: LocalAccount) -> Receipt:
        return self._send(sender, "release", declaration_id(declaration))

    def set_tariff_rate(self, code: str, rate_bps: int, *, sender: LocalAccount) -> Receipt:
        """Set the duty rate of an HS heading ("8517") or subheading ("851712") in the sender's jurisdiction."""
        digits = str(code).replace(".", "")
        if not re.fullmatch(r"\d{4}|\d{6}", digits):
            raise InputError(f"tariff code must be an HS heading (4 digits) or subheading (6 digits), got {code!r}")
        return self._send(sender, "setTariffRate", int(digits), len(digits), _rate(rate_bps))

    def set_vat_rate(self, rate_bps: int, *, sender: LocalAccount) -> Receipt:
        """The TAX authority sets its jurisdiction's import VAT rate."""
        return self._send(sender, "setVatRate", _rate(rate_bps))

    # -- queries -----------------------------------------------------------------------------------------------------

    def declaration(self, declaration: HexLike) -> Declaration:
        ident = declaration_id(declaration)
        v = self._call("declarationOf", ident)
        superseded = Bytes32(v[11])
        return Declaration(
            ident, DeclarationStatus(v[0]), DeclarationKind(v[1]), Lane(v[2]), InspectionResult(v[3]), int(v[4]),
            bytes(v[5]).decode(), int(v[6]), int(v[7]), int(v[8]), int(v[9]), int(v[10]),
            superseded if any(superseded) else None, address_or_none(v[12]), address_or_none(v[13]),
        )

    def declaration_of_bill(self, bill: HexLike, kind: DeclarationKind | str, declarant: int) -> Bytes32 | None:
        """The declaration of ``kind`` that organisation ``declarant`` linked to ``bill``, if any."""
        found = Bytes32(self._call(
            "declarationOfBill", bill_id(bill), DeclarationKind.parse(kind), to_uint(declarant, 32, "declarant")
        ))
        return found if any(found) else None

    def tariff_rate(self, country: str, hs_code: str) -> int:
        """The duty rate (basis points) of a 6-digit subheading, or of its heading."""
        return int(self._call("tariffRate", to_country(country), Item(hs_code, 1, "ZZ").subheading))

    def vat_rate(self, country: str) -> int:
        return int(self._call("vatRate", to_country(country)))

    def expected_duties(self, country: str, kind: DeclarationKind | str, items: Sequence[Item]) -> tuple[int, int]:
        """(duty, VAT) computed here from the chain's current rates, before anything is sent."""
        if DeclarationKind.parse(kind) == DeclarationKind.EXPORT:
            return 0, 0
        codes = {f"{i.subheading:06d}" for i in items}
        rates = {code: self.tariff_rate(country, code) for code in codes}
        return compute_duties(items, rates, self.vat_rate(country))

    def quote(self, country: str, kind: DeclarationKind | str, items: Sequence[Item]) -> tuple[int, int]:
        """(duty, VAT) as the contract computes them (a view call)."""
        duty, vat = self._call("quote", to_country(country), DeclarationKind.parse(kind), _items(items))
        return int(duty), int(vat)

    def history(self, declaration: HexLike) -> list[tuple[str, int, dict[str, Any]]]:
        """(event, block, arguments) of every step, from the lodging block, by the indexed declaration id."""
        view = self.declaration(declaration)
        return self._steps(_EVENTS, view.id, view.lodged_block)


def _rate(rate_bps: int) -> int:
    if to_uint(rate_bps, 16, "rate") > BPS:
        raise InputError(f"a rate must be 0 to {BPS} basis points, got {rate_bps}")
    return rate_bps
