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
    DeclarationKind,
    DeclarationStatus,
    HexLike,
    InspectionResult,
    Lane,
    to_address,
    to_country,
    to_hash32,
    to_uint,
)
from ._base import ContractClient


@dataclass(frozen=True)
class Item:
    """One goods item: HS code (the first 6 digits count on-chain), customs value (CIF, in token units), origin."""

    hs_code: str
    customs_value: int
    origin: str

    def __post_init__(self) -> None:
        digits = str(self.hs_code).replace(".", "").replace(" ", "")
        if not re.fullmatch(r"\d{6,10}", digits):
            raise InputError(f"HS code must be 6 to 10 digits, got {self.hs_code!r}")
        if to_uint(self.customs_value, 96, "customs value") == 0:
            raise InputError("customs value must be positive")
        to_country(self.origin)

    @property
    def subheading(self) -> int:
        return int(str(self.hs_code).replace(".", "").replace(" ", "")[:6])

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


def _hash(value: Any, what: str) -> bytes:
    """A document hash: from an object with ``.hash()``, 32 bytes/hex, or a JSON-able dict (canonical)."""
    if hasattr(value, "hash") and callable(value.hash):
        return bytes(value.hash())
    if isinstance(value, dict):
        from ..documents import document_hash

        return document_hash(value)
    return to_hash32(value, what)


def _text_hash(text: str | None) -> bytes:
    """keccak256 of NFC-normalised, trimmed text (as the registry hashes names); zero for no text."""
    from .port_registry import text_hash

    return text_hash(text) if text and text.strip() else bytes(32)


@dataclass(frozen=True)
class Declaration:
    """Everything the chain holds about one declaration."""

    id: bytes
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
    superseded_by: bytes | None
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


def _id(value: HexLike) -> bytes:
    return to_hash32(value, "declaration id")


