"""Scripted trade scenarios: YAML files of parties, documents and steps, run through the public SDK.

A scenario names its parties (a role and a jurisdiction each), the documents of the trade (built from the SDK's
samples, made unique per run), and steps: an actor, an action and its arguments, optionally the refusal the
step must meet (``expect: ErrorName``) and a name to ``save`` its result under. ``check`` steps and the final
``outcomes`` assert the state of bills, credits, declarations and balances. The whole file is validated before
anything is sent; an error names the file, the step and what is wrong.

>>> spec = load_scenario("scripts/scenarios/flagship.yaml")          # doctest: +SKIP
>>> result = run_scenario(spec)                                      # starts its own Anvil   # doctest: +SKIP
>>> result.run.total_gas                                                                     # doctest: +SKIP
2941337
"""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from eth_account import Account
from eth_account.signers.local import LocalAccount

from .errors import (
    ConfigurationError,
    ContractError,
    InputError,
    PortchainError,
    ScenarioError,
    ScenarioFailed,
)
from .port import Port, connect
from .types import Role

DAY = 86_400


# ----------------------------------------------------------------------------------------------------------------
# The vocabulary: actions, their arguments and what each argument refers to
# ----------------------------------------------------------------------------------------------------------------

# Argument kinds: party (an organisation), address (a party's signing address), bill / document / declaration
# (a document of the scenario), documents (a list of them), amount (token units, decimal), date ("+30d", relative
# to the scenario's start), ref ($name saved by an earlier step), int, str, bool.
ARG = dict[str, tuple[str, bool]]  # name -> (kind, required)


def _a(**kinds: str) -> ARG:
    """Argument table: a trailing '?' marks an optional argument."""
    return {name: (kind.rstrip("?"), not kind.endswith("?")) for name, kind in kinds.items()}


ACTIONS: dict[str, ARG] = {
    "token.mint": _a(to="address", amount="amount"),
    "token.approve": _a(spender="str", amount="amount"),
    "token.transfer": _a(to="address", amount="amount"),
    "bol.draft": _a(bill="document", kind="str", shipper="party", consignee="party?"),
    "bol.approve": _a(bill="bill"),
    "bol.issue": _a(bill="bill"),
    "bol.transfer": _a(bill="bill", to="party"),
    "bol.endorse": _a(bill="bill", to="party", to_order="bool?"),
    "bol.blank_endorse": _a(bill="bill"),
    "bol.reject": _a(bill="bill"),
    "bol.surrender": _a(bill="bill"),
    "bol.accept_surrender": _a(bill="bill"),
    "bol.reject_surrender": _a(bill="bill"),
    "bol.amend": _a(bill="bill", reason="str"),
    "bol.accept_amendment": _a(bill="bill", replacement="bill"),
    "bol.switch_to_paper": _a(bill="bill", paper="document"),
    "bol.milestone": _a(bill="bill", milestone="str", date="date?"),
    "doc.anchor": _a(document="document", subject="bill?"),
    "lc.apply": _a(
        beneficiary="party", issuing_bank="party", advising_bank="party?", confirming_bank="party?", amount="amount",
        tolerance_bps="int?", expiry="date", latest_shipment="date", presentation_days="int?", partial="bool?",
        documents="str?", terms="document?", bill_to_issuer="bool?",
    ),
    "lc.issue": _a(credit="ref"),
    "lc.advise": _a(credit="ref"),
    "lc.confirm": _a(credit="ref"),
    "lc.amend": _a(credit="ref", amount="amount?", expiry="date?", latest_shipment="date?"),
    "lc.accept_amendment": _a(credit="ref", changes="int?"),
    "lc.reject_amendment": _a(credit="ref"),
    "lc.present": _a(credit="ref", amount="amount", bill="bill", documents="documents"),
    "lc.refuse": _a(credit="ref", presentation="ref", discrepancies="str"),
    "lc.waive": _a(credit="ref", presentation="ref"),
    "lc.honour": _a(credit="ref", presentation="ref"),
    "lc.claim": _a(credit="ref", presentation="ref"),
    "lc.return_documents": _a(credit="ref", presentation="ref"),
    "lc.expire": _a(credit="ref"),
    "lc.consent_to_cancellation": _a(credit="ref"),
    "lc.cancel": _a(credit="ref"),
    "customs.set_tariff": _a(code="str", rate_bps="int"),
    "customs.set_vat": _a(rate_bps="int"),
    "customs.set_treasury": _a(treasury="address"),
    "customs.lodge": _a(declaration="document", kind="str", country="str", bill="bill?", ucr="str?"),
    "customs.accept": _a(declaration="declaration"),
    "customs.reject": _a(declaration="declaration", reason="str?"),
    "customs.lane": _a(declaration="declaration", lane="str"),
    "customs.inspect": _a(declaration="declaration", result="str", report="str?"),
    "customs.require_amendment": _a(declaration="declaration", reason="str?"),
    "customs.amend": _a(declaration="declaration", replacement="document", bill="bill?"),
    "customs.assess": _a(declaration="declaration"),
    "customs.pay": _a(declaration="declaration"),
    "customs.release": _a(declaration="declaration"),
    "gate.authorise": _a(declaration="declaration", bill="bill", container="str"),
    "gate.verify": _a(container="str", code="ref"),
    "tax.set_treasury": _a(),
    "tax.rebate_claim": _a(declaration="declaration", bill="bill", invoice="document", amount="amount"),
    "tax.rebate_approve": _a(claim="ref"),
    "tax.rebate_reject": _a(claim="ref", reason="str?"),
    "chain.travel": _a(days="int"),
    "check": _a(
        bill="bill?", state="str?", holder="party?", credit="ref?", presentation="ref?", declaration="declaration?",
        status="str?", balance="party?", amount="amount?",
    ),
}

