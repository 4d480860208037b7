"""Customs, CargoRelease and VatRebates on a real Anvil: declarations, duties to the unit, release, the gate, the
export side and every refusal with its decoded exception."""

from __future__ import annotations

import os

import pytest
from eth_account import Account

from portchain import BillKind, Role, errors
from portchain.clients.cargo_release import pickup_code_hash
from portchain.clients.customs import Item, compute_duties
from portchain.types import (
    DeclarationKind,
    DeclarationStatus,
    InspectionResult,
    ItemField,
    Lane,
    OrgStatus,
)

UNIT = 10**6
ZERO_ADDRESS = "0x" + "00" * 20
REVOKED = 2**40 - 1  # a revoked pick-up's usedAt

# Hand-computed (see test_duty_and_vat_match_hand_computed_values): footwear 8%, T-shirts 12%, phones zero-rated.
ITEMS = [Item("640399", 12_345_678, "VN"), Item("610910", 5_000_005, "BD"), Item("851712", 100_000_000, "CN")]


class Border:
    """Dutch customs, tax and terminal, plus the Chinese customs and tax authorities of the export side (the first
    of their role in China, so designated as its authorities)."""

    def __init__(self, port, parties, admin) -> None:  # type: ignore[no-untyped-def]
        self.port, self.admin = port, admin
        self.customs, self.tax = parties[Role.CUSTOMS], parties[Role.TAX]
        self.operator, self.carrier = parties[Role.PORT_OPERATOR], parties[Role.CARRIER]
        self.importer, self.exporter = parties[Role.CONSIGNEE], parties[Role.SHIPPER]
        self.forwarder = parties[Role.FORWARDER]
        self.customs_cn = self._org("China Customs, Shenzhen", "CN", Role.CUSTOMS)
        self.tax_cn = self._org("State Taxation Administration, Shenzhen", "CN", Role.TAX)
        self.operator_cn = self._org("Shenzhen Yantian Terminal", "CN", Role.PORT_OPERATOR)
        self.treasury = self._account()
        self.token = port.token
        c = port.customs
        c.nominate_treasury(self.treasury.address, self.token.address, sender=self.customs.account)
        c.accept_treasury("NL", sender=self.treasury)
        c.set_tariff_rate("6403", 800, sender=self.customs.account)       # a heading's rate
        c.set_tariff_rate("610910", 1_200, sender=self.customs.account)   # a subheading's rate
        c.set_tariff_rate("8517", 1_400, sender=self.customs.account)     # overridden by the subheading below
        c.set_tariff_rate("851712", 0, sender=self.customs.account)       # zero-rated
        c.set_vat_rate(2_100, sender=self.tax.account)
        self.token.mint(self.importer.address, 10**9 * UNIT, sender=admin)
        self.token.approve(c.address, 2**256 - 1, sender=self.importer.account)

    def _account(self):  # type: ignore[no-untyped-def]
        account = Account.create()
        self.port.fund(account.address)
        return account

    def _org(self, name: str, country: str, role: Role):  # type: ignore[no-untyped-def]
        account = self._account()
        org = self.port.registry.onboard(name, name, country, [role], [account.address], sender=self.admin).org_id
        return type("Org", (), {"account": account, "address": account.address, "org_id": org})

    def bill(self, accomplished: bool = False) -> bytes:
        """A to-order bill of the exporter made out to the order of the importer; accomplished: the importer
        surrendered it and the carrier accepted."""
        bol = self.port.bol
        bill = bol.draft_from_hash(os.urandom(32), BillKind.TO_ORDER, shipper=self.exporter.org_id,
                         consignee=self.importer.org_id, sender=self.carrier.account)
        bol.approve(bill, sender=self.exporter.account)
        bol.issue(bill, sender=self.carrier.account)
        if accomplished:
            bol.transfer(bill, self.importer.org_id, sender=self.exporter.account)
            bol.surrender_for_delivery(bill, sender=self.importer.account)
            bol.accept_surrender(bill, sender=self.carrier.account)
        return bill

    def import_declaration(self, bill: bytes | None = None, items=ITEMS, lane: Lane | None = Lane.GREEN,  # type: ignore[no-untyped-def]
                           declarant=None) -> tuple[bytes, bytes]:
        document = os.urandom(32)
        decl = self.port.customs.lodge("import", "NL", document, items, ucr="26NL-MAEU245601234", bill=bill,
                                       sender=(declarant or self.importer).account)
        self.port.customs.accept(decl, sender=self.customs.account)
        if lane is not None:
            self.port.customs.assign_lane(decl, lane, sender=self.customs.account)
        return decl, document

    def released_import(self, bill: bytes, declarant=None) -> bytes:  # type: ignore[no-untyped-def]
        c = self.port.customs
        decl, document = self.import_declaration(bill, declarant=declarant)
        c.assess(decl, document, ITEMS, sender=self.customs.account)
        c.pay(decl, sender=self.importer.account)  # anyone may pay
        c.release(decl, sender=self.customs.account)
        return decl

    def cleared_export(self, bill: bytes | None, declarant=None, ship: bool = False) -> bytes:  # type: ignore[no-untyped-def]
        """An export declaration lodged in China (by the exporter unless ``declarant``), linked to ``bill``, and
        released by China's customs; with ``ship``, the carrier then records the bill shipped on board."""
        c = self.port.customs
        decl = c.lodge("export", "CN", os.urandom(32), ITEMS, bill=bill, sender=(declarant or self.exporter).account)
        c.accept(decl, sender=self.customs_cn.account)
        c.assign_lane(decl, "green", sender=self.customs_cn.account)
        c.release(decl, sender=self.customs_cn.account)
        if ship:
            self.port.bol.record_milestone(bill, "shipped-on-board", sender=self.carrier.account)
        return decl

    def rebate_treasury(self):  # type: ignore[no-untyped-def]
        """China's tax authority nominates a funded treasury, which accepts and approves the rebate contract."""
        rebates = self.port.rebates
        treasury = self._account()
        self.token.mint(treasury.address, 10**6 * UNIT, sender=self.admin)
        self.token.approve(rebates.address, 2**256 - 1, sender=treasury)
        rebates.nominate_treasury(treasury.address, self.token.address, sender=self.tax_cn.account)
        rebates.accept_treasury("CN", sender=treasury)
        return treasury


