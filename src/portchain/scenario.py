"""Scripted trade scenarios: YAML files of parties, documents and steps, run through the public SDK.

A scenario names its parties (a role and a jurisdiction each), the documents of the trade (built from the SDK's
samples, made unique per run), and steps: an actor, an action of :data:`portchain.actions.ACTIONS` and its
arguments, optionally the refusal the step must meet (``expect: ErrorName``) and a name to ``save`` its result under.
``check`` steps and the final ``outcomes`` assert the state of bills, credits, declarations and balances. The whole
file is validated (by the pydantic models below) before anything is sent; an error names the file, the step and
what is wrong:

>>> import pathlib, tempfile
>>> bad = pathlib.Path(tempfile.mkdtemp()) / "bad.yaml"
>>> _ = bad.write_text("title: t\\nparties: {x: {role: bank, country: NL}}\\nsteps: [{actor: y, action: lc.issue}]\\n")
>>> load_scenario(bad)
Traceback (most recent call last):
...
portchain.errors.ScenarioError: .../bad.yaml: step 1 (lc.issue): unknown actor 'y'; parties are x
>>> [param.name for param in vocabulary()["token.mint"]]
['to', 'amount']
>>> result = run_scenario("scripts/scenarios/flagship.yaml")       # starts its own Anvil   # doctest: +SKIP
>>> result.run.total_gas                                                                      # doctest: +SKIP
2941337
"""

from __future__ import annotations

import dataclasses
import functools
import json
import operator
import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import yaml
from eth_account import Account
from eth_account.signers.local import LocalAccount
from eth_utils.crypto import keccak
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    ValidationError,
    ValidationInfo,
    create_model,
    field_validator,
    model_validator,
)
from pydantic_core import ErrorDetails

from .actions import ACTIONS, DAY, TRADE_DOCUMENTS, Kind, Outcome, Param
from .clients.settlement_token import from_units, to_units
from .devnet import PartySpec
from .documents.declaration import DeclaredGoods
from .errors import (
    ConfigurationError,
    ContractError,
    InputError,
    PortchainError,
    ScenarioError,
    ScenarioFailedError,
)
from .port import Port, connect
from .types import BillKind, OrgStatus, PartyCode, Role, text_hash

# ----------------------------------------------------------------------------------------------------------------
# The vocabulary: the registry's actions, as far as a scenario can give their arguments, and the check step
# ----------------------------------------------------------------------------------------------------------------

DOCUMENT_TYPES = ("transport-document", *TRADE_DOCUMENTS, "declaration", "paper-bill")
SPENDERS = ("lc", "customs", "rebates")
RESERVED_ACTORS = ("admin", "anyone")  # the consortium admin, and any account (the admin's key signs)
# Kinds given as `$name`: what an earlier step saved (and so what a step can save).
REF_KINDS = frozenset({Kind.CREDIT, Kind.PRESENTATION, Kind.CLAIM, Kind.CODE})
# The document type a bill or declaration argument names, unless the parameter says otherwise.
_DOCUMENT_OF = {Kind.BILL: ("transport-document",), Kind.DECLARATION: ("declaration",)}
_STEP_KEYS = ("actor", "action", "expect", "save")

CHECK: tuple[Param, ...] = (
    Param("bill", Kind.BILL, "a bill: its state and holder", default=None),
    Param("state", Kind.STR, "the state expected of the bill, credit or presentation", default=None),
    Param("holder", Kind.PARTY, "the bill's holder expected", default=None),
    Param("credit", Kind.CREDIT, "a credit: its state, or a presentation's", default=None),
    Param("presentation", Kind.PRESENTATION, "a presentation under the credit", default=None),
    Param("declaration", Kind.DECLARATION, "a declaration: its status", default=None),
    Param("status", Kind.STR, "the declaration's status expected", default=None),
    Param("balance", Kind.ADDRESS, "a party whose token balance is checked", default=None),
    Param("amount", Kind.AMOUNT, "the balance expected", default=None),
)
# What a check can name about each subject.
CHECK_KEYS = {"bill": {"state", "holder"}, "credit": {"state", "presentation"}, "declaration": {"status"},
              "balance": {"amount"}}


@dataclass(frozen=True)
class _Names:
    """The parties and documents a file declares (name -> type), for the checks of the steps that name them."""

    parties: tuple[str, ...]
    documents: dict[str, Any]

    @classmethod
    def given_in(cls, data: Any) -> _Names:
        # Read from the raw file: an unusable party or document is reported before any step that names it.
        parties = data.get("parties") if isinstance(data, dict) else None
        documents = data.get("documents") if isinstance(data, dict) else None
        return cls(
            tuple(parties) if isinstance(parties, dict) else (),
            {name: spec.get("type") if isinstance(spec, dict) else spec
             for name, spec in (documents.items() if isinstance(documents, dict) else ())},
        )


def _party(param: Param, value: Any, names: _Names) -> Any:
    if not isinstance(value, str) or value not in names.parties:
        raise ValueError(f"{param.name}: unknown party {value!r}")
    return value


def _spender(param: Param, value: Any, names: _Names) -> Any:
    if value not in SPENDERS:
        raise ValueError(f"{param.name}: one of {', '.join(SPENDERS)}, got {value!r}")
    return value


