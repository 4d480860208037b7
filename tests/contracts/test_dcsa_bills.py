"""A bill follows its DCSA eBL 3.0 transport document: DCSA's own published documents draft, issue and verify
unchanged; a document whose kind or parties contradict the registry or the drafting carrier is refused with a typed
error before anything is sent."""

from __future__ import annotations

from typing import Any

import pytest

from portchain import errors
from portchain.clients.bill_of_lading import bill_id_for
from portchain.documents import TransportDocument, sample_consignee_party, sample_transport_document, verify
from portchain.documents.dcsa_ebl import published_examples
from portchain.types import BillKind, BillState, PartyCode, Role
from tests.contracts.test_trust import onboard

EXAMPLES = published_examples()


def _nonce(port: Any, account: Any) -> int:
    return int(port.layer.request("eth_getTransactionCount", [account.address, "latest"]), 16)


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_dcsas_published_documents_draft_issue_and_verify_unchanged(port, admin, name) -> None:  # type: ignore[no-untyped-def]
    published = EXAMPLES[name]
    document = TransportDocument.from_json(published)
    assert document.to_json() == published
    carrier = onboard(port, admin, "CH", Role.CARRIER)
    shipper = onboard(port, admin, "NL", Role.SHIPPER)
    # the registrar knows the issuing carrier by its SMDG code; DCSA's shipper carries no code, so it is given
    port.registry.add_party_codes(carrier.org_id, [PartyCode("SMDG", published["carrierCode"])], sender=admin)
    bill = port.bol.draft(published, shipper=shipper.org_id, sender=carrier.account)
    port.bol.approve(bill, sender=shipper.account)
    port.bol.issue(bill, sender=carrier.account)
    status = port.bol.status(bill)
    assert (status.state, status.kind, status.carrier, status.shipper) == (
        BillState.ISSUED, BillKind.TO_ORDER, carrier.org_id, shipper.org_id)
    assert bill == bill_id_for(document, carrier.org_id)
    assert verify(published, status)
    assert verify(document, status)
    changed = {**published, "transportDocumentReference": published["transportDocumentReference"][:-1] + "X"}
    assert not verify(changed, status)


def test_the_sample_binds_every_party_by_its_codes(port, parties) -> None:  # type: ignore[no-untyped-def]
    carrier, shipper = parties[Role.CARRIER], parties[Role.SHIPPER]
    document = sample_transport_document()
    terms = port.bol.parties_of(document, carrier=carrier.org_id)
    assert (terms.kind, terms.carrier, terms.shipper, terms.consignee) == (
        BillKind.TO_ORDER, carrier.org_id, shipper.org_id, 0)
    bill = port.bol.draft(document, sender=carrier.account)
    assert port.bol.status(bill).shipper == shipper.org_id


@pytest.mark.parametrize(("type_code", "kind"), [("BOL", BillKind.STRAIGHT), ("SWB", BillKind.SEA_WAYBILL)])
def test_a_straight_bill_and_a_sea_waybill_take_their_consignee_from_the_document(  # type: ignore[no-untyped-def]
    port, parties, type_code, kind
) -> None:
    carrier, consignee = parties[Role.CARRIER], parties[Role.CONSIGNEE]
    document = sample_transport_document({
        "transportDocumentTypeCode": type_code, "isToOrder": False,
        "documentParties.consignee": sample_consignee_party(),
    })
    bill = port.bol.draft(document, sender=carrier.account)
    status = port.bol.status(bill)
    assert (status.kind, status.consignee) == (kind, consignee.org_id)


def test_a_sea_waybill_drafted_as_a_transferable_bill_is_refused_before_sending(port, parties) -> None:  # type: ignore[no-untyped-def]
    carrier = parties[Role.CARRIER]
    waybill = sample_transport_document({
        "transportDocumentTypeCode": "SWB", "isToOrder": False, "documentParties.consignee": sample_consignee_party(),
    })
    before = _nonce(port, carrier.account)
    with pytest.raises(errors.BillKindMismatchError) as refused:
        port.bol.draft(waybill, kind="to-order", sender=carrier.account)
    assert (refused.value.document_kind, refused.value.requested_kind) == (BillKind.SEA_WAYBILL, BillKind.TO_ORDER)
    assert refused.value.path == "transportDocument.transportDocumentTypeCode"
    assert str(refused.value) == (
        "transportDocument.transportDocumentTypeCode: the bill's kind follows its document: the document is a "
        "sea-waybill, not a to-order"
    )
    assert _nonce(port, carrier.account) == before