@pytest.fixture
def border(port, parties, admin) -> Border:  # type: ignore[no-untyped-def]
    return Border(port, parties, admin)


# -- import: duties, payment, release, the gate -----------------------------------------------------------------------


def test_duty_and_vat_match_hand_computed_values(border: Border) -> None:
    # 12,345,678 x 8%  =  987,654.24 ->    987,654
    #  5,000,005 x 12% =  600,000.60 ->    600,001   (half up)
    # 100,000,000 x 0% =          0  ->          0   (a zero-rated item)
    # duty 1,587,655; VAT (117,345,683 + 1,587,655) x 21% = 24,976,000.98 -> 24,976,001
    assert compute_duties(ITEMS, {"6403": 800, "610910": 1_200, "851712": 0}, 2_100) == (1_587_655, 24_976_001)
    assert border.port.customs.expected_duties("NL", "import", ITEMS) == (1_587_655, 24_976_001)
    assert border.port.customs.quote("NL", "import", ITEMS) == (1_587_655, 24_976_001)
    decl, document = border.import_declaration()
    border.port.customs.assess(decl, document, ITEMS, sender=border.customs.account)
    view = border.port.customs.declaration(decl)
    assert (view.status, view.duty, view.vat) == (DeclarationStatus.ASSESSED, 1_587_655, 24_976_001)
    assert (view.treasury, view.token) == (border.treasury.address, border.token.address)  # fixed by the assessment
    assert border.port.customs.amount_due(decl) == 26_563_656


def test_a_single_zero_rated_item_pays_vat_only(border: Border) -> None:
    phones = [Item("8517.12.00", 250_000_001, "CN")]  # 10-digit national code: the first 6 digits count
    assert border.port.customs.expected_duties("NL", "import", phones) == (0, 52_500_000)  # 52,500,000.21
    decl, document = border.import_declaration(items=phones)
    border.port.customs.assess(decl, document, phones, sender=border.customs.account)
    assert border.port.customs.amount_due(decl) == 52_500_000


def test_nothing_due_counts_as_paid(border: Border) -> None:
    border.port.customs.set_vat_rate(0, sender=border.tax.account)
    phones = [Item("851712", 1_000 * UNIT, "CN")]
    decl, document = border.import_declaration(items=phones)
    border.port.customs.assess(decl, document, phones, sender=border.customs.account)
    assert border.port.customs.declaration(decl).status == DeclarationStatus.PAID
    border.port.customs.release(decl, sender=border.customs.account)


def test_import_paid_released_and_picked_up_once(border: Border) -> None:
    c, gate = border.port.customs, border.port.gate
    bill = border.bill(accomplished=True)
    decl, document = border.import_declaration(bill)
    assert c.declaration_of_bill(bill, "import", border.importer.org_id) == decl
    c.assess(decl, document, ITEMS, sender=border.customs.account)
    with pytest.raises(errors.InvalidDeclarationStatus) as early:
        c.release(decl, sender=border.customs.account)  # release before payment
    assert (early.value.id, early.value.current) == (decl, DeclarationStatus.ASSESSED)
    c.pay(decl, sender=border.importer.account)
    assert border.token.balance_of(border.treasury.address) == 26_563_656
    c.release(decl, sender=border.customs.account)
    assert c.declaration(decl).status == DeclarationStatus.RELEASED

    operator = border.operator.org_id
    pickup = gate.authorise(decl, bill, "MSKU9070323", sender=border.operator.account)
    assert pickup.code_hash == pickup_code_hash("MSKU9070323", bytes.fromhex(pickup.code[2:]))
    shown = gate.pickup(operator, pickup.code_hash)
    assert (shown["container"], shown["operator"], shown["usedAt"], shown["declaration"]) == (
        "MSKU9070323", operator, 0, "0x" + decl.hex())
    gate.verify("MSKU9070323", pickup.code, sender=border.operator.account)
    assert gate.pickup(operator, pickup.code_hash)["usedAt"] > 0
    with pytest.raises(errors.PickupAlreadyUsed) as used:
        gate.verify("MSKU9070323", pickup.code, sender=border.operator.account)
    assert used.value.code_hash == pickup.code_hash
    assert used.value.used_at == gate.pickup(operator, pickup.code_hash)["usedAt"]
    with pytest.raises(errors.UnknownPickup) as unknown:  # the right code for another container
        gate.verify("MSKU1234565", pickup.code, sender=border.operator.account)
    assert unknown.value.code_hash == pickup_code_hash("MSKU1234565", bytes.fromhex(pickup.code[2:]))
    # the container left under this declaration: this terminal never authorises it again; another container may go
    with pytest.raises(errors.ContainerAlreadyReleased) as released:
        gate.authorise(decl, bill, "MSKU9070323", sender=border.operator.account)
    assert (released.value.declaration, released.value.container) == (decl, b"MSKU9070323")
    again = gate.authorise(decl, bill, "MSKU1234565", sender=border.operator.account)
    assert gate.pickup(operator, again.code_hash)["usedAt"] == 0
    names = [name for name, _, _ in c.history(decl)]
    assert names == ["DeclarationLodged", "DeclarationAccepted", "LaneAssigned", "DutiesAssessed", "DutiesPaid",
                     "DeclarationReleased"]


