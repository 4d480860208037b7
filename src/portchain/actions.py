"""Every action a participant can take on the port, defined once: its name, its parameters, what it produces and the
SDK call it makes. The scenario runner, the CLI and the gas harness all perform actions from :data:`ACTIONS`; they
differ only in how they turn their input into an action's values and in what they do with its :class:`Outcome`.

Values are SDK values: bill and declaration ids as bytes, organisations as ids, amounts in token base units,
timestamps as ints, documents as document objects (or their 32-byte hashes).

>>> transfer = ACTIONS["bol.transfer"]
>>> [(param.name, param.kind.value, param.required) for param in transfer.params]
[('bill', 'bill', True), ('to', 'party', True)]
>>> ACTIONS["lc.apply"].produces, ACTIONS["lc.apply"].param("funding").default
(<Kind.CREDIT: 'credit'>, <Funding.PERMIT: 'permit'>)
>>> ACTIONS["bol.milestone"].param("milestone").parse("arrived")
<Milestone.ARRIVED: 1>
>>> outcome = ACTIONS["bol.transfer"].run(port, shipper, {"bill": bill, "to": bank})    # doctest: +SKIP
>>> outcome.tx.gas_used                                                                  # doctest: +SKIP
31452
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, TypeVar

from eth_account.signers.local import LocalAccount

from .clients.customs import CustomsClient, Item
from .clients.letter_of_credit import CreditTerms
from .clients.port_registry import party_code, party_codes
from .clients.settlement_token import SignedPermit, TokenClient, to_units
from .clients.vat_rebates import RebatesClient
from .documents.declaration import CustomsDeclaration
from .errors import ConfigurationError, InputError
from .port import Port
from .transactions import Receipt
from .types import (
    AmendmentReason,
    BillKind,
    DeclarationKind,
    Discrepancy,
    DocType,
    InspectionResult,
    Lane,
    Milestone,
    Role,
    document_hash_of,
    to_country,
    to_hash32,
)

DAY = 86_400
PERMIT_VALIDITY = 3_600  # seconds a permit signed for an action stays valid: it is spent at once
TRADE_DOCUMENTS = tuple(member.name.lower().replace("_", "-") for member in DocType)


class Kind(str, Enum):
    """What a parameter's value is, and so how each front-end obtains it (the SDK value in brackets)."""

    PARTY = "party"  # an organisation (its id)
    ADDRESS = "address"  # an account (its address)
    ACCOUNT = "account"  # an account that signs as well (its LocalAccount: the front-end holds its key)
    SPENDER = "spender"  # a contract allowed to move tokens (its address)
    TOKEN = "token"  # an ERC-20 token (its address)
    BILL = "bill"  # a bill of lading (its id)
    BILLS = "bills"  # several bills (their ids)
    DECLARATION = "declaration"  # a customs declaration (its id)
    DOCUMENT = "document"  # a document (the object, or its 32-byte hash)
    DOCUMENTS = "documents"  # anchored documents ((document, issuing organisation) pairs)
    ITEMS = "items"  # a declaration's goods (Item objects)
    ENDORSEMENT = "endorsement"  # an endorsement signed off-chain (SignedEndorsement)
    HASH = "hash"  # a 32-byte hash
    AMOUNT = "amount"  # token base units
    DATE = "date"  # unix seconds
    CREDIT = "credit"  # a letter of credit's number
    PRESENTATION = "presentation"  # a presentation's number under its credit
    CLAIM = "claim"  # a VAT rebate claim's id
    CODE = "code"  # a one-time pick-up code (0x-hex)
    INT = "int"
    STR = "str"
    BOOL = "bool"
    TEXTS = "texts"  # several texts (roles, UN/LOCODEs)
    ADDRESSES = "addresses"  # several accounts (their addresses)


class Funding(str, Enum):
    """How an action that moves the sender's tokens is authorised: an EIP-2612 permit signed for it, an ERC-20 approve
    sent before it (withdrawn if the action is refused), or an allowance already in place."""

    PERMIT = "permit"
    APPROVE = "approve"
    ALLOWANCE = "allowance"

    @classmethod
    def parse(cls, value: Funding | str) -> Funding:
        try:
            return cls(value)
        except ValueError:
            raise InputError(f"funding must be one of {', '.join(m.value for m in cls)}, got {value!r}") from None


class _Required:
    def __repr__(self) -> str:
        return "REQUIRED"


REQUIRED: Any = _Required()


@dataclass(frozen=True)
class Param:
    """One parameter of an action. ``accepts``: the document types a DOCUMENT (or DOCUMENTS) parameter takes, where
    it matters; ``parse``: the vocabulary check of a coded text (a bill kind, a lane ...), for early validation."""

    name: str
    kind: Kind
    help: str
    default: Any = REQUIRED
    accepts: tuple[str, ...] = ()
    parse: Callable[[Any], object] | None = None

    @property
    def required(self) -> bool:
        return self.default is REQUIRED


