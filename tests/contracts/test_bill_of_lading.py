"""BillOfLading on a real Anvil: every transition of the DCSA eBL state machine and every refusal, each refusal
asserting the decoded exception and its data."""

from __future__ import annotations

import os

import pytest
from eth_account import Account

from portchain import BillKind, BillState, Role, errors
from portchain.clients.bill_of_lading import DraftedFrom, bill_id_for
from portchain.errors import InputError
from portchain.types import AmendmentReason, Milestone, OrgStatus


def new_id() -> bytes:
    return os.urandom(32)


def issued(port, cast, kind=BillKind.TO_ORDER, consignee=0):  # type: ignore[no-untyped-def]
    bill = port.bol.draft_from_hash(new_id(), kind, shipper=cast.shipper.org_id, consignee=consignee,
                                    sender=cast.carrier.account)
    port.bol.approve(bill, sender=cast.shipper.account)
    port.bol.issue(bill, sender=cast.carrier.account)
    return bill


@pytest.fixture
def other_carrier(port, admin):  # type: ignore[no-untyped-def]
    account = Account.create()
    port.fund(account.address)
    port.registry.onboard("Second Line", "SL-1", "SG", [Role.CARRIER], [account.address], sender=admin)
    return account


# -- the walks the issue asks for -----------------------------------------------------------------------------


def test_full_to_order_walk(port, cast) -> None:  # type: ignore[no-untyped-def]
    bol = port.bol
    bill = bol.draft_from_hash(new_id(), BillKind.TO_ORDER, shipper=cast.shipper.org_id, sender=cast.carrier.account)
    assert bol.status(bill).state == BillState.DRAFT
    bol.approve(bill, sender=cast.shipper.account)
    assert bol.status(bill).state == BillState.APPROVED
    bol.issue(bill, sender=cast.carrier.account)
    status = bol.status(bill)
    assert (status.state, status.holder, status.endorsee) == (
        BillState.ISSUED, cast.shipper.org_id, cast.shipper.org_id
    )

    bol.endorse(bill, cast.bank.org_id, sender=cast.shipper.account)                     # endorsement 1
    bol.endorse(bill, cast.consignee.org_id, to_order=True, sender=cast.bank.account)    # endorsement 2
    status = bol.status(bill)
    assert (status.holder, status.endorsee, status.titleholder) == (cast.consignee.org_id,) * 3

    bol.transfer(bill, cast.forwarder.org_id, sender=cast.consignee.account)             # a transfer ...
    assert bol.status(bill).holder == cast.forwarder.org_id and bol.status(bill).titleholder == 0
    bol.reject_transfer(bill, sender=cast.forwarder.account)                             # ... rejected
    status = bol.status(bill)
    assert (status.holder, status.endorsee, status.previous_holder) == (cast.consignee.org_id, cast.consignee.org_id, 0)

    bol.blank_endorse(bill, sender=cast.consignee.account)
    status = bol.status(bill)
    assert status.blank_endorsed and status.endorsee == 0 and status.titleholder == cast.consignee.org_id

    bol.surrender_for_delivery(bill, sender=cast.consignee.account)
    status = bol.status(bill)
    assert (status.state, status.holder, status.previous_holder) == (
        BillState.SURRENDERED_FOR_DELIVERY, cast.carrier.org_id, cast.consignee.org_id)
    bol.accept_surrender(bill, sender=cast.carrier.account)
    assert bol.status(bill).state == BillState.ACCOMPLISHED

    actions = [entry.action for entry in bol.history(bill)]
    assert actions == [
        "BillDrafted", "BillApproved", "BillIssued", "BillEndorsed", "BillEndorsed", "BillTransferred",
        "TransferRejected", "BillBlankEndorsed", "BillSurrenderedForDelivery", "SurrenderAccepted",
    ]
    assert bol.endorsement_chain(bill) == [cast.shipper.org_id, cast.bank.org_id, cast.consignee.org_id]
    # Nothing after accomplished.
    with pytest.raises(errors.InvalidState) as info:
        bol.transfer(bill, cast.bank.org_id, sender=cast.carrier.account)
    assert (info.value.id, info.value.current) == (bill, BillState.ACCOMPLISHED)


