"""Customs, CargoRelease and VatRebates on a real Anvil: declarations, duties to the unit, release, the gate, the
export side and every refusal with its decoded exception."""

from __future__ import annotations

import os

import pytest
from eth_account import Account

from portchain import BillKind, Role, errors
from portchain.customs import Item, compute_duties, pickup_code_hash
from portchain.types import DeclarationKind, DeclarationStatus, InspectionResult, ItemField, Lane, OrgStatus

UNIT = 10**6

# Hand-computed (see test_duty_and_vat_match_hand_computed_values): footwear 8%, T-shirts 12%, phones zero-rated.
ITEMS = [Item("640399", 12_345_678, "VN"), Item("610910", 5_000_005, "BD"), Item("851712", 100_000_000, "CN")]


class Border:
    """Dutch customs, tax and terminal, plus the Chinese customs and tax authorities of the export side."""

    def __init__(self, port, parties, admin) -> None:  # type: ignore[no-untyped-def]
        self.port, self.admin = port, admin
        self.customs, self.tax = parties[Role.CUSTOMS], parties[Role.TAX]
        self.operator, self.carrier = parties[Role.PORT_OPERATOR], parties[Role.CARRIER]
        self.importer, self.exporter = parties[Role.CONSIGNEE], parties[Role.SHIPPER]
        self.customs_cn = self._org("China Customs, Shenzhen", "CN", Role.CUSTOMS)
        self.tax_cn = self._org("State Taxation Administration, Shenzhen", "CN", Role.TAX)
        self.operator_cn = self._org("Shenzhen Yantian Terminal", "CN", Role.PORT_OPERATOR)
        self.treasury = Account.create().address
        self.token = port.token
        c = port.customs
        c.set_treasury(self.treasury, self.token.address, sender=self.customs.account)
        c.set_tariff_rate("6403", 800, sender=self.customs.account)       # a heading's rate
        c.set_tariff_rate("610910", 1_200, sender=self.customs.account)   # a subheading's rate
        c.set_tariff_rate("8517", 1_400, sender=self.customs.account)     # overridden by the subheading below
        c.set_tariff_rate("851712", 0, sender=self.customs.account)       # zero-rated
        c.set_vat_rate(2_100, sender=self.tax.account)
        self.token.mint(self.importer.address, 10**9 * UNIT, sender=admin)
        self.token.approve(c.address, 2**256 - 1, sender=self.importer.account)

    def _org(self, name: str, country: str, role: Role):  # type: ignore[no-untyped-def]
        account = Account.create()
        self.port.fund(account.address)
        org = self.port.registry.onboard(name, name, country, [role], [account.address], sender=self.admin).org_id
        return type("Org", (), {"account": account, "address": account.address, "org_id": org})

    def bill(self, accomplished: bool = False) -> bytes:
        bol = self.port.bol
        bill = bol.draft(os.urandom(32), BillKind.TO_ORDER, shipper=self.exporter.org_id, consignee=self.importer.org_id,
                         sender=self.carrier.account)
        bol.approve(bill, sender=self.exporter.account)
        bol.issue(bill, sender=self.carrier.account)
        if accomplished:
            bol.transfer(bill, self.importer.org_id, sender=self.exporter.account)
            bol.surrender_for_delivery(bill, sender=self.importer.account)
            bol.accept_surrender(bill, sender=self.carrier.account)
        return bill

    def import_declaration(self, bill: bytes | None = None, items=ITEMS, lane: Lane | None = Lane.GREEN) -> tuple[bytes, bytes]:  # type: ignore[no-untyped-def]
        document = os.urandom(32)
        decl = self.port.customs.lodge("import", "NL", document, items, ucr="26NL-MAEU245601234", bill=bill,
                                       sender=self.importer.account)
        self.port.customs.accept(decl, sender=self.customs.account)
        if lane is not None:
            self.port.customs.assign_lane(decl, lane, sender=self.customs.account)
        return decl, document

    def released_import(self, bill: bytes) -> bytes:
        c = self.port.customs
        decl, document = self.import_declaration(bill)
        c.assess(decl, document, ITEMS, sender=self.customs.account)
        c.pay(decl, sender=self.importer.account)
        c.release(decl, sender=self.customs.account)
        return decl


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
    assert border.token.balance_of(border.treasury) == 26_563_656
    c.release(decl, sender=border.customs.account)
    assert c.declaration(decl).status == DeclarationStatus.RELEASED

    pickup = gate.authorise(decl, bill, "MSKU9070323", sender=border.operator.account)
    assert pickup.code_hash == pickup_code_hash("MSKU9070323", bytes.fromhex(pickup.code[2:]))
    assert gate.pickup(pickup.code_hash)["usedAt"] == 0
    gate.verify("MSKU9070323", pickup.code, sender=border.operator.account)
    with pytest.raises(errors.PickupAlreadyUsed) as used:
        gate.verify("MSKU9070323", pickup.code, sender=border.operator.account)
    assert used.value.code_hash == pickup.code_hash and used.value.used_at > 0
    with pytest.raises(errors.UnknownPickup):  # the right code for another container
        gate.verify("MSKU1234565", pickup.code, sender=border.operator.account)
    names = [name for name, _, _ in c.history(decl)]
    assert names == ["DeclarationLodged", "DeclarationAccepted", "LaneAssigned", "DutiesAssessed", "DutiesPaid",
                     "DeclarationReleased"]


