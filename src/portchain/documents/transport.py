"""The transport document (bill of lading or sea waybill): DCSA eBL 3.0 ``TransportDocument`` JSON exactly as DCSA
publishes it, validated and immutable.

The JSON is the document: :meth:`TransportDocument.to_json` gives back what was read, key for key, and the on-chain
id is the keccak256 of its canonical form (RFC 8785). Validation is DCSA's schema (a field DCSA does not define is
refused) and the rules DCSA states in prose (:mod:`.dcsa_ebl`); each problem names its field path. What DCSA
recommends but does not require is in :attr:`~TransportDocument.warnings` (``strict=True`` refuses those too).

>>> from .samples import sample_transport_document
>>> doc = sample_transport_document()
>>> doc.reference, doc.port_of_loading, doc.port_of_discharge, doc.bill_kind.name, len(doc.hash())
('MAEU245601234', 'CNSZX', 'NLRTM', 'TO_ORDER', 32)
>>> [str(code) for code in doc.party_codes("issuingParty")]
['SMDG:BAL', 'GLEIF:9845PCCARRIER0000041']
>>> doc.with_changes({"isToOrder": False})
Traceback (most recent call last):
...
portchain.errors.InputError: transportDocument.documentParties.consignee: required when isToOrder is false
"""

from __future__ import annotations

import copy
import json
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, NoReturn

from .._files import atomic_write
from ..errors import InputError
from ..types import BillKind, PartyCode
from ._fields import kind
from .canonical import canonical_digest, canonical_json, parse_json_text
from .dcsa_ebl import PARTY_ROLES, ROOT, bill_kind_of, check

__all__ = ["PARTY_ROLES", "TransportDocument"]

_MAX_LISTED = 10  # problems listed in one error message
_CHANGE_PATH = re.compile(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*|\[\d+\])*")
_CHANGE_PART = re.compile(r"([A-Za-z_]\w*)|\[(\d+)\]")
_NOTIFY = re.compile(r"notifyParties(?:\[(\d)\])?")


def _message(problems: tuple[str, ...]) -> str:
    listed = "; ".join(problems[:_MAX_LISTED])
    more = len(problems) - _MAX_LISTED
    return f"{listed}; and {more} more" if more > 0 else listed


def _json_object(data: Any, root: str) -> dict[str, Any]:
    """A private deep copy of ``data`` (a dict, or JSON text) as a JSON object."""
    if isinstance(data, TransportDocument):
        return data.to_json()
    if isinstance(data, (str, bytes, bytearray, memoryview)):
        data = parse_json_text(data, root)
    elif isinstance(data, Mapping):
        data = copy.deepcopy(dict(data))
    if not isinstance(data, dict):
        raise InputError(f"{root}: expected a JSON object, got {kind(data)}")
    return data


def _optional_text(value: Any) -> str | None:
    return None if value is None else str(value)


def _canonical(data: dict[str, Any], root: str) -> bytes:
    """The canonical JSON of ``data``; what JSON cannot hold (NaN, non-string keys ...) is refused by its path."""
    try:
        return canonical_json(data)
    except InputError as exc:
        text = str(exc)
        raise InputError(root + text[1:] if text.startswith("$") else f"{root}: {text}") from None


