"""A bill's title history in DCSA's vocabulary: PINT 3.0 action codes, and the whole chain of title actions exported
as a PINT-style transfer chain that anyone holding the registry's address can verify without trusting the exporter.

One entry per title action (issue, transfer, endorsement, blank endorsement, signature, rejected transfer,
surrender, surrender accepted or rejected), each carrying a PINT ``Transaction`` (``actionCode``, ``actor``,
``recipient``, ``actionDateTime``, ``reasonCode``, ``comments``, ``auditReference`` = the transaction hash), the
signed Ethereum transaction that performed it, and the SHA-256 checksum of its RFC 8785 canonical JSON; each entry
names the previous one's checksum (``previousEnvelopeTransferChainEntrySignedContentChecksum``), the export's
``head`` names the last.

The signature of an entry is the Ethereum transaction's own: every on-chain action is signed by a signer key of the
acting organisation. :func:`verify_chain` checks, per entry, that the signed transaction hashes to the
``auditReference``, that its signer signed for the actor organisation at that block (``orgOf`` read at the block:
the node must serve historical state; Anvil and archive nodes do) -- or, for an endorsement relayed by someone else,
that the actor's signer signed the EIP-712 ``Endorse`` carried in that transaction, or, for an actor that is a
contract organisation (the letter-of-credit escrow), that the registry says so: the contract's code acted, inside a
transaction someone else signed, and the chain's own event is the evidence -- and that the entry says what the
BillOfLading event at (transaction, log index) says; then that the entries are exactly the bill's title actions on
chain up to the export's block, so no entry can be altered, dropped, reordered or re-signed unnoticed.

>>> dcsa_code("BillEndorsed", {"toOrder": True}), dcsa_code("BillDrafted", {}), dcsa_code("MilestoneRecorded", {})
('ENDORSE_TO_ORDER', 'DRAFT', None)
>>> exported = export_chain(port, bill, document=transport_document)      # doctest: +SKIP
>>> verify_chain(port, exported).ok                                      # doctest: +SKIP
True
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from eth_abi.abi import decode as abi_decode
from eth_account import Account
from eth_account.messages import encode_typed_data
from eth_account.typed_transactions.typed_transaction import TypedTransaction
from eth_utils.address import to_checksum_address
from eth_utils.crypto import keccak

from ._abi import DecodedEvent, Function
from ._files import atomic_write
from .clients._base import contract_abi, eip712_typed_data
from .clients.bill_of_lading import _ENDORSE_FIELDS, BillRef
from .documents.canonical import canonical_json, document_hash, parse_json_text
from .errors import InputError, PortchainError, TransactionError
from .transactions import TransactionLayer
from .types import AmendmentReason, org_scoped_id, text_hash

if TYPE_CHECKING:
    from .clients.bill_of_lading import BillOfLadingClient
    from .port import Port

__all__ = [
    "ACTION_CODES",
    "FORMAT",
    "STATUS_CODES",
    "ChainVerification",
    "dcsa_code",
    "entry_checksum",
    "export_chain",
    "read_chain",
    "verify_chain",
    "write_chain",
]

FORMAT = "portchain-pint-transfer-chain/1"

#: PINT 3.0.0 ``Transaction.actionCode`` of each title event (``BillEndorsed`` is ``ENDORSE_TO_ORDER`` when its
#: ``toOrder`` is set, see :func:`dcsa_code`; a rejected transfer is a ``TRANSFER`` back to the previous holder).
ACTION_CODES: Mapping[str, str] = MappingProxyType({
    "BillIssued": "ISSUE",
    "BillTransferred": "TRANSFER",
    "BillEndorsed": "ENDORSE",
    "BillBlankEndorsed": "BLANK_ENDORSE",
    "BillSigned": "SIGN",
    "TransferRejected": "TRANSFER",
    "BillSurrenderedForDelivery": "SURRENDER_FOR_DELIVERY",
    "BillSurrenderedForAmendment": "SURRENDER_FOR_AMENDMENT",
    "SurrenderAccepted": "SACC",
    "SurrenderRejected": "SREJ",
})

#: DCSA eBL 3.0 ``transportDocumentStatus`` that the events outside the transfer chain lead to.
STATUS_CODES: Mapping[str, str] = MappingProxyType({
    "BillDrafted": "DRAFT",
    "BillApproved": "APPROVED",
    "BillVoided": "VOIDED",
})

# How an entry shows that its actor organisation authorised it.
TRANSACTION_SIGNATURE = "TRANSACTION_SIGNATURE"
RELAYED_ENDORSEMENT = "RELAYED_ENDORSEMENT"
CONTRACT_ORGANISATION = "CONTRACT_ORGANISATION"
_AUTHORISATIONS = (TRANSACTION_SIGNATURE, RELAYED_ENDORSEMENT, CONTRACT_ORGANISATION)

_CHECKSUM = "checksum"
_PREVIOUS = "previousEnvelopeTransferChainEntrySignedContentChecksum"
_CODE_LIST = {"codeListProvider": "ZZZ", "codeListName": "portchain registry organisation id"}
_QUERIED = (*ACTION_CODES, "BillVoided", "BillDrafted")
_CARRIER, _SURRENDERER = "@carrier", "@surrenderer"
# Who acts and who receives, by event: an argument's name, the bill's carrier, or the party that last surrendered.
_PARTIES: Mapping[str, tuple[str, str | None]] = MappingProxyType({
    "BillIssued": (_CARRIER, "holder"),
    "BillTransferred": ("from", "to"),
    "BillEndorsed": ("from", "to"),
    "BillBlankEndorsed": ("by", None),
    "BillSigned": ("by", None),
    "TransferRejected": ("by", "returnedTo"),
    "BillSurrenderedForDelivery": ("by", _CARRIER),
    "BillSurrenderedForAmendment": ("by", _CARRIER),
    "SurrenderAccepted": ("carrier", _SURRENDERER),
    "SurrenderRejected": (_CARRIER, "returnedTo"),
    "BillVoided": (_CARRIER, _SURRENDERER),  # only an accepted amendment (a replacement named) is a title action
})
_COMMENTS: Mapping[str, Callable[[Mapping[str, Any]], str | None]] = MappingProxyType({
    "BillIssued": lambda a: f"to the order of organisation {a['endorsee']}" if a["endorsee"] else None,
    "BillSigned": lambda a: "attestation 0x" + bytes(a["attestationHash"]).hex(),
    "TransferRejected": lambda a: "transfer rejected: returned to the previous holder",
    "BillVoided": lambda a: "amendment accepted: replaced by 0x" + bytes(a["replacedBy"]).hex(),
})


def dcsa_code(event_name: str, args: Mapping[str, Any]) -> str | None:
    """The DCSA code of one BillOfLading event: its PINT 3.0 action code for a title action, the eBL 3.0
    ``transportDocumentStatus`` it leads to for a draft, an approval or a withdrawn draft, None for a milestone.
    A bill voided because the carrier accepted its surrender for amendment (a replacement is named) is ``SACC``.

    >>> dcsa_code("TransferRejected", {}), dcsa_code("BillVoided", {"replacedBy": bytes(32)})
    ('TRANSFER', 'VOIDED')
    """
    if event_name == "BillEndorsed":
        return "ENDORSE_TO_ORDER" if args.get("toOrder") else "ENDORSE"
    if event_name == "BillVoided" and any(bytes(args.get("replacedBy") or b"")):
        return "SACC"
    return ACTION_CODES.get(event_name) or STATUS_CODES.get(event_name)


def entry_checksum(entry: Mapping[str, Any]) -> str:
    """SHA-256 (lowercase hex) of an entry's RFC 8785 canonical JSON without its own ``checksum``: what the next
    entry names as ``previousEnvelopeTransferChainEntrySignedContentChecksum``."""
    content = {key: value for key, value in entry.items() if key != _CHECKSUM}
    return hashlib.sha256(canonical_json(content)).hexdigest()


@dataclass(frozen=True)
class ChainVerification:
    """What :func:`verify_chain` found. ``problems`` name the entry (``entry 3 (TRANSFER): ...``) or the export;
    ``verified`` counts the entries that passed every check; ``actions_after_export`` counts title actions recorded
    on chain after the export's block (the export is a snapshot: it may be behind without being wrong);
    ``unchecked`` names what the export states that could not be checked (a document checksum, without the
    document)."""

    verified: int
    problems: list[str] = field(default_factory=list)
    actions_after_export: int = 0
    unchecked: list[str] = field(default_factory=list)  # what the export states that could not be checked

    @property
    def ok(self) -> bool:
        return not self.problems


# --------------------------------------------------------------------------------------------------------------
# Reading the chain
# --------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Action:
    """One title action as the chain records it."""

    event: DecodedEvent
    code: str
    actor: int
    recipient: int | None
    reason: str | None
    comments: str | None

    @property
    def tx_hash(self) -> str:
        return self.event.tx_hash.lower()

    def transaction(self, timestamp: int, names: Mapping[int, str]) -> dict[str, Any]:
        """The PINT ``Transaction`` of this action."""
        tx: dict[str, Any] = {
            "actionCode": self.code,
            "actor": _party(self.actor, names),
            "actionDateTime": _rfc3339(timestamp),
            "auditReference": self.tx_hash,
        }
        if self.recipient:
            tx["recipient"] = _party(self.recipient, names)
        if self.reason:
            tx["reasonCode"] = self.reason
        if self.comments:
            tx["comments"] = self.comments
        return tx


def _party(org_id: int, names: Mapping[int, str]) -> dict[str, Any]:
    party: dict[str, Any] = {"orgId": org_id, "identifyingCodes": [{**_CODE_LIST, "partyCode": str(org_id)}]}
    if org_id in names:
        party["partyName"] = names[org_id]
    return party


def _rfc3339(timestamp: int) -> str:
    """RFC 3339 UTC with millisecond precision, as PINT's ``actionDateTime``."""
    return datetime.fromtimestamp(timestamp, timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _is_title_action(event: DecodedEvent) -> bool:
    if event.name == "BillVoided":
        return any(bytes(event.args["replacedBy"]))
    return event.name in ACTION_CODES


def _title_actions(events: Iterable[DecodedEvent], carrier: int) -> list[_Action]:
    """The bill's title actions, oldest first, with their PINT parties (the surrenderer remembered for SACC/SREJ)."""
    actions: list[_Action] = []
    surrenderer = 0
    for event in events:
        if not _is_title_action(event):
            continue
        args = event.args
        if event.name.startswith("BillSurrenderedFor"):
            surrenderer = int(args["by"])
        actor_key, recipient_key = _PARTIES[event.name]
        context = {_CARRIER: carrier, _SURRENDERER: surrenderer}
        actor = context[actor_key] if actor_key in context else int(args[actor_key])
        recipient = None
        if recipient_key is not None:
            recipient = context[recipient_key] if recipient_key in context else int(args[recipient_key])
        reason = AmendmentReason(int(args["reason"])).name if "reason" in args else None
        comment = _COMMENTS.get(event.name)
        code = dcsa_code(event.name, args)
        assert code is not None  # every title action has one
        actions.append(_Action(event, code, actor, recipient or None, reason, comment(args) if comment else None))
    return actions


def _bill_events(layer: TransactionLayer, bol: BillOfLadingClient, bill: bytes, start: int) -> list[DecodedEvent]:
    """Every title event of ``bill`` and its draft, from ``start`` to the latest block, in one log query."""
    topics: list[Any] = [["0x" + bol.abi.event_topic(name).hex() for name in _QUERIED], "0x" + bill.hex()]
    found = bol.abi.decode_logs(layer.get_logs(bol.address, topics, start), bol.address)
    return sorted(found, key=lambda e: (e.block_number, e.log_index))


class _Batch:
    """JSON-RPC requests sent together (one HTTP round trip), each under a key; a node that refuses batches gets
    them one by one."""

    def __init__(self, layer: TransactionLayer) -> None:
        self.layer = layer
        self._calls: dict[Hashable, tuple[str, list[Any], Callable[[Any], Any]]] = {}

    def add(self, key: Hashable, method: str, params: list[Any], decode: Callable[[Any], Any] = lambda r: r) -> None:
        self._calls.setdefault(key, (method, params, decode))

    def call(self, key: Hashable, to: str, fn: Function, args: Sequence[Any], block: int | str = "latest") -> None:
        """``eth_call`` of ``fn(*args)`` on ``to`` at ``block`` (historical state for a block number)."""
        tag = hex(block) if isinstance(block, int) else block
        params = [{"to": to, "data": "0x" + fn.encode(args).hex()}, tag]
        self.add(key, "eth_call", params, lambda result: fn.decode(bytes.fromhex(result[2:])))

    def run(self) -> dict[Hashable, Any]:
        """Each key's decoded result, or a :class:`TransactionError` in its place for a request the node refused."""
        keys = list(self._calls)
        if not keys:
            return {}
        requests = [(self._calls[k][0], self._calls[k][1]) for k in keys]
        try:
            responses = self.layer.batch_request(requests)
        except (TransactionError, NotImplementedError):  # a node that refuses batches: one by one
            responses = [self.layer.raw_request(method, params) for method, params in requests]
        results: dict[Hashable, Any] = {}
        for key, response in zip(keys, responses, strict=True):
            method, _params, decode = self._calls[key]
            if "error" in response:
                error = response["error"]
                message = error.get("message", error) if isinstance(error, dict) else error
                results[key] = TransactionError(f"{method} failed: {message}")
            else:
                results[key] = decode(response["result"])
        self._calls.clear()
        return results


def _value(results: Mapping[Hashable, Any], key: Hashable) -> Any:
    value = results[key]
    if isinstance(value, TransactionError):
        raise value
    return value


def _registry_functions() -> tuple[Function, Function, Function]:
    abi = contract_abi("PortRegistry")
    return abi.function("orgOf"), abi.function("isContractOrganisation"), abi.function("organisation")


# --------------------------------------------------------------------------------------------------------------
# Signatures
# --------------------------------------------------------------------------------------------------------------


def _raw_bytes(raw: str, where: str) -> bytes:
    if not re.fullmatch(r"0x([0-9a-fA-F]{2})+", raw):
        raise InputError(f"{where}: not a 0x-prefixed hex string of whole bytes")
    return bytes.fromhex(raw[2:])


def _recover(raw: bytes) -> str | None:
    """The signer of a signed transaction, or None if it is not one."""
    try:
        return str(Account.recover_transaction(raw))
    except Exception:  # eth-account raises a variety of errors for malformed bytes; all mean "not a signed tx"
        return None


def _endorse_message(bill: bytes, args: Mapping[str, Any], relayed: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "bill": bill, "from": int(args["from"]), "to": int(args["to"]), "toOrder": bool(args["toOrder"]),
        "transfers": int(relayed["transfers"]), "relayer": to_checksum_address(relayed["relayer"]),
        "nonce": int(relayed["nonce"]), "deadline": int(relayed["deadline"]),
    }


def _endorsement_signer(chain_id: int, bol: str, bill: bytes, args: Mapping[str, Any], relayed: Mapping[str, Any]) -> (
    str | None
):
    """Who signed a relayed endorsement (EIP-712 ``Endorse`` of BillOfLading), or None if it does not recover."""
    try:
        typed = eip712_typed_data("portchain BillOfLading", "1", chain_id, bol, "Endorse", _ENDORSE_FIELDS,
                                  _endorse_message(bill, args, relayed))
        signature = _raw_bytes(str(relayed["signature"]), "signature")
        return str(Account.recover_message(encode_typed_data(full_message=typed), signature=signature))
    except Exception:  # a malformed field or signature: it does not recover
        return None


def _endorse_calls(trace: Any, bol: str) -> Iterable[str]:
    """Inputs of every call to ``bol`` in a ``callTracer`` trace."""
    if not isinstance(trace, dict):
        return
    if str(trace.get("to", "")).lower() == bol.lower():
        yield str(trace.get("input", "0x"))
    for sub in trace.get("calls") or ():
        yield from _endorse_calls(sub, bol)


def _find_relayed(layer: TransactionLayer, bol: BillOfLadingClient, action: _Action, bill: bytes) -> dict[str, Any]:
    """The EIP-712 endorsement relayed in the action's transaction: its calldata when it called BillOfLading, else
    the calls a ``callTracer`` trace shows (``debug_traceTransaction``)."""
    fn = bol.abi.function("endorseBySignature")
    tx = layer.request("eth_getTransactionByHash", [action.tx_hash])
    if str(tx.get("to") or "").lower() == bol.address.lower():
        inputs: Iterable[str] = [str(tx["input"])]
    else:
        try:
            trace = layer.request("debug_traceTransaction", [action.tx_hash, {"tracer": "callTracer"}])
        except TransactionError:
            trace = None
        inputs = list(_endorse_calls(trace, bol.address))
    args = action.event.args
    for data in inputs:
        raw = bytes.fromhex(data[2:])
        if raw[:4] != fn.selector:
            continue
        ident, from_org, to, to_order, transfers, relayer, nonce, deadline, signature = abi_decode(
            fn.input_types, raw[4:]
        )
        if (bytes(ident), from_org, to, to_order) == (bill, args["from"], args["to"], args["toOrder"]):
            return {
                "transfers": transfers, "relayer": to_checksum_address(relayer), "nonce": str(nonce),
                "deadline": str(deadline), "signature": "0x" + bytes(signature).hex(),
            }
    raise PortchainError(
        f"transaction {action.tx_hash} endorsed bill 0x{bill.hex()} for organisation {action.actor}, but neither its "
        "signer nor a relayed endorsement signed by one of that organisation's signers could be found"
    )


# --------------------------------------------------------------------------------------------------------------
# Export
# --------------------------------------------------------------------------------------------------------------


@dataclass
class _Signed:
    """How one action's entry is signed."""

    raw: bytes
    signer: str
    authorised_by: str = TRANSACTION_SIGNATURE
    relayed: dict[str, Any] | None = None


def export_chain(
    port: Port, bill: BillRef, *, document: Any = None, party_names: Mapping[int, str] | None = None
) -> dict[str, Any]:
    """The bill's title history as a PINT-style transfer chain (a JSON-ready dict, see the module). ``document``:
    the transport document (its SHA-256 canonical checksum goes in, after its keccak256 hash is checked against the
    chain). ``party_names``: organisation names by id, written as ``partyName`` (checked by :func:`verify_chain`
    against the hashed names the registry holds). RPC: a fixed handful of round trips whatever the length (status,
    head block, one log query, one batch of raw transactions and block times, one batch of registry reads), plus
    one or two requests per endorsement relayed by a third party."""
    bol, layer = port.bol, port.layer
    ident = bol.resolve(bill)
    status = bol.status(ident)
    batch = _Batch(layer)
    batch.add("head", "eth_blockNumber", [], lambda r: int(r, 16))
    batch.call("registry", bol.address, bol.abi.function("registry"), ())
    header = batch.run()
    at = int(_value(header, "head"))
    events = [e for e in _bill_events(layer, bol, ident, status.draft_block) if e.block_number <= at]
    document_hash_ = _drafted_hash(events)
    checksum = None if document is None else _document_checksum(document, document_hash_)
    actions = _title_actions(events, status.carrier)
    times, signed = _fetch_signed(layer, actions)
    _authorise(port, actions, signed, ident, str(_value(header, "registry")))
    names = dict(party_names or {})
    entries: list[dict[str, Any]] = []
    for action, sign in zip(actions, signed, strict=True):
        entries.append(_entry(action, times[action.event.block_number], sign, names, checksum, entries))
    exported: dict[str, Any] = {
        "format": FORMAT,
        "chainId": layer.chain_id,
        "billOfLading": bol.address,
        "registry": to_checksum_address(_value(header, "registry")),
        "bill": "0x" + ident.hex(),
        "documentHash": "0x" + document_hash_.hex(),
        "exportedAtBlock": at,
        "head": entries[-1][_CHECKSUM] if entries else None,
        "entries": entries,
    }
    if checksum is not None:
        exported["transportDocumentChecksum"] = checksum
    return exported


def _drafted_hash(events: Sequence[DecodedEvent]) -> bytes:
    for event in events:
        if event.name == "BillDrafted":
            return bytes(event.args["documentHash"])
    raise TransactionError("the node returned no BillDrafted event for the bill")


def _document_checksum(document: Any, on_chain: bytes) -> str:
    if document_hash(document) != on_chain:
        raise InputError(f"the document given does not hash to the bill's document hash 0x{on_chain.hex()}")
    return document_hash(document, "sha256").hex()


def _entry(
    action: _Action,
    timestamp: int,
    signed: _Signed,
    names: Mapping[int, str],
    document_checksum: str | None,
    previous: Sequence[Mapping[str, Any]],
) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "transaction": action.transaction(timestamp, names),
        "blockNumber": action.event.block_number,
        "logIndex": action.event.log_index,
        "signedTransaction": "0x" + signed.raw.hex(),
        "signer": signed.signer,
        "authorisedBy": signed.authorised_by,
    }
    if signed.relayed is not None:
        entry["relayedEndorsement"] = signed.relayed
    if document_checksum is not None:
        entry["transportDocumentChecksum"] = document_checksum
    if previous:
        entry[_PREVIOUS] = previous[-1][_CHECKSUM]
    entry[_CHECKSUM] = entry_checksum(entry)
    return entry