Product = bytes | int | str | None
_P = TypeVar("_P", bytes, int, str)


@dataclass(frozen=True)
class Outcome:
    """What an action did: what it produced (None when nothing but its transaction) and the receipt of the last
    transaction it sent (None when it sent none)."""

    value: Product
    receipt: Receipt | None

    @property
    def tx(self) -> Receipt:
        """The receipt, for an action that sends a transaction."""
        if self.receipt is None:
            raise TypeError("the action sent no transaction")
        return self.receipt

    @property
    def id(self) -> bytes:
        """A bill or declaration id produced."""
        return self._product(bytes)

    @property
    def number(self) -> int:
        """A credit, presentation, claim or organisation number, or an amount, produced."""
        return self._product(int)

    @property
    def text(self) -> str:
        """A pick-up code produced."""
        return self._product(str)

    def _product(self, expected: type[_P]) -> _P:
        if not isinstance(self.value, expected):
            raise TypeError(f"the action produced {self.value!r}, not a {expected.__name__}")
        return self.value


@dataclass(frozen=True)
class Action:
    """An action: ``call(port, signer, **values)`` returns its product, or the receipt when it produces nothing else."""

    name: str
    help: str
    params: tuple[Param, ...]
    produces: Kind | None
    call: Callable[..., object] = field(repr=False, compare=False)

    def param(self, name: str) -> Param:
        for param in self.params:
            if param.name == name:
                return param
        raise KeyError(f"{self.name} has no parameter {name!r}")

    def run(self, port: Port, signer: LocalAccount, values: Mapping[str, Any]) -> Outcome:
        """Perform the action with ``values`` (SDK values; an absent optional one takes its default)."""
        names = {param.name for param in self.params}
        unknown = sorted(set(values) - names)
        missing = [param.name for param in self.params if param.required and param.name not in values]
        if unknown or missing:  # a front-end's mistake, not the user's: front-ends check their input first
            raise TypeError(f"{self.name}: unknown {unknown}, missing {missing}")
        arguments = {param.name: values.get(param.name, param.default) for param in self.params}
        port.layer.last_receipt = None  # so that the outcome's receipt is this action's own
        result = self.call(port, signer, **arguments)
        if isinstance(result, Receipt):
            return Outcome(None, result)
        if result is not None and not isinstance(result, (bytes, int, str)):
            raise TypeError(f"{self.name} produced a {type(result).__name__}")
        return Outcome(result, port.layer.last_receipt)


ACTIONS: dict[str, Action] = {}

_Call = TypeVar("_Call", bound=Callable[..., object])


def _register(action: Action) -> None:
    if action.name in ACTIONS:
        raise ValueError(f"action {action.name} is defined twice")
    ACTIONS[action.name] = action


def action(name: str, help_text: str, *params: Param, produces: Kind | None = None) -> Callable[[_Call], _Call]:
    """Register the decorated function as action ``name``: it takes the port and the signer positionally, then one
    keyword-only argument per parameter, in the same order."""

    def register(call: _Call) -> _Call:
        keywords = [p.name for p in inspect.signature(call).parameters.values() if p.kind is p.KEYWORD_ONLY]
        if keywords != [param.name for param in params]:
            raise TypeError(f"{name}: the call takes {keywords}, the parameters are {[p.name for p in params]}")
        _register(Action(name, help_text, params, produces, call))
        return call

    return register


def _plain(name: str, help_text: str, method: Callable[[Port], Callable[..., Receipt]], *params: Param) -> None:
    """Register an action that is one client method, called with the values in the parameters' order."""

    def call(port: Port, signer: LocalAccount, /, **values: Any) -> Receipt:
        return method(port)(*(values[param.name] for param in params), sender=signer)

    _register(Action(name, help_text, params, None, call))


# -- shared parts ------------------------------------------------------------------------------------------------


def token_client(port: Port, address: str | None) -> TokenClient:
    """The settlement token, or the ERC-20 token at ``address``."""
    return port.token if address is None else TokenClient(port.layer, address)


def _country_of(port: Port, signer: LocalAccount) -> str:
    """The jurisdiction of the organisation ``signer`` signs for."""
    return port.registry.organisation(port.registry.org_of(signer.address)).country


_T = TypeVar("_T")


def _funded(
    port: Port, owner: LocalAccount, token: TokenClient, spender: str, value: int, funding: Funding | str,
    send: Callable[[SignedPermit | None], _T],
) -> _T:
    """Send what moves ``value`` of ``owner``'s tokens to ``spender``, authorised as ``funding`` says."""
    how = Funding.parse(funding)
    if how is Funding.PERMIT:
        return send(token.sign_permit(owner, spender, value, port.layer.block_timestamp() + PERMIT_VALIDITY))
    if how is Funding.ALLOWANCE:
        return send(None)
    previous = token.allowance(owner.address, spender)
    token.approve(spender, value, sender=owner)
    try:
        return send(None)
    except Exception:
        token.approve(spender, previous, sender=owner)  # a refused action leaves the allowance as it found it
        raise


