"""Issue 9: the trust model as a Hypothesis state machine over registry, bills, credits, customs, release and rebates.

One machine drives every contract of the suite together: letters of credit in the settlement token and in a hostile
token that refuses chosen recipients, electronic bills moving between parties and in and out of the credit escrow,
customs declarations, gate pick-ups and VAT rebates, while the registrar suspends, reinstates and revokes
organisations and time jumps past every deadline. Each rule sends (about) one transaction through the SDK; a rule whose
preconditions fail on chain must come back as a decoded refusal (a ``ContractError``) and changes nothing. Anything
else (a panic, an empty revert, an SDK error) fails the test.

Safety, checked after every step from the step's receipts and one batched read of the chain:

* money moves only by its owner's own act, for that purpose and amount: every token transfer of a step comes from the
  step's sender and is exactly the amount it authorised (``apply``: amount x (1 + tolerance) to the escrow;
  ``fund_amendment``: the pending increase; ``pay``: duty + VAT to the treasury the assessment fixed), or comes out of
  the credit escrow to the payee, the payer or a withdrawal's destination, or out of a rebate treasury for an approved
  claim. No transfer mints, burns or reaches an address the machine does not know;
* nothing is created or lost: model balances (replayed from ``Transfer`` logs) equal the chain's, and per token the
  sum over every known address equals the total supply (every 10th step and at the end of each example);
* the escrow holds exactly what it owes: per token, the letter-of-credit contract's balance equals the sum of the
  credits' ``escrowed`` plus what is held for withdrawal; per credit, ``reserved`` is the sum of its presentations
  under examination, an open credit's ``escrowed`` plus what was drawn equals amount x (1 + tolerance) plus a funded
  pending increase, a closed credit keeps only what pending presentations reserve;
* a payer loses only what it authorised: its balance never falls in a step it did not send, and what it sent to the
  escrow less what came back never exceeds what it authorised; once every credit is closed, it equals exactly what was
  drawn on its credits;
* one holder per bill, and title moves only by the holder's (or titleholder's) own act, the carrier's acts on a
  surrendered bill, or the escrow's settlement: a bill leaves the escrow only to the party the settlement names
  (honour: the applicant, or the issuing bank if the applicant is revoked; return: the beneficiary; a held bill: the
  organisation it is held for; a bill sent to the escrow by mistake: back where it came from). A bill under
  examination is in the escrow's custody; the escrow holds no bill without a reason;
* the escrow organisation is never suspended or revoked; pick-up codes go only to the party that surrendered the bill
  with title and work once; one paid rebate per bill, to its shipper, from the treasury that accepted.

Liveness, at the end of every example: time jumps past every deadline, then a fresh unregistered address (the
keeper) claims every presentation under examination, returns every refused one and expires every open credit -- with
every suspension and revocation still in place -- and every credit and presentation must be terminal, the escrow
empty but for payments held for withdrawal, which their owners then withdraw. The keeper also probes the escrow
(``recoverBill``, ``deliverHeldBill`` on every bill it holds): nothing may move but to where it is due. Then the
registrar reinstates the suspended, the keeper delivers held bills and recovers stray ones, and every bill outside the
escrow is driven to ACCOMPLISHED (or VOIDED, a draft) by its holder, titleholder and carrier where those are not
revoked; the escrow may keep only bills that revoked organisations wait for.

How it runs: the world (extra organisations, tokens, treasuries, anchored documents) and a base trade (four credits,
two presentations under examination, presentable bills, two customs cases; see ``TrustMachine.build_base``) are
built once; every example starts from a snapshot of it and reverts at the end. Rules name the example's credits,
bills, presentations, declarations ... by number (modulo their count) and say in the printed example what they
created. ``MAX_EXAMPLES`` x ``STEPS_PER_EXAMPLE`` rule steps (>= 5,000 executed, asserted), seeded and reproducible:
``derandomize=True``, no example database, the chain's clock pinned to 2100-01-04 09:00 UTC and advancing one second
per block whatever the wall clock does, every hash and key from a counter or a name. A failure prints the shortest
sequence of steps Hypothesis could shrink it to (``print_blob`` gives the ``@reproduce_failure`` line); the counts
of what ran are printed at the end (``pytest -s``).
"""

from __future__ import annotations

import contextlib
import copy
import functools
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import requests
from eth_account import Account
from eth_account.signers.local import LocalAccount
from eth_utils import keccak
from hypothesis import HealthCheck, Phase, note, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from portchain.clients.bill_of_lading import BillStatus
from portchain.clients.customs import Item
from portchain.clients.letter_of_credit import Credit, CreditTerms, Presentation
from portchain.clients.trade_documents import anchor_id
from portchain.documents.trade import DocType
from portchain.errors import ContractError, RevertError
from portchain.types import (
    BillKind,
    BillState,
    CreditState,
    DeclarationKind,
    DeclarationStatus,
    Discrepancy,
    InspectionResult,
    Lane,
    OrgStatus,
    PresentationState,
    Role,
)

# -- run size ---------------------------------------------------------------------------------------------------------

MAX_EXAMPLES = 120  # short examples: liveness checked often, failures shrink faster
STEPS_PER_EXAMPLE = 60
MIN_STEPS = 5_000
FULL_CHECK_EVERY = 10  # steps between full balance / supply / held-payment reads
# per example: enough to interact, few enough to read after every step
MAX_CREDITS, MAX_BILLS, MAX_DECLARATIONS, MAX_PICKUPS, MAX_CLAIMS = 7, 10, 6, 4, 4

SETTINGS = settings(
    max_examples=MAX_EXAMPLES,
    stateful_step_count=STEPS_PER_EXAMPLE,
    deadline=None,
    derandomize=True,
    database=None,
    print_blob=True,
    phases=[Phase.explicit, Phase.generate, Phase.shrink],  # no example database; no slow "explain" re-runs
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
)

DAY, HOUR = 86_400, 3_600
UNIT = 10**6
T0 = 47_485 * DAY + 9 * HOUR  # Monday 2100-01-04 09:00 UTC: banking days and deadlines are the same on every run
ZERO = "0x" + "00" * 20
TRANSFER_TOPIC = "0x" + keccak(text="Transfer(address,address,uint256)").hex()
OPEN = (PresentationState.PRESENTED, PresentationState.REFUSED, PresentationState.WAIVED)
CLOSED = (CreditState.EXPIRED, CreditState.CANCELLED)
NEXT_PRESENTATION = {
    PresentationState.PRESENTED: {PresentationState.REFUSED, PresentationState.WAIVED, PresentationState.HONOURED},
    PresentationState.REFUSED: {PresentationState.WAIVED, PresentationState.RETURNED},
    PresentationState.WAIVED: {PresentationState.HONOURED},
}
NEXT_CREDIT = {
    CreditState.APPLIED: {CreditState.ISSUED, CreditState.EXPIRED, CreditState.CANCELLED},
    CreditState.ISSUED: {CreditState.EXPIRED, CreditState.CANCELLED},
}
TERMINAL_BILL = (BillState.ACCOMPLISHED, BillState.VOIDED)

# Organisations the machine onboards beyond the devnet's one per role (name, country, role).
EXTRA_ORGS = (
    ("BUYER", "NL", Role.CONSIGNEE),  # a second applicant and importer
    ("SHIPPER2", "CN", Role.SHIPPER),  # a second beneficiary and exporter
    ("BANK2", "NL", Role.BANK),  # a second issuing bank, and the confirming bank
    ("CUSTOMS_CN", "CN", Role.CUSTOMS),  # the first CN customs organisation: designated, clears exports
    ("TAX_CN", "CN", Role.TAX),  # the first CN tax organisation: designated, pays export rebates
    ("TERMINAL2", "NL", Role.PORT_OPERATOR),  # a second terminal at the same port
)
# Plain addresses: the keeper (no organisation), payees, a safe withdrawal address, treasuries.
EOAS = ("KEEPER", "PAYEE1", "PAYEE2", "SAFE", "TREASURY_NL", "TREASURY_NL2", "REBATE_CN")
PAYERS = ("CONSIGNEE", "BUYER")
BENEFICIARIES = ("SHIPPER", "SHIPPER2")
BLOCKABLE = ("PAYEE1", "PAYEE2", "SHIPPER", "SHIPPER2", "CONSIGNEE", "BUYER")
BILL_ORGS = ("SHIPPER", "SHIPPER2", "CONSIGNEE", "BUYER", "BANK", "FORWARDER", "ESCROW")
REGISTRY_TARGETS = ("CONSIGNEE", "CONSIGNEE", "BUYER", "SHIPPER", "SHIPPER", "SHIPPER2", "BANK", "BANK", "BANK2",
                    "CARRIER", "FORWARDER", "ESCROW")
TOKENS = ("SET", "HOST")

MODEL_FIELDS = (
    "status", "balance", "owed", "authorised", "to_escrow", "from_escrow", "withdrawn_elsewhere", "credits", "bills",
    "presentations", "declarations", "pickups", "claims", "stray", "otherwise", "customs_treasury", "paid_rebates",
    "counter", "now", "cv", "pv", "bv", "hv",
)
END_GAMES = (
    "resolve, then expire",
    "expire, then resolve",
    "suspend the bill takers, resolve, then expire",
    "revoke the bill takers, expire, then resolve",
)
STATS: Counter[str] = Counter()
EXAMPLE_LENGTHS: list[int] = []


class ViolationError(AssertionError):
    """A safety or liveness property of the trust model does not hold."""


def h(text: str) -> bytes:
    return keccak(text=text)


def ensure(condition: bool, message: str) -> None:
    if not condition:
        raise ViolationError(message)


# -- the world: the suite, the cast, the tokens; built once per pytest run ------------------------------------------


@dataclass(frozen=True)
class Actor:
    name: str
    account: LocalAccount
    org: int  # 0: a plain address

    @property
    def address(self) -> str:
        return str(self.account.address)


class Reader:
    """eth_call in JSON-RPC batches (one HTTP round trip for a whole view of the chain)."""

    def __init__(self, url: str) -> None:
        self.url, self.session = url, requests.Session()

    def run(self, calls: list[tuple[str, bytes]], *, clock: bool = False) -> list[Any]:
        """The calls' return data, in order; with ``clock`` the latest block's timestamp last."""
        body = [
            {"jsonrpc": "2.0", "id": i, "method": "eth_call",
             "params": [{"to": to, "data": "0x" + data.hex()}, "latest"]}
            for i, (to, data) in enumerate(calls)
        ]
        if clock:
            body.append({"jsonrpc": "2.0", "id": len(calls), "method": "eth_getBlockByNumber",
                         "params": ["latest", False]})
        if not body:
            return []
        answers = sorted(self.session.post(self.url, json=body, timeout=60).json(), key=lambda r: r["id"])
        for answer in answers:
            if "error" in answer:
                raise AssertionError(f"a read of the chain failed: {answer['error']}")
        out: list[Any] = [bytes.fromhex(a["result"][2:]) for a in answers[: len(calls)]]
        if clock:
            out.append(int(answers[-1]["result"]["timestamp"], 16))
        return out