def _fetch_signed(layer: TransactionLayer, actions: Sequence[_Action]) -> tuple[dict[int, int], list[_Signed]]:
    """Block timestamps and the signed transaction of every action: one batch."""
    batch = _Batch(layer)
    for action in actions:
        batch.add(("block", action.event.block_number), "eth_getBlockByNumber", [hex(action.event.block_number), False],
                  lambda r: int(r["timestamp"], 16))
        batch.add(("raw", action.tx_hash), "eth_getRawTransactionByHash", [action.tx_hash])
    results = batch.run()
    times = {a.event.block_number: int(_value(results, ("block", a.event.block_number))) for a in actions}
    signed: list[_Signed] = []
    for action in actions:
        raw = _raw_transaction(layer, action.tx_hash, results[("raw", action.tx_hash)])
        signer = _recover(raw)
        if signer is None:
            raise TransactionError(f"transaction {action.tx_hash}: the node's raw transaction does not recover")
        signed.append(_Signed(raw, signer))
    return times, signed


def _raw_transaction(layer: TransactionLayer, tx_hash: str, fetched: Any) -> bytes:
    """The signed bytes of ``tx_hash``: ``eth_getRawTransactionByHash``, or rebuilt from ``eth_getTransactionByHash``
    (typed transactions) on a node without it; either way checked to hash to ``tx_hash``."""
    if isinstance(fetched, str) and fetched.startswith("0x") and len(fetched) > 2:
        raw = bytes.fromhex(fetched[2:])
    else:
        tx = layer.request("eth_getTransactionByHash", [tx_hash])
        if int(tx.get("type", "0x0"), 16) == 0:
            raise TransactionError(f"the node serves no raw transaction for legacy transaction {tx_hash}")
        fields = {k: v for k, v in tx.items() if k in _TYPED_FIELDS}
        fields["data"] = tx["input"]
        fields["v"] = int(tx.get("yParity", tx["v"]), 16)
        fields["r"], fields["s"] = int(tx["r"], 16), int(tx["s"], 16)
        raw = bytes(TypedTransaction.from_dict(fields).encode())
    if "0x" + keccak(raw).hex() != tx_hash.lower():
        raise TransactionError(f"the raw transaction the node returned does not hash to {tx_hash}")
    return raw