def _document(param: Param, value: Any, names: _Names) -> Any:
    if param.kind is Kind.DOCUMENTS:
        if not isinstance(value, list) or any(not isinstance(v, str) or v not in names.documents for v in value):
            raise ValueError(f"{param.name}: a list of the scenario's documents")
    elif not isinstance(value, str) or value not in names.documents:
        raise ValueError(f"{param.name}: unknown document {value!r}")
    allowed = param.accepts or _DOCUMENT_OF.get(param.kind, ())
    for name in value if isinstance(value, list) else [value]:
        if allowed and names.documents[name] not in allowed:
            wanted = " or ".join(sorted(allowed))
            raise ValueError(f"{param.name}: {name!r} is a {names.documents[name]}, not a {wanted}")
    return value


def _amount(param: Param, value: Any, names: _Names) -> Any:
    try:
        to_units(str(value), 18)  # the token's own decimals are checked once it is known (_check_amounts)
    except InputError:
        raise ValueError(f"{param.name}: an amount such as 184000.00, got {value!r}") from None
    return str(value)


def _date(param: Param, value: Any, names: _Names) -> Any:
    if not re.fullmatch(r"[+-]\d+d|now", str(value)):
        raise ValueError(f"{param.name}: a date relative to the start, such as +30d, got {value!r}")
    return str(value)


def _ref(param: Param, value: Any, names: _Names) -> Any:
    if not (isinstance(value, str) and value.startswith("$")):
        raise ValueError(f"{param.name}: a saved value such as $credit, got {value!r}")
    return value


def _whole(param: Param, value: Any, names: _Names) -> Any:
    if not isinstance(value, int):
        raise ValueError(f"{param.name}: a whole number, got {value!r}")
    return value


def _text(param: Param, value: Any, names: _Names) -> Any:
    # a coded text (a lane, a bill kind ...) may be given by its number; free text is text
    return value if param.parse is not None else str(value)


# Each kind a scenario can give, and its check (which returns the value as the step keeps it).
_KIND_CHECKS: dict[Kind, Callable[[Param, Any, _Names], Any]] = {
    Kind.PARTY: _party, Kind.ADDRESS: _party, Kind.ACCOUNT: _party, Kind.SPENDER: _spender,
    Kind.BILL: _document, Kind.DECLARATION: _document, Kind.DOCUMENT: _document, Kind.DOCUMENTS: _document,
    Kind.AMOUNT: _amount, Kind.DATE: _date, Kind.CREDIT: _ref, Kind.PRESENTATION: _ref, Kind.CLAIM: _ref,
    Kind.CODE: _ref, Kind.INT: _whole, Kind.STR: _text, Kind.BOOL: lambda _param, value, _names: bool(value),
}


@functools.cache
def vocabulary() -> dict[str, tuple[Param, ...]]:
    """What a scenario can do: every registered action whose required parameters it can give (with the optional
    ones it can give), and ``check``."""
    actions = {
        name: tuple(param for param in action.params if param.kind in _KIND_CHECKS)
        for name, action in ACTIONS.items()
        if all(param.kind in _KIND_CHECKS for param in action.params if param.required)
    }
    return {**actions, "check": CHECK}


def _params(action: str) -> dict[str, Param]:
    return {param.name: param for param in vocabulary()[action]}


# ----------------------------------------------------------------------------------------------------------------
# The parsed scenario
# ----------------------------------------------------------------------------------------------------------------


class DocumentSpec(BaseModel):
    """A document of the scenario: its type and the fields it sets in the SDK's sample (a declaration: its items)."""

    model_config = ConfigDict(extra="allow", frozen=True)

    type: Any = Field(default=None, validate_default=True)
    items: list[DeclaredGoods] | None = Field(default=None, validate_default=True)

    @field_validator("type")
    @classmethod
    def _known_type(cls, value: Any) -> Any:
        if value not in DOCUMENT_TYPES:
            raise ValueError(f"type must be one of {', '.join(DOCUMENT_TYPES)}")
        return value

    @field_validator("items")
    @classmethod
    def _declared_goods(cls, value: list[DeclaredGoods] | None, info: ValidationInfo) -> list[DeclaredGoods] | None:
        if info.data.get("type") == "declaration" and not value:
            raise ValueError("needs an items list")
        return value

    @property
    def fields(self) -> dict[str, Any]:
        goods = {"items": [item.model_dump(by_alias=True) for item in self.items]} if self.items is not None else {}
        return {**(self.model_extra or {}), **goods}


@dataclass(frozen=True)
class Step:
    """One step, numbered from 1 (outcomes after the steps): who does which action with which arguments (as the
    file gives them), the refusal it must meet and the name its product is saved under."""

    index: int
    actor: str
    action: str
    args: dict[str, Any]
    expect: str | None = None  # a contract error's name
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


# ----------------------------------------------------------------------------------------------------------------
# The file format: pydantic models, one per step's action
# ----------------------------------------------------------------------------------------------------------------


def _names(info: ValidationInfo) -> _Names:
    names = info.context
    assert isinstance(names, _Names)  # load_scenario always validates with them
    return names


def _actor(value: Any, info: ValidationInfo) -> Any:
    parties = _names(info).parties
    if value not in parties and value not in RESERVED_ACTORS:
        raise ValueError(f"unknown actor {value!r}; parties are {', '.join(parties)}")
    return str(value)


def _expect(value: Any) -> str | None:
    if value is None:
        return None
    from ._revert import error_class

    try:
        error_class(str(value))
    except AttributeError:
        raise ValueError(f"expect: no contract error named {value!r}") from None
    return str(value) if value else None