def test_amendment_voids_the_bill_and_links_its_reissue(port, cast) -> None:  # type: ignore[no-untyped-def]
    bol = port.bol
    bill = issued(port, cast)
    bol.endorse(bill, cast.bank.org_id, sender=cast.shipper.account)  # the bank holds title now
    bol.surrender_for_amendment(bill, AmendmentReason.COD, sender=cast.bank.account)
    assert bol.status(bill).state == BillState.SURRENDERED_FOR_AMENDMENT
    reissue = bol.draft_from_hash(new_id(), BillKind.TO_ORDER, shipper=cast.shipper.org_id, sender=cast.carrier.account)
    bol.accept_amendment(bill, reissue, sender=cast.carrier.account)
    status = bol.status(bill)
    assert (status.state, status.replaced_by) == (BillState.VOIDED, reissue)
    # the reissue is issued at once to the party that surrendered, with title: never back to the shipper
    reissued = bol.status(reissue)
    assert (reissued.state, reissued.holder, reissued.endorsee) == (
        BillState.ISSUED, cast.bank.org_id, cast.bank.org_id
    )
    assert reissued.titleholder == cast.bank.org_id
    history = bol.history(bill)
    assert history[-2].action == "BillSurrenderedForAmendment" and history[-2].args["reason"] == AmendmentReason.COD
    assert history[-1].action == "BillVoided" and history[-1].args["replacedBy"] == reissue
    with pytest.raises(errors.InvalidState) as info:
        bol.surrender_for_delivery(bill, sender=cast.carrier.account)
    assert info.value.current == BillState.VOIDED


def test_switch_to_paper_links_the_paper_document(port, cast) -> None:  # type: ignore[no-untyped-def]
    bill = issued(port, cast)
    paper = new_id()
    port.bol.surrender_for_amendment(bill, "swtp", sender=cast.shipper.account)
    port.bol.accept_amendment(bill, paper, sender=cast.carrier.account)
    assert port.bol.status(bill).replaced_by == paper


def test_rejected_surrender_goes_back_to_the_surrendering_party(port, cast) -> None:  # type: ignore[no-untyped-def]
    bill = issued(port, cast)
    port.bol.endorse(bill, cast.bank.org_id, sender=cast.shipper.account)
    for surrender in (
        port.bol.surrender_for_delivery,
        lambda b, sender: port.bol.surrender_for_amendment(b, "swi", sender=sender),
    ):
        surrender(bill, sender=cast.bank.account)
        port.bol.reject_surrender(bill, sender=cast.carrier.account)
        status = port.bol.status(bill)
        assert (status.state, status.holder, status.endorsee) == (BillState.ISSUED, cast.bank.org_id, cast.bank.org_id)


def test_straight_bill_goes_only_to_its_consignee(port, cast) -> None:  # type: ignore[no-untyped-def]
    bill = issued(port, cast, BillKind.STRAIGHT, consignee=cast.consignee.org_id)
    with pytest.raises(errors.StraightBillOnlyToConsignee) as info:
        port.bol.transfer(bill, cast.bank.org_id, sender=cast.shipper.account)
    assert (info.value.to, info.value.consignee) == (cast.bank.org_id, cast.consignee.org_id)
    with pytest.raises(errors.NotNegotiable):
        port.bol.endorse(bill, cast.consignee.org_id, sender=cast.shipper.account)
    with pytest.raises(errors.NotNegotiable):
        port.bol.blank_endorse(bill, sender=cast.shipper.account)
    with pytest.raises(errors.NotConsignee) as not_consignee:
        port.bol.surrender_for_delivery(bill, sender=cast.shipper.account)
    assert (not_consignee.value.actor, not_consignee.value.consignee) == (cast.shipper.org_id, cast.consignee.org_id)
    port.bol.transfer(bill, cast.consignee.org_id, sender=cast.shipper.account)
    port.bol.surrender_for_delivery(bill, sender=cast.consignee.account)
    port.bol.accept_surrender(bill, sender=cast.carrier.account)
    assert port.bol.status(bill).state == BillState.ACCOMPLISHED