_TYPED_FIELDS = frozenset({
    "type", "chainId", "nonce", "gas", "gasPrice", "maxFeePerGas", "maxPriorityFeePerGas", "to", "value",
    "accessList",
})


def _authorise(port: Port, actions: Sequence[_Action], signed: Sequence[_Signed], bill: bytes, registry: str) -> None:
    """Find how each actor authorised its action: its signer signed the transaction; else the actor is a contract
    organisation; else a signer of the actor signed an endorsement someone relayed. Three batches at most."""
    org_of, is_contract, _organisation = _registry_functions()
    batch = _Batch(port.layer)
    for action, sign in zip(actions, signed, strict=True):
        batch.call(("org", sign.signer, action.event.block_number), registry, org_of, (sign.signer,),
                   action.event.block_number)
    orgs = batch.run()
    pending = [
        (action, sign) for action, sign in zip(actions, signed, strict=True)
        if _value(orgs, ("org", sign.signer, action.event.block_number)) != action.actor
    ]
    for action, _sign in pending:
        batch.call(("contract", action.actor, action.event.block_number), registry, is_contract, (action.actor,),
                   action.event.block_number)
    contracts = batch.run()
    relayed: list[tuple[_Action, _Signed, str | None]] = []
    for action, sign in pending:
        if _value(contracts, ("contract", action.actor, action.event.block_number)):
            sign.authorised_by = CONTRACT_ORGANISATION
            continue
        sign.relayed = _find_relayed(port.layer, port.bol, action, bill)
        signer = _endorsement_signer(port.layer.chain_id, port.bol.address, bill, action.event.args, sign.relayed)
        if signer is not None:
            batch.call(("org", signer, action.event.block_number), registry, org_of, (signer,),
                       action.event.block_number)
        relayed.append((action, sign, signer))
    endorsers = batch.run()
    for action, sign, signer in relayed:
        if signer is None or _value(endorsers, ("org", signer, action.event.block_number)) != action.actor:
            raise PortchainError(
                f"the endorsement relayed in {action.tx_hash} was not signed by a signer of organisation {action.actor}"
            )
        sign.authorised_by = RELAYED_ENDORSEMENT
        sign.relayed = {**(sign.relayed or {}), "signer": signer}