# What a step's `save` stores, by action.
SAVES = {"lc.apply": "credit", "lc.present": "presentation", "gate.authorise": "code", "tax.rebate_claim": "claim"}

TRADE_TYPES = {
    "commercial-invoice", "packing-list", "certificate-of-origin", "insurance-certificate", "inspection-certificate",
}
# The document types an argument accepts, where the kind alone does not say.
DOCUMENT_ARGS: dict[tuple[str, str], set[str]] = {
    ("bol.draft", "bill"): {"transport-document"},
    ("customs.lodge", "declaration"): {"declaration"},
    ("customs.amend", "replacement"): {"declaration"},
    ("doc.anchor", "document"): TRADE_TYPES,
    ("lc.present", "documents"): TRADE_TYPES,
    ("bol.switch_to_paper", "paper"): {"paper-bill"},
    ("tax.rebate_claim", "invoice"): {"commercial-invoice"},
}
SPENDERS = ("lc", "customs", "rebates")


def _enum_checks() -> dict[tuple[str, str], Callable[[Any], Any]]:
    """Arguments whose value must parse as one of the SDK's codes, checked when the file is loaded."""
    from .documents.trade import DocType
    from .types import (
        AmendmentReason,
        BillKind,
        DeclarationKind,
        Discrepancy,
        InspectionResult,
        Lane,
        Milestone,
        to_country,
    )

    return {
        ("bol.draft", "kind"): BillKind.parse,
        ("bol.amend", "reason"): AmendmentReason.parse,
        ("bol.milestone", "milestone"): Milestone.parse,
        ("customs.lodge", "kind"): DeclarationKind.parse,
        ("customs.lodge", "country"): to_country,
        ("customs.lane", "lane"): Lane.parse,
        ("customs.inspect", "result"): InspectionResult.parse,
        ("lc.refuse", "discrepancies"): Discrepancy.parse_list,
        ("lc.apply", "documents"): lambda v: [DocType.parse(d) for d in str(v).split(",") if d.strip()],
    }


CHECK_KEYS = {"bill": {"state", "holder"}, "credit": {"state", "presentation"}, "declaration": {"status"},
              "balance": {"amount"}}

DOCUMENT_TYPES = (
    "transport-document", "commercial-invoice", "packing-list", "certificate-of-origin", "insurance-certificate",
    "inspection-certificate", "declaration", "paper-bill",
)


# ----------------------------------------------------------------------------------------------------------------
# The parsed scenario
# ----------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PartySpec:
    name: str
    role: Role
    country: str
    legal_name: str
    ports: tuple[str, ...] = ()


@dataclass(frozen=True)
class DocumentSpec:
    name: str
    type: str
    fields: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Step:
    index: int
    actor: str
    action: str
    args: dict[str, Any]
    expect: str | None = None
    save: str | None = None


