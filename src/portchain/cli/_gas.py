"""Gas per operation, measured once each on a fresh local chain: the product figures of ``portchain gas``.

Every operation is an action of :data:`portchain.actions.ACTIONS`, performed as the scenarios and the CLI perform it.
``BARS`` holds the most gas the issues allow; ``tests/test_gas.py`` checks the report against them.
"""

from __future__ import annotations

import tempfile
from typing import Any

from eth_account.signers.local import LocalAccount
from eth_hash.auto import keccak

from ..actions import ACTIONS, Funding, Outcome
from ..config import dev_account
from ..devnet import Party, onboard_parties
from ..documents import sample_transport_document
from ..node import AnvilNode
from ..port import Port, connect
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

DAY = 86_400
UNIT = 10**6  # one settlement token, in base units
# The harness's chain starts at 2030-01-01T00:00:00Z (its genesis just before, so the date is always ahead of it) and
# moves one second a block; with a fixed pick-up code, every calldata byte (a zero costs 4 gas, another 16) repeats.
GAS_EPOCH = 1_893_456_000
PICKUP_CODE = "0x" + "5a" * 32


def _doc(name: str) -> bytes:
    """A stable stand-in for a document's hash, so the report is the same on every run."""
    return bytes(keccak(f"portchain gas report: {name}".encode()))


class _Harness:
    """Performs actions on one port and records the gas of those measured."""

    def __init__(self, port: Port) -> None:
        self.port = port
        self.report: dict[str, int] = {}

    def act(self, action: str, signer: LocalAccount, /, **values: Any) -> Outcome:
        return ACTIONS[action].run(self.port, signer, values)

    def measure(
        self, action: str, signer: LocalAccount, /, *, operation: str | None = None, **values: Any
    ) -> Outcome:
        """Perform ``action`` and record its gas as ``operation`` (default: the action's name)."""
        outcome = self.act(action, signer, **values)
        self.report[operation or action] = outcome.tx.gas_used
        return outcome


def measure_gas() -> dict[str, int]:
    """Start Anvil, deploy the suite, run each measured operation once and return ``{operation: gas used}``."""
    genesis = ["--timestamp", str(GAS_EPOCH - 60)]
    with tempfile.TemporaryDirectory() as records, AnvilNode.start(extra_args=genesis) as node, connect(
        "anvil", rpc_url=node.rpc_url, deployments_dir=records
    ) as port:
        port.layer.request("anvil_setBlockTimestampInterval", [1])
        port.layer.request("evm_setNextBlockTimestamp", [GAS_EPOCH])
        harness = _Harness(port)
        deployed = port.deploy()
        for name, record in deployed.records.items():
            harness.report[f"deploy.{name}"] = int(record["receipt"]["gasUsed"])
        _registry(harness)
        parties = onboard_parties(port)
        _bill_of_lading(harness, parties)
        _letter_of_credit(harness, parties)
        _customs(harness, parties)
    return harness.report


def _registry(harness: _Harness) -> None:
    port, admin = harness.port, harness.port.deployer
    signer, second = dev_account(18), dev_account(19)
    port.fund(signer.address)
    org = harness.measure("registry.onboard", admin, name="Gas Report Line", registration_id="GAS-0001", country="DK",
                          roles=[Role.CARRIER], signers=[signer.address], ports=["NLRTM"]).number
    port.fund(second.address)
    harness.measure("registry.add_signer", signer, organisation=org, signer=second.address)
    harness.measure("registry.accept_signer", second, organisation=org)
    harness.measure("registry.remove_signer", signer, signer=second.address)
    harness.measure("registry.set_roles", admin, organisation=org, roles=[Role.CARRIER, Role.FORWARDER])
    harness.measure("registry.set_port", admin, organisation=org, port="CNSZX")
    harness.measure("registry.add_party_codes", admin, organisation=org,
                    codes=["GLEIF:9845PCGASREPORT00077", "SMDG:GRL"])
    harness.measure("registry.remove_party_code", admin, code="SMDG:GRL")
    harness.measure("registry.suspend", admin, organisation=org, reason="audit pending")
    harness.measure("registry.reinstate", admin, organisation=org)
    harness.measure("registry.revoke", admin, organisation=org, reason="licence withdrawn")