def test_pay_with_permit(border: Border) -> None:
    c = border.port.customs
    border.token.approve(c.address, 0, sender=border.importer.account)
    decl, document = border.import_declaration()
    c.assess(decl, document, ITEMS, sender=border.customs.account)
    due = c.amount_due(decl)
    permit = border.token.sign_permit(border.importer.account, c.address, due, border.port.layer.block_timestamp() + 600)
    c.pay(decl, permit=permit, sender=border.importer.account)
    assert border.token.balance_of(border.treasury) == due


def test_red_lane_inspection_with_an_amendment(border: Border) -> None:
    c = border.port.customs
    bill = border.bill()
    decl, _ = border.import_declaration(bill, lane=Lane.RED)
    with pytest.raises(errors.CheckNotPassed) as unchecked:
        c.assess(decl, os.urandom(32), ITEMS, sender=border.customs.account)
    assert (unchecked.value.lane, unchecked.value.inspection) == (Lane.RED, InspectionResult.NONE)
    c.record_inspection(decl, "failed", "goods are footwear with leather uppers, not 6403", sender=border.customs.account)
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


# -- export: clearance before shipment, VAT rebate ------------------------------------------------------------------------


def test_export_clearance_then_shipment_then_rebate(border: Border) -> None:
    c, bol, rebates = border.port.customs, border.port.bol, border.port.rebates
    bill = border.bill()
    decl = c.lodge("export", "CN", os.urandom(32), ITEMS, ucr="26CN-EXP-1", bill=bill, sender=border.exporter.account)
    with pytest.raises(errors.ExportNotCleared) as blocked:
        bol.record_milestone(bill, "shipped-on-board", sender=border.carrier.account)
    assert (blocked.value.bill, blocked.value.declaration, blocked.value.status) == (bill, decl, DeclarationStatus.LODGED)
    with pytest.raises(errors.DeclarationNotCleared) as uncleared:
        rebates.claim(decl, os.urandom(32), 1_000 * UNIT, sender=border.exporter.account)
    assert (uncleared.value.declaration, uncleared.value.status) == (decl, DeclarationStatus.LODGED)
    c.accept(decl, sender=border.customs_cn.account)
    c.assign_lane(decl, "green", sender=border.customs_cn.account)
    with pytest.raises(errors.InvalidDeclarationStatus):  # exports are not assessed
        c.assess(decl, os.urandom(32), ITEMS, sender=border.customs_cn.account)
    c.release(decl, sender=border.customs_cn.account)
    bol.record_milestone(bill, "shipped-on-board", sender=border.carrier.account)

    tax_treasury = Account.create()
    border.port.fund(tax_treasury.address)
    border.token.mint(tax_treasury.address, 10**6 * UNIT, sender=border.admin)
    border.token.approve(rebates.address, 2**256 - 1, sender=tax_treasury)
    claim = rebates.claim(decl, os.urandom(32), 1_000 * UNIT, sender=border.exporter.account)
    with pytest.raises(errors.NoTreasury):
        rebates.approve(claim, sender=border.tax_cn.account)
    rebates.set_treasury(tax_treasury.address, border.token.address, sender=border.tax_cn.account)
    with pytest.raises(errors.OutsideJurisdiction):
        rebates.approve(claim, sender=border.tax.account)  # the Dutch tax authority
    before = border.token.balance_of(border.exporter.address)
    rebates.approve(claim, sender=border.tax_cn.account)
    assert border.token.balance_of(border.exporter.address) == before + 1_000 * UNIT
    assert rebates.claim_of(claim)["status"] == "PAID"
    with pytest.raises(errors.ClaimDecided) as decided:
        rebates.reject(claim, "late", sender=border.tax_cn.account)
    assert decided.value.claim_id == claim
    with pytest.raises(errors.RebateAlreadyClaimed) as twice:
        rebates.claim(decl, os.urandom(32), 5 * UNIT, sender=border.exporter.account)
    assert twice.value.claim_id == claim


