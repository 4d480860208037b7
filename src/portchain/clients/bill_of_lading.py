"""Client of ``BillOfLading``: the DCSA eBL 3.0 lifecycle, relayed endorsements and a bill's history.

A bill's id binds the canonical hash of its transport document to the carrier that drafted it
(``keccak256(abi.encode(documentHash, carrierOrgId))``, see :func:`bill_id_for`), so no other carrier can take a
document's id first. :meth:`BillOfLadingClient.draft` returns it. Parties are registry organisation ids.

>>> bill = port.bol.draft(document, BillKind.TO_ORDER, shipper=3, consignee=0, sender=carrier)   # doctest: +SKIP
>>> port.bol.approve(bill, sender=shipper); port.bol.issue(bill, sender=carrier)                 # doctest: +SKIP
>>> port.bol.status(bill).holder                                                                  # doctest: +SKIP
2
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from eth_account.signers.local import LocalAccount

from ..errors import InputError
from ..transactions import Receipt
from ..types import (
    AmendmentReason,
    BillKind,
    BillState,
    HexLike,
    Milestone,
    document_hash_of,
    is_document,
    org_scoped_id,
    to_address,
    to_hash32,
    to_org_id,
    to_uint,
)
from ._base import ContractClient, args_but_id

BillRef = Any  # bytes32 bill id (bytes or 0x-hex), as draft returned it


class DraftedFrom(bytes):
    """A transport document's hash standing for the bill drafted from it, to be looked up with
    :meth:`BillOfLadingClient.resolve` (the CLI accepts a document file wherever it takes a bill)."""


def bill_id(bill: BillRef) -> bytes:
    """The 32-byte id of a bill (what :meth:`BillOfLadingClient.draft` returned)."""
    if is_document(bill):
        raise InputError(
            "a transport document is not a bill id: the id binds its hash to the drafting carrier; "
            "use the id draft returned, or bill_id_for(document, carrier)"
        )
    return to_hash32(bill, "bill id")


def bill_id_for(document: Any, carrier: int) -> bytes:
    """The id carrier organisation ``carrier`` gives the bill it drafts from ``document`` (or its hash); another
    carrier drafting from the same document gets another id.

    >>> digest = bytes(31) + b"\\x01"
    >>> bill_id_for(digest, 1).hex()[:16], bill_id_for(digest, 2) == bill_id_for(digest, 1)
    ('cc69885fda6bcc1a', False)
    """
    return org_scoped_id(document, carrier, "carrier")


@dataclass(frozen=True)
class BillStatus:
    """Everything the chain holds about one bill (``statusOf``)."""

    id: bytes
    state: BillState
    kind: BillKind
    blank_endorsed: bool
    carrier: int
    shipper: int
    consignee: int
    holder: int
    endorsee: int
    previous_holder: int
    draft_block: int
    shipped_on_board_date: int
    arrived_date: int
    discharged_date: int
    replaced_by: bytes | None
    transfers: int = 0

    @property
    def titleholder(self) -> int:
        """The organisation entitled to the goods right now (0 if the bill is in transit between parties)."""
        if self.kind != BillKind.TO_ORDER:
            return self.consignee
        if self.blank_endorsed:
            return self.holder
        return self.endorsee if self.endorsee == self.holder else 0

    def to_json(self) -> dict[str, Any]:
        return {
            "id": "0x" + self.id.hex(),
            "state": self.state.name,
            "kind": self.kind.name,
            "blankEndorsed": self.blank_endorsed,
            "carrier": self.carrier,
            "shipper": self.shipper,
            "consignee": self.consignee,
            "holder": self.holder,
            "endorsee": self.endorsee,
            "previousHolder": self.previous_holder,
            "draftBlock": self.draft_block,
            "shippedOnBoardDate": self.shipped_on_board_date,
            "arrivedDate": self.arrived_date,
            "dischargedDate": self.discharged_date,
            "replacedBy": "0x" + self.replaced_by.hex() if self.replaced_by else None,
            "transfers": self.transfers,
        }


@dataclass(frozen=True)
class SignedEndorsement:
    """An endorsement a signer of the holder signed off-chain for its organisation ``from_org`` while the bill stood
    at ``transfers``; the named relayer (or anyone) may relay it until the bill moves or the signer revokes it."""

    bill: bytes
    from_org: int
    to: int
    to_order: bool
    transfers: int
    relayer: str
    nonce: int
    deadline: int
    signature: bytes
    signer: str


@dataclass(frozen=True)
class HistoryEntry:
    """One step of a bill's life, from its events."""

    action: str
    block_number: int
    tx_hash: str
    args: dict[str, Any]