def test_sea_waybill_is_never_transferred(port, cast) -> None:  # type: ignore[no-untyped-def]
    bill = issued(port, cast, BillKind.SEA_WAYBILL, consignee=cast.consignee.org_id)
    assert port.bol.status(bill).holder == cast.consignee.org_id
    with pytest.raises(errors.NotTransferable) as info:
        port.bol.transfer(bill, cast.bank.org_id, sender=cast.consignee.account)
    assert info.value.id == bill
    with pytest.raises(errors.NotNegotiable):
        port.bol.endorse(bill, cast.bank.org_id, sender=cast.consignee.account)
    port.bol.surrender_for_delivery(bill, sender=cast.consignee.account)
    port.bol.accept_surrender(bill, sender=cast.carrier.account)
    assert port.bol.status(bill).state == BillState.ACCOMPLISHED


def test_to_order_of_a_named_consignee(port, cast) -> None:  # type: ignore[no-untyped-def]
    bill = issued(port, cast, BillKind.TO_ORDER, consignee=cast.bank.org_id)
    status = port.bol.status(bill)
    assert (status.holder, status.endorsee, status.titleholder) == (cast.shipper.org_id, cast.bank.org_id, 0)
    with pytest.raises(errors.NotTitleholder) as info:
        port.bol.endorse(bill, cast.consignee.org_id, sender=cast.shipper.account)
    assert (info.value.actor, info.value.endorsee) == (cast.shipper.org_id, cast.bank.org_id)
    port.bol.transfer(bill, cast.bank.org_id, sender=cast.shipper.account)  # delivery to the order party
    assert port.bol.status(bill).titleholder == cast.bank.org_id


def test_blank_endorsed_bill_passes_title_by_delivery(port, cast) -> None:  # type: ignore[no-untyped-def]
    bill = issued(port, cast)
    port.bol.blank_endorse(bill, sender=cast.shipper.account)
    port.bol.transfer(bill, cast.bank.org_id, sender=cast.shipper.account)
    assert port.bol.status(bill).titleholder == cast.bank.org_id
    port.bol.reject_transfer(bill, sender=cast.bank.account)  # the rejection restores the blank endorsement
    status = port.bol.status(bill)
    assert status.blank_endorsed and status.holder == cast.shipper.org_id
    port.bol.transfer(bill, cast.bank.org_id, sender=cast.shipper.account)
    port.bol.endorse(bill, cast.consignee.org_id, sender=cast.bank.account)  # a special endorsement ends blank
    status = port.bol.status(bill)
    assert not status.blank_endorsed and status.endorsee == cast.consignee.org_id
    port.bol.reject_transfer(bill, sender=cast.consignee.account)
    status = port.bol.status(bill)
    assert status.blank_endorsed and status.holder == cast.bank.org_id


# -- refusals -------------------------------------------------------------------------------------------------


def test_draft_refusals(port, cast) -> None:  # type: ignore[no-untyped-def]
    bol = port.bol
    with pytest.raises(errors.MissingRole) as info:
        bol.draft_from_hash(new_id(), BillKind.TO_ORDER, shipper=cast.shipper.org_id, sender=cast.shipper.account)
    assert (info.value.org_id, info.value.role) == (cast.shipper.org_id, Role.CARRIER)
    with pytest.raises(errors.ZeroDocumentHash):
        bol._send(cast.carrier.account, "draft", bytes(32), 0, cast.shipper.org_id, 0)
    with pytest.raises(errors.ConsigneeRequired) as required:
        bol._send(cast.carrier.account, "draft", new_id(), int(BillKind.STRAIGHT), cast.shipper.org_id, 0)
    assert required.value.kind == BillKind.STRAIGHT
    with pytest.raises(errors.UnknownOrganisation) as unknown:
        bol.draft_from_hash(new_id(), BillKind.TO_ORDER, shipper=999, sender=cast.carrier.account)
    assert unknown.value.org_id == 999
    document = new_id()
    bill = bol.draft_from_hash(document, BillKind.TO_ORDER, shipper=cast.shipper.org_id, sender=cast.carrier.account)
    with pytest.raises(errors.BillAlreadyExists) as exists:
        bol.draft_from_hash(document, BillKind.TO_ORDER, shipper=cast.shipper.org_id, sender=cast.carrier.account)
    assert exists.value.id == bill


