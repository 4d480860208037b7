"""Gas per operation, measured once each on a fresh local chain: the product figures of ``portchain gas``.

``BARS`` holds the most gas the issues allow; ``tests/test_gas.py`` checks the report against them.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable

from eth_utils import keccak

from ..clients.bill_of_lading import bill_id_for
from ..config import dev_account
from ..devnet import Party, onboard_parties
from ..port import Port, connect
from ..transactions import Receipt
from ..types import BillKind, Role

# operation -> the most gas it may use (the issues' bars)
BARS: dict[str, int] = {
    "bol.issue": 90_000,
    "bol.transfer": 40_000,
    "bol.endorse": 45_000,
    "bol.surrender": 40_000,
    "bol.accept_surrender": 40_000,
    "bol.batch_issue_per_bill": 60_000,
    "lc.honour": 120_000,
    "doc.anchor": 55_000,
    "customs.lodge": 90_000,
}


def _doc(name: str) -> bytes:
    """A stable stand-in for a transport document's hash, so the report is the same on every run."""
    return keccak(text=f"portchain gas report: {name}")


def measure_gas() -> dict[str, int]:
    """Start Anvil, deploy the suite, run each measured operation once and return ``{operation: gas used}``."""
    report: dict[str, int] = {}
    with tempfile.TemporaryDirectory() as records, connect("anvil", deployments_dir=records, fresh_node=True) as port:
        deployed = port.deploy()
        for name, record in deployed.records.items():
            report[f"deploy.{name}"] = int(record["receipt"]["gasUsed"])
        _registry(port, report)
        parties = onboard_parties(port)
        _bill_of_lading(port, report, parties)
        _letter_of_credit(port, report, parties)
        _customs(port, report, parties)
    return report


def _registry(port: Port, report: dict[str, int]) -> None:
    registry, admin = port.registry, port.deployer
    signer, second = dev_account(18).address, dev_account(19).address
    port.fund(signer)
    onboarded = registry.onboard(
        "Gas Report Line", "GAS-0001", "DK", [Role.CARRIER], [signer], ["NLRTM"], sender=admin
    )
    org = onboarded.org_id
    report["registry.onboard"] = onboarded.receipt.gas_used
    port.fund(second)
    report["registry.add_signer"] = registry.add_signer(org, second, sender=dev_account(18)).gas_used
    report["registry.accept_signer"] = registry.accept_signer(org, sender=dev_account(19)).gas_used
    report["registry.remove_signer"] = registry.remove_signer(second, sender=dev_account(18)).gas_used
    report["registry.set_roles"] = registry.set_roles(org, [Role.CARRIER, Role.FORWARDER], sender=admin).gas_used
    report["registry.set_port"] = registry.set_port(org, "CNSZX", sender=admin).gas_used
    report["registry.suspend"] = registry.suspend(org, "audit pending", sender=admin).gas_used
    report["registry.reinstate"] = registry.reinstate(org, sender=admin).gas_used
    report["registry.revoke"] = registry.revoke(org, "licence withdrawn", sender=admin).gas_used


