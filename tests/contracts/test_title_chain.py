"""A bill's title history as a DCSA PINT 3.0-style transfer chain, on a real Anvil: an export verifies; an entry
altered, removed, truncated or re-signed by another key does not; relayed endorsements and escrow deliveries
(a contract organisation acting inside someone else's transaction) verify."""

from __future__ import annotations

import copy
import hashlib
import os
import time

import pytest
from eth_account import Account
from eth_account.typed_transactions.typed_transaction import TypedTransaction
from hexbytes import HexBytes

from portchain import BillKind
from portchain.documents import canonical_json, sample_transport_document
from portchain.errors import InputError
from portchain.title_chain import (
    ACTION_CODES,
    dcsa_code,
    entry_checksum,
    export_chain,
    read_chain,
    verify_chain,
    write_chain,
)
from portchain.types import AmendmentReason

from ..trade import UNIT, Trade

PREVIOUS = "previousEnvelopeTransferChainEntrySignedContentChecksum"


def names(parties) -> dict[int, str]:  # type: ignore[no-untyped-def]
    return {party.org_id: party.spec.name for party in parties.values()}


def draft(port, cast, digest: bytes, kind=BillKind.TO_ORDER) -> bytes:  # type: ignore[no-untyped-def]
    """Draft through the contract call itself (hash only), whatever the client's draft signature is."""
    receipt = port.bol._send(cast.carrier.account, "draft", digest, kind, cast.shipper.org_id, 0)
    (event,) = port.bol.events(receipt, "BillDrafted")
    return bytes(event.args["id"])


def issued(port, cast, digest: bytes | None = None) -> bytes:  # type: ignore[no-untyped-def]
    bill = draft(port, cast, digest or os.urandom(32))
    port.bol.approve(bill, sender=cast.shipper.account)
    port.bol.issue(bill, sender=cast.carrier.account)
    return bill


def walked(port, cast, document) -> bytes:  # type: ignore[no-untyped-def]
    """A to-order bill issued, endorsed to order, transferred (and the transfer rejected), blank endorsed,
    surrendered for delivery and accepted: seven title actions."""
    bol = port.bol
    bill = issued(port, cast, document.hash())
    bol.record_milestone(bill, "shipped-on-board", sender=cast.carrier.account)  # not a title action
    bol.endorse(bill, cast.bank.org_id, to_order=True, sender=cast.shipper.account)
    bol.transfer(bill, cast.forwarder.org_id, sender=cast.bank.account)
    bol.reject_transfer(bill, sender=cast.forwarder.account)
    bol.blank_endorse(bill, sender=cast.bank.account)
    bol.surrender_for_delivery(bill, sender=cast.bank.account)
    bol.accept_surrender(bill, sender=cast.carrier.account)
    return bill


def rechain(exported: dict) -> dict:  # type: ignore[type-arg]
    """What a forger does after changing entries: recompute every checksum, link and the head."""
    previous = None
    for entry in exported["entries"]:
        entry.pop(PREVIOUS, None)
        if previous is not None:
            entry[PREVIOUS] = previous
        entry["checksum"] = previous = entry_checksum(entry)
    exported["head"] = previous
    return exported


def codes(exported: dict) -> list[str]:  # type: ignore[type-arg]
    return [entry["transaction"]["actionCode"] for entry in exported["entries"]]


# -- an honest export ----------------------------------------------------------------------------------------