def test_approve_and_issue_refusals(port, cast, other_carrier) -> None:  # type: ignore[no-untyped-def]
    bol = port.bol
    bill = bol.draft_from_hash(new_id(), BillKind.TO_ORDER, shipper=cast.shipper.org_id, sender=cast.carrier.account)
    with pytest.raises(errors.NotShipper) as not_shipper:
        bol.approve(bill, sender=cast.consignee.account)
    assert (not_shipper.value.actor, not_shipper.value.shipper) == (cast.consignee.org_id, cast.shipper.org_id)
    with pytest.raises(errors.InvalidState) as early:
        bol.issue(bill, sender=cast.carrier.account)
    assert early.value.current == BillState.DRAFT
    bol.approve(bill, sender=cast.shipper.account)
    with pytest.raises(errors.InvalidState) as twice:
        bol.approve(bill, sender=cast.shipper.account)
    assert twice.value.current == BillState.APPROVED
    with pytest.raises(errors.NotCarrier) as not_carrier:
        bol.issue(bill, sender=other_carrier)
    assert not_carrier.value.carrier == cast.carrier.org_id
    with pytest.raises(errors.UnknownBill) as unknown:
        bol.issue(new_id(), sender=cast.carrier.account)
    assert len(unknown.value.id) == 32


def test_holder_refusals(port, cast, admin) -> None:  # type: ignore[no-untyped-def]
    bol = port.bol
    bill = issued(port, cast)
    with pytest.raises(errors.NotHolder) as not_holder:
        bol.transfer(bill, cast.bank.org_id, sender=cast.bank.account)
    assert (not_holder.value.actor, not_holder.value.holder) == (cast.bank.org_id, cast.shipper.org_id)
    with pytest.raises(errors.TransferToSelf) as to_self:
        bol.transfer(bill, cast.shipper.org_id, sender=cast.shipper.account)
    assert to_self.value.to == cast.shipper.org_id
    with pytest.raises(errors.NothingToReject):
        bol.reject_transfer(bill, sender=cast.shipper.account)
    port.registry.suspend(cast.insurer.org_id, sender=admin)
    with pytest.raises(errors.OrganisationNotActive) as inactive:
        bol.transfer(bill, cast.insurer.org_id, sender=cast.shipper.account)
    assert (inactive.value.org_id, inactive.value.status) == (cast.insurer.org_id, OrgStatus.SUSPENDED)
    with pytest.raises(errors.UnknownOrganisation):
        bol.transfer(bill, 999, sender=cast.shipper.account)
    # possession without endorsement is not title
    bol.transfer(bill, cast.bank.org_id, sender=cast.shipper.account)
    with pytest.raises(errors.NotTitleholder):
        bol.endorse(bill, cast.consignee.org_id, sender=cast.bank.account)
    with pytest.raises(errors.NotTitleholder):
        bol.blank_endorse(bill, sender=cast.bank.account)
    with pytest.raises(errors.NotTitleholder) as surrender:
        bol.surrender_for_delivery(bill, sender=cast.bank.account)
    assert (surrender.value.actor, surrender.value.endorsee) == (cast.bank.org_id, cast.shipper.org_id)
    # a suspended holder cannot act
    port.registry.suspend(cast.bank.org_id, sender=admin)
    with pytest.raises(errors.OrganisationNotActive):
        bol.reject_transfer(bill, sender=cast.bank.account)


def test_carrier_refusals(port, cast, other_carrier) -> None:  # type: ignore[no-untyped-def]
    bol = port.bol
    bill = issued(port, cast)
    with pytest.raises(errors.InvalidState) as not_surrendered:
        bol.accept_surrender(bill, sender=cast.carrier.account)
    assert not_surrendered.value.current == BillState.ISSUED
    with pytest.raises(errors.InvalidState):
        bol.reject_surrender(bill, sender=cast.carrier.account)
    bol.surrender_for_delivery(bill, sender=cast.shipper.account)
    with pytest.raises(errors.NotCarrier) as not_carrier:
        bol.accept_surrender(bill, sender=other_carrier)
    assert (not_carrier.value.id, not_carrier.value.carrier) == (bill, cast.carrier.org_id)
    with pytest.raises(errors.InvalidState) as wrong_surrender:
        bol.accept_amendment(bill, new_id(), sender=cast.carrier.account)
    assert wrong_surrender.value.current == BillState.SURRENDERED_FOR_DELIVERY
    with pytest.raises(errors.InvalidState):
        bol.transfer(bill, cast.bank.org_id, sender=cast.carrier.account)


