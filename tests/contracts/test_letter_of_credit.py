"""LetterOfCredit on a real Anvil: the UCP 600 rules, escrow, delivery versus payment and every refusal, each
refusal asserting its decoded exception and data.

The escrow moves in with the application, from the applicant's own address; an amendment's increase only when the
payer funds it; presented documents are anchor ids (document hash and issuer organisation); and no leg of delivery
versus payment that cannot be delivered blocks the other: a refused payment or an undeliverable bill is held by the
contract until it can be withdrawn or delivered."""

from __future__ import annotations

import os

import pytest
from eth_account import Account
from eth_utils import function_signature_to_4byte_selector

from portchain import BillKind, Role, errors
from portchain.clients.trade_documents import anchor_id
from portchain.documents.trade import (
    sample_commercial_invoice,
)
from portchain.types import (
    CreditParty,
    CreditState,
    CreditTerm,
    Discrepancy,
    OrgStatus,
    PresentationState,
)

from ..trade import ALL_DOCS, DAY, UNIT, Trade


def escrow_invariant(trade: Trade, credits: list[int], owed: tuple[str, ...] = ()) -> None:
    """The contract holds exactly the undrawn escrow of its credits plus the payments held for the `owed` accounts."""
    lc = trade.port.lc
    held = trade.token.balance_of(lc.address)
    assert held == sum(lc.credit(c).escrowed for c in credits) + sum(lc.owed_to(trade.token.address, a) for a in owed)


def anchor_ids(documents: list) -> list[bytes]:
    """The anchor ids a presentation names for `(document, issuer organisation)` pairs."""
    return [anchor_id(document, issuer) for document, issuer in documents]


# -- the whole happy path ----------------------------------------------------------------------------------------


def test_complying_presentation_is_honoured_delivery_versus_payment(trade: Trade) -> None:
    lc, bol = trade.port.lc, trade.port.bol
    before = trade.token.balance_of(trade.applicant.address)
    credit = lc.apply(trade.terms(), sender=trade.applicant.account)
    view = lc.credit(credit)
    assert (view.state, view.payer, view.escrowed) == (CreditState.APPLIED, trade.applicant.address, 110_000 * UNIT)
    # escrowed at application, amount x (1 + tolerance), from the applicant's own address
    assert trade.token.balance_of(trade.applicant.address) == before - 110_000 * UNIT
    escrow_invariant(trade, [credit])
    receipt = lc.issue(credit, sender=trade.issuing.account)
    (issued,) = lc.events(receipt, "CreditIssued")
    assert (issued.args["issuingBank"], issued.args["escrowed"]) == (trade.issuing.org_id, 110_000 * UNIT)
    assert trade.token.balance_of(trade.applicant.address) == before - 110_000 * UNIT  # issue moves no money
    lc.advise(credit, sender=trade.advising.account)
    lc.confirm(credit, sender=trade.confirming.account)
    view = lc.credit(credit)
    assert (view.state, view.advised, view.confirmed) == (CreditState.ISSUED, True, True)
    assert view.escrowed == view.max_drawable == 110_000 * UNIT
    assert trade.token.balance_of(trade.applicant.address) == before - 110_000 * UNIT

    bill = trade.shipped_bill()
    number = trade.present(credit, 100_000 * UNIT, bill)
    presentation = lc.presentation(credit, number)
    assert (presentation.state, presentation.discrepancies) == (PresentationState.PRESENTED, Discrepancy(0))
    assert bol.status(bill).holder == lc.escrow_organisation()
    assert lc.credit(credit).reserved == 100_000 * UNIT

    receipt = lc.honour(credit, number, sender=trade.confirming.account)  # the confirming bank may honour
    (event,) = lc.events(receipt, "PresentationHonoured")
    assert event.args["billTo"] == trade.applicant.org_id and not event.args["precluded"]
    assert lc.events(receipt, "PaymentHeld") == [] and lc.events(receipt, "BillHeld") == []  # both legs delivered
    assert trade.token.balance_of(trade.payee) == 100_000 * UNIT
    status = bol.status(bill)
    assert (status.holder, status.endorsee) == (trade.applicant.org_id, trade.applicant.org_id)
    assert lc.presentation(credit, number).state == PresentationState.HONOURED
    view = lc.credit(credit)
    assert (view.escrowed, view.reserved) == (10_000 * UNIT, 0)
    escrow_invariant(trade, [credit])
    # the applicant, now titleholder, can take delivery
    bol.surrender_for_delivery(bill, sender=trade.applicant.account)


def test_bill_to_issuer_until_reimbursed(trade: Trade) -> None:
    credit = trade.port.lc.apply(trade.terms(bill_to_issuer=True), sender=trade.applicant.account)  # its own term
    trade.port.lc.issue(credit, sender=trade.issuing.account)
    bill = trade.shipped_bill()
    number = trade.present(credit, 100_000 * UNIT, bill)
    trade.port.lc.honour(credit, number, sender=trade.issuing.account)
    assert trade.port.bol.status(bill).holder == trade.issuing.org_id
    trade.port.bol.endorse(bill, trade.applicant.org_id, sender=trade.issuing.account)  # once reimbursed


def test_apply_with_permit(trade: Trade) -> None:
    lc = trade.port.lc
    payer = trade.applicant.account
    trade.token.approve(lc.address, 0, sender=payer)
    before = trade.token.balance_of(payer.address)
    terms = trade.terms()
    with pytest.raises(errors.ERC20InsufficientAllowance) as unfunded:  # no approval, no permit: no application
        lc.apply(terms, sender=payer)
    assert (unfunded.value.spender, unfunded.value.allowance, unfunded.value.needed) == (lc.address, 0, 110_000 * UNIT)
    permit = trade.token.sign_permit(payer, lc.address, 110_000 * UNIT, trade.now() + DAY)
    credit = lc.apply(terms, sender=payer, permit=permit)
    # the permit's allowance is spent on the escrow in the same transaction
    assert trade.token.allowance(payer.address, lc.address) == 0
    assert trade.token.balance_of(payer.address) == before - 110_000 * UNIT
    assert lc.credit(credit).escrowed == 110_000 * UNIT
    lc.issue(credit, sender=trade.issuing.account)
    assert lc.credit(credit).escrowed == 110_000 * UNIT
    assert trade.token.balance_of(payer.address) == before - 110_000 * UNIT


# -- UCP 600 timing ----------------------------------------------------------------------------------------------