# --------------------------------------------------------------------------------------------------------------
# Verification
# --------------------------------------------------------------------------------------------------------------


def verify_chain(port: Port, exported: Mapping[str, Any], *, document: Any = None) -> ChainVerification:
    """Verify an exported transfer chain against the chain ``port`` reaches, trusting nothing the export says (see
    the module for the checks). ``document``: the transport document, to check ``documentHash`` and
    ``transportDocumentChecksum`` against. A malformed export raises :class:`InputError` naming the JSON path; a
    well-formed one that fails any check returns problems. RPC: a fixed handful of round trips (status, one batch
    of head block and registry, one log query, one batch of block times and registry reads at each entry's block)."""
    _check_shape(exported)
    return _Verifier(port, exported).run(document)


class _Verifier:
    """One verification: the problems found, by entry."""

    def __init__(self, port: Port, exported: Mapping[str, Any]) -> None:
        self.port = port
        self.exported = exported
        self.entries: list[Mapping[str, Any]] = list(exported["entries"])
        self.problems: list[str] = []
        self.unchecked: list[str] = []
        self.failed: set[int] = set()
        self.bill = bytes.fromhex(str(exported["bill"])[2:])

    def problem(self, index: int | None, message: str) -> None:
        if index is None:
            self.problems.append(message)
            return
        self.failed.add(index)
        code = self.entries[index]["transaction"].get("actionCode")
        self.problems.append(f"entry {index} ({code}): {message}")

    def run(self, document: Any) -> ChainVerification:
        bol, layer = self.port.bol, self.port.layer
        self._check_header(document)
        try:
            status = bol.status(self.bill)
        except PortchainError as exc:
            self.problem(None, f"bill {self.exported['bill']}: {exc}")
            return ChainVerification(0, self.problems)
        batch = _Batch(layer)
        batch.add("head", "eth_blockNumber", [], lambda r: int(r, 16))
        batch.call("registry", bol.address, bol.abi.function("registry"), ())
        header = batch.run()
        registry = to_checksum_address(_value(header, "registry"))
        if str(self.exported["registry"]).lower() != registry.lower():
            self.problem(None, f"registry {self.exported['registry']} is not BillOfLading's registry {registry}")
        at = int(self.exported["exportedAtBlock"])
        if at > int(_value(header, "head")):
            self.problem(None, f"exportedAtBlock {at} is beyond the chain's head {_value(header, 'head')}")
        events = _bill_events(layer, bol, self.bill, status.draft_block)
        self._check_document_hash(events, status.carrier)
        if document is not None:
            self.problems.extend(bol.check_document(document, status))
        elif "transportDocumentChecksum" in self.exported:
            self.unchecked.append("transportDocumentChecksum: no transport document given to check it against")
        everything = _title_actions(events, status.carrier)
        actions = [a for a in everything if a.event.block_number <= at]
        self._check_entries(actions, registry)
        return ChainVerification(
            len(self.entries) - len(self.failed), self.problems, len(everything) - len(actions), self.unchecked
        )

    # -- the export as a whole -------------------------------------------------------------------------------

    def _check_header(self, document: Any) -> None:
        exported = self.exported
        if exported["format"] != FORMAT:
            self.problem(None, f"format {exported['format']!r} is not {FORMAT!r}")
        if exported["chainId"] != self.port.layer.chain_id:
            self.problem(None, f"chainId {exported['chainId']} is not this chain's {self.port.layer.chain_id}")
        if str(exported["billOfLading"]).lower() != self.port.bol.address.lower():
            self.problem(None, f"billOfLading {exported['billOfLading']} is not this port's {self.port.bol.address}")
        checksum = exported.get("transportDocumentChecksum")
        if document is not None:
            if str(exported["documentHash"]).lower() != "0x" + document_hash(document).hex():
                self.problem(None, "the document given does not hash to documentHash")
            if checksum is not None and checksum != document_hash(document, "sha256").hex():
                self.problem(None, "the document given does not match transportDocumentChecksum")

    def _check_document_hash(self, events: Sequence[DecodedEvent], carrier: int) -> None:
        stated = bytes.fromhex(str(self.exported["documentHash"])[2:])
        drafted = next((bytes(e.args["documentHash"]) for e in events if e.name == "BillDrafted"), None)
        if drafted != stated or org_scoped_id(stated, carrier) != self.bill:
            stated_hex = self.exported["documentHash"]
            self.problem(None, f"documentHash {stated_hex} is not the hash the bill was drafted from")

    # -- entries ---------------------------------------------------------------------------------------------

    def _check_entries(self, actions: Sequence[_Action], registry: str) -> None:
        self._check_checksums()
        signers = [self._check_signed(i, entry) for i, entry in enumerate(self.entries)]
        results = self._chain_reads(actions, signers, registry)
        for index, entry in enumerate(self.entries):
            if index < len(actions):
                self._check_agreement(index, entry, actions[index], results)
                self._check_authorisation(index, entry, actions[index], signers[index], results)
        if len(self.entries) != len(actions):
            self.problem(
                None,
                f"the chain records {len(actions)} title actions of the bill up to block "
                f"{self.exported['exportedAtBlock']}; the export lists {len(self.entries)}",
            )
        for index in range(len(actions), len(self.entries)):
            self.problem(index, "no such title action on chain")

    def _check_checksums(self) -> None:
        previous: str | None = None
        document_checksum = self.exported.get("transportDocumentChecksum")
        for index, entry in enumerate(self.entries):
            if entry[_CHECKSUM] != entry_checksum(entry):
                self.problem(index, "checksum does not match the entry's canonical JSON")
            if entry.get(_PREVIOUS) != previous:
                self.problem(index, f"{_PREVIOUS} does not name the previous entry's checksum")
            if entry.get("transportDocumentChecksum") != document_checksum:
                self.problem(index, "transportDocumentChecksum differs from the export's")
            previous = str(entry[_CHECKSUM])
        if self.exported.get("head") != previous:
            self.problem(None, "head does not name the last entry's checksum")

    def _check_signed(self, index: int, entry: Mapping[str, Any]) -> str | None:
        """The address whose signature authorises the entry (the transaction's signer, or a relayed
        endorsement's), after checking the signed transaction is the audited one."""
        raw = _raw_bytes(str(entry["signedTransaction"]), f"$.entries[{index}].signedTransaction")
        audit = str(entry["transaction"]["auditReference"]).lower()
        if "0x" + keccak(raw).hex() != audit:
            self.problem(index, f"signedTransaction is not transaction {audit} (re-signed or altered)")
        signer = _recover(raw)
        if signer is None or signer.lower() != str(entry["signer"]).lower():
            self.problem(index, f"signedTransaction is signed by {signer}, not by the stated signer {entry['signer']}")
        if entry["authorisedBy"] != RELAYED_ENDORSEMENT:
            return signer
        return self._relayed_signer(index, entry, raw)

    def _relayed_signer(self, index: int, entry: Mapping[str, Any], raw: bytes) -> str | None:
        relayed = entry.get("relayedEndorsement")
        if not isinstance(relayed, Mapping):
            self.problem(index, "authorisedBy RELAYED_ENDORSEMENT without a relayedEndorsement")
            return None
        transaction = entry["transaction"]
        recipient = transaction.get("recipient") or {}
        args = {
            "from": transaction["actor"].get("orgId"), "to": recipient.get("orgId", 0),
            "toOrder": transaction["actionCode"] == "ENDORSE_TO_ORDER",
        }
        signer = _endorsement_signer(self.port.layer.chain_id, self.port.bol.address, self.bill, args, relayed)
        if signer is None or signer.lower() != str(relayed.get("signer", "")).lower():
            self.problem(index, f"relayedEndorsement is signed by {signer}, not by its stated signer")
            return None
        if _raw_bytes(str(relayed["signature"]), "signature") not in raw:
            self.problem(index, "relayedEndorsement's signature is not in the signed transaction")
        return signer

    def _chain_reads(self, actions: Sequence[_Action], signers: Sequence[str | None], registry: str) -> (
        dict[Hashable, Any]
    ):
        """Block times, and the registry at each entry's block: one batch."""
        org_of, is_contract, organisation = _registry_functions()
        batch = _Batch(self.port.layer)
        for action in actions:
            block = action.event.block_number
            batch.add(("block", block), "eth_getBlockByNumber", [hex(block), False], lambda r: int(r["timestamp"], 16))
        for index, entry in enumerate(self.entries):
            if index >= len(actions):
                break
            block, actor = actions[index].event.block_number, actions[index].actor
            if entry["authorisedBy"] == CONTRACT_ORGANISATION:
                batch.call(("contract", actor, block), registry, is_contract, (actor,), block)
            elif signers[index] is not None:
                batch.call(("org", signers[index], block), registry, org_of, (signers[index],), block)
            for org, _name in _named_parties(entry):
                batch.call(("name", org), registry, organisation, (org,))
        return batch.run()

    def _check_agreement(
        self, index: int, entry: Mapping[str, Any], action: _Action, results: Mapping[Hashable, Any]
    ) -> None:
        """The entry says what the chain's event at (transaction, log index) says, at that block's time."""
        where = (entry["blockNumber"], entry["logIndex"], str(entry["transaction"]["auditReference"]).lower())
        if where != (action.event.block_number, action.event.log_index, action.tx_hash):
            self.problem(
                index, f"the chain's title action {index} is at block {action.event.block_number} log "
                f"{action.event.log_index} of {action.tx_hash}; the entry names block {where[0]} log {where[1]} of "
                f"{where[2]}",
            )
            return
        expected = action.transaction(_value(results, ("block", action.event.block_number)), {})
        stated = _without_names(entry["transaction"])
        for key in sorted(set(expected) | set(stated)):
            if expected.get(key) != stated.get(key):
                self.problem(index, f"{key} is {stated.get(key)!r}; the chain says {expected.get(key)!r}")
        for org, name in _named_parties(entry):
            self._check_name(index, org, name, results)

    def _check_name(self, index: int, org_id: int, name: str, results: Mapping[Hashable, Any]) -> None:
        found = results.get(("name", org_id))
        if isinstance(found, TransactionError) or found is None:
            self.problem(index, f"organisation {org_id} is unknown to the registry")
        elif bytes(found[0]) != text_hash(name):
            self.problem(index, f"partyName {name!r} is not the name the registry holds for organisation {org_id}")

    def _check_authorisation(
        self, index: int, entry: Mapping[str, Any], action: _Action, signer: str | None,
        results: Mapping[Hashable, Any],
    ) -> None:
        """The entry's signer signed for the actor organisation at that block (or the actor is a contract)."""
        block, actor = action.event.block_number, action.actor
        if entry["authorisedBy"] == CONTRACT_ORGANISATION:
            if _value(results, ("contract", actor, block)) is not True:
                self.problem(index, f"organisation {actor} is not a contract organisation")
            return
        if signer is None:
            return  # already reported
        org = _value(results, ("org", signer, block))
        if org != actor:
            self.problem(
                index, f"{signer} signed for organisation {org or 'none'} at block {block}, not for the actor {actor}"
            )