def test_exported_chain_verifies(port, cast, parties, tmp_path) -> None:  # type: ignore[no-untyped-def]
    document = sample_transport_document()
    bill = walked(port, cast, document)
    exported = export_chain(port, bill, document=document, party_names=names(parties))
    assert codes(exported) == [
        "ISSUE", "ENDORSE_TO_ORDER", "TRANSFER", "TRANSFER", "BLANK_ENDORSE", "SURRENDER_FOR_DELIVERY", "SACC",
    ]
    carrier, shipper, bank, forwarder = (p.org_id for p in (cast.carrier, cast.shipper, cast.bank, cast.forwarder))
    parties_of = [
        (e["transaction"]["actor"]["orgId"], e["transaction"].get("recipient", {}).get("orgId"))
        for e in exported["entries"]
    ]
    assert parties_of == [
        (carrier, shipper), (shipper, bank), (bank, forwarder), (forwarder, bank), (bank, None), (bank, carrier),
        (carrier, bank),
    ]
    first, rejected = exported["entries"][0], exported["entries"][3]
    assert first["transaction"]["actor"]["partyName"] == cast.carrier.spec.name
    assert first["transaction"]["comments"] == f"to the order of organisation {shipper}"
    assert "rejected" in rejected["transaction"]["comments"]
    assert PREVIOUS not in first
    for before, after in zip(exported["entries"], exported["entries"][1:], strict=False):
        assert after[PREVIOUS] == before["checksum"]
    assert exported["head"] == exported["entries"][-1]["checksum"]
    checksum = hashlib.sha256(canonical_json(document.to_json())).hexdigest()
    assert exported["transportDocumentChecksum"] == checksum
    assert {e["transportDocumentChecksum"] for e in exported["entries"]} == {checksum}
    assert exported["documentHash"] == "0x" + document.hash().hex() and exported["bill"] == "0x" + bill.hex()
    assert {e["authorisedBy"] for e in exported["entries"]} == {"TRANSACTION_SIGNATURE"}
    for entry in exported["entries"]:
        assert entry["transaction"]["actionDateTime"].endswith(".000Z")
        assert Account.recover_transaction(entry["signedTransaction"]) == entry["signer"]

    result = verify_chain(port, exported, document=document)
    assert result.ok, result.problems
    assert (result.verified, result.actions_after_export) == (7, 0)

    path = tmp_path / "chain.json"
    write_chain(exported, path)
    assert read_chain(path) == exported
    assert verify_chain(port, read_chain(path)).ok


def test_an_export_behind_the_chain_still_verifies_and_says_so(port, cast) -> None:  # type: ignore[no-untyped-def]
    bill = issued(port, cast)
    exported = export_chain(port, bill)
    port.bol.endorse(bill, cast.bank.org_id, sender=cast.shipper.account)
    result = verify_chain(port, exported)
    assert result.ok and result.actions_after_export == 1
    assert "transportDocumentChecksum" not in exported and "transportDocumentChecksum" not in exported["entries"][0]


def test_history_speaks_dcsa(port, cast) -> None:  # type: ignore[no-untyped-def]
    document = sample_transport_document()
    bill = walked(port, cast, document)
    history = [dcsa_code(h.action, h.args) for h in port.bol.history(bill)]
    assert history == [
        "DRAFT", "APPROVED", "ISSUE", None, "ENDORSE_TO_ORDER", "TRANSFER", "TRANSFER", "BLANK_ENDORSE",
        "SURRENDER_FOR_DELIVERY", "SACC",
    ]
    assert set(ACTION_CODES.values()) <= {
        "ISSUE", "TRANSFER", "ENDORSE", "ENDORSE_TO_ORDER", "BLANK_ENDORSE", "SURRENDER_FOR_DELIVERY",
        "SURRENDER_FOR_AMENDMENT", "SACC", "SREJ", "SIGN",
    }


def test_amendment_surrender_and_its_acceptance(port, cast) -> None:  # type: ignore[no-untyped-def]
    bol = port.bol
    bill = issued(port, cast)
    bol.sign(bill, os.urandom(32), sender=cast.shipper.account)
    bol.surrender_for_amendment(bill, AmendmentReason.COD, sender=cast.shipper.account)
    bol.reject_surrender(bill, sender=cast.carrier.account)
    bol.surrender_for_amendment(bill, AmendmentReason.COD, sender=cast.shipper.account)
    reissue = draft(port, cast, os.urandom(32))
    bol.accept_amendment(bill, reissue, sender=cast.carrier.account)
    exported = export_chain(port, bill)
    assert codes(exported) == ["ISSUE", "SIGN", "SURRENDER_FOR_AMENDMENT", "SREJ", "SURRENDER_FOR_AMENDMENT", "SACC"]
    surrender, rejected, accepted = (exported["entries"][i]["transaction"] for i in (2, 3, 5))
    assert surrender["reasonCode"] == "COD" and surrender["recipient"]["orgId"] == cast.carrier.org_id
    assert (rejected["actor"]["orgId"], rejected["recipient"]["orgId"]) == (cast.carrier.org_id, cast.shipper.org_id)
    assert accepted["comments"] == "amendment accepted: replaced by 0x" + reissue.hex()
    assert verify_chain(port, exported).ok
    # the reissue starts its own chain, issued by the carrier to the party that surrendered
    reissued = export_chain(port, reissue)
    assert codes(reissued) == ["ISSUE"] and verify_chain(port, reissued).ok


# -- forgeries -----------------------------------------------------------------------------------------------


@pytest.fixture
def honest(port, cast):  # type: ignore[no-untyped-def]
    document = sample_transport_document()
    return export_chain(port, walked(port, cast, document), document=document)