def declaration_items(document: Any, decimals: int) -> list[Item]:
    """The goods of a declaration document: its ``items``, each ``{"hsCode", "customsValue" (token units),
    "origin"}``.

    >>> declaration_items({"items": [{"hsCode": "851712", "customsValue": "1.5", "origin": "CN"}]}, 6)
    [Item(hs_code='851712', customs_value=1500000, origin='CN')]
    >>> declaration_items({"items": [{"hsCode": "85"}]}, 6)
    Traceback (most recent call last):
    ...
    portchain.errors.InputError: items[0] needs hsCode, customsValue and origin
    """
    items = []
    for i, goods in enumerate(CustomsDeclaration.read(document).items):
        try:
            items.append(Item(str(goods.hs_code), to_units(str(goods.customs_value), decimals), str(goods.origin)))
        except InputError as exc:
            raise InputError(f"items[{i}]: {exc}") from None
    return items


def _goods(port: Port, document: Any, items: list[Item] | None) -> list[Item]:
    return items if items is not None else declaration_items(document, port.token.decimals)


# -- parameters several actions share ------------------------------------------------------------------------------

BILL = Param("bill", Kind.BILL, "the bill")
CREDIT = Param("credit", Kind.CREDIT, "the credit")
PRESENTATION = Param("presentation", Kind.PRESENTATION, "the presentation under the credit")
DECLARATION = Param("declaration", Kind.DECLARATION, "the declaration")
CLAIM = Param("claim", Kind.CLAIM, "the rebate claim")
ORGANISATION = Param("organisation", Kind.PARTY, "the organisation")
AMOUNT = Param("amount", Kind.AMOUNT, "in token base units")
REASON = Param("reason", Kind.STR, "why (only its hash goes on-chain)", default="")
COUNTRY = Param("country", Kind.STR, "a jurisdiction, ISO 3166-1 alpha-2", parse=to_country)
PAYEE = Param("payee", Kind.ADDRESS, "the address paid (default: the sender's)", default=None)
TOKEN = Param("token", Kind.TOKEN, "the ERC-20 token (default: the settlement token)", default=None)
UCR = Param("ucr", Kind.STR, "Unique Consignment Reference (only its hash goes on-chain)", default="")
LINKED_BILL = Param("bill", Kind.BILL, "the bill of lading the declaration covers", default=None)
ITEMS = Param("items", Kind.ITEMS, "the goods (default: the document's items list)", default=None)
RATE = Param("rate_bps", Kind.INT, "the rate in basis points (800 = 8%)")
FUNDING = Param("funding", Kind.STR, "permit, approve or allowance (already approved)", default=Funding.PERMIT,
                parse=Funding.parse)

# -- the settlement token -----------------------------------------------------------------------------------------

_plain("token.mint", "faucet: mint tokens (the deployer on a local chain)", lambda port: port.token.mint,
       Param("to", Kind.ADDRESS, "the account credited"), AMOUNT)
_plain("token.transfer", "send tokens", lambda port: port.token.transfer,
       Param("to", Kind.ADDRESS, "the account credited"), AMOUNT)
_plain("token.approve", "allow a contract to move your tokens", lambda port: port.token.approve,
       Param("spender", Kind.SPENDER, "the contract allowed"), AMOUNT)

# -- the participant registry ---------------------------------------------------------------------------------------


@action(
    "registry.onboard", "consortium admin: onboard an organisation",
    Param("name", Kind.STR, "legal name (only its hash goes on-chain)"),
    Param("registration_id", Kind.STR, "company registration / EORI id (only its hash goes on-chain)"),
    COUNTRY, Param("roles", Kind.TEXTS, "its roles (carrier, shipper ...)"),
    Param("signers", Kind.ADDRESSES, "its signing addresses"),
    Param("ports", Kind.TEXTS, "UN/LOCODEs of the ports it operates at", default=()),
    produces=Kind.PARTY,
)
def _onboard(
    port: Port, signer: LocalAccount, *, name: str, registration_id: str, country: str, roles: list[str],
    signers: list[str], ports: list[str],
) -> int:
    return port.registry.onboard(name, registration_id, country, roles, signers, ports, sender=signer).org_id


_plain("registry.designate", "consortium admin: make an organisation its country's customs or tax authority",
       lambda port: port.registry.designate_authority, COUNTRY,
       Param("role", Kind.STR, "customs or tax", parse=Role.parse), ORGANISATION)
