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
from typing import TYPE_CHECKING, Any

from eth_account.signers.local import LocalAccount

from ..errors import (
    BillKindMismatchError,
    DocumentContradictionError,
    DocumentPartyMismatchError,
    InputError,
    UnregisteredDocumentPartyError,
)
from ..transactions import Receipt
from ..types import (
    AmendmentReason,
    BillKind,
    BillState,
    Bytes32,
    HexLike,
    Milestone,
    PartyCode,
    document_hash_of,
    is_document,
    org_scoped_id,
    to_address,
    to_hash32,
    to_org_id,
    to_uint,
)
from ._base import ContractClient, args_but_id

if TYPE_CHECKING:
    from ..documents import TransportDocument
    from .port_registry import RegistryClient

BillRef = Any  # bytes32 bill id (bytes or 0x-hex), as draft returned it


class DraftedFrom(bytes):
    """A transport document's hash standing for the bill drafted from it, to be looked up with
    :meth:`BillOfLadingClient.resolve` (the CLI accepts a document file wherever it takes a bill)."""


def bill_id(bill: BillRef) -> Bytes32:
    """The 32-byte id of a bill (what :meth:`BillOfLadingClient.draft` returned)."""
    if is_document(bill):
        raise InputError(
            "a transport document is not a bill id: the id binds its hash to the drafting carrier; "
            "use the id draft returned, or bill_id_for(document, carrier)"
        )
    return to_hash32(bill, "bill id")


def bill_id_for(document: Any, carrier: int) -> Bytes32:
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

    id: Bytes32
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
    replaced_by: Bytes32 | None
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
    """One step of a bill's life, from its events; ``dcsa_code`` is DCSA's name for it: the PINT 3.0 action code of
    a title action (ISSUE, TRANSFER, ENDORSE, ENDORSE_TO_ORDER, BLANK_ENDORSE, SIGN, SURRENDER_FOR_DELIVERY,
    SURRENDER_FOR_AMENDMENT, SACC, SREJ), else the eBL 3.0 document status it leads to (DRAFT, APPROVED, VOIDED),
    or None (a milestone)."""

    action: str
    block_number: int
    tx_hash: str
    args: dict[str, Any]
    dcsa_code: str | None = None


_HISTORY_EVENTS = (
    "BillDrafted", "BillApproved", "BillIssued", "BillTransferred", "BillEndorsed", "BillBlankEndorsed",
    "BillSigned", "TransferRejected", "BillSurrenderedForDelivery", "BillSurrenderedForAmendment",
    "SurrenderAccepted", "SurrenderRejected", "BillVoided", "MilestoneRecorded",
)


_ENDORSE_FIELDS = [
    ("bill", "bytes32"), ("from", "uint32"), ("to", "uint32"), ("toOrder", "bool"), ("transfers", "uint40"),
    ("relayer", "address"), ("nonce", "uint256"), ("deadline", "uint256"),
]


@dataclass(frozen=True)
class DraftTerms:
    """What a bill drafted from a document records: the document's hash, the kind and the parties' organisations
    (``consignee`` 0: a to-order bill made out to the order of the shipper)."""

    document_hash: Bytes32
    kind: BillKind
    carrier: int
    shipper: int
    consignee: int


_DRAFTABLE = ("DRAFT", "APPROVED", "ISSUED")


def _require_draftable(document: TransportDocument) -> None:
    """Refuse a document that cannot become an electronic bill: a paper original, or one past issue."""
    if not document.is_electronic:
        raise DocumentContradictionError(
            "transportDocument.isElectronic",
            "a paper bill (isElectronic false) is not drafted as an electronic one: the title would exist twice",
        )
    if document.status not in _DRAFTABLE:
        raise DocumentContradictionError(
            "transportDocument.transportDocumentStatus",
            f"a {document.status} document is not drafted as a bill (only {', '.join(_DRAFTABLE)})",
        )


def _order_party(document: TransportDocument) -> str:
    """The DCSA party a to-order bill is made out to the order of: the endorsee, else the consignee."""
    return "endorsee" if document.party("endorsee") is not None or document.party("consignee") is None else "consignee"