@pytest.mark.parametrize("alter", [
    pytest.param(lambda e, c: e["transaction"]["recipient"].update(orgId=c.consignee.org_id, identifyingCodes=[
        {"codeListProvider": "ZZZ", "codeListName": "portchain registry organisation id",
         "partyCode": str(c.consignee.org_id)}]), id="recipient"),
    pytest.param(lambda e, c: e["transaction"].update(actionCode="ENDORSE"), id="action-code"),
    pytest.param(lambda e, c: e["transaction"].update(actionDateTime="2020-01-01T00:00:00.000Z"), id="timestamp"),
])
def test_an_altered_entry_fails_even_with_checksums_recomputed(port, cast, honest, alter) -> None:  # type: ignore[no-untyped-def]
    forged = copy.deepcopy(honest)
    alter(forged["entries"][1], cast)
    rechain(forged)
    result = verify_chain(port, forged)
    assert not result.ok and result.verified == 6
    assert all(p.startswith("entry 1 ") for p in result.problems), result.problems


def test_an_altered_entry_without_new_checksums_breaks_the_chain(port, cast, honest) -> None:  # type: ignore[no-untyped-def]
    forged = copy.deepcopy(honest)
    forged["entries"][2]["transaction"]["comments"] = "nothing to see"
    problems = verify_chain(port, forged).problems
    assert any("entry 2 (TRANSFER): checksum does not match" in p for p in problems), problems


def test_a_removed_middle_entry_fails(port, honest) -> None:  # type: ignore[no-untyped-def]
    forged = copy.deepcopy(honest)
    del forged["entries"][3]  # the rejected transfer
    result = verify_chain(port, rechain(forged))
    assert not result.ok
    assert any("the chain records 7 title actions" in p and "the export lists 6" in p for p in result.problems)
    assert any(p.startswith("entry 3 ") for p in result.problems)


def test_a_truncated_chain_fails(port, honest) -> None:  # type: ignore[no-untyped-def]
    forged = copy.deepcopy(honest)
    forged["entries"].pop()
    result = verify_chain(port, rechain(forged))
    assert not result.ok and result.verified == 6
    assert result.problems == [
        f"the chain records 7 title actions of the bill up to block {honest['exportedAtBlock']}; the export lists 6"
    ]


def test_an_entry_re_signed_by_another_key_fails(port, honest) -> None:  # type: ignore[no-untyped-def]
    forged = copy.deepcopy(honest)
    entry = forged["entries"][4]
    fields = TypedTransaction.from_bytes(HexBytes(entry["signedTransaction"])).as_dict()
    for signature_field in ("v", "r", "s"):
        fields.pop(signature_field)
    impostor = Account.create()
    entry["signedTransaction"] = "0x" + impostor.sign_transaction(fields).raw_transaction.hex()
    entry["signer"] = impostor.address
    result = verify_chain(port, rechain(forged))
    assert not result.ok
    assert any(p.startswith("entry 4 (BLANK_ENDORSE): signedTransaction is not transaction") for p in result.problems)
    # naming the impostor's own transaction hash does not help: the chain has no such action
    entry["transaction"]["auditReference"] = "0x" + impostor.sign_transaction(fields).hash.hex()
    assert not verify_chain(port, rechain(forged)).ok


def test_a_false_party_name_fails(port, cast, parties, honest) -> None:  # type: ignore[no-untyped-def]
    forged = copy.deepcopy(honest)
    forged["entries"][0]["transaction"]["actor"]["partyName"] = "Someone Else Shipping"
    problems = verify_chain(port, rechain(forged)).problems
    assert problems == [
        f"entry 0 (ISSUE): partyName 'Someone Else Shipping' is not the name the registry holds for organisation "
        f"{cast.carrier.org_id}"
    ]


def test_another_document_fails(port, honest) -> None:  # type: ignore[no-untyped-def]
    other = sample_transport_document({"transportDocumentReference": "OTHER-REF-1"})
    problems = verify_chain(port, honest, document=other).problems
    assert problems == [
        "the document given does not hash to documentHash",
        "the document given does not match transportDocumentChecksum",
        f"transportDocument: its hash 0x{other.hash().hex()} is not the one bill {honest['bill']} binds to carrier "
        f"{port.bol.status(honest['bill']).carrier}",
    ]


