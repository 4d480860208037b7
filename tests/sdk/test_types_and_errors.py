"""Input validation before sending, and revert data decoded into typed exceptions."""

from __future__ import annotations

import pytest
from eth_abi import encode

from portchain import InputError, OrgStatus, PortchainError, RevertError, Role, errors
from portchain._revert import decode_revert
from portchain.errors import snake_case
from portchain.types import (
    roles_from_mask,
    roles_mask,
    to_address,
    to_country,
    to_hash32,
    to_unlocode,
)


@pytest.mark.parametrize(
    "value, message",
    [
        ("0x123", "not a 20-byte hex address"),
        ("hello", "not a 20-byte hex address"),
        ("0x70997970c51812dc3a010c7d01b50e0d17dc79C8", "wrong EIP-55 checksum"),
    ],
)
def test_bad_addresses(value: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        to_address(value)


def test_addresses_are_checksummed() -> None:
    assert to_address("0x70997970c51812dc3a010c7d01b50e0d17dc79c8") == "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"


@pytest.mark.parametrize(
    "value, message", [("0x12", "32 bytes"), ("0xzz", "not hex"), (b"\x00" * 32, "not be zero"), (5, "hex or bytes")]
)
def test_bad_hashes(value: object, message: str) -> None:
    with pytest.raises(InputError, match=message):
        to_hash32(value)  # type: ignore[arg-type]


def test_codes() -> None:
    assert to_country(" nl ") == b"NL"
    assert to_unlocode("nl rtm") == b"NLRTM"
    for bad in ("NLD", "N", "1L"):
        with pytest.raises(InputError, match="ISO 3166"):
            to_country(bad)
    for bad in ("NLRT", "NLRT1", "12RTM"):
        with pytest.raises(InputError, match="UN/LOCODE"):
            to_unlocode(bad)


def test_roles() -> None:
    assert roles_mask(["carrier", "port-operator", Role.BANK]) == 1 | 1 << 6 | 1 << 3
    assert roles_from_mask(0b1001) == [Role.CARRIER, Role.BANK]
    with pytest.raises(InputError, match="unknown role 'captain'"):
        roles_mask(["captain"])
    with pytest.raises(InputError, match="at least one role"):
        roles_mask([])


def test_one_exception_tree() -> None:
    assert issubclass(errors.NotASigner, errors.ContractError)
    assert issubclass(errors.ContractError, PortchainError)
    assert issubclass(InputError, ValueError)
    with pytest.raises(AttributeError, match="no contract error named 'Nope'"):
        errors.Nope  # noqa: B018


def test_decode_custom_error_with_enum() -> None:
    payload = encode(["uint32", "uint8", "uint8"], [7, 3, 2])
    data = "0x" + _selector("InvalidStatusTransition(uint32,uint8,uint8)") + payload.hex()
    exc = decode_revert(data)
    assert isinstance(exc, errors.InvalidStatusTransition)
    assert (exc.org_id, exc.current, exc.requested) == (7, OrgStatus.REVOKED, OrgStatus.SUSPENDED)
    assert str(exc) == "InvalidStatusTransition(org_id=7, current=REVOKED, requested=SUSPENDED)"


def test_decode_string_panic_unknown_and_empty() -> None:
    reason = decode_revert("0x08c379a0" + encode(["string"], ["not allowed"]).hex())
    assert isinstance(reason, RevertError) and reason.reason == "not allowed"
    panic = decode_revert("0x4e487b71" + encode(["uint256"], [0x11]).hex())
    assert panic.reason == "panic 0x11: arithmetic overflow or underflow"  # type: ignore[attr-defined]
    assert decode_revert("0xdeadbeef").reason == "unknown custom error 0xdeadbeef"  # type: ignore[attr-defined]
    assert "empty revert data" in decode_revert("0x").reason  # type: ignore[attr-defined]


def test_snake_case() -> None:
    assert [snake_case(n) for n in ("orgId", "orgCountry", "signer", "_x", "neededRole")] == [
        "org_id", "org_country", "signer", "x", "needed_role",
    ]


def _selector(signature: str) -> str:
    from eth_utils import function_signature_to_4byte_selector

    return function_signature_to_4byte_selector(signature).hex()


@pytest.mark.parametrize("text", ["Infinity", "NaN", "sNaN", "1e999999999", "12,5", ""])
def test_amounts_that_are_not_numbers(text: str) -> None:
    from portchain.clients.settlement_token import to_units

    with pytest.raises(InputError, match="amount must be a decimal number"):
        to_units(text, 6)


def test_eight_digit_dates_are_dates() -> None:
    from portchain.cli._common import parse_date

    assert parse_date("20261120") == parse_date("2026-11-20") == 1_795_176_000
    assert parse_date("1795176000") == 1_795_176_000