def _issued_bill(harness: _Harness, parties: dict[Role, Party], name: str, **consignee: int) -> bytes:
    """A bill drafted from document ``name``, approved by the shipper and issued."""
    carrier, shipper = parties[Role.CARRIER].account, parties[Role.SHIPPER]
    bill = harness.act("bol.draft_hash", carrier, document_hash=_doc(name), kind=BillKind.TO_ORDER,
                       shipper=shipper.org_id, **consignee).id
    harness.act("bol.approve", shipper.account, bill=bill)
    harness.act("bol.issue", carrier, bill=bill)
    return bill


def _bill_of_lading(harness: _Harness, parties: dict[Role, Party]) -> None:
    carrier, shipper = parties[Role.CARRIER], parties[Role.SHIPPER]
    bank, consignee, forwarder = parties[Role.BANK], parties[Role.CONSIGNEE], parties[Role.FORWARDER]
    measure = harness.measure

    # the SDK's sample DCSA document: its kind and parties follow from the document and the registry's codes
    bill = measure("bol.draft", carrier.account, bill=sample_transport_document()).id
    measure("bol.approve", shipper.account, bill=bill)
    measure("bol.issue", carrier.account, bill=bill)
    measure("bol.endorse", shipper.account, bill=bill, to=bank.org_id)
    measure("bol.transfer", bank.account, bill=bill, to=consignee.org_id)
    measure("bol.reject", consignee.account, bill=bill)
    measure("bol.blank_endorse", bank.account, bill=bill)
    measure("bol.sign", bank.account, bill=bill, attestation=_doc("attestation"))
    measure("bol.surrender", bank.account, bill=bill)
    measure("bol.accept_surrender", carrier.account, bill=bill)

    relayed = _issued_bill(harness, parties, "relayed")
    signed = harness.port.bol.sign_endorsement(relayed, bank.org_id, signer=shipper.account)  # off-chain
    measure("bol.endorse_by_signature", forwarder.account, endorsement=signed)
    measure("bol.amend", bank.account, operation="bol.surrender_for_amendment", bill=relayed, reason="cod")
    reissue = harness.act("bol.draft_hash", carrier.account, document_hash=_doc("reissue"), kind=BillKind.TO_ORDER,
                          shipper=shipper.org_id).id
    measure("bol.accept_amendment", carrier.account, operation="bol.amend", bill=relayed, replacement=reissue)

    batch = [harness.act("bol.draft_hash", carrier.account, document_hash=_doc(f"batch {i}"),
                         kind=BillKind.TO_ORDER, shipper=shipper.org_id).id for i in range(20)]
    for item in batch:
        harness.act("bol.approve", shipper.account, bill=item)
    issued = harness.act("bol.issue_batch", carrier.account, bills=batch)
    harness.report["bol.batch_issue_per_bill"] = issued.tx.gas_used // len(batch)


def _letter_of_credit(harness: _Harness, parties: dict[Role, Party]) -> None:
    from ..documents.trade import sample_commercial_invoice, sample_packing_list

    applicant, beneficiary, bank = parties[Role.CONSIGNEE], parties[Role.SHIPPER], parties[Role.BANK]
    port, carrier, measure = harness.port, parties[Role.CARRIER], harness.measure
    harness.act("token.mint", port.deployer, to=applicant.address, amount=10**12)
    harness.act("token.approve", applicant.account, spender=port.lc.address, amount=2**256 - 1)
    now = port.layer.block_timestamp()

    def shipped_bill(name: str) -> bytes:
        bill = _issued_bill(harness, parties, name)
        harness.act("bol.milestone", carrier.account, bill=bill, milestone="shipped-on-board", date=now - DAY)
        return bill

    def credit(*, measured: bool = False) -> int:
        apply = measure if measured else harness.act
        return apply("lc.apply", applicant.account, terms=_doc(f"terms {len(harness.report)}"),
                     amount=184_000 * UNIT, beneficiary=beneficiary.org_id, issuing_bank=bank.org_id,
                     expiry=now + 60 * DAY, latest_shipment=now + 30 * DAY, tolerance_bps=1_000,
                     documents="commercial-invoice,packing-list", funding=Funding.ALLOWANCE).number

    invoice, packing = sample_commercial_invoice(), sample_packing_list()
    bill = shipped_bill("lc bill")
    measure("doc.anchor", beneficiary.account, document=invoice, subject=bill)
    harness.act("doc.anchor", beneficiary.account, document=packing, subject=bill)

    first = credit(measured=True)
    measure("lc.issue", bank.account, credit=first)
    # a fresh payee: its first token balance costs a new storage slot, the dearest case
    payee = dev_account(17).address
    documents = [(invoice, beneficiary.org_id), (packing, beneficiary.org_id)]
    number = measure("lc.present", beneficiary.account, credit=first, amount=184_000 * UNIT, bill=bill,
                     documents=documents, payee=payee).number
    measure("lc.honour", bank.account, credit=first, presentation=number)

    second = credit()
    harness.act("lc.issue", bank.account, credit=second)
    discrepant = shipped_bill("lc discrepant bill")
    number = harness.act("lc.present", beneficiary.account, credit=second, amount=184_000 * UNIT, bill=discrepant,
                         documents=documents[:1], payee=payee).number
    measure("lc.refuse", bank.account, credit=second, presentation=number, discrepancies="missing-document")
    measure("lc.waive", applicant.account, credit=second, presentation=number)