def test_pay_with_permit(border: Border) -> None:
    c = border.port.customs
    border.token.approve(c.address, 0, sender=border.importer.account)
    decl, document = border.import_declaration()
    c.assess(decl, document, ITEMS, sender=border.customs.account)
    due = c.amount_due(decl)
    deadline = border.port.layer.block_timestamp() + 600
    permit = border.token.sign_permit(border.importer.account, c.address, due, deadline)
    c.pay(decl, permit=permit, sender=border.importer.account)
    assert border.token.balance_of(border.treasury.address) == due


def test_an_assessment_keeps_the_treasury_it_fixed(border: Border) -> None:
    c = border.port.customs
    assessed, document = border.import_declaration()
    c.assess(assessed, document, ITEMS, sender=border.customs.account)
    due = c.amount_due(assessed)

    successor = border._account()
    c.nominate_treasury(successor.address, border.token.address, sender=border.customs.account)
    assert c.treasury_of("NL") == (border.treasury.address, border.token.address)  # nominated, not accepted
    assert tuple(c._call("nominatedTreasuryOf", b"NL")) == (successor.address, border.token.address)
    for imposter in (border.customs.account, border.treasury, border.importer.account):
        with pytest.raises(errors.NotNominatedTreasury) as info:
            c.accept_treasury("NL", sender=imposter)
        assert (info.value.country, info.value.caller, info.value.nominated) == (
            b"NL", imposter.address, successor.address
        )
    c.accept_treasury("NL", sender=successor)
    assert c.treasury_of("NL") == (successor.address, border.token.address)
    assert tuple(c._call("nominatedTreasuryOf", b"NL")) == (ZERO_ADDRESS, ZERO_ADDRESS)
    with pytest.raises(errors.NotNominatedTreasury) as spent:  # the nomination is used up
        c.accept_treasury("NL", sender=successor)
    assert (spent.value.caller, spent.value.nominated) == (successor.address, ZERO_ADDRESS)

    # the declaration assessed before the change still pays the treasury its assessment fixed
    assert c.declaration(assessed).treasury == border.treasury.address
    c.pay(assessed, sender=border.importer.account)
    assert (border.token.balance_of(border.treasury.address), border.token.balance_of(successor.address)) == (due, 0)
    # assessments from now on pay the successor
    later, document = border.import_declaration()
    c.assess(later, document, ITEMS, sender=border.customs.account)
    assert (c.declaration(later).treasury, c.declaration(later).token) == (successor.address, border.token.address)
    c.pay(later, sender=border.importer.account)
    assert (border.token.balance_of(border.treasury.address), border.token.balance_of(successor.address)) == (due, due)


def test_red_lane_inspection_with_an_amendment(border: Border) -> None:
    c = border.port.customs
    bill = border.bill()
    decl, _ = border.import_declaration(bill, lane=Lane.RED)
    with pytest.raises(errors.CheckNotPassed) as unchecked:
        c.assess(decl, os.urandom(32), ITEMS, sender=border.customs.account)
    assert (unchecked.value.lane, unchecked.value.inspection) == (Lane.RED, InspectionResult.NONE)
    c.record_inspection(
        decl, "failed", "goods are footwear with leather uppers, not 6403", sender=border.customs.account
    )
    c.require_amendment(decl, "declare HS 640351", sender=border.customs.account)
    corrected = [Item("640351", 12_345_678, "VN"), ITEMS[1], ITEMS[2]]
    with pytest.raises(errors.NotDeclarant):
        c.amend(decl, os.urandom(32), corrected, bill=bill, sender=border.exporter.account)
    with pytest.raises(errors.BillNotLinked) as unlinked:
        c.amend(decl, os.urandom(32), corrected, bill=os.urandom(32), sender=border.importer.account)
    assert unlinked.value.id == decl
    document = os.urandom(32)
    amended = c.amend(decl, document, corrected, bill=bill, sender=border.importer.account)
    old, new = c.declaration(decl), c.declaration(amended)
    assert (old.status, old.superseded_by) == (DeclarationStatus.SUPERSEDED, amended)
    assert (new.status, new.lane, new.inspection) == (DeclarationStatus.ACCEPTED, Lane.RED, InspectionResult.NONE)
    assert c.declaration_of_bill(bill, "import", border.importer.org_id) == amended
    c.record_inspection(amended, "passed", "re-checked", sender=border.customs.account)
    c.assess(amended, document, corrected, sender=border.customs.account)
    c.pay(amended, sender=border.importer.account)
    c.release(amended, sender=border.customs.account)


# -- export: clearance before shipment, VAT rebate ---------------------------------------------------------------------


