"""A documentary-credit trade on the session's suite: parties, token, shipped bills, anchored documents.

The applicant approves the credit contract once, up front: each application pulls its escrow from the applicant's
address in the apply transaction itself. Documents come back as ``(document, issuer organisation)`` pairs, the form
a presentation names an anchor by (each organisation anchors in its own name space)."""

from __future__ import annotations

import dataclasses
import os

from eth_account import Account
from eth_utils import keccak

from portchain import BillKind, Role
from portchain.clients.letter_of_credit import CreditTerms
from portchain.documents.trade import (
    DocType,
    sample_certificate_of_origin,
    sample_commercial_invoice,
    sample_insurance_certificate,
    sample_packing_list,
)

DAY = 86_400
UNIT = 10**6  # the settlement token has 6 decimals
ALL_DOCS = [
    DocType.COMMERCIAL_INVOICE, DocType.PACKING_LIST, DocType.CERTIFICATE_OF_ORIGIN, DocType.INSURANCE_CERTIFICATE,
]


class Trade:
    """The parties, token and helpers of one documentary-credit trade."""

    def __init__(self, port, parties, admin) -> None:  # type: ignore[no-untyped-def]
        self.port, self.admin = port, admin
        self.applicant = parties[Role.CONSIGNEE]
        self.beneficiary = parties[Role.SHIPPER]
        self.issuing = parties[Role.BANK]
        self.carrier = parties[Role.CARRIER]
        self.inspector = parties[Role.INSPECTOR]
        self.insurer = parties[Role.INSURER]
        self.advising = self._bank("Bank of Shenzhen", "CN")
        self.confirming = self._bank("Rotterdam Confirming Bank", "NL")
        self.token = port.token
        self.token.mint(self.applicant.address, 10_000_000 * UNIT, sender=admin)
        # before any application: the escrow is pulled when the applicant applies
        self.token.approve(port.lc.address, 2**256 - 1, sender=self.applicant.account)
        self.payee = Account.create().address

    def _bank(self, name: str, country: str):  # type: ignore[no-untyped-def]
        account = Account.create()
        self.port.fund(account.address)
        onboarded = self.port.registry.onboard(
            name, name + " id", country, [Role.BANK], [account.address], sender=self.admin
        )
        return type("Bank", (), {"account": account, "address": account.address, "org_id": onboarded.org_id})

    def now(self) -> int:
        return self.port.layer.block_timestamp()

    def travel(self, seconds: int) -> None:
        self.port.layer.request("evm_increaseTime", [seconds])
        self.port.layer.request("evm_mine", [])

    def terms(self, **overrides) -> CreditTerms:  # type: ignore[no-untyped-def]
        now = self.now()
        base = CreditTerms(
            terms_hash=keccak(os.urandom(8)),
            token=self.token.address,
            amount=100_000 * UNIT,
            beneficiary=self.beneficiary.org_id,
            issuing_bank=self.issuing.org_id,
            expiry=now + 60 * DAY,
            latest_shipment=now + 30 * DAY,
            tolerance_bps=1_000,
            required_documents=ALL_DOCS,
            advising_bank=self.advising.org_id,
            confirming_bank=self.confirming.org_id,
        )
        return dataclasses.replace(base, **overrides)

    def credit(self, **overrides) -> int:  # type: ignore[no-untyped-def]
        """Applied for (the escrow pulled from the applicant) and issued."""
        credit = self.port.lc.apply(self.terms(**overrides), sender=self.applicant.account)
        self.port.lc.issue(credit, sender=self.issuing.account)
        return credit

    def shipped_bill(self, shipped_at: int | None = None) -> bytes:
        """A to-order bill held by the beneficiary, shipped on board; its id is the one `draft` returned."""
        bol = self.port.bol
        bill = bol.draft_from_hash(
            os.urandom(32), BillKind.TO_ORDER, shipper=self.beneficiary.org_id, sender=self.carrier.account
        )
        bol.approve(bill, sender=self.beneficiary.account)
        bol.issue(bill, sender=self.carrier.account)
        bol.record_milestone(bill, "shipped-on-board", shipped_at or self.now() - DAY, sender=self.carrier.account)
        return bill

    def documents(self, bill: bytes, tag: str = "1", kinds=tuple(ALL_DOCS)) -> list:  # type: ignore[no-untyped-def]
        """Each kind anchored by the organisation that issues it; ``(document, issuer org id)`` pairs."""
        makers = {
            DocType.COMMERCIAL_INVOICE:
                (lambda: sample_commercial_invoice(invoice_number=f"INV-{tag}"), self.beneficiary),
            DocType.PACKING_LIST: (lambda: sample_packing_list(packing_list_number=f"PL-{tag}"), self.beneficiary),
            DocType.CERTIFICATE_OF_ORIGIN:
                (lambda: sample_certificate_of_origin(certificate_number=f"CO-{tag}"), self.inspector),
            DocType.INSURANCE_CERTIFICATE:
                (lambda: sample_insurance_certificate(certificate_number=f"INS-{tag}"), self.insurer),
        }
        documents = []
        for kind in kinds:
            make, issuer = makers[kind]
            document = make()
            self.port.docs.anchor(document, subject=bill, sender=issuer.account)
            documents.append((document, issuer.org_id))
        return documents

    def present(self, credit: int, amount: int, bill: bytes | None = None, documents=None, tag: str = "1",  # type: ignore[no-untyped-def]
                accepts_amendment: int = 0) -> int:
        bill = bill or self.shipped_bill()
        documents = self.documents(bill, tag) if documents is None else documents
        return self.port.lc.present(
            credit, amount, documents, bill, payee=self.payee, sender=self.beneficiary.account, bol=self.port.bol,
            accepts_amendment=accepts_amendment,
        )