def test_invalid_replacements(port, cast, other_carrier) -> None:  # type: ignore[no-untyped-def]
    bill = issued(port, cast)
    port.bol.surrender_for_amendment(bill, "cod", sender=cast.shipper.account)
    foreign = port.bol.draft_from_hash(new_id(), BillKind.TO_ORDER, shipper=cast.shipper.org_id, sender=other_carrier)
    already_issued = issued(port, cast)  # a bill of this carrier issued to someone long ago: not a replacement
    straight = port.bol.draft_from_hash(new_id(), BillKind.STRAIGHT, shipper=cast.shipper.org_id,
                                        consignee=cast.bank.org_id,
                              sender=cast.carrier.account)  # a straight bill only its consignee (not the shipper) holds
    paper = new_id()  # a paper bill's hash fits a switch to paper only
    for replacement in (bill, foreign, already_issued, straight, paper):
        with pytest.raises(errors.InvalidReplacement) as info:
            port.bol.accept_amendment(bill, replacement, sender=cast.carrier.account)
        assert (info.value.id, info.value.replacement) == (bill, replacement)
    with pytest.raises(errors.InvalidReplacement):
        port.bol._send(cast.carrier.account, "acceptAmendment", bill, bytes(32))


def test_void_draft(port, cast) -> None:  # type: ignore[no-untyped-def]
    bill = port.bol.draft_from_hash(new_id(), BillKind.TO_ORDER, shipper=cast.shipper.org_id,
                                    sender=cast.carrier.account)
    with pytest.raises(errors.NotCarrier):
        port.bol.void_draft(bill, sender=cast.shipper.account)
    port.bol.void_draft(bill, sender=cast.carrier.account)
    assert port.bol.status(bill).state == BillState.VOIDED
    with pytest.raises(errors.InvalidState) as info:
        port.bol.approve(bill, sender=cast.shipper.account)
    assert info.value.current == BillState.VOIDED
    with pytest.raises(errors.InvalidState):
        port.bol.void_draft(issued(port, cast), sender=cast.carrier.account)


def test_milestones(port, cast) -> None:  # type: ignore[no-untyped-def]
    bol = port.bol
    draft = bol.draft_from_hash(new_id(), BillKind.TO_ORDER, shipper=cast.shipper.org_id, sender=cast.carrier.account)
    now = int(port.layer.request("eth_getBlockByNumber", ["latest", False])["timestamp"], 16)
    with pytest.raises(errors.InvalidState):
        bol.record_milestone(draft, Milestone.SHIPPED_ON_BOARD, now, sender=cast.carrier.account)
    bill = issued(port, cast)
    with pytest.raises(errors.MilestoneOutOfOrder) as order:
        bol.record_milestone(bill, "arrived", now, sender=cast.carrier.account)
    assert order.value.milestone == Milestone.ARRIVED
    with pytest.raises(errors.InvalidMilestoneDate) as future:
        bol.record_milestone(bill, "shipped-on-board", now + 86_400, sender=cast.carrier.account)
    assert future.value.date == now + 86_400
    with pytest.raises(errors.NotCarrier):
        bol.record_milestone(bill, "shipped-on-board", now, sender=cast.shipper.account)
    bol.record_milestone(bill, "shipped-on-board", now - 3600, sender=cast.carrier.account)
    with pytest.raises(errors.MilestoneOutOfOrder):
        bol.record_milestone(bill, "shipped-on-board", now, sender=cast.carrier.account)
    with pytest.raises(errors.MilestoneOutOfOrder):
        bol.record_milestone(bill, "discharged", now, sender=cast.carrier.account)
    bol.record_milestone(bill, "arrived", now, sender=cast.carrier.account)
    bol.record_milestone(bill, "discharged", now, sender=cast.carrier.account)
    status = bol.status(bill)
    assert (status.shipped_on_board_date, status.arrived_date, status.discharged_date) == (now - 3600, now, now)


def test_sign_is_an_attestation_event(port, cast) -> None:  # type: ignore[no-untyped-def]
    bill = issued(port, cast)
    attestation = new_id()
    receipt = port.bol.sign(bill, attestation, sender=cast.shipper.account)
    (event,) = port.bol.events(receipt, "BillSigned")
    assert event.args == {"id": bill, "by": cast.shipper.org_id, "attestationHash": attestation}
    with pytest.raises(errors.ZeroDocumentHash):
        port.bol._send(cast.shipper.account, "sign", bill, bytes(32))
    with pytest.raises(errors.NotHolder):
        port.bol.sign(bill, attestation, sender=cast.bank.account)