def test_a_document_whose_shipper_is_not_the_approving_organisation_is_refused(port, parties) -> None:  # type: ignore[no-untyped-def]
    carrier, shipper, bank = parties[Role.CARRIER], parties[Role.SHIPPER], parties[Role.BANK]
    before = _nonce(port, carrier.account)
    with pytest.raises(errors.DocumentPartyMismatchError) as refused:
        port.bol.draft(sample_transport_document(), shipper=bank.org_id, sender=carrier.account)
    assert (refused.value.role, refused.value.document_orgs, refused.value.expected_org) == (
        "shipper", (shipper.org_id,), bank.org_id)
    assert refused.value.path == "transportDocument.documentParties.shipper"
    assert str(refused.value) == (
        f"transportDocument.documentParties.shipper: its codes name organisation {shipper.org_id}, "
        "not the shipper given"
    )
    assert _nonce(port, carrier.account) == before


def test_a_document_of_another_carrier_is_refused(port, parties, admin) -> None:  # type: ignore[no-untyped-def]
    carrier = parties[Role.CARRIER]
    rival = onboard(port, admin, "SG", Role.CARRIER)
    with pytest.raises(errors.DocumentPartyMismatchError) as refused:
        port.bol.draft(sample_transport_document(), sender=rival.account)
    assert (refused.value.role, refused.value.document_orgs, refused.value.expected_org) == (
        "issuingParty", (carrier.org_id,), rival.org_id)


def test_a_party_whose_codes_name_two_organisations_is_refused(port, parties, admin) -> None:  # type: ignore[no-untyped-def]
    carrier, shipper, bank = parties[Role.CARRIER], parties[Role.SHIPPER], parties[Role.BANK]
    document = sample_transport_document()
    eori = {"type": "EORI", "countryCode": "CN", "value": "CN4403000000001"}
    port.registry.add_party_codes(bank.org_id, [PartyCode("CN-EORI", "CN4403000000001")], sender=admin)
    shipper_party = {**document.to_json()["documentParties"]["shipper"], "taxLegalReferences": [eori]}
    two = document.with_changes({"documentParties.shipper": shipper_party})
    with pytest.raises(errors.DocumentPartyMismatchError) as refused:
        port.bol.draft(two, sender=carrier.account)
    assert refused.value.document_orgs == tuple(sorted((shipper.org_id, bank.org_id)))


def test_an_unregistered_party_is_refused_unless_given(port, parties, admin) -> None:  # type: ignore[no-untyped-def]
    carrier, shipper = parties[Role.CARRIER], parties[Role.SHIPPER]
    published = EXAMPLES["regularSTDExample"]
    with pytest.raises(errors.UnregisteredDocumentPartyError) as unknown_carrier:
        port.bol.draft(published, shipper=shipper.org_id, sender=carrier.account)
    assert unknown_carrier.value.codes == ("SMDG:MSC", "GLEIF:529900T8BM49AURSDO55")
    port.registry.add_party_codes(carrier.org_id, [PartyCode("SMDG", "MSC")], sender=admin)
    with pytest.raises(errors.UnregisteredDocumentPartyError) as unknown_shipper:
        port.bol.draft(published, sender=carrier.account)
    assert (unknown_shipper.value.role, unknown_shipper.value.codes) == ("shipper", ())
    assert port.bol.status(port.bol.draft(published, shipper=shipper.org_id, sender=carrier.account)).shipper == (
        shipper.org_id)


def test_the_hash_only_path_takes_the_kind_and_parties_as_given(port, parties) -> None:  # type: ignore[no-untyped-def]
    carrier, shipper = parties[Role.CARRIER], parties[Role.SHIPPER]
    document = sample_transport_document()
    bill = port.bol.draft_from_hash(document.hash(), "straight", shipper=shipper.org_id,
                                    consignee=parties[Role.BANK].org_id, sender=carrier.account)
    assert port.bol.status(bill).kind == BillKind.STRAIGHT
    with pytest.raises(errors.InputError, match="draft_from_hash takes a document hash"):
        port.bol.draft_from_hash(document, "to-order", shipper=shipper.org_id, sender=carrier.account)


