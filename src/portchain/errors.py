"""One Python exception class per Solidity custom error of the shipped contracts, and the revert decoder.

>>> from portchain import errors
>>> issubclass(errors.NotASigner, errors.ContractError)
True

Classes are built from the ABIs in ``portchain/artifacts`` on first use, so a new contract error needs no Python
code: ``errors.<SolidityName>`` exists as soon as ``portchain compile`` ships the ABI.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from eth_abi import decode as abi_decode
from eth_utils import function_signature_to_4byte_selector, to_checksum_address

from .artifacts import artifact_names, load_artifact
from .exceptions import ContractError, RevertError
from .types import (
    AmendmentReason,
    ClaimStatus,
    DeclarationKind,
    DeclarationStatus,
    InspectionResult,
    ItemField,
    Lane,
    BillKind,
    BillState,
    CreditParty,
    CreditState,
    CreditTerm,
    Milestone,
    OrgStatus,
    PresentationState,
    Role,
)

__all__ = ["ContractError", "RevertError", "decode_revert", "error_class"]

_ERROR_STRING = "08c379a0"
_PANIC = "4e487b71"
_PANIC_CODES = {
    0x01: "assert failed",
    0x11: "arithmetic overflow or underflow",
    0x12: "division by zero",
    0x21: "invalid enum value",
    0x31: "pop on empty array",
    0x32: "array index out of bounds",
    0x41: "out of memory",
    0x51: "call to an uninitialised function",
}
# Solidity enums reach the ABI as uint8; their internalType names the Python enum to convert to.
_ENUMS: dict[str, type] = {
    "enum IPortRegistry.Role": Role,
    "enum IPortRegistry.Status": OrgStatus,
    "enum IBillOfLading.State": BillState,
    "enum IBillOfLading.Kind": BillKind,
    "enum IBillOfLading.AmendmentReason": AmendmentReason,
    "enum IBillOfLading.Milestone": Milestone,
    "enum ILetterOfCredit.CreditState": CreditState,
    "enum ILetterOfCredit.PresentationState": PresentationState,
    "enum ILetterOfCredit.Party": CreditParty,
    "enum ILetterOfCredit.Term": CreditTerm,
    "enum ICustoms.Kind": DeclarationKind,
    "enum ICustoms.Status": DeclarationStatus,
    "enum ICustoms.Lane": Lane,
    "enum ICustoms.InspectionResult": InspectionResult,
    "enum ICustoms.ItemField": ItemField,
    "enum VatRebates.ClaimStatus": ClaimStatus,
}


def _abi_type(param: dict[str, Any]) -> str:
    if param["type"].startswith("tuple"):
        inner = ",".join(_abi_type(c) for c in param["components"])
        return f"({inner}){param['type'][5:]}"
    return str(param["type"])


def _enum(internal_type: str) -> type | None:
    if internal_type == "enum ITradeDocuments.DocType":
        from .trade_documents import DocType  # documents import this module's neighbours: resolve late

        return DocType
    return _ENUMS.get(internal_type)


def _convert(param: dict[str, Any], value: Any) -> Any:
    """An ABI-decoded value in SDK terms: checksummed addresses and Python enums, through arrays and tuples."""
    kind = str(param["type"])
    if kind.endswith("]"):
        internal = str(param.get("internalType", ""))
        inner = {**param, "type": kind[: kind.rindex("[")], "internalType": internal[: internal.rindex("[")] if "[" in internal else internal}
        return [_convert(inner, v) for v in value]
    if kind == "tuple":
        return tuple(_convert(c, v) for c, v in zip(param["components"], value))
    enum = _enum(str(param.get("internalType", "")))
    if enum is not None:
        return enum(value)
    if param["type"] == "address":
        return to_checksum_address(value)
    return value


@lru_cache(maxsize=None)
def _registry() -> tuple[dict[str, tuple[type[ContractError], list[dict[str, Any]]]], dict[str, type[ContractError]]]:
    by_selector: dict[str, tuple[type[ContractError], list[dict[str, Any]]]] = {}
    by_name: dict[str, type[ContractError]] = {}
    for contract in artifact_names():
        for item in load_artifact(contract)["abi"]:
            if item.get("type") != "error":
                continue
            name = item["name"]
            signature = f"{name}({','.join(_abi_type(p) for p in item['inputs'])})"
            selector = function_signature_to_4byte_selector(signature).hex()
            cls = by_name.get(name)
            if cls is None:
                doc = f"Solidity error ``{signature}`` (decoded from a revert)."
                cls = type(name, (ContractError,), {"error_name": name, "__doc__": doc, "__module__": __name__})
                by_name[name] = cls
            by_selector[selector] = (cls, item["inputs"])
    return by_selector, by_name


def error_class(name: str) -> type[ContractError]:
    """The exception class of Solidity error ``name``."""
    try:
        return _registry()[1][name]
    except KeyError:
        raise AttributeError(f"no contract error named {name!r} in the shipped ABIs") from None


def decode_revert(data: str | bytes | None) -> ContractError:
    """Turn revert data into the matching exception instance (not raised)."""
    if isinstance(data, (bytes, bytearray)):
        hexdata = bytes(data).hex()
    else:
        hexdata = (data or "")[2:] if str(data or "").startswith("0x") else str(data or "")
    selector, payload = hexdata[:8], bytes.fromhex(hexdata[8:]) if len(hexdata) > 8 else b""
    if not hexdata:
        return RevertError("no reason given (empty revert data)", "0x")
    if selector == _ERROR_STRING:
        return RevertError(abi_decode(["string"], payload)[0], "0x" + hexdata)
    if selector == _PANIC:
        code = abi_decode(["uint256"], payload)[0]
        return RevertError(f"panic 0x{code:02x}: {_PANIC_CODES.get(code, 'unknown panic')}", "0x" + hexdata)
    known = _registry()[0].get(selector)
    if known is None:
        return RevertError(f"unknown custom error 0x{selector}", "0x" + hexdata)
    cls, inputs = known
    values = abi_decode([_abi_type(p) for p in inputs], payload) if inputs else ()
    arguments = {p["name"] or f"arg{i}": _convert(p, v) for i, (p, v) in enumerate(zip(inputs, values))}
    return cls("0x" + selector, arguments, "0x" + hexdata)


def __getattr__(name: str) -> type[ContractError]:
    if name.startswith("__"):
        raise AttributeError(name)
    return error_class(name)