def _customs(harness: _Harness, parties: dict[Role, Party]) -> None:
    from ..clients.customs import Item

    port, admin, act, measure = harness.port, harness.port.deployer, harness.act, harness.measure
    authority, tax, operator = parties[Role.CUSTOMS], parties[Role.TAX], parties[Role.PORT_OPERATOR]
    importer, exporter, carrier = parties[Role.CONSIGNEE], parties[Role.SHIPPER], parties[Role.CARRIER]
    treasury = dev_account(16)
    port.fund(treasury.address)
    act("customs.set_treasury", authority.account, treasury=treasury)
    for code, rate in (("851712", 0), ("847130", 0), ("8504", 270)):
        act("customs.set_tariff", authority.account, code=code, rate_bps=rate)
    act("customs.set_vat", tax.account, rate_bps=2_100)
    act("token.mint", admin, to=importer.address, amount=10**12)
    act("token.approve", importer.account, spender=port.customs.address, amount=2**256 - 1)
    bill = _issued_bill(harness, parties, "customs bill", consignee=importer.org_id)

    # the export side: the Chinese exporter's declaration cleared by the Chinese customs, the goods shipped on board
    cn_customs, cn_tax = dev_account(14), dev_account(15)
    for account, role, name in ((cn_customs, Role.CUSTOMS, "China Customs"), (cn_tax, Role.TAX, "China Tax")):
        port.fund(account.address)
        act("registry.onboard", admin, name=name, registration_id=name, country="CN", roles=[role],
            signers=[account.address])
    items = [Item("851712", 120_000 * UNIT, "CN"), Item("847130", 60_000 * UNIT, "CN"),
             Item("850440", 4_000 * UNIT, "CN")]
    export = act("customs.lodge", exporter.account, declaration=_doc("export declaration"), kind="export",
                 country="CN", items=items, bill=bill).id
    act("customs.accept", cn_customs, declaration=export)
    act("customs.lane", cn_customs, declaration=export, lane="green")
    act("customs.release", cn_customs, declaration=export)
    act("bol.milestone", carrier.account, bill=bill, milestone="shipped-on-board")

    act("bol.transfer", exporter.account, bill=bill, to=importer.org_id)
    act("bol.surrender", importer.account, bill=bill)
    act("bol.accept_surrender", carrier.account, bill=bill)

    document = _doc("import declaration")
    declaration = measure("customs.lodge", importer.account, declaration=document, kind="import", country="NL",
                          items=items, ucr="26NLMAEU245601234", bill=bill).id
    measure("customs.accept", authority.account, declaration=declaration)
    act("customs.lane", authority.account, declaration=declaration, lane="green")
    measure("customs.assess", authority.account, declaration=declaration, document=document, items=items)
    measure("customs.pay", importer.account, declaration=declaration, funding=Funding.ALLOWANCE)
    measure("customs.release", authority.account, declaration=declaration)
    code = measure("gate.authorise", operator.account, declaration=declaration, bill=bill,
                   container="MSKU9070323", code=PICKUP_CODE).text
    measure("gate.verify", operator.account, container="MSKU9070323", code=code)

    # the exporter's VAT rebate for the shipment
    measure("tax.rebate_claim", exporter.account, declaration=export, bill=bill, invoice=_doc("vat invoice"),
            amount=23_400 * UNIT)