def test_export_clearance_then_shipment_then_rebate(border: Border) -> None:
    c, bol, rebates = border.port.customs, border.port.bol, border.port.rebates
    bill = border.bill()
    decl = c.lodge("export", "CN", os.urandom(32), ITEMS, ucr="26CN-EXP-1", bill=bill, sender=border.exporter.account)
    with pytest.raises(errors.ExportNotCleared) as blocked:
        bol.record_milestone(bill, "shipped-on-board", sender=border.carrier.account)
    assert (blocked.value.bill, blocked.value.declaration, blocked.value.status) == (
        bill, decl, DeclarationStatus.LODGED
    )
    with pytest.raises(errors.DeclarationNotCleared) as uncleared:
        rebates.claim(decl, bill, os.urandom(32), 1_000 * UNIT, sender=border.exporter.account)
    assert (uncleared.value.declaration, uncleared.value.status) == (decl, DeclarationStatus.LODGED)
    c.accept(decl, sender=border.customs_cn.account)
    c.assign_lane(decl, "green", sender=border.customs_cn.account)
    with pytest.raises(errors.InvalidDeclarationStatus):  # exports are not assessed
        c.assess(decl, os.urandom(32), ITEMS, sender=border.customs_cn.account)
    c.release(decl, sender=border.customs_cn.account)
    bol.record_milestone(bill, "shipped-on-board", sender=border.carrier.account)

    tax_treasury = border._account()
    border.token.mint(tax_treasury.address, 10**6 * UNIT, sender=border.admin)
    border.token.approve(rebates.address, 2**256 - 1, sender=tax_treasury)
    invoice = os.urandom(32)
    claim = rebates.claim(decl, bill, invoice, 1_000 * UNIT, sender=border.exporter.account)
    assert rebates.claim_of(claim) == {
        "claim": claim, "status": "CLAIMED", "exporter": border.exporter.org_id, "country": "CN",
        "claimedAt": rebates.claim_of(claim)["claimedAt"], "amount": 1_000 * UNIT, "payee": border.exporter.address,
        "declaration": "0x" + decl.hex(), "vatInvoiceHash": "0x" + invoice.hex(), "bill": "0x" + bill.hex(),
    }
    with pytest.raises(errors.NoTreasury) as none:
        rebates.approve(claim, sender=border.tax_cn.account)
    assert none.value.country == b"CN"
    rebates.nominate_treasury(tax_treasury.address, border.token.address, sender=border.tax_cn.account)
    with pytest.raises(errors.NoTreasury):  # nominated, not yet accepted: it pays nothing
        rebates.approve(claim, sender=border.tax_cn.account)
    with pytest.raises(errors.NotNominatedTreasury) as imposter:
        rebates.accept_treasury("CN", sender=border.tax_cn.account)
    assert (imposter.value.country, imposter.value.caller, imposter.value.nominated) == (
        b"CN", border.tax_cn.address, tax_treasury.address)
    rebates.accept_treasury("CN", sender=tax_treasury)
    assert tuple(rebates._call("treasuryOf", b"CN")) == (tax_treasury.address, border.token.address)
    with pytest.raises(errors.OutsideJurisdiction) as dutch:
        rebates.approve(claim, sender=border.tax.account)  # the Dutch tax authority
    assert (dutch.value.org_id, dutch.value.org_country, dutch.value.required_country) == (
        border.tax.org_id, b"NL", b"CN"
    )
    before = border.token.balance_of(border.exporter.address)
    rebates.approve(claim, sender=border.tax_cn.account)
    assert border.token.balance_of(border.exporter.address) == before + 1_000 * UNIT
    assert border.token.balance_of(tax_treasury.address) == 10**6 * UNIT - 1_000 * UNIT
    assert rebates.claim_of(claim)["status"] == "PAID"
    with pytest.raises(errors.ClaimDecided) as decided:
        rebates.reject(claim, "late", sender=border.tax_cn.account)
    assert decided.value.claim_id == claim
    with pytest.raises(errors.RebateAlreadyClaimed) as twice:  # one claim per shipment (bill)
        rebates.claim(decl, bill, os.urandom(32), 5 * UNIT, sender=border.exporter.account)
    assert (twice.value.bill, twice.value.claim_id) == (bill, claim)


def test_rejected_rebate_may_be_claimed_again(border: Border) -> None:
    c, rebates = border.port.customs, border.port.rebates
    bill = border.bill()
    decl = c.lodge("export", "CN", os.urandom(32), ITEMS, bill=bill, sender=border.exporter.account)
    c.accept(decl, sender=border.customs_cn.account)
    c.assign_lane(decl, "yellow", sender=border.customs_cn.account)
    c.record_inspection(decl, "passed", sender=border.customs_cn.account)
    c.release(decl, sender=border.customs_cn.account)
    with pytest.raises(errors.BillNotShipped) as unshipped:  # cleared, but nothing has left yet
        rebates.claim(decl, bill, os.urandom(32), UNIT, sender=border.exporter.account)
    assert unshipped.value.bill == bill
    border.port.bol.record_milestone(bill, "shipped-on-board", sender=border.carrier.account)
    with pytest.raises(errors.NotExporter) as stranger:
        rebates.claim(decl, bill, os.urandom(32), UNIT, sender=border.importer.account)
    assert (stranger.value.declaration, stranger.value.actor, stranger.value.declarant, stranger.value.shipper) == (
        decl, border.importer.org_id, border.exporter.org_id, border.exporter.org_id)
    claim = rebates.claim(decl, bill, os.urandom(32), UNIT, sender=border.exporter.account)
    second_tax_cn = border._org("State Taxation Administration, Shanghai", "CN", Role.TAX)
    with pytest.raises(errors.NotTheAuthority) as undesignated:
        rebates.reject(claim, "invoice unreadable", sender=second_tax_cn.account)
    assert (undesignated.value.org_id, undesignated.value.role, undesignated.value.country,
            undesignated.value.authority) == (second_tax_cn.org_id, Role.TAX, b"CN", border.tax_cn.org_id)
    with pytest.raises(errors.NotTheAuthority):
        rebates.approve(claim, sender=second_tax_cn.account)
    with pytest.raises(errors.NotTheAuthority):
        rebates.nominate_treasury(second_tax_cn.address, border.token.address, sender=second_tax_cn.account)
    rebates.reject(claim, "invoice unreadable", sender=border.tax_cn.account)
    assert rebates.claim_of(claim)["status"] == "REJECTED"
    assert rebates.claim(decl, bill, os.urandom(32), UNIT, sender=border.exporter.account) == claim + 1
    import_decl, _ = border.import_declaration()
    with pytest.raises(errors.NotAnExportDeclaration) as imported:
        rebates.claim(import_decl, bill, os.urandom(32), UNIT, sender=border.importer.account)
    assert imported.value.declaration == import_decl
    with pytest.raises(errors.UnknownClaim) as unknown:
        rebates.claim_of(999)
    assert unknown.value.claim_id == 999
    with pytest.raises(errors.InvalidClaim):  # no VAT invoice hash
        rebates._send(border.exporter.account, "claim", decl, bill, bytes(32), 1, border.exporter.address)
    with pytest.raises(errors.InvalidClaim):  # no payee
        rebates._send(border.exporter.account, "claim", decl, bill, os.urandom(32), 1, ZERO_ADDRESS)
    with pytest.raises(errors.InvalidTreasury) as invalid:  # the treasury must be an account and the token a contract
        rebates._send(border.tax_cn.account, "nominateTreasury", ZERO_ADDRESS, border.token.address)
    assert (invalid.value.treasury, invalid.value.token) == (ZERO_ADDRESS, border.token.address)
    with pytest.raises(errors.InvalidTreasury):
        rebates.nominate_treasury(border.tax_cn.address, border.tax_cn.address, sender=border.tax_cn.account)


