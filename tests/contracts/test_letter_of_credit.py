"""LetterOfCredit on a real Anvil: the UCP 600 rules, escrow, delivery versus payment and every refusal, each
refusal asserting its decoded exception and data."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os

import pytest
from eth_account import Account
from eth_utils import function_signature_to_4byte_selector, keccak

from portchain import BillKind, Role, errors
from portchain.lc import CreditTerms
from portchain.trade_documents import (
    DocType,
    sample_certificate_of_origin,
    sample_commercial_invoice,
    sample_insurance_certificate,
    sample_packing_list,
)
from portchain.types import CreditParty, CreditState, CreditTerm, Discrepancy, OrgStatus, PresentationState

from ..trade import ALL_DOCS, DAY, UNIT, Trade


def escrow_invariant(trade: Trade, credits: list[int]) -> None:
    """The contract holds exactly the undrawn escrow of its credits."""
    held = trade.token.balance_of(trade.port.lc.address)
    assert held == sum(trade.port.lc.credit(c).escrowed for c in credits)


# -- the whole happy path ----------------------------------------------------------------------------------------


def test_complying_presentation_is_honoured_delivery_versus_payment(trade: Trade) -> None:
    lc, bol = trade.port.lc, trade.port.bol
    before = trade.token.balance_of(trade.applicant.address)
    credit = lc.apply(trade.terms(), sender=trade.applicant.account)
    assert lc.credit(credit).state == CreditState.APPLIED
    lc.issue(credit, sender=trade.issuing.account)
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
    credit = trade.port.lc.apply(trade.terms(), sender=trade.applicant.account)
    trade.port.lc.issue(credit, bill_to_issuer=True, sender=trade.issuing.account)
    bill = trade.shipped_bill()
    number = trade.present(credit, 100_000 * UNIT, bill)
    trade.port.lc.honour(credit, number, sender=trade.issuing.account)
    assert trade.port.bol.status(bill).holder == trade.issuing.org_id
    trade.port.bol.endorse(bill, trade.applicant.org_id, sender=trade.issuing.account)  # once reimbursed


def test_apply_with_permit(trade: Trade) -> None:
    payer = trade.applicant.account
    trade.token.approve(trade.port.lc.address, 0, sender=payer)
    terms = trade.terms()
    permit = trade.token.sign_permit(payer, trade.port.lc.address, 110_000 * UNIT, trade.now() + DAY)
    credit = trade.port.lc.apply(terms, sender=payer, permit=permit)
    assert trade.token.allowance(payer.address, trade.port.lc.address) == 110_000 * UNIT
    trade.port.lc.issue(credit, sender=trade.issuing.account)
    assert trade.port.lc.credit(credit).escrowed == 110_000 * UNIT


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
    trade.port.registry.onboard("Other Exporter", "OX-1", "CN", [Role.SHIPPER], [other.address], sender=trade.admin)
    trade.port.docs.anchor(forged, subject=bill, sender=other)
    number = trade.present(credit, 100_000 * UNIT, bill, documents + [forged])
    assert trade.port.lc.presentation(credit, number).discrepancies == (
        Discrepancy.LATE_SHIPMENT | Discrepancy.INVOICE_NOT_BY_BENEFICIARY
    )


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
    assert trade.token.balance_of(trade.applicant.address) == payer_before - 22_000 * UNIT  # escrowed at once
    view = lc.credit(credit)
    assert view.amendment_pending and view.available == 110_000 * UNIT  # not drawable before acceptance
    with pytest.raises(errors.AmendmentPending):
        lc.amend(credit, expiry=new_expiry, sender=trade.issuing.account)
    receipt = lc.accept_amendment(credit, changes=1, sender=trade.beneficiary.account)  # the amount only
    (event,) = lc.events(receipt, "AmendmentRejected")
    assert event.args["partialAcceptance"]
    view = lc.credit(credit)
    assert (view.amount, view.amendment_pending) == (100_000 * UNIT, False)
    assert trade.token.balance_of(trade.applicant.address) == payer_before
    escrow_invariant(trade, [credit])
    with pytest.raises(errors.NoPendingAmendment):
        lc.reject_amendment(credit, sender=trade.beneficiary.account)


def test_accepted_amendment_changes_the_terms(trade: Trade) -> None:
    lc = trade.port.lc
    credit = trade.credit()
    lc.amend(credit, amount=80_000 * UNIT, sender=trade.issuing.account)
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
    number = trade.present(credit, 100_000 * UNIT, bill, documents)
    assert lc.presentation(credit, number).discrepancies == 0
    assert not lc.credit(credit).amendment_pending
    assert [name for name, _, _ in lc.history(credit)][-3:] == ["AmendmentIssued", "AmendmentAccepted", "DocumentsPresented"]


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
    with pytest.raises(errors.CreditNotExpired):
        lc.expire(credit, sender=trade.beneficiary.account)
    trade.travel(61 * DAY)
    with pytest.raises(errors.PresentationsPending) as pending:
        lc.expire(credit, sender=trade.beneficiary.account)
    assert pending.value.reserved == 30_000 * UNIT
    lc.claim(credit, number, sender=trade.beneficiary.account)  # presented in time, examined too late
    before = trade.token.balance_of(trade.applicant.address)
    receipt = lc.expire(credit, sender=trade.carrier.account)  # anyone may close an expired credit
    (event,) = lc.events(receipt, "CreditClosed")
    assert event.args["refunded"] == 80_000 * UNIT
    assert trade.token.balance_of(trade.applicant.address) == before + 80_000 * UNIT
    assert lc.credit(credit).state == CreditState.EXPIRED
    assert trade.token.balance_of(lc.address) == 0
    with pytest.raises(errors.InvalidCreditState) as closed:
        trade.present(credit, 1, tag="late")
    assert closed.value.current == CreditState.EXPIRED


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
    application = lc.apply(trade.terms(), sender=trade.applicant.account)
    lc.cancel(application, sender=trade.applicant.account)  # an application is withdrawn by its applicant
    assert lc.credit(application).state == CreditState.CANCELLED


# -- delivery versus payment ------------------------------------------------------------------------------------------


def test_nothing_moves_when_the_bill_leg_fails(trade: Trade) -> None:
    lc = trade.port.lc
    credit = trade.credit()
    bill = trade.shipped_bill()
    number = trade.present(credit, 100_000 * UNIT, bill)
    trade.port.registry.suspend(trade.applicant.org_id, sender=trade.admin)  # the bill cannot go to the applicant
    escrow_before = trade.token.balance_of(lc.address)
    with pytest.raises(errors.OrganisationNotActive) as info:
        lc.honour(credit, number, sender=trade.issuing.account)
    assert (info.value.org_id, info.value.status) == (trade.applicant.org_id, OrgStatus.SUSPENDED)
    assert trade.token.balance_of(trade.payee) == 0 and trade.token.balance_of(lc.address) == escrow_before
    assert trade.port.bol.status(bill).holder == lc.escrow_organisation()
    assert lc.presentation(credit, number).state == PresentationState.PRESENTED
    trade.port.registry.reinstate(trade.applicant.org_id, sender=trade.admin)
    lc.honour(credit, number, sender=trade.issuing.account)
    assert trade.port.bol.status(bill).holder == trade.applicant.org_id


def test_nothing_moves_when_the_payment_leg_fails(trade: Trade, deploy_fixture) -> None:  # type: ignore[no-untyped-def]
    from portchain.lc import LetterOfCreditClient  # noqa: F401  (the same client, another token)

    lc = trade.port.lc
    hostile = deploy_fixture("HostileToken")
    hostile.send("mint", trade.applicant.address, 1_000_000 * UNIT)
    hostile.send("approve", lc.address, 2**256 - 1, sender=trade.applicant.account)
    credit = trade.credit(token=hostile.address)
    bill = trade.shipped_bill()
    number = trade.present(credit, 100_000 * UNIT, bill)
    hostile.send("setBlocked", trade.payee, True)
    with pytest.raises(errors.RevertError) as info:
        lc.honour(credit, number, sender=trade.issuing.account)
    assert info.value.reason == "recipient blocked"
    assert hostile.call("balanceOf", lc.address) == 110_000 * UNIT
    assert trade.port.bol.status(bill).holder == lc.escrow_organisation()
    assert lc.presentation(credit, number).state == PresentationState.PRESENTED


def test_reentrant_token_cannot_drain_the_escrow_or_be_paid_twice(trade: Trade, deploy_fixture) -> None:  # type: ignore[no-untyped-def]
    lc = trade.port.lc
    hostile = deploy_fixture("HostileToken")
    hostile.send("mint", trade.applicant.address, 1_000_000 * UNIT)
    hostile.send("approve", lc.address, 2**256 - 1, sender=trade.applicant.account)
    credit = trade.credit(token=hostile.address, partial_drawings=True)
    other = trade.credit(token=hostile.address)  # another credit's escrow in the same token
    reentry_error = "0x" + function_signature_to_4byte_selector("ReentrancyGuardReentrantCall()").hex()
    amounts = {"honour": 50_000 * UNIT, "claim": 10_000 * UNIT, "expire": 10_000 * UNIT}
    for attack, amount in amounts.items():
        number = trade.present(credit, amount, tag=attack)
        args = [other] if attack == "expire" else [credit, number]
        # while the escrow pays the payee, the token calls back into the contract
        hostile.send("arm", lc.address, lc.abi.function(attack).encode(args))
        lc.honour(credit, number, sender=trade.issuing.account)
        assert not hostile.call("hookSucceeded")
        assert "0x" + hostile.call("hookReturn").hex() == reentry_error
    assert hostile.call("hookCalls") == 3
    assert hostile.call("balanceOf", trade.payee) == 70_000 * UNIT  # 50k + 10k + 10k, each paid once
    assert hostile.call("balanceOf", lc.address) == lc.credit(credit).escrowed + lc.credit(other).escrowed
    assert lc.credit(credit).escrowed == 110_000 * UNIT - 70_000 * UNIT


def test_fee_on_transfer_token_is_refused(trade: Trade, deploy_fixture) -> None:  # type: ignore[no-untyped-def]
    hostile = deploy_fixture("HostileToken")
    hostile.send("mint", trade.applicant.address, 1_000_000 * UNIT)
    hostile.send("approve", trade.port.lc.address, 2**256 - 1, sender=trade.applicant.account)
    hostile.send("setFee", 100)
    credit = trade.port.lc.apply(trade.terms(token=hostile.address), sender=trade.applicant.account)
    with pytest.raises(errors.UnsupportedToken) as info:
        trade.port.lc.issue(credit, sender=trade.issuing.account)
    assert (info.value.expected, info.value.received) == (110_000 * UNIT, 108_900 * UNIT)


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
        (lambda: lc.amend(credit, expiry=trade.now() + 70 * DAY, sender=trade.applicant.account), CreditParty.ISSUING_BANK),
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
    with pytest.raises(errors.NotParty):
        lc.claim(credit, number, sender=trade.applicant.account)


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
        lc._send(trade.beneficiary.account, "present", credit, (1, [], bill, "0x" + "00" * 20), (0, 0, b""))
    unshipped = trade.port.bol.draft(os.urandom(32), BillKind.TO_ORDER, shipper=trade.beneficiary.org_id, sender=trade.carrier.account)
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
                 "partial_drawings", "required_documents", "beneficiary", "issuing_bank", "advising_bank", "confirming_bank"]
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