_plain("registry.add_signer", "a signer of the organisation: propose another signing address",
       lambda port: port.registry.add_signer, ORGANISATION, Param("signer", Kind.ADDRESS, "the address proposed"))
_plain("registry.accept_signer", "the proposed address: accept to sign for the organisation",
       lambda port: port.registry.accept_signer, ORGANISATION)
_plain("registry.remove_signer", "a signer of the organisation: withdraw a signing address",
       lambda port: port.registry.remove_signer, Param("signer", Kind.ADDRESS, "the address withdrawn"))
_plain("registry.set_roles", "consortium admin: replace an organisation's roles", lambda port: port.registry.set_roles,
       ORGANISATION, Param("roles", Kind.TEXTS, "its roles"))
_plain("registry.set_port", "consortium admin: record that an organisation operates at a port (or no longer)",
       lambda port: port.registry.set_port, ORGANISATION, Param("port", Kind.STR, "the port's UN/LOCODE"),
       Param("operates", Kind.BOOL, "whether it operates there", default=True))
_plain("registry.add_party_codes", "consortium admin: record the party codes (LEI, EORI, carrier code ...) that "
       "identify an organisation in DCSA documents", lambda port: port.registry.add_party_codes, ORGANISATION,
       Param("codes", Kind.TEXTS, "its codes as PROVIDER:CODE, e.g. GLEIF:<LEI>, SMDG:<carrier code> (only their "
             "hashes go on-chain)", parse=party_codes))
_plain("registry.remove_party_code", "consortium admin: free a party code (a lapsed or transferred LEI ...)",
       lambda port: port.registry.remove_party_code,
       Param("code", Kind.STR, "the code as PROVIDER:CODE, e.g. GLEIF:<LEI>", parse=party_code))
_plain("registry.suspend", "consortium admin: suspend an active organisation", lambda port: port.registry.suspend,
       ORGANISATION, REASON)
_plain("registry.reinstate", "consortium admin: reinstate a suspended organisation",
       lambda port: port.registry.reinstate, ORGANISATION)
_plain("registry.revoke", "consortium admin: revoke an organisation for good", lambda port: port.registry.revoke,
       ORGANISATION, REASON)

# -- bills of lading ------------------------------------------------------------------------------------------------


@action(
    "bol.draft", "carrier: draft a bill from its DCSA transport document (kind and parties follow the document)",
    Param("bill", Kind.DOCUMENT, "the transport document", accepts=("transport-document",)),
    Param("kind", Kind.STR, "to-order, straight or sea-waybill: checked against the document", default=None,
          parse=BillKind.parse),
    Param("shipper", Kind.PARTY, "the shipper, where the document's codes do not name it", default=None),
    Param("consignee", Kind.PARTY, "the consignee (to order: the endorsee), where the document's codes do not name it",
          default=None),
    produces=Kind.BILL,
)
def _draft(
    port: Port, signer: LocalAccount, *, bill: Any, kind: str | None, shipper: int | None, consignee: int | None
) -> bytes:
    return port.bol.draft(bill, kind=kind, shipper=shipper, consignee=consignee, sender=signer)


@action(
    "bol.draft_hash", "carrier: draft a bill from a document hash alone (a document validated elsewhere)",
    Param("document_hash", Kind.HASH, "the transport document's canonical hash"),
    Param("kind", Kind.STR, "to-order, straight or sea-waybill", parse=BillKind.parse),
    Param("shipper", Kind.PARTY, "the shipper"),
    Param("consignee", Kind.PARTY, "the consignee (to order: the order party; default the shipper)", default=0),
    produces=Kind.BILL,
)
def _draft_hash(
    port: Port, signer: LocalAccount, *, document_hash: bytes, kind: str, shipper: int, consignee: int
) -> bytes:
    return port.bol.draft_from_hash(document_hash, kind, shipper=shipper, consignee=consignee, sender=signer)


_plain("bol.approve", "shipper: approve the draft", lambda port: port.bol.approve, BILL)
_plain("bol.issue", "carrier: issue an approved bill", lambda port: port.bol.issue, BILL)
_plain("bol.issue_batch", "carrier: issue approved bills in one transaction", lambda port: port.bol.issue_batch,
       Param("bills", Kind.BILLS, "the bills"))
_plain("bol.void", "carrier: void a bill that was never issued", lambda port: port.bol.void_draft, BILL)
_plain("bol.transfer", "holder: pass possession to another organisation", lambda port: port.bol.transfer, BILL,
       Param("to", Kind.PARTY, "the recipient"))


@action("bol.endorse", "titleholder: endorse to another organisation and deliver", BILL,
        Param("to", Kind.PARTY, "the endorsee"),
        Param("to_order", Kind.BOOL, "endorse to the order of the endorsee", default=False))