@pytest.mark.parametrize("variant", ["9845PCSHIPPER0000097 ", "9845pcshipper0000097", "\u200b9845PCSHIPPER0000097"])
def test_a_look_alike_code_is_the_same_code(port, parties, variant) -> None:  # type: ignore[no-untyped-def]
    carrier, shipper, bank = parties[Role.CARRIER], parties[Role.SHIPPER], parties[Role.BANK]
    document = sample_transport_document()
    party = {**document.to_json()["documentParties"]["shipper"],
             "identifyingCodes": [{"codeListProvider": "GLEIF", "partyCode": variant}]}
    look_alike = document.with_changes({"documentParties.shipper": party})
    with pytest.raises(errors.DocumentPartyMismatchError) as refused:
        port.bol.draft(look_alike, shipper=bank.org_id, sender=carrier.account)
    assert refused.value.document_orgs == (shipper.org_id,)
    assert port.bol.parties_of(look_alike, carrier=carrier.org_id).shipper == shipper.org_id


def test_a_to_order_document_with_a_consignee_is_made_out_to_its_order(port, parties) -> None:  # type: ignore[no-untyped-def]
    carrier, consignee = parties[Role.CARRIER], parties[Role.CONSIGNEE]
    document = sample_transport_document({"documentParties.consignee": sample_consignee_party()})
    terms = port.bol.parties_of(document, carrier=carrier.org_id)
    assert (terms.kind, terms.consignee) == (BillKind.TO_ORDER, consignee.org_id)
    with pytest.raises(errors.DocumentPartyMismatchError) as refused:
        port.bol.parties_of(sample_transport_document(), carrier=carrier.org_id, consignee=consignee.org_id)
    assert str(refused.value) == (
        "transportDocument.documentParties.endorsee: the document names no endorsee, but organisation "
        f"{consignee.org_id} was given"
    )


@pytest.mark.parametrize(("changes", "message"), [
    ({"isElectronic": False}, "transportDocument.isElectronic: a paper bill (isElectronic false) is not drafted as an "
                              "electronic one: the title would exist twice"),
    ({"transportDocumentStatus": "VOIDED"}, "transportDocument.transportDocumentStatus: a VOIDED document is not "
                                           "drafted as a bill (only DRAFT, APPROVED, ISSUED)"),
])
def test_a_paper_or_finished_document_is_not_drafted(port, parties, changes, message) -> None:  # type: ignore[no-untyped-def]
    carrier = parties[Role.CARRIER]
    before = _nonce(port, carrier.account)
    with pytest.raises(errors.DocumentContradictionError) as refused:
        port.bol.draft(sample_transport_document(changes), sender=carrier.account)
    assert str(refused.value) == message
    assert _nonce(port, carrier.account) == before


def test_a_bill_of_another_carrier_or_other_terms_does_not_verify_against_the_document(  # type: ignore[no-untyped-def]
    port, parties, admin
) -> None:
    carrier, shipper = parties[Role.CARRIER], parties[Role.SHIPPER]
    document = sample_transport_document()
    good = port.bol.draft(document, sender=carrier.account)
    assert port.bol.check_document(document, good) == []
    rival = onboard(port, admin, "SG", Role.CARRIER)
    rogue = port.bol.draft_from_hash(document.hash(), "to-order", shipper=shipper.org_id, sender=rival.account)
    assert verify(document, port.bol.status(rogue))  # the hash alone binds
    assert port.bol.check_document(document, rogue) == [
        f"transportDocument.documentParties.issuingParty: its codes name organisation {carrier.org_id}, "
        "not the drafting carrier"
    ]
    assert port.bol.check_document(document.with_changes({"transportDocumentReference": "X"}), good)[0].startswith(
        "transportDocument: its hash 0x")


def test_the_parties_of_a_document_are_read_in_one_registry_call(port, parties, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    carrier = parties[Role.CARRIER]
    document = sample_transport_document({"documentParties.consignee": sample_consignee_party()})
    port.bol.parties_of(document, carrier=carrier.org_id)  # the registry client is made on first use
    calls: list[bytes] = []
    call = port.layer.call
    monkeypatch.setattr(port.layer, "call", lambda to, data, **kw: calls.append(data[:4]) or call(to, data, **kw))
    terms = port.bol.parties_of(document, carrier=carrier.org_id)
    assert terms.consignee == parties[Role.CONSIGNEE].org_id and len(calls) == 1