def test_only_the_bills_shipper_claims_against_the_declaration_it_linked(border: Border) -> None:
    rebates = border.port.rebates
    bill, other_bill = border.bill(), border.bill()
    unlinked = border.cleared_export(None)
    with pytest.raises(errors.DeclarationNotOfBill) as info:  # cleared, but linked to no bill
        rebates.claim(unlinked, bill, os.urandom(32), UNIT, sender=border.exporter.account)
    assert (info.value.declaration, info.value.bill) == (unlinked, bill)
    linked = border.cleared_export(bill, ship=True)
    with pytest.raises(errors.DeclarationNotOfBill) as elsewhere:  # linked to another of the shipper's bills
        rebates.claim(linked, other_bill, os.urandom(32), UNIT, sender=border.exporter.account)
    assert (elsewhere.value.declaration, elsewhere.value.bill) == (linked, other_bill)
    # a forwarder's own cleared declaration for the same goods and bill pays nobody: it is not the bill's shipper
    forwarders = border.cleared_export(bill, declarant=border.forwarder)
    with pytest.raises(errors.NotExporter) as forwarder:
        rebates.claim(forwarders, bill, os.urandom(32), UNIT, sender=border.forwarder.account)
    assert (forwarder.value.declaration, forwarder.value.actor, forwarder.value.declarant) == (
        forwarders, border.forwarder.org_id, border.forwarder.org_id)
    with pytest.raises(errors.NotExporter) as not_declarant:  # nor may the shipper claim on the forwarder's
        rebates.claim(forwarders, bill, os.urandom(32), UNIT, sender=border.exporter.account)
    assert (not_declarant.value.actor, not_declarant.value.declarant) == (
        border.exporter.org_id, border.forwarder.org_id
    )
    nowhere = os.urandom(32)
    with pytest.raises(errors.UnknownBill) as no_bill:
        rebates.claim(linked, nowhere, os.urandom(32), UNIT, sender=border.exporter.account)
    assert no_bill.value.id == nowhere
    border.rebate_treasury()
    payee = Account.create().address
    claim = rebates.claim(linked, bill, os.urandom(32), 7 * UNIT, payee=payee, sender=border.exporter.account)
    assert (rebates.claim_of(claim)["payee"], rebates.claim_of(claim)["bill"]) == (payee, "0x" + bill.hex())
    with pytest.raises(errors.RebateAlreadyClaimed) as twice:
        rebates.claim(linked, bill, os.urandom(32), UNIT, sender=border.exporter.account)
    assert (twice.value.bill, twice.value.claim_id) == (bill, claim)
    rebates.approve(claim, sender=border.tax_cn.account)
    assert border.token.balance_of(payee) == 7 * UNIT


# -- refusals ----------------------------------------------------------------------------------------------------------


def test_customs_of_another_jurisdiction_is_refused(border: Border) -> None:
    decl, _ = border.import_declaration(lane=None)
    with pytest.raises(errors.OutsideJurisdiction) as info:
        border.port.customs.assign_lane(decl, "green", sender=border.customs_cn.account)
    assert (info.value.account, info.value.org_id, info.value.org_country, info.value.required_country) == (
        border.customs_cn.address, border.customs_cn.org_id, b"CN", b"NL")
    with pytest.raises(errors.MissingRole):
        border.port.customs.accept(decl, sender=border.tax.account)


def test_only_the_designated_authority_of_a_country_acts(border: Border) -> None:
    c, registry = border.port.customs, border.port.registry
    assert registry.authority_of("NL", Role.CUSTOMS) == border.customs.org_id  # the first onboarded in NL
    assert registry.authority_of("NL", Role.TAX) == border.tax.org_id
    assert registry.authority_of("CN", Role.CUSTOMS) == border.customs_cn.org_id
    schiphol = border._org("Dutch Customs, Schiphol", "NL", Role.CUSTOMS)
    second_tax = border._org("Dutch Tax, second office", "NL", Role.TAX)
    assert registry.authority_of("NL", Role.CUSTOMS) == border.customs.org_id  # a second one is not designated
    lodged = c.lodge("import", "NL", os.urandom(32), ITEMS, sender=border.importer.account)
    accepted, document = border.import_declaration(lane=None)
    refused = {
        "accept": lambda who: c.accept(lodged, sender=who),
        "reject": lambda who: c.reject(lodged, "no", sender=who),
        "lane": lambda who: c.assign_lane(accepted, "yellow", sender=who),
        "amendment": lambda who: c.require_amendment(accepted, "no", sender=who),
        "tariff": lambda who: c.set_tariff_rate("6403", 0, sender=who),
        "treasury": lambda who: c.nominate_treasury(who.address, border.token.address, sender=who),
    }
    for action in refused.values():
        with pytest.raises(errors.NotTheAuthority) as info:
            action(schiphol.account)
        assert (info.value.org_id, info.value.role, info.value.country, info.value.authority) == (
            schiphol.org_id, Role.CUSTOMS, b"NL", border.customs.org_id)
    with pytest.raises(errors.NotTheAuthority) as vat:
        c.set_vat_rate(0, sender=second_tax.account)
    assert (vat.value.org_id, vat.value.role, vat.value.country, vat.value.authority) == (
        second_tax.org_id, Role.TAX, b"NL", border.tax.org_id)
    assert c.vat_rate("NL") == 2_100 and c.tariff_rate("NL", "640399") == 800

    registry.designate_authority("NL", Role.CUSTOMS, schiphol.org_id, sender=border.admin)
    assert registry.authority_of("NL", Role.CUSTOMS) == schiphol.org_id
    with pytest.raises(errors.NotTheAuthority) as former:
        c.accept(lodged, sender=border.customs.account)
    assert (former.value.org_id, former.value.authority) == (border.customs.org_id, schiphol.org_id)
    c.accept(lodged, sender=schiphol.account)
    c.assign_lane(accepted, "green", sender=schiphol.account)
    c.assess(accepted, document, ITEMS, sender=schiphol.account)  # the treasury NL accepted stays NL's
    assert c.declaration(accepted).treasury == border.treasury.address