def _endorse(port: Port, signer: LocalAccount, *, bill: bytes, to: int, to_order: bool) -> Receipt:
    return port.bol.endorse(bill, to, to_order=to_order, sender=signer)


_plain("bol.blank_endorse", "titleholder: endorse in blank (bearer bill)", lambda port: port.bol.blank_endorse, BILL)


@action("bol.sign", "holder: attest the bill (the attestation stays off-chain)", BILL,
        Param("attestation", Kind.DOCUMENT, "the attestation document, or its hash"))
def _sign(port: Port, signer: LocalAccount, *, bill: bytes, attestation: Any) -> Receipt:
    return port.bol.sign(bill, document_hash_of(attestation, "attestation hash"), sender=signer)


_plain("bol.reject", "new holder: reject the last transfer or endorsement", lambda port: port.bol.reject_transfer,
       BILL)
_plain("bol.endorse_by_signature", "anyone named: relay an endorsement the holder signed off-chain",
       lambda port: port.bol.endorse_by_signature, Param("endorsement", Kind.ENDORSEMENT, "the signed endorsement"))
_plain("bol.surrender", "titleholder: surrender for delivery", lambda port: port.bol.surrender_for_delivery, BILL)
_plain("bol.accept_surrender", "carrier: accept a surrender for delivery (the bill is accomplished)",
       lambda port: port.bol.accept_surrender, BILL)
_plain("bol.reject_surrender", "carrier: reject a surrender; the bill goes back",
       lambda port: port.bol.reject_surrender, BILL)
_plain("bol.amend", "titleholder: surrender for amendment", lambda port: port.bol.surrender_for_amendment, BILL,
       Param("reason", Kind.STR, "swtp (switch to paper), cod (change of destination), swi (switch BL)",
             parse=AmendmentReason.parse))
_plain("bol.accept_amendment", "carrier: accept a surrender for amendment; the bill is voided and replaced",
       lambda port: port.bol.accept_amendment, BILL, Param("replacement", Kind.BILL, "the reissued bill"))


@action("bol.switch_to_paper", "carrier: accept a surrender to switch to paper; the paper bill replaces it", BILL,
        Param("paper", Kind.DOCUMENT, "the paper bill", accepts=("paper-bill",)))
def _switch_to_paper(port: Port, signer: LocalAccount, *, bill: bytes, paper: Any) -> Receipt:
    return port.bol.accept_amendment(bill, document_hash_of(paper), sender=signer)


_plain("bol.milestone", "carrier: record shipped on board, arrived or discharged",
       lambda port: port.bol.record_milestone, BILL,
       Param("milestone", Kind.STR, "shipped-on-board, arrived or discharged", parse=Milestone.parse),
       Param("date", Kind.DATE, "when (default: the chain's now)", default=None))

# -- trade documents ------------------------------------------------------------------------------------------------


@action("doc.anchor", "issuer: anchor a document's hash as issued by your organisation",
        Param("document", Kind.DOCUMENT, "the trade document (or its hash, with doc_type)", accepts=TRADE_DOCUMENTS),
        Param("subject", Kind.BILL, "what it belongs to, e.g. the bill", default=None),
        Param("doc_type", Kind.STR, "the document's type (read from the document when not given)", default=None,
              parse=DocType.parse))
def _anchor(port: Port, signer: LocalAccount, *, document: Any, subject: bytes | None, doc_type: str | None) -> Receipt:
    return port.docs.anchor(document, doc_type, subject=subject, sender=signer)


# -- letters of credit ----------------------------------------------------------------------------------------------


@action(
    "lc.apply", "applicant: apply for a credit (the applicant's address funds the escrow in this transaction)",
    Param("beneficiary", Kind.PARTY, "the beneficiary (59)"),
    Param("issuing_bank", Kind.PARTY, "the issuing bank"),
    Param("advising_bank", Kind.PARTY, "the advising bank", default=0),
    Param("confirming_bank", Kind.PARTY, "the confirming bank", default=0),
    Param("amount", Kind.AMOUNT, "the credit amount (32B)"),
    Param("tolerance_bps", Kind.INT, "tolerance in basis points; 1000 = 'about' (39A)", default=0),
    Param("expiry", Kind.DATE, "expiry (31D)"),
    Param("latest_shipment", Kind.DATE, "latest shipment date (44C)"),
    Param("presentation_days", Kind.INT, "days after shipment to present (48)", default=21),
    Param("partial", Kind.BOOL, "partial drawings allowed (43P)", default=False),
    Param("documents", Kind.STR, "required documents, comma-separated (46A)", default="",
          parse=lambda text: [DocType.parse(name) for name in str(text).split(",") if name.strip()]),
    Param("terms", Kind.DOCUMENT, "the full terms (kept off-chain), or their hash"),
    Param("bill_to_issuer", Kind.BOOL, "honoured bills go to the issuing bank rather than the applicant",
          default=False),
    TOKEN, FUNDING,
    produces=Kind.CREDIT,
)
def _apply(
    port: Port, signer: LocalAccount, *, beneficiary: int, issuing_bank: int, advising_bank: int, confirming_bank: int,
    amount: int, tolerance_bps: int, expiry: int, latest_shipment: int, presentation_days: int, partial: bool,
    documents: str, terms: Any, bill_to_issuer: bool, token: str | None, funding: Funding,
) -> int:
    paid_in = token_client(port, token)
    credit_terms = CreditTerms(
        terms_hash=document_hash_of(terms, "terms hash"), token=paid_in.address, amount=amount, beneficiary=beneficiary,
        issuing_bank=issuing_bank, expiry=expiry, latest_shipment=latest_shipment, tolerance_bps=tolerance_bps,
        presentation_days=presentation_days, partial_drawings=partial,
        required_documents=[name for name in documents.split(",") if name.strip()], advising_bank=advising_bank,
        confirming_bank=confirming_bank, bill_to_issuer=bill_to_issuer,
    )
    lc = port.lc
    return _funded(port, signer, paid_in, lc.address, credit_terms.maximum, funding,
                   lambda permit: lc.apply(credit_terms, sender=signer, permit=permit))