class CustomsClient(ContractClient):
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
    ) -> bytes:
        """Lodge a declaration with the customs of ``country``; returns its id (which commits to the items)."""
        receipt = self._send(
            sender, "lodge", DeclarationKind.parse(kind), to_country(country), _hash(document, "declaration hash"),
            _text_hash(ucr), to_hash32(bill, "bill id") if bill is not None else bytes(32), _items(items),
        )
        (event,) = self.events(receipt, "DeclarationLodged")
        return bytes(event.args["id"])

    def amend(
        self,
        declaration: HexLike,
        document: Any,
        items: Sequence[Item],
        *,
        ucr: str = "",
        bill: HexLike | None = None,
        sender: LocalAccount,
    ) -> bytes:
        """Lodge the amended declaration customs asked for; returns the new id."""
        receipt = self._send(
            sender, "amend", _id(declaration), _hash(document, "declaration hash"), _text_hash(ucr),
            to_hash32(bill, "bill id") if bill is not None else bytes(32), _items(items),
        )
        (event,) = self.events(receipt, "DeclarationAmended")
        return bytes(event.args["replacement"])

    def amount_due(self, declaration: HexLike) -> int:
        """What paying the assessed declaration will cost (duty + VAT), read before sending anything."""
        view = self.declaration(declaration)
        if view.status != DeclarationStatus.ASSESSED:
            raise InputError(f"declaration is {view.status.name}, not ASSESSED: nothing to pay")
        return view.duty + view.vat

    def pay(self, declaration: HexLike, *, sender: LocalAccount, permit: Any = None) -> Receipt:
        """Pay duty + VAT to the jurisdiction's treasury (approve first, or give a ``permit``)."""
        if permit is None:
            return self._send(sender, "pay", _id(declaration))
        return self._send(sender, "payWithPermit", _id(declaration), permit.deadline, permit.v, permit.r, permit.s)

    # -- customs authority -------------------------------------------------------------------------------------------

    def accept(self, declaration: HexLike, *, sender: LocalAccount) -> Receipt:
        return self._send(sender, "accept", _id(declaration))

    def reject(self, declaration: HexLike, reason: str = "", *, sender: LocalAccount) -> Receipt:
        return self._send(sender, "reject", _id(declaration), _text_hash(reason))

    def assign_lane(self, declaration: HexLike, lane: Lane | str, *, sender: LocalAccount) -> Receipt:
        return self._send(sender, "assignLane", _id(declaration), Lane.parse(lane))

    def record_inspection(
        self, declaration: HexLike, result: InspectionResult | str, report: str = "", *, sender: LocalAccount
    ) -> Receipt:
        return self._send(sender, "recordInspection", _id(declaration), InspectionResult.parse(result), _text_hash(report))

    def require_amendment(self, declaration: HexLike, reason: str = "", *, sender: LocalAccount) -> Receipt:
        return self._send(sender, "requireAmendment", _id(declaration), _text_hash(reason))

    def assess(self, declaration: HexLike, document: Any, items: Sequence[Item], *, sender: LocalAccount) -> Receipt:
        """Assess duty and import VAT; ``document`` and ``items`` as lodged (checked against the id)."""
        return self._send(sender, "assess", _id(declaration), _hash(document, "declaration hash"), _items(items))

    def release(self, declaration: HexLike, *, sender: LocalAccount) -> Receipt:
        return self._send(sender, "release", _id(declaration))

    def set_tariff_rate(self, code: str, rate_bps: int, *, sender: LocalAccount) -> Receipt:
        """Set the duty rate of an HS heading ("8517") or subheading ("851712") in the sender's jurisdiction."""
        digits = str(code).replace(".", "")
        if not re.fullmatch(r"\d{4}|\d{6}", digits):
            raise InputError(f"tariff code must be an HS heading (4 digits) or subheading (6 digits), got {code!r}")
        return self._send(sender, "setTariffRate", int(digits), len(digits), _rate(rate_bps))

    def set_vat_rate(self, rate_bps: int, *, sender: LocalAccount) -> Receipt:
        """The TAX authority sets its jurisdiction's import VAT rate."""
        return self._send(sender, "setVatRate", _rate(rate_bps))

    def nominate_treasury(self, treasury: str, token: str, *, sender: LocalAccount) -> Receipt:
        """The customs authority nominates where its country's duties are paid, in ``token``; it takes effect when
        the treasury accepts (:meth:`accept_treasury`). Assessments already made keep the treasury they fixed."""
        return self._send(sender, "nominateTreasury", to_address(treasury, "treasury"), to_address(token, "token"))

    def accept_treasury(self, country: str, *, sender: LocalAccount) -> Receipt:
        """The nominated treasury (``sender``) accepts to receive ``country``'s duties."""
        return self._send(sender, "acceptTreasury", to_country(country))

    # -- queries -----------------------------------------------------------------------------------------------------

    def declaration(self, declaration: HexLike) -> Declaration:
        ident = _id(declaration)
        v = self._call("declarationOf", ident)
        superseded = bytes(v[11])
        return Declaration(
            ident, DeclarationStatus(v[0]), DeclarationKind(v[1]), Lane(v[2]), InspectionResult(v[3]), int(v[4]),
            bytes(v[5]).decode(), int(v[6]), int(v[7]), int(v[8]), int(v[9]), int(v[10]),
            superseded if any(superseded) else None,
            None if int(v[12], 16) == 0 else str(v[12]), None if int(v[13], 16) == 0 else str(v[13]),
        )

    def declaration_of_bill(self, bill: HexLike, kind: DeclarationKind | str, declarant: int) -> bytes | None:
        """The declaration of ``kind`` that organisation ``declarant`` linked to ``bill``, if any."""
        found = bytes(self._call(
            "declarationOfBill", to_hash32(bill, "bill id"), DeclarationKind.parse(kind), to_uint(declarant, 32, "declarant")
        ))
        return found if any(found) else None

    def tariff_rate(self, country: str, hs_code: str) -> int:
        """The duty rate (basis points) of a 6-digit subheading, or of its heading."""
        return int(self._call("tariffRate", to_country(country), Item(hs_code, 1, "ZZ").subheading))

    def vat_rate(self, country: str) -> int:
        return int(self._call("vatRate", to_country(country)))

    def treasury_of(self, country: str) -> tuple[str, str]:
        """(treasury, token) that receives ``country``'s duties now (zero addresses until one has accepted)."""
        treasury, token = self._call("treasuryOf", to_country(country))
        return treasury, token

    def nominated_treasury_of(self, country: str) -> tuple[str, str] | None:
        """(treasury, token) nominated for ``country``'s duties and not accepted yet, or None."""
        return _treasury(self._call("nominatedTreasuryOf", to_country(country)))

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
        topics = [["0x" + self.abi.event_topic(name).hex() for name in _EVENTS], "0x" + view.id.hex()]
        events = self.abi.decode_logs(self.layer.get_logs(self.address, topics, view.lodged_block), self.address)
        return [
            (e.name, e.block_number, {k: v for k, v in e.args.items() if k != "id"})
            for e in sorted(events, key=lambda e: (e.block_number, e.log_index))
        ]


def _rate(rate_bps: int) -> int:
    if to_uint(rate_bps, 16, "rate") > BPS:
        raise InputError(f"a rate must be 0 to {BPS} basis points, got {rate_bps}")
    return rate_bps


def _treasury(pair: Any) -> tuple[str, str] | None:
    treasury, token = pair
    return None if int(treasury, 16) == 0 else (str(treasury), str(token))