def _argument(param: Param) -> Any:
    """A step argument: its kind's check, then its vocabulary's (a bill kind, a lane ...)."""

    def check(value: Any, info: ValidationInfo) -> Any:
        value = _KIND_CHECKS[param.kind](param, value, _names(info))
        if param.parse is not None:
            try:
                param.parse(value)
            except InputError as exc:
                raise ValueError(f"{param.name}: {exc}") from None
        return value

    return Annotated[Any, AfterValidator(check)]


def _saving(action: str) -> Any:
    saves = action in ACTIONS and ACTIONS[action].produces in REF_KINDS

    def check(value: Any) -> str | None:
        if value is not None and not saves:
            raise ValueError(f"save: {action} returns nothing to save")
        return str(value) if value else None

    return Annotated[Any, AfterValidator(check)]


class _StepModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    def to_step(self, index: int, action: str) -> Step:
        given = [param.name for param in vocabulary()[action] if param.name in self.model_fields_set]
        return Step(index, str(getattr(self, "actor")), action, {name: getattr(self, name) for name in given},  # noqa: B009
                    getattr(self, "expect"), getattr(self, "save"))  # noqa: B009 - fields made per action


class _CheckModel(_StepModel):
    @model_validator(mode="after")
    def _one_subject(self) -> _CheckModel:
        args = self.model_fields_set - set(_STEP_KEYS)
        subjects = [key for key in args if key in CHECK_KEYS]
        used = set().union(*(CHECK_KEYS[key] for key in subjects)) | set(subjects)
        stray = args - used
        if not subjects or stray:
            raise ValueError(f"a check names a bill (state, holder), a credit (state, presentation), a declaration "
                             f"(status) or a balance (amount); {', '.join(sorted(stray)) or 'nothing'} does not fit")
        return self


def _supplied(action: str) -> set[str]:
    return set(_SUPPLIED.get(action, {}))


def _step_model(action: str, params: tuple[Param, ...]) -> type[_StepModel]:
    fields: dict[str, Any] = {
        "action": (str, ...),
        "actor": (Annotated[Any, AfterValidator(_actor)], Field(default=None, validate_default=True)),
    }
    for param in params:
        given = param.required and param.name not in _supplied(action)
        fields[param.name] = (_argument(param), ... if given else None)
    fields["expect"] = (Annotated[Any, AfterValidator(_expect)], None)
    fields["save"] = (_saving(action), None)
    base = _CheckModel if action == "check" else _StepModel
    return create_model(f"Step[{action}]", __base__=base, **fields)


def _step_input(raw: Any) -> Any:
    """A step as given: a mapping with actor and action (``check: {...}`` for a check), of a known action."""
    if not isinstance(raw, dict):
        raise ValueError("a step is a mapping with actor and action")
    if "check" in raw and "action" not in raw:
        check = raw["check"] if isinstance(raw["check"], dict) else {}
        raw = {"actor": "anyone", "action": "check", **check}
    action = raw.get("action")
    if not isinstance(action, str) or action not in vocabulary():
        close = [known for known in vocabulary() if action and known.split(".")[-1] == str(action).split(".")[-1]]
        hint = f" (did you mean {close[0]}?)" if close else ""
        raise ValueError(f"unknown action {action!r}{hint}")
    return raw


def _outcome_input(raw: Any) -> Any:
    return raw if isinstance(raw, dict) and "check" in raw else {"check": raw}