# -- relayed endorsements ---------------------------------------------------------------------------------------


def test_endorsement_by_signature_relayed_by_anyone(port, cast) -> None:  # type: ignore[no-untyped-def]
    bill = issued(port, cast)
    signed = port.bol.sign_endorsement(bill, cast.bank.org_id, signer=cast.shipper.account)
    port.bol.endorse_by_signature(signed, sender=cast.forwarder.account)  # the forwarder pays the gas
    status = port.bol.status(bill)
    assert (status.holder, status.endorsee) == (cast.bank.org_id, cast.bank.org_id)
    assert port.bol.nonce_of(cast.shipper.address) == 1


def test_replayed_signature_is_refused(port, cast) -> None:  # type: ignore[no-untyped-def]
    bill = issued(port, cast)
    signed = port.bol.sign_endorsement(bill, cast.bank.org_id, signer=cast.shipper.account)
    port.bol.endorse_by_signature(signed, sender=cast.forwarder.account)
    port.bol.endorse(bill, cast.shipper.org_id, sender=cast.bank.account)  # title comes back to the shipper
    with pytest.raises(errors.InvalidAccountNonce) as info:
        port.bol.endorse_by_signature(signed, sender=cast.forwarder.account)
    assert (info.value.account, info.value.current_nonce) == (cast.shipper.address, 1)


def test_expired_signature_is_refused(port, cast) -> None:  # type: ignore[no-untyped-def]
    bill = issued(port, cast)
    deadline = port.layer.block_timestamp() - 10  # chain time: a reverted snapshot may set the clock back
    signed = port.bol.sign_endorsement(bill, cast.bank.org_id, signer=cast.shipper.account, deadline=deadline)
    with pytest.raises(errors.SignatureExpired) as info:
        port.bol.endorse_by_signature(signed, sender=cast.forwarder.account)
    assert info.value.deadline == deadline and info.value.timestamp > deadline


def test_signature_of_a_non_holder_is_refused(port, cast) -> None:  # type: ignore[no-untyped-def]
    bill = issued(port, cast)
    signed = port.bol.sign_endorsement(bill, cast.consignee.org_id, signer=cast.bank.account)
    with pytest.raises(errors.NotHolder) as info:
        port.bol.endorse_by_signature(signed, sender=cast.forwarder.account)
    assert info.value.actor == cast.bank.org_id


def test_tampered_signature_is_refused(port, cast) -> None:  # type: ignore[no-untyped-def]
    bill = issued(port, cast)
    signed = port.bol.sign_endorsement(bill, cast.bank.org_id, signer=cast.shipper.account)
    tampered = type(signed)(**{**signed.__dict__, "to": cast.consignee.org_id})  # a different endorsee
    with pytest.raises(errors.NotASigner):  # the signature recovers to an unrelated address
        port.bol.endorse_by_signature(tampered, sender=cast.forwarder.account)
    short = type(signed)(**{**signed.__dict__, "signature": signed.signature[:64]})
    with pytest.raises(errors.ECDSAInvalidSignatureLength) as info:
        port.bol.endorse_by_signature(short, sender=cast.forwarder.account)
    assert info.value.length == 64


# -- batch issue --------------------------------------------------------------------------------------------------


def test_batch_issue(port, cast) -> None:  # type: ignore[no-untyped-def]
    bills = []
    for _ in range(20):
        bill = port.bol.draft_from_hash(new_id(), BillKind.TO_ORDER, shipper=cast.shipper.org_id,
                                        sender=cast.carrier.account)
        port.bol.approve(bill, sender=cast.shipper.account)
        bills.append(bill)
    receipt = port.bol.issue_batch(bills, sender=cast.carrier.account)
    assert len(port.bol.events(receipt, "BillIssued")) == 20
    assert {port.bol.status(b).state for b in bills} == {BillState.ISSUED}