class TransportDocument:
    """A DCSA eBL 3.0 transport document: a bill of lading (``BOL``) or sea waybill (``SWB``), as DCSA's
    ``TransportDocument`` JSON.

    Read with :meth:`from_json` (a dict or JSON text) or :meth:`load` (a file); either validates against DCSA's
    schema and prose rules and raises :class:`~portchain.errors.InputError` listing each problem as ``path:
    problem``. Immutable: :meth:`to_json` returns a fresh copy of the JSON read, and :meth:`with_changes` makes a
    changed (re-validated) copy. Equal documents have the same canonical JSON, so the same :meth:`hash`.
    """

    __slots__ = ("_canonical", "_data", "_warnings")
    _data: dict[str, Any]
    _canonical: bytes
    _warnings: tuple[str, ...]

    def __init__(self, data: Any, path: str = "", *, strict: bool = False) -> None:
        root = path or ROOT
        document = _json_object(data, root)
        canonical = _canonical(document, root)
        checked = check(document, root)
        if checked.problems:
            raise InputError(_message(checked.problems))
        if strict and checked.warnings:
            raise InputError(_message(checked.warnings))
        object.__setattr__(self, "_data", document)
        object.__setattr__(self, "_canonical", canonical)
        object.__setattr__(self, "_warnings", checked.warnings)

    # -- reading and writing ---------------------------------------------------------------------------------------

    @classmethod
    def from_json(cls, data: Any, path: str = "", *, strict: bool = False) -> TransportDocument:
        """Read a DCSA transport document: a dict, or JSON text as ``str``/``bytes`` (parsed strictly: no duplicate
        keys, no NaN). Errors start with ``path`` (default ``transportDocument``); ``strict`` refuses
        :attr:`warnings` too."""
        return cls(data, path, strict=strict)

    @classmethod
    def load(cls, path: str | os.PathLike[str], *, strict: bool = False) -> TransportDocument:
        """Read a JSON file; errors name the file (``bl.json: transportDocument.isToOrder: ...``)."""
        return cls(Path(path).read_bytes(), f"{Path(path).name}: {ROOT}", strict=strict)

    def dump(self, path: str | os.PathLike[str]) -> Path:
        """Write indented JSON (UTF-8) to ``path``; the hash does not depend on the layout."""
        text = json.dumps(self._data, indent=2, ensure_ascii=False) + "\n"
        target = Path(path)
        atomic_write(target, text.encode("utf-8"))
        return target

    def to_json(self) -> dict[str, Any]:
        """The document's JSON, as read (a fresh deep copy)."""
        return copy.deepcopy(self._data)

    def canonical(self) -> bytes:
        """The canonical JSON (RFC 8785) whose hash goes on chain."""
        return self._canonical

    def hash(self, algorithm: str = "keccak256") -> bytes:
        """The 32-byte document hash: keccak256 (what the chain stores) or sha256 of :meth:`canonical`; the same as
        :func:`~portchain.documents.document_hash` of the JSON."""
        return canonical_digest(self._canonical, algorithm)

    def with_changes(self, changes: Mapping[str, Any], *, strict: bool = False) -> TransportDocument:
        """A copy with fields set, validated again. Keys are field paths: a top-level key, or a dotted path with
        array indexes (``"documentParties.consignee"``, ``"consignmentItems[0].HSCodes"``); a value of None
        removes the field (or array item). Missing objects on the way are created."""
        data = self.to_json()
        for path, value in changes.items():
            _change(data, path, value)
        return TransportDocument(data, strict=strict)

    @property
    def warnings(self) -> tuple[str, ...]:
        """What DCSA recommends that this document does not do (``path: advice``), e.g. a container number in ISO
        6346 shape with a wrong check digit; empty for a clean document."""
        return self._warnings

    # -- what the SDK reads ----------------------------------------------------------------------------------------

    @property
    def reference(self) -> str:
        """``transportDocumentReference``: the carrier's number of the document."""
        return str(self._data["transportDocumentReference"])

    @property
    def type_code(self) -> str:
        """``transportDocumentTypeCode``: ``BOL`` (bill of lading) or ``SWB`` (sea waybill)."""
        return str(self._data["transportDocumentTypeCode"])

    @property
    def is_to_order(self) -> bool:
        """``isToOrder``: a negotiable bill, made out to order."""
        return bool(self._data["isToOrder"])

    @property
    def is_electronic(self) -> bool:
        """``isElectronic``."""
        return bool(self._data["isElectronic"])

    @property
    def bill_kind(self) -> BillKind:
        """The on-chain bill kind: to-order bill, straight bill, or sea waybill."""
        return bill_kind_of(self._data)

    @property
    def status(self) -> str:
        """``transportDocumentStatus``, e.g. ``DRAFT`` or ``ISSUED``."""
        return str(self._data["transportDocumentStatus"])

    @property
    def carrier_code(self) -> str:
        """``carrierCode``: the issuing carrier's SMDG liner code or NMFTA SCAC."""
        return str(self._data["carrierCode"])

    @property
    def carrier_code_list_provider(self) -> str:
        """``carrierCodeListProvider``: ``SMDG`` or ``NMFTA``."""
        return str(self._data["carrierCodeListProvider"])

    @property
    def issue_date(self) -> str | None:
        """``issueDate`` (``YYYY-MM-DD``), if given."""
        return _optional_text(self._data.get("issueDate"))

    @property
    def shipped_on_board_date(self) -> str | None:
        """``shippedOnBoardDate`` (``YYYY-MM-DD``), if given."""
        return _optional_text(self._data.get("shippedOnBoardDate"))

    @property
    def port_of_loading(self) -> str | None:
        """The UN/LOCODE of ``transports.portOfLoading``, if it gives one."""
        return _optional_text(self._data["transports"]["portOfLoading"].get("UNLocationCode"))

    @property
    def port_of_discharge(self) -> str | None:
        """The UN/LOCODE of ``transports.portOfDischarge``, if it gives one."""
        return _optional_text(self._data["transports"]["portOfDischarge"].get("UNLocationCode"))

    @property
    def equipment_references(self) -> tuple[str, ...]:
        """The containers (``utilizedTransportEquipments[].equipment.equipmentReference``), in document order."""
        return tuple(e["equipment"]["equipmentReference"] for e in self._data["utilizedTransportEquipments"])

    def party(self, role: str) -> dict[str, Any] | None:
        """The party in ``documentParties`` of ``role`` (a copy of its JSON object), or None when the document names
        none: one of :data:`PARTY_ROLES` (``shipper``, ``consignee``, ``endorsee``, ``issuingParty`` ...), or
        ``notifyParties`` for the first notify party (``notifyParties[1]``, ``notifyParties[2]`` for the others)."""
        parties = self._data["documentParties"]
        notify = _NOTIFY.fullmatch(role)
        if notify:
            index = int(notify.group(1) or 0)
            listed = parties.get("notifyParties", [])
            return copy.deepcopy(listed[index]) if index < len(listed) else None
        if role not in PARTY_ROLES:
            raise InputError(f"unknown party role {role!r}; use one of {', '.join(PARTY_ROLES)} or notifyParties[i]")
        found = parties.get(role)
        return copy.deepcopy(found) if found is not None else None

    def party_codes(self, role: str) -> tuple[PartyCode, ...]:
        """The codes that identify the party of ``role`` (see :meth:`party`), in document order and once each: its
        ``identifyingCodes`` as ``PartyCode(codeListProvider, partyCode)`` and its ``taxLegalReferences`` as
        ``PartyCode("<countryCode>-<type>", value)``; for ``issuingParty`` the carrier's own code
        (``carrierCodeListProvider``, ``carrierCode``) first. Blank codes are left out; no party, no codes."""
        party = self.party(role) or {}
        pairs: list[tuple[str, str]] = []
        if role == "issuingParty":
            pairs.append((self.carrier_code_list_provider, self.carrier_code))
        pairs += [(code["codeListProvider"], code["partyCode"]) for code in party.get("identifyingCodes", [])]
        pairs += [(f"{ref['countryCode']}-{ref['type']}", ref["value"]) for ref in party.get("taxLegalReferences", [])]
        usable = (PartyCode(provider, code) for provider, code in pairs if provider.strip() and code.strip())
        return tuple(dict.fromkeys(usable))

    # -- value semantics -------------------------------------------------------------------------------------------

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, TransportDocument):
            return NotImplemented
        return self._canonical == other._canonical

    def __hash__(self) -> int:
        return hash(self._canonical)

    def __repr__(self) -> str:
        order = "to order" if self.is_to_order else "not to order"
        return f"<TransportDocument {self.reference}: {self.type_code}, {order}, {self.status}>"

    def __setattr__(self, name: str, value: Any) -> NoReturn:
        raise AttributeError(f"TransportDocument is immutable; use with_changes() (setting {name!r})")

    def __delattr__(self, name: str) -> NoReturn:
        raise AttributeError(f"TransportDocument is immutable; use with_changes() (deleting {name!r})")

    def __copy__(self) -> TransportDocument:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> TransportDocument:
        return self

    def __reduce__(self) -> tuple[type[TransportDocument], tuple[dict[str, Any]]]:
        return (TransportDocument, (self.to_json(),))