class _FileModel(BaseModel):
    """title, description, parties and documents; the steps' types are made from the vocabulary (_file_model)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    title: Annotated[str, BeforeValidator(str)]
    description: Annotated[str, BeforeValidator(lambda text: str(text).strip())] = ""
    parties: dict[str, PartySpec]
    documents: dict[str, DocumentSpec] = Field(default_factory=dict)
    steps: list[Any]
    outcomes: list[Any] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _shape(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            raise ValueError("a scenario is a mapping with title, parties, documents and steps")
        unknown = set(data) - set(cls.model_fields)
        if unknown:
            raise ValueError(f"unknown top-level keys: {', '.join(sorted(map(str, unknown)))}")
        for key in ("title", "parties", "steps"):
            if key not in data:
                raise ValueError(f"missing '{key}'")
        return {**data, "steps": data["steps"] or [], "outcomes": data.get("outcomes") or []}

    @field_validator("parties", mode="before")
    @classmethod
    def _party_entries(cls, value: Any) -> Any:
        if not isinstance(value, dict) or not value:
            raise ValueError("'parties' maps each party's name to its role and country")
        return {name: _party_entry(str(name), entry) for name, entry in value.items()}

    @field_validator("parties")
    @classmethod
    def _not_reserved(cls, value: dict[str, PartySpec]) -> dict[str, PartySpec]:
        for name in value:
            if name in RESERVED_ACTORS:
                raise ValueError(f"'{name}' is reserved (the consortium admin / any account)")
        return value

    @field_validator("documents", mode="before")
    @classmethod
    def _document_entries(cls, value: Any) -> Any:
        if not isinstance(value or {}, dict):
            raise ValueError("'documents' maps each document's name to its type")
        return {name: spec if isinstance(spec, dict) else {"type": spec} for name, spec in (value or {}).items()}


def _party_entry(name: str, entry: Any) -> Any:
    """A party as a file gives it: role, country, and optionally its legal name and ports."""
    if not isinstance(entry, dict) or "role" not in entry or "country" not in entry:
        raise ValueError(f"party '{name}' needs a role and a country")
    extra = set(entry) - {"role", "country", "name", "ports"}
    if extra:
        raise ValueError(f"party '{name}': unknown keys {', '.join(sorted(map(str, extra)))}")
    return {"name": name, **entry, "registration_id": name}  # the run tags both to make them unique


@functools.cache
def _file_model() -> type[_FileModel]:
    # one model per action, told apart by the step's action (checked first by _step_input)
    members: list[Any] = [Annotated[_step_model(name, params), Tag(name)] for name, params in vocabulary().items()]
    alternatives = functools.reduce(operator.or_, members)
    step = Annotated[
        alternatives,  # type: ignore[valid-type]  # a type made at run time, from the registry
        Discriminator(lambda raw: raw.get("action")), BeforeValidator(_step_input),
    ]
    outcome = Annotated[step, BeforeValidator(_outcome_input)]
    return create_model("ScenarioFile", __base__=_FileModel, steps=(list[step], ...),
                        outcomes=(list[outcome], Field(default_factory=list)))


def _explain(path: Path, data: Any, error: ErrorDetails) -> str:
    """A validation error as the one line a scenario error is: the file, where in it, and what is wrong."""
    loc, kind = error["loc"], error["type"]
    detail = str((error.get("ctx") or {}).get("error")) if kind == "value_error" else error["msg"]
    if len(loc) < 2:
        return f"{path}: {detail}"
    if loc[0] == "parties":
        return f"{path}: party '{loc[1]}': {detail}"
    if loc[0] == "documents":
        return f"{path}: {_document_error(str(loc[1]), loc[2:], detail)}"
    index = int(loc[1]) + 1 + (len(data["steps"] or []) if loc[0] == "outcomes" else 0)
    return f"{path}: {_step_error(index, loc[2:], kind, detail)}"


def _document_error(name: str, loc: tuple[int | str, ...], detail: str) -> str:
    if loc[:1] == ("items",):
        if len(loc) > 1:
            return f"declaration '{name}' items[{loc[1]}] needs hsCode, customsValue, origin"
        return f"declaration '{name}' needs an items list"
    return f"document '{name}': {detail}"


def _step_error(index: int, loc: tuple[int | str, ...], kind: str, detail: str) -> str:
    if not loc:  # the step is not a mapping, or not of a known action
        return f"step {index}: {detail}"
    action, field_name = str(loc[0]), (str(loc[1]) if len(loc) > 1 else "")
    where = f"step {index} ({action})"
    if kind == "missing":
        return f"{where}: missing argument {field_name!r}"
    if kind == "extra_forbidden":
        takes = ", ".join(param.name for param in vocabulary()[action]) or "none"
        return f"{where}: unknown argument {field_name!r}; {action} takes {takes}"
    return f"{where}: {detail}"


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
    try:
        parsed = _file_model().model_validate(data, context=_Names.given_in(data))
    except ValidationError as exc:
        raise ScenarioError(_explain(path, data, exc.errors()[0])) from None
    given = [*parsed.steps, *parsed.outcomes]
    steps = tuple(model.to_step(index, model.action) for index, model in enumerate(given, start=1))
    scenario = Scenario(path, path.stem, parsed.title, parsed.description, parsed.parties, parsed.documents, steps)
    _check_references(scenario)
    return scenario


def _check_references(scenario: Scenario) -> None:
    """Each $name is saved by an earlier step."""
    saved: set[str] = set()
    for step in scenario.steps:
        params = _params(step.action)
        for name, value in step.args.items():
            if params[name].kind in REF_KINDS and value[1:] not in saved:
                raise ScenarioError(f"{scenario.where(step)}: {name}: {value} is not saved by an earlier step")
        if step.save:
            saved.add(step.save)


def _check_amounts(scenario: Scenario, decimals: int) -> None:
    """Every amount must fit the token's decimals: checked before anything is sent."""
    for step in scenario.steps:
        params = _params(step.action)
        for name, value in step.args.items():
            if params[name].kind is Kind.AMOUNT:
                try:
                    to_units(str(value), decimals)
                except InputError as exc:
                    raise ScenarioError(f"{scenario.where(step)}: {name}: {exc}") from None


# ----------------------------------------------------------------------------------------------------------------
# Running
# ----------------------------------------------------------------------------------------------------------------


@dataclass
class ScenarioResult:
    """What a run did: its timeline (for the report), the values steps saved, and the transactions and gas of its
    steps (the trade) apart from those of its setup (onboarding, designations, party codes)."""

    run: Any  # portchain.report.ScenarioRun
    saved: dict[str, Any]
    refusals: int
    transactions: int = 0
    gas: int = 0
    seconds: float = 0.0  # the steps' own time
    blocks: int = 0  # the blocks the steps' transactions were mined in
    setup_transactions: int = 0
    setup_gas: int = 0
    setup_seconds: float = 0.0


def org_tag(signer: str) -> str:
    """What a scenario party's organisation is tagged with (its registration id, name and party codes): the first
    hex digits of its signing address. A party keeps its organisation from run to run while its key is the same
    (PORTCHAIN_SCENARIO_KEYS on a persistent network), and a fresh key makes a fresh organisation.

    >>> org_tag("0x70997970C51812dc3A010C7d01b50e0d17dc79C8")
    '70997970'
    """
    return signer[2:10].lower()