def test_rejected_rebate_may_be_claimed_again(border: Border) -> None:
    c, rebates = border.port.customs, border.port.rebates
    decl = c.lodge("export", "CN", os.urandom(32), ITEMS, sender=border.exporter.account)
    c.accept(decl, sender=border.customs_cn.account)
    c.assign_lane(decl, "yellow", sender=border.customs_cn.account)
    c.record_inspection(decl, "passed", sender=border.customs_cn.account)
    c.release(decl, sender=border.customs_cn.account)
    with pytest.raises(errors.NotExporter):
        rebates.claim(decl, os.urandom(32), UNIT, sender=border.importer.account)
    claim = rebates.claim(decl, os.urandom(32), UNIT, sender=border.exporter.account)
    rebates.reject(claim, "invoice unreadable", sender=border.tax_cn.account)
    assert rebates.claim_of(claim)["status"] == "REJECTED"
    assert rebates.claim(decl, os.urandom(32), UNIT, sender=border.exporter.account) == claim + 1
    import_decl, _ = border.import_declaration()
    with pytest.raises(errors.NotAnExportDeclaration):
        rebates.claim(import_decl, os.urandom(32), UNIT, sender=border.importer.account)
    with pytest.raises(errors.UnknownClaim):
        rebates.claim_of(999)
    with pytest.raises(errors.InvalidClaim):
        rebates._send(border.exporter.account, "claim", decl, bytes(32), 1, border.exporter.address)


# -- refusals -----------------------------------------------------------------------------------------------------------


def test_customs_of_another_jurisdiction_is_refused(border: Border) -> None:
    decl, _ = border.import_declaration(lane=None)
    with pytest.raises(errors.OutsideJurisdiction) as info:
        border.port.customs.assign_lane(decl, "green", sender=border.customs_cn.account)
    assert (info.value.org_id, info.value.org_country, info.value.required_country) == (border.customs_cn.org_id, b"CN", b"NL")
    with pytest.raises(errors.MissingRole):
        border.port.customs.accept(decl, sender=border.tax.account)


