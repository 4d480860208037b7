"""Client of ``LetterOfCredit``: documentary credits under UCP 600 with escrow and delivery versus payment.

>>> terms = CreditTerms(terms_hash=..., token=port.token.address, amount=to_units("184000", 6),   # doctest: +SKIP
...                     beneficiary=shipper_org, issuing_bank=bank_org, expiry=..., latest_shipment=...,
...                     tolerance_bps=1000, required_documents=[DocType.COMMERCIAL_INVOICE])
>>> credit = port.lc.apply(terms, sender=applicant)        # the applicant's address pays the escrow  # doctest: +SKIP
>>> port.lc.issue(credit, sender=bank)                                                              # doctest: +SKIP
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from eth_account.signers.local import LocalAccount

from ..errors import InputError
from ..transactions import Receipt
from ..types import (
    BPS,
    AmendmentChange,
    Bytes32,
    CreditState,
    Discrepancy,
    DocType,
    HexLike,
    PresentationState,
    is_document,
    to_address,
    to_hash32,
    to_org_id,
    to_positive,
    to_uint,
)
from ._base import ContractClient
from .bill_of_lading import BillOfLadingClient, BillRef, bill_id
from .settlement_token import SignedPermit

ABOUT_TOLERANCE_BPS = 1_000  # UCP 600 art. 30(a): "about" allows 10 % more or less
MAX_TOLERANCE_BPS = ABOUT_TOLERANCE_BPS
DEFAULT_PRESENTATION_DAYS = 21


def documents_mask(documents: Iterable[DocType | str | int]) -> int:
    """The bit set of required document types (``DocType`` members, names or numbers).

    >>> documents_mask([DocType.COMMERCIAL_INVOICE, "packing-list"])
    3
    """
    mask = 0
    for item in documents:
        mask |= 1 << DocType.parse(item)
    return mask


def _timestamp(value: int | dt.date | dt.datetime, what: str) -> int:
    if isinstance(value, dt.datetime):
        return int(value.timestamp())
    if isinstance(value, dt.date):
        return int(dt.datetime(value.year, value.month, value.day, 23, 59, 59, tzinfo=dt.timezone.utc).timestamp())
    return to_uint(value, 40, what)


@dataclass(frozen=True)
class CreditTerms:
    """The key terms of an application (SWIFT MT700 fields in brackets); the full terms stay off-chain."""

    terms_hash: HexLike
    token: str
    amount: int  # 32B, smallest token units
    beneficiary: int
    issuing_bank: int
    expiry: int | dt.date | dt.datetime  # 31D
    latest_shipment: int | dt.date | dt.datetime  # 44C
    tolerance_bps: int = 0  # 39A: 1000 = "about" (+/-10%)
    presentation_days: int = DEFAULT_PRESENTATION_DAYS  # 48
    partial_drawings: bool = False  # 43P
    required_documents: Sequence[Any] = field(default_factory=tuple)  # 46A
    advising_bank: int = 0
    confirming_bank: int = 0
    bill_to_issuer: bool = False  # honoured bills go to the issuing bank rather than the applicant

    @property
    def maximum(self) -> int:
        """The most the credit can pay, and so what the applicant escrows: amount x (1 + tolerance), rounded down
        (UCP 600 art. 30(a)).

        >>> CreditTerms(b"", "", 184_000_000_000, 1, 2, 0, 0, tolerance_bps=1_000).maximum
        202400000000
        """
        return self.amount * (BPS + self.tolerance_bps) // BPS

    def encode(self) -> tuple[Any, ...]:
        """The ``Terms`` tuple for the contract, validated."""
        expiry = _timestamp(self.expiry, "expiry")
        latest = _timestamp(self.latest_shipment, "latest shipment date")
        to_positive(self.amount, 96, "amount")
        if not 0 <= self.tolerance_bps <= MAX_TOLERANCE_BPS:
            raise InputError(f"tolerance must be 0 to {MAX_TOLERANCE_BPS} basis points (UCP 600 'about' = 1000)")
        if not 1 <= self.presentation_days <= 255:
            raise InputError("presentation period must be 1 to 255 days")
        if latest > expiry:
            raise InputError("the latest shipment date must not be after expiry")
        to_org_id(self.beneficiary, "beneficiary organisation")
        to_org_id(self.issuing_bank, "issuing bank organisation")
        return (
            to_hash32(self.terms_hash, "terms hash"),
            to_address(self.token, "token"),
            self.amount,
            self.tolerance_bps,
            expiry,
            latest,
            self.presentation_days,
            bool(self.partial_drawings),
            documents_mask(self.required_documents),
            self.beneficiary,
            self.issuing_bank,
            to_uint(self.advising_bank, 32, "advising bank"),
            to_uint(self.confirming_bank, 32, "confirming bank"),
            bool(self.bill_to_issuer),
        )


@dataclass(frozen=True)
class Credit:
    """Everything the chain holds about one credit."""

    id: int
    state: CreditState
    advised: bool
    confirmed: bool
    confirmation_lapsed: bool
    cancellation_consented: bool
    bill_to_issuer: bool
    partial_drawings: bool
    tolerance_bps: int
    presentation_days: int
    required_documents: int
    applicant: int
    beneficiary: int
    issuing_bank: int
    advising_bank: int
    confirming_bank: int
    expiry: int
    latest_shipment: int
    token: str
    payer: str
    amount: int
    max_drawable: int
    escrowed: int
    reserved: int
    available: int
    presentations: int
    amendments: int
    amendment_pending: bool
    terms_hash: Bytes32
    application_block: int
    amendment_increase: int = 0
    amendment_funded: bool = False

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in self.__dict__.items():
            camel = "".join(p if i == 0 else p.title() for i, p in enumerate(key.split("_")))
            if isinstance(value, CreditState):
                value = value.name
            elif isinstance(value, bytes):
                value = "0x" + value.hex()
            out[camel] = value
        return out


@dataclass(frozen=True)
class Presentation:
    """One presentation under a credit."""

    credit: int
    number: int
    state: PresentationState
    discrepancies: Discrepancy
    presented_at: int
    examination_deadline: int
    amount: int
    payee: str
    bill: Bytes32

    def to_json(self) -> dict[str, Any]:
        return {
            "credit": self.credit,
            "number": self.number,
            "state": self.state.name,
            "discrepancies": self.discrepancies.member_names(),
            "presentedAt": self.presented_at,
            "examinationDeadline": self.examination_deadline,
            "amount": self.amount,
            "payee": self.payee,
            "bill": "0x" + self.bill.hex(),
        }


_EVENTS = (
    "CreditApplied", "CreditIssued", "CreditAdvised", "CreditConfirmed", "AmendmentIssued", "AmendmentAccepted",
    "AmendmentRejected", "AmendmentConfirmationDeclined", "DocumentsPresented", "PresentationRefused",
    "DiscrepanciesWaived", "PresentationHonoured", "DocumentsReturned", "CancellationConsented", "CreditClosed",
    "AmendmentFunded",
)


def _anchor_ref(document: Any) -> bytes:
    if isinstance(document, tuple):
        if len(document) != 2:
            raise InputError("a presented document is an anchor id or a (document, issuer organisation) pair")
        from .trade_documents import anchor_id

        return anchor_id(document[0], document[1])
    if is_document(document):
        raise InputError(
            "a presented document needs its issuer: give (document, issuer organisation) or its anchor id"
        )
    return to_hash32(document, "anchor id")


def _credit_id(value: int) -> int:
    return to_positive(value, 256, "credit id")


def _number(value: int) -> int:
    return to_positive(value, 16, "presentation number")


class LetterOfCreditClient(ContractClient):
    """Documentary credits."""

    contract_name = "LetterOfCredit"
    _escrow_org: int | None = None

    def escrow_organisation(self) -> int:
        """The registry organisation this contract holds presented bills as (asked once per client)."""
        if self._escrow_org is None:
            self._escrow_org = self._registry().org_of(self.address)
        return self._escrow_org

    # -- application and issuance ------------------------------------------------------------------------------

    def apply(self, terms: CreditTerms, *, sender: LocalAccount, permit: SignedPermit | None = None) -> int:
        """Apply (applicant): ``sender``'s address pays amount x (1 + tolerance) into escrow in this same
        transaction (refunded if the application is cancelled). Give ``permit`` (a
        :class:`~portchain.clients.settlement_token.SignedPermit`) to authorise it in the same transaction, else
        approve first."""
        receipt = self._send_paying(sender, "applyForCredit", terms.encode(), permit=permit)
        (event,) = self.events(receipt, "CreditApplied")
        return int(event.args["id"])

    def issue(self, credit: int, *, sender: LocalAccount) -> Receipt:
        """Issue (issuing bank), against the escrow the payer funded when it applied. Whether honoured bills go to
        the bank is the applicant's term (:attr:`CreditTerms.bill_to_issuer`), not the bank's choice."""
        return self._send(sender, "issue", _credit_id(credit))

    def advise(self, credit: int, *, sender: LocalAccount) -> Receipt:
        return self._send(sender, "advise", _credit_id(credit))

    def confirm(self, credit: int, *, sender: LocalAccount) -> Receipt:
        return self._send(sender, "confirm", _credit_id(credit))

    # -- amendments ----------------------------------------------------------------------------------------------

    def amend(
        self,
        credit: int,
        *,
        amount: int | None = None,
        expiry: int | dt.date | None = None,
        latest_shipment: int | dt.date | None = None,
        terms_hash: HexLike | None = None,
        sender: LocalAccount,
    ) -> Receipt:
        """Issue an amendment (issuing bank). An increase is escrowed only when the payer funds it
        (:meth:`fund_amendment`); until then the beneficiary cannot accept it."""
        changes = AmendmentChange(0)
        values: list[Any] = [0, 0, 0, 0, bytes(32)]
        if amount is not None:
            changes |= AmendmentChange.AMOUNT
            values[1] = to_uint(amount, 96, "amount")
        if expiry is not None:
            changes |= AmendmentChange.EXPIRY
            values[2] = _timestamp(expiry, "expiry")
        if latest_shipment is not None:
            changes |= AmendmentChange.LATEST_SHIPMENT
            values[3] = _timestamp(latest_shipment, "latest shipment date")
        if terms_hash is not None:
            changes |= AmendmentChange.TERMS
            values[4] = to_hash32(terms_hash, "terms hash")
        if changes == 0:
            raise InputError("an amendment must change something")
        values[0] = int(changes)
        return self._send(sender, "amend", _credit_id(credit), tuple(values))

    def fund_amendment(self, credit: int, *, sender: LocalAccount) -> Receipt:
        """The payer escrows the pending amendment's increase from its own address (approve it first)."""
        return self._send(sender, "fundAmendment", _credit_id(credit))

    def accept_amendment(self, credit: int, *, changes: int | None = None, sender: LocalAccount) -> Receipt:
        """Accept the pending amendment (beneficiary). Naming only some of its ``changes`` is a rejection."""
        if changes is None:
            changes = self.pending_amendment(credit)[0]
        return self._send(sender, "acceptAmendment", _credit_id(credit), to_uint(changes, 8, "changes"))

    def reject_amendment(self, credit: int, *, sender: LocalAccount) -> Receipt:
        return self._send(sender, "rejectAmendment", _credit_id(credit))

    def decline_amendment_confirmation(self, credit: int, *, sender: LocalAccount) -> Receipt:
        return self._send(sender, "declineAmendmentConfirmation", _credit_id(credit))

    def pending_amendment(self, credit: int) -> tuple[int, int, int, int, Bytes32, int]:
        """(changes, amount, expiry, latest shipment, terms hash, number); changes 0 when none is pending."""
        (changes, amount, expiry, latest, terms), number = self._call("pendingAmendmentOf", _credit_id(credit))
        return int(changes), int(amount), int(expiry), int(latest), Bytes32(terms), int(number)

    # -- presentation and examination ---------------------------------------------------------------------------

    def present(
        self,
        credit: int,
        amount: int,
        documents: Sequence[Any],
        bill: BillRef,
        *,
        payee: str | None = None,
        sender: LocalAccount,
        bol: BillOfLadingClient,
        valid_for: int = 3600,
        accepts_amendment: int = 0,
    ) -> int:
        """Present documents and the bill (beneficiary). Each document is an anchor id (32 bytes, as
        :func:`~portchain.clients.trade_documents.anchor_id` gives) or a ``(document or hash, issuer organisation)``
        pair.
        ``accepts_amendment``: the number of the pending amendment this presentation accepts if it complies with it
        (UCP 600 Art. 10(c)); 0 (the default) accepts none, so an amendment issued just before cannot be accepted
        behind the beneficiary's back. ``sender`` signs the bill's endorsement to the credit's escrow off-chain and
        sends the presentation; returns the presentation's number."""
        bill_bytes = bill_id(bill)
        hashes = [_anchor_ref(d) for d in documents]
        endorsement = bol.sign_endorsement(
            bill_bytes, self.escrow_organisation(), signer=sender, relayer=self.address, valid_for=valid_for
        )
        receipt = self._send(
            sender,
            "present",
            _credit_id(credit),
            (to_uint(amount, 96, "amount"), hashes, bill_bytes, to_address(payee or sender.address, "payee"),
             to_uint(accepts_amendment, 16, "amendment number")),
            (endorsement.transfers, endorsement.nonce, endorsement.deadline, endorsement.signature),
        )
        (event,) = self.events(receipt, "DocumentsPresented")
        return int(event.args["presentation"])

    def honour(self, credit: int, number: int, *, sender: LocalAccount) -> Receipt:
        """Honour (examining bank): funds to the payee and the bill onwards, in one transaction."""
        return self._send(sender, "honour", _credit_id(credit), _number(number))

    def refuse(
        self, credit: int, number: int, discrepancies: Iterable[Any] | str | int, *, sender: LocalAccount
    ) -> Receipt:
        """Refuse (examining bank) in one notice listing every discrepancy."""
        codes = discrepancies if isinstance(discrepancies, int) else Discrepancy.parse_list(discrepancies)
        return self._send(
            sender, "refuse", _credit_id(credit), _number(number), to_uint(int(codes), 16, "discrepancies")
        )

    def waive(self, credit: int, number: int, *, sender: LocalAccount) -> Receipt:
        """Waive the discrepancies (applicant)."""
        return self._send(sender, "waive", _credit_id(credit), _number(number))

    def return_documents(self, credit: int, number: int, *, sender: LocalAccount) -> Receipt:
        """Final refusal (examining bank or beneficiary; anyone after expiry): the bill goes back to the
        beneficiary."""
        return self._send(sender, "returnDocuments", _credit_id(credit), _number(number))

    def withdraw(self, token: str, to: str | None = None, *, sender: LocalAccount) -> Receipt:
        """Withdraw what a token refused to pay ``sender`` (as payee or payer), to ``to`` (default itself)."""
        return self._send(sender, "withdraw", to_address(token, "token"), to_address(to or sender.address, "recipient"))

    def deliver_held_bill(self, bill: BillRef, *, sender: LocalAccount) -> Receipt:
        """Deliver a bill held for an organisation that is active again (anyone may)."""
        return self._send(sender, "deliverHeldBill", bill_id(bill))

    def recover_bill(self, bill: BillRef, *, sender: LocalAccount) -> Receipt:
        """Give back a bill sent to the escrow outside any presentation, to the organisation it came from (anyone)."""
        return self._send(sender, "recoverBill", bill_id(bill))

    def owed_to(self, token: str, account: str) -> int:
        """What a token refused to pay ``account`` and the escrow holds for it."""
        return int(self._call("owedTo", to_address(token, "token"), to_address(account, "account")))

    def held_for(self, bill: BillRef) -> int:
        """The organisation a held bill waits for (0: none)."""
        return int(self._call("heldFor", bill_id(bill)))

    def claim(self, credit: int, number: int, *, sender: LocalAccount) -> Receipt:
        """Honour a presentation after the examination deadline passed without a refusal: the bank is precluded.
        Anyone may send it (the beneficiary usually); the payee and the bill's recipient are fixed already."""
        return self._send(sender, "claim", _credit_id(credit), _number(number))

    def set_holiday(self, day: dt.date | int, holiday: bool = True, *, sender: LocalAccount) -> Receipt:
        """Mark (or clear) a holiday on the sending bank's calendar."""
        number = (day - dt.date(1970, 1, 1)).days if isinstance(day, dt.date) else to_uint(day, 32, "day")
        return self._send(sender, "setHoliday", number, bool(holiday))

    # -- closing ---------------------------------------------------------------------------------------------------

    def expire(self, credit: int, *, sender: LocalAccount) -> Receipt:
        """Close an expired credit (anyone): the rest of the escrow goes back to the payer."""
        return self._send(sender, "expire", _credit_id(credit))

    def consent_to_cancellation(self, credit: int, *, sender: LocalAccount) -> Receipt:
        return self._send(sender, "consentToCancellation", _credit_id(credit))

    def cancel(self, credit: int, *, sender: LocalAccount) -> Receipt:
        return self._send(sender, "cancel", _credit_id(credit))

    # -- queries -----------------------------------------------------------------------------------------------------

    def credit(self, credit: int) -> Credit:
        """Everything about the credit in one call (raises ``errors.UnknownCredit``)."""
        values = self._call("creditOf", _credit_id(credit))
        fields: list[Any] = [Bytes32(v) if isinstance(v, bytes) and len(v) == 32 else v for v in values[1:]]
        return Credit(credit, CreditState(values[0]), *fields)  # the terms hash as Bytes32

    def presentation(self, credit: int, number: int) -> Presentation:
        state, discrepancies, presented_at, deadline, amount, payee, bill = self._call(
            "presentationOf", _credit_id(credit), _number(number)
        )
        return Presentation(
            credit, number, PresentationState(state), Discrepancy(discrepancies), presented_at, deadline, amount,
            payee, Bytes32(bill),
        )

    def examination_deadline(self, bank: int, timestamp: int) -> int:
        return int(self._call("examinationDeadline", to_uint(bank, 32, "bank"), to_uint(timestamp, 256, "timestamp")))

    def history(self, credit: int) -> list[tuple[str, int, dict[str, Any]]]:
        """(event, block, arguments) of every step, from the application's block, by the indexed credit id."""
        start = self.credit(credit).application_block
        return self._steps(_EVENTS, credit.to_bytes(32, "big"), start)
