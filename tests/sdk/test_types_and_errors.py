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


def _revert(signature: str, types: list[str], values: list[object]) -> errors.ContractError:
    return decode_revert("0x" + _selector(signature) + encode(types, values).hex())


def test_32_byte_ids_show_as_hex_even_when_printable() -> None:
    ident = b"A" * 32  # every byte printable: once shown as the text AAAA...
    unknown = _revert("UnknownDeclaration(bytes32)", ["bytes32"], [ident])
    assert str(unknown) == f"UnknownDeclaration(id=0x{'41' * 32})"
    assert unknown.id == ident  # type: ignore[attr-defined]
    # short printable codes stay text: a country (bytes2), a UN/LOCODE (bytes5)
    assert str(_revert("NoTreasury(bytes2)", ["bytes2"], [b"NL"])) == "NoTreasury(country=NL)"
    assert str(_revert("InvalidPort(bytes5)", ["bytes5"], [b"NLRTM"])) == "InvalidPort(port=NLRTM)"
    assert unknown.json_arguments() == {"id": "0x" + "41" * 32}


def test_hs_codes_keep_their_leading_zero() -> None:
    rate = _revert("NoTariffRate(bytes2,uint32)", ["bytes2", "uint32"], [b"NL", 10121])  # live horses, 0101.21
    assert isinstance(rate, errors.NoTariffRate)
    assert rate.hs_code == "010121"  # type: ignore[attr-defined]
    assert str(rate) == "NoTariffRate(country=NL, hs_code=010121)"


def test_amounts_show_in_token_units_and_stay_integers() -> None:
    spender = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"
    short = _revert("ERC20InsufficientAllowance(address,uint256,uint256)", ["address", "uint256", "uint256"],
                    [spender, 5_500_000, 184_000_000_000])
    assert str(short) == (f"ERC20InsufficientAllowance(spender={spender}, allowance=5.5 pUSD (5500000 base units), "
                          "needed=184000 pUSD (184000000000 base units))")
    assert (short.allowance, short.needed) == (5_500_000, 184_000_000_000)  # type: ignore[attr-defined]
    assert short.json_arguments()["needed"] == 184_000_000_000
    short.amount_unit = (2, "EURC")  # another settlement token: its decimals and symbol
    assert "allowance=55000 EURC (5500000 base units)" in str(short)
    drawing = _revert("DrawingExceedsAvailable(uint256,uint96,uint96)", ["uint256", "uint96", "uint96"],
                      [3, 1, 0])
    assert str(drawing) == ("DrawingExceedsAvailable(id=3, amount=0.000001 pUSD (1 base units), "
                            "available=0 pUSD (0 base units))")  # the credit id is no amount


def test_bytes32_prints_as_hex_and_is_still_the_bytes() -> None:
    import copy
    import json
    import pickle

    from portchain.cli._common import json_default
    from portchain.types import Bytes32, optional_text_hash, text_hash

    raw = bytes(range(32))
    value = Bytes32(raw)
    text = "0x" + raw.hex()
    assert str(value) == repr(value) == f"{value}" == format(value) == text
    assert f"{value:>70}" == " " * 4 + text and f"[{value!s}]" == f"[{text}]"
    assert value == raw and raw == value and value != raw[:31] and hash(value) == hash(raw)
    assert {raw: 1}[value] == 1 and {value: 2}[raw] == 2 and value in {raw}
    assert isinstance(value, bytes) and type(bytes(value)) is bytes and bytes(value) == raw
    assert value.hex() == raw.hex() and value[:2] == raw[:2] and len(value) == 32
    assert Bytes32(text) == Bytes32(text.upper()[2:]) == value
    assert json.loads(json.dumps({"id": value}, default=json_default)) == {"id": text}
    assert pickle.loads(pickle.dumps(value)) == value and type(copy.deepcopy(value)) is Bytes32
    assert encode(["bytes32"], [value]) == encode(["bytes32"], [raw])
    assert str(to_hash32(text)) == text and str(to_hash32(raw)) == text  # what the SDK's validators return
    assert str(text_hash("Blue Anchor Line A/S")).startswith("0x") and optional_text_hash("") == bytes(32)
    for bad in (raw[:31], "0x12", "0x" + "zz" * 32):
        with pytest.raises(InputError):
            Bytes32(bad)


def test_clients_return_bytes32() -> None:
    """Ids and hashes the clients return print as 0x-hex (their chain paths are covered in tests/cli)."""
    from portchain.clients.bill_of_lading import bill_id, bill_id_for
    from portchain.clients.cargo_release import pickup_code_hash
    from portchain.clients.trade_documents import anchor_id
    from portchain.types import Bytes32, PartyCode

    digest = bytes(31) + b"\x01"
    for value in (bill_id_for(digest, 1), anchor_id(digest, 3), bill_id(digest), PartyCode("SMDG", "BAL").hash(),
                  pickup_code_hash("MSKU9070323", bytes(32))):
        assert isinstance(value, Bytes32) and str(value) == "0x" + value.hex()


def test_not_found_is_a_lookup_error() -> None:
    assert issubclass(errors.NotFoundError, LookupError) and issubclass(errors.NotFoundError, PortchainError)
    assert issubclass(errors.DocumentNotFoundError, errors.NotFoundError)