_plain("lc.issue", "issuing bank: issue against the escrow funded at application", lambda port: port.lc.issue, CREDIT)
_plain("lc.advise", "advising bank: advise the credit", lambda port: port.lc.advise, CREDIT)
_plain("lc.confirm", "confirming bank: add its confirmation", lambda port: port.lc.confirm, CREDIT)


@action("lc.amend", "issuing bank: issue an amendment (binding at once)", CREDIT,
        Param("amount", Kind.AMOUNT, "the new amount", default=None),
        Param("expiry", Kind.DATE, "the new expiry", default=None),
        Param("latest_shipment", Kind.DATE, "the new latest shipment date", default=None),
        Param("terms", Kind.DOCUMENT, "the new full terms, or their hash", default=None))
def _amend_credit(
    port: Port, signer: LocalAccount, *, credit: int, amount: int | None, expiry: int | None,
    latest_shipment: int | None, terms: Any,
) -> Receipt:
    terms_hash = None if terms is None else document_hash_of(terms, "terms hash")
    return port.lc.amend(credit, amount=amount, expiry=expiry, latest_shipment=latest_shipment, terms_hash=terms_hash,
                         sender=signer)


@action("lc.fund_amendment", "payer: escrow the increase of the pending amendment", CREDIT,
        Param("approve", Kind.BOOL, "send an ERC-20 approve for exactly the increase first", default=False))
def _fund_amendment(port: Port, signer: LocalAccount, *, credit: int, approve: bool) -> Receipt:
    lc, terms = port.lc, port.lc.credit(credit)
    funding = Funding.APPROVE if approve else Funding.ALLOWANCE
    return _funded(port, signer, token_client(port, terms.token), lc.address, terms.amendment_increase, funding,
                   lambda _permit: lc.fund_amendment(credit, sender=signer))


@action("lc.accept_amendment", "beneficiary: accept the pending amendment (naming only some changes rejects it)",
        CREDIT, Param("changes", Kind.INT, "the AmendmentChange bits accepted (default: all)", default=None))
def _accept_amendment(port: Port, signer: LocalAccount, *, credit: int, changes: int | None) -> Receipt:
    return port.lc.accept_amendment(credit, changes=changes, sender=signer)


_plain("lc.reject_amendment", "beneficiary: reject the pending amendment", lambda port: port.lc.reject_amendment,
       CREDIT)


@action("lc.present", "beneficiary: present documents and the bill (endorsed to the escrow by signature)", CREDIT,
        Param("amount", Kind.AMOUNT, "the amount drawn"), BILL,
        Param("documents", Kind.DOCUMENTS, "the documents, each with the organisation that anchored it",
              accepts=TRADE_DOCUMENTS),
        PAYEE, produces=Kind.PRESENTATION)
def _present(
    port: Port, signer: LocalAccount, *, credit: int, amount: int, bill: bytes, documents: list[tuple[Any, int]],
    payee: str | None,
) -> int:
    return port.lc.present(credit, amount, documents, bill, payee=payee, sender=signer, bol=port.bol)


_plain("lc.refuse", "examining bank: refuse in one notice listing every discrepancy", lambda port: port.lc.refuse,
       CREDIT, PRESENTATION,
       Param("discrepancies", Kind.STR, "comma-separated discrepancy codes", parse=Discrepancy.parse_list))
_plain("lc.waive", "applicant: waive the discrepancies", lambda port: port.lc.waive, CREDIT, PRESENTATION)
_plain("lc.honour", "examining bank: honour; payment and bill in one transaction", lambda port: port.lc.honour,
       CREDIT, PRESENTATION)