def test_a_bill_whose_terms_contradict_its_document_does_not_verify(port, cast) -> None:  # type: ignore[no-untyped-def]
    # drafted from the document's hash alone with a kind and a shipper the document does not give
    document = sample_transport_document()
    receipt = port.bol._send(cast.carrier.account, "draft", document.hash(), BillKind.STRAIGHT, cast.bank.org_id,
                             cast.consignee.org_id)
    (event,) = port.bol.events(receipt, "BillDrafted")
    bill = bytes(event.args["id"])
    exported = export_chain(port, bill)
    result = verify_chain(port, exported, document=document)
    assert result.problems == [
        "transportDocument.transportDocumentTypeCode: the bill's kind follows its document: the document is a "
        "to-order, not a straight"
    ]
    assert port.bol.check_document(document, bill) == result.problems


def test_a_document_checksum_without_its_document_is_reported_unchecked(port, honest) -> None:  # type: ignore[no-untyped-def]
    result = verify_chain(port, honest)
    assert result.ok and result.unchecked == [
        "transportDocumentChecksum: no transport document given to check it against"]


@pytest.mark.parametrize(("change", "message"), [
    (lambda x: x.update(currentHolder=5), r"^\$\.currentHolder: not a field of an exported transfer chain$"),
    (lambda x: x["entries"][1].update(note="title passed"), r"^\$\.entries\[1\]\.note: not a field"),
    (lambda x: x["entries"][1].update(relayedEndorsement={}),
     r"^\$\.entries\[1\]\.relayedEndorsement: given exactly when authorisedBy is RELAYED_ENDORSEMENT$"),
    (lambda x: x["entries"][1]["transaction"].update(recipient="bank"),
     r"^\$\.entries\[1\]\.transaction\.recipient: expected dict, got str$"),
    (lambda x: x["entries"][1]["transaction"]["actor"].update(partyName=None),
     r"^\$\.entries\[1\]\.transaction\.actor\.partyName: expected str, got NoneType$"),
    (lambda x: x["entries"][1]["transaction"]["actor"].update(orgId=2**40),
     r"^\$\.entries\[1\]\.transaction\.actor\.orgId: not an organisation id$"),
    (lambda x: x["entries"][1]["transaction"]["actor"].update(orgId=-1),
     r"^\$\.entries\[1\]\.transaction\.actor\.orgId: -1 is out of range$"),
    (lambda x: x["entries"][2].update(blockNumber=2**60), r"^\$\.entries\[2\]\.blockNumber: \d+ is out of range$"),
])
def test_an_export_holding_more_or_other_than_it_may_is_refused(port, honest, change, message) -> None:  # type: ignore[no-untyped-def]
    forged = copy.deepcopy(honest)
    change(forged)
    with pytest.raises(InputError, match=message):
        verify_chain(port, forged)


def test_both_names_of_an_entry_are_checked(port, cast, parties, admin) -> None:  # type: ignore[no-untyped-def]
    bill = issued(port, cast)
    port.bol.transfer(bill, cast.bank.org_id, sender=cast.shipper.account)
    exported = export_chain(port, bill, party_names=names(parties))
    transfer = exported["entries"][1]["transaction"]
    transfer["recipient"]["partyName"] = transfer["actor"]["partyName"]  # the shipper's name for the bank
    problems = verify_chain(port, rechain(exported)).problems
    assert problems == [
        f"entry 1 (TRANSFER): partyName {cast.shipper.spec.name!r} is not the name the registry holds for "
        f"organisation {cast.bank.org_id}"
    ]


def test_a_malformed_export_is_an_input_error_naming_its_path(port, honest) -> None:  # type: ignore[no-untyped-def]
    broken = copy.deepcopy(honest)
    del broken["entries"][2]["transaction"]["auditReference"]
    with pytest.raises(InputError, match=r"^\$\.entries\[2\]\.transaction\.auditReference: missing$"):
        verify_chain(port, broken)
    broken = copy.deepcopy(honest)
    broken["entries"][1]["signedTransaction"] = "0xabc"
    with pytest.raises(InputError, match=r"^\$\.entries\[1\]\.signedTransaction: not a 0x"):
        verify_chain(port, broken)
    with pytest.raises(InputError, match=r"^\$\.exportedAtBlock: expected int, got str$"):
        verify_chain(port, {**honest, "exportedAtBlock": "7"})


# -- authorisation beyond the sender's own key -------------------------------------------------------------