_HISTORY_EVENTS = (
    "BillDrafted", "BillApproved", "BillIssued", "BillTransferred", "BillEndorsed", "BillBlankEndorsed",
    "BillSigned", "TransferRejected", "BillSurrenderedForDelivery", "BillSurrenderedForAmendment",
    "SurrenderAccepted", "SurrenderRejected", "BillVoided", "MilestoneRecorded",
)


_ENDORSE_FIELDS = [
    ("bill", "bytes32"), ("from", "uint32"), ("to", "uint32"), ("toOrder", "bool"), ("transfers", "uint40"),
    ("relayer", "address"), ("nonce", "uint256"), ("deadline", "uint256"),
]


class BillOfLadingClient(ContractClient):
    """Electronic bills of lading."""

    contract_name = "BillOfLading"

    # -- draft, approve, issue ---------------------------------------------------------------------------------

    def draft(
        self,
        document: BillRef,
        kind: BillKind | str | int,
        *,
        shipper: int,
        consignee: int = 0,
        sender: LocalAccount,
    ) -> bytes:
        """Draft a bill (carrier) from a transport document or its hash; returns the bill id, which binds the
        document's hash to the carrier's organisation."""
        digest = document_hash_of(document)
        parsed = BillKind.parse(kind)
        if parsed != BillKind.TO_ORDER and consignee == 0:
            what = "straight bill" if parsed == BillKind.STRAIGHT else "sea waybill"
            raise InputError(f"a {what} needs a consignee organisation")
        if consignee:
            to_org_id(consignee, "consignee")
        receipt = self._send(sender, "draft", digest, parsed, to_org_id(shipper, "shipper"), consignee)
        (event,) = self.events(receipt, "BillDrafted")
        return bytes(event.args["id"])

    def approve(self, bill: BillRef, *, sender: LocalAccount) -> Receipt:
        """The shipper approves the draft."""
        return self._send(sender, "approve", bill_id(bill))

    def issue(self, bill: BillRef, *, sender: LocalAccount) -> Receipt:
        """The carrier issues an approved bill."""
        return self._send(sender, "issue", bill_id(bill))

    def issue_batch(self, bills: Sequence[BillRef], *, sender: LocalAccount) -> Receipt:
        """The carrier issues several approved bills in one transaction."""
        ids = [bill_id(b) for b in bills]
        if not ids:
            raise InputError("issue_batch needs at least one bill")
        if len(set(ids)) != len(ids):
            raise InputError("the same bill is listed twice in the batch")
        return self._send(sender, "issueBatch", ids)

    def void_draft(self, bill: BillRef, *, sender: LocalAccount) -> Receipt:
        """The carrier withdraws a bill that was never issued."""
        return self._send(sender, "voidDraft", bill_id(bill))

    # -- transfer and endorsement ------------------------------------------------------------------------------

    def transfer(self, bill: BillRef, to: int, *, sender: LocalAccount) -> Receipt:
        """The holder passes possession to organisation ``to``."""
        return self._send(sender, "transfer", bill_id(bill), to_org_id(to, "recipient"))

    def endorse(self, bill: BillRef, to: int, *, to_order: bool = False, sender: LocalAccount) -> Receipt:
        """The titleholder endorses the bill to ``to`` (``to_order``: "to the order of") and delivers it."""
        return self._send(sender, "endorseToOrder" if to_order else "endorse", bill_id(bill), to_org_id(to, "endorsee"))

    def blank_endorse(self, bill: BillRef, *, sender: LocalAccount) -> Receipt:
        """The titleholder endorses the bill in blank (it becomes a bearer bill)."""
        return self._send(sender, "blankEndorse", bill_id(bill))

    def sign(self, bill: BillRef, attestation_hash: HexLike, *, sender: LocalAccount) -> Receipt:
        """The holder attests the bill; only the attestation's hash goes on-chain."""
        return self._send(sender, "sign", bill_id(bill), to_hash32(attestation_hash, "attestation hash"))

    def reject_transfer(self, bill: BillRef, *, sender: LocalAccount) -> Receipt:
        """The new holder refuses the last transfer or endorsement."""
        return self._send(sender, "rejectTransfer", bill_id(bill))

    def sign_endorsement(
        self,
        bill: BillRef,
        to: int,
        *,
        signer: LocalAccount,
        to_order: bool = False,
        relayer: str | None = None,
        deadline: int | None = None,
        valid_for: int = 3600,
    ) -> SignedEndorsement:
        """Sign an endorsement off-chain (EIP-712) to be relayed with :meth:`endorse_by_signature` by ``relayer``
        only, or by anyone when no relayer is named. The signature names the signer's organisation and the bill's
        current ``transfers`` count: it dies when the bill moves, and :meth:`revoke_endorsement` withdraws it."""
        bill_bytes = bill_id(bill)
        to_org_id(to, "endorsee")
        relayer_address = to_address(relayer, "relayer") if relayer else "0x" + "00" * 20
        deadline = self.layer.block_timestamp() + valid_for if deadline is None else to_uint(deadline, 256, "deadline")
        from_org = self._registry().org_of(signer.address)
        if from_org == 0:
            raise InputError(f"{signer.address} signs for no organisation")
        transfers = self.status(bill_bytes).transfers
        nonce = self.nonce_of(signer.address)
        message = {
            "bill": bill_bytes, "from": from_org, "to": to, "toOrder": to_order, "transfers": transfers,
            "relayer": relayer_address, "nonce": nonce, "deadline": deadline,
        }
        signature = self._sign_typed(signer, "portchain BillOfLading", "Endorse", _ENDORSE_FIELDS, message).signature
        return SignedEndorsement(
            bill_bytes, from_org, to, to_order, transfers, relayer_address, nonce, deadline, bytes(signature),
            signer.address,
        )

    def revoke_endorsement(self, nonce: int, *, sender: LocalAccount) -> Receipt:
        """Withdraw an unrelayed endorsement ``sender`` signed with ``nonce`` (its current nonce)."""
        return self._send(sender, "revokeEndorsement", to_uint(nonce, 256, "nonce"))

    def endorse_by_signature(self, endorsement: SignedEndorsement, *, sender: LocalAccount) -> Receipt:
        """Relay a signed endorsement (``sender`` pays the gas; the holder's signer authorised it)."""
        e = endorsement
        return self._send(
            sender, "endorseBySignature", e.bill, e.from_org, e.to, e.to_order, e.transfers, e.relayer, e.nonce,
            e.deadline, e.signature,
        )

    def nonce_of(self, signer: str) -> int:
        """The next nonce a relayed endorsement by ``signer`` must carry."""
        return int(self._call("nonces", signer))

    # -- surrender ---------------------------------------------------------------------------------------------

    def surrender_for_delivery(self, bill: BillRef, *, sender: LocalAccount) -> Receipt:
        """The titleholder surrenders the bill to the carrier to take delivery."""
        return self._send(sender, "surrenderForDelivery", bill_id(bill))

    def surrender_for_amendment(self, bill: BillRef, reason: AmendmentReason | str, *, sender: LocalAccount) -> Receipt:
        """The titleholder surrenders the bill for an amendment: SWTP, COD or SWI."""
        return self._send(sender, "surrenderForAmendment", bill_id(bill), AmendmentReason.parse(reason))

    def accept_surrender(self, bill: BillRef, *, sender: LocalAccount) -> Receipt:
        """The carrier accepts a surrender for delivery: the bill is accomplished."""
        return self._send(sender, "acceptSurrender", bill_id(bill))

    def accept_amendment(self, bill: BillRef, replacement: BillRef, *, sender: LocalAccount) -> Receipt:
        """The carrier accepts a surrender for amendment: the bill is voided, linked to ``replacement``."""
        return self._send(sender, "acceptAmendment", bill_id(bill), bill_id(replacement))

    def reject_surrender(self, bill: BillRef, *, sender: LocalAccount) -> Receipt:
        """The carrier rejects a surrender: the bill goes back to the surrendering party."""
        return self._send(sender, "rejectSurrender", bill_id(bill))

    def record_milestone(
        self, bill: BillRef, milestone: Milestone | str, date: int | None = None, *, sender: LocalAccount
    ) -> Receipt:
        """The carrier records shipped on board / arrived / discharged (``date``: unix time, default the chain's
        now)."""
        when = self.layer.block_timestamp() if date is None else to_uint(date, 40, "milestone date")
        if when == 0:
            raise InputError("milestone date must not be 0")
        return self._send(sender, "recordMilestone", bill_id(bill), Milestone.parse(milestone), when)

    # -- queries -----------------------------------------------------------------------------------------------

    def status(self, bill: BillRef) -> BillStatus:
        """Everything the chain holds about the bill, in one call (raises ``errors.UnknownBill``)."""
        ident = bill_id(bill)
        s = self._call("statusOf", ident)
        carrier, shipper, consignee, holder, endorsee, previous_holder, draft_block, shipped, arrived, discharged = (
            int(v) for v in s[3:13]
        )
        replaced = bytes(s[13])
        return BillStatus(
            ident, BillState(s[0]), BillKind(s[1]), bool(s[2]), carrier, shipper, consignee, holder, endorsee,
            previous_holder, draft_block, shipped, arrived, discharged, replaced if any(replaced) else None, int(s[14]),
        )

    def bills_drafted_from(self, document: Any) -> list[tuple[bytes, int]]:
        """Every (bill id, carrier) drafted from ``document`` (or its hash), from the indexed ``BillDrafted`` logs."""
        drafted = self.logs("BillDrafted", None, None, document_hash_of(document))
        return [(bytes(e.args["id"]), int(e.args["carrier"])) for e in drafted]

    def resolve(self, bill: BillRef, *, allow_undrafted: bool = False) -> bytes:
        """A bill id from an id, or from a :class:`DraftedFrom` document hash (the one bill drafted from it; an
        error names the carriers if several drafted it). ``allow_undrafted`` returns the hash itself when no bill
        was drafted from it (a paper bill's hash as an amendment's replacement)."""
        if not isinstance(bill, DraftedFrom):
            return bill_id(bill)
        found = self.bills_drafted_from(bytes(bill))
        if len(found) == 1:
            return found[0][0]
        if not found:
            if allow_undrafted:
                return bytes(bill)
            raise InputError(f"no bill was drafted from document 0x{bytes(bill).hex()}")
        carriers = ", ".join(str(carrier) for _, carrier in found)
        raise InputError(
            f"several carriers ({carriers}) drafted bills from document 0x{bytes(bill).hex()}: give the bill id"
        )

    def history(self, bill: BillRef) -> list[HistoryEntry]:
        """Every step of the bill, rebuilt from its events: one log query filtered by the bill's indexed id,
        starting at the block where it was drafted (no scan from genesis)."""
        status = self.status(bill)
        return [
            HistoryEntry(e.name, e.block_number, e.tx_hash, args_but_id(e))
            for e in self.logs(_HISTORY_EVENTS, status.id, from_block=status.draft_block)
        ]

    def endorsement_chain(self, bill: BillRef) -> list[int]:
        """The organisations that held the bill, in order, after rejections are undone."""
        chain: list[int] = []
        for entry in self.history(bill):
            if entry.action == "BillIssued":
                chain = [entry.args["holder"]]
            elif entry.action in ("BillTransferred", "BillEndorsed"):
                chain.append(entry.args["to"])
            elif entry.action == "TransferRejected" and chain:
                chain.pop()
        return chain
