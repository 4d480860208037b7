"""The revert decoder: revert data -> an instance of the matching :mod:`portchain.errors` class.

One exception class per Solidity custom error of the shipped contracts, built from the ABIs in
``portchain/artifacts`` on first use.
"""

from __future__ import annotations

from functools import cache
from typing import cast

from eth_abi.abi import decode as abi_decode
from eth_typing import ABIError
from eth_utils.abi import abi_to_signature, function_signature_to_4byte_selector

from ._abi import Param, decode_values
from ._artifacts import artifact_names, load_artifact
from .errors import ContractError, RevertError

__all__ = ["decode_revert", "error_class"]

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


@cache
def _registry() -> tuple[dict[str, tuple[type[ContractError], list[Param]]], dict[str, type[ContractError]]]:
    """(selector hex -> (exception class, inputs), Solidity name -> exception class) of every shipped error."""
    by_selector: dict[str, tuple[type[ContractError], list[Param]]] = {}
    by_name: dict[str, type[ContractError]] = {}
    for contract in artifact_names():
        for item in load_artifact(contract)["abi"]:
            if item.get("type") != "error":
                continue
            name = item["name"]
            signature = abi_to_signature(cast(ABIError, item))
            selector = function_signature_to_4byte_selector(signature).hex()
            cls = by_name.get(name)
            if cls is None:
                doc = f"Solidity error ``{signature}`` (decoded from a revert)."
                attributes = {"error_name": name, "__doc__": doc, "__module__": "portchain.errors"}
                cls = type(name, (ContractError,), attributes)
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
    values = decode_values(inputs, payload)
    arguments = {p["name"] or f"arg{i}": _readable(p, v) for i, (p, v) in enumerate(zip(inputs, values, strict=True))}
    return cls("0x" + selector, arguments, "0x" + hexdata)


HS_SUBHEADING_DIGITS = 6  # the contracts keep an item's HS code as its 6-digit subheading (a uint32)


def _readable(param: Param, value: object) -> object:
    """A decoded argument as the SDK names it: an HS code (``hsCode``, a uint) as its digits with their leading
    zeros (``10121`` -> ``"010121"``, the subheading of live horses), since chapters 01 to 09 start with a zero.

    >>> _readable({"name": "hsCode", "type": "uint32"}, 10121), _readable({"name": "count", "type": "uint256"}, 7)
    ('010121', 7)
    """
    if param.get("name") in ("hsCode", "hs_code") and str(param.get("type", "")).startswith("uint"):
        return f"{value:0{HS_SUBHEADING_DIGITS}d}"
    return value