class _PartyResolver:
    """Finds a document party's organisation by the codes it carries: the codes of every party the bill binds are
    read from the registry in one call, on first use."""

    ROLES = ("issuingParty", "shipper", "consignee", "endorsee")

    def __init__(self, registry: RegistryClient, document: TransportDocument) -> None:
        self.registry, self.document = registry, document
        self._holders: dict[PartyCode, int] | None = None

    def holders(self) -> dict[PartyCode, int]:
        if self._holders is None:
            codes = [code for role in self.ROLES for code in self.document.party_codes(role)]
            self._holders = self.registry.org_of_party_codes(codes) if codes else {}
        return self._holders

    def __call__(
        self, role: str, given: int | None, why: str, *, required: bool = True, registered: bool = False
    ) -> int:
        """The organisation of party ``role``: the one its registered codes name, which must be ``given`` if that
        is given; else ``given``, unless ``registered`` demands a registered code. 0 for an absent party that is
        not ``required``."""
        path = f"transportDocument.documentParties.{role}"
        if self.document.party(role) is None:
            if given:
                raise DocumentPartyMismatchError(role, path, (), to_org_id(given, role), "")
            if required:
                raise UnregisteredDocumentPartyError(role, path, ())
            return 0
        codes = self.document.party_codes(role)
        holders = self.holders()
        orgs = tuple(sorted({holders[code] for code in codes if holders.get(code)}))
        if len(orgs) > 1:
            raise DocumentPartyMismatchError(role, path, orgs, orgs[0], "more than one organisation")
        if orgs and given and orgs[0] != given:
            raise DocumentPartyMismatchError(role, path, orgs, given, why)
        if orgs:
            return orgs[0]
        if given and not registered:
            return to_org_id(given, role)
        raise UnregisteredDocumentPartyError(role, path, tuple(str(code) for code in codes))