# --------------------------------------------------------------------------------------------------------------
# with_changes: setting a field by its path
# --------------------------------------------------------------------------------------------------------------


def _change(data: dict[str, Any], path: Any, value: Any) -> None:
    """Set (or, for None, remove) the field at ``path`` in ``data``."""
    if not isinstance(path, str) or not _CHANGE_PATH.fullmatch(path):
        raise InputError(
            f"change {path!r}: not a field path such as 'isToOrder', 'documentParties.consignee' or "
            "'consignmentItems[0].HSCodes'"
        )
    parts: list[str | int] = [key or int(index) for key, index in _CHANGE_PART.findall(path)]
    node: Any = data
    for depth, part in enumerate(parts[:-1]):
        node = _step(node, part, isinstance(parts[depth + 1], str), path)
    _put(node, parts[-1], value, path)


def _step(node: Any, part: str | int, into_object: bool, path: str) -> Any:
    """The value at ``part`` of ``node``; a missing object member on the way is created when an object goes there."""
    if isinstance(part, str) and isinstance(node, dict):
        if part not in node and into_object:
            node[part] = {}
        if part in node:
            return node[part]
    elif isinstance(part, int) and isinstance(node, list) and part < len(node):
        return node[part]
    raise InputError(f"change {path!r}: the document has no {part!r} there")


def _put(node: Any, part: str | int, value: Any, path: str) -> None:
    if isinstance(part, str) and isinstance(node, dict):
        if value is None:
            node.pop(part, None)
        else:
            node[part] = copy.deepcopy(value)
    elif isinstance(part, int) and isinstance(node, list) and part <= len(node):
        if value is None:
            del node[part : part + 1]
        elif part == len(node):
            node.append(copy.deepcopy(value))
        else:
            node[part] = copy.deepcopy(value)
    else:
        raise InputError(f"change {path!r}: the document has no {part!r} there")