class _Counter:
    """Counts the transactions and gas sent through a transaction layer, by watching its receipts."""

    def __init__(self, layer: Any) -> None:
        self.layer, self.count, self.gas = layer, 0, 0
        self.blocks: set[int] = set()
        self.taken_blocks = 0
        self.started = time.perf_counter()
        send = layer.send

        def counting_send(*args: Any, **kwargs: Any) -> Any:
            receipt = send(*args, **kwargs)
            self.count += 1
            self.gas += receipt.gas_used
            self.blocks.add(receipt.block_number)
            return receipt

        layer.send = counting_send

    def take(self) -> tuple[int, int, float]:
        """(transactions, gas, seconds) since the last take, and start again (:attr:`taken_blocks`: the number of
        blocks those transactions were mined in)."""
        now = time.perf_counter()
        taken = self.count, self.gas, now - self.started
        self.taken_blocks = len(self.blocks)
        self.count, self.gas, self.started, self.blocks = 0, 0, now, set()
        return taken

    def detach(self) -> None:
        del self.layer.send


Resolve = Callable[[Step, Any], Any]


# A scenario's transport document: the parties it names (scenario party names) and the fields it may set.
_TRANSPORT_PARTIES = ("carrier", "shipper", "consignee", "endorsee")
_TRANSPORT_FIELDS = {
    "port_of_loading": "transports.portOfLoading.UNLocationCode",
    "port_of_discharge": "transports.portOfDischarge.UNLocationCode",
}
_TRANSPORT_KEYS = frozenset({*_TRANSPORT_PARTIES, *_TRANSPORT_FIELDS, "kind", "reference", "set"})


def _document_party_names(scenario: Scenario, document: str, fields: dict[str, Any]) -> dict[str, str]:
    """The scenario parties a transport document names, by DCSA role: the carrier and shipper default to the
    scenario's first party of that role; a consignee (straight bill, sea waybill) or endorsee (to order) only if
    given."""
    unknown = sorted(set(fields) - _TRANSPORT_KEYS)
    if unknown:
        raise ScenarioError(f"document {document}: unknown field(s) {', '.join(unknown)}; "
                            f"fields are {', '.join(sorted(_TRANSPORT_KEYS))}")
    named: dict[str, str] = {}
    for role in _TRANSPORT_PARTIES:
        who = fields.get(role) or next((name for name, party in scenario.parties.items()
                                        if role in ("carrier", "shipper") and party.role == Role.parse(role)), None)
        if who is None:
            continue
        if who not in scenario.parties:
            raise ScenarioError(f"document {document}: {role} {who!r} is not a party of the scenario")
        named[role] = who
    missing = [role for role in ("carrier", "shipper") if role not in named]
    if missing:
        raise ScenarioError(f"document {document}: no {' or '.join(missing)} among the parties")
    return named