def _bill_of_lading(port: Port, report: dict[str, int], parties: dict[Role, Party]) -> None:
    carrier, shipper = parties[Role.CARRIER], parties[Role.SHIPPER]
    bank, consignee, forwarder = parties[Role.BANK], parties[Role.CONSIGNEE], parties[Role.FORWARDER]
    bol = port.bol

    def draft(name: str) -> bytes:
        return bol.draft(_doc(name), BillKind.TO_ORDER, shipper=shipper.org_id, sender=carrier.account)

    def gas(operation: str, action: Callable[[], Receipt]) -> None:
        report[operation] = action().gas_used

    report["bol.draft"] = port.layer.send(
        carrier.account, bol.address, bol.abi.function("draft").encode([_doc("bill"), 0, shipper.org_id, 0])
    ).gas_used
    bill = bill_id_for(_doc("bill"), carrier.org_id)
    gas("bol.approve", lambda: bol.approve(bill, sender=shipper.account))
    gas("bol.issue", lambda: bol.issue(bill, sender=carrier.account))
    gas("bol.endorse", lambda: bol.endorse(bill, bank.org_id, sender=shipper.account))
    gas("bol.transfer", lambda: bol.transfer(bill, consignee.org_id, sender=bank.account))
    gas("bol.reject", lambda: bol.reject_transfer(bill, sender=consignee.account))
    gas("bol.blank_endorse", lambda: bol.blank_endorse(bill, sender=bank.account))
    gas("bol.sign", lambda: bol.sign(bill, _doc("attestation"), sender=bank.account))
    gas("bol.surrender", lambda: bol.surrender_for_delivery(bill, sender=bank.account))
    gas("bol.accept_surrender", lambda: bol.accept_surrender(bill, sender=carrier.account))

    relayed = draft("relayed")
    bol.approve(relayed, sender=shipper.account)
    bol.issue(relayed, sender=carrier.account)
    signed = bol.sign_endorsement(relayed, bank.org_id, signer=shipper.account)
    gas("bol.endorse_by_signature", lambda: bol.endorse_by_signature(signed, sender=forwarder.account))
    gas("bol.surrender_for_amendment", lambda: bol.surrender_for_amendment(relayed, "cod", sender=bank.account))
    reissue = draft("reissue")
    gas("bol.amend", lambda: bol.accept_amendment(relayed, reissue, sender=carrier.account))

    batch = [draft(f"batch {i}") for i in range(20)]
    for item in batch:
        bol.approve(item, sender=shipper.account)
    report["bol.batch_issue_per_bill"] = bol.issue_batch(batch, sender=carrier.account).gas_used // len(batch)


def _letter_of_credit(port: Port, report: dict[str, int], parties: dict[Role, Party]) -> None:
    from ..clients.letter_of_credit import CreditTerms
    from ..documents.trade import (
        DocType,
        sample_commercial_invoice,
        sample_packing_list,
    )

    applicant, beneficiary, bank = parties[Role.CONSIGNEE], parties[Role.SHIPPER], parties[Role.BANK]
    carrier, admin, lc, bol = parties[Role.CARRIER], port.deployer, port.lc, port.bol
    token = port.token
    token.mint(applicant.address, 10**12, sender=admin)
    token.approve(lc.address, 2**256 - 1, sender=applicant.account)
    now = port.layer.block_timestamp()

    def shipped_bill(name: str) -> bytes:
        bill = bol.draft(_doc(name), BillKind.TO_ORDER, shipper=beneficiary.org_id, sender=carrier.account)
        bol.approve(bill, sender=beneficiary.account)
        bol.issue(bill, sender=carrier.account)
        bol.record_milestone(bill, "shipped-on-board", now - 86_400, sender=carrier.account)
        return bill

    def credit() -> int:
        terms = CreditTerms(
            terms_hash=_doc(f"terms {len(report)}"), token=token.address, amount=184_000 * 10**6,
            beneficiary=beneficiary.org_id, issuing_bank=bank.org_id, expiry=now + 60 * 86_400,
            latest_shipment=now + 30 * 86_400, tolerance_bps=1_000,
            required_documents=[DocType.COMMERCIAL_INVOICE, DocType.PACKING_LIST],
        )
        return lc.apply(terms, sender=applicant.account)

    invoice, packing = sample_commercial_invoice(), sample_packing_list()
    bill = shipped_bill("lc bill")
    report["doc.anchor"] = port.docs.anchor(invoice, subject=bill, sender=beneficiary.account).gas_used
    port.docs.anchor(packing, subject=bill, sender=beneficiary.account)

    first = credit()
    report["lc.apply"] = _last_gas(port)
    report["lc.issue"] = lc.issue(first, sender=bank.account).gas_used
    # a fresh payee: its first token balance costs a new storage slot, the dearest case
    payee = dev_account(17).address
    documents = [(invoice, beneficiary.org_id), (packing, beneficiary.org_id)]
    number = lc.present(first, 184_000 * 10**6, documents, bill, payee=payee, sender=beneficiary.account, bol=bol)
    report["lc.present"] = _last_gas(port)
    report["lc.honour"] = lc.honour(first, number, sender=bank.account).gas_used

    second = credit()
    lc.issue(second, sender=bank.account)
    discrepant = shipped_bill("lc discrepant bill")
    number = lc.present(
        second, 184_000 * 10**6, documents[:1], discrepant, payee=payee, sender=beneficiary.account, bol=bol
    )
    report["lc.refuse"] = lc.refuse(second, number, "missing-document", sender=bank.account).gas_used
    report["lc.waive"] = lc.waive(second, number, sender=applicant.account).gas_used


