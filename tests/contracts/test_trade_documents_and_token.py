"""TradeDocuments (anchoring by the issuing role) and SettlementToken (faucet, permit): every refusal."""

from __future__ import annotations

import os

import pytest
from eth_account import Account

from portchain import Role, errors
from portchain.clients.trade_documents import anchor_id
from portchain.documents.trade import (
    DocType,
    sample_certificate_of_origin,
    sample_commercial_invoice,
    sample_inspection_certificate,
    sample_insurance_certificate,
    sample_packing_list,
)


@pytest.mark.parametrize(
    "make, role",
    [
        (sample_commercial_invoice, Role.SHIPPER),
        (sample_packing_list, Role.SHIPPER),
        (sample_certificate_of_origin, Role.INSPECTOR),
        (sample_insurance_certificate, Role.INSURER),
        (sample_inspection_certificate, Role.INSPECTOR),
    ],
)
def test_each_document_is_anchored_by_its_issuing_role(port, parties, make, role) -> None:  # type: ignore[no-untyped-def]
    document = make()
    subject = os.urandom(32)
    receipt = port.docs.anchor(document, subject=subject, sender=parties[role].account)
    anchor = port.docs.anchor_of(document, parties[role].org_id)
    assert (anchor.doc_type, anchor.issuer) == (document.doc_type, parties[role].org_id)
    (event,) = port.docs.events(receipt, "DocumentAnchored")
    assert event.args["subject"] == subject
    assert port.docs.verify(document) == anchor == port.docs.verify(document, parties[role].org_id)
    assert port.docs.anchors_of(document) == [anchor]
    wrong = parties[Role.CARRIER]
    with pytest.raises(errors.WrongIssuerRole) as info:
        port.docs.anchor(make(**_other(document)), sender=wrong.account)
    assert (info.value.doc_type, info.value.issuer, info.value.required_role) == (document.doc_type, wrong.org_id, role)


def _other(document):  # type: ignore[no-untyped-def]
    """Overrides that make a different document of the same type."""
    field = {
        DocType.COMMERCIAL_INVOICE: "invoice_number",
        DocType.PACKING_LIST: "packing_list_number",
    }.get(document.doc_type, "certificate_number")
    return {field: "OTHER-" + os.urandom(3).hex()}


def test_anchor_refusals(port, parties) -> None:  # type: ignore[no-untyped-def]
    shipper = parties[Role.SHIPPER]
    invoice = sample_commercial_invoice()
    port.docs.anchor(invoice, sender=shipper.account)
    with pytest.raises(errors.DocumentAlreadyAnchored) as twice:
        port.docs.anchor(invoice, sender=shipper.account)
    assert (twice.value.document_hash, twice.value.issuer) == (invoice.hash(), shipper.org_id)
    with pytest.raises(errors.ZeroDocumentHash):
        port.docs._send(shipper.account, "anchor", bytes(32), 0, bytes(32))
    missing = os.urandom(32)
    with pytest.raises(errors.DocumentNotAnchored) as info:
        port.docs.anchor_of(missing, shipper.org_id)
    assert info.value.anchor_id == anchor_id(missing, shipper.org_id)
    assert port.docs.verify(missing) is None
    # anchored by the shipper is not anchored by the forwarder
    with pytest.raises(errors.DocumentNotAnchored):
        port.docs.anchor_of(invoice, parties[Role.FORWARDER].org_id)
    with pytest.raises(errors.NotASigner):
        port.docs.anchor(sample_packing_list(), sender=Account.create())


def test_faucet_and_permit(port, parties, admin) -> None:  # type: ignore[no-untyped-def]
    token, owner = port.token, parties[Role.CONSIGNEE].account
    assert (token.decimals, token.symbol) == (6, "pUSD")
    token.mint(owner.address, 5 * 10**6, sender=admin)
    with pytest.raises(errors.AccessControlUnauthorizedAccount) as not_faucet:
        token.mint(owner.address, 1, sender=owner)
    assert not_faucet.value.account == owner.address
    spender = parties[Role.BANK].account
    now = port.layer.block_timestamp()
    permit = token.sign_permit(owner, spender.address, 10**6, now + 600)
    token._send(spender, "permit", owner.address, spender.address, 10**6, permit.deadline, permit.v, permit.r, permit.s)
    assert token.allowance(owner.address, spender.address) == 10**6
    with pytest.raises(errors.ERC2612InvalidSigner):  # replayed: the nonce moved on
        token._send(
            spender, "permit", owner.address, spender.address, 10**6, permit.deadline, permit.v, permit.r, permit.s
        )
    stale = token.sign_permit(owner, spender.address, 10**6, now - 1)
    with pytest.raises(errors.ERC2612ExpiredSignature) as expired:
        token._send(spender, "permit", owner.address, spender.address, 10**6, stale.deadline, stale.v, stale.r, stale.s)
    assert expired.value.deadline == now - 1
    with pytest.raises(errors.ERC20InsufficientBalance) as poor:
        token.transfer(spender.address, 6 * 10**6, sender=owner)
    assert (poor.value.balance, poor.value.needed) == (5 * 10**6, 6 * 10**6)