def test_lodging_refusals(border: Border) -> None:
    c = border.port.customs

    def lodge(items=ITEMS, country=b"NL", document=None, bill=bytes(32), sender=None):  # type: ignore[no-untyped-def]
        encoded = [i if isinstance(i, tuple) else i.encode() for i in items]
        return c._send(
            sender or border.importer.account, "lodge", 1, country, document or os.urandom(32), bytes(32), bill, encoded
        )

    with pytest.raises(errors.NotADeclarant) as role:
        lodge(sender=border.carrier.account)
    assert role.value.actor == border.carrier.org_id
    with pytest.raises(errors.InvalidCountry):
        lodge(country=b"nl")
    with pytest.raises(errors.ZeroDocumentHash):
        lodge(document=bytes(32))
    for count in (0, 100):
        with pytest.raises(errors.InvalidItemCount) as info:
            lodge(items=[ITEMS[0]] * count)
        assert info.value.count == count
    for bad, field in (((0, 1, b"CN"), ItemField.HS_CODE), ((1_000_000, 1, b"CN"), ItemField.HS_CODE),
                       ((851712, 0, b"CN"), ItemField.CUSTOMS_VALUE), ((851712, 1, b"c1"), ItemField.ORIGIN)):
        with pytest.raises(errors.InvalidItem) as info:
            lodge(items=[ITEMS[0].encode(), bad])
        assert (info.value.index, info.value.field) == (1, field)
    document = os.urandom(32)
    lodge(document=document)
    with pytest.raises(errors.DeclarationExists):
        lodge(document=document)
    bill = os.urandom(32)
    first = c.lodge("import", "NL", os.urandom(32), ITEMS, bill=bill, sender=border.importer.account)
    with pytest.raises(errors.BillAlreadyDeclared) as linked:
        c.lodge("import", "NL", os.urandom(32), ITEMS, bill=bill, sender=border.importer.account)
    assert (linked.value.kind, linked.value.existing) == (DeclarationKind.IMPORT, first)
    with pytest.raises(errors.UnknownDeclaration):
        c.declaration(os.urandom(32))


def test_examination_refusals(border: Border) -> None:
    c = border.port.customs
    decl, document = border.import_declaration(lane=None)
    with pytest.raises(errors.InvalidDeclarationStatus) as twice:
        c.accept(decl, sender=border.customs.account)
    assert twice.value.current == DeclarationStatus.ACCEPTED
    with pytest.raises(errors.InvalidLane):
        c.assign_lane(decl, "none", sender=border.customs.account)
    c.assign_lane(decl, "green", sender=border.customs.account)
    with pytest.raises(errors.InvalidLane) as lane:
        c.assign_lane(decl, "red", sender=border.customs.account)
    assert (lane.value.current, lane.value.requested) == (Lane.GREEN, Lane.RED)
    with pytest.raises(errors.InspectionNotApplicable):
        c.record_inspection(decl, "passed", sender=border.customs.account)
    with pytest.raises(errors.ItemsMismatch):
        c.assess(decl, document, ITEMS[:2], sender=border.customs.account)
    with pytest.raises(errors.InvalidDeclarationStatus):
        c.amend(decl, os.urandom(32), ITEMS, sender=border.importer.account)  # no amendment was required
    c.reject(decl, "incomplete", sender=border.customs.account)
    assert c.declaration(decl).status == DeclarationStatus.REJECTED
    yellow, _ = border.import_declaration(lane=Lane.YELLOW)
    with pytest.raises(errors.InvalidInspectionResult):
        c._send(border.customs.account, "recordInspection", yellow, 0, bytes(32))
    unrated = [Item("010121", 5 * UNIT, "IE")]  # live horses: no rate set
    horses, document = border.import_declaration(items=unrated)
    with pytest.raises(errors.NoTariffRate) as rate:
        c.assess(horses, document, unrated, sender=border.customs.account)
    assert (rate.value.country, rate.value.hs_code) == (b"NL", "010121")  # the HS code with its leading zero
    assert str(rate.value) == "NoTariffRate(country=NL, hs_code=010121)"