def test_lodging_refusals(border: Border) -> None:
    c = border.port.customs

    def lodge(items=ITEMS, country=b"NL", document=None, bill=bytes(32), sender=None):  # type: ignore[no-untyped-def]
        encoded = [i if isinstance(i, tuple) else i.encode() for i in items]
        return c._send(sender or border.importer.account, "lodge", 1, country, document or os.urandom(32), bytes(32), bill, encoded)

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
    assert (rate.value.country, rate.value.hs_code) == (b"NL", 10121)


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
    with pytest.raises(errors.ZeroAddress):
        c._send(border.customs.account, "setTreasury", "0x" + "00" * 20, border.token.address)
    shoes, document = [Item("640399", UNIT, "VN")], os.urandom(32)
    c.set_tariff_rate("6403", 0, sender=border.customs_cn.account)
    with pytest.raises(errors.NoVatRate) as vat:
        c.quote("CN", "import", shoes)
    assert vat.value.country == b"CN"
    c.set_vat_rate(1_300, sender=border.tax_cn.account)
    decl = c.lodge("import", "CN", document, shoes, sender=border.importer.account)
    c.accept(decl, sender=border.customs_cn.account)
    c.assign_lane(decl, "green", sender=border.customs_cn.account)
    c.assess(decl, document, shoes, sender=border.customs_cn.account)
    with pytest.raises(errors.NoTreasury) as treasury:  # China's customs set no treasury
        c.pay(decl, sender=border.importer.account)
    assert treasury.value.country == b"CN"


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
    with pytest.raises(errors.BillNotLinked):
        gate.authorise(decl, border.bill(accomplished=True), "MSKU9070323", sender=border.operator.account)
    with pytest.raises(errors.OutsideJurisdiction):
        gate.authorise(decl, bill, "MSKU9070323", sender=border.operator_cn.account)
    with pytest.raises(errors.InvalidPickup):
        gate._send(border.operator.account, "authorise", decl, bill, b"MSKU9070323", bytes(32))
    with pytest.raises(errors.UnknownPickup):
        gate.verify("MSKU9070323", os.urandom(32), sender=border.operator.account)
    # surrender accepted: now it works, once per code hash
    bol = border.port.bol
    bol.transfer(bill, border.importer.org_id, sender=border.exporter.account)
    bol.surrender_for_delivery(bill, sender=border.importer.account)
    bol.accept_surrender(bill, sender=border.carrier.account)
    code = os.urandom(32)
    gate.authorise(decl, bill, "MSKU9070323", code=code, sender=border.operator.account)
    with pytest.raises(errors.PickupAlreadyAuthorised):
        gate.authorise(decl, bill, "MSKU9070323", code=code, sender=border.operator.account)
    border.port.registry.suspend(border.operator.org_id, sender=border.admin)
    with pytest.raises(errors.OrganisationNotActive) as suspended:
        gate.verify("MSKU9070323", code, sender=border.operator.account)
    assert suspended.value.status == OrgStatus.SUSPENDED


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


def test_only_the_authorising_terminal_releases_and_an_invoice_backs_one_claim(border: Border) -> None:
    c, gate, rebates = border.port.customs, border.port.gate, border.port.rebates
    bill = border.bill(accomplished=True)
    decl = border.released_import(bill)
    other_terminal = border._org("Another Rotterdam Terminal", "NL", Role.PORT_OPERATOR)
    pickup = gate.authorise(decl, bill, "MSKU9070323", sender=border.operator.account)
    with pytest.raises(errors.NotAuthorisingTerminal) as info:
        gate.verify("MSKU9070323", pickup.code, sender=other_terminal.account)
    assert (info.value.operator, info.value.gate) == (border.operator.org_id, other_terminal.org_id)
    gate.verify("MSKU9070323", pickup.code, sender=border.operator.account)

    invoice = os.urandom(32)
    exports = []
    for _ in range(2):
        export = c.lodge("export", "CN", os.urandom(32), ITEMS, sender=border.exporter.account)
        c.accept(export, sender=border.customs_cn.account)
        c.assign_lane(export, "green", sender=border.customs_cn.account)
        c.release(export, sender=border.customs_cn.account)
        exports.append(export)
    claim = rebates.claim(exports[0], invoice, UNIT, sender=border.exporter.account)
    with pytest.raises(errors.InvoiceAlreadyClaimed) as twice:
        rebates.claim(exports[1], invoice, UNIT, sender=border.exporter.account)
    assert (twice.value.vat_invoice_hash, twice.value.claim_id) == (invoice, claim)