_plain("lc.claim", "anyone: honour a presentation the bank let pass its deadline", lambda port: port.lc.claim,
       CREDIT, PRESENTATION)
_plain("lc.return_documents", "examining bank or beneficiary: after a refusal, the bill goes back",
       lambda port: port.lc.return_documents, CREDIT, PRESENTATION)


@action("lc.withdraw", "payee or payer: withdraw a payment the token refused and the escrow holds for you", TOKEN,
        Param("to", Kind.ADDRESS, "where to send it (default: your own address)", default=None),
        produces=Kind.AMOUNT)
def _withdraw(port: Port, signer: LocalAccount, *, token: str | None, to: str | None) -> int:
    address = token_client(port, token).address
    owed = port.lc.owed_to(address, signer.address)
    port.lc.withdraw(address, to, sender=signer)
    return owed


@action("lc.deliver_held_bill", "anyone: deliver a bill held for an organisation that is active again", BILL,
        produces=Kind.PARTY)
def _deliver_held_bill(port: Port, signer: LocalAccount, *, bill: bytes) -> int:
    held_for = port.lc.held_for(bill)
    port.lc.deliver_held_bill(bill, sender=signer)
    return held_for


_plain("lc.expire", "anyone: close an expired credit and refund the rest", lambda port: port.lc.expire, CREDIT)
_plain("lc.consent_to_cancellation", "beneficiary: consent to the cancellation",
       lambda port: port.lc.consent_to_cancellation, CREDIT)
_plain("lc.cancel", "applicant (application) or issuing bank (with consent): cancel", lambda port: port.lc.cancel,
       CREDIT)

# -- customs, the gate and VAT rebates ----------------------------------------------------------------------------

_plain("customs.set_tariff", "customs: set the duty rate of an HS heading or subheading in your jurisdiction",
       lambda port: port.customs.set_tariff_rate,
       Param("code", Kind.STR, "HS heading (4 digits) or subheading (6 digits)"), RATE)
_plain("customs.set_vat", "tax authority: set your jurisdiction's import VAT rate",
       lambda port: port.customs.set_vat_rate, RATE)


def _treasury_actions(domain: str, pays: str, client: Callable[[Port], CustomsClient | RebatesClient]) -> None:
    """Nominating a treasury and its acceptance, the same for customs duties and VAT rebates."""

    @action(f"{domain}.nominate_treasury", f"the authority: nominate where your jurisdiction's {pays}",
            Param("treasury", Kind.ADDRESS, "the treasury's address"), TOKEN)
    def nominate(port: Port, signer: LocalAccount, *, treasury: str, token: str | None) -> Receipt:
        return client(port).nominate_treasury(treasury, token or port.token.address, sender=signer)

    _plain(f"{domain}.accept_treasury", "the nominated treasury: accept (signed by its own key)",
           lambda port: client(port).accept_treasury, COUNTRY)


_treasury_actions("customs", "duties are paid", lambda port: port.customs)
_treasury_actions("tax", "rebates are paid from", lambda port: port.rebates)


@action("customs.set_treasury", "customs: nominate the treasury, which accepts with its own key",
        Param("treasury", Kind.ACCOUNT, "the treasury (it signs its acceptance)"))
def _set_customs_treasury(port: Port, signer: LocalAccount, *, treasury: LocalAccount) -> Receipt:
    port.customs.nominate_treasury(treasury.address, port.token.address, sender=signer)
    return port.customs.accept_treasury(_country_of(port, signer), sender=treasury)


@action("tax.set_treasury", "tax authority: pay rebates from your own address (nominate, accept, approve)")
def _set_rebate_treasury(port: Port, signer: LocalAccount) -> Receipt:
    port.rebates.nominate_treasury(signer.address, port.token.address, sender=signer)
    port.rebates.accept_treasury(_country_of(port, signer), sender=signer)
    return port.token.approve(port.rebates.address, 2**256 - 1, sender=signer)


@action(
    "customs.lodge", "declarant: lodge an export or import declaration",
    Param("declaration", Kind.DOCUMENT, "the declaration document (kept off-chain), or its hash with items",
          accepts=("declaration",)),
    Param("kind", Kind.STR, "export or import", parse=DeclarationKind.parse), COUNTRY, LINKED_BILL, UCR, ITEMS,
    produces=Kind.DECLARATION,
)
def _lodge(
    port: Port, signer: LocalAccount, *, declaration: Any, kind: str, country: str, bill: bytes | None, ucr: str,
    items: list[Item] | None,
) -> bytes:
    goods = _goods(port, declaration, items)
    return port.customs.lodge(kind, country, declaration, goods, ucr=ucr, bill=bill, sender=signer)