class World:
    """Everything the machine needs that does not change between examples."""

    def __init__(self, port: Any, parties: dict[Role, Any], admin: LocalAccount, deploy_fixture: Callable[..., Any]):
        self.port, self.admin = port, admin
        layer = port.layer
        self.layer = layer
        # Pin the clock: a fixed Monday, then one second per block whatever the wall clock does.
        layer.request("evm_setNextBlockTimestamp", [T0])
        layer.request("evm_mine", [])
        layer.request("anvil_setBlockTimestampInterval", [1])

        self.actors: dict[str, Actor] = {}
        for role, party in parties.items():
            self.actors[role.name] = Actor(role.name, party.account, party.org_id)
        for name, country, role in EXTRA_ORGS:
            account = Account.from_key(h(f"portchain trust machine {name}"))
            port.fund(account.address)
            org = port.registry.onboard(f"Trust machine {name}", f"TM-{name}", country, [role], [account.address],
                                        sender=admin).org_id
            self.actors[name] = Actor(name, account, org)
        for name in EOAS:
            account = Account.from_key(h(f"portchain trust machine {name}"))
            port.fund(account.address)
            self.actors[name] = Actor(name, account, 0)
        self.actors["ADMIN"] = Actor("ADMIN", admin, 0)
        assert port.registry.authority_of("CN", Role.CUSTOMS) == self.actors["CUSTOMS_CN"].org
        assert port.registry.authority_of("CN", Role.TAX) == self.actors["TAX_CN"].org

        self.lc, self.bol, self.customs = port.lc, port.bol, port.customs
        self.gate, self.rebates = port.gate, port.rebates
        self.escrow_org = self.lc.escrow_organisation()
        self.org_names = {a.org: a.name for a in self.actors.values() if a.org}
        self.org_names[self.escrow_org] = "ESCROW"
        self.org_ids = {name: org for org, name in self.org_names.items()}

        # Tokens: the settlement token and one that refuses transfers to addresses it is told to.
        self.hostile = deploy_fixture("HostileToken")
        self.token_address = {"SET": port.token.address, "HOST": self.hostile.address}
        self.token_key = {addr.lower(): key for key, addr in self.token_address.items()}
        self.erc20 = port.token.abi  # ERC-20 encoders (the hostile token shares the selectors)
        for payer in PAYERS:
            who = self.actors[payer]
            port.token.mint(who.address, 10**8 * UNIT, sender=admin)
            self.hostile.send("mint", who.address, 10**8 * UNIT)
            port.token.approve(self.lc.address, 2**256 - 1, sender=who.account)
            self.hostile.send("approve", self.lc.address, 2**256 - 1, sender=who.account)
            port.token.approve(self.customs.address, 2**256 - 1, sender=who.account)
        rebate = self.actors["REBATE_CN"]
        port.token.mint(rebate.address, 10**6 * UNIT, sender=admin)
        port.token.approve(self.rebates.address, 2**256 - 1, sender=rebate.account)

        # Customs NL: an accepted treasury, a tariff and the VAT rate; rebates CN: an accepted, funded treasury.
        customs_nl, tax_nl = self.actors["CUSTOMS"].account, self.actors["TAX"].account
        self.customs.nominate_treasury(self.actors["TREASURY_NL"].address, port.token.address, sender=customs_nl)
        self.customs.accept_treasury("NL", sender=self.actors["TREASURY_NL"].account)
        self.customs.set_tariff_rate("851712", 500, sender=customs_nl)
        self.customs.set_vat_rate(2_100, sender=tax_nl)
        self.rebates.nominate_treasury(rebate.address, port.token.address, sender=self.actors["TAX_CN"].account)
        self.rebates.accept_treasury("CN", sender=rebate.account)

        # Each beneficiary anchors its invoice and packing list once; presentations name them by anchor id.
        for name in BENEFICIARIES:
            who = self.actors[name]
            port.docs.anchor(self.invoice(name), DocType.COMMERCIAL_INVOICE, sender=who.account)
            port.docs.anchor(self.packing_list(name), DocType.PACKING_LIST, sender=who.account)

        self.tracked = {a.address.lower(): a.name for a in self.actors.values()}
        for name, address in (("LC", self.lc.address), ("CUSTOMS_CONTRACT", self.customs.address),
                              ("REBATES_CONTRACT", self.rebates.address), ("GATE_CONTRACT", self.gate.address)):
            self.tracked[address.lower()] = name
        self.reader = Reader(layer.rpc_url)
        self.baseline = self.read_balances()
        self.supply = self.read_supply()
        for token in TOKENS:
            # every unit in existence sits at an address the machine knows
            assert sum(v for (t, _), v in self.baseline.items() if t == token) == self.supply[token], token
        self.base: dict[str, Any] = {}  # the model of the base trade (TrustMachine.build_base)

    # documents
    @staticmethod
    def invoice(name: str) -> bytes:
        return h(f"invoice of {name}")

    @staticmethod
    def packing_list(name: str) -> bytes:
        return h(f"packing list of {name}")

    # reads
    def read_balances(self) -> dict[tuple[str, str], int]:
        fn = self.erc20.function("balanceOf")
        keys = [(t, a) for t in TOKENS for a in self.tracked]
        data = self.reader.run([(self.token_address[t], fn.encode([a])) for t, a in keys])
        return {k: int(fn.decode(d)) for k, d in zip(keys, data, strict=True)}

    def read_supply(self) -> dict[str, int]:
        fn = self.erc20.function("totalSupply")
        data = self.reader.run([(self.token_address[t], fn.encode([])) for t in TOKENS])
        return {t: int(fn.decode(d)) for t, d in zip(TOKENS, data, strict=True)}

    def close(self) -> None:
        self.layer.request("anvil_removeBlockTimestampInterval", [])


# -- the model's objects ----------------------------------------------------------------------------------------------


@dataclass(eq=False)
class CreditM:
    n: int  # number in the example: rules name objects by these numbers ("credit=0")
    id: int
    applicant: str
    beneficiary: str
    bank: str
    confirming: str | None
    token: str

    @property
    def payer(self) -> str:
        return self.applicant  # the applicant's address pays the escrow


@dataclass(eq=False)
class BillM:
    n: int
    id: bytes
    kind: BillKind
    shipper: str
    consignee: str | None


@dataclass(eq=False)
class PresM:
    n: int
    credit: CreditM
    number: int
    bill: BillM
    amount: int
    payee: str


@dataclass(eq=False)
class DeclM:
    n: int
    id: bytes
    kind: DeclarationKind
    declarant: str
    country: str
    document: bytes
    items: list[Item]
    bill: BillM | None
    treasury: str | None = None  # fixed at assessment
    status: DeclarationStatus = DeclarationStatus.LODGED  # as last seen


@dataclass(eq=False)
class PickupM:
    n: int
    terminal: str
    container: str
    code: bytes
    declaration: DeclM
    bill: BillM
    used: bool = False


@dataclass(eq=False)
class ClaimM:
    n: int
    id: int
    bill: BillM
    amount: int
    payee: str
    decided: bool = False


@dataclass
class StepContext:
    """What the current step is allowed to do: the rule, its sender, and where bills leaving the escrow may go."""

    rule: str
    sender: str = ""
    releases: dict[bytes, Callable[[BillStatus, int], bool]] = field(default_factory=dict)
    presented: set[bytes] = field(default_factory=set)  # bills this step presented into the escrow
    otherwise: dict[bytes, int] = field(default_factory=dict)  # who takes a bill held now if its recipient is revoked


REFUSED = object()


def _credit_view(m: TrustMachine, c: CreditM) -> Credit:
    return m.cv[c.id]


# What a rule's ``which`` argument selects among the example's objects before ``credit=``/``bill=``... numbers them.
WHICH: dict[str, Callable[[TrustMachine, Any], bool] | None] = {
    "any": None,
    "applied-for": lambda m, c: _credit_view(m, c).state == CreditState.APPLIED,
    "issued": lambda m, c: _credit_view(m, c).state == CreditState.ISSUED,
    "with-a-pending-amendment": lambda m, c: _credit_view(m, c).amendment_pending,
    "with-an-increase-to-fund": lambda m, c: (_credit_view(m, c).amendment_increase != 0
                                              and not _credit_view(m, c).amendment_funded),
    "under-examination": lambda m, p: m.pv[(p.credit.id, p.number)].state in OPEN,
    "just-moved": lambda m, b: m.bv[b.id].state == BillState.ISSUED and m.bv[b.id].previous_holder != 0,
    "issued-bill": lambda m, b: m.bv[b.id].state == BillState.ISSUED,
}
INDEX = st.integers(0, 9)  # rules name the example's credits, bills, presentations ... by number, modulo their count
UNDER_EXAMINATION = st.sampled_from(["under-examination"] * 3 + ["any"])


def say(text: str) -> None:
    """A line for the printed failing example (nothing while the base trade is built, outside any example)."""
    with contextlib.suppress(InvalidArgument):
        note(text)


def step(f: Callable[..., Any]) -> Callable[..., Any]:
    """Count the step, open its context, and remember a failure so that teardown does not mask it."""

    @functools.wraps(f)
    def wrapper(self: TrustMachine, **kwargs: Any) -> Any:
        STATS["steps"] += 1
        STATS[f"rule {f.__name__}"] += 1
        self.ctx = StepContext(f.__name__)
        self.steps += 1
        try:
            return f(self, **kwargs)
        except BaseException:
            self.failed = True
            raise

    return wrapper