@dataclass(frozen=True)
class Scenario:
    path: Path
    name: str
    title: str
    description: str
    parties: dict[str, PartySpec]
    documents: dict[str, DocumentSpec]
    steps: tuple[Step, ...]

    def where(self, step: Step | None = None) -> str:
        return f"{self.path}" + (f": step {step.index} ({step.action})" if step else "")


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate a scenario file; nothing is sent. Raises :class:`ScenarioError` naming what is wrong."""
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text())
    except OSError as exc:
        raise ScenarioError(f"{path}: cannot read the scenario ({exc.strerror})") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark is not None else ""
        raise ScenarioError(f"{path}:{where} is not valid YAML ({getattr(exc, 'problem', exc)})") from None
    if not isinstance(data, dict):
        raise ScenarioError(f"{path}: a scenario is a mapping with title, parties, documents and steps")
    unknown = set(data) - {"title", "description", "parties", "documents", "steps", "outcomes"}
    if unknown:
        raise ScenarioError(f"{path}: unknown top-level keys: {', '.join(sorted(unknown))}")
    for key in ("title", "parties", "steps"):
        if key not in data:
            raise ScenarioError(f"{path}: missing '{key}'")
    parties = _parse_parties(path, data["parties"])
    documents = _parse_documents(path, data.get("documents") or {})
    raw_steps = list(data["steps"] or []) + [{"check": item} if "check" not in item else item
                                             for item in (data.get("outcomes") or [])]
    steps = tuple(_parse_step(path, i + 1, raw, parties, documents) for i, raw in enumerate(raw_steps))
    scenario = Scenario(path, path.stem, str(data["title"]), str(data.get("description", "")).strip(), parties,
                        documents, steps)
    _check_references(scenario)
    return scenario


def _parse_parties(path: Path, raw: Any) -> dict[str, PartySpec]:
    if not isinstance(raw, dict) or not raw:
        raise ScenarioError(f"{path}: 'parties' maps each party's name to its role and country")
    parties = {}
    for name, spec in raw.items():
        if not isinstance(spec, dict) or "role" not in spec or "country" not in spec:
            raise ScenarioError(f"{path}: party '{name}' needs a role and a country")
        extra = set(spec) - {"role", "country", "name", "ports"}
        if extra:
            raise ScenarioError(f"{path}: party '{name}': unknown keys {', '.join(sorted(extra))}")
        try:
            role = Role.parse(spec["role"])
            from .types import to_country, to_unlocode

            to_country(spec["country"])
            ports = tuple(str(p) for p in spec.get("ports") or ())
            for port_code in ports:
                to_unlocode(port_code)
        except InputError as exc:
            raise ScenarioError(f"{path}: party '{name}': {exc}") from None
        if name in ("admin", "anyone"):
            raise ScenarioError(f"{path}: '{name}' is reserved (the consortium admin / any account)")
        parties[name] = PartySpec(name, role, str(spec["country"]).upper(), str(spec.get("name", name)), ports)
    return parties


def _parse_documents(path: Path, raw: Any) -> dict[str, DocumentSpec]:
    if not isinstance(raw, dict):
        raise ScenarioError(f"{path}: 'documents' maps each document's name to its type")
    documents = {}
    for name, spec in raw.items():
        spec = spec if isinstance(spec, dict) else {"type": spec}
        kind = spec.get("type")
        if kind not in DOCUMENT_TYPES:
            raise ScenarioError(f"{path}: document '{name}': type must be one of {', '.join(DOCUMENT_TYPES)}")
        if kind == "declaration":
            items = spec.get("items")
            if not isinstance(items, list) or not items:
                raise ScenarioError(f"{path}: declaration '{name}' needs an items list")
            for i, item in enumerate(items):
                if not isinstance(item, dict) or set(item) != {"hsCode", "customsValue", "origin"}:
                    raise ScenarioError(f"{path}: declaration '{name}' items[{i}] needs hsCode, customsValue, origin")
        documents[name] = DocumentSpec(name, kind, {k: v for k, v in spec.items() if k != "type"})
    return documents


def _parse_step(path: Path, index: int, raw: Any, parties: dict[str, PartySpec],
                documents: dict[str, DocumentSpec]) -> Step:
    where = f"{path}: step {index}"
    if not isinstance(raw, dict):
        raise ScenarioError(f"{where}: a step is a mapping with actor and action")
    if "check" in raw and "action" not in raw:
        raw = {"actor": "anyone", "action": "check", **(raw["check"] or {})}
    actor, action = raw.get("actor"), raw.get("action")
    if action not in ACTIONS:
        close = [a for a in ACTIONS if action and a.split(".")[-1] == str(action).split(".")[-1]]
        hint = f" (did you mean {close[0]}?)" if close else ""
        raise ScenarioError(f"{where}: unknown action {action!r}{hint}")
    where = f"{where} ({action})"
    if actor not in parties and actor not in ("admin", "anyone"):
        raise ScenarioError(f"{where}: unknown actor {actor!r}; parties are {', '.join(parties)}")
    args = {k: v for k, v in raw.items() if k not in ("actor", "action", "expect", "save")}
    table = ACTIONS[action]
    for name in args:
        if name not in table:
            raise ScenarioError(f"{where}: unknown argument {name!r}; {action} takes {', '.join(table) or 'none'}")
    for name, (_, required) in table.items():
        if required and name not in args:
            raise ScenarioError(f"{where}: missing argument {name!r}")
    for name, value in args.items():
        kind = table[name][0]
        if kind in ("party", "address") and value not in parties:
            raise ScenarioError(f"{where}: {name}: unknown party {value!r}")
        if kind in ("bill", "document", "declaration") and value not in documents:
            raise ScenarioError(f"{where}: {name}: unknown document {value!r}")
        if kind == "documents":
            if not isinstance(value, list) or any(v not in documents for v in value):
                raise ScenarioError(f"{where}: {name}: a list of the scenario's documents")
        allowed = DOCUMENT_ARGS.get((action, name)) or {"bill": {"transport-document"},
                                                        "declaration": {"declaration"}}.get(kind)
        for doc in (value if kind == "documents" else [value] if kind in ("bill", "document", "declaration") else []):
            if allowed and documents[doc].type not in allowed:
                raise ScenarioError(f"{where}: {name}: {doc!r} is a {documents[doc].type}, not a "
                                    f"{' or '.join(sorted(allowed))}")
        check = _enum_checks().get((action, name))
        if check is not None:
            try:
                check(value)
            except InputError as exc:
                raise ScenarioError(f"{where}: {name}: {exc}") from None
        if action == "token.approve" and name == "spender" and value not in SPENDERS:
            raise ScenarioError(f"{where}: spender: one of {', '.join(SPENDERS)}, got {value!r}")
        if kind == "ref" and not (isinstance(value, str) and value.startswith("$")):
            raise ScenarioError(f"{where}: {name}: a saved value such as $credit, got {value!r}")
        if kind == "date" and not re.fullmatch(r"[+-]\d+d|now", str(value)):
            raise ScenarioError(f"{where}: {name}: a date relative to the start, such as +30d, got {value!r}")
        if kind == "amount":
            from .clients.settlement_token import to_units

            try:
                to_units(str(value), 18)
            except InputError:
                raise ScenarioError(f"{where}: {name}: an amount such as 184000.00, got {value!r}") from None
        if kind == "int" and not isinstance(value, int):
            raise ScenarioError(f"{where}: {name}: a whole number, got {value!r}")
    expect = raw.get("expect")
    if expect is not None:
        from ._revert import error_class

        try:
            error_class(str(expect))
        except AttributeError:
            raise ScenarioError(f"{where}: expect: no contract error named {expect!r}") from None
    if action == "check":
        subjects = [k for k in args if k in CHECK_KEYS]
        used = set().union(*(CHECK_KEYS[k] for k in subjects)) | set(subjects) if subjects else set()
        stray = set(args) - used
        if not subjects or stray:
            raise ScenarioError(f"{where}: a check names a bill (state, holder), a credit (state, presentation), a "
                                f"declaration (status) or a balance (amount); {', '.join(sorted(stray)) or 'nothing'} "
                                "does not fit")
    save = raw.get("save")
    if save is not None and action not in SAVES:
        raise ScenarioError(f"{where}: save: {action} returns nothing to save")
    return Step(index, str(actor), str(action), args, str(expect) if expect else None, str(save) if save else None)


def _check_references(scenario: Scenario) -> None:
    saved: set[str] = set()
    for step in scenario.steps:
        for name, value in step.args.items():
            if ACTIONS[step.action][name][0] == "ref" and value[1:] not in saved:
                raise ScenarioError(f"{scenario.where(step)}: {name}: {value} is not saved by an earlier step")
        if step.save:
            saved.add(step.save)


# ----------------------------------------------------------------------------------------------------------------
# Running
# ----------------------------------------------------------------------------------------------------------------


@dataclass
class ScenarioResult:
    """What a run did: its timeline (for the report) and the values steps saved."""

    run: Any  # portchain.report.ScenarioRun
    saved: dict[str, Any]
    refusals: int


class _Runner:
    def __init__(self, port: Port, scenario: Scenario, tag: str, timeline: bool, log: Callable[[Any], None]) -> None:
        self.port, self.scenario, self.tag, self.want_timeline, self.log = port, scenario, tag, timeline, log
        self.accounts: dict[str, LocalAccount] = {}
        self.orgs: dict[str, int] = {}
        self.names_by_org: dict[int, str] = {}
        self.documents: dict[str, Any] = {}
        self.bills: dict[str, bytes] = {}
        self.anchored_by: dict[str, int] = {}
        self.declarations: dict[str, bytes] = {}
        self.saved: dict[str, Any] = {}
        self.start = port.layer.block_timestamp()
        self.decimals = port.token.decimals
        self.timeline: list[Any] = []

    # -- setup -------------------------------------------------------------------------------------------------------

    def setup(self) -> None:
        keys = _scenario_keys(self.port)
        missing = [name for name in self.scenario.parties if keys and name not in keys]
        if missing:
            raise ConfigurationError(f"PORTCHAIN_SCENARIO_KEYS has no key for: {', '.join(missing)}")
        admin = self.port.deployer
        self.orgs["admin"] = 0
        for party in self.scenario.parties.values():
            account = keys.get(party.name) or Account.create()
            if self.port.network.local:
                self.port.fund(account.address)
            onboarded = self.port.registry.onboard(
                f"{party.legal_name} [{self.tag}]", f"{party.name}-{self.tag}", party.country, [party.role],
                [account.address], party.ports, sender=admin,
            )
            if party.role in (Role.CUSTOMS, Role.TAX):
                # a rehearsal's own authority acts for its country (the registrar designates it)
                self.port.registry.designate_authority(party.country, party.role, onboarded.org_id, sender=admin)
            self.accounts[party.name] = account
            self.orgs[party.name] = onboarded.org_id
            self.names_by_org[onboarded.org_id] = party.name
        self.names_by_org[self.port.lc.escrow_organisation()] = "lc-escrow"
        for spec in self.scenario.documents.values():
            self.documents[spec.name] = self._build_document(spec)

    def _build_document(self, spec: DocumentSpec) -> Any:
        from . import documents as dcsa
        from .documents import trade

        tag = self.tag.upper()
        fields = dict(spec.fields)
        if spec.type == "transport-document":
            reference = f"{fields.pop('reference', 'MAEU')}{tag}"[:20]
            return dcsa.sample_transport_document(transport_document_reference=reference, **fields)
        if spec.type == "declaration":
            return {"reference": f"{spec.name}-{tag}", **fields}
        if spec.type == "paper-bill":
            return {"paperBill": f"{spec.name}-{tag}", **fields}
        makers = {
            "commercial-invoice": (trade.sample_commercial_invoice, "invoice_number"),
            "packing-list": (trade.sample_packing_list, "packing_list_number"),
            "certificate-of-origin": (trade.sample_certificate_of_origin, "certificate_number"),
            "insurance-certificate": (trade.sample_insurance_certificate, "certificate_number"),
            "inspection-certificate": (trade.sample_inspection_certificate, "certificate_number"),
        }
        make, number_field = makers[spec.type]
        return make(**{number_field: f"{spec.name.upper()}-{tag}"[:35], **fields})

    # -- steps -------------------------------------------------------------------------------------------------------

    def run(self) -> int:
        refusals = 0
        for step in self.scenario.steps:
            self.port.layer.last_receipt = None
            note = ""
            try:
                value = self._do(step)
            except ContractError as exc:
                if step.expect == exc.error_name:
                    refusals += 1
                    note = f"refused as expected: {exc}"
                    value = None
                else:
                    raise ScenarioFailed(f"{self.scenario.where(step)}: refused: {exc}") from exc
            except ScenarioFailed:
                raise
            except PortchainError as exc:
                raise ScenarioFailed(f"{self.scenario.where(step)}: {exc}") from exc
            else:
                if step.expect:
                    raise ScenarioFailed(
                        f"{self.scenario.where(step)}: expected the refusal {step.expect}, but the step succeeded"
                    )
            if step.save:
                self.saved[step.save] = value
            receipt = self.port.layer.last_receipt
            if self.want_timeline:
                self._record(step, receipt, note)
        return refusals

    def _record(self, step: Step, receipt: Any, note: str) -> None:
        from .report import TimelineEntry

        party = self.scenario.parties.get(step.actor)
        entry = TimelineEntry(
            index=step.index, actor=step.actor, role=party.role.name if party else step.actor.upper(),
            action=step.action, tx_hash=receipt.tx_hash if receipt else None, gas=receipt.gas_used if receipt else 0,
            state=self._state_after(step), note=note, block_time=self.port.layer.block_timestamp(),
        )
        self.timeline.append(entry)
        self.log(entry)

    def _state_after(self, step: Step) -> str:
        args = step.args
        try:
            if "bill" in args and step.action.startswith(("bol.", "check")) and args["bill"] in self.bills:
                status = self.port.bol.status(self.bills[args["bill"]])
                holder = self.names_by_org.get(status.holder, str(status.holder or "-"))
                return f"bill {status.state.name.lower()}, holder {holder}"
            if "credit" in args:
                credit = self.port.lc.credit(self.saved[args["credit"][1:]])
                from .clients.settlement_token import from_units

                return f"credit {credit.state.name.lower()}, escrow {from_units(credit.escrowed, self.decimals)}"
            if "declaration" in args and args["declaration"] in self.declarations:
                view = self.port.customs.declaration(self.declarations[args["declaration"]])
                return f"declaration {view.status.name.lower()}" + (f", lane {view.lane.name.lower()}" if view.lane else "")
        except (PortchainError, KeyError):
            return ""
        return ""

    def _account(self, actor: str) -> LocalAccount:
        if actor in ("admin", "anyone"):
            return self.port.deployer
        return self.accounts[actor]

    def _resolve(self, step: Step) -> dict[str, Any]:
        from .clients.settlement_token import to_units

        out: dict[str, Any] = {}
        for name, value in step.args.items():
            kind = ACTIONS[step.action][name][0]
            if kind == "party":
                out[name] = self.orgs[value]
            elif kind == "address":
                out[name] = self.accounts[value].address
            elif kind == "bill":
                if value not in self.bills:
                    raise ScenarioFailed(f"{self.scenario.where(step)}: {value} has not been drafted as a bill yet")
                out[name] = self.bills[value]
            elif kind == "declaration":
                if value not in self.declarations:
                    raise ScenarioFailed(f"{self.scenario.where(step)}: {value} has not been lodged yet")
                out[name] = self.declarations[value]
            elif kind == "document":
                out[name] = self.documents[value]
            elif kind == "documents":
                out[name] = [self.documents[v] for v in value]
            elif kind == "amount":
                out[name] = to_units(str(value), self.decimals)
            elif kind == "date":
                out[name] = self.start if value == "now" else self.start + int(str(value)[:-1]) * DAY
            elif kind == "ref":
                out[name] = self.saved[value[1:]]
            else:
                out[name] = value
        return out

    def _items(self, document: dict[str, Any]) -> list[Any]:
        from .clients.customs import Item
        from .clients.settlement_token import to_units

        return [Item(str(i["hsCode"]), to_units(str(i["customsValue"]), self.decimals), str(i["origin"]))
                for i in document["items"]]

    def _do(self, step: Step) -> Any:  # noqa: C901 - one dispatch table, flat on purpose
        port, a, who = self.port, self._resolve(step), self._account(step.actor)
        action = step.action
        domain, _, verb = action.partition(".")
        if action == "token.mint":
            return port.token.mint(a["to"], a["amount"], sender=who)
        if action == "token.transfer":
            return port.token.transfer(a["to"], a["amount"], sender=who)
        if action == "token.approve":
            spender = {"lc": port.lc, "customs": port.customs, "rebates": port.rebates}[step.args["spender"]].address
            return port.token.approve(spender, a["amount"], sender=who)
        if domain == "bol":
            return self._bol(step, verb, a, who)
        if action == "doc.anchor":
            receipt = port.docs.anchor(a["document"], subject=a.get("subject"), sender=who)
            self.anchored_by[step.args["document"]] = self.orgs[step.actor]
            return receipt
        if domain == "lc":
            return self._lc(step, verb, a, who)
        if domain in ("customs", "gate", "tax"):
            return self._customs(step, action, a, who)
        if action == "chain.travel":
            if not port.network.local:
                raise ScenarioFailed(f"{self.scenario.where(step)}: time travel works only on a local chain")
            port.layer.request("evm_increaseTime", [a["days"] * DAY])
            port.layer.request("evm_mine", [])
            return None
        return self._check(step, a)

    def _bol(self, step: Step, verb: str, a: dict[str, Any], who: LocalAccount) -> Any:
        bol = self.port.bol
        if verb == "draft":
            document = a["bill"]
            bill = bol.draft(document, step.args["kind"], shipper=a["shipper"], consignee=a.get("consignee", 0), sender=who)
            self.bills[step.args["bill"]] = bill
            return bill
        simple = {
            "approve": bol.approve, "issue": bol.issue, "blank_endorse": bol.blank_endorse, "reject": bol.reject_transfer,
            "surrender": bol.surrender_for_delivery, "accept_surrender": bol.accept_surrender,
            "reject_surrender": bol.reject_surrender,
        }
        if verb in simple:
            return simple[verb](a["bill"], sender=who)
        if verb == "transfer":
            return bol.transfer(a["bill"], a["to"], sender=who)
        if verb == "endorse":
            return bol.endorse(a["bill"], a["to"], to_order=bool(a.get("to_order")), sender=who)
        if verb == "amend":
            return bol.surrender_for_amendment(a["bill"], a["reason"], sender=who)
        if verb == "accept_amendment":
            return bol.accept_amendment(a["bill"], a["replacement"], sender=who)
        if verb == "switch_to_paper":
            from .documents import document_hash

            return bol.accept_amendment(a["bill"], document_hash(a["paper"]), sender=who)
        return bol.record_milestone(a["bill"], a["milestone"], a.get("date"), sender=who)

    def _lc(self, step: Step, verb: str, a: dict[str, Any], who: LocalAccount) -> Any:
        lc = self.port.lc
        if verb == "apply":
            from .clients.letter_of_credit import CreditTerms
            from .documents import document_hash

            terms = CreditTerms(
                terms_hash=document_hash(a["terms"]) if "terms" in a else document_hash({"credit": self.tag, "step": step.index}),
                token=self.port.token.address, amount=a["amount"], beneficiary=a["beneficiary"],
                issuing_bank=a["issuing_bank"], expiry=a["expiry"], latest_shipment=a["latest_shipment"],
                tolerance_bps=a.get("tolerance_bps", 0), presentation_days=a.get("presentation_days", 21),
                partial_drawings=bool(a.get("partial")),
                required_documents=[d for d in str(a.get("documents", "")).split(",") if d.strip()],
                advising_bank=a.get("advising_bank", 0), confirming_bank=a.get("confirming_bank", 0),
                bill_to_issuer=bool(a.get("bill_to_issuer")),
            )
            maximum = terms.amount * (10_000 + terms.tolerance_bps) // 10_000
            permit = self.port.token.sign_permit(who, lc.address, maximum, self.port.layer.block_timestamp() + DAY)
            return lc.apply(terms, sender=who, permit=permit)
        if verb == "present":
            # each document by the anchor of the organisation that anchored it (else the beneficiary's: not anchored)
            documents = [(self.documents[name], self.anchored_by.get(name, self.orgs[step.actor]))
                         for name in step.args["documents"]]
            return lc.present(a["credit"], a["amount"], documents, a["bill"], sender=who, bol=self.port.bol)
        if verb == "issue":
            return lc.issue(a["credit"], sender=who)
        if verb == "amend":
            return lc.amend(a["credit"], amount=a.get("amount"), expiry=a.get("expiry"),
                            latest_shipment=a.get("latest_shipment"), sender=who)
        if verb == "accept_amendment":
            return lc.accept_amendment(a["credit"], changes=a.get("changes"), sender=who)
        if verb == "refuse":
            return lc.refuse(a["credit"], a["presentation"], a["discrepancies"], sender=who)
        if "presentation" in a:
            return getattr(lc, verb)(a["credit"], a["presentation"], sender=who)
        return getattr(lc, verb)(a["credit"], sender=who)

    def _customs(self, step: Step, action: str, a: dict[str, Any], who: LocalAccount) -> Any:
        customs, gate, rebates, token = self.port.customs, self.port.gate, self.port.rebates, self.port.token
        if action == "customs.set_tariff":
            return customs.set_tariff_rate(str(a["code"]), a["rate_bps"], sender=who)
        if action == "customs.set_vat":
            return customs.set_vat_rate(a["rate_bps"], sender=who)
        if action == "customs.set_treasury":
            # the authority nominates, and the treasury party accepts with its own key
            customs.nominate_treasury(a["treasury"], token.address, sender=who)
            country = self.scenario.parties[step.actor].country
            return customs.accept_treasury(country, sender=self.accounts[step.args["treasury"]])
        if action == "customs.lodge":
            document = a["declaration"]
            declaration = customs.lodge(step.args["kind"], step.args["country"], document, self._items(document),
                                        ucr=str(a.get("ucr", "")), bill=a.get("bill"), sender=who)
            self.declarations[step.args["declaration"]] = declaration
            return declaration
        if action == "customs.amend":
            document = a["replacement"]
            declaration = customs.amend(a["declaration"], document, self._items(document), bill=a.get("bill"), sender=who)
            self.declarations[step.args["replacement"]] = declaration
            return declaration
        if action == "customs.assess":
            document = self.documents[step.args["declaration"]]
            return customs.assess(a["declaration"], document, self._items(document), sender=who)
        if action == "customs.pay":
            due = customs.amount_due(a["declaration"])
            permit = token.sign_permit(who, customs.address, due, self.port.layer.block_timestamp() + DAY)
            return customs.pay(a["declaration"], sender=who, permit=permit)
        if action == "customs.lane":
            return customs.assign_lane(a["declaration"], a["lane"], sender=who)
        if action == "customs.inspect":
            return customs.record_inspection(a["declaration"], a["result"], str(a.get("report", "")), sender=who)
        if action in ("customs.reject", "customs.require_amendment"):
            method = customs.reject if action == "customs.reject" else customs.require_amendment
            return method(a["declaration"], str(a.get("reason", "")), sender=who)
        if action in ("customs.accept", "customs.release"):
            return getattr(customs, action.split(".")[1])(a["declaration"], sender=who)
        if action == "gate.authorise":
            return gate.authorise(a["declaration"], a["bill"], a["container"], sender=who).code
        if action == "gate.verify":
            return gate.verify(a["container"], a["code"], sender=who)
        if action == "tax.set_treasury":
            # the tax authority pays rebates from its own address: it nominates, accepts and approves
            rebates.nominate_treasury(who.address, token.address, sender=who)
            rebates.accept_treasury(self.scenario.parties[step.actor].country, sender=who)
            return token.approve(rebates.address, 2**256 - 1, sender=who)
        if action == "tax.rebate_claim":
            return rebates.claim(a["declaration"], a["bill"], a["invoice"], a["amount"], sender=who)
        if action == "tax.rebate_approve":
            return rebates.approve(a["claim"], sender=who)
        return rebates.reject(a["claim"], str(a.get("reason", "")), sender=who)

    def _check(self, step: Step, a: dict[str, Any]) -> None:
        where = self.scenario.where(step)
        if "bill" in a:
            status = self.port.bol.status(a["bill"])
            if "state" in a and status.state.name != str(a["state"]).upper():
                raise ScenarioFailed(f"{where}: bill is {status.state.name}, expected {a['state']}")
            if "holder" in a and status.holder != a["holder"]:
                raise ScenarioFailed(f"{where}: bill is held by {self.names_by_org.get(status.holder, status.holder)}, "
                                     f"expected {step.args['holder']}")
        if "credit" in a and "presentation" in a:
            presentation = self.port.lc.presentation(a["credit"], a["presentation"])
            if "state" in a and presentation.state.name != str(a["state"]).upper():
                raise ScenarioFailed(f"{where}: presentation is {presentation.state.name}, expected {a['state']}")
        elif "credit" in a:
            credit = self.port.lc.credit(a["credit"])
            if "state" in a and credit.state.name != str(a["state"]).upper():
                raise ScenarioFailed(f"{where}: credit is {credit.state.name}, expected {a['state']}")
        if "declaration" in a:
            view = self.port.customs.declaration(a["declaration"])
            if "status" in a and view.status.name != str(a["status"]).upper():
                raise ScenarioFailed(f"{where}: declaration is {view.status.name}, expected {a['status']}")
        if "balance" in a:
            address = self.accounts[step.args["balance"]].address
            balance = self.port.token.balance_of(address)
            if balance != a.get("amount", balance):
                from .clients.settlement_token import from_units

                raise ScenarioFailed(f"{where}: {step.args['balance']} holds {from_units(balance, self.decimals)}, "
                                     f"expected {step.args['amount']}")
        return None

    def result(self, wall: float, refusals: int) -> ScenarioResult:
        from .report import PartyLine, ScenarioRun

        parties = tuple(PartyLine(p.name, p.role.name, p.country, self.orgs[p.name]) for p in self.scenario.parties.values())
        run = ScenarioRun(self.scenario.name, self.scenario.title, self.scenario.description, self.port.network.name,
                          self.port.layer.chain_id, parties, tuple(self.timeline), wall)
        return ScenarioResult(run, dict(self.saved), refusals)


def _scenario_keys(port: Port) -> dict[str, LocalAccount]:
    """Party keys for a remote network: $PORTCHAIN_SCENARIO_KEYS names a JSON file {party: private key}."""
    if port.network.local:
        return {}
    path = os.environ.get("PORTCHAIN_SCENARIO_KEYS")
    if not path:
        raise ConfigurationError(
            f"scenarios on {port.network.name} need funded keys: set PORTCHAIN_SCENARIO_KEYS to a JSON file "
            "mapping each party's name to its private key"
        )
    from .config import account_from_key

    try:
        raw = json.loads(Path(path).read_text())
    except (OSError, ValueError):
        raise ConfigurationError(f"cannot read PORTCHAIN_SCENARIO_KEYS file {path}") from None
    if not isinstance(raw, dict):
        raise ConfigurationError(f"PORTCHAIN_SCENARIO_KEYS file {path} must map party names to keys")
    keys = {name: account_from_key(key) for name, key in raw.items()}
    return keys


def _check_amounts(scenario: Scenario, decimals: int) -> None:
    """Every amount must fit the token's decimals: checked before anything is sent."""
    from .clients.settlement_token import to_units

    for step in scenario.steps:
        for name, value in step.args.items():
            if ACTIONS[step.action][name][0] == "amount":
                try:
                    to_units(str(value), decimals)
                except InputError as exc:
                    raise ScenarioError(f"{scenario.where(step)}: {name}: {exc}") from None


def run_scenario(
    scenario: Scenario | str | Path,
    port: Port | None = None,
    *,
    tag: str | None = None,
    timeline: bool = True,
    log: Callable[[Any], None] = lambda _entry: None,
) -> ScenarioResult:
    """Run a scenario through the SDK. Without ``port``, on a fresh local Anvil that is stopped afterwards.
    ``tag`` makes the run's organisations and documents unique (several runs on one chain)."""
    spec = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    if port is None:
        import tempfile

        with tempfile.TemporaryDirectory() as records, connect("anvil", deployments_dir=records, fresh_node=True) as own:
            own.deploy()
            return run_scenario(spec, own, tag=tag, timeline=timeline, log=log)
    _check_amounts(spec, port.token.decimals)
    started = time.perf_counter()
    runner = _Runner(port, spec, tag or os.urandom(3).hex(), timeline, log)
    runner.setup()
    refusals = runner.run()
    return runner.result(time.perf_counter() - started, refusals)