def _without_names(transaction: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(transaction)
    for role in ("actor", "recipient"):
        party = out.get(role)
        if isinstance(party, Mapping):
            out[role] = {k: v for k, v in party.items() if k != "partyName"}
    return out


def _named_parties(entry: Mapping[str, Any]) -> list[tuple[int, str]]:
    """The (organisation, partyName) pairs an entry states: the actor's and the recipient's, each checked."""
    named: list[tuple[int, str]] = []
    for role in ("actor", "recipient"):
        party = entry["transaction"].get(role)
        if isinstance(party, Mapping) and isinstance(party.get("partyName"), str):
            named.append((int(party["orgId"]), str(party["partyName"])))
    return named


# --------------------------------------------------------------------------------------------------------------
# Shape, files
# --------------------------------------------------------------------------------------------------------------

_HEX32 = re.compile(r"0x[0-9a-fA-F]{64}")
_SHA256 = re.compile(r"[0-9a-f]{64}")
_HEADER: Mapping[str, type] = MappingProxyType({
    "format": str, "chainId": int, "billOfLading": str, "registry": str, "bill": str, "documentHash": str,
    "exportedAtBlock": int, "entries": list,
})
_ENTRY: Mapping[str, type] = MappingProxyType({
    "transaction": dict, "blockNumber": int, "logIndex": int, "signedTransaction": str, "signer": str,
    "authorisedBy": str, "checksum": str,
})
_TRANSACTION: Mapping[str, type] = MappingProxyType({
    "actionCode": str, "actor": dict, "actionDateTime": str, "auditReference": str,
})
# What else each object may hold: anything beyond is refused, so no unverified statement rides on a verified chain.
_HEADER_OPTIONAL: Mapping[str, type] = MappingProxyType({"transportDocumentChecksum": str, "head": str})
_NULLABLE = frozenset({"head"})  # null in an export with no entry yet
_ENTRY_OPTIONAL: Mapping[str, type] = MappingProxyType({
    "relayedEndorsement": dict, "transportDocumentChecksum": str, _PREVIOUS: str,
})
_TRANSACTION_OPTIONAL: Mapping[str, type] = MappingProxyType({"recipient": dict, "reasonCode": str, "comments": str})
_PARTY: Mapping[str, type] = MappingProxyType({"orgId": int})
_PARTY_OPTIONAL: Mapping[str, type] = MappingProxyType({"partyName": str, "identifyingCodes": list})
_MAX_INT = 2**53 - 1  # the largest integer canonical JSON (and so a checksum) takes


def _require(
    obj: Mapping[str, Any], fields: Mapping[str, type], path: str, optional: Mapping[str, type] | None = None
) -> None:
    """``obj`` holds every field of ``fields`` and may hold those of ``optional``, each of its type, and nothing
    else; integers are non-negative and within canonical JSON's range."""
    optional = optional or {}
    unknown = sorted(str(key) for key in obj if key not in fields and key not in optional)
    if unknown:
        raise InputError(f"{path}.{unknown[0]}: not a field of an exported transfer chain")
    for key, kind in {**fields, **optional}.items():
        if key not in obj:
            if key in fields:
                raise InputError(f"{path}.{key}: missing")
            continue
        value = obj[key]
        if value is None and key in _NULLABLE:
            continue
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise InputError(f"{path}.{key}: expected {kind.__name__}, got {type(value).__name__}")
        if isinstance(value, int) and not 0 <= value <= _MAX_INT:
            raise InputError(f"{path}.{key}: {value} is out of range")


def _check_shape(exported: Any) -> None:
    """Refuse a malformed export with :class:`InputError` naming the JSON path of the first fault."""
    if not isinstance(exported, Mapping):
        raise InputError(f"$: an exported transfer chain is a JSON object, got {type(exported).__name__}")
    _require(exported, _HEADER, "$", _HEADER_OPTIONAL)
    for key in ("bill", "documentHash"):
        if not _HEX32.fullmatch(exported[key]):
            raise InputError(f"$.{key}: expected 0x and 64 hex digits")
    for index, entry in enumerate(exported["entries"]):
        _check_entry_shape(entry, f"$.entries[{index}]")


def _check_entry_shape(entry: Any, path: str) -> None:
    if not isinstance(entry, Mapping):
        raise InputError(f"{path}: expected object, got {type(entry).__name__}")
    _require(entry, _ENTRY, path, _ENTRY_OPTIONAL)
    _require(entry["transaction"], _TRANSACTION, f"{path}.transaction", _TRANSACTION_OPTIONAL)
    for role in ("actor", "recipient"):
        if role in entry["transaction"]:
            _require(entry["transaction"][role], _PARTY, f"{path}.transaction.{role}", _PARTY_OPTIONAL)
            if entry["transaction"][role]["orgId"] >= 2**32:
                raise InputError(f"{path}.transaction.{role}.orgId: not an organisation id")
    if entry["authorisedBy"] not in _AUTHORISATIONS:
        raise InputError(f"{path}.authorisedBy: expected one of {', '.join(_AUTHORISATIONS)}")
    if ("relayedEndorsement" in entry) != (entry["authorisedBy"] == RELAYED_ENDORSEMENT):
        raise InputError(f"{path}.relayedEndorsement: given exactly when authorisedBy is {RELAYED_ENDORSEMENT}")
    if not _SHA256.fullmatch(entry[_CHECKSUM]):
        raise InputError(f"{path}.checksum: expected 64 lowercase hex digits")
    _raw_bytes(entry["signedTransaction"], f"{path}.signedTransaction")


def write_chain(exported: Mapping[str, Any], path: str | Path) -> None:
    """Write an exported chain as indented JSON, whole or not at all."""
    atomic_write(Path(path), (json.dumps(exported, indent=2, ensure_ascii=False) + "\n").encode())


def read_chain(path: str | Path) -> dict[str, Any]:
    """Read an exported chain (strict JSON), refusing a malformed one with :class:`InputError` naming the path."""
    target = Path(path)
    try:
        text = target.read_bytes()
    except OSError as exc:
        raise InputError(f"{target}: {exc.strerror}") from None
    exported = parse_json_text(text, str(target))
    _check_shape(exported)
    return dict(exported)