class TrustMachine(RuleBasedStateMachine):
    world: World  # set by the test before the run

    def __init__(self) -> None:
        """Each example starts from the base trade (built once, see ``build_base``): a snapshot now, reverted at
        the end of the example; the model is a copy of the base's."""
        super().__init__()
        w = self.w = self.world
        self.snapshot = w.port.snapshot()
        STATS["examples"] += 1
        self.failed = False
        self.steps = 0
        self.ctx = StepContext("start")
        self.changed = False
        self.end_game = "resolve, then expire"
        for key, value in copy.deepcopy(w.base).items():
            setattr(self, key, value)

    @initialize(end_game=st.sampled_from(END_GAMES))
    def choose_end_game(self, end_game: str) -> None:
        """How the example ends (no transaction now): the keeper resolves presentations then expires credits, or
        the other way round (presentations pending must resolve after their credit closed); and, before that, the
        registrar may suspend or revoke every applicant and issuing bank that an open presentation's bill may go
        to."""
        self.end_game = end_game

    @classmethod
    def build_base(cls, w: World) -> dict[str, Any]:
        """Once per run: the trade every example starts from, built with the machine's own steps and checks.

        credit 0: CONSIGNEE for SHIPPER through BANK, settlement token, 100,000 about (+10%), partial drawings;
                  issued; presentation 0 of bill 0 for 60,000, complying, to PAYEE1, under examination.
        credit 1: BUYER for SHIPPER2 through BANK2 (BANK to confirm), hostile token, 50,000, one drawing, invoice and
                  packing list, bills to the issuing bank; issued; presentation 1 of bill 1, discrepant (another's
                  invoice), to PAYEE2, under examination.
        credit 2: CONSIGNEE for SHIPPER2 through BANK, hostile token, 80,000 (+5%), partial drawings; issued.
        credit 3: BUYER for SHIPPER through BANK2, settlement token, 30,000; applied for, not issued.
        bills 2 and 3: to-order bills of SHIPPER and SHIPPER2, shipped on board, held with title: presentable.
        bill 4: a sea waybill of SHIPPER to CONSIGNEE, its export (declaration 0) cleared by CN customs, shipped on
                board, surrendered by CONSIGNEE and accomplished; CONSIGNEE's import (declaration 1) accepted on the
                green lane in NL (to be assessed, paid and released before the gate lets the container go).
        bill 5: the same for SHIPPER2 to BUYER (declarations 2 and 3), the import assessed, paid and released: a
                terminal may authorise the pick-up."""
        b = cls.__new__(cls)
        RuleBasedStateMachine.__init__(b)
        b.w, b.failed, b.steps, b.ctx, b.changed = w, False, 0, StepContext("base trade"), True
        b._fresh_model()
        credits = [
            b._apply("CONSIGNEE", "SHIPPER", "BANK", None, "SET", 100, 1_000, True, "invoice", 60, "at-expiry", False),
            b._apply("BUYER", "SHIPPER2", "BANK2", "BANK", "HOST", 50, 0, False, "invoice+packing-list", 45,
                     "at-expiry", True),
            b._apply("CONSIGNEE", "SHIPPER2", "BANK", None, "HOST", 80, 500, True, "invoice", 30, "at-expiry", False),
            b._apply("BUYER", "SHIPPER", "BANK2", None, "SET", 30, 0, False, "invoice", 20, "in-2-days", False),
        ]
        assert all(credits)
        b._issue(credits[0], "BANK", must=True)
        b._issue(credits[1], "BANK2", must=True)
        b._issue(credits[2], "BANK", must=True)
        bills = [b._new_bill("SHIPPER", "to-order", None, "yesterday"), b._new_bill("SHIPPER2", "to-order", None,
                                                                                  "yesterday")]
        b.read_views()
        b._present(credits[0], bills[0], 60, "complying", "PAYEE1")
        b._present(credits[1], bills[1], 100, "another's-invoice", "PAYEE2")
        b._new_bill("SHIPPER", "to-order", None, "yesterday")
        b._new_bill("SHIPPER2", "to-order", None, "today")
        carrier, nl_customs = b.a("CARRIER"), b.a("CUSTOMS")
        for importer, exporter in (("CONSIGNEE", "SHIPPER"), ("BUYER", "SHIPPER2")):
            b._customs_case(importer, exporter, 20)
            waybill, receiver = b.bills[-1], b.a(importer)
            b.act(importer, lambda: w.bol.surrender_for_delivery(waybill.id, sender=receiver.account), must=True)
            b.act("CARRIER", lambda: w.bol.accept_surrender(waybill.id, sender=carrier.account), must=True)
        declaration = b.declarations[3]
        b.act("CUSTOMS", lambda: w.customs.assess(declaration.id, declaration.document, declaration.items,
                                                  sender=nl_customs.account), must=True)
        view = w.customs.declaration(declaration.id)
        declaration.treasury = view.treasury
        b.act("BUYER", lambda: w.customs.pay(declaration.id, sender=b.a("BUYER").account),
              pays=(("SET", "TREASURY_NL", view.duty + view.vat),), must=True)
        b.act("CUSTOMS", lambda: w.customs.release(declaration.id, sender=nl_customs.account), must=True)
        declaration.status = DeclarationStatus.RELEASED
        b.read_views()
        b._check_escrow()
        b._check_custody()
        b._check_balances()
        assert (len(b.credits), len(b.presentations), len(b.bills), len(b.declarations)) == (4, 2, 6, 4)
        b.changed = False
        base = copy.deepcopy({key: getattr(b, key) for key in MODEL_FIELDS})
        # Liveness of the base's own bills, once: each one outside the escrow reaches a terminal state. An example
        # that leaves such a bill (and its parties) as they were need not drive it there again.
        snapshot = w.port.snapshot()
        try:
            for bill in b.bills:
                if b.bv[bill.id].holder != w.escrow_org:
                    b._accomplish(bill)
                    assert b.bv[bill.id].state in TERMINAL_BILL
        finally:
            w.port.revert(snapshot)
        return base

    def _fresh_model(self) -> None:
        w = self.w
        self.counter = 0
        self.status = {name: OrgStatus.ACTIVE for name in w.org_ids}
        self.balance = dict(w.baseline)
        self.owed: defaultdict[tuple[str, str], int] = defaultdict(int)  # (token, address) -> held for withdrawal
        self.authorised: defaultdict[tuple[str, str], int] = defaultdict(int)  # (payer, token)
        self.to_escrow: defaultdict[tuple[str, str], int] = defaultdict(int)
        self.from_escrow: defaultdict[tuple[str, str], int] = defaultdict(int)
        self.withdrawn_elsewhere: defaultdict[tuple[str, str], int] = defaultdict(int)  # refunds held, sent on
        self.credits: list[CreditM] = []
        self.bills: list[BillM] = []
        self.presentations: list[PresM] = []
        self.declarations: list[DeclM] = []
        self.pickups: list[PickupM] = []
        self.claims: list[ClaimM] = []
        self.stray: dict[bytes, int] = {}  # bills sent to the escrow by their holder, and where they came from
        self.otherwise: dict[bytes, int] = {}  # held bills: who takes them should their recipient be revoked
        self.customs_treasury = w.actors["TREASURY_NL"].address
        self.paid_rebates: set[bytes] = set()
        # the last view of the chain
        self.now = T0
        self.cv: dict[int, Credit] = {}
        self.pv: dict[tuple[int, int], Presentation] = {}
        self.bv: dict[bytes, BillStatus] = {}
        self.hv: dict[bytes, int] = {}

    # -- helpers ------------------------------------------------------------------------------------------------

    def a(self, name: str) -> Actor:
        return self.w.actors[name]

    def fresh(self, label: str) -> bytes:
        self.counter += 1
        return h(f"{label} {self.counter}")

    def org_name(self, org: int) -> str:
        return self.w.org_names.get(org, f"org {org}")

    @staticmethod
    def pick(items: list[Any], index: int, what: str) -> Any:
        item = items[index % len(items)]
        if item.n != index:
            say(f"  ({what}={index} is {what} {item.n})")
        return item

    def choose(self, items: list[Any], index: int, which: str, what: str) -> Any:
        """Number ``index`` (modulo) among ``items`` in the state ``which`` names (see ``WHICH``), or among all of
        them for ``any`` or when none is in that state."""
        test = WHICH[which]
        pool = [item for item in items if test(self, item)] if test is not None else []
        item = (pool or items)[index % len(pool or items)]
        say(f"  ({what} {item.n})")
        return item

    def actor_of(self, org: int) -> Actor:
        """The actor signing for organisation ``org`` (the keeper for the escrow or no organisation)."""
        name = self.w.org_names.get(org)
        return self.w.actors[name] if name in self.w.actors else self.w.actors["KEEPER"]

    def bill_holder(self, bill: BillM) -> str:
        view = self.bv.get(bill.id)
        return self.actor_of(view.holder if view is not None else 0).name

    def credit_party(self, credit: CreditM, by: str) -> str:
        return {"applicant": credit.applicant, "issuer": credit.bank, "beneficiary": credit.beneficiary,
                "confirmer": credit.confirming or "BANK2", "payer": credit.payer, "keeper": "KEEPER"}.get(by, by)

    def bill_to(self, credit: CreditM) -> tuple[str, str]:
        """Who takes a bill on honour: the applicant (or the issuing bank for bill-to-issuer credits), and the other
        of the two when that one is revoked; and who takes it instead should the first be revoked later."""
        view = self.cv[credit.id]
        first, other = (credit.bank, credit.applicant) if view.bill_to_issuer else (credit.applicant, credit.bank)
        return (other, first) if self.status[first] == OrgStatus.REVOKED else (first, other)

    def release_to(self, bill: BillM, name: str, otherwise: str | None = None) -> None:
        """This step may take ``bill`` out of the escrow to ``name`` (or hold it there for ``name``, with
        ``otherwise`` to take it should ``name`` be revoked for good)."""
        org = self.w.org_ids[name]
        escrow = self.w.escrow_org

        def allowed(after: BillStatus, held_for: int) -> bool:
            return after.holder == org or (after.holder == escrow and held_for == org)

        self.ctx.releases[bill.id] = allowed
        self.ctx.otherwise[bill.id] = self.w.org_ids[otherwise] if otherwise else 0

    def release_held(self, bill: BillM) -> None:
        """This step may deliver a held bill: to the organisation it is held for, or, once that one is revoked, to
        the party the settlement named instead."""
        held_for, otherwise = self.hv.get(bill.id, 0), self.otherwise.get(bill.id, 0)
        targets = {held_for}
        if held_for and self.status[self.org_name(held_for)] == OrgStatus.REVOKED and otherwise:
            targets = {otherwise}
        self.ctx.releases[bill.id] = lambda after, now_held: after.holder in targets and now_held == 0

    def presentable(self, beneficiary: str) -> list[BillM]:
        """Bills ``beneficiary`` holds with title, shipped on board."""
        org = self.w.org_ids[beneficiary]
        return [b for b in self.bills if (v := self.bv.get(b.id)) is not None and v.state == BillState.ISSUED
                and v.holder == org and v.titleholder == org and v.shipped_on_board_date]

    def in_escrow(self) -> list[BillM]:
        return [b for b in self.bills if self.bv[b.id].holder == self.w.escrow_org]

    def act(
        self,
        sender: str,
        call: Callable[[], Any],
        *,
        pays: tuple[tuple[str, str, int], ...] = (),
        escrow_pays: tuple[str, ...] = (),
        rebate: tuple[str, int] | None = None,
        must: bool = False,
    ) -> Any:
        """Send one transaction through the SDK. A decoded refusal returns REFUSED (nothing changed); a mined
        transaction's token transfers are checked against what the step may move: ``pays`` (token, to, amount) from
        the sender, ``escrow_pays`` recipients of the escrow, ``rebate`` (payee, amount) from the rebate treasury."""
        layer = self.w.layer
        if self.changed and self.ctx.sender not in ("", sender):
            self.read_views()  # a step with several senders: check each one's moves of title under its own name
        layer.last_receipt = None
        self.ctx.sender = sender
        STATS["transactions sent"] += 1
        try:
            result = call()
        except ContractError as exc:
            if isinstance(exc, RevertError) and exc.reason != "recipient blocked":
                raise ViolationError(f"{self.ctx.rule} by {sender}: not a decoded refusal but {exc}") from exc
            if must:
                raise ViolationError(f"an exit was refused: {self.ctx.rule} by {sender}: {exc}") from exc
            STATS["refused"] += 1
            STATS[f"refused {self.ctx.rule}: {type(exc).__name__}"] += 1
            return REFUSED
        receipt = layer.last_receipt
        assert receipt is not None
        STATS["mined"] += 1
        STATS[f"mined {self.ctx.rule}"] += 1
        self.changed = True
        self._check_flows(sender, receipt.logs, list(pays), set(escrow_pays), rebate)
        return result

    def _check_flows(
        self,
        sender: str,
        logs: list[dict[str, Any]],
        pays: list[tuple[str, str, int]],
        escrow_pays: set[str],
        rebate: tuple[str, int] | None,
    ) -> None:
        """Every token transfer of one transaction is its owner's own act for that purpose and amount."""
        w = self.w
        who = self.a(sender).address.lower()
        lc = w.lc.address.lower()
        rule_name = self.ctx.rule
        paid: list[tuple[str, str, int]] = []  # what the escrow paid in this transaction: (token, to, amount)
        for log in logs:
            token = w.token_key.get(log["address"].lower())
            if token is None or not log["topics"] or log["topics"][0] != TRANSFER_TOPIC:
                continue
            frm, to, value = "0x" + log["topics"][1][-40:], "0x" + log["topics"][2][-40:], int(log["data"], 16)
            ensure(frm != ZERO and to != ZERO, f"{rule_name}: {value} {token} minted or burnt ({frm} -> {to})")
            ensure(to in w.tracked, f"{rule_name}: {value} {token} went to an unknown address {to}")
            src, dst = w.tracked.get(frm, frm), w.tracked[to]
            if frm == who and (token, dst, value) in pays:
                pays.remove((token, dst, value))
                if dst == "LC" and src in PAYERS:
                    self.authorised[(src, token)] += value  # the payer's own act, for this amount
            elif frm == lc:
                ensure(dst in escrow_pays, f"{rule_name} by {sender}: the escrow paid {value} {token} to {dst}, "
                                           f"which this step may not pay (allowed: {sorted(escrow_pays)})")
                paid.append((token, dst, value))
            elif rebate is not None and src == "REBATE_CN" and (dst, value) == rebate:
                rebate = None
            else:
                ensure(False, f"{rule_name} by {sender}: {value} {token} moved from {src} to {dst} without "
                              f"{src}'s own act for that purpose and amount (authorised: {pays})")
            self.balance[(token, frm)] -= value
            self.balance[(token, to)] += value
            ensure(self.balance[(token, frm)] >= 0, f"{src}'s modelled {token} balance went negative")
            if to == lc and src in PAYERS:
                self.to_escrow[(src, token)] += value
            if frm == lc and dst in PAYERS:
                self.from_escrow[(dst, token)] += value
        ensure(not pays, f"{rule_name} by {sender}: the authorised payment {pays} did not happen as authorised")
        for payer in PAYERS:
            for token in TOKENS:
                net = self.to_escrow[(payer, token)] - self.from_escrow[(payer, token)]
                ensure(net <= self.authorised[(payer, token)],
                       f"{payer} has {net} {token} in the escrow but authorised only {self.authorised[(payer, token)]}")
        events = w.lc.abi.decode_logs(logs, w.lc.address)
        held = [(w.token_key[e.args["token"].lower()], w.tracked.get(e.args["account"].lower(), e.args["account"]),
                 e.args["amount"]) for e in events if e.name == "PaymentHeld"]
        for event in events:
            if event.name == "PaymentHeld":
                key = (w.token_key[event.args["token"].lower()], event.args["account"].lower())
                self.owed[key] += event.args["amount"]
            elif event.name == "PaymentWithdrawn":
                token = w.token_key[event.args["token"].lower()]
                key = (token, event.args["account"].lower())
                ensure(event.args["amount"] == self.owed[key],
                       f"withdrew {event.args['amount']}, held {self.owed[key]}")
                self.owed[key] = 0
                owner = w.tracked[key[1]]
                if owner in PAYERS and event.args["to"].lower() != key[1]:
                    self.withdrawn_elsewhere[(owner, token)] += event.args["amount"]
            elif event.name == "PresentationHonoured":
                pres = next(p for p in self.presentations
                            if p.credit.id == event.args["id"] and p.number == event.args["presentation"])
                due = (pres.credit.token, pres.payee, pres.amount)
                ensure(event.args["amount"] == pres.amount and w.tracked.get(event.args["payee"].lower()) == pres.payee,
                       f"honoured {event.args['amount']} to {event.args['payee']}, presented {due}")
                ensure(due in paid or due in held, f"honour did not pay {due}: paid {paid}, held {held}")
                (paid if due in paid else held).remove(due)
            elif event.name == "CreditClosed" and event.args["refunded"]:
                credit = next(c for c in self.credits if c.id == event.args["id"])
                due = (credit.token, credit.payer, event.args["refunded"])
                ensure(due in paid or due in held, f"closing did not refund {due}: paid {paid}, held {held}")
                (paid if due in paid else held).remove(due)

    def _customs_case(self, importer: str, exporter: str, thousands: int) -> None:
        """(Base trade.) A sea waybill of the exporter to the importer: the export declaration lodged, linked to it
        and cleared by CN customs, the goods shipped on board, the import declaration lodged, linked and accepted on
        the green lane in NL."""
        bill = self._new_bill(exporter, "sea-waybill", importer, "not-yet")
        assert bill is not None
        c, carrier = self.w.customs, self.a("CARRIER")
        for kind, declarant in (("export", exporter), ("import", importer)):
            declaration = self._lodge(kind, declarant, bill, True, thousands)
            assert declaration is not None
            authority = self.a("CUSTOMS" if declaration.country == "NL" else "CUSTOMS_CN")
            self.act(authority.name, lambda: c.accept(declaration.id, sender=authority.account), must=True)
            self.act(authority.name, lambda: c.assign_lane(declaration.id, "green", sender=authority.account),
                     must=True)
            declaration.status = DeclarationStatus.ACCEPTED
            if kind == "export":
                self.act(authority.name, lambda: c.release(declaration.id, sender=authority.account), must=True)
                declaration.status = DeclarationStatus.RELEASED
                self.act("CARRIER", lambda: self.w.bol.record_milestone(bill.id, "shipped-on-board", self.now - DAY,
                                                                       sender=carrier.account), must=True)

    # -- registry, time and the hostile token -------------------------------------------------------------------

    @rule(org=st.sampled_from(REGISTRY_TARGETS),
          action=st.sampled_from(["suspend", "reinstate", "reinstate", "revoke"]))
    @step
    def registrar(self, org: str, action: str) -> None:
        registry, org_id = self.w.port.registry, self.w.org_ids[org]
        call = {"suspend": lambda: registry.suspend(org_id, "machine", sender=self.w.admin),
                "reinstate": lambda: registry.reinstate(org_id, sender=self.w.admin),
                "revoke": lambda: registry.revoke(org_id, "machine", sender=self.w.admin)}[action]
        if self.act("ADMIN", call) is REFUSED:
            return
        ensure(org != "ESCROW", f"the registrar could {action} the escrow organisation")
        before = self.status[org]
        expected = {"suspend": (OrgStatus.ACTIVE,), "reinstate": (OrgStatus.SUSPENDED,),
                    "revoke": (OrgStatus.ACTIVE, OrgStatus.SUSPENDED)}[action]
        ensure(before in expected, f"{action} of a {before.name} organisation went through")
        self.status[org] = {"suspend": OrgStatus.SUSPENDED, "reinstate": OrgStatus.ACTIVE,
                            "revoke": OrgStatus.REVOKED}[action]

    @rule(hours=st.sampled_from([1, 3, 12, 24, 48, 120, 240, 960]))
    @step
    def travel(self, hours: int) -> None:
        layer = self.w.layer
        layer.request("evm_setNextBlockTimestamp", [layer.block_timestamp() + hours * HOUR])
        layer.request("evm_mine", [])
        self.changed = True

    @precondition(lambda self: any(c.token == "HOST" for c in self.credits))
    @rule(who=st.sampled_from(BLOCKABLE), blocked=st.booleans())
    @step
    def hostile_token_blocks(self, who: str, blocked: bool) -> None:
        address = self.a(who).address
        self.act("ADMIN", lambda: self.w.hostile.send("setBlocked", address, blocked))

    # -- letters of credit ----------------------------------------------------------------------------------------

    @precondition(lambda self: len(self.credits) < MAX_CREDITS)
    @rule(applicant=st.sampled_from(["CONSIGNEE", "CONSIGNEE", "BUYER", "SHIPPER"]),
          beneficiary=st.sampled_from(BENEFICIARIES), bank=st.sampled_from(["BANK", "BANK", "BANK2"]),
          confirming=st.sampled_from([None, None, "BANK2"]), token=st.sampled_from(TOKENS),
          thousands=st.integers(1, 400), tolerance_bps=st.sampled_from([0, 500, 1_000]), partial=st.booleans(),
          documents=st.sampled_from(["invoice", "invoice+packing-list"]),
          expiry_days=st.sampled_from([4, 20, 45, 90]), latest_shipment=st.sampled_from(["at-expiry", "in-2-days"]),
          bill_to_issuer=st.booleans())
    @step
    def apply(self, applicant: str, beneficiary: str, bank: str, confirming: str | None, token: str, thousands: int,
              tolerance_bps: int, partial: bool, documents: str, expiry_days: int, latest_shipment: str,
              bill_to_issuer: bool) -> None:
        self._apply(applicant, beneficiary, bank, confirming, token, thousands, tolerance_bps, partial, documents,
                    expiry_days, latest_shipment, bill_to_issuer)

    def _apply(self, applicant: str, beneficiary: str, bank: str, confirming: str | None, token: str, thousands: int,
               tolerance_bps: int, partial: bool, documents: str, expiry_days: int, latest_shipment: str,
               bill_to_issuer: bool) -> CreditM | None:
        w = self.w
        amount = thousands * 1_000 * UNIT
        expiry = self.now + expiry_days * DAY
        required = [DocType.COMMERCIAL_INVOICE] + ([DocType.PACKING_LIST] if "packing" in documents else [])
        terms = CreditTerms(
            terms_hash=self.fresh("terms"), token=w.token_address[token], amount=amount,
            beneficiary=w.org_ids[beneficiary], issuing_bank=w.org_ids[bank], expiry=expiry,
            latest_shipment=expiry if latest_shipment == "at-expiry" else min(expiry, self.now + 2 * DAY),
            tolerance_bps=tolerance_bps, partial_drawings=partial, required_documents=required,
            confirming_bank=w.org_ids[confirming] if confirming else 0, bill_to_issuer=bill_to_issuer,
        )
        maximum = amount * (10_000 + tolerance_bps) // 10_000
        payer = self.a(applicant)
        pays = ((token, "LC", maximum),) if applicant in PAYERS else ()
        credit_id = self.act(applicant, lambda: w.lc.apply(terms, sender=payer.account), pays=pays)
        if credit_id is REFUSED:
            return None
        ensure(applicant in PAYERS, f"{applicant}, which approved nothing, applied for a credit")
        credit = CreditM(len(self.credits), credit_id, applicant, beneficiary, bank, confirming, token)
        self.credits.append(credit)
        say(f"  credit {credit.n}: {applicant} applies, {beneficiary} to draw up to {maximum} {token} from {bank}")
        return credit

    def _issue(self, credit: CreditM, by: str, must: bool = False) -> Any:
        lc, who = self.w.lc, self.a(by)
        return self.act(by, lambda: lc.issue(credit.id, sender=who.account), must=must)

    @precondition(lambda self: self.credits)
    @rule(credit=INDEX, which=st.sampled_from(["applied-for"] * 3 + ["any"]),
          by=st.sampled_from(["issuer", "issuer", "issuer", "applicant"]))
    @step
    def issue(self, credit: int, which: str, by: str) -> None:
        c = self.choose(self.credits, credit, which, "credit")
        self._issue(c, self.credit_party(c, by))

    @precondition(lambda self: self.credits)
    @rule(credit=INDEX, by=st.sampled_from(["applicant", "issuer"]))
    @step
    def cancel(self, credit: int, by: str) -> None:
        c = self.pick(self.credits, credit, "credit")
        who = self.a(self.credit_party(c, by))
        self.act(who.name, lambda: self.w.lc.cancel(c.id, sender=who.account), escrow_pays=(c.payer,))

    @precondition(lambda self: self.credits)
    @rule(credit=INDEX, by=st.sampled_from(["beneficiary", "beneficiary", "applicant"]))
    @step
    def consent_to_cancellation(self, credit: int, by: str) -> None:
        c = self.pick(self.credits, credit, "credit")
        who = self.a(self.credit_party(c, by))
        self.act(who.name, lambda: self.w.lc.consent_to_cancellation(c.id, sender=who.account))

    @precondition(lambda self: self.credits)
    @rule(credit=INDEX, change=st.sampled_from(["increase", "increase", "decrease", "extend", "shorten",
                                                "increase+extend"]),
          which=st.sampled_from(["issued"] * 3 + ["any"]),
          percent=st.integers(5, 80), by=st.sampled_from(["issuer", "issuer", "issuer", "applicant"]))
    @step
    def amend(self, credit: int, change: str, which: str, percent: int, by: str) -> None:
        c = self.choose(self.credits, credit, which, "credit")
        view = self.cv[c.id]
        kwargs: dict[str, Any] = {}
        if "increase" in change:
            kwargs["amount"] = view.amount * (100 + percent) // 100
        if change == "decrease":
            kwargs["amount"] = max(1, view.amount * (100 - percent) // 100)
        if "extend" in change:
            kwargs["expiry"] = view.expiry + percent * DAY // 2
        if change == "shorten":
            kwargs["expiry"] = max(self.now + DAY, view.expiry - percent * DAY // 4)
        who = self.a(self.credit_party(c, by))
        self.act(who.name, lambda: self.w.lc.amend(c.id, sender=who.account, **kwargs))

    @precondition(lambda self: self.credits)
    @rule(credit=INDEX, which=st.sampled_from(["with-an-increase-to-fund"] * 3 + ["any"]),
          by=st.sampled_from(["payer", "payer", "issuer", "keeper"]))
    @step
    def fund_amendment(self, credit: int, which: str, by: str) -> None:
        c = self.choose(self.credits, credit, which, "credit")
        who = self.a(self.credit_party(c, by))
        increase = self.cv[c.id].amendment_increase
        pays = ((c.token, "LC", increase),) if who.name == c.payer else ()
        if self.act(who.name, lambda: self.w.lc.fund_amendment(c.id, sender=who.account), pays=pays) is REFUSED:
            return
        ensure(who.name == c.payer, f"{who.name} funded an amendment of {c.payer}'s credit")

    @precondition(lambda self: self.credits)
    @rule(credit=INDEX, which=st.sampled_from(["with-a-pending-amendment"] * 3 + ["any"]),
          answer=st.sampled_from(["accept", "accept", "accept", "accept-in-part", "reject"]),
          by=st.sampled_from(["beneficiary", "beneficiary", "beneficiary", "issuer"]))
    @step
    def answer_amendment(self, credit: int, which: str, answer: str, by: str) -> None:
        c = self.choose(self.credits, credit, which, "credit")
        lc, who = self.w.lc, self.a(self.credit_party(c, by))
        call = {"accept": lambda: lc.accept_amendment(c.id, sender=who.account),
                "accept-in-part": lambda: lc.accept_amendment(c.id, changes=0, sender=who.account),
                "reject": lambda: lc.reject_amendment(c.id, sender=who.account)}[answer]
        self.act(who.name, call, escrow_pays=(c.payer,))

    @precondition(lambda self: self.credits)
    @rule(credit=INDEX)
    @step
    def confirm(self, credit: int) -> None:
        c = self.pick(self.credits, credit, "credit")
        who = self.a(self.credit_party(c, "confirmer"))
        self.act(who.name, lambda: self.w.lc.confirm(c.id, sender=who.account))

    @precondition(lambda self: self.credits and self.bills)
    @rule(credit=INDEX, bill=st.sampled_from(["one-it-holds"] * 3 + ["any"]), pick=INDEX,
          percent=st.sampled_from([100, 100, 105, 60, 30]),
          documents=st.sampled_from(["complying", "complying", "complying", "none", "another's-invoice",
                                     "unanchored"]),
          payee=st.sampled_from(["beneficiary", "PAYEE1", "PAYEE2"]),
          amendment=st.sampled_from(["none", "the-pending-one", "the-pending-one", "another"]))
    @step
    def present(self, credit: int, bill: str, pick: int, percent: int, documents: str, payee: str,
                amendment: str) -> None:
        """The beneficiary presents documents and a bill: one it holds with title (``one-it-holds``, when it has
        any) or any bill of the example; ``pick`` chooses among them. ``amendment``: the presentation accepts none,
        the pending one (if it complies with it), or names another number."""
        c = self.pick(self.credits, credit, "credit")
        candidates = (self.presentable(c.beneficiary) if bill == "one-it-holds" else []) or self.bills
        self._present(c, candidates[pick % len(candidates)], percent, documents, payee, amendment)

    def _present(self, credit: CreditM, bill: BillM, percent: int, documents: str, payee: str,
                 amendment: str = "none") -> None:
        w, view = self.w, self.cv[credit.id]
        who = self.a(credit.beneficiary)
        mine = (w.invoice(who.name), who.org), (w.packing_list(who.name), who.org)
        other = next(b for b in BENEFICIARIES if b != who.name)
        docs = {"complying": list(mine), "none": [],
                "another's-invoice": [(w.invoice(other), w.org_ids[other]), mine[1]],
                "unanchored": [(h("never anchored"), who.org)]}[documents]
        anchors = [anchor_id(doc, issuer) for doc, issuer in docs]
        amount = max(1, view.amount * percent // 100)
        payee_name = who.name if payee == "beneficiary" else payee
        payee_address = self.a(payee_name).address
        pending = view.amendments if view.amendment_pending else 0
        accepts = {"none": 0, "the-pending-one": pending, "another": view.amendments + 1}[amendment]
        number = self.act(who.name, lambda: w.lc.present(credit.id, amount, anchors, bill.id, payee=payee_address,
                                                         sender=who.account, bol=w.bol, accepts_amendment=accepts),
                          escrow_pays=(credit.payer,))
        if number is REFUSED:
            return
        self.ctx.presented.add(bill.id)
        ensure(self.bill_holder(bill) == who.name, f"{who.name} presented a bill held by {self.bill_holder(bill)}")
        presentation = PresM(len(self.presentations), credit, number, bill, amount, payee_name)
        self.presentations.append(presentation)
        say(f"  presentation {presentation.n}: {who.name} presents bill {bill.n} under credit {credit.n}, "
             f"{amount} {credit.token} to {payee_name} ({documents} documents)")

    def _examining(self, presentation: PresM, by: str) -> Actor:
        return self.a(self.credit_party(presentation.credit, by))

    @precondition(lambda self: self.presentations)
    @rule(presentation=INDEX, which=UNDER_EXAMINATION,
          by=st.sampled_from(["issuer", "issuer", "issuer", "confirmer", "applicant"]))
    @step
    def honour(self, presentation: int, which: str, by: str) -> None:
        p = self.choose(self.presentations, presentation, which, "presentation")
        who = self._examining(p, by)
        self.release_to(p.bill, *self.bill_to(p.credit))
        self.act(who.name, lambda: self.w.lc.honour(p.credit.id, p.number, sender=who.account),
                 escrow_pays=(p.payee,))

    @precondition(lambda self: self.presentations)
    @rule(presentation=INDEX, which=UNDER_EXAMINATION, by=st.sampled_from(["issuer", "issuer", "confirmer"]),
          notice=st.sampled_from(["every-discrepancy", "every-discrepancy", "incomplete", "empty"]))
    @step
    def refuse(self, presentation: int, which: str, by: str, notice: str) -> None:
        p = self.choose(self.presentations, presentation, which, "presentation")
        found = int(self.pv[(p.credit.id, p.number)].discrepancies)
        codes = {"every-discrepancy": found | Discrepancy.OTHER, "incomplete": int(Discrepancy.OTHER),
                 "empty": 0}[notice]
        who = self._examining(p, by)
        self.act(who.name, lambda: self.w.lc.refuse(p.credit.id, p.number, int(codes), sender=who.account))

    @precondition(lambda self: self.presentations)
    @rule(presentation=INDEX, which=UNDER_EXAMINATION, by=st.sampled_from(["applicant", "applicant", "beneficiary"]))
    @step
    def waive(self, presentation: int, which: str, by: str) -> None:
        p = self.choose(self.presentations, presentation, which, "presentation")
        who = self._examining(p, by)
        self.act(who.name, lambda: self.w.lc.waive(p.credit.id, p.number, sender=who.account))

    @precondition(lambda self: self.presentations)
    @rule(presentation=INDEX, which=UNDER_EXAMINATION, by=st.sampled_from(["issuer", "beneficiary", "keeper"]))
    @step
    def return_documents(self, presentation: int, which: str, by: str) -> None:
        p = self.choose(self.presentations, presentation, which, "presentation")
        who = self._examining(p, by)
        self.release_to(p.bill, p.credit.beneficiary)
        self.act(who.name, lambda: self.w.lc.return_documents(p.credit.id, p.number, sender=who.account),
                 escrow_pays=(p.credit.payer,))

    @precondition(lambda self: self.presentations)
    @rule(presentation=INDEX, which=UNDER_EXAMINATION, by=st.sampled_from(["keeper", "beneficiary", "FORWARDER"]))
    @step
    def claim(self, presentation: int, which: str, by: str) -> None:
        p = self.choose(self.presentations, presentation, which, "presentation")
        who = self._examining(p, by)
        self.release_to(p.bill, *self.bill_to(p.credit))
        self.act(who.name, lambda: self.w.lc.claim(p.credit.id, p.number, sender=who.account),
                 escrow_pays=(p.payee,))

    @precondition(lambda self: self.credits)
    @rule(credit=INDEX, by=st.sampled_from(["keeper", "FORWARDER"]))
    @step
    def expire(self, credit: int, by: str) -> None:
        c = self.pick(self.credits, credit, "credit")
        who = self.a(self.credit_party(c, by))
        self.act(who.name, lambda: self.w.lc.expire(c.id, sender=who.account), escrow_pays=(c.payer,))

    @precondition(lambda self: any(self.owed.values()))
    @rule(who=st.sampled_from(BLOCKABLE), token=st.sampled_from(TOKENS), to=st.sampled_from(["itself", "SAFE"]))
    @step
    def withdraw(self, who: str, token: str, to: str) -> None:
        account = self.a(who)
        destination = account.name if to == "itself" else to
        self.act(who, lambda: self.w.lc.withdraw(self.w.token_address[token], self.a(destination).address,
                                                 sender=account.account),
                 escrow_pays=(destination,))

    @precondition(lambda self: any(self.hv.values()))
    @rule(held=INDEX)
    @step
    def deliver_held_bill(self, held: int) -> None:
        """Anyone (the keeper) delivers one of the bills the escrow holds."""
        bill = self.in_escrow()[held % len(self.in_escrow())]
        if self.hv.get(bill.id, 0):
            self.release_held(bill)
        self.act("KEEPER", lambda: self.w.lc.deliver_held_bill(bill.id, sender=self.a("KEEPER").account))

    @precondition(lambda self: any(v.holder == self.w.escrow_org for v in self.bv.values()))
    @rule(held=INDEX)
    @step
    def recover_bill(self, held: int) -> None:
        """Anyone (the keeper) asks the escrow to give back one of the bills it holds."""
        bill = self.in_escrow()[held % len(self.in_escrow())]
        if bill.id in self.stray:
            self.release_to(bill, self.org_name(self.stray[bill.id]))
        self.act("KEEPER", lambda: self.w.lc.recover_bill(bill.id, sender=self.a("KEEPER").account))

    # -- bills of lading ------------------------------------------------------------------------------------------

    @precondition(lambda self: len(self.bills) < MAX_BILLS)
    @rule(shipper=st.sampled_from(BENEFICIARIES),
          kind=st.sampled_from(["to-order", "to-order", "to-order", "to-order", "straight", "sea-waybill"]),
          consignee=st.sampled_from([None, None, None, "CONSIGNEE", "BUYER"]),
          shipped=st.sampled_from(["yesterday", "yesterday", "today", "not-yet"]))
    @step
    def new_bill(self, shipper: str, kind: str, consignee: str | None, shipped: str) -> None:
        self._new_bill(shipper, kind, consignee, shipped)

    def _new_bill(self, shipper: str, kind: str, consignee: str | None, shipped: str) -> BillM | None:
        w, carrier, owner = self.w, self.a("CARRIER"), self.a(shipper)
        bill_kind = BillKind.parse(kind)
        if bill_kind != BillKind.TO_ORDER and consignee is None:
            consignee = "CONSIGNEE"
        document = self.fresh("transport document")
        bill_id = self.act("CARRIER", lambda: w.bol.draft_from_hash(document, bill_kind, shipper=owner.org,
                                                         consignee=w.org_ids[consignee] if consignee else 0,
                                                         sender=carrier.account))
        if bill_id is REFUSED:
            return None
        bill = BillM(len(self.bills), bill_id, bill_kind, shipper, consignee)
        self.bills.append(bill)
        say(f"  bill {bill.n}: a {kind} bill of {shipper}" + (f" to {consignee}" if consignee else ""))
        if self.act(shipper, lambda: w.bol.approve(bill_id, sender=owner.account)) is REFUSED:
            return bill
        if self.act("CARRIER", lambda: w.bol.issue(bill_id, sender=carrier.account)) is REFUSED:
            return bill
        if shipped != "not-yet":
            date = self.now - (DAY if shipped == "yesterday" else 0)
            self.act("CARRIER", lambda: w.bol.record_milestone(bill_id, "shipped-on-board", date,
                                                              sender=carrier.account))
        return bill

    @precondition(lambda self: self.bills)
    @rule(bill=INDEX, days_ago=st.sampled_from([0, 1, 3]))
    @step
    def ship(self, bill: int, days_ago: int) -> None:
        b, carrier = self.pick(self.bills, bill, "bill"), self.a("CARRIER")
        self.act("CARRIER", lambda: self.w.bol.record_milestone(b.id, "shipped-on-board", self.now - days_ago * DAY,
                                                               sender=carrier.account))

    def _bill_actor(self, bill: BillM, by: str) -> Actor:
        view = self.bv.get(bill.id)
        if by == "holder":
            return self.a(self.bill_holder(bill))
        if by == "previous-holder" and view is not None and view.previous_holder:
            return self.actor_of(view.previous_holder)
        if by == "consignee":
            return self.a(bill.consignee or "CONSIGNEE")
        return self.a(by if by in self.w.actors else "KEEPER")

    @precondition(lambda self: self.bills)
    @rule(bill=INDEX, which=st.sampled_from(["issued-bill"] * 3 + ["any"]), to=st.sampled_from(BILL_ORGS),
          by=st.sampled_from(["holder", "holder", "holder", "CONSIGNEE"]))
    @step
    def transfer_bill(self, bill: int, which: str, to: str, by: str) -> None:
        b = self.choose(self.bills, bill, which, "bill")
        who = self._bill_actor(b, by)
        self.act(who.name, lambda: self.w.bol.transfer(b.id, self.w.org_ids[to], sender=who.account))

    @precondition(lambda self: self.bills)
    @rule(bill=INDEX, which=st.sampled_from(["issued-bill"] * 3 + ["any"]), to=st.sampled_from(BILL_ORGS),
          to_order=st.booleans(), by=st.sampled_from(["holder", "holder", "holder", "SHIPPER"]))
    @step
    def endorse_bill(self, bill: int, which: str, to: str, to_order: bool, by: str) -> None:
        b = self.choose(self.bills, bill, which, "bill")
        who = self._bill_actor(b, by)
        self.act(who.name, lambda: self.w.bol.endorse(b.id, self.w.org_ids[to], to_order=to_order,
                                                      sender=who.account))

    @precondition(lambda self: self.bills)
    @rule(bill=INDEX, by=st.sampled_from(["holder", "holder", "CONSIGNEE"]))
    @step
    def blank_endorse_bill(self, bill: int, by: str) -> None:
        b = self.pick(self.bills, bill, "bill")
        who = self._bill_actor(b, by)
        self.act(who.name, lambda: self.w.bol.blank_endorse(b.id, sender=who.account))

    @precondition(lambda self: self.bills)
    @rule(bill=INDEX, which=st.sampled_from(["just-moved"] * 3 + ["any"]),
          by=st.sampled_from(["holder", "holder", "previous-holder"]))
    @step
    def reject_transfer(self, bill: int, which: str, by: str) -> None:
        b = self.choose(self.bills, bill, which, "bill")
        who = self._bill_actor(b, by)
        self.act(who.name, lambda: self.w.bol.reject_transfer(b.id, sender=who.account))

    @precondition(lambda self: self.bills)
    @rule(bill=INDEX, which=st.sampled_from(["issued-bill"] * 3 + ["any"]),
          purpose=st.sampled_from(["delivery", "delivery", "switch-to-paper"]),
          by=st.sampled_from(["holder", "holder", "consignee", "CARRIER"]))
    @step
    def surrender(self, bill: int, which: str, purpose: str, by: str) -> None:
        b = self.choose(self.bills, bill, which, "bill")
        who, bol = self._bill_actor(b, by), self.w.bol
        call = (lambda: bol.surrender_for_delivery(b.id, sender=who.account)) if purpose == "delivery" else (
            lambda: bol.surrender_for_amendment(b.id, "SWTP", sender=who.account))
        self.act(who.name, call)

    @precondition(lambda self: self.bills)
    @rule(bill=INDEX, which=st.sampled_from(["surrendered", "surrendered", "surrendered", "any"]),
          answer=st.sampled_from(["accept", "accept", "reject"]))
    @step
    def carrier_answers(self, bill: int, which: str, answer: str) -> None:
        """The carrier answers a surrender (of a surrendered bill, or any): accepts it, or rejects it."""
        surrendered = [b for b in self.bills if self.bv[b.id].state in (BillState.SURRENDERED_FOR_DELIVERY,
                                                                         BillState.SURRENDERED_FOR_AMENDMENT)]
        pool = (surrendered if which == "surrendered" else []) or self.bills
        b = pool[bill % len(pool)]
        say(f"  (bill {b.n})")
        carrier, bol = self.a("CARRIER"), self.w.bol
        view = self.bv.get(b.id)
        if answer == "reject":
            call = lambda: bol.reject_surrender(b.id, sender=carrier.account)  # noqa: E731
        elif view is not None and view.state == BillState.SURRENDERED_FOR_AMENDMENT:
            paper = self.fresh("paper bill")
            call = lambda: bol.accept_amendment(b.id, paper, sender=carrier.account)  # noqa: E731
        else:
            call = lambda: bol.accept_surrender(b.id, sender=carrier.account)  # noqa: E731
        self.act("CARRIER", call)

    # -- customs, the gate, rebates -------------------------------------------------------------------------------

    @precondition(lambda self: self.bills and len(self.declarations) < MAX_DECLARATIONS)
    @rule(kind=st.sampled_from(["import", "export"]),
          declarant=st.sampled_from(["CONSIGNEE", "BUYER", "SHIPPER", "SHIPPER2", "FORWARDER"]), bill=INDEX,
          link=st.sampled_from([True, True, False]), thousands=st.integers(1, 50))
    @step
    def lodge(self, kind: str, declarant: str, bill: int, link: bool, thousands: int) -> None:
        self._lodge(kind, declarant, self.pick(self.bills, bill, "bill"), link, thousands)

    def _lodge(self, kind: str, declarant: str, bill: BillM, link: bool, thousands: int) -> DeclM | None:
        c, who = self.w.customs, self.a(declarant)
        decl_kind = DeclarationKind.parse(kind)
        country = "NL" if decl_kind == DeclarationKind.IMPORT else "CN"
        items = [Item("851712", thousands * 1_000 * UNIT, "CN")]
        document = self.fresh("declaration")
        decl_id = self.act(declarant, lambda: c.lodge(decl_kind, country, document, items,
                                                      bill=bill.id if link else None, sender=who.account))
        if decl_id is REFUSED:
            return None
        declaration = DeclM(len(self.declarations), decl_id, decl_kind, declarant, country, document, items,
                            bill if link else None)
        self.declarations.append(declaration)
        say(f"  declaration {declaration.n}: {declarant}'s {kind} in {country}"
             + (f" for bill {bill.n}" if link else ""))
        return declaration

    @precondition(lambda self: self.declarations)
    @rule(declaration=INDEX, which=st.sampled_from(["open", "open", "open", "any"]),
          decision=st.sampled_from(["advance"] * 8 + ["red-lane", "yellow-lane", "inspection-failed",
                                                      "require-amendment", "reject", "another-authority"]))
    @step
    def customs_acts(self, declaration: int, which: str, decision: str) -> None:
        """The customs authority of the declaration's country takes its next step (``advance``: accept, green lane,
        pass the check, assess an import, release a paid import or a cleared export) or another decision, on a
        declaration still under way (``open``) or any."""
        d = self.with_status(which, declaration)
        c = self.w.customs
        own = "CUSTOMS" if d.country == "NL" else "CUSTOMS_CN"
        authority = self.a(own if decision != "another-authority" else ({"CUSTOMS", "CUSTOMS_CN"} - {own}).pop())
        view = c.declaration(d.id)
        sender = authority.account
        did = d.id
        passed = view.lane == Lane.GREEN or (view.lane != Lane.NONE and view.inspection == InspectionResult.PASSED)
        if decision in ("advance", "another-authority"):
            if view.status == DeclarationStatus.LODGED:
                call = lambda: c.accept(did, sender=sender)  # noqa: E731
            elif view.status == DeclarationStatus.ACCEPTED and view.lane == Lane.NONE:
                call = lambda: c.assign_lane(did, "green", sender=sender)  # noqa: E731
            elif view.status == DeclarationStatus.ACCEPTED and not passed:
                call = lambda: c.record_inspection(did, "passed", "ok", sender=sender)  # noqa: E731
            elif view.status == DeclarationStatus.ACCEPTED and d.kind == DeclarationKind.IMPORT:
                call = lambda: c.assess(did, d.document, d.items, sender=sender)  # noqa: E731
            else:
                call = lambda: c.release(did, sender=sender)  # noqa: E731
        elif decision in ("red-lane", "yellow-lane"):
            call = lambda: c.assign_lane(did, decision.split("-")[0], sender=sender)  # noqa: E731
        elif decision == "inspection-failed":
            call = lambda: c.record_inspection(did, "failed", "seals broken", sender=sender)  # noqa: E731
        elif decision == "require-amendment":
            call = lambda: c.require_amendment(did, "value", sender=sender)  # noqa: E731
        else:
            call = lambda: c.reject(did, "no", sender=sender)  # noqa: E731
        before = view.status
        if self.act(authority.name, call) is REFUSED:
            return
        ensure(authority.name == own, f"{authority.name} acted on a declaration of {d.country}")
        after = c.declaration(d.id)
        d.status = after.status
        STATS[f"customs: {d.kind.name.lower()} {before.name} -> {after.status.name}"] += 1
        if before == DeclarationStatus.ACCEPTED and after.status in (DeclarationStatus.ASSESSED,
                                                                     DeclarationStatus.PAID):
            ensure(after.treasury in (None, self.customs_treasury),
                   f"assessed to treasury {after.treasury}, the accepted one is {self.customs_treasury}")
            d.treasury = after.treasury
        if after.status == DeclarationStatus.RELEASED:
            ensure((d.kind == DeclarationKind.IMPORT and before == DeclarationStatus.PAID)
                   or (d.kind == DeclarationKind.EXPORT and before == DeclarationStatus.ACCEPTED and passed),
                   f"a {d.kind.name} declaration released from {before.name}")

    @precondition(lambda self: self.declarations)
    @rule(which=st.sampled_from(["TREASURY_NL", "TREASURY_NL2"]))
    @step
    def customs_treasury_changes(self, which: str) -> None:
        """NL customs nominates another treasury (or the first one again); the treasury accepts."""
        c, treasury = self.w.customs, self.a(which)
        token = self.w.token_address["SET"]
        if self.act("CUSTOMS", lambda: c.nominate_treasury(treasury.address, token,
                                                           sender=self.a("CUSTOMS").account)) is REFUSED:
            return
        if self.act(which, lambda: c.accept_treasury("NL", sender=treasury.account)) is not REFUSED:
            self.customs_treasury = treasury.address

    def with_status(self, which: str, index: int) -> DeclM:
        """Declaration number ``index`` among those last seen ASSESSED / RELEASED (``which``), or among all."""
        wanted = {"assessed": {(DeclarationKind.IMPORT, DeclarationStatus.ASSESSED)},
                  "released-import": {(DeclarationKind.IMPORT, DeclarationStatus.RELEASED)},
                  "released-export": {(DeclarationKind.EXPORT, DeclarationStatus.RELEASED)},
                  "open": {(k, s) for k in DeclarationKind
                           for s in (DeclarationStatus.LODGED, DeclarationStatus.ACCEPTED, DeclarationStatus.PAID)},
                  }.get(which)
        pool = [d for d in self.declarations if wanted is None or (d.kind, d.status) in wanted] or self.declarations
        chosen = pool[index % len(pool)]
        say(f"  (declaration {chosen.n})")
        return chosen

    @precondition(lambda self: self.declarations)
    @rule(declaration=INDEX, which=st.sampled_from(["assessed", "assessed", "assessed", "any"]),
          by=st.sampled_from(["declarant", "declarant", "declarant", "CONSIGNEE", "SHIPPER"]))
    @step
    def pay_duties(self, declaration: int, which: str, by: str) -> None:
        d = self.with_status(which, declaration)
        c = self.w.customs
        who = self.a(d.declarant if by == "declarant" else by)
        view = c.declaration(d.id)
        pays: tuple[tuple[str, str, int], ...] = ()
        if view.status == DeclarationStatus.ASSESSED:
            ensure(view.treasury == d.treasury, "the treasury of an assessment changed after it was made")
            pays = (("SET", self.w.tracked[view.treasury.lower()], view.duty + view.vat),)
        if self.act(who.name, lambda: c.pay(d.id, sender=who.account), pays=pays) is not REFUSED:
            d.status = DeclarationStatus.PAID

    @precondition(lambda self: self.declarations and len(self.pickups) < MAX_PICKUPS)
    @rule(declaration=INDEX, which=st.sampled_from(["released-import"] * 3 + ["any"]),
          bill=st.sampled_from(["declared", "declared", "declared", "any"]), pick=INDEX,
          container=st.sampled_from(["MSKU9070323", "TGHU1234567"]),
          terminal=st.sampled_from(["PORT_OPERATOR", "PORT_OPERATOR", "TERMINAL2"]))
    @step
    def authorise_pickup(self, declaration: int, which: str, bill: str, pick: int, container: str,
                         terminal: str) -> None:
        """A terminal authorises a pick-up under a (released import) declaration for its declared bill (or any)."""
        d = self.with_status(which, declaration)
        b = d.bill if bill == "declared" and d.bill is not None else self.bills[pick % len(self.bills)]
        who = self.a(terminal)
        code = self.fresh("pick-up code")
        if self.act(terminal, lambda: self.w.gate.authorise(d.id, b.id, container, code=code,
                                                            sender=who.account)) is REFUSED:
            return
        view, decl = self.bv[b.id], self.w.customs.declaration(d.id)
        ensure(view.state == BillState.ACCOMPLISHED, f"pick-up authorised for a {view.state.name} bill")
        ensure(decl.kind == DeclarationKind.IMPORT and decl.status == DeclarationStatus.RELEASED,
               f"pick-up authorised under a {decl.status.name} {decl.kind.name} declaration")
        ensure(self.w.org_ids[d.declarant] == view.previous_holder,
               f"pick-up for {d.declarant}, but {self.org_name(view.previous_holder)} surrendered the bill")
        pickup = PickupM(len(self.pickups), terminal, container, code, d, b)
        self.pickups.append(pickup)
        say(f"  pick-up {pickup.n}: {terminal} authorises {container} for bill {b.n} under declaration {d.n}")

    @precondition(lambda self: self.pickups)
    @rule(pickup=INDEX, code=st.sampled_from(["right", "right", "wrong"]),
          terminal=st.sampled_from(["own", "own", "other"]))
    @step
    def verify_pickup(self, pickup: int, code: str, terminal: str) -> None:
        p = self.pick(self.pickups, pickup, "pickup")
        gate_name = p.terminal if terminal == "own" else ({"PORT_OPERATOR", "TERMINAL2"} - {p.terminal}).pop()
        who = self.a(gate_name)
        secret = p.code if code == "right" else h("guessed code")
        if self.act(gate_name, lambda: self.w.gate.verify(p.container, secret, sender=who.account)) is REFUSED:
            return
        ensure(code == "right" and gate_name == p.terminal and not p.used,
               f"a pick-up code worked: code {code}, terminal {gate_name}, used before {p.used}")
        p.used = True

    @precondition(lambda self: self.declarations and len(self.claims) < MAX_CLAIMS)
    @rule(declaration=INDEX, which=st.sampled_from(["released-export"] * 3 + ["any"]),
          bill=st.sampled_from(["declared", "declared", "declared", "any"]), pick=INDEX,
          thousands=st.integers(1, 100), by=st.sampled_from(["shipper", "shipper", "FORWARDER", "SHIPPER2"]),
          invoice=st.sampled_from(["new", "new", "reused"]))
    @step
    def claim_rebate(self, declaration: int, which: str, bill: str, pick: int, thousands: int, by: str,
                     invoice: str) -> None:
        """An exporter claims the VAT rebate of a shipment against a (cleared export) declaration."""
        d = self.with_status(which, declaration)
        b = d.bill if bill == "declared" and d.bill is not None else self.bills[pick % len(self.bills)]
        who = self.a(b.shipper if by == "shipper" else by)
        amount = thousands * 1_000 * UNIT
        vat_invoice = self.fresh("VAT invoice") if invoice == "new" else h("a VAT invoice")
        claim_id = self.act(who.name, lambda: self.w.rebates.claim(d.id, b.id, vat_invoice, amount,
                                                                   payee=who.address, sender=who.account))
        if claim_id is REFUSED:
            return
        decl = self.w.customs.declaration(d.id)
        ensure(who.name == b.shipper and who.name == d.declarant,
               f"{who.name} claimed the rebate of {b.shipper}'s shipment under {d.declarant}'s declaration")
        ensure(d.bill is b and decl.kind == DeclarationKind.EXPORT and decl.status == DeclarationStatus.RELEASED,
               "a rebate claimed against an uncleared export")
        ensure(not any(c.bill is b and not c.decided for c in self.claims) and b.id not in self.paid_rebates,
               "a second live rebate claim for one shipment")
        claim = ClaimM(len(self.claims), claim_id, b, amount, who.name)
        self.claims.append(claim)
        say(f"  rebate claim {claim.n}: {who.name} claims {amount} for bill {b.n}")

    @precondition(lambda self: self.claims)
    @rule(claim=INDEX, decision=st.sampled_from(["approve", "approve", "reject"]),
          by=st.sampled_from(["TAX_CN", "TAX_CN", "TAX"]))
    @step
    def decide_rebate(self, claim: int, decision: str, by: str) -> None:
        c = self.pick(self.claims, claim, "claim")
        r, who = self.w.rebates, self.a(by)
        if decision == "approve":
            done = self.act(by, lambda: r.approve(c.id, sender=who.account), rebate=(c.payee, c.amount))
        else:
            done = self.act(by, lambda: r.reject(c.id, sender=who.account))
        if done is REFUSED:
            return
        ensure(by == "TAX_CN" and not c.decided, f"{by} decided a {'decided' if c.decided else 'CN'} claim")
        c.decided = True
        if decision == "approve":
            ensure(c.bill.id not in self.paid_rebates, "a second rebate paid for one shipment")
            self.paid_rebates.add(c.bill.id)

    # Rule weights: an alias is one more slot for the same rule (Hypothesis picks among rule slots uniformly and
    # prints an alias under the rule's own name).
    _registrar_2 = registrar
    _present_2 = present
    _honour_2 = honour
    _fund_amendment_2 = fund_amendment
    _claim_2 = claim
    _new_bill_2 = new_bill
    _customs_acts_2 = customs_acts

    # -- invariants -----------------------------------------------------------------------------------------------

    def read_views(self) -> None:
        """One batched read: every credit, presentation and bill, the held bills, and the clock."""
        w = self.w
        lc_abi, bol_abi = w.lc.abi, w.bol.abi
        calls: list[tuple[str, bytes]] = []
        calls += [(w.lc.address, lc_abi.function("creditOf").encode([c.id])) for c in self.credits]
        calls += [(w.lc.address, lc_abi.function("presentationOf").encode([p.credit.id, p.number]))
                  for p in self.presentations]
        calls += [(w.bol.address, bol_abi.function("statusOf").encode([b.id])) for b in self.bills]
        calls += [(w.lc.address, lc_abi.function("heldFor").encode([b.id])) for b in self.bills]
        raw = w.reader.run(calls, clock=True)
        self.now = raw.pop()
        results = iter(raw)
        cv, pv, bv, hv = {}, {}, {}, {}
        for c in self.credits:
            values = lc_abi.function("creditOf").decode(next(results))
            cv[c.id] = Credit(c.id, CreditState(values[0]), *values[1:])
        for p in self.presentations:
            state, discrepancies, presented_at, deadline, amount, payee, bill = lc_abi.function(
                "presentationOf").decode(next(results))
            pv[(p.credit.id, p.number)] = Presentation(p.credit.id, p.number, PresentationState(state),
                                                       Discrepancy(discrepancies), presented_at, deadline, amount,
                                                       payee, bytes(bill))
        for b in self.bills:
            s = bol_abi.function("statusOf").decode(next(results))
            replaced = bytes(s[13])
            bv[b.id] = BillStatus(b.id, BillState(s[0]), BillKind(s[1]), bool(s[2]), *(int(v) for v in s[3:13]),
                                  replaced_by=replaced if any(replaced) else None, transfers=int(s[14]))
        for b in self.bills:
            hv[b.id] = int(lc_abi.function("heldFor").decode(next(results)))
        previous = self.cv, self.pv, self.bv, self.hv
        self.cv, self.pv, self.bv, self.hv = cv, pv, bv, hv
        self._check_transitions(*previous)

    @precondition(lambda self: self.changed or self.steps % FULL_CHECK_EVERY == 0)
    @invariant(check_during_init=True)
    def chain_matches_the_model(self) -> None:
        """After every step that mined something: one batched read, the escrow's accounts, custody of bills, and the
        step's moves of title; every 10th step also every balance, the supply and the payments held."""
        try:
            if self.changed:
                self.changed = False
                self.read_views()
                self._check_escrow()
                self._check_custody()
            if self.steps % FULL_CHECK_EVERY == 0:
                self._check_balances()
        except BaseException:
            self.failed = True
            raise

    def _check_transitions(self, cv: dict, pv: dict, bv: dict, hv: dict) -> None:
        for key, after in self.cv.items():
            before = cv.get(key)
            if before is not None and before.state != after.state:
                ensure(after.state in NEXT_CREDIT.get(before.state, ()),
                       f"credit {key} went {before.state.name} -> {after.state.name} in {self.ctx.rule}")
        for key, after in self.pv.items():
            before = pv.get(key)
            if before is not None and before.state != after.state:
                ensure(after.state in NEXT_PRESENTATION.get(before.state, ()),
                       f"presentation {key} went {before.state.name} -> {after.state.name} in {self.ctx.rule}")
        escrow = self.w.escrow_org
        actor = self.w.org_ids.get(self.ctx.sender, 0)
        for bill in self.bills:
            before, after = bv.get(bill.id), self.bv[bill.id]
            if self.hv[bill.id] and not hv.get(bill.id):
                self.otherwise[bill.id] = self.ctx.otherwise.get(bill.id, 0)  # held in this step
            if before is None:
                continue
            moved = (before.holder, before.endorsee, before.blank_endorsed) != (after.holder, after.endorsee,
                                                                                after.blank_endorsed)
            if not moved and before.state == after.state:
                continue
            what = (f"bill {bill.n} ({before.state.name}, held by {self.org_name(before.holder)}) -> "
                    f"({after.state.name}, held by {self.org_name(after.holder)}) in {self.ctx.rule} by "
                    f"{self.ctx.sender}")
            ensure(before.state not in TERMINAL_BILL, f"a terminal bill changed: {what}")
            if before.holder == escrow and moved:
                allowed = self.ctx.releases.get(bill.id)
                ensure(allowed is not None and allowed(after, self.hv[bill.id]),
                       f"title left the escrow to a party the settlement does not name: {what}")
                self.stray.pop(bill.id, None)
                if self.hv[bill.id] == 0:
                    self.otherwise.pop(bill.id, None)
            elif before.state in (BillState.DRAFT, BillState.APPROVED):
                ensure(actor in (before.carrier, before.shipper), f"only the carrier or shipper issue a bill: {what}")
            else:
                ensure(actor == before.holder, f"title moved without its holder's act: {what}")
                if after.state in (BillState.SURRENDERED_FOR_DELIVERY, BillState.SURRENDERED_FOR_AMENDMENT) \
                        and before.state == BillState.ISSUED:
                    ensure(actor == before.titleholder, f"surrendered by a party without title: {what}")
                if moved and after.endorsee not in (before.endorsee, 0) and self.ctx.rule == "endorse_bill":
                    ensure(actor == before.titleholder, f"endorsed by a party without title: {what}")
                if after.holder == escrow and before.holder != escrow and bill.id not in self.ctx.presented:
                    self.stray[bill.id] = before.holder  # sent to the escrow by its holder

    def _check_escrow(self) -> None:
        escrowed: Counter[str] = Counter()
        for credit in self.credits:
            view = self.cv[credit.id]
            mine = [self.pv[(p.credit.id, p.number)] for p in self.presentations if p.credit is credit]
            reserved = sum(p.amount for p in mine if p.state in OPEN)
            drawn = sum(p.amount for p in mine if p.state == PresentationState.HONOURED)
            funded = view.amendment_increase if view.amendment_funded else 0
            ensure(view.reserved == reserved,
                   f"credit {credit.n} reserves {view.reserved}, its open presentations {reserved}")
            if view.state in CLOSED:
                ensure(view.escrowed == view.reserved,
                       f"closed credit {credit.n} keeps {view.escrowed} for {view.reserved} reserved")
            else:
                ensure(view.escrowed + drawn == view.max_drawable + funded,
                       f"credit {credit.n}: escrowed {view.escrowed} + drawn {drawn} != maximum {view.max_drawable}"
                       f" + funded increase {funded}")
                ensure(view.available == view.escrowed - view.reserved - funded,
                       f"credit {credit.n}: available {view.available}")
            escrowed[credit.token] += view.escrowed
        lc = self.w.lc.address.lower()
        for token in TOKENS:
            owed = sum(v for (t, _), v in self.owed.items() if t == token)
            ensure(self.balance[(token, lc)] == escrowed[token] + owed,
                   f"the escrow holds {self.balance[(token, lc)]} {token}, owes {escrowed[token]} in credits "
                   f"and {owed} held for withdrawal")

    def _check_custody(self) -> None:
        escrow = self.w.escrow_org
        under_examination: dict[bytes, PresM] = {}
        for p in self.presentations:
            if self.pv[(p.credit.id, p.number)].state in OPEN:
                ensure(p.bill.id not in under_examination, "one bill under examination in two presentations")
                under_examination[p.bill.id] = p
                ensure(self.bv[p.bill.id].holder == escrow,
                       f"bill {p.bill.n}, under examination, left the escrow's custody")
        for bill in self.bills:
            view, held_for = self.bv[bill.id], self.hv[bill.id]
            if held_for:
                ensure(view.holder == escrow, f"bill {bill.n}, held for {self.org_name(held_for)}, is no longer in "
                                              f"the escrow: {self.org_name(view.holder)} holds it")
            if view.holder == escrow:
                ensure(bill.id in under_examination or held_for or bill.id in self.stray,
                       f"the escrow holds bill {bill.n} for no presentation, no organisation and no mistaken transfer")

    def _check_balances(self) -> None:
        """Every known address's balance is the model's; the supply is unchanged and all of it is at known
        addresses; what the escrow holds for withdrawal is what its events said."""
        w = self.w
        chain = w.read_balances()
        for key, value in chain.items():
            ensure(value == self.balance[key], f"{w.tracked[key[1]]} holds {value} {key[0]}, model {self.balance[key]}")
        supply = w.read_supply()
        for token in TOKENS:
            ensure(supply[token] == w.supply[token], f"{token} supply changed: {w.supply[token]} -> {supply[token]}")
            ensure(sum(v for (t, _), v in chain.items() if t == token) == supply[token],
                   f"{token} exists outside the known addresses")
        fn = w.lc.abi.function("owedTo")
        keys = [(t, self.a(n).address.lower()) for t in TOKENS for n in BLOCKABLE]
        data = w.reader.run([(w.lc.address, fn.encode([w.token_address[t], a])) for t, a in keys])
        for key, raw in zip(keys, data, strict=True):
            ensure(int(fn.decode(raw)) == self.owed[key], f"held for {w.tracked[key[1]]}: chain {int(fn.decode(raw))}, "
                                                          f"events {self.owed[key]}")
        ensure(sum(self.owed.values()) == sum(self.owed[k] for k in keys), "a payment is held for an unknown account")
        ensure(w.port.registry._call("statusOf", w.escrow_org) == OrgStatus.ACTIVE, "the escrow is not active")
        STATS["full checks"] += 1

    # -- liveness -------------------------------------------------------------------------------------------------

    def teardown(self) -> None:
        EXAMPLE_LENGTHS.append(self.steps)
        try:
            if not self.failed:
                self._liveness()
        finally:
            self.w.port.revert(self.snapshot)

    def _liveness(self) -> None:
        w, lc = self.w, self.w.lc
        keeper = self.a("KEEPER")
        self.changed = True
        self.ctx = StepContext("liveness")
        self.read_views()
        # Past every deadline: the last expiry, presentation period and examination deadline.
        horizon = max([v.expiry for v in self.cv.values()] + [p.examination_deadline for p in self.pv.values()]
                      + [self.now]) + 30 * DAY
        w.layer.request("evm_setNextBlockTimestamp", [horizon])
        w.layer.request("evm_mine", [])
        # Only the keeper, an address of no organisation, with every suspension and revocation still in place; in the
        # order and with the sidelined bill takers the example chose (``end_game``).
        if "suspend" in self.end_game or "revoke" in self.end_game:
            self._sideline_bill_takers(revoke="revoke" in self.end_game)
        if self.end_game.startswith("expire"):
            self._keeper_expires()
            self._keeper_resolves()
        else:
            self._keeper_resolves()
            self._keeper_expires()
        self.read_views()
        # Probes, with the suspensions still in place: anyone asking the escrow for a bill it holds gets it moved only
        # to where it is due (a bill sent by mistake back to its sender; nothing else).
        for bill in self.in_escrow():
            self.ctx = StepContext("liveness: probe recover_bill")
            if bill.id in self.stray and not self.hv[bill.id]:
                self.release_to(bill, self.org_name(self.stray[bill.id]))
            if self.act("KEEPER", lambda: lc.recover_bill(bill.id, sender=keeper.account)) is not REFUSED:
                self.read_views()
            self.ctx = StepContext("liveness: probe deliver_held_bill")
            if self.hv[bill.id]:
                self.release_held(bill)
            if self.act("KEEPER", lambda: lc.deliver_held_bill(bill.id, sender=keeper.account)) is not REFUSED:
                self.read_views()
        self._check_escrow()
        for credit in self.credits:
            view = self.cv[credit.id]
            ensure(view.state in CLOSED and view.escrowed == 0,
                   f"credit {credit.n} is {view.state.name} with {view.escrowed} escrowed after every exit")
        for p in self.presentations:
            ensure(self.pv[(p.credit.id, p.number)].state in (PresentationState.HONOURED, PresentationState.RETURNED),
                   f"presentation {p.n} is not terminal after every exit")
        # Held payments: their owners withdraw them to an address the token accepts.
        for (token, address), amount in sorted(self.owed.items()):
            if amount:
                owner = self.a(w.tracked[address])
                self.ctx = StepContext("liveness: withdraw")
                self.act(owner.name, lambda: lc.withdraw(w.token_address[token], self.a("SAFE").address,
                                                         sender=owner.account), escrow_pays=("SAFE",), must=True)
                STATS["liveness: held payments withdrawn"] += 1
        lc_address = lc.address.lower()
        for token in TOKENS:
            ensure(self.balance[(token, lc_address)] == 0,
                   f"{self.balance[(token, lc_address)]} {token} stuck in the escrow with every credit closed")
        # A payer lost exactly what was drawn on its credits.
        for payer in PAYERS:
            for token in TOKENS:
                drawn = sum(p.amount for p in self.presentations
                            if p.credit.payer == payer and p.credit.token == token
                            and self.pv[(p.credit.id, p.number)].state == PresentationState.HONOURED)
                net = (self.to_escrow[(payer, token)] - self.from_escrow[(payer, token)]
                       - self.withdrawn_elsewhere[(payer, token)])
                ensure(net == drawn, f"{payer} lost {net} {token} to the escrow; {drawn} was drawn on its credits")
        self._check_balances()
        # Bills: the registrar reinstates the suspended; the keeper delivers held bills and recovers stray ones.
        for name, status in sorted(self.status.items()):
            if status == OrgStatus.SUSPENDED:
                self.ctx = StepContext("liveness: reinstate")
                self.act("ADMIN", lambda: w.port.registry.reinstate(w.org_ids[name], sender=w.admin), must=True)
                self.status[name] = OrgStatus.ACTIVE
        self.read_views()
        for bill in self.bills:
            held_for, otherwise = self.hv[bill.id], self.otherwise.get(bill.id, 0)
            revoked = held_for and self.status[self.org_name(held_for)] == OrgStatus.REVOKED
            recipient = otherwise if revoked else held_for
            if held_for and recipient and self.status[self.org_name(recipient)] == OrgStatus.ACTIVE:
                self.ctx = StepContext("liveness: deliver held bill")
                self.release_held(bill)
                self.act("KEEPER", lambda: lc.deliver_held_bill(bill.id, sender=keeper.account), must=True)
                STATS["liveness: held bills delivered"] += 1
                self.read_views()
            elif bill.id in self.stray and self.bv[bill.id].holder == w.escrow_org \
                    and self.status[self.org_name(self.stray[bill.id])] == OrgStatus.ACTIVE:
                self.ctx = StepContext("liveness: recover stray bill")
                self.release_to(bill, self.org_name(self.stray[bill.id]))
                self.act("KEEPER", lambda: lc.recover_bill(bill.id, sender=keeper.account), must=True)
                STATS["liveness: stray bills recovered"] += 1
                self.read_views()
        for bill in self.bills:
            view = self.bv[bill.id]
            if view.holder == w.escrow_org:
                # Only for organisations revoked for good: a held bill when its recipient (and the party named to
                # take it instead) is revoked; a bill sent here by mistake when its sender is (like any bill a
                # revoked organisation holds, nobody can take it on).
                if self.hv[bill.id]:
                    waiting = [org for org in (self.hv[bill.id], self.otherwise.get(bill.id, 0)) if org]
                else:
                    waiting = [self.stray.get(bill.id, 0)]
                ensure(all(o and self.status[self.org_name(o)] == OrgStatus.REVOKED for o in waiting),
                       f"the escrow keeps bill {bill.n} (held for {self.org_name(self.hv[bill.id])}, sent by "
                       f"{self.org_name(self.stray.get(bill.id, 0))}), which no revoked organisation waits for")
                STATS["liveness: bills kept in the escrow for revoked organisations"] += 1
                continue
            base = self.w.base["bv"].get(bill.id)
            parties = (view.carrier, view.shipper, view.holder, view.endorsee, view.consignee)
            if view == base and all(self.status[self.org_name(o)] == OrgStatus.ACTIVE for o in parties if o):
                STATS["liveness: bills as in the base trade (accomplished there)"] += 1
                continue
            self._accomplish(bill)
        self._check_balances()
        STATS["liveness: examples passed"] += 1

    def _sideline_bill_takers(self, revoke: bool) -> None:
        """The registrar suspends (or revokes) every applicant and issuing bank of a presentation under examination:
        the keeper's exits must still work, and the bills be held for them (or go to the other party)."""
        registry, admin = self.w.port.registry, self.w.admin
        takers = sorted({name for p in self.presentations if self.pv[(p.credit.id, p.number)].state in OPEN
                         for name in (p.credit.applicant, p.credit.bank)})
        for name in takers[:2] if revoke else takers:
            org_id, status = self.w.org_ids[name], self.status[name]
            self.ctx = StepContext(f"liveness: {'revoke' if revoke else 'suspend'} {name}")
            if revoke and status != OrgStatus.REVOKED:
                self.act("ADMIN", lambda: registry.revoke(org_id, "end game", sender=admin), must=True)
                self.status[name] = OrgStatus.REVOKED
            elif not revoke and status == OrgStatus.ACTIVE:
                self.act("ADMIN", lambda: registry.suspend(org_id, "end game", sender=admin), must=True)
                self.status[name] = OrgStatus.SUSPENDED
        self.read_views()

    def _keeper_resolves(self) -> None:
        """The keeper claims every presentation under examination (the bank is precluded) and returns every refused
        one."""
        lc, keeper = self.w.lc, self.a("KEEPER")
        for p in self.presentations:
            state = self.pv[(p.credit.id, p.number)].state
            closed = self.cv[p.credit.id].state in CLOSED
            self.ctx = StepContext("liveness: claim" if state != PresentationState.REFUSED else "liveness: return")
            if state in (PresentationState.PRESENTED, PresentationState.WAIVED):
                self.release_to(p.bill, *self.bill_to(p.credit))
                self.act("KEEPER", lambda: lc.claim(p.credit.id, p.number, sender=keeper.account),
                         escrow_pays=(p.payee,), must=True)
            elif state == PresentationState.REFUSED:
                self.release_to(p.bill, p.credit.beneficiary)
                self.act("KEEPER", lambda: lc.return_documents(p.credit.id, p.number, sender=keeper.account),
                         escrow_pays=(p.credit.payer,), must=True)
            if state in OPEN:
                STATS[f"liveness: {state.name.lower()} presentations resolved by the keeper"
                      + (" after their credit closed" if closed else "")] += 1
                self.read_views()
                self._check_escrow()

    def _keeper_expires(self) -> None:
        """The keeper expires every credit still open (applied for or issued)."""
        lc, keeper = self.w.lc, self.a("KEEPER")
        for credit in self.credits:
            state = self.cv[credit.id].state
            if state in (CreditState.APPLIED, CreditState.ISSUED):
                self.ctx = StepContext("liveness: expire")
                self.act("KEEPER", lambda: lc.expire(credit.id, sender=keeper.account), escrow_pays=(credit.payer,),
                         must=True)
                STATS[f"liveness: {state.name.lower()} credits expired by the keeper"] += 1
                self.read_views()
                self._check_escrow()

    def _accomplish(self, bill: BillM) -> None:
        """Drive a bill outside the escrow to a terminal state with its own parties, when none of them is revoked."""
        w, bol = self.w, self.w.bol
        carrier = self.a("CARRIER")

        def usable(org: int) -> bool:
            return bool(org) and self.status.get(self.org_name(org)) == OrgStatus.ACTIVE

        for _ in range(8):
            view = self.bv[bill.id]
            if view.state in TERMINAL_BILL:
                STATS[f"liveness: bills {view.state.name.lower()}"] += 1
                return
            self.ctx = StepContext(f"liveness: accomplish {view.state.name}")
            if not usable(view.carrier):
                STATS["liveness: bills left, carrier revoked"] += 1
                return
            if view.state == BillState.DRAFT:
                if not usable(view.shipper):
                    self.act("CARRIER", lambda: bol.void_draft(bill.id, sender=carrier.account), must=True)
                else:
                    shipper = self.actor_of(view.shipper)
                    self.act(shipper.name, lambda: bol.approve(bill.id, sender=shipper.account), must=True)
            elif view.state == BillState.APPROVED:
                self.act("CARRIER", lambda: bol.issue(bill.id, sender=carrier.account), must=True)
            elif view.state == BillState.SURRENDERED_FOR_DELIVERY:
                self.act("CARRIER", lambda: bol.accept_surrender(bill.id, sender=carrier.account), must=True)
            elif view.state == BillState.SURRENDERED_FOR_AMENDMENT:
                self.act("CARRIER", lambda: bol.reject_surrender(bill.id, sender=carrier.account), must=True)
            else:  # ISSUED: the titleholder surrenders; a holder without title first hands it to the titleholder
                entitled = view.consignee if view.kind != BillKind.TO_ORDER else (
                    view.holder if view.blank_endorsed else view.endorsee)
                ensure(entitled not in (0, w.escrow_org), f"bill {bill.n}: nobody outside the escrow can take title")
                if not usable(view.holder) or not usable(entitled):
                    STATS["liveness: bills left, holder or titleholder revoked"] += 1
                    return
                holder = self.actor_of(view.holder)
                if view.holder != entitled:
                    self.act(holder.name, lambda: bol.transfer(bill.id, entitled, sender=holder.account), must=True)
                else:
                    self.act(holder.name, lambda: bol.surrender_for_delivery(bill.id, sender=holder.account),
                             must=True)
            self.read_views()
        raise ViolationError(f"bill {bill.n} did not reach a terminal state: {self.bv[bill.id]}")


def test_trust_machine(port, parties, admin, deploy_fixture) -> None:  # type: ignore[no-untyped-def]
    STATS.clear()
    EXAMPLE_LENGTHS.clear()
    started = time.perf_counter()
    world = World(port, parties, admin, deploy_fixture)
    world.base = TrustMachine.build_base(world)
    TrustMachine.world = world
    try:
        run_state_machine_as_test(TrustMachine, settings=SETTINGS)
    finally:
        world.close()
        elapsed = time.perf_counter() - started
        summary = "\n".join(f"  {key}: {value}" for key, value in sorted(STATS.items()))
        print(f"\ntrust machine: {STATS['steps']} steps in {STATS['examples']} examples, {elapsed:.1f} s\n{summary}")
        print(f"steps per example: {EXAMPLE_LENGTHS}")
    assert STATS["steps"] >= MIN_STEPS, f"only {STATS['steps']} rule steps ran"