def _identifying(code: PartyCode) -> dict[str, str]:
    return {"codeListProvider": code.provider, "partyCode": code.code}


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
        self.opening: dict[str, int] = {}  # token balances at the start, of the parties balance checks name
        self.start = port.layer.block_timestamp()
        self.decimals = port.token.decimals
        self.timeline: list[Any] = []
        saved: Resolve = lambda _step, ref: self.saved[ref[1:]]  # noqa: E731
        given: Resolve = lambda _step, value: value  # noqa: E731
        # How a scenario's argument becomes the SDK value its action takes, by kind.
        self.resolve: dict[Kind, Resolve] = {
            Kind.PARTY: lambda _step, name: self.orgs[name],
            Kind.ADDRESS: lambda _step, name: self.accounts[name].address,
            Kind.ACCOUNT: lambda _step, name: self.accounts[name],
            Kind.SPENDER: lambda _step, name: getattr(port, name).address,
            Kind.BILL: self._bill,
            Kind.DECLARATION: self._declaration,
            Kind.DOCUMENT: lambda _step, name: self.documents[name],
            Kind.DOCUMENTS: self._anchored,
            Kind.AMOUNT: lambda _step, text: to_units(str(text), self.decimals),
            Kind.DATE: lambda _step, text: self.start + (0 if text == "now" else int(text[:-1]) * DAY),
            Kind.CREDIT: saved, Kind.PRESENTATION: saved, Kind.CLAIM: saved, Kind.CODE: saved,
            Kind.INT: given, Kind.STR: given, Kind.BOOL: given,
        }

    # -- setup -------------------------------------------------------------------------------------------------------

    def setup(self) -> None:
        keys = _scenario_keys(self.port)
        missing = [name for name in self.scenario.parties if keys and name not in keys]
        if missing:
            raise ConfigurationError(f"PORTCHAIN_SCENARIO_KEYS has no key for: {', '.join(missing)}")
        if keys:
            _check_funded(self.port, {name: keys[name] for name in self.scenario.parties})
        self.orgs["admin"] = 0
        registry = self.port.registry
        for name, party in self.scenario.parties.items():
            account = keys.get(name) or Account.create()
            if self.port.network.local:
                self.port.fund(account.address)
            org_id = self._organisation(name, party, account.address)
            authority = party.role in (Role.CUSTOMS, Role.TAX)
            if authority and registry.authority_of(party.country, party.role) != org_id:
                # a rehearsal's own authority acts for its country (the registrar designates it)
                registry.designate_authority(party.country, party.role, org_id, sender=self.port.deployer)
            self.accounts[name] = account
            self.orgs[name] = org_id
            self.names_by_org[org_id] = name
        self.names_by_org[self.port.lc.escrow_organisation()] = "lc-escrow"
        for name, spec in self.scenario.documents.items():
            self.documents[name] = self._build_document(name, spec)
        self._register_party_codes()
        self._opening_balances()

    def _organisation(self, name: str, party: PartySpec, signer: str) -> int:
        """The organisation of party ``name``, signed for by ``signer``: onboarded under a registration id tagged
        with the signer (so a party keeps its organisation from run to run while its key is the same), or, when
        the signer already signs for that organisation (a re-run on a persistent network), reused as it is."""
        registry = self.port.registry
        tag = org_tag(signer)
        tagged = dataclasses.replace(party, name=f"{party.name} [{tag}]",
                                     registration_id=f"{party.registration_id}-{tag}")
        current = registry.org_of(signer)
        if current == 0:
            return tagged.onboard(self.port, signer).org_id
        org = registry.organisation(current)
        which = f"party {name!r}: its key ({signer}) already signs for organisation {current}"
        if bytes(org.registration_id_hash) != bytes(text_hash(tagged.registration_id)):
            raise ConfigurationError(
                f"{which}, registered under another registration id than this party's "
                f"({tagged.registration_id!r}): give the party a key of its own (PORTCHAIN_SCENARIO_KEYS)"
            )
        if party.role not in org.roles or org.country != party.country or org.status != OrgStatus.ACTIVE:
            roles = ", ".join(role.name.lower() for role in org.roles)
            raise ConfigurationError(
                f"{which}, which is {org.status.name.lower()} with role(s) {roles} in {org.country}; the party is a "
                f"{party.role.name.lower()} in {party.country}: give the party a key of its own "
                "(PORTCHAIN_SCENARIO_KEYS)"
            )
        for code in party.ports:
            if not registry.operates_at(current, code):
                registry.set_port(current, code, sender=self.port.deployer)
        return current

    def party_code(self, name: str) -> PartyCode:
        """The identifying code (DCSA's "mutually defined" list, ZZZ) party ``name`` is registered with: tagged
        like its organisation, so a re-run with the same key finds the code already held."""
        return PartyCode("ZZZ", f"portchain-scenario:{org_tag(self.accounts[name].address)}:{name}")

    def carrier_code(self, name: str) -> PartyCode:
        """The 4-letter NMFTA-style carrier code carrier ``name`` is registered with (one per carrier organisation)."""
        digest = keccak(f"{org_tag(self.accounts[name].address)}:{name}".encode())
        return PartyCode("NMFTA", "".join(chr(ord("A") + b % 26) for b in digest[:4]))

    def _register_party_codes(self) -> None:
        """The registrar registers the codes of the parties the transport documents name (one tx per party that
        does not hold them all yet)."""
        named: dict[str, list[PartyCode]] = {}
        for name, spec in self.scenario.documents.items():
            if spec.type == "transport-document":
                for role, party in _document_party_names(self.scenario, name, spec.fields).items():
                    codes = named.setdefault(party, [self.party_code(party)])
                    if role == "carrier" and self.carrier_code(party) not in codes:
                        codes.append(self.carrier_code(party))
        for party, codes in named.items():
            held = self.port.registry.org_of_party_codes(codes)
            missing = [code for code in codes if held[code] != self.orgs[party]]
            if missing:
                self.port.registry.add_party_codes(self.orgs[party], missing, sender=self.port.deployer)

    def _opening_balances(self) -> None:
        """The token balance of each party a balance check names, as the run starts: a check counts what the
        party gained during the run (on a fresh chain the same as what it holds; on a persistent one, where a
        re-run's parties keep their accounts, what this run moved)."""
        for step in self.scenario.steps:
            name = step.args.get("balance") if step.action == "check" else None
            if name is not None and name not in self.opening:
                self.opening[name] = self.port.token.balance_of(self.accounts[name].address)

    def _build_document(self, name: str, spec: DocumentSpec) -> Any:
        from .documents import trade

        tag = self.tag.upper()
        fields = spec.fields
        if spec.type == "transport-document":
            return self._transport_document(name, fields)
        if spec.type == "declaration":
            return {"reference": f"{name}-{tag}", **fields}
        if spec.type == "paper-bill":
            return {"paperBill": f"{name}-{tag}", **fields}
        makers = {
            "commercial-invoice": (trade.sample_commercial_invoice, "invoice_number"),
            "packing-list": (trade.sample_packing_list, "packing_list_number"),
            "certificate-of-origin": (trade.sample_certificate_of_origin, "certificate_number"),
            "insurance-certificate": (trade.sample_insurance_certificate, "certificate_number"),
            "inspection-certificate": (trade.sample_inspection_certificate, "certificate_number"),
        }
        make, number_field = makers[spec.type]
        return make(**{number_field: f"{name.upper()}-{tag}"[:35], **fields})

    def _transport_document(self, name: str, fields: dict[str, Any]) -> Any:
        """The SDK's sample DCSA document, made out between this run's parties (named by their codes), of the kind,
        reference and ports the scenario gives."""
        from .documents import sample_transport_document

        parties = _document_party_names(self.scenario, name, fields)
        sample = sample_transport_document().to_json()
        kind = BillKind.parse(fields.get("kind", "to-order"))

        def party(role: str, base: dict[str, Any]) -> dict[str, Any]:
            who = parties[role]
            keep: dict[str, Any] = {key: base[key] for key in ("address", "addressLines") if key in base}
            return {**keep, "partyName": self.scenario.parties[who].name[:70],
                    "identifyingCodes": [_identifying(self.party_code(who))]}

        carrier_code = self.carrier_code(parties["carrier"])
        changes: dict[str, Any] = {
            "transportDocumentReference": f"{fields.get('reference', 'MAEU')}{self.tag.upper()}"[:20],
            "transportDocumentTypeCode": "SWB" if kind == BillKind.SEA_WAYBILL else "BOL",
            "isToOrder": kind == BillKind.TO_ORDER,
            "carrierCode": carrier_code.code, "carrierCodeListProvider": carrier_code.provider,
            "documentParties.issuingParty": party("carrier", sample["documentParties"]["issuingParty"]),
            "documentParties.shipper": party("shipper", sample["documentParties"]["shipper"]),
        }
        for role in ("consignee", "endorsee"):
            if role in parties:
                changes[f"documentParties.{role}"] = party(role, {})
        for key, path in _TRANSPORT_FIELDS.items():
            if key in fields:
                changes[path] = fields[key]
        changes.update(fields.get("set", {}))
        return sample_transport_document(changes)

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
                    raise ScenarioFailedError(f"{self.scenario.where(step)}: refused: {exc}") from exc
            except ScenarioFailedError:
                raise
            except PortchainError as exc:
                raise ScenarioFailedError(f"{self.scenario.where(step)}: {exc}") from exc
            else:
                if step.expect:
                    raise ScenarioFailedError(
                        f"{self.scenario.where(step)}: expected the refusal {step.expect}, but the step succeeded"
                    )
            if step.save:
                self.saved[step.save] = value
            if self.want_timeline:
                self._record(step, self.port.layer.last_receipt, note)
        return refusals

    def _do(self, step: Step) -> Any:
        values = self._values(step)
        if step.action == "check":
            return self._check(step, values)
        action = ACTIONS[step.action]
        outcome = action.run(self.port, self._account(step.actor), values)
        self._remember(step, outcome)
        return outcome.value

    def _values(self, step: Step) -> dict[str, Any]:
        """The step's arguments as SDK values, with those the run supplies when the step leaves them out."""
        params = _params(step.action)
        values = {name: self.resolve[params[name].kind](step, value) for name, value in step.args.items()}
        for name, supply in _SUPPLIED.get(step.action, {}).items():
            if name not in values:
                values[name] = supply(self, step)
        return values

    def _remember(self, step: Step, outcome: Outcome) -> None:
        """Bills and declarations go by the name of the document they were made from; anchors by their issuer."""
        if step.action == "doc.anchor":
            self.anchored_by[step.args["document"]] = self.orgs[step.actor]
        produces = ACTIONS[step.action].produces
        made = self.bills if produces is Kind.BILL else self.declarations if produces is Kind.DECLARATION else None
        if made is not None:
            params = _params(step.action)
            made_from = next(name for name in step.args if params[name].kind is Kind.DOCUMENT)
            made[step.args[made_from]] = outcome.id

    def _record(self, step: Step, receipt: Any, note: str) -> None:
        from .report import TimelineEntry

        party = self.scenario.parties.get(step.actor)
        entry = TimelineEntry(
            index=step.index, actor=step.actor, role=party.role.name if party else step.actor.upper(),
            action=step.action, tx_hash=receipt.tx_hash if receipt else None, gas=receipt.gas_used if receipt else 0,
            state=self._state_after(step), note=note, block_time=self.port.layer.block_timestamp(),
            block=receipt.block_number if receipt else 0,
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
                return f"credit {credit.state.name.lower()}, escrow {from_units(credit.escrowed, self.decimals)}"
            if "declaration" in args and args["declaration"] in self.declarations:
                view = self.port.customs.declaration(self.declarations[args["declaration"]])
                lane = f", lane {view.lane.name.lower()}" if view.lane else ""
                return f"declaration {view.status.name.lower()}{lane}"
        except (PortchainError, KeyError):
            return ""
        return ""

    def _account(self, actor: str) -> LocalAccount:
        if actor in RESERVED_ACTORS:
            return self.port.deployer
        return self.accounts[actor]

    def _bill(self, step: Step, name: str) -> bytes:
        if name not in self.bills:
            raise ScenarioFailedError(f"{self.scenario.where(step)}: {name} has not been drafted as a bill yet")
        return self.bills[name]

    def _declaration(self, step: Step, name: str) -> bytes:
        if name not in self.declarations:
            raise ScenarioFailedError(f"{self.scenario.where(step)}: {name} has not been lodged yet")
        return self.declarations[name]

    def _anchored(self, step: Step, names: list[str]) -> list[tuple[Any, int]]:
        # each document by the anchor of the organisation that anchored it (else the presenter's: not anchored)
        return [(self.documents[name], self.anchored_by.get(name, self.orgs[step.actor])) for name in names]

    # -- checks ------------------------------------------------------------------------------------------------------

    def _check(self, step: Step, values: dict[str, Any]) -> None:
        where = self.scenario.where(step)
        if "bill" in values:
            self._check_bill(where, step, values)
        if "credit" in values:
            self._check_credit(where, values)
        if "declaration" in values:
            view = self.port.customs.declaration(values["declaration"])
            if "status" in values and view.status.name != str(values["status"]).upper():
                raise ScenarioFailedError(f"{where}: declaration is {view.status.name}, expected {values['status']}")
        if "balance" in values:
            self._check_balance(where, step, values)

    def _check_balance(self, where: str, step: Step, values: dict[str, Any]) -> None:
        who = step.args["balance"]
        opening = self.opening.get(who, 0)
        gained = self.port.token.balance_of(values["balance"]) - opening
        if gained != values.get("amount", gained):
            expected = step.args["amount"]
            if opening:
                raise ScenarioFailedError(f"{where}: {who} gained {from_units(gained, self.decimals)} during the run "
                                          f"(it held {from_units(opening, self.decimals)} before), expected {expected}")
            raise ScenarioFailedError(f"{where}: {who} holds {from_units(gained, self.decimals)}, expected {expected}")

    def _check_bill(self, where: str, step: Step, values: dict[str, Any]) -> None:
        status = self.port.bol.status(values["bill"])
        if "state" in values and status.state.name != str(values["state"]).upper():
            raise ScenarioFailedError(f"{where}: bill is {status.state.name}, expected {values['state']}")
        if "holder" in values and status.holder != values["holder"]:
            holder = self.names_by_org.get(status.holder, status.holder)
            raise ScenarioFailedError(f"{where}: bill is held by {holder}, expected {step.args['holder']}")

    def _check_credit(self, where: str, values: dict[str, Any]) -> None:
        if "presentation" in values:
            presentation = self.port.lc.presentation(values["credit"], values["presentation"])
            what, state = "presentation", presentation.state.name
        else:
            what, state = "credit", self.port.lc.credit(values["credit"]).state.name
        if "state" in values and state != str(values["state"]).upper():
            raise ScenarioFailedError(f"{where}: {what} is {state}, expected {values['state']}")

    def result(self, wall: float, refusals: int) -> ScenarioResult:
        from .report import PartyLine, ScenarioRun

        parties = tuple(PartyLine(name, party.role.name, party.country, self.orgs[name])
                        for name, party in self.scenario.parties.items())
        run = ScenarioRun(self.scenario.name, self.scenario.title, self.scenario.description, self.port.network.name,
                          self.port.layer.chain_id, parties, tuple(self.timeline), wall)
        return ScenarioResult(run, dict(self.saved), refusals)


# Arguments a step may leave out because the run supplies them.
_SUPPLIED: dict[str, dict[str, Callable[[_Runner, Step], Any]]] = {
    # full terms unique to the run and the step, so that runs on one chain never share them
    "lc.apply": {"terms": lambda runner, step: {"credit": runner.tag, "step": step.index}},
    # the declaration's own document, as it was lodged
    "customs.assess": {"document": lambda runner, step: runner.documents[step.args["declaration"]]},
}


def _scenario_keys(port: Port) -> dict[str, LocalAccount]:
    """Party keys for a remote network: $PORTCHAIN_SCENARIO_KEYS names a JSON file {party: private key}; each key
    must hold ether (no faucet there) and be one party's only."""
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
    if not isinstance(raw, dict) or not all(isinstance(key, str) for key in raw.values()):
        raise ConfigurationError(f"PORTCHAIN_SCENARIO_KEYS file {path} must map party names to keys")
    keys = {name: account_from_key(key, f"the key of {name!r} in PORTCHAIN_SCENARIO_KEYS") for name, key in raw.items()}
    owners: dict[str, str] = {}
    for name, account in keys.items():
        if account.address in owners:
            raise ConfigurationError(f"PORTCHAIN_SCENARIO_KEYS gives {owners[account.address]!r} and {name!r} the "
                                     "same key: each party signs for its own organisation")
        owners[account.address] = name
    return keys


def _check_funded(port: Port, accounts: dict[str, LocalAccount]) -> None:
    empty = [name for name, account in accounts.items()
             if int(port.layer.request("eth_getBalance", [account.address, "latest"]), 16) == 0]
    if empty:
        raise ConfigurationError(f"no ether on {port.network.name} for the key(s) of {', '.join(empty)} "
                                 "(PORTCHAIN_SCENARIO_KEYS): fund them first")


def run_scenario(
    scenario: Scenario | str | Path,
    port: Port | None = None,
    *,
    tag: str | None = None,
    timeline: bool = True,
    log: Callable[[Any], None] = lambda _entry: None,
) -> ScenarioResult:
    """Run a scenario through the SDK. Without ``port``, on a fresh local Anvil that is stopped afterwards.

    ``tag`` (default: random) makes the run's documents and credit terms unique, so that runs on one chain never
    share a bill or a credit. Organisations are keyed by their signer instead (see :func:`org_tag`): on a persistent
    network with the same PORTCHAIN_SCENARIO_KEYS, a re-run reuses each party's organisation, its designation and
    its party codes, and sends none of that again."""
    spec = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    if port is None:
        import tempfile

        with tempfile.TemporaryDirectory() as records, \
                connect("anvil", deployments_dir=records, fresh_node=True) as own:
            own.deploy()
            return run_scenario(spec, own, tag=tag, timeline=timeline, log=log)
    _check_amounts(spec, port.token.decimals)
    started = time.perf_counter()
    runner = _Runner(port, spec, tag or os.urandom(3).hex(), timeline, log)
    counter = _Counter(port.layer)
    try:
        runner.setup()
        setup = counter.take()
        refusals = runner.run()
        steps = counter.take()
    finally:
        counter.detach()
    result = runner.result(time.perf_counter() - started, refusals)
    result.transactions, result.gas, result.seconds = steps
    result.blocks = counter.taken_blocks
    result.setup_transactions, result.setup_gas, result.setup_seconds = setup
    return result