def test_configuration_refusals(border: Border) -> None:
    c = border.port.customs
    with pytest.raises(errors.InvalidRate) as rate:
        c._send(border.customs.account, "setTariffRate", 8517, 4, 10_001)
    assert rate.value.rate_bps == 10_001
    with pytest.raises(errors.InvalidItem):
        c._send(border.customs.account, "setTariffRate", 85171, 4, 100)
    with pytest.raises(errors.MissingRole):
        c.set_tariff_rate("8517", 0, sender=border.tax.account)
    with pytest.raises(errors.MissingRole):
        c.set_vat_rate(900, sender=border.customs.account)
    with pytest.raises(errors.InvalidTreasury):
        c._send(border.customs.account, "nominateTreasury", ZERO_ADDRESS, border.token.address)
    with pytest.raises(errors.InvalidTreasury):  # the token must be a contract
        c.nominate_treasury(border.treasury.address, Account.create().address, sender=border.customs.account)
    with pytest.raises(errors.MissingRole):
        c.nominate_treasury(border.treasury.address, border.token.address, sender=border.tax.account)
    shoes = [Item("640399", UNIT, "VN")]
    c.set_tariff_rate("6403", 0, sender=border.customs_cn.account)
    with pytest.raises(errors.NoVatRate) as vat:
        c.quote("CN", "import", shoes)
    assert vat.value.country == b"CN"
    assert c.treasury_of("CN") == (ZERO_ADDRESS, ZERO_ADDRESS)  # China's customs has no treasury

    def lodged_in_china() -> tuple[bytes, bytes]:
        document = os.urandom(32)
        decl = c.lodge("import", "CN", document, shoes, sender=border.importer.account)
        c.accept(decl, sender=border.customs_cn.account)
        c.assign_lane(decl, "green", sender=border.customs_cn.account)
        return decl, document

    c.set_vat_rate(0, sender=border.tax_cn.account)
    free, document = lodged_in_china()
    c.assess(free, document, shoes, sender=border.customs_cn.account)  # nothing due: no treasury needed
    view = c.declaration(free)
    assert (view.status, view.treasury, view.token) == (DeclarationStatus.PAID, None, None)
    c.set_vat_rate(1_300, sender=border.tax_cn.account)
    decl, document = lodged_in_china()
    with pytest.raises(errors.NoTreasury) as treasury:  # something is due and nobody is there to receive it
        c.assess(decl, document, shoes, sender=border.customs_cn.account)
    assert treasury.value.country == b"CN"
    cn_treasury = border._account()
    c.nominate_treasury(cn_treasury.address, border.token.address, sender=border.customs_cn.account)
    with pytest.raises(errors.NoTreasury):  # nominated, not accepted
        c.assess(decl, document, shoes, sender=border.customs_cn.account)
    c.accept_treasury("CN", sender=cn_treasury)
    c.assess(decl, document, shoes, sender=border.customs_cn.account)
    c.pay(decl, sender=border.importer.account)
    assert border.token.balance_of(cn_treasury.address) == 130_000  # 1 unit x 13%


def test_gate_refusals(border: Border) -> None:
    gate, c = border.port.gate, border.port.customs
    bill = border.bill()  # issued, not surrendered
    decl, document = border.import_declaration(bill)
    with pytest.raises(errors.CargoNotReleased) as not_released:
        gate.authorise(decl, bill, "MSKU9070323", sender=border.operator.account)  # gate-out without release
    assert (not_released.value.declaration, not_released.value.status) == (decl, DeclarationStatus.ACCEPTED)
    c.assess(decl, document, ITEMS, sender=border.customs.account)
    c.pay(decl, sender=border.importer.account)
    c.release(decl, sender=border.customs.account)
    with pytest.raises(errors.BillNotSurrendered) as not_surrendered:
        gate.authorise(decl, bill, "MSKU9070323", sender=border.operator.account)  # no accepted surrender
    assert not_surrendered.value.bill == bill
    other = border.bill(accomplished=True)
    with pytest.raises(errors.DeclarationNotOfReceiver) as unlinked:
        gate.authorise(decl, other, "MSKU9070323", sender=border.operator.account)
    assert (unlinked.value.bill, unlinked.value.declaration) == (other, decl)
    with pytest.raises(errors.OutsideJurisdiction):
        gate.authorise(decl, bill, "MSKU9070323", sender=border.operator_cn.account)
    with pytest.raises(errors.InvalidPickup):
        gate._send(border.operator.account, "authorise", decl, bill, b"MSKU9070323", bytes(32))
    with pytest.raises(errors.UnknownPickup):
        gate.verify("MSKU9070323", os.urandom(32), sender=border.operator.account)
    nothing = os.urandom(32)
    with pytest.raises(errors.UnknownPickup) as unknown:
        gate.revoke(nothing, sender=border.operator.account)
    assert unknown.value.code_hash == nothing
    # surrender accepted: now it works, once per code hash and one live code per container
    bol = border.port.bol
    bol.transfer(bill, border.importer.org_id, sender=border.exporter.account)
    bol.surrender_for_delivery(bill, sender=border.importer.account)
    bol.accept_surrender(bill, sender=border.carrier.account)
    code = os.urandom(32)
    first = gate.authorise(decl, bill, "MSKU9070323", code=code, sender=border.operator.account)
    with pytest.raises(errors.PickupAlreadyAuthorised) as same_code:
        gate.authorise(decl, bill, "MSKU9070323", code=code, sender=border.operator.account)
    assert same_code.value.code_hash == first.code_hash
    with pytest.raises(errors.ContainerAlreadyAuthorised) as live:
        gate.authorise(decl, bill, "MSKU9070323", sender=border.operator.account)  # a second code while one lives
    assert (live.value.container, live.value.code_hash) == (b"MSKU9070323", first.code_hash)
    with pytest.raises(errors.UnknownPickup):  # another terminal cannot withdraw this terminal's code
        gate.revoke(first.code_hash, sender=border.operator_cn.account)
    with pytest.raises(errors.MissingRole):
        gate.revoke(first.code_hash, sender=border.customs.account)
    gate.revoke(first.code_hash, sender=border.operator.account)
    assert gate.pickup(border.operator.org_id, first.code_hash)["usedAt"] == REVOKED
    with pytest.raises(errors.PickupAlreadyUsed) as revoked:
        gate.verify("MSKU9070323", code, sender=border.operator.account)
    assert (revoked.value.code_hash, revoked.value.used_at) == (first.code_hash, REVOKED)
    with pytest.raises(errors.PickupAlreadyUsed):
        gate.revoke(first.code_hash, sender=border.operator.account)
    with pytest.raises(errors.PickupAlreadyAuthorised):  # a withdrawn code never comes back
        gate.authorise(decl, bill, "MSKU9070323", code=code, sender=border.operator.account)
    second = gate.authorise(decl, bill, "MSKU9070323", sender=border.operator.account)
    border.port.registry.suspend(border.operator.org_id, sender=border.admin)
    with pytest.raises(errors.OrganisationNotActive) as suspended:
        gate.verify("MSKU9070323", second.code, sender=border.operator.account)
    assert suspended.value.status == OrgStatus.SUSPENDED