def test_a_relayed_endorsement_verifies_by_its_eip712_signer(port, cast) -> None:  # type: ignore[no-untyped-def]
    bill = issued(port, cast)
    signed = port.bol.sign_endorsement(bill, cast.bank.org_id, to_order=True, signer=cast.shipper.account)
    port.bol.endorse_by_signature(signed, sender=cast.forwarder.account)  # the forwarder relays and pays the gas
    exported = export_chain(port, bill)
    entry = exported["entries"][1]
    assert (entry["transaction"]["actionCode"], entry["authorisedBy"]) == ("ENDORSE_TO_ORDER", "RELAYED_ENDORSEMENT")
    assert entry["signer"] == cast.forwarder.address
    assert entry["relayedEndorsement"]["signer"] == cast.shipper.address
    assert entry["relayedEndorsement"]["signature"] == "0x" + signed.signature.hex()
    assert verify_chain(port, exported).ok

    # claimed as the relayer's own signature, it fails: the forwarder does not sign for the shipper
    forged = copy.deepcopy(exported)
    forged["entries"][1]["authorisedBy"] = "TRANSACTION_SIGNATURE"
    del forged["entries"][1]["relayedEndorsement"]
    problems = verify_chain(port, rechain(forged)).problems
    assert problems == [
        f"entry 1 (ENDORSE_TO_ORDER): {cast.forwarder.address} signed for organisation {cast.forwarder.org_id} at "
        f"block {entry['blockNumber']}, not for the actor {cast.shipper.org_id}"
    ]
    # an endorsement signed by another key does not recover to the stated signer
    forged = copy.deepcopy(exported)
    other = port.bol.sign_endorsement(bill, cast.consignee.org_id, signer=cast.bank.account)
    forged["entries"][1]["relayedEndorsement"]["signature"] = "0x" + other.signature.hex()
    assert not verify_chain(port, rechain(forged)).ok


def test_an_escrow_delivery_verifies_as_a_contract_organisation(trade: Trade) -> None:
    port, lc = trade.port, trade.port.lc
    credit = trade.credit()
    bill = trade.shipped_bill()
    number = trade.present(credit, 100_000 * UNIT, bill)
    lc.honour(credit, number, sender=trade.issuing.account)  # the escrow endorses the bill on, in the bank's tx
    port.bol.surrender_for_delivery(bill, sender=trade.applicant.account)
    exported = export_chain(port, bill)
    escrow = lc.escrow_organisation()
    summary = [
        (e["transaction"]["actionCode"], e["transaction"]["actor"]["orgId"], e["authorisedBy"])
        for e in exported["entries"]
    ]
    assert summary == [
        ("ISSUE", trade.carrier.org_id, "TRANSACTION_SIGNATURE"),
        ("ENDORSE", trade.beneficiary.org_id, "TRANSACTION_SIGNATURE"),  # the beneficiary sent the presentation
        ("ENDORSE", escrow, "CONTRACT_ORGANISATION"),
        ("SURRENDER_FOR_DELIVERY", trade.applicant.org_id, "TRANSACTION_SIGNATURE"),
    ]
    assert exported["entries"][2]["signer"] == trade.issuing.address
    assert verify_chain(port, exported).ok
    # a contract organisation cannot be claimed for an ordinary party's action
    forged = copy.deepcopy(exported)
    forged["entries"][3]["authorisedBy"] = "CONTRACT_ORGANISATION"
    problems = verify_chain(port, rechain(forged)).problems
    assert problems == [
        f"entry 3 (SURRENDER_FOR_DELIVERY): organisation {trade.applicant.org_id} is not a contract organisation"
    ]


# -- cost ----------------------------------------------------------------------------------------------------


def test_export_and_verify_cost_a_fixed_number_of_round_trips(port, cast) -> None:  # type: ignore[no-untyped-def]
    bill = walked(port, cast, sample_transport_document())
    layer = port.layer
    counted: list[str] = []
    raw_request, provider = layer.raw_request, layer.w3.provider
    batch_request = provider.make_batch_request

    def count(method, params):  # type: ignore[no-untyped-def]
        counted.append(method)
        return raw_request(method, params)

    def count_batch(requests):  # type: ignore[no-untyped-def]
        counted.append(f"batch of {len(requests)}")
        return batch_request(requests)

    layer.raw_request, provider.make_batch_request = count, count_batch
    try:
        started = time.perf_counter()
        exported = export_chain(port, bill)
        export_seconds = time.perf_counter() - started
        exported_with = list(counted)
        counted.clear()
        started = time.perf_counter()
        assert verify_chain(port, exported).ok
        verify_seconds = time.perf_counter() - started
    finally:
        del layer.raw_request, provider.make_batch_request
    print(f"\n7 entries: export {export_seconds * 1000:.0f} ms {exported_with}; "
          f"verify {verify_seconds * 1000:.0f} ms {counted}")
    assert len(exported_with) <= 6 and len(counted) <= 5