def test_batch_is_all_or_nothing(port, cast) -> None:  # type: ignore[no-untyped-def]
    approved = port.bol.draft_from_hash(new_id(), BillKind.TO_ORDER, shipper=cast.shipper.org_id,
                                        sender=cast.carrier.account)
    port.bol.approve(approved, sender=cast.shipper.account)
    unapproved = port.bol.draft_from_hash(new_id(), BillKind.TO_ORDER, shipper=cast.shipper.org_id,
                                          sender=cast.carrier.account)
    with pytest.raises(errors.InvalidState) as info:
        port.bol.issue_batch([approved, unapproved], sender=cast.carrier.account)
    assert (info.value.id, info.value.current) == (unapproved, BillState.DRAFT)
    assert port.bol.status(approved).state == BillState.APPROVED
    with pytest.raises(errors.EmptyBatch):
        port.bol._send(cast.carrier.account, "issueBatch", [])


# -- history ------------------------------------------------------------------------------------------------------


def test_history_queries_from_the_draft_block_by_indexed_id(port, cast) -> None:  # type: ignore[no-untyped-def]
    bill = issued(port, cast)
    issued(port, cast)  # another bill's events must not appear
    calls = []
    original = port.layer.get_logs

    def spy(address, topics, from_block, to_block="latest"):  # type: ignore[no-untyped-def]
        calls.append((topics, from_block))
        return original(address, topics, from_block, to_block)

    port.layer.get_logs = spy  # type: ignore[method-assign]
    try:
        history = port.bol.history(bill)
    finally:
        del port.layer.get_logs
    assert [h.action for h in history] == ["BillDrafted", "BillApproved", "BillIssued"]
    ((topics, from_block),) = calls
    assert from_block == port.bol.status(bill).draft_block > 0
    assert topics[1] == "0x" + bill.hex()


def test_malleable_and_invalid_signatures_are_refused(port, cast) -> None:  # type: ignore[no-untyped-def]
    bill = issued(port, cast)
    signed = port.bol.sign_endorsement(bill, cast.bank.org_id, signer=cast.shipper.account)
    r, s, v = signed.signature[:32], int.from_bytes(signed.signature[32:64], "big"), signed.signature[64]
    order = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141
    high_s = r + (order - s).to_bytes(32, "big") + bytes([55 - v])  # the same signature, malleated
    with pytest.raises(errors.ECDSAInvalidSignatureS) as info:
        port.bol.endorse_by_signature(
            type(signed)(**{**signed.__dict__, "signature": high_s}), sender=cast.forwarder.account
        )
    assert info.value.s == (order - s).to_bytes(32, "big")
    zero_r = bytes(32) + signed.signature[32:]
    with pytest.raises(errors.ECDSAInvalidSignature):
        port.bol.endorse_by_signature(
            type(signed)(**{**signed.__dict__, "signature": zero_r}), sender=cast.forwarder.account
        )


def test_transport_document_verifies_against_its_bill(port, cast) -> None:  # type: ignore[no-untyped-def]
    from portchain.documents import sample_transport_document, verify

    document = sample_transport_document()
    bill = port.bol.draft(document, sender=cast.carrier.account)
    status = port.bol.status(bill)
    assert status.id == bill == bill_id_for(document, cast.carrier.org_id)
    assert port.bol.bills_drafted_from(document) == [(bill, cast.carrier.org_id)]
    assert port.bol.resolve(DraftedFrom(document.hash())) == bill
    assert verify(document, status)
    assert verify(document.to_json(), document.hash())
    assert not verify(document.with_changes({"transports.portOfDischarge.UNLocationCode": "DEHAM"}), status)
    with pytest.raises(InputError, match="not a bill id"):
        port.bol.status(document)


def test_a_named_relayer_is_the_only_one_who_may_relay(port, cast) -> None:  # type: ignore[no-untyped-def]
    bill = issued(port, cast)
    signed = port.bol.sign_endorsement(
        bill, cast.bank.org_id, signer=cast.shipper.account, relayer=cast.consignee.address
    )
    with pytest.raises(errors.WrongRelayer) as info:
        port.bol.endorse_by_signature(signed, sender=cast.forwarder.account)
    assert (info.value.relayer, info.value.sender) == (cast.consignee.address, cast.forwarder.address)
    port.bol.endorse_by_signature(signed, sender=cast.consignee.account)
    assert port.bol.status(bill).holder == cast.bank.org_id
