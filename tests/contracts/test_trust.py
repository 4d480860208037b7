"""Issue 9: no participant can take, redirect or lock anyone else's money or title.

One test per finding of the review (each failed on the contracts before the fix), the authority boundaries of every
privileged or money-moving function (another jurisdiction's organisation of the same role, and a second one of the
same country), and front-running: with automine off, an attacker's transaction mined first in the same block.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from eth_account import Account
from eth_account.signers.local import LocalAccount

from portchain import BillKind, BillState, Role, errors
from portchain.clients.cargo_release import pickup_code_hash
from portchain.clients.customs import Item
from portchain.clients.letter_of_credit import CreditTerms
from portchain.clients.trade_documents import anchor_id
from portchain.documents.trade import DocType, sample_commercial_invoice
from portchain.errors import InputError
from portchain.types import CreditState, OrgStatus, PresentationState

DAY = 86_400
UNIT = 10**6
ITEMS = [Item("851712", 1_000 * UNIT, "CN")]


@dataclass
class Org:
    account: LocalAccount
    org_id: int

    @property
    def address(self) -> str:
        return self.account.address


def onboard(port: Any, admin: LocalAccount, country: str, role: Role, name: str | None = None) -> Org:
    account = Account.create()
    port.fund(account.address)
    label = name or f"{role.name} {country} {os.urandom(3).hex()}"
    org_id = port.registry.onboard(label, label, country, [role], [account.address], sender=admin).org_id
    return Org(account, org_id)


def travel(port: Any, seconds: int) -> None:
    port.layer.request("evm_increaseTime", [seconds])
    port.layer.request("evm_mine", [])


def same_block(port: Any, *txs: tuple[LocalAccount, Any, str, tuple[Any, ...]]) -> list[bool]:
    """Send ``(sender, client, function, args)`` transactions with automine off, each with a lower tip than the one
    before (Anvil orders a block by fee), mine them in one block and return whether each succeeded, in order."""
    layer = port.layer
    layer.request("evm_setAutomine", [False])
    hashes = []
    try:
        base = int(layer.request("eth_getBlockByNumber", ["latest", False])["baseFeePerGas"], 16)
        for i, (sender, client, function, args) in enumerate(txs):
            nonce = int(layer.request("eth_getTransactionCount", [sender.address, "pending"]), 16)
            tip = (len(txs) - i) * 10**9
            signed = sender.sign_transaction({
                "type": 2, "chainId": layer.chain_id, "nonce": nonce, "gas": 1_500_000, "to": client.address,
                "maxFeePerGas": 2 * base + tip, "maxPriorityFeePerGas": tip, "value": 0,
                "data": client.abi.function(function).encode(list(args)),
            })
            hashes.append(layer.request("eth_sendRawTransaction", ["0x" + signed.raw_transaction.hex()]))
        layer.request("evm_mine", [])
    finally:
        layer.request("evm_setAutomine", [True])
        layer.reset_nonces()
    receipts = [layer.request("eth_getTransactionReceipt", [h]) for h in hashes]
    assert len({r["blockNumber"] for r in receipts}) == 1, "all in one block"
    indexes = [int(r["transactionIndex"], 16) for r in receipts]
    assert indexes == sorted(indexes), "mined in the order sent (attacker first)"
    return [int(r["status"], 16) == 1 for r in receipts]


# -- shared set-ups ---------------------------------------------------------------------------------------------------


def issued_bill(port: Any, parties: Any, *, kind: BillKind = BillKind.TO_ORDER, consignee: int = 0) -> bytes:
    carrier, shipper = parties[Role.CARRIER], parties[Role.SHIPPER]
    bill = port.bol.draft_from_hash(os.urandom(32), kind, shipper=shipper.org_id, consignee=consignee,
                                    sender=carrier.account)
    port.bol.approve(bill, sender=shipper.account)
    port.bol.issue(bill, sender=carrier.account)
    return bill


def credit_terms(port: Any, parties: Any, **overrides: Any) -> CreditTerms:
    now = port.layer.block_timestamp()
    values: dict[str, Any] = dict(
        terms_hash=os.urandom(32), token=port.token.address, amount=100_000 * UNIT,
        beneficiary=parties[Role.SHIPPER].org_id, issuing_bank=parties[Role.BANK].org_id, expiry=now + 60 * DAY,
        latest_shipment=now + 30 * DAY, tolerance_bps=0, required_documents=[DocType.COMMERCIAL_INVOICE],
    )
    values.update(overrides)
    return CreditTerms(**values)


def funded_applicant(port: Any, parties: Any, admin: LocalAccount, amount: int = 1_000_000 * UNIT) -> LocalAccount:
    applicant = parties[Role.CONSIGNEE].account
    port.token.mint(applicant.address, amount, sender=admin)
    return applicant


def presented(port: Any, parties: Any, admin: LocalAccount, payee: str | None = None) -> tuple[int, int, bytes]:
    """An issued credit with one complying presentation under examination: (credit, number, bill)."""
    applicant = funded_applicant(port, parties, admin)
    terms = credit_terms(port, parties)
    port.token.approve(port.lc.address, terms.amount, sender=applicant)
    credit = port.lc.apply(terms, sender=applicant)
    port.lc.issue(credit, sender=parties[Role.BANK].account)
    shipper, carrier = parties[Role.SHIPPER], parties[Role.CARRIER]
    bill = issued_bill(port, parties)
    port.bol.record_milestone(bill, "shipped-on-board", port.layer.block_timestamp() - DAY, sender=carrier.account)
    invoice = sample_commercial_invoice(invoice_number="INV-" + os.urandom(3).hex())
    port.docs.anchor(invoice, subject=bill, sender=shipper.account)
    number = port.lc.present(credit, terms.amount, [(invoice, shipper.org_id)], bill,
                             payee=payee or Account.create().address, sender=shipper.account, bol=port.bol)
    return credit, number, bill


class Customs:
    """NL customs (designated), its accepted treasury, tariffs and VAT, and a funded importer."""

    def __init__(self, port: Any, parties: Any, admin: LocalAccount) -> None:
        self.port, self.admin = port, admin
        self.authority, self.tax = parties[Role.CUSTOMS], parties[Role.TAX]
        self.treasury = Account.create()
        port.fund(self.treasury.address)
        c = port.customs
        c.nominate_treasury(self.treasury.address, port.token.address, sender=self.authority.account)
        c.accept_treasury("NL", sender=self.treasury)
        c.set_tariff_rate("851712", 500, sender=self.authority.account)
        c.set_vat_rate(2_100, sender=self.tax.account)

    def released_import(self, declarant: Org | Any, bill: bytes) -> bytes:
        c, token = self.port.customs, self.port.token
        document = os.urandom(32)
        decl = c.lodge("import", "NL", document, ITEMS, bill=bill, sender=declarant.account)
        c.accept(decl, sender=self.authority.account)
        c.assign_lane(decl, "green", sender=self.authority.account)
        c.assess(decl, document, ITEMS, sender=self.authority.account)
        due = c.amount_due(decl)
        token.mint(declarant.address, due, sender=self.admin)
        token.approve(c.address, due, sender=declarant.account)
        c.pay(decl, sender=declarant.account)
        c.release(decl, sender=self.authority.account)
        return decl


def cleared_export(port: Any, customs_cn: Org, declarant: Any, bill: bytes, carrier: Any = None) -> bytes:
    """An export declaration linked to ``bill``, released by China's customs; with ``carrier``, the goods are then
    recorded shipped on board (a rebate needs them exported)."""
    c = port.customs
    decl = c.lodge("export", "CN", os.urandom(32), ITEMS, bill=bill, sender=declarant.account)
    c.accept(decl, sender=customs_cn.account)
    c.assign_lane(decl, "green", sender=customs_cn.account)
    c.release(decl, sender=customs_cn.account)
    if carrier is not None:
        port.bol.record_milestone(bill, "shipped-on-board", sender=carrier.account)
    return decl


def tax_treasury(port: Any, admin: LocalAccount, tax: Org | Any, country: str, amount: int) -> LocalAccount:
    """A rebate treasury nominated by ``tax``, accepted by itself, funded and approving the rebate contract."""
    treasury = Account.create()
    port.fund(treasury.address)
    port.rebates.nominate_treasury(treasury.address, port.token.address, sender=tax.account)
    port.rebates.accept_treasury(country, sender=treasury)
    port.token.mint(treasury.address, amount, sender=admin)
    port.token.approve(port.rebates.address, 2**256 - 1, sender=treasury)
    return treasury


# -- 1. rebates paid only from a treasury that accepted to pay its own country's rebates ------------------------------


def test_1_rebates_are_never_paid_from_another_countrys_treasury(port, parties, admin) -> None:  # type: ignore[no-untyped-def]
    token, rebates = port.token, port.rebates
    nl_treasury = tax_treasury(port, admin, parties[Role.TAX], "NL", 1_000_000 * UNIT)
    customs_cn, tax_cn = onboard(port, admin, "CN", Role.CUSTOMS), onboard(port, admin, "CN", Role.TAX)
    assert port.registry.authority_of("CN", Role.TAX) == tax_cn.org_id
    # the CN tax authority names the NL treasury (which approved the rebate contract) as China's
    rebates.nominate_treasury(nl_treasury.address, token.address, sender=tax_cn.account)
    bill = issued_bill(port, parties)
    export = cleared_export(port, customs_cn, parties[Role.SHIPPER], bill, parties[Role.CARRIER])
    claim = rebates.claim(export, bill, os.urandom(32), 50_000 * UNIT, sender=parties[Role.SHIPPER].account)
    before = token.balance_of(nl_treasury.address)
    with pytest.raises(errors.NoTreasury) as none:
        rebates.approve(claim, sender=tax_cn.account)
    assert none.value.country == b"CN"
    # only the nominated address itself can accept, and the NL treasury never did
    with pytest.raises(errors.NotNominatedTreasury) as info:
        rebates.accept_treasury("CN", sender=tax_cn.account)
    assert (info.value.country, info.value.caller, info.value.nominated) == (b"CN", tax_cn.address, nl_treasury.address)
    assert token.balance_of(nl_treasury.address) == before
    # China pays from a treasury that accepted to pay China's rebates
    cn_treasury = tax_treasury(port, admin, tax_cn, "CN", 50_000 * UNIT)
    rebates.approve(claim, sender=tax_cn.account)
    assert token.balance_of(cn_treasury.address) == 0
    assert token.balance_of(nl_treasury.address) == before


# -- 2. a credit under examination always has an exit -----------------------------------------------------------------


def test_2_a_revoked_applicant_no_longer_locks_the_bill_and_the_escrow(port, parties, admin) -> None:  # type: ignore[no-untyped-def]
    lc, token = port.lc, port.token
    payee = Account.create().address
    credit, number, bill = presented(port, parties, admin, payee)
    applicant, bank = parties[Role.CONSIGNEE], parties[Role.BANK]
    port.registry.revoke(applicant.org_id, "licence withdrawn", sender=admin)
    travel(port, 10 * DAY)  # the bank let the examination period pass
    # anyone may resolve it: here a stranger's organisation (the forwarder)
    receipt = lc.claim(credit, number, sender=parties[Role.FORWARDER].account)
    (honoured,) = lc.events(receipt, "PresentationHonoured")
    assert (honoured.args["billTo"], honoured.args["precluded"]) == (bank.org_id, True)
    assert lc.presentation(credit, number).state == PresentationState.HONOURED
    assert token.balance_of(payee) == 100_000 * UNIT
    assert port.bol.status(bill).holder == bank.org_id  # a revoked applicant never takes the bill: its bank does
    travel(port, 60 * DAY)
    lc.expire(credit, sender=parties[Role.FORWARDER].account)
    assert lc.credit(credit).state == CreditState.EXPIRED


def test_2_a_suspended_applicants_bill_is_held_until_it_can_take_it(port, parties, admin) -> None:  # type: ignore[no-untyped-def]
    lc = port.lc
    credit, number, bill = presented(port, parties, admin)
    applicant = parties[Role.CONSIGNEE]
    port.registry.suspend(applicant.org_id, "audit", sender=admin)
    travel(port, 10 * DAY)
    receipt = lc.claim(credit, number, sender=parties[Role.SHIPPER].account)
    (held,) = lc.events(receipt, "BillHeld")
    assert (held.args["bill"], held.args["heldFor"]) == (bill, applicant.org_id)
    assert lc.held_for(bill) == applicant.org_id
    with pytest.raises(errors.BillHeldForDelivery) as not_recoverable:  # nobody takes it back to the seller
        lc._send(parties[Role.SHIPPER].account, "recoverBill", bill)
    assert (not_recoverable.value.bill, not_recoverable.value.held_for) == (bill, applicant.org_id)
    with pytest.raises(errors.BillNotDeliverable) as info:
        lc.deliver_held_bill(bill, sender=parties[Role.FORWARDER].account)
    assert (info.value.bill, info.value.held_for) == (bill, applicant.org_id)
    port.registry.reinstate(applicant.org_id, sender=admin)
    lc.deliver_held_bill(bill, sender=parties[Role.FORWARDER].account)
    assert port.bol.status(bill).holder == applicant.org_id
    assert lc.held_for(bill) == 0
    with pytest.raises(errors.BillNotDeliverable):
        lc.deliver_held_bill(bill, sender=parties[Role.FORWARDER].account)


def test_2_a_token_that_refuses_the_payee_cannot_hold_the_seller_to_ransom(  # type: ignore[no-untyped-def]
    port, parties, admin, deploy_fixture
) -> None:
    lc = port.lc
    hostile = deploy_fixture("HostileToken")
    applicant, shipper, bank = parties[Role.CONSIGNEE], parties[Role.SHIPPER], parties[Role.BANK]
    hostile.send("mint", applicant.address, 200_000 * UNIT)
    hostile.send("approve", lc.address, 2**256 - 1, sender=applicant.account)
    terms = credit_terms(port, parties, token=hostile.address)
    credit = lc.apply(terms, sender=applicant.account)
    lc.issue(credit, sender=bank.account)
    bill = issued_bill(port, parties)
    port.bol.record_milestone(bill, "shipped-on-board", port.layer.block_timestamp() - DAY,
                              sender=parties[Role.CARRIER].account)
    invoice = sample_commercial_invoice(invoice_number="INV-" + os.urandom(3).hex())
    port.docs.anchor(invoice, sender=shipper.account)
    payee = Account.create()
    port.fund(payee.address)
    number = lc.present(credit, terms.amount, [(invoice, shipper.org_id)], bill, payee=payee.address,
                        sender=shipper.account, bol=port.bol)
    hostile.send("setBlocked", payee.address, True)  # the applicant's token now refuses the seller's payee
    travel(port, 10 * DAY)
    receipt = lc.claim(credit, number, sender=shipper.account)
    (held,) = lc.events(receipt, "PaymentHeld")
    assert (held.args["account"], held.args["amount"]) == (payee.address, terms.amount)
    assert port.bol.status(bill).holder == applicant.org_id  # the bill leg went through
    assert lc.presentation(credit, number).state == PresentationState.HONOURED
    assert lc.owed_to(hostile.address, payee.address) == terms.amount
    assert hostile.call("balanceOf", lc.address) == terms.amount  # escrow invariant: held money is still here
    with pytest.raises(errors.NothingOwed) as nothing:
        lc.withdraw(hostile.address, sender=shipper.account)
    assert (nothing.value.token, nothing.value.account) == (hostile.address, shipper.address)
    # the payee takes its money to an address the token accepts
    elsewhere = Account.create().address
    lc.withdraw(hostile.address, elsewhere, sender=payee)
    assert (hostile.call("balanceOf", elsewhere), lc.owed_to(hostile.address, payee.address)) == (terms.amount, 0)
    assert hostile.call("balanceOf", lc.address) == 0


def test_2_presentations_pending_do_not_stop_expiry(port, parties, admin) -> None:  # type: ignore[no-untyped-def]
    lc, token = port.lc, port.token
    credit, number, _ = presented(port, parties, admin)
    payer = parties[Role.CONSIGNEE].address
    # the bank refuses; nobody returns the documents; the credit still expires and refunds what is not reserved
    lc.refuse(credit, number, "missing-document", sender=parties[Role.BANK].account)
    travel(port, 61 * DAY)
    before = token.balance_of(payer)
    lc.expire(credit, sender=parties[Role.FORWARDER].account)
    view = lc.credit(credit)
    assert (view.state, view.escrowed, view.reserved) == (CreditState.EXPIRED, 100_000 * UNIT, 100_000 * UNIT)
    # after expiry anyone returns the documents: the bill to the beneficiary, the reservation to the payer
    lc.return_documents(credit, number, sender=parties[Role.FORWARDER].account)
    assert token.balance_of(payer) == before + 100_000 * UNIT
    assert lc.credit(credit).escrowed == 0


def test_2_a_bank_that_never_issues_cannot_keep_the_escrow(port, parties, admin) -> None:  # type: ignore[no-untyped-def]
    lc, token = port.lc, port.token
    applicant = funded_applicant(port, parties, admin)
    now = port.layer.block_timestamp()
    token.approve(lc.address, 100_000 * UNIT, sender=applicant)
    credit = lc.apply(credit_terms(port, parties, expiry=now + 2 * DAY, latest_shipment=now + DAY), sender=applicant)
    port.registry.revoke(parties[Role.CONSIGNEE].org_id, sender=admin)  # the applicant cannot even cancel now
    with pytest.raises(errors.CreditNotExpired):
        lc.expire(credit, sender=parties[Role.FORWARDER].account)
    travel(port, 3 * DAY)
    before = token.balance_of(applicant.address)
    receipt = lc.expire(credit, sender=parties[Role.FORWARDER].account)
    (closed,) = lc.events(receipt, "CreditClosed")
    assert (closed.args["state"], closed.args["refunded"]) == (CreditState.EXPIRED, 100_000 * UNIT)
    assert token.balance_of(applicant.address) == before + 100_000 * UNIT
    with pytest.raises(errors.InvalidCreditState) as closed_twice:
        lc.expire(credit, sender=parties[Role.FORWARDER].account)
    assert closed_twice.value.current == CreditState.EXPIRED


# -- 3. only the payer's own act moves its money ----------------------------------------------------------------------


def test_3_an_amendment_never_spends_the_applicants_money_without_it(port, parties, admin) -> None:  # type: ignore[no-untyped-def]
    lc, token = port.lc, port.token
    applicant = funded_applicant(port, parties, admin)
    other_bank = onboard(port, admin, "NL", Role.BANK)
    # an allowance the applicant gave for a credit with another bank
    token.approve(lc.address, 500_000 * UNIT, sender=applicant)
    credit = lc.apply(credit_terms(port, parties), sender=applicant)
    lc.apply(credit_terms(port, parties, issuing_bank=other_bank.org_id), sender=applicant)
    lc.issue(credit, sender=parties[Role.BANK].account)
    balance, allowance = token.balance_of(applicant.address), token.allowance(applicant.address, lc.address)
    lc.amend(credit, amount=250_000 * UNIT, sender=parties[Role.BANK].account)
    assert (token.balance_of(applicant.address), token.allowance(applicant.address, lc.address)) == (balance, allowance)
    view = lc.credit(credit)
    assert (view.amendment_increase, view.amendment_funded) == (150_000 * UNIT, False)
    with pytest.raises(errors.AmendmentNotFunded) as unfunded:
        lc.accept_amendment(credit, sender=parties[Role.SHIPPER].account)
    assert (unfunded.value.id, unfunded.value.number, unfunded.value.increase) == (credit, 1, 150_000 * UNIT)
    # nobody but the payer funds it, and only in its own transaction
    with pytest.raises(errors.NotPayer) as not_payer:
        lc.fund_amendment(credit, sender=parties[Role.BANK].account)
    assert (not_payer.value.caller, not_payer.value.payer) == (parties[Role.BANK].address, applicant.address)
    lc.fund_amendment(credit, sender=applicant)
    assert token.balance_of(applicant.address) == balance - 150_000 * UNIT
    with pytest.raises(errors.NothingToFund):
        lc.fund_amendment(credit, sender=applicant)
    lc.accept_amendment(credit, sender=parties[Role.SHIPPER].account)
    assert lc.credit(credit).escrowed == 250_000 * UNIT


def test_3_issuing_a_credit_pulls_nothing(port, parties, admin) -> None:  # type: ignore[no-untyped-def]
    lc, token = port.lc, port.token
    applicant = funded_applicant(port, parties, admin)
    token.approve(lc.address, 100_000 * UNIT, sender=applicant)
    credit = lc.apply(credit_terms(port, parties), sender=applicant)
    balance = token.balance_of(applicant.address)
    assert token.allowance(applicant.address, lc.address) == 0  # the application used exactly its own amount
    lc.issue(credit, sender=parties[Role.BANK].account)
    assert token.balance_of(applicant.address) == balance


# -- 4. the container goes only to the party that surrendered the bill with title -------------------------------------


def test_4_release_follows_the_titleholder_and_one_live_code_per_container(port, parties, admin) -> None:  # type: ignore[no-untyped-def]
    bol, gate = port.bol, port.gate
    desk = Customs(port, parties, admin)
    importer, operator, carrier = parties[Role.CONSIGNEE], parties[Role.PORT_OPERATOR], parties[Role.CARRIER]
    buyer = onboard(port, admin, "NL", Role.CONSIGNEE)
    bill = issued_bill(port, parties, consignee=importer.org_id)
    bol.transfer(bill, importer.org_id, sender=parties[Role.SHIPPER].account)
    bol.endorse(bill, buyer.org_id, sender=importer.account)  # the named consignee sells the goods on
    bol.surrender_for_delivery(bill, sender=buyer.account)
    bol.accept_surrender(bill, sender=carrier.account)
    stale = desk.released_import(importer, bill)
    with pytest.raises(errors.DeclarationNotOfReceiver) as info:
        gate.authorise(stale, bill, "MSKU9070323", sender=operator.account)
    assert (info.value.bill, info.value.declaration) == (bill, stale)
    declaration = desk.released_import(buyer, bill)
    first = gate.authorise(declaration, bill, "MSKU9070323", sender=operator.account)
    with pytest.raises(errors.ContainerAlreadyAuthorised) as twice:
        gate.authorise(declaration, bill, "MSKU9070323", sender=operator.account)
    assert twice.value.code_hash == first.code_hash
    gate.revoke(first.code_hash, sender=operator.account)
    with pytest.raises(errors.PickupAlreadyUsed):
        gate.verify("MSKU9070323", first.code, sender=operator.account)
    second = gate.authorise(declaration, bill, "MSKU9070323", sender=operator.account)
    gate.verify("MSKU9070323", second.code, sender=operator.account)
    assert gate.pickup(operator.org_id, second.code_hash)["usedAt"] > 0


# -- 5 and 6. what a party creates first is bound to it -------------------------------------------------------------


def test_5_an_anchor_cannot_be_squatted(port, parties, admin) -> None:  # type: ignore[no-untyped-def]
    shipper = parties[Role.SHIPPER]
    squatter = onboard(port, admin, "VN", Role.SHIPPER)
    invoice = sample_commercial_invoice(invoice_number="INV-" + os.urandom(3).hex())
    port.docs.anchor(invoice.hash(), DocType.PACKING_LIST, sender=squatter.account)  # seen in the mempool
    port.docs.anchor(invoice, sender=shipper.account)
    assert port.docs.anchor_of(invoice, shipper.org_id).doc_type == DocType.COMMERCIAL_INVOICE
    assert {a.issuer for a in port.docs.anchors_of(invoice)} == {squatter.org_id, shipper.org_id}


def test_5_and_6_front_running_an_anchor_or_a_bill_id_takes_nothing(port, parties, admin) -> None:  # type: ignore[no-untyped-def]
    shipper, carrier = parties[Role.SHIPPER], parties[Role.CARRIER]
    squatter = onboard(port, admin, "VN", Role.SHIPPER)
    rival = onboard(port, admin, "SG", Role.CARRIER)
    invoice, document = sample_commercial_invoice(invoice_number="INV-" + os.urandom(3).hex()), os.urandom(32)
    assert same_block(
        port,
        (squatter.account, port.docs, "anchor", (invoice.hash(), int(DocType.PACKING_LIST), bytes(32))),
        (shipper.account, port.docs, "anchor", (invoice.hash(), int(DocType.COMMERCIAL_INVOICE), bytes(32))),
        (rival.account, port.bol, "draft", (document, int(BillKind.TO_ORDER), shipper.org_id, 0)),
        (carrier.account, port.bol, "draft", (document, int(BillKind.TO_ORDER), shipper.org_id, 0)),
    ) == [True, True, True, True]
    assert port.docs.anchor_of(invoice, shipper.org_id).doc_type == DocType.COMMERCIAL_INVOICE
    ours = port.bol.status(_drafted_by(port, document, carrier.org_id))
    assert (ours.carrier, ours.state) == (carrier.org_id, BillState.DRAFT)
    port.bol.approve(ours.id, sender=shipper.account)
    port.bol.issue(ours.id, sender=carrier.account)


def _drafted_by(port: Any, document: bytes, carrier: int) -> bytes:
    (bill,) = [b for b, c in port.bol.bills_drafted_from(document) if c == carrier]
    return bill


def test_6_a_bill_id_is_bound_to_its_carrier(port, parties, admin) -> None:  # type: ignore[no-untyped-def]
    shipper, carrier = parties[Role.SHIPPER], parties[Role.CARRIER]
    rival = onboard(port, admin, "SG", Role.CARRIER)
    document = os.urandom(32)
    squatted = port.bol.draft_from_hash(document, BillKind.TO_ORDER, shipper=shipper.org_id, sender=rival.account)
    bill = port.bol.draft_from_hash(document, BillKind.TO_ORDER, shipper=shipper.org_id, sender=carrier.account)
    assert squatted != bill
    assert (port.bol.status(bill).carrier, port.bol.status(squatted).carrier) == (carrier.org_id, rival.org_id)
    with pytest.raises(InputError, match="several carriers"):
        port.bol.resolve(_as_document(document))


def _as_document(document: bytes) -> bytes:
    from portchain.clients.bill_of_lading import DraftedFrom

    return DraftedFrom(document)


# -- 7. signed endorsements: revocable, bound to the organisation and to the bill's current holding --------------------


def test_7_a_signed_endorsement_can_be_withdrawn(port, parties) -> None:  # type: ignore[no-untyped-def]
    shipper, bank = parties[Role.SHIPPER], parties[Role.BANK]
    bill = issued_bill(port, parties)
    signed = port.bol.sign_endorsement(bill, bank.org_id, signer=shipper.account)
    receipt = port.bol.revoke_endorsement(signed.nonce, sender=shipper.account)
    (event,) = port.bol.events(receipt, "EndorsementRevoked")
    assert (event.args["signer"], event.args["nonce"]) == (shipper.address, signed.nonce)
    with pytest.raises(errors.InvalidAccountNonce) as info:
        port.bol.endorse_by_signature(signed, sender=bank.account)
    assert (info.value.account, info.value.current_nonce) == (shipper.address, signed.nonce + 1)


def test_7_a_signed_endorsement_dies_when_the_bill_moves(port, parties) -> None:  # type: ignore[no-untyped-def]
    shipper, bank, forwarder = parties[Role.SHIPPER], parties[Role.BANK], parties[Role.FORWARDER]
    bill = issued_bill(port, parties)
    signed = port.bol.sign_endorsement(bill, bank.org_id, signer=shipper.account)
    port.bol.transfer(bill, forwarder.org_id, sender=shipper.account)
    port.bol.reject_transfer(bill, sender=forwarder.account)  # back with the signer's organisation
    assert port.bol.status(bill).holder == shipper.org_id
    with pytest.raises(errors.StaleEndorsement) as info:
        port.bol.endorse_by_signature(signed, sender=bank.account)
    assert (info.value.id, info.value.signed_at, info.value.current) == (bill, 0, 2)


def test_7_a_signer_moved_to_another_organisation_takes_no_signature_along(port, parties, admin) -> None:  # type: ignore[no-untyped-def]
    shipper, bank = parties[Role.SHIPPER], parties[Role.BANK]
    bill = issued_bill(port, parties)
    clerk = Account.create()
    port.fund(clerk.address)
    port.registry.add_signer(shipper.org_id, clerk.address, sender=shipper.account)
    port.registry.accept_signer(shipper.org_id, sender=clerk)
    signed = port.bol.sign_endorsement(bill, bank.org_id, signer=clerk)
    port.registry.remove_signer(clerk.address, sender=shipper.account)
    elsewhere = onboard(port, admin, "CN", Role.SHIPPER)
    port.registry.add_signer(elsewhere.org_id, clerk.address, sender=elsewhere.account)
    port.registry.accept_signer(elsewhere.org_id, sender=clerk)
    with pytest.raises(errors.SignerNotOfOrganisation) as info:
        port.bol.endorse_by_signature(signed, sender=bank.account)
    assert (info.value.signer, info.value.named, info.value.actual) == (clerk.address, shipper.org_id, elsewhere.org_id)
    assert port.bol.status(bill).holder == shipper.org_id


# -- 8. one rebate per shipment -------------------------------------------------------------------------------------


def test_8_one_rebate_per_shipment_and_only_to_its_shipper(port, parties, admin) -> None:  # type: ignore[no-untyped-def]
    rebates = port.rebates
    customs_cn, tax_cn = onboard(port, admin, "CN", Role.CUSTOMS), onboard(port, admin, "CN", Role.TAX)
    tax_treasury(port, admin, tax_cn, "CN", 1_000_000 * UNIT)
    exporter, forwarder = parties[Role.SHIPPER], parties[Role.FORWARDER]
    bill = issued_bill(port, parties)
    unshipped = cleared_export(port, customs_cn, exporter, bill)
    with pytest.raises(errors.BillNotShipped) as not_shipped:  # nothing exported yet: no rebate
        rebates.claim(unshipped, bill, os.urandom(32), 1_000 * UNIT, sender=exporter.account)
    assert not_shipped.value.bill == bill
    port.bol.record_milestone(bill, "shipped-on-board", sender=parties[Role.CARRIER].account)
    ours = unshipped
    theirs = cleared_export(port, customs_cn, forwarder, bill)  # a forwarder clears the same goods again
    with pytest.raises(errors.NotExporter) as info:
        rebates.claim(theirs, bill, os.urandom(32), 1_000 * UNIT, sender=forwarder.account)
    assert (info.value.actor, info.value.declarant, info.value.shipper) == (
        forwarder.org_id, forwarder.org_id, exporter.org_id)
    claim = rebates.claim(ours, bill, os.urandom(32), 1_000 * UNIT, sender=exporter.account)
    with pytest.raises(errors.RebateAlreadyClaimed) as twice:
        rebates.claim(ours, bill, os.urandom(32), 1_000 * UNIT, sender=exporter.account)
    assert (twice.value.bill, twice.value.claim_id) == (bill, claim)
    other_bill = issued_bill(port, parties)
    port.bol.record_milestone(other_bill, "shipped-on-board", sender=parties[Role.CARRIER].account)
    with pytest.raises(errors.DeclarationNotOfBill) as not_of_bill:
        rebates.claim(ours, other_bill, os.urandom(32), 1_000 * UNIT, sender=exporter.account)
    assert (not_of_bill.value.declaration, not_of_bill.value.bill) == (ours, other_bill)
    rebates.approve(claim, sender=tax_cn.account)
    assert rebates.claim_of(claim)["status"] == "PAID"


def test_8_front_running_a_rebate_takes_nothing(port, parties, admin) -> None:  # type: ignore[no-untyped-def]
    customs_cn = onboard(port, admin, "CN", Role.CUSTOMS)
    exporter, forwarder = parties[Role.SHIPPER], parties[Role.FORWARDER]
    bill = issued_bill(port, parties)
    ours = cleared_export(port, customs_cn, exporter, bill, parties[Role.CARRIER])
    theirs = cleared_export(port, customs_cn, forwarder, bill)
    payee = forwarder.address
    assert same_block(
        port,
        (forwarder.account, port.rebates, "claim", (theirs, bill, os.urandom(32), 1_000 * UNIT, payee)),
        (exporter.account, port.rebates, "claim", (ours, bill, os.urandom(32), 1_000 * UNIT, exporter.address)),
    ) == [False, True]


# -- 9. duties go where the assessment fixed them -------------------------------------------------------------------


def test_9_duties_cannot_be_redirected_after_assessment(port, parties, admin) -> None:  # type: ignore[no-untyped-def]
    desk = Customs(port, parties, admin)
    c, token = port.customs, port.token
    importer = parties[Role.CONSIGNEE]
    second = onboard(port, admin, "NL", Role.CUSTOMS)
    document = os.urandom(32)
    decl = c.lodge("import", "NL", document, ITEMS, sender=importer.account)
    c.accept(decl, sender=desk.authority.account)
    c.assign_lane(decl, "green", sender=desk.authority.account)
    c.assess(decl, document, ITEMS, sender=desk.authority.account)
    assert c.declaration(decl).treasury == desk.treasury.address
    thief = Account.create()
    port.fund(thief.address)
    with pytest.raises(errors.NotTheAuthority) as info:
        c.nominate_treasury(thief.address, token.address, sender=second.account)
    assert (info.value.org_id, info.value.role, info.value.country, info.value.authority) == (
        second.org_id, Role.CUSTOMS, b"NL", desk.authority.org_id)
    # even the authority's own new treasury applies only to later assessments
    c.nominate_treasury(thief.address, token.address, sender=desk.authority.account)
    c.accept_treasury("NL", sender=thief)
    due = c.amount_due(decl)
    token.mint(importer.address, due, sender=admin)
    token.approve(c.address, due, sender=importer.account)
    c.pay(decl, sender=importer.account)
    assert (token.balance_of(desk.treasury.address), token.balance_of(thief.address)) == (due, 0)


# -- 10. the registrar cannot act for the escrow ----------------------------------------------------------------------


def test_10_the_registrar_cannot_act_for_the_escrow(port, parties, admin) -> None:  # type: ignore[no-untyped-def]
    registry, escrow = port.registry, port.lc.escrow_organisation()
    with pytest.raises(errors.NotASignerOf) as info:
        registry.add_signer(escrow, admin.address, sender=admin)
    assert (info.value.account, info.value.org_id) == (admin.address, escrow)
    for action in (lambda: registry.suspend(escrow, sender=admin), lambda: registry.revoke(escrow, sender=admin),
                   lambda: registry.set_roles(escrow, [Role.CARRIER], sender=admin)):
        with pytest.raises(errors.ContractOrganisation) as locked:
            action()
        assert locked.value.org_id == escrow
    assert registry.signers(escrow) == [port.lc.address]
    # nor can it add signers to any other organisation
    with pytest.raises(errors.NotASignerOf):
        registry.add_signer(parties[Role.BANK].org_id, admin.address, sender=admin)


def test_10_contract_organisations_and_self_managed_signers(port, parties, admin) -> None:  # type: ignore[no-untyped-def]
    registry, bank = port.registry, parties[Role.BANK]
    with pytest.raises(errors.NotAContract) as info:
        registry.onboard_contract("not a contract", "ZZ", ["bank"], bank.address, sender=admin)
    assert info.value.account == bank.address
    with pytest.raises(errors.LastSigner) as last:
        registry.remove_signer(bank.address, sender=bank.account)
    assert (last.value.org_id, last.value.signer) == (bank.org_id, bank.address)
    with pytest.raises(errors.NotASignerOf):
        registry.remove_signer(bank.address, sender=parties[Role.CARRIER].account)
    registry.suspend(bank.org_id, sender=admin)
    with pytest.raises(errors.OrganisationNotActive):
        registry.add_signer(bank.org_id, Account.create().address, sender=bank.account)


# -- authority boundaries ---------------------------------------------------------------------------------------------


def test_designated_authorities(port, parties, admin) -> None:  # type: ignore[no-untyped-def]
    registry = port.registry
    assert registry.authority_of("NL", Role.CUSTOMS) == parties[Role.CUSTOMS].org_id
    assert registry.authority_of("NL", Role.TAX) == parties[Role.TAX].org_id
    second = onboard(port, admin, "NL", Role.CUSTOMS)
    assert registry.authority_of("NL", Role.CUSTOMS) == parties[Role.CUSTOMS].org_id
    with pytest.raises(errors.OrganisationLacksRole):
        registry.designate_authority("NL", Role.CUSTOMS, parties[Role.TAX].org_id, sender=admin)
    with pytest.raises(errors.InvalidCountry):
        registry.designate_authority("CN", Role.CUSTOMS, second.org_id, sender=admin)
    with pytest.raises(errors.AccessControlUnauthorizedAccount):
        registry.designate_authority("NL", Role.CUSTOMS, second.org_id, sender=second.account)
    receipt = registry.designate_authority("NL", Role.CUSTOMS, second.org_id, sender=admin)
    (event,) = registry.events(receipt, "AuthorityDesignated")
    assert (event.args["country"], event.args["role"], event.args["orgId"]) == (b"NL", Role.CUSTOMS, second.org_id)
    with pytest.raises(errors.NotTheAuthority):
        port.customs.set_tariff_rate("8517", 100, sender=parties[Role.CUSTOMS].account)


@pytest.fixture
def rivals(port, admin):  # type: ignore[no-untyped-def]
    """For each role, an organisation of another jurisdiction and a second one of the same country (NL)."""
    return {role: (onboard(port, admin, "DE", role), onboard(port, admin, "NL", role))
            for role in (Role.CUSTOMS, Role.TAX, Role.BANK, Role.CARRIER, Role.PORT_OPERATOR, Role.CONSIGNEE)}


def test_customs_and_tax_powers_belong_to_the_designated_authority(port, parties, admin, rivals) -> None:  # type: ignore[no-untyped-def]
    desk = Customs(port, parties, admin)
    c, token = port.customs, port.token
    importer = parties[Role.CONSIGNEE]
    document = os.urandom(32)
    decl = c.lodge("import", "NL", document, ITEMS, sender=importer.account)
    other_customs, second_customs = rivals[Role.CUSTOMS]
    other_tax, second_tax = rivals[Role.TAX]
    customs_powers: list[Callable[[LocalAccount], Any]] = [
        lambda who: c.accept(decl, sender=who),
        lambda who: c.reject(decl, "no", sender=who),
        lambda who: c.assign_lane(decl, "green", sender=who),
        lambda who: c.record_inspection(decl, "passed", "ok", sender=who),
        lambda who: c.require_amendment(decl, "fix", sender=who),
        lambda who: c.assess(decl, document, ITEMS, sender=who),
        lambda who: c.release(decl, sender=who),
    ]
    for power in customs_powers:
        with pytest.raises(errors.OutsideJurisdiction) as outside:
            power(other_customs.account)
        assert (outside.value.org_country, outside.value.required_country) == (b"DE", b"NL")
        with pytest.raises(errors.NotTheAuthority) as second:
            power(second_customs.account)
        assert (second.value.org_id, second.value.authority) == (second_customs.org_id, desk.authority.org_id)
    # rule-making in one's own jurisdiction: a second organisation of the country is not its authority
    for who, power in (
        (second_customs, lambda w: c.set_tariff_rate("8517", 1, sender=w)),
        (second_customs, lambda w: c.nominate_treasury(w.address, token.address, sender=w)),
        (second_tax, lambda w: c.set_vat_rate(1, sender=w)),
        (second_tax, lambda w: port.rebates.nominate_treasury(w.address, token.address, sender=w)),
    ):
        with pytest.raises(errors.NotTheAuthority):
            power(who.account)
    # the DE authorities are their own country's authorities: they set DE's rates, never NL's
    c.set_tariff_rate("8517", 1, sender=other_customs.account)
    assert c.tariff_rate("NL", "851712") == 500
    assert c.tariff_rate("DE", "851712") == 1


def test_rebate_decisions_belong_to_the_designated_tax_authority(port, parties, admin, rivals) -> None:  # type: ignore[no-untyped-def]
    customs_cn = onboard(port, admin, "CN", Role.CUSTOMS)
    tax_cn = onboard(port, admin, "CN", Role.TAX)
    second_cn = onboard(port, admin, "CN", Role.TAX)
    tax_treasury(port, admin, tax_cn, "CN", 10_000 * UNIT)
    bill = issued_bill(port, parties)
    export = cleared_export(port, customs_cn, parties[Role.SHIPPER], bill, parties[Role.CARRIER])
    claim = port.rebates.claim(export, bill, os.urandom(32), 100 * UNIT, sender=parties[Role.SHIPPER].account)
    for decide in (lambda w: port.rebates.approve(claim, sender=w), lambda w: port.rebates.reject(claim, sender=w)):
        with pytest.raises(errors.OutsideJurisdiction):
            decide(parties[Role.TAX].account)  # the NL tax authority
        with pytest.raises(errors.NotTheAuthority):
            decide(second_cn.account)


def test_credit_bill_and_gate_powers_belong_to_the_named_party(port, parties, admin, rivals) -> None:  # type: ignore[no-untyped-def]
    lc = port.lc
    applicant = funded_applicant(port, parties, admin)
    terms = credit_terms(port, parties)
    port.token.approve(lc.address, terms.amount, sender=applicant)
    credit = lc.apply(terms, sender=applicant)
    for bank in rivals[Role.BANK]:
        for power in (lambda w: lc.issue(credit, sender=w), lambda w: lc.cancel(credit, sender=w)):
            with pytest.raises(errors.NotParty) as info:
                power(bank.account)
            assert info.value.actor == bank.org_id
    lc.issue(credit, sender=parties[Role.BANK].account)
    for bank in rivals[Role.BANK]:
        for power in (lambda w: lc.amend(credit, amount=1, sender=w), lambda w: lc.advise(credit, sender=w)):
            with pytest.raises(errors.NotParty) as not_party:
                power(bank.account)
            assert not_party.value.actor == bank.org_id
    bill = issued_bill(port, parties)
    for carrier in rivals[Role.CARRIER]:
        for power in (lambda w: port.bol.record_milestone(bill, "shipped-on-board", sender=w),
                      lambda w: port.bol.void_draft(bill, sender=w)):
            with pytest.raises(errors.NotCarrier) as not_carrier:
                power(carrier.account)
            assert not_carrier.value.actor == carrier.org_id
    for consignee in rivals[Role.CONSIGNEE]:
        with pytest.raises(errors.NotHolder):
            port.bol.transfer(bill, consignee.org_id, sender=consignee.account)
    # the gate: a code authorised by one terminal is unknown to every other
    desk = Customs(port, parties, admin)
    importer = parties[Role.CONSIGNEE]
    port.bol.endorse(bill, importer.org_id, sender=parties[Role.SHIPPER].account)
    port.bol.surrender_for_delivery(bill, sender=importer.account)
    port.bol.accept_surrender(bill, sender=parties[Role.CARRIER].account)
    declaration = desk.released_import(importer, bill)
    pickup = port.gate.authorise(declaration, bill, "MSKU9070323", sender=parties[Role.PORT_OPERATOR].account)
    for terminal in rivals[Role.PORT_OPERATOR]:
        with pytest.raises(errors.UnknownPickup) as unknown:
            port.gate.verify("MSKU9070323", pickup.code, sender=terminal.account)
        assert unknown.value.code_hash == pickup_code_hash("MSKU9070323", bytes.fromhex(pickup.code[2:]))
    other_nl = rivals[Role.PORT_OPERATOR][1]
    with pytest.raises(errors.OutsideJurisdiction):
        port.gate.authorise(declaration, bill, "MSKU9070323", sender=rivals[Role.PORT_OPERATOR][0].account)
    # a second NL terminal keeps its own codes: it neither sees nor blocks the first one's
    port.gate.authorise(declaration, bill, "MSKU9070323", sender=other_nl.account)
    port.gate.verify("MSKU9070323", pickup.code, sender=parties[Role.PORT_OPERATOR].account)


def test_front_running_a_pickup_code_takes_nothing(port, parties, admin, rivals) -> None:  # type: ignore[no-untyped-def]
    desk = Customs(port, parties, admin)
    importer, operator = parties[Role.CONSIGNEE], parties[Role.PORT_OPERATOR]
    bill = issued_bill(port, parties, consignee=importer.org_id)
    port.bol.transfer(bill, importer.org_id, sender=parties[Role.SHIPPER].account)
    port.bol.surrender_for_delivery(bill, sender=importer.account)
    port.bol.accept_surrender(bill, sender=parties[Role.CARRIER].account)
    declaration = desk.released_import(importer, bill)
    code = os.urandom(32)
    code_hash = pickup_code_hash("MSKU9070323", code)
    container = b"MSKU9070323"
    rival = rivals[Role.PORT_OPERATOR][1]
    assert same_block(
        port,
        (rival.account, port.gate, "authorise", (declaration, bill, container, code_hash)),
        (operator.account, port.gate, "authorise", (declaration, bill, container, code_hash)),
    ) == [True, True]
    port.gate.verify("MSKU9070323", "0x" + code.hex(), sender=operator.account)
    assert port.gate.pickup(operator.org_id, code_hash)["usedAt"] > 0
    assert port.gate.pickup(rival.org_id, code_hash)["usedAt"] == 0


def test_anchor_ids_are_what_presentations_name(port, parties) -> None:  # type: ignore[no-untyped-def]
    invoice = sample_commercial_invoice(invoice_number="INV-" + os.urandom(3).hex())
    shipper = parties[Role.SHIPPER]
    port.docs.anchor(invoice, sender=shipper.account)
    assert port.docs._call("anchorId", invoice.hash(), shipper.org_id) == anchor_id(invoice, shipper.org_id)


def test_registry_status_view(port, parties, admin) -> None:  # type: ignore[no-untyped-def]
    org = parties[Role.INSURER].org_id
    assert port.registry._call("statusOf", org) == OrgStatus.ACTIVE
    assert port.registry._call("statusOf", 9_999) == OrgStatus.NONE
    port.registry.revoke(org, sender=admin)
    assert port.registry._call("statusOf", org) == OrgStatus.REVOKED


# -- a second review: what the first fixes still allowed --------------------------------------------------------------


def test_nobody_can_claim_the_escrows_address_as_its_signer(port, parties, admin) -> None:  # type: ignore[no-untyped-def]
    from eth_utils import keccak, to_checksum_address
    from rlp import encode as rlp_encode

    from portchain._artifacts import load_artifact
    from portchain.clients._base import contract_abi

    deployer = Account.create()
    port.fund(deployer.address)
    predicted = to_checksum_address(keccak(rlp_encode([bytes.fromhex(deployer.address[2:]), 0]))[12:])
    forwarder = parties[Role.FORWARDER]
    # an organisation proposes the escrow's future address as its signer: without the address's own acceptance
    # (a contract that has no such function) it never signs
    port.registry.add_signer(forwarder.org_id, predicted, sender=forwarder.account)
    # the registrar onboards an ordinary organisation with that address as signer: the escrow refuses to work for it
    port.registry.onboard("squatter", "squatter", "NL", [Role.BANK], [predicted], sender=admin)
    args = [port.registry.address, port.bol.address, port.docs.address, port.lc._call("extension")]
    bytecode = bytes.fromhex(load_artifact("LetterOfCredit")["bytecode"][2:])
    code = bytecode + contract_abi("LetterOfCredit").encode_constructor(args)
    deployed = port.layer.send(deployer, None, code).contract_address
    assert deployed == predicted
    squatted = type(port.lc)(port.layer, deployed)
    with pytest.raises(errors.EscrowNotOnboarded) as info:
        squatted._send(parties[Role.SHIPPER].account, "recoverBill", issued_bill(port, parties))
    assert info.value.escrow == deployed
    assert port.registry._call("contractOrganisationOf", deployed) == 0
    assert port.registry._call("contractOrganisationOf", port.lc.address) == port.lc.escrow_organisation()


def test_an_organisation_has_at_most_sixteen_signers(port, parties, admin) -> None:  # type: ignore[no-untyped-def]
    signers = [Account.create().address for _ in range(17)]
    with pytest.raises(errors.TooManySigners) as info:
        port.registry.onboard("crowd", "crowd", "NL", [Role.FORWARDER], signers, sender=admin)
    assert info.value.max == 16
    assert port.registry._call("MAX_SIGNERS") == 16


def test_a_rebate_treasury_pays_only_for_the_authority_it_accepted(port, parties, admin) -> None:  # type: ignore[no-untyped-def]
    customs_cn, tax_cn = onboard(port, admin, "CN", Role.CUSTOMS), onboard(port, admin, "CN", Role.TAX)
    treasury = tax_treasury(port, admin, tax_cn, "CN", 100_000 * UNIT)
    bill = issued_bill(port, parties)
    export = cleared_export(port, customs_cn, parties[Role.SHIPPER], bill, parties[Role.CARRIER])
    claim = port.rebates.claim(export, bill, os.urandom(32), 1_000 * UNIT, sender=parties[Role.SHIPPER].account)
    successor = onboard(port, admin, "CN", Role.TAX)
    port.registry.designate_authority("CN", Role.TAX, successor.org_id, sender=admin)
    with pytest.raises(errors.TreasuryServesAnotherAuthority) as info:
        port.rebates.approve(claim, sender=successor.account)
    assert (info.value.country, info.value.served_authority, info.value.authority) == (b"CN", tax_cn.org_id,
                                                                                       successor.org_id)
    assert port.token.balance_of(treasury.address) == 100_000 * UNIT


def test_a_nomination_lapses_with_its_authority(port, parties, admin) -> None:  # type: ignore[no-untyped-def]
    c, token = port.customs, port.token
    authority = parties[Role.CUSTOMS]
    rogue = Account.create()
    port.fund(rogue.address)
    c.nominate_treasury(rogue.address, token.address, sender=authority.account)
    successor = onboard(port, admin, "NL", Role.CUSTOMS)
    port.registry.designate_authority("NL", Role.CUSTOMS, successor.org_id, sender=admin)
    with pytest.raises(errors.NominationLapsed) as info:
        c.accept_treasury("NL", sender=rogue)
    assert (info.value.country, info.value.nominated_by) == (b"NL", authority.org_id)
    assert c.nominated_treasury_of("NL") == (rogue.address, token.address)  # still on record, never in force


def test_an_assessment_that_cannot_be_paid_can_be_rejected(port, parties, admin) -> None:  # type: ignore[no-untyped-def]
    desk = Customs(port, parties, admin)
    c, importer = port.customs, parties[Role.CONSIGNEE]
    document = os.urandom(32)
    decl = c.lodge("import", "NL", document, ITEMS, sender=importer.account)
    c.accept(decl, sender=desk.authority.account)
    c.assign_lane(decl, "green", sender=desk.authority.account)
    c.assess(decl, document, ITEMS, sender=desk.authority.account)
    c.reject(decl, "the duty token refuses the treasury", sender=desk.authority.account)
    assert c.declaration(decl).status.name == "REJECTED"


def test_an_exporters_vat_invoice_cannot_be_squatted(port, parties, admin) -> None:  # type: ignore[no-untyped-def]
    customs_cn = onboard(port, admin, "CN", Role.CUSTOMS)
    exporter, squatter = parties[Role.SHIPPER], onboard(port, admin, "CN", Role.SHIPPER)
    ours, theirs = issued_bill(port, parties), None
    ours_export = cleared_export(port, customs_cn, exporter, ours, parties[Role.CARRIER])
    theirs = port.bol.draft_from_hash(os.urandom(32), BillKind.TO_ORDER, shipper=squatter.org_id,
                            sender=parties[Role.CARRIER].account)
    port.bol.approve(theirs, sender=squatter.account)
    port.bol.issue(theirs, sender=parties[Role.CARRIER].account)
    theirs_export = cleared_export(port, customs_cn, squatter, theirs, parties[Role.CARRIER])
    invoice = os.urandom(32)
    assert same_block(
        port,
        (squatter.account, port.rebates, "claim", (theirs_export, theirs, invoice, 1, squatter.address)),
        (exporter.account, port.rebates, "claim", (ours_export, ours, invoice, 1_000 * UNIT, exporter.address)),
    ) == [True, True]


def test_a_held_bill_goes_to_the_other_party_once_its_recipient_is_revoked(port, parties, admin) -> None:  # type: ignore[no-untyped-def]
    lc = port.lc
    credit, number, bill = presented(port, parties, admin)
    applicant, bank = parties[Role.CONSIGNEE], parties[Role.BANK]
    port.registry.suspend(applicant.org_id, "audit", sender=admin)
    travel(port, 10 * DAY)
    lc.claim(credit, number, sender=parties[Role.FORWARDER].account)
    assert lc.held_for(bill) == applicant.org_id
    port.registry.revoke(applicant.org_id, "licence withdrawn", sender=admin)
    lc.deliver_held_bill(bill, sender=parties[Role.FORWARDER].account)
    assert port.bol.status(bill).holder == bank.org_id


def test_a_delivery_out_of_the_escrow_is_final(port, parties, admin) -> None:  # type: ignore[no-untyped-def]
    credit, number, bill = presented(port, parties, admin)
    port.lc.honour(credit, number, sender=parties[Role.BANK].account)
    applicant = parties[Role.CONSIGNEE]
    with pytest.raises(errors.DeliveryNotRejectable) as info:
        port.bol.reject_transfer(bill, sender=applicant.account)
    assert (info.value.id, info.value.escrow) == (bill, port.lc.escrow_organisation())