_plain("customs.accept", "customs: accept a lodged declaration", lambda port: port.customs.accept, DECLARATION)
_plain("customs.reject", "customs: reject", lambda port: port.customs.reject, DECLARATION, REASON)
_plain("customs.lane", "customs: assign the risk lane", lambda port: port.customs.assign_lane, DECLARATION,
       Param("lane", Kind.STR, "green, yellow or red", parse=Lane.parse))
_plain("customs.inspect", "customs: record the document check or inspection",
       lambda port: port.customs.record_inspection, DECLARATION,
       Param("result", Kind.STR, "passed or failed", parse=InspectionResult.parse),
       Param("report", Kind.STR, "the inspection report (only its hash goes on-chain)", default=""))
_plain("customs.require_amendment", "customs: send back for amendment", lambda port: port.customs.require_amendment,
       DECLARATION, REASON)


@action(
    "customs.amend", "declarant: lodge the amended declaration", DECLARATION,
    Param("replacement", Kind.DOCUMENT, "the amended declaration document", accepts=("declaration",)),
    LINKED_BILL, UCR, ITEMS, produces=Kind.DECLARATION,
)
def _amend_declaration(
    port: Port, signer: LocalAccount, *, declaration: bytes, replacement: Any, bill: bytes | None, ucr: str,
    items: list[Item] | None,
) -> bytes:
    goods = _goods(port, replacement, items)
    return port.customs.amend(declaration, replacement, goods, ucr=ucr, bill=bill, sender=signer)


@action("customs.assess", "customs: assess duty and import VAT", DECLARATION,
        Param("document", Kind.DOCUMENT, "the declaration document as lodged", accepts=("declaration",)), ITEMS)
def _assess(
    port: Port, signer: LocalAccount, *, declaration: bytes, document: Any, items: list[Item] | None
) -> Receipt:
    return port.customs.assess(declaration, document, _goods(port, document, items), sender=signer)


@action("customs.pay", "declarant: pay the assessed duty and import VAT", DECLARATION, FUNDING, produces=Kind.AMOUNT)
def _pay(port: Port, signer: LocalAccount, *, declaration: bytes, funding: Funding) -> int:
    customs = port.customs
    due = customs.amount_due(declaration)
    _funded(port, signer, port.token, customs.address, due, funding,
            lambda permit: customs.pay(declaration, sender=signer, permit=permit))
    return due


_plain("customs.release", "customs: release (imports once paid; exports: cleared for shipment)",
       lambda port: port.customs.release, DECLARATION)


@action("gate.authorise", "port operator: authorise one pick-up of a released container; produces its code",
        DECLARATION, BILL, Param("container", Kind.STR, "ISO 6346 container number"),
        Param("code", Kind.CODE, "the 32-byte code to issue (default: a fresh random one)", default=None),
        produces=Kind.CODE)
def _authorise(
    port: Port, signer: LocalAccount, *, declaration: bytes, bill: bytes, container: str, code: str | None = None
) -> str:
    secret = None if code is None else to_hash32(code, "pick-up code")
    return port.gate.authorise(declaration, bill, container, code=secret, sender=signer).code


_plain("gate.verify", "at the gate: check the haulier's code and spend it", lambda port: port.gate.verify,
       Param("container", Kind.STR, "ISO 6346 container number"), Param("code", Kind.CODE, "the pick-up code"))
_plain("gate.revoke", "port operator: withdraw an unused pick-up code", lambda port: port.gate.revoke,
       Param("code_hash", Kind.HASH, "the code's hash"))


@action(
    "tax.rebate_claim", "exporter: claim the VAT rebate of a shipment against its cleared export declaration",
    DECLARATION, BILL,
    Param("invoice", Kind.DOCUMENT, "the VAT invoice, or its hash", accepts=("commercial-invoice",)), AMOUNT, PAYEE,
    produces=Kind.CLAIM,
)
def _rebate_claim(
    port: Port, signer: LocalAccount, *, declaration: bytes, bill: bytes, invoice: Any, amount: int, payee: str | None,
) -> int:
    return port.rebates.claim(declaration, bill, invoice, amount, payee=payee, sender=signer)


_plain("tax.rebate_approve", "tax authority: approve and pay a claim from your treasury",
       lambda port: port.rebates.approve, CLAIM)
_plain("tax.rebate_reject", "tax authority: reject a claim", lambda port: port.rebates.reject, CLAIM, REASON)

# -- the chain itself -------------------------------------------------------------------------------------------------


@action("chain.travel", "local chains: move the chain's clock forward",
        Param("days", Kind.INT, "how many days"))
def _travel(port: Port, signer: LocalAccount, *, days: int) -> None:
    if not port.network.local:
        raise ConfigurationError("time travel works only on a local chain")
    port.layer.request("evm_increaseTime", [days * DAY])
    port.layer.request("evm_mine", [])