def test_only_the_party_that_surrendered_the_bill_takes_the_goods(border: Border) -> None:
    c, gate, bol = border.port.customs, border.port.gate, border.port.bol
    bill = border.bill()  # to the order of the importer
    imported = border.released_import(bill)
    # the importer, the named consignee, endorses the bill on; the endorsee surrenders it and takes delivery
    bol.transfer(bill, border.importer.org_id, sender=border.exporter.account)
    bol.endorse(bill, border.forwarder.org_id, sender=border.importer.account)
    bol.surrender_for_delivery(bill, sender=border.forwarder.account)
    bol.accept_surrender(bill, sender=border.carrier.account)
    assert bol.status(bill).previous_holder == border.forwarder.org_id
    with pytest.raises(errors.DeclarationNotOfReceiver) as consignee:
        gate.authorise(imported, bill, "MSKU9070323", sender=border.operator.account)
    assert (consignee.value.bill, consignee.value.declaration) == (bill, imported)
    forwarders = border.released_import(bill, declarant=border.forwarder)
    assert c.declaration_of_bill(bill, "import", border.forwarder.org_id) == forwarders
    pickup = gate.authorise(forwarders, bill, "MSKU9070323", sender=border.operator.account)
    assert gate.pickup(border.operator.org_id, pickup.code_hash)["declaration"] == "0x" + forwarders.hex()


def test_someone_elses_declaration_never_blocks_the_bills_parties(border: Border, parties) -> None:  # type: ignore[no-untyped-def]
    c, bol = border.port.customs, border.port.bol
    bill = border.bill()
    forwarder = parties[Role.FORWARDER]
    junk = c.lodge("export", "CN", os.urandom(32), ITEMS, bill=bill, sender=forwarder.account)
    bol.record_milestone(bill, "shipped-on-board", sender=border.carrier.account)  # not the shipper's: not checked
    own = c.lodge("export", "CN", os.urandom(32), ITEMS, bill=bill, sender=border.exporter.account)
    assert c.declaration_of_bill(bill, "export", forwarder.org_id) == junk
    assert c.declaration_of_bill(bill, "export", border.exporter.org_id) == own


def test_a_rejected_declarations_link_can_be_replaced(border: Border) -> None:
    c = border.port.customs
    bill = os.urandom(32)
    first = c.lodge("import", "NL", os.urandom(32), ITEMS, bill=bill, sender=border.importer.account)
    c.reject(first, "wrong office", sender=border.customs.account)
    second = c.lodge("import", "NL", os.urandom(32), ITEMS, bill=bill, sender=border.importer.account)
    assert c.declaration_of_bill(bill, "import", border.importer.org_id) == second


def test_a_copied_lodging_is_another_declaration(border: Border, parties) -> None:  # type: ignore[no-untyped-def]
    document = os.urandom(32)
    mine = border.port.customs.lodge("export", "CN", document, ITEMS, sender=border.exporter.account)
    copy = border.port.customs.lodge("export", "CN", document, ITEMS, sender=parties[Role.FORWARDER].account)
    assert mine != copy


def test_each_terminal_keeps_its_own_pickups_and_an_invoice_backs_one_claim(border: Border) -> None:
    gate, rebates = border.port.gate, border.port.rebates
    bill = border.bill(accomplished=True)
    decl = border.released_import(bill)
    other_terminal = border._org("Another Rotterdam Terminal", "NL", Role.PORT_OPERATOR)
    pickup = gate.authorise(decl, bill, "MSKU9070323", sender=border.operator.account)
    with pytest.raises(errors.UnknownPickup) as info:  # another terminal does not find the code, let alone spend it
        gate.verify("MSKU9070323", pickup.code, sender=other_terminal.account)
    assert info.value.code_hash == pickup.code_hash
    with pytest.raises(errors.UnknownPickup):
        gate.pickup(other_terminal.org_id, pickup.code_hash)
    with pytest.raises(errors.UnknownPickup):
        gate.revoke(pickup.code_hash, sender=other_terminal.account)
    # nor can it block the code by authorising the same hash first: its pick-ups are its own
    gate.authorise(decl, bill, "MSKU9070323", code=bytes.fromhex(pickup.code[2:]), sender=other_terminal.account)
    assert gate.pickup(other_terminal.org_id, pickup.code_hash)["operator"] == other_terminal.org_id
    assert gate.pickup(border.operator.org_id, pickup.code_hash)["usedAt"] == 0
    gate.verify("MSKU9070323", pickup.code, sender=border.operator.account)
    assert gate.pickup(border.operator.org_id, pickup.code_hash)["usedAt"] > 0
    assert gate.pickup(other_terminal.org_id, pickup.code_hash)["usedAt"] == 0

    invoice = os.urandom(32)
    bills = [border.bill(), border.bill()]
    exports = [border.cleared_export(b, ship=True) for b in bills]
    claim = rebates.claim(exports[0], bills[0], invoice, UNIT, sender=border.exporter.account)
    with pytest.raises(errors.InvoiceAlreadyClaimed) as twice:
        rebates.claim(exports[1], bills[1], invoice, UNIT, sender=border.exporter.account)
    assert (twice.value.vat_invoice_hash, twice.value.claim_id) == (invoice, claim)