class BillOfLadingClient(ContractClient):
    """Electronic bills of lading."""

    contract_name = "BillOfLading"

    # -- draft, approve, issue ---------------------------------------------------------------------------------

    def draft(
        self,
        document: Any,
        *,
        sender: LocalAccount,
        kind: BillKind | str | int | None = None,
        shipper: int | None = None,
        consignee: int | None = None,
    ) -> Bytes32:
        """Draft a bill (carrier) from a DCSA eBL 3.0 transport document (a
        :class:`~portchain.documents.TransportDocument`, or its JSON as published); returns the bill id, which
        binds the document's canonical hash to the carrier's organisation.

        The bill follows its document (:meth:`parties_of`): its kind from ``transportDocumentTypeCode`` and
        ``isToOrder``, its shipper, consignee (or, to order, endorsee) and issuing carrier from the registry by the
        codes the document's parties carry. ``kind``, ``shipper`` and ``consignee`` are needed only where the
        document leaves them open (a party with no registered code); given, they must agree with the document.
        Any contradiction raises a :class:`~portchain.errors.DocumentContradictionError` before anything is sent.
        """
        drafted = self.parties_of(document, carrier=self._registry().org_of(sender.address), kind=kind,
                                  shipper=shipper, consignee=consignee)
        return self.draft_from_hash(drafted.document_hash, drafted.kind, shipper=drafted.shipper,
                                    consignee=drafted.consignee, sender=sender)

    def draft_from_hash(
        self,
        document_hash: HexLike,
        kind: BillKind | str | int,
        *,
        shipper: int,
        consignee: int = 0,
        sender: LocalAccount,
    ) -> Bytes32:
        """Draft a bill from a document hash alone: for a transport document validated and bound to its parties
        elsewhere. The SDK checks nothing about the document here (it has only its hash): ``kind`` and the parties
        are taken as given. Prefer :meth:`draft` with the document."""
        if is_document(document_hash):
            raise InputError("draft_from_hash takes a document hash; draft a document with draft(document)")
        digest = to_hash32(document_hash)
        parsed = BillKind.parse(kind)
        if parsed != BillKind.TO_ORDER and consignee == 0:
            what = "straight bill" if parsed == BillKind.STRAIGHT else "sea waybill"
            raise InputError(f"a {what} needs a consignee organisation")
        if consignee:
            to_org_id(consignee, "consignee")
        receipt = self._send(sender, "draft", digest, parsed, to_org_id(shipper, "shipper"), consignee)
        (event,) = self.events(receipt, "BillDrafted")
        return Bytes32(event.args["id"])

    def parties_of(
        self,
        document: Any,
        *,
        carrier: int,
        kind: BillKind | str | int | None = None,
        shipper: int | None = None,
        consignee: int | None = None,
    ) -> DraftTerms:
        """What drafting ``document`` as organisation ``carrier`` records on the chain, found from the document
        and the registry (read-only; :meth:`draft` sends it). Refuses, naming the document field:

        - a kind other than the document's (:class:`~portchain.errors.BillKindMismatchError`), e.g. a sea waybill
          drafted as a to-order bill;
        - a party whose registered codes name another organisation than the drafting carrier or the one given,
          or two organisations (:class:`~portchain.errors.DocumentPartyMismatchError`);
        - a party no registered code identifies and none was given
          (:class:`~portchain.errors.UnregisteredDocumentPartyError`).

        A to-order document's endorsee (or, without one, its consignee) is the party to whose order the bill is
        made out (recorded as the bill's consignee); with neither, the bill is to the order of the shipper. Only an
        electronic document (``isElectronic``) that is a draft, approved or issued is drafted: a paper original, or a
        document surrendered or voided, would make a second title to the same goods.
        """
        from ..documents import TransportDocument

        doc = document if isinstance(document, TransportDocument) else TransportDocument.from_json(document)
        _require_draftable(doc)
        document_kind = doc.bill_kind
        if kind is not None and BillKind.parse(kind) != document_kind:
            raise BillKindMismatchError(document_kind, BillKind.parse(kind), "the bill's kind follows its document")
        if carrier == 0:
            raise InputError("the drafting account signs for no organisation")
        resolve = _PartyResolver(self._registry(), doc)
        resolve("issuingParty", carrier, "not the drafting carrier", registered=True)
        shipper_org = resolve("shipper", shipper, "not the shipper given")
        named = _order_party(doc) if document_kind == BillKind.TO_ORDER else "consignee"
        consignee_org = resolve(named, consignee, f"not the {named} given", required=document_kind != BillKind.TO_ORDER)
        return DraftTerms(Bytes32(doc.hash()), document_kind, carrier, shipper_org, consignee_org)

    def check_document(self, document: Any, bill: BillRef | BillStatus) -> list[str]:
        """Why ``document`` (a DCSA transport document or its JSON) is not the document of ``bill`` (its id or its
        :class:`BillStatus`), each problem naming the field; empty when it is. Its canonical hash must be the one
        the bill's id binds to the bill's carrier, and the bill's kind and parties those the document gives
        (:meth:`parties_of`, with the bill's own terms): a bill drafted from the document's hash alone, with other
        terms or by another carrier, does not pass."""
        from ..documents import TransportDocument, verify

        doc = document if isinstance(document, TransportDocument) else TransportDocument.from_json(document)
        status = bill if isinstance(bill, BillStatus) else self.status(bill)
        if not verify(doc, status):
            return [f"transportDocument: its hash 0x{doc.hash().hex()} is not the one bill 0x{status.id.hex()} "
                    f"binds to carrier {status.carrier}"]
        try:
            self.parties_of(doc, carrier=status.carrier, kind=status.kind, shipper=status.shipper,
                            consignee=status.consignee or None)
        except DocumentContradictionError as exc:
            return [str(exc)]
        return []

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
        replaced = Bytes32(s[13])
        return BillStatus(
            ident, BillState(s[0]), BillKind(s[1]), bool(s[2]), carrier, shipper, consignee, holder, endorsee,
            previous_holder, draft_block, shipped, arrived, discharged, replaced if any(replaced) else None, int(s[14]),
        )

    def bills_drafted_from(self, document: Any) -> list[tuple[Bytes32, int]]:
        """Every (bill id, carrier) drafted from ``document`` (or its hash), from the indexed ``BillDrafted`` logs."""
        drafted = self.logs("BillDrafted", None, None, document_hash_of(document))
        return [(Bytes32(e.args["id"]), int(e.args["carrier"])) for e in drafted]

    def resolve(self, bill: BillRef, *, allow_undrafted: bool = False) -> Bytes32:
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
                return Bytes32(bytes(bill))
            raise InputError(f"no bill was drafted from document 0x{bytes(bill).hex()}")
        carriers = ", ".join(str(carrier) for _, carrier in found)
        raise InputError(
            f"several carriers ({carriers}) drafted bills from document 0x{bytes(bill).hex()}: give the bill id"
        )

    def history(self, bill: BillRef) -> list[HistoryEntry]:
        """Every step of the bill, rebuilt from its events: one log query filtered by the bill's indexed id,
        starting at the block where it was drafted (no scan from genesis)."""
        from ..title_chain import dcsa_code  # it reads this module's endorsement type

        status = self.status(bill)
        return [
            HistoryEntry(e.name, e.block_number, e.tx_hash, args_but_id(e), dcsa_code(e.name, e.args))
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