def _customs(port: Port, report: dict[str, int], parties: dict[Role, Party]) -> None:
    from ..clients.customs import Item

    customs, gate, rebates, token, admin = port.customs, port.gate, port.rebates, port.token, port.deployer
    authority, tax, operator = parties[Role.CUSTOMS], parties[Role.TAX], parties[Role.PORT_OPERATOR]
    importer, exporter, carrier = parties[Role.CONSIGNEE], parties[Role.SHIPPER], parties[Role.CARRIER]
    treasury = dev_account(16)
    port.fund(treasury.address)
    customs.nominate_treasury(treasury.address, token.address, sender=authority.account)
    customs.accept_treasury("NL", sender=treasury)
    for code, rate in (("851712", 0), ("847130", 0), ("8504", 270)):
        customs.set_tariff_rate(code, rate, sender=authority.account)
    customs.set_vat_rate(2_100, sender=tax.account)
    token.mint(importer.address, 10**12, sender=admin)
    token.approve(customs.address, 2**256 - 1, sender=importer.account)

    bol = port.bol
    bill = bol.draft(_doc("customs bill"), BillKind.TO_ORDER, shipper=exporter.org_id, consignee=importer.org_id,
                     sender=carrier.account)
    bol.approve(bill, sender=exporter.account)
    bol.issue(bill, sender=carrier.account)

    # the export side: the Chinese exporter's declaration cleared by the Chinese customs, the goods shipped on board
    cn_customs, cn_tax = dev_account(14), dev_account(15)
    for account, role, name in ((cn_customs, Role.CUSTOMS, "China Customs"), (cn_tax, Role.TAX, "China Tax")):
        port.fund(account.address)
        port.registry.onboard(name, name, "CN", [role], [account.address], sender=admin)
    items = [Item("851712", 120_000 * 10**6, "CN"), Item("847130", 60_000 * 10**6, "CN"),
             Item("850440", 4_000 * 10**6, "CN")]
    export = customs.lodge("export", "CN", _doc("export declaration"), items, bill=bill, sender=exporter.account)
    customs.accept(export, sender=cn_customs)
    customs.assign_lane(export, "green", sender=cn_customs)
    customs.release(export, sender=cn_customs)
    bol.record_milestone(bill, "shipped-on-board", sender=carrier.account)

    bol.transfer(bill, importer.org_id, sender=exporter.account)
    bol.surrender_for_delivery(bill, sender=importer.account)
    bol.accept_surrender(bill, sender=carrier.account)

    document = _doc("import declaration")
    declaration = customs.lodge("import", "NL", document, items, ucr="26NLMAEU245601234", bill=bill,
                                sender=importer.account)
    report["customs.lodge"] = _last_gas(port)
    report["customs.accept"] = customs.accept(declaration, sender=authority.account).gas_used
    customs.assign_lane(declaration, "green", sender=authority.account)
    report["customs.assess"] = customs.assess(declaration, document, items, sender=authority.account).gas_used
    report["customs.pay"] = customs.pay(declaration, sender=importer.account).gas_used
    report["customs.release"] = customs.release(declaration, sender=authority.account).gas_used
    pickup = gate.authorise(declaration, bill, "MSKU9070323", sender=operator.account)
    report["gate.authorise"] = pickup.receipt.gas_used
    report["gate.verify"] = gate.verify("MSKU9070323", pickup.code, sender=operator.account).gas_used

    # the exporter's VAT rebate for the shipment
    rebates.claim(export, bill, _doc("vat invoice"), 23_400 * 10**6, sender=exporter.account)
    report["tax.rebate_claim"] = _last_gas(port)


def _last_gas(port: Port) -> int:
    """Gas of the transaction just sent (for calls that return an id rather than a receipt)."""
    assert port.layer.last_receipt is not None
    return port.layer.last_receipt.gas_used