def test_late_presentation_is_refused(trade: Trade) -> None:
    credit = trade.credit()
    shipped = trade.now() - DAY
    bill = trade.shipped_bill(shipped)
    documents = trade.documents(bill)
    last_day = (shipped // DAY + 21 + 1) * DAY - 1  # the end of the 21st calendar day after shipment
    trade.travel(last_day - trade.now() + 1)
    with pytest.raises(errors.PresentationTooLate) as info:
        trade.present(credit, 100_000 * UNIT, bill, documents)
    assert (info.value.id, info.value.shipped_on_board, info.value.last_day) == (credit, shipped, last_day)
    assert info.value.timestamp > last_day


def test_presentation_on_the_last_day_is_accepted(trade: Trade) -> None:
    credit = trade.credit()
    shipped = trade.now() - DAY
    bill = trade.shipped_bill(shipped)
    documents = trade.documents(bill)
    last_day = (shipped // DAY + 21 + 1) * DAY - 1
    trade.port.layer.request("evm_setNextBlockTimestamp", [last_day - 5])
    trade.port.layer.request("evm_mine", [])
    assert trade.present(credit, 100_000 * UNIT, bill, documents) == 1


def test_presentation_after_expiry_is_refused(trade: Trade) -> None:
    credit = trade.credit(presentation_days=90)
    bill = trade.shipped_bill()
    documents = trade.documents(bill)
    expiry = trade.port.lc.credit(credit).expiry
    trade.travel(61 * DAY)
    with pytest.raises(errors.PresentationAfterExpiry) as info:
        trade.present(credit, 100_000 * UNIT, bill, documents)
    assert (info.value.id, info.value.expiry) == (credit, expiry)


def _expected_deadline(presented_at: int, holidays: set[int]) -> int:
    day, counted = presented_at // DAY, 0
    while counted < 5:
        day += 1
        if day % 7 not in (2, 3) and day not in holidays:  # 1970-01-01 was a Thursday
            counted += 1
    return (day + 1) * DAY - 1


def test_examination_deadline_counts_banking_days(trade: Trade) -> None:
    credit = trade.credit()
    bill = trade.shipped_bill()
    documents = trade.documents(bill)
    today = trade.now() // DAY
    holidays = {today + 1, today + 2}
    for day in holidays:
        trade.port.lc.set_holiday(day, sender=trade.issuing.account)
    number = trade.present(credit, 100_000 * UNIT, bill, documents)
    presentation = trade.port.lc.presentation(credit, number)
    assert presentation.examination_deadline == _expected_deadline(presentation.presented_at, holidays)
    # a Friday presentation: Saturday and Sunday do not count
    friday = 1_798_761_600 // DAY  # 2027-01-01 is a Friday
    assert friday % 7 == 1
    deadline = trade.port.lc.examination_deadline(trade.issuing.org_id, friday * DAY + 3600)
    assert deadline == (friday + 7 + 1) * DAY - 1  # Mon..Fri of the next week


def test_bank_that_misses_the_deadline_is_precluded(trade: Trade) -> None:
    lc = trade.port.lc
    credit = trade.credit()
    bill = trade.shipped_bill()
    number = trade.present(credit, 100_000 * UNIT, bill, trade.documents(bill, kinds=ALL_DOCS[:3]))  # discrepant
    deadline = lc.presentation(credit, number).examination_deadline
    with pytest.raises(errors.ExaminationPeriodRunning) as running:
        lc.claim(credit, number, sender=trade.beneficiary.account)
    assert (running.value.presentation, running.value.deadline) == (number, deadline)
    trade.travel(deadline - trade.now() + 1)
    with pytest.raises(errors.ExaminationPeriodOver) as over:
        lc.refuse(credit, number, Discrepancy.MISSING_DOCUMENT, sender=trade.issuing.account)
    assert (over.value.id, over.value.presentation, over.value.deadline) == (credit, number, deadline)
    receipt = lc.claim(credit, number, sender=trade.beneficiary.account)
    (event,) = lc.events(receipt, "PresentationHonoured")
    assert event.args["precluded"] and trade.token.balance_of(trade.payee) == 100_000 * UNIT
    assert trade.port.bol.status(bill).holder == trade.applicant.org_id


# -- amounts: tolerance, partial drawings -------------------------------------------------------------------------


def test_tolerance_exactly_ten_percent_over_is_accepted(trade: Trade) -> None:
    credit = trade.credit(amount=100 * UNIT)
    number = trade.present(credit, 110 * UNIT)
    trade.port.lc.honour(credit, number, sender=trade.issuing.account)
    assert trade.token.balance_of(trade.payee) == 110 * UNIT
    assert trade.port.lc.credit(credit).escrowed == 0


def test_one_unit_over_the_tolerance_is_refused(trade: Trade) -> None:
    credit = trade.credit(amount=100 * UNIT)
    with pytest.raises(errors.DrawingExceedsAvailable) as info:
        trade.present(credit, 110 * UNIT + 1)
    assert (info.value.id, info.value.amount, info.value.available) == (credit, 110 * UNIT + 1, 110 * UNIT)


def test_partial_drawing_refused_when_not_allowed(trade: Trade) -> None:
    credit = trade.credit(amount=100 * UNIT, partial_drawings=False)
    with pytest.raises(errors.PartialDrawingNotAllowed) as info:
        trade.present(credit, 50 * UNIT)
    assert (info.value.amount, info.value.minimum) == (50 * UNIT, 90 * UNIT)
    number = trade.present(credit, 95 * UNIT, tag="full")  # within the -10% tolerance: a full drawing
    trade.port.lc.honour(credit, number, sender=trade.issuing.account)
    with pytest.raises(errors.PartialDrawingNotAllowed):  # drawn once already
        trade.present(credit, 10 * UNIT, tag="second")


def test_two_partial_drawings_within_the_amount(trade: Trade) -> None:
    lc = trade.port.lc
    credit = trade.credit(amount=100 * UNIT, partial_drawings=True, tolerance_bps=0)
    first = trade.present(credit, 60 * UNIT, tag="a")
    second = trade.present(credit, 40 * UNIT, tag="b")
    with pytest.raises(errors.DrawingExceedsAvailable) as info:
        trade.present(credit, 1, tag="c")
    assert info.value.available == 0
    lc.honour(credit, first, sender=trade.issuing.account)
    lc.honour(credit, second, sender=trade.issuing.account)
    assert trade.token.balance_of(trade.payee) == 100 * UNIT
    escrow_invariant(trade, [credit])


# -- discrepancies, refusal, waiver -------------------------------------------------------------------------------


def test_refusal_is_one_notice_listing_every_discrepancy_and_the_applicant_may_waive(trade: Trade) -> None:
    lc = trade.port.lc
    credit = trade.credit()
    bill = trade.shipped_bill()
    documents = trade.documents(bill, kinds=ALL_DOCS[:3]) + [os.urandom(32)]  # no insurance; one unanchored hash
    number = trade.present(credit, 100_000 * UNIT, bill, documents)
    found = Discrepancy.MISSING_DOCUMENT | Discrepancy.DOCUMENT_NOT_ANCHORED
    assert lc.presentation(credit, number).discrepancies == found

    with pytest.raises(errors.DiscrepantPresentation) as discrepant:
        lc.honour(credit, number, sender=trade.issuing.account)
    assert discrepant.value.discrepancies == found
    with pytest.raises(errors.RefusalWithoutDiscrepancies):
        lc.refuse(credit, number, 0, sender=trade.issuing.account)
    with pytest.raises(errors.RefusalIncomplete) as incomplete:
        lc.refuse(credit, number, "missing-document,other", sender=trade.issuing.account)
    assert incomplete.value.missing == Discrepancy.DOCUMENT_NOT_ANCHORED
    lc.refuse(credit, number, found | Discrepancy.GOODS_DESCRIPTION, sender=trade.issuing.account)
    assert lc.presentation(credit, number).state == PresentationState.REFUSED
    with pytest.raises(errors.InvalidPresentationState) as twice:
        lc.refuse(credit, number, found, sender=trade.issuing.account)
    assert twice.value.current == PresentationState.REFUSED

    with pytest.raises(errors.NotParty) as not_applicant:
        lc.waive(credit, number, sender=trade.beneficiary.account)
    assert not_applicant.value.required == CreditParty.APPLICANT
    lc.waive(credit, number, sender=trade.applicant.account)
    lc.honour(credit, number, sender=trade.issuing.account)
    assert trade.token.balance_of(trade.payee) == 100_000 * UNIT


def test_late_shipment_and_foreign_invoice_are_discrepancies(trade: Trade) -> None:
    credit = trade.credit(latest_shipment=trade.now() - 2 * DAY)
    bill = trade.shipped_bill(trade.now() - DAY)
    documents = trade.documents(bill, kinds=ALL_DOCS[1:])
    forged = sample_commercial_invoice(invoice_number="INV-FORWARDER")
    # an invoice anchored by another SHIPPER-role organisation than the beneficiary
    other = Account.create()
    trade.port.fund(other.address)
    onboarded = trade.port.registry.onboard(
        "Other Exporter", "OX-1", "CN", [Role.SHIPPER], [other.address], sender=trade.admin
    )
    trade.port.docs.anchor(forged, subject=bill, sender=other)
    number = trade.present(credit, 100_000 * UNIT, bill, documents + [(forged, onboarded.org_id)])
    assert trade.port.lc.presentation(credit, number).discrepancies == (
        Discrepancy.LATE_SHIPMENT | Discrepancy.INVOICE_NOT_BY_BENEFICIARY
    )


def test_a_document_counts_only_as_anchored_by_the_issuer_it_names(trade: Trade) -> None:
    lc, docs = trade.port.lc, trade.port.docs
    credit = trade.credit(partial_drawings=True)
    bill = trade.shipped_bill()
    others = trade.documents(bill, kinds=ALL_DOCS[1:])
    invoice = sample_commercial_invoice(invoice_number="INV-SQUAT")
    # another SHIPPER organisation anchors the beneficiary's invoice first: in its own name space, blocking nothing
    squatter = Account.create()
    trade.port.fund(squatter.address)
    squatting = trade.port.registry.onboard(
        "Squatter", "SQ-1", "CN", [Role.SHIPPER], [squatter.address], sender=trade.admin
    )
    docs.anchor(invoice, subject=bill, sender=squatter)
    docs.anchor(invoice, subject=bill, sender=trade.beneficiary.account)
    assert {a.issuer for a in docs.anchors_of(invoice)} == {squatting.org_id, trade.beneficiary.org_id}
    assert docs.anchor_of(invoice, trade.beneficiary.org_id).issuer == trade.beneficiary.org_id
    # named with an issuer that never anchored it, the invoice is not anchored (and so missing)
    wrong = trade.present(credit, 10_000 * UNIT, bill, others + [(invoice, trade.inspector.org_id)])
    found = Discrepancy.DOCUMENT_NOT_ANCHORED | Discrepancy.MISSING_DOCUMENT
    assert lc.presentation(credit, wrong).discrepancies == found
    lc.refuse(credit, wrong, found, sender=trade.issuing.account)
    lc.return_documents(credit, wrong, sender=trade.beneficiary.account)
    # named with the squatter, it is anchored but not by the beneficiary
    squat = trade.present(credit, 10_000 * UNIT, bill, others + [(invoice, squatting.org_id)])
    assert lc.presentation(credit, squat).discrepancies == Discrepancy.INVOICE_NOT_BY_BENEFICIARY
    lc.refuse(credit, squat, Discrepancy.INVOICE_NOT_BY_BENEFICIARY, sender=trade.issuing.account)
    lc.return_documents(credit, squat, sender=trade.beneficiary.account)
    # the beneficiary's own anchor, by pair or by anchor id, complies
    own = trade.present(
        credit, 10_000 * UNIT, bill, anchor_ids(others) + [anchor_id(invoice, trade.beneficiary.org_id)]
    )
    assert lc.presentation(credit, own).discrepancies == Discrepancy(0)


def test_final_refusal_returns_the_bill(trade: Trade) -> None:
    lc = trade.port.lc
    credit = trade.credit()
    bill = trade.shipped_bill()
    number = trade.present(credit, 100_000 * UNIT, bill, trade.documents(bill, kinds=ALL_DOCS[:2]))
    with pytest.raises(errors.InvalidPresentationState):
        lc.return_documents(credit, number, sender=trade.issuing.account)  # not refused yet
    lc.refuse(credit, number, Discrepancy.MISSING_DOCUMENT, sender=trade.issuing.account)
    lc.return_documents(credit, number, sender=trade.issuing.account)
    status = trade.port.bol.status(bill)
    assert (status.holder, status.endorsee) == (trade.beneficiary.org_id, trade.beneficiary.org_id)
    view = lc.credit(credit)
    assert (view.reserved, view.available) == (0, view.max_drawable)
    assert lc.presentation(credit, number).state == PresentationState.RETURNED
    with pytest.raises(errors.InvalidPresentationState):
        lc.waive(credit, number, sender=trade.applicant.account)


# -- amendments -----------------------------------------------------------------------------------------------------


def test_amendment_binds_the_issuer_and_partial_acceptance_is_rejection(trade: Trade) -> None:
    lc = trade.port.lc
    credit = trade.credit()
    payer_before = trade.token.balance_of(trade.applicant.address)
    new_expiry = trade.now() + 90 * DAY
    lc.amend(credit, amount=120_000 * UNIT, expiry=new_expiry, sender=trade.issuing.account)
    assert trade.token.balance_of(trade.applicant.address) == payer_before  # the bank's amendment moves no money
    view = lc.credit(credit)
    assert (view.amendment_pending, view.amendment_increase, view.amendment_funded) == (True, 22_000 * UNIT, False)
    assert view.escrowed == view.available == 110_000 * UNIT
    with pytest.raises(errors.AmendmentPending) as pending:
        lc.amend(credit, expiry=new_expiry, sender=trade.issuing.account)
    assert (pending.value.id, pending.value.number) == (credit, 1)
    with pytest.raises(errors.AmendmentNotFunded) as unfunded:  # an unfunded increase cannot be accepted
        lc.accept_amendment(credit, sender=trade.beneficiary.account)
    assert (unfunded.value.id, unfunded.value.number, unfunded.value.increase) == (credit, 1, 22_000 * UNIT)
    lc.fund_amendment(credit, sender=trade.applicant.account)
    assert trade.token.balance_of(trade.applicant.address) == payer_before - 22_000 * UNIT
    view = lc.credit(credit)
    assert (view.escrowed, view.amendment_funded) == (132_000 * UNIT, True)
    assert view.available == 110_000 * UNIT  # escrowed, but not drawable before acceptance
    escrow_invariant(trade, [credit])
    receipt = lc.accept_amendment(credit, changes=1, sender=trade.beneficiary.account)  # the amount only
    (event,) = lc.events(receipt, "AmendmentRejected")
    assert (event.args["number"], event.args["partialAcceptance"]) == (1, True)
    view = lc.credit(credit)
    assert (view.amount, view.amendment_pending, view.escrowed) == (100_000 * UNIT, False, 110_000 * UNIT)
    assert (view.amendment_increase, view.amendment_funded) == (0, False)
    assert trade.token.balance_of(trade.applicant.address) == payer_before  # the funded increase came back
    escrow_invariant(trade, [credit])
    with pytest.raises(errors.NoPendingAmendment):
        lc.reject_amendment(credit, sender=trade.beneficiary.account)


def test_only_the_payer_funds_an_amendment_increase(trade: Trade) -> None:
    lc = trade.port.lc
    credit = trade.credit()
    with pytest.raises(errors.NoPendingAmendment) as none:
        lc.fund_amendment(credit, sender=trade.applicant.account)
    assert none.value.id == credit
    lc.amend(credit, amount=150_000 * UNIT, sender=trade.issuing.account)
    # another signer of the applicant's own organisation is not the payer, nor is the issuing bank
    colleague = Account.create()
    trade.port.fund(colleague.address)
    trade.port.registry.add_signer(trade.applicant.org_id, colleague.address, sender=trade.applicant.account)
    for outsider in (colleague, trade.issuing.account, trade.beneficiary.account):
        with pytest.raises(errors.NotPayer) as info:
            lc.fund_amendment(credit, sender=outsider)
        assert (info.value.id, info.value.caller, info.value.payer) == (
            credit, outsider.address, trade.applicant.address
        )
    escrow_before = trade.token.balance_of(lc.address)
    receipt = lc.fund_amendment(credit, sender=trade.applicant.account)
    (funded,) = lc.events(receipt, "AmendmentFunded")
    assert (funded.args["number"], funded.args["increase"]) == (1, 55_000 * UNIT)
    assert trade.token.balance_of(lc.address) == escrow_before + 55_000 * UNIT
    with pytest.raises(errors.NothingToFund) as twice:
        lc.fund_amendment(credit, sender=trade.applicant.account)
    assert twice.value.id == credit
    lc.accept_amendment(credit, sender=trade.beneficiary.account)
    view = lc.credit(credit)
    assert (view.amount, view.escrowed, view.available) == (150_000 * UNIT, 165_000 * UNIT, 165_000 * UNIT)
    escrow_invariant(trade, [credit])


def test_rejecting_an_unfunded_increase_refunds_nothing(trade: Trade) -> None:
    lc = trade.port.lc
    credit = trade.credit()
    payer_before = trade.token.balance_of(trade.applicant.address)
    lc.amend(credit, amount=120_000 * UNIT, sender=trade.issuing.account)
    receipt = lc.reject_amendment(credit, sender=trade.beneficiary.account)
    (event,) = lc.events(receipt, "AmendmentRejected")
    assert not event.args["partialAcceptance"]
    assert trade.token.balance_of(trade.applicant.address) == payer_before
    assert lc.credit(credit).escrowed == 110_000 * UNIT
    escrow_invariant(trade, [credit])


def test_accepted_amendment_changes_the_terms(trade: Trade) -> None:
    lc = trade.port.lc
    credit = trade.credit()
    lc.amend(credit, amount=80_000 * UNIT, sender=trade.issuing.account)
    with pytest.raises(errors.NothingToFund) as decrease:  # a decrease has nothing to fund
        lc.fund_amendment(credit, sender=trade.applicant.account)
    assert decrease.value.id == credit
    payer_before = trade.token.balance_of(trade.applicant.address)
    lc.accept_amendment(credit, sender=trade.beneficiary.account)
    view = lc.credit(credit)
    assert (view.amount, view.max_drawable, view.escrowed) == (80_000 * UNIT, 88_000 * UNIT, 88_000 * UNIT)
    assert trade.token.balance_of(trade.applicant.address) == payer_before + 22_000 * UNIT
    escrow_invariant(trade, [credit])


def test_complying_presentation_counts_as_acceptance(trade: Trade) -> None:
    lc = trade.port.lc
    credit = trade.credit(latest_shipment=trade.now() - 3 * DAY)
    bill = trade.shipped_bill(trade.now() - DAY)  # late under the credit, on time under the amendment
    documents = trade.documents(bill)
    lc.amend(credit, latest_shipment=trade.now(), sender=trade.issuing.account)
    # a presentation that names no amendment (or another one) never accepts one behind the beneficiary's back
    with pytest.raises(errors.AmendmentNotPending) as other:
        trade.present(credit, 100_000 * UNIT, bill, documents, accepts_amendment=2)
    assert (other.value.id, other.value.named, other.value.pending) == (credit, 2, 1)
    snapshot = trade.port.snapshot()
    unnamed = trade.present(credit, 100_000 * UNIT, bill, documents)
    assert lc.presentation(credit, unnamed).discrepancies == Discrepancy.LATE_SHIPMENT
    assert lc.credit(credit).amendment_pending
    trade.port.revert(snapshot)
    number = trade.present(credit, 100_000 * UNIT, bill, documents, accepts_amendment=1)
    assert lc.presentation(credit, number).discrepancies == 0
    assert not lc.credit(credit).amendment_pending
    assert [name for name, _, _ in lc.history(credit)][-3:] == [
        "AmendmentIssued", "AmendmentAccepted", "DocumentsPresented"
    ]


def test_a_presentation_accepts_an_increase_only_once_it_is_funded(trade: Trade) -> None:
    lc = trade.port.lc
    credit = trade.credit(latest_shipment=trade.now() - 3 * DAY, partial_drawings=True)
    bill = trade.shipped_bill(trade.now() - DAY)  # late under the credit, on time under the amendment
    documents = trade.documents(bill)
    lc.amend(credit, amount=120_000 * UNIT, latest_shipment=trade.now(), sender=trade.issuing.account)
    first = trade.present(credit, 100_000 * UNIT, bill, documents, accepts_amendment=1)
    # the amendment is unfunded: the presentation is examined under the credit's own terms and accepts nothing
    assert lc.presentation(credit, first).discrepancies == Discrepancy.LATE_SHIPMENT
    view = lc.credit(credit)
    assert (view.amendment_pending, view.amendment_funded, view.amount) == (True, False, 100_000 * UNIT)
    lc.refuse(credit, first, Discrepancy.LATE_SHIPMENT, sender=trade.issuing.account)
    lc.return_documents(credit, first, sender=trade.beneficiary.account)
    lc.fund_amendment(credit, sender=trade.applicant.account)
    second = trade.present(credit, 100_000 * UNIT, bill, documents, accepts_amendment=1)
    assert lc.presentation(credit, second).discrepancies == Discrepancy(0)
    view = lc.credit(credit)
    assert (view.amendment_pending, view.amount, view.escrowed) == (False, 120_000 * UNIT, 132_000 * UNIT)
    history = lc.history(credit)
    assert [name for name, _, _ in history][-3:] == ["AmendmentFunded", "AmendmentAccepted", "DocumentsPresented"]
    assert history[-2][2]["byPresentation"]
    escrow_invariant(trade, [credit])


def test_confirmer_may_decline_an_amendment(trade: Trade) -> None:
    lc = trade.port.lc
    credit = trade.credit()
    lc.amend(credit, expiry=trade.now() + 90 * DAY, sender=trade.issuing.account)
    with pytest.raises(errors.NotParty):  # not confirmed yet
        lc.decline_amendment_confirmation(credit, sender=trade.confirming.account)
    lc.confirm(credit, sender=trade.confirming.account)
    lc.decline_amendment_confirmation(credit, sender=trade.confirming.account)
    lc.accept_amendment(credit, sender=trade.beneficiary.account)
    assert lc.credit(credit).confirmation_lapsed
    number = trade.present(credit, 100_000 * UNIT)
    with pytest.raises(errors.NotParty) as info:
        lc.honour(credit, number, sender=trade.confirming.account)
    assert info.value.required == CreditParty.EXAMINING_BANK
    lc.honour(credit, number, sender=trade.issuing.account)


def test_amendment_below_what_is_committed_is_refused(trade: Trade) -> None:
    credit = trade.credit(partial_drawings=True)
    trade.present(credit, 60_000 * UNIT)
    with pytest.raises(errors.AmendmentBelowCommitted) as info:
        trade.port.lc.amend(credit, amount=50_000 * UNIT, sender=trade.issuing.account)
    assert (info.value.new_maximum, info.value.committed) == (55_000 * UNIT, 60_000 * UNIT)


# -- expiry and cancellation ----------------------------------------------------------------------------------------


def test_expiry_refunds_the_rest_to_the_applicant(trade: Trade) -> None:
    lc = trade.port.lc
    credit = trade.credit(partial_drawings=True)
    number = trade.present(credit, 30_000 * UNIT)
    expiry = lc.credit(credit).expiry
    with pytest.raises(errors.CreditNotExpired) as early:
        lc.expire(credit, sender=trade.beneficiary.account)
    assert (early.value.id, early.value.expiry) == (credit, expiry)
    trade.travel(61 * DAY)
    before = trade.token.balance_of(trade.applicant.address)
    # anyone may close an expired credit, and a presentation under examination does not hold the rest back
    receipt = lc.expire(credit, sender=trade.carrier.account)
    (event,) = lc.events(receipt, "CreditClosed")
    assert (event.args["state"], event.args["refunded"]) == (CreditState.EXPIRED, 80_000 * UNIT)
    assert trade.token.balance_of(trade.applicant.address) == before + 80_000 * UNIT
    view = lc.credit(credit)
    assert (view.state, view.escrowed, view.reserved) == (CreditState.EXPIRED, 30_000 * UNIT, 30_000 * UNIT)
    assert trade.token.balance_of(lc.address) == 30_000 * UNIT  # what the pending presentation reserves
    with pytest.raises(errors.InvalidCreditState) as twice:
        lc.expire(credit, sender=trade.carrier.account)
    assert twice.value.current == CreditState.EXPIRED
    # the pending presentation still resolves: presented in time, examined too late, paid from its reservation
    lc.claim(credit, number, sender=trade.beneficiary.account)
    assert trade.token.balance_of(trade.payee) == 30_000 * UNIT
    assert trade.token.balance_of(trade.applicant.address) == before + 80_000 * UNIT
    view = lc.credit(credit)
    assert (view.escrowed, view.reserved) == (0, 0)
    assert trade.token.balance_of(lc.address) == 0
    with pytest.raises(errors.InvalidCreditState) as closed:
        trade.present(credit, 1, tag="late")
    assert closed.value.current == CreditState.EXPIRED


def test_refused_documents_on_a_closed_credit_refund_the_payer_when_returned(trade: Trade) -> None:
    lc = trade.port.lc
    credit = trade.credit(partial_drawings=True)
    bill = trade.shipped_bill()
    number = trade.present(credit, 30_000 * UNIT, bill, trade.documents(bill, kinds=ALL_DOCS[:2]))
    lc.refuse(credit, number, Discrepancy.MISSING_DOCUMENT, sender=trade.issuing.account)
    lc.consent_to_cancellation(credit, sender=trade.beneficiary.account)
    before = trade.token.balance_of(trade.applicant.address)
    receipt = lc.cancel(credit, sender=trade.issuing.account)  # the refused presentation does not block it
    (closed,) = lc.events(receipt, "CreditClosed")
    assert (closed.args["state"], closed.args["refunded"]) == (CreditState.CANCELLED, 80_000 * UNIT)
    assert trade.token.balance_of(trade.applicant.address) == before + 80_000 * UNIT
    assert lc.credit(credit).escrowed == 30_000 * UNIT
    with pytest.raises(errors.NotParty) as outsider:  # before expiry only the examining bank or the beneficiary
        lc.return_documents(credit, number, sender=trade.carrier.account)
    assert (outsider.value.actor, outsider.value.required) == (trade.carrier.org_id, CreditParty.EXAMINING_BANK)
    trade.travel(61 * DAY)
    lc.return_documents(credit, number, sender=trade.carrier.account)  # anyone, once the credit has expired
    assert trade.token.balance_of(trade.applicant.address) == before + 110_000 * UNIT  # the reservation came back
    status = trade.port.bol.status(bill)
    assert (status.holder, status.endorsee) == (trade.beneficiary.org_id, trade.beneficiary.org_id)
    view = lc.credit(credit)
    assert (view.state, view.escrowed, view.reserved) == (CreditState.CANCELLED, 0, 0)
    assert lc.presentation(credit, number).state == PresentationState.RETURNED
    assert trade.token.balance_of(lc.address) == 0


def test_cancellation_needs_the_beneficiary(trade: Trade) -> None:
    lc = trade.port.lc
    credit = trade.credit()
    with pytest.raises(errors.CancellationNotConsented):
        lc.cancel(credit, sender=trade.issuing.account)
    lc.consent_to_cancellation(credit, sender=trade.beneficiary.account)
    before = trade.token.balance_of(trade.applicant.address)
    lc.cancel(credit, sender=trade.issuing.account)
    assert trade.token.balance_of(trade.applicant.address) == before + 110_000 * UNIT
    assert lc.credit(credit).state == CreditState.CANCELLED
    before = trade.token.balance_of(trade.applicant.address)
    application = lc.apply(trade.terms(), sender=trade.applicant.account)
    assert trade.token.balance_of(trade.applicant.address) == before - 110_000 * UNIT  # escrowed at application
    receipt = lc.cancel(application, sender=trade.applicant.account)  # an application is withdrawn by its applicant
    (closed,) = lc.events(receipt, "CreditClosed")
    assert (closed.args["state"], closed.args["refunded"]) == (CreditState.CANCELLED, 110_000 * UNIT)
    assert trade.token.balance_of(trade.applicant.address) == before  # and its escrow refunded
    view = lc.credit(application)
    assert (view.state, view.escrowed) == (CreditState.CANCELLED, 0)
    escrow_invariant(trade, [credit, application])


# -- delivery versus payment ------------------------------------------------------------------------------------------


def test_a_bill_the_applicant_cannot_take_is_held_and_the_payment_still_made(trade: Trade) -> None:
    lc, bol = trade.port.lc, trade.port.bol
    credit = trade.credit()
    bill = trade.shipped_bill()
    number = trade.present(credit, 100_000 * UNIT, bill)
    trade.port.registry.suspend(trade.applicant.org_id, sender=trade.admin)  # the bill cannot go to the applicant
    escrow_before = trade.token.balance_of(lc.address)
    receipt = lc.honour(credit, number, sender=trade.issuing.account)
    (honoured,) = lc.events(receipt, "PresentationHonoured")
    assert honoured.args["billTo"] == trade.applicant.org_id
    (held,) = lc.events(receipt, "BillHeld")
    assert (held.args["bill"], held.args["heldFor"]) == (bill, trade.applicant.org_id)
    # the payment leg went through; the bill waits in custody for the applicant
    assert lc.presentation(credit, number).state == PresentationState.HONOURED
    assert trade.token.balance_of(trade.payee) == 100_000 * UNIT
    assert trade.token.balance_of(lc.address) == escrow_before - 100_000 * UNIT
    escrow_invariant(trade, [credit])
    assert bol.status(bill).holder == lc.escrow_organisation()
    assert lc.held_for(bill) == trade.applicant.org_id
    with pytest.raises(errors.BillNotDeliverable) as suspended:
        lc.deliver_held_bill(bill, sender=trade.carrier.account)
    assert (suspended.value.bill, suspended.value.held_for) == (bill, trade.applicant.org_id)
    trade.port.registry.reinstate(trade.applicant.org_id, sender=trade.admin)
    receipt = lc.deliver_held_bill(bill, sender=trade.carrier.account)  # anyone, once the applicant is active
    (delivered,) = lc.events(receipt, "HeldBillDelivered")
    assert (delivered.args["bill"], delivered.args["to"]) == (bill, trade.applicant.org_id)
    status = bol.status(bill)
    assert (status.holder, status.endorsee) == (trade.applicant.org_id, trade.applicant.org_id)
    assert lc.held_for(bill) == 0
    with pytest.raises(errors.BillNotDeliverable) as twice:
        lc.deliver_held_bill(bill, sender=trade.carrier.account)
    assert (twice.value.bill, twice.value.held_for) == (bill, 0)
    bol.surrender_for_delivery(bill, sender=trade.applicant.account)


def test_a_held_bill_cannot_be_recovered_by_its_seller(trade: Trade) -> None:
    lc, bol = trade.port.lc, trade.port.bol
    credit = trade.credit()
    bill = trade.shipped_bill()
    number = trade.present(credit, 100_000 * UNIT, bill)
    trade.port.registry.suspend(trade.applicant.org_id, sender=trade.admin)
    lc.honour(credit, number, sender=trade.issuing.account)  # paid; the bill held for the applicant
    # not a stray bill: it is the applicant's now, and recoverBill would send it back to the paid beneficiary
    with pytest.raises(errors.BillHeldForDelivery) as held:
        lc._send(trade.carrier.account, "recoverBill", bill)
    assert (held.value.bill, held.value.held_for) == (bill, trade.applicant.org_id)
    assert bol.status(bill).holder == lc.escrow_organisation() and lc.held_for(bill) == trade.applicant.org_id
    trade.port.registry.reinstate(trade.applicant.org_id, sender=trade.admin)
    lc.deliver_held_bill(bill, sender=trade.carrier.account)
    assert bol.status(bill).holder == trade.applicant.org_id


def test_a_revoked_applicant_never_takes_the_bill(trade: Trade) -> None:
    lc, bol = trade.port.lc, trade.port.bol
    credit = trade.credit()
    bill = trade.shipped_bill()
    number = trade.present(credit, 100_000 * UNIT, bill)
    trade.port.registry.revoke(trade.applicant.org_id, sender=trade.admin)
    receipt = lc.honour(credit, number, sender=trade.issuing.account)
    (honoured,) = lc.events(receipt, "PresentationHonoured")
    assert honoured.args["billTo"] == trade.issuing.org_id  # the other of the two, not held for the revoked one
    assert lc.events(receipt, "BillHeld") == []
    status = bol.status(bill)
    assert (status.holder, status.endorsee) == (trade.issuing.org_id, trade.issuing.org_id)
    assert lc.held_for(bill) == 0 and trade.token.balance_of(trade.payee) == 100_000 * UNIT


def test_a_revoked_issuer_never_takes_the_bill(trade: Trade) -> None:
    lc, bol = trade.port.lc, trade.port.bol
    credit = lc.apply(trade.terms(bill_to_issuer=True), sender=trade.applicant.account)
    lc.issue(credit, sender=trade.issuing.account)
    bill = trade.shipped_bill()
    number = trade.present(credit, 100_000 * UNIT, bill)
    trade.port.registry.revoke(trade.issuing.org_id, sender=trade.admin)
    with pytest.raises(errors.OrganisationNotActive) as gone:  # the issuer can no longer examine
        lc.honour(credit, number, sender=trade.issuing.account)
    assert (gone.value.org_id, gone.value.status) == (trade.issuing.org_id, OrgStatus.REVOKED)
    # once its deadline passes, anyone settles the presentation
    trade.travel(lc.presentation(credit, number).examination_deadline - trade.now() + 1)
    receipt = lc.claim(credit, number, sender=trade.beneficiary.account)
    (honoured,) = lc.events(receipt, "PresentationHonoured")
    assert (honoured.args["billTo"], honoured.args["precluded"]) == (trade.applicant.org_id, True)
    status = bol.status(bill)
    assert (status.holder, status.endorsee) == (trade.applicant.org_id, trade.applicant.org_id)
    assert trade.token.balance_of(trade.payee) == 100_000 * UNIT


def test_a_payment_the_token_refuses_is_held_and_the_bill_still_delivered(trade: Trade, deploy_fixture) -> None:  # type: ignore[no-untyped-def]
    lc, bol = trade.port.lc, trade.port.bol
    hostile = deploy_fixture("HostileToken")
    hostile.send("mint", trade.applicant.address, 1_000_000 * UNIT)
    hostile.send("approve", lc.address, 2**256 - 1, sender=trade.applicant.account)
    payee = Account.create()
    trade.port.fund(payee.address)
    trade.payee = payee.address
    credit = trade.credit(token=hostile.address)
    bill = trade.shipped_bill()
    number = trade.present(credit, 100_000 * UNIT, bill)
    hostile.send("setBlocked", payee.address, True)
    receipt = lc.honour(credit, number, sender=trade.issuing.account)
    (held,) = lc.events(receipt, "PaymentHeld")
    assert (held.args["token"], held.args["account"], held.args["amount"]) == (
        hostile.address, payee.address, 100_000 * UNIT
    )
    # the bill leg went through; the payment waits in the escrow for the payee
    assert lc.presentation(credit, number).state == PresentationState.HONOURED
    status = bol.status(bill)
    assert (status.holder, status.endorsee) == (trade.applicant.org_id, trade.applicant.org_id)
    assert hostile.call("balanceOf", payee.address) == 0
    assert lc.owed_to(hostile.address, payee.address) == 100_000 * UNIT
    assert lc.credit(credit).escrowed == 10_000 * UNIT
    assert hostile.call("balanceOf", lc.address) == 10_000 * UNIT + 100_000 * UNIT  # escrowed + held

    with pytest.raises(errors.RevertError) as blocked:  # to itself, still refused by the token
        lc.withdraw(hostile.address, sender=payee)
    assert blocked.value.reason == "recipient blocked"
    with pytest.raises(errors.InvalidPayee) as nowhere:
        lc._send(payee, "withdraw", hostile.address, "0x" + "00" * 20)
    assert nowhere.value.payee == "0x" + "00" * 20
    with pytest.raises(errors.NothingOwed) as not_owed:  # held for the payee, not for anyone else
        lc.withdraw(hostile.address, sender=trade.beneficiary.account)
    assert (not_owed.value.token, not_owed.value.account) == (hostile.address, trade.beneficiary.address)
    elsewhere = Account.create().address
    receipt = lc.withdraw(hostile.address, elsewhere, sender=payee)
    (withdrawn,) = lc.events(receipt, "PaymentWithdrawn")
    assert (withdrawn.args["account"], withdrawn.args["to"], withdrawn.args["amount"]) == (
        payee.address, elsewhere, 100_000 * UNIT
    )
    assert hostile.call("balanceOf", elsewhere) == 100_000 * UNIT
    assert lc.owed_to(hostile.address, payee.address) == 0
    assert hostile.call("balanceOf", lc.address) == lc.credit(credit).escrowed == 10_000 * UNIT

    # a refund the token refuses the payer is held for the payer likewise
    hostile.send("setBlocked", trade.applicant.address, True)
    lc.consent_to_cancellation(credit, sender=trade.beneficiary.account)
    receipt = lc.cancel(credit, sender=trade.issuing.account)
    (closed,) = lc.events(receipt, "CreditClosed")
    assert closed.args["refunded"] == 10_000 * UNIT
    (held,) = lc.events(receipt, "PaymentHeld")
    assert (held.args["account"], held.args["amount"]) == (trade.applicant.address, 10_000 * UNIT)
    assert lc.owed_to(hostile.address, trade.applicant.address) == 10_000 * UNIT
    hostile.send("setBlocked", trade.applicant.address, False)
    before = hostile.call("balanceOf", trade.applicant.address)
    lc.withdraw(hostile.address, sender=trade.applicant.account)
    assert hostile.call("balanceOf", trade.applicant.address) == before + 10_000 * UNIT
    assert hostile.call("balanceOf", lc.address) == 0


def test_reentrant_token_cannot_drain_the_escrow_or_be_paid_twice(trade: Trade, deploy_fixture) -> None:  # type: ignore[no-untyped-def]
    lc = trade.port.lc
    hostile = deploy_fixture("HostileToken")
    hostile.send("mint", trade.applicant.address, 1_000_000 * UNIT)
    hostile.send("approve", lc.address, 2**256 - 1, sender=trade.applicant.account)
    credit = trade.credit(token=hostile.address, partial_drawings=True)
    other = trade.credit(token=hostile.address)  # another credit's escrow in the same token
    reentry_error = "0x" + function_signature_to_4byte_selector("ReentrancyGuardReentrantCall()").hex()
    # withdraw runs in the extension by delegatecall: it shares the contract's guard
    amounts = {"honour": 50_000 * UNIT, "claim": 10_000 * UNIT, "expire": 10_000 * UNIT, "withdraw": 10_000 * UNIT}
    for attack, amount in amounts.items():
        number = trade.present(credit, amount, tag=attack)
        args = {"expire": [other], "withdraw": [hostile.address, trade.payee]}.get(attack, [credit, number])
        # while the escrow pays the payee, the token calls back into the contract
        hostile.send("arm", lc.address, lc.abi.function(attack).encode(args))
        lc.honour(credit, number, sender=trade.issuing.account)
        assert not hostile.call("hookSucceeded")
        assert "0x" + hostile.call("hookReturn").hex() == reentry_error
    assert hostile.call("hookCalls") == 4
    assert hostile.call("balanceOf", trade.payee) == 80_000 * UNIT  # 50k + 10k + 10k + 10k, each paid once
    assert hostile.call("balanceOf", lc.address) == lc.credit(credit).escrowed + lc.credit(other).escrowed
    assert lc.credit(credit).escrowed == 110_000 * UNIT - 80_000 * UNIT
    assert lc.owed_to(hostile.address, trade.payee) == 0


def test_fee_on_transfer_token_is_refused(trade: Trade, deploy_fixture) -> None:  # type: ignore[no-untyped-def]
    lc = trade.port.lc
    hostile = deploy_fixture("HostileToken")
    hostile.send("mint", trade.applicant.address, 1_000_000 * UNIT)
    hostile.send("approve", lc.address, 2**256 - 1, sender=trade.applicant.account)
    hostile.send("setFee", 100)
    count = lc._call("creditCount")
    with pytest.raises(errors.UnsupportedToken) as info:  # refused at application, where the escrow is pulled
        lc.apply(trade.terms(token=hostile.address), sender=trade.applicant.account)
    assert (info.value.token, info.value.expected, info.value.received) == (
        hostile.address, 110_000 * UNIT, 108_900 * UNIT
    )
    assert lc._call("creditCount") == count  # no credit was created
    assert hostile.call("balanceOf", trade.applicant.address) == 1_000_000 * UNIT
    assert hostile.call("balanceOf", lc.address) == 0


# -- refusals of the wrong party, state or terms --------------------------------------------------------------------


def test_wrong_parties_are_refused(trade: Trade) -> None:
    lc = trade.port.lc
    application = lc.apply(trade.terms(), sender=trade.applicant.account)
    cases = [
        (lambda: lc.issue(application, sender=trade.advising.account), CreditParty.ISSUING_BANK),
        (lambda: lc.cancel(application, sender=trade.beneficiary.account), CreditParty.APPLICANT),
    ]
    credit = trade.credit()
    cases += [
        (lambda: lc.advise(credit, sender=trade.confirming.account), CreditParty.ADVISING_BANK),
        (lambda: lc.confirm(credit, sender=trade.advising.account), CreditParty.CONFIRMING_BANK),
        (
            lambda: lc.amend(credit, expiry=trade.now() + 70 * DAY, sender=trade.applicant.account),
            CreditParty.ISSUING_BANK,
        ),
        (lambda: lc.consent_to_cancellation(credit, sender=trade.applicant.account), CreditParty.BENEFICIARY),
    ]
    for action, party in cases:
        with pytest.raises(errors.NotParty) as info:
            action()
        assert info.value.required == party
    no_advising = trade.credit(advising_bank=0)
    with pytest.raises(errors.NotParty) as none:
        lc.advise(no_advising, sender=trade.advising.account)
    assert none.value.required == CreditParty.ADVISING_BANK
    bill = trade.shipped_bill()
    with pytest.raises(errors.NotParty) as presenter:
        lc.present(credit, 1, [], bill, sender=trade.applicant.account, bol=trade.port.bol)
    assert presenter.value.required == CreditParty.BENEFICIARY
    number = trade.present(credit, 100_000 * UNIT, bill)
    with pytest.raises(errors.NotParty) as examiner:
        lc.honour(credit, number, sender=trade.advising.account)
    assert examiner.value.required == CreditParty.EXAMINING_BANK
    # anyone may claim, but only once the examining bank is precluded
    deadline = lc.presentation(credit, number).examination_deadline
    with pytest.raises(errors.ExaminationPeriodRunning) as running:
        lc.claim(credit, number, sender=trade.applicant.account)
    assert (running.value.id, running.value.presentation, running.value.deadline) == (credit, number, deadline)


def test_anyone_may_claim_once_the_bank_is_precluded(trade: Trade) -> None:
    lc = trade.port.lc
    credit = trade.credit()
    bill = trade.shipped_bill()
    number = trade.present(credit, 100_000 * UNIT, bill)
    trade.travel(lc.presentation(credit, number).examination_deadline - trade.now() + 1)
    applicant_before = trade.token.balance_of(trade.applicant.address)
    receipt = lc.claim(credit, number, sender=trade.applicant.account)  # not the beneficiary: the outcome is fixed
    (event,) = lc.events(receipt, "PresentationHonoured")
    assert (event.args["payee"], event.args["amount"], event.args["precluded"]) == (trade.payee, 100_000 * UNIT, True)
    assert trade.token.balance_of(trade.payee) == 100_000 * UNIT  # the payee named at presentation
    assert trade.token.balance_of(trade.applicant.address) == applicant_before
    assert trade.port.bol.status(bill).holder == trade.applicant.org_id
    assert lc.presentation(credit, number).state == PresentationState.HONOURED
    with pytest.raises(errors.InvalidPresentationState) as twice:
        lc.claim(credit, number, sender=trade.carrier.account)
    assert twice.value.current == PresentationState.HONOURED


def test_wrong_states_are_refused(trade: Trade) -> None:
    lc = trade.port.lc
    application = lc.apply(trade.terms(), sender=trade.applicant.account)
    with pytest.raises(errors.InvalidCreditState) as not_issued:
        trade.present(application, 1)
    assert not_issued.value.current == CreditState.APPLIED
    lc.issue(application, sender=trade.issuing.account)
    with pytest.raises(errors.InvalidCreditState) as twice:
        lc.issue(application, sender=trade.issuing.account)
    assert twice.value.current == CreditState.ISSUED
    with pytest.raises(errors.UnknownCredit) as unknown:
        lc.credit(999)
    assert unknown.value.id == 999
    with pytest.raises(errors.UnknownPresentation) as missing:
        lc.honour(application, 7, sender=trade.issuing.account)
    assert (missing.value.id, missing.value.presentation) == (application, 7)


def test_presentation_refusals(trade: Trade) -> None:
    lc = trade.port.lc
    credit = trade.credit()
    bill = trade.shipped_bill()
    with pytest.raises(errors.InvalidPayee):
        lc._send(trade.beneficiary.account, "present", credit, (1, [], bill, "0x" + "00" * 20, 0), (0, 0, 0, b""))
    unshipped = trade.port.bol.draft_from_hash(
        os.urandom(32), BillKind.TO_ORDER, shipper=trade.beneficiary.org_id, sender=trade.carrier.account
    )
    trade.port.bol.approve(unshipped, sender=trade.beneficiary.account)
    trade.port.bol.issue(unshipped, sender=trade.carrier.account)
    with pytest.raises(errors.NotShippedOnBoard) as not_shipped:
        trade.present(credit, 1, unshipped, [])
    assert not_shipped.value.bill == unshipped
    trade.port.bol.endorse(bill, trade.advising.org_id, sender=trade.beneficiary.account)
    with pytest.raises(errors.BillNotHeldByBeneficiary) as elsewhere:
        trade.present(credit, 1, bill, [])
    assert elsewhere.value.holder == trade.advising.org_id


def test_invalid_terms_are_refused(trade: Trade) -> None:
    lc = trade.port.lc
    now = trade.now()
    raw = trade.terms().encode()

    def apply(**fields):  # type: ignore[no-untyped-def]
        names = ["terms_hash", "token", "amount", "tolerance_bps", "expiry", "latest_shipment", "presentation_days",
                 "partial_drawings", "required_documents", "beneficiary", "issuing_bank", "advising_bank",
                 "confirming_bank"]
        values = list(raw)
        for key, value in fields.items():
            values[names.index(key)] = value
        return lc._send(trade.applicant.account, "applyForCredit", tuple(values))

    cases = {
        CreditTerm.AMOUNT: dict(amount=0),
        CreditTerm.TOLERANCE: dict(tolerance_bps=1_001),
        CreditTerm.EXPIRY: dict(expiry=now - 1),
        CreditTerm.LATEST_SHIPMENT: dict(latest_shipment=raw[4] + 1),
        CreditTerm.TOKEN: dict(token=trade.payee),
        CreditTerm.TERMS_HASH: dict(terms_hash=bytes(32)),
        CreditTerm.REQUIRED_DOCUMENTS: dict(required_documents=32),
        CreditTerm.PARTIES: dict(beneficiary=trade.applicant.org_id),
    }
    for term, fields in cases.items():
        with pytest.raises(errors.InvalidTerms) as info:
            apply(**fields)
        assert info.value.term == term
    with pytest.raises(errors.OrganisationLacksRole) as not_bank:
        apply(issuing_bank=trade.carrier.org_id)
    assert (not_bank.value.org_id, not_bank.value.role) == (trade.carrier.org_id, Role.BANK)
    with pytest.raises(errors.SafeCastOverflowedUintDowncast):
        apply(amount=2**96 - 1)
    with pytest.raises(errors.InvalidTerms) as changes:
        lc._send(trade.issuing.account, "amend", trade.credit(), (0, 0, 0, 0, bytes(32)))
    assert changes.value.term == CreditTerm.CHANGES


def test_the_custody_endorsement_cannot_be_front_run(trade: Trade) -> None:
    lc, bol = trade.port.lc, trade.port.bol
    bill = trade.shipped_bill()
    signed = bol.sign_endorsement(bill, lc.escrow_organisation(), signer=trade.beneficiary.account, relayer=lc.address)
    with pytest.raises(errors.WrongRelayer) as info:  # someone copies the signature out of a pending presentation
        bol.endorse_by_signature(signed, sender=trade.carrier.account)
    assert info.value.relayer == lc.address
    assert bol.status(bill).holder == trade.beneficiary.org_id


def test_an_endorsement_signed_before_the_bill_moved_is_refused(trade: Trade) -> None:
    lc, bol = trade.port.lc, trade.port.bol
    credit = trade.credit()
    bill = trade.shipped_bill()
    documents = trade.documents(bill)
    presentment = (100_000 * UNIT, anchor_ids(documents), bill, trade.payee, 0)
    signed = bol.sign_endorsement(bill, lc.escrow_organisation(), signer=trade.beneficiary.account, relayer=lc.address)
    assert (signed.from_org, signed.transfers) == (trade.beneficiary.org_id, bol.status(bill).transfers)
    # the bill moves away and comes back between signing and presenting
    bol.endorse(bill, trade.advising.org_id, sender=trade.beneficiary.account)
    bol.endorse(bill, trade.beneficiary.org_id, sender=trade.advising.account)
    current = bol.status(bill).transfers
    assert current == signed.transfers + 2
    # the presentation relays the count the beneficiary signed at: the bill has moved since, so it is stale
    with pytest.raises(errors.StaleEndorsement) as stale:
        lc._send(trade.beneficiary.account, "present", credit, presentment,
                 (signed.transfers, signed.nonce, signed.deadline, signed.signature))
    assert (stale.value.id, stale.value.signed_at, stale.value.current) == (bill, signed.transfers, current)
    # a revoked endorsement cannot be relayed either
    fresh = bol.sign_endorsement(bill, lc.escrow_organisation(), signer=trade.beneficiary.account, relayer=lc.address)
    bol.revoke_endorsement(fresh.nonce, sender=trade.beneficiary.account)
    with pytest.raises(errors.InvalidAccountNonce) as revoked:
        lc._send(trade.beneficiary.account, "present", credit, presentment,
                 (fresh.transfers, fresh.nonce, fresh.deadline, fresh.signature))
    assert (revoked.value.account, revoked.value.current_nonce) == (trade.beneficiary.address, fresh.nonce + 1)
    assert bol.status(bill).holder == trade.beneficiary.org_id and lc.credit(credit).presentations == 0
    assert trade.present(credit, 100_000 * UNIT, bill, documents) == 1  # signed afresh, it goes through
    assert bol.status(bill).holder == lc.escrow_organisation()


def test_an_amendment_decrease_cannot_be_accepted_below_what_is_reserved(trade: Trade) -> None:
    lc = trade.port.lc
    credit = trade.credit(amount=100_000 * UNIT, tolerance_bps=0, partial_drawings=True)
    lc.amend(credit, amount=50_000 * UNIT, sender=trade.issuing.account)
    trade.present(credit, 60_000 * UNIT)  # under the current terms, before the beneficiary answers
    with pytest.raises(errors.AmendmentBelowCommitted) as info:
        lc.accept_amendment(credit, sender=trade.beneficiary.account)
    assert (info.value.new_maximum, info.value.committed) == (50_000 * UNIT, 60_000 * UNIT)
    lc.reject_amendment(credit, sender=trade.beneficiary.account)
    escrow_invariant(trade, [credit])


def test_the_beneficiary_may_take_back_refused_documents(trade: Trade) -> None:
    lc = trade.port.lc
    credit = trade.credit()
    bill = trade.shipped_bill()
    number = trade.present(credit, 100_000 * UNIT, bill, trade.documents(bill, kinds=ALL_DOCS[:2]))
    lc.refuse(credit, number, Discrepancy.MISSING_DOCUMENT, sender=trade.issuing.account)
    with pytest.raises(errors.NotParty):
        lc.return_documents(credit, number, sender=trade.applicant.account)
    lc.return_documents(credit, number, sender=trade.beneficiary.account)
    assert trade.port.bol.status(bill).holder == trade.beneficiary.org_id


def test_a_bill_sent_to_the_escrow_by_mistake_is_recovered(trade: Trade) -> None:
    lc, bol = trade.port.lc, trade.port.bol
    stray = trade.shipped_bill()
    bol.transfer(stray, lc.escrow_organisation(), sender=trade.beneficiary.account)  # a mistake
    with pytest.raises(errors.BillNotRecoverable) as not_held:
        lc._send(trade.carrier.account, "recoverBill", trade.shipped_bill())
    assert not_held.value.holder == trade.beneficiary.org_id
    lc._send(trade.carrier.account, "recoverBill", stray)  # anyone may send it home
    assert bol.status(stray).holder == trade.beneficiary.org_id
    endorsed = trade.shipped_bill()
    bol.endorse(endorsed, lc.escrow_organisation(), sender=trade.beneficiary.account)  # title went too
    lc._send(trade.carrier.account, "recoverBill", endorsed)
    status = bol.status(endorsed)
    assert (status.holder, status.endorsee) == (trade.beneficiary.org_id, trade.beneficiary.org_id)
    credit = trade.credit()
    presented = trade.shipped_bill()
    trade.present(credit, 100_000 * UNIT, presented)
    with pytest.raises(errors.BillUnderExamination) as examined:
        lc._send(trade.carrier.account, "recoverBill", presented)
    assert examined.value.bill == presented


def test_a_weekend_presentation_counts_from_the_next_banking_day(trade: Trade) -> None:
    saturday = 1_798_848_000 // DAY  # 2027-01-02
    assert saturday % 7 == 2
    deadline = trade.port.lc.examination_deadline(trade.issuing.org_id, saturday * DAY + 3600)
    # received Monday 4 January; five banking days after it end on Monday 11 January
    assert deadline == (saturday + 9 + 1) * DAY - 1


def test_a_bank_cannot_stretch_its_deadline_with_holidays(trade: Trade) -> None:
    today = trade.now() // DAY
    for day in range(today, today + 30):
        trade.port.lc.set_holiday(day, sender=trade.issuing.account)
    deadline = trade.port.lc.examination_deadline(trade.issuing.org_id, trade.now())
    assert deadline == (today + 21 + 1) * DAY - 1  # at most 21 calendar days, whatever the calendar says
