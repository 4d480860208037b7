"""Client of the settlement token: any ERC-20 (with EIP-2612 permit where the token has it), and the local faucet.

Amounts on the chain are integers in the token's smallest unit; :func:`to_units` and :func:`from_units` convert
decimal strings without floats:

>>> to_units("1234.56", 6)
1234560000
>>> from_units(1234560000, 6)
'1234.56'
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from eth_account.signers.local import LocalAccount

from ..errors import ContractError, InputError, token_units
from ..transactions import Receipt
from ..types import to_address, to_uint
from ._base import ContractClient


def to_units(amount: str | int | Decimal, decimals: int) -> int:
    """A decimal amount ("1234.56") in the token's smallest unit; refuses more decimals than the token has."""
    try:
        value = Decimal(str(amount).strip())
        if not value.is_finite():
            raise InvalidOperation
        units = value.scaleb(decimals)
        whole = units == units.to_integral_value()
    except (InvalidOperation, ArithmeticError):
        raise InputError(f"amount must be a decimal number such as 1234.56, got {amount!r}") from None
    if not whole or units < 0:
        raise InputError(f"amount {amount} is negative or has more than {decimals} decimals")
    return int(units)


def from_units(units: int, decimals: int) -> str:
    """The decimal string of an amount in the token's smallest unit."""
    return token_units(units, decimals)


@dataclass(frozen=True)
class SignedPermit:
    """An EIP-2612 permit: ``owner`` lets ``spender`` move ``value`` until ``deadline``."""

    owner: str
    spender: str
    value: int
    deadline: int
    v: int
    r: bytes
    s: bytes


_PERMIT_FIELDS = [
    ("owner", "address"), ("spender", "address"), ("value", "uint256"), ("nonce", "uint256"), ("deadline", "uint256"),
]


class TokenClient(ContractClient):
    """An ERC-20 token (the ABI of portchain's SettlementToken covers ERC-20, permit and the faucet)."""

    contract_name = "SettlementToken"
    _decimals: int | None = None
    _domain: tuple[str, str] | None = None

    def balance_of(self, account: str) -> int:
        return int(self._call("balanceOf", to_address(account)))

    def allowance(self, owner: str, spender: str) -> int:
        return int(self._call("allowance", to_address(owner), to_address(spender)))

    @property
    def decimals(self) -> int:
        """The token's decimals (asked once per client)."""
        if self._decimals is None:
            self._decimals = int(self._call("decimals"))
        return self._decimals

    @property
    def symbol(self) -> str:
        return str(self._call("symbol"))

    def approve(self, spender: str, value: int, *, sender: LocalAccount) -> Receipt:
        return self._send(sender, "approve", to_address(spender), to_uint(value, 256, "allowance"))

    def transfer(self, to: str, value: int, *, sender: LocalAccount) -> Receipt:
        return self._send(sender, "transfer", to_address(to), to_uint(value, 256, "amount"))

    def mint(self, to: str, value: int, *, sender: LocalAccount) -> Receipt:
        """Faucet (local chains): mint ``value`` units to ``to``."""
        return self._send(sender, "mint", to_address(to), to_uint(value, 256, "amount"))

    def _permit_domain(self) -> tuple[str, str]:
        """The token's EIP-712 name and version: from ERC-5267 ``eip712Domain()`` where the token has it (USDC's
        version is "2"), else its ``name()`` and "1"."""
        if self._domain is None:
            try:
                _fields, name, version, *_rest = self._call("eip712Domain")
                self._domain = (str(name), str(version))
            except ContractError:
                self._domain = (str(self._call("name")), "1")
        return self._domain

    def sign_permit(self, owner: LocalAccount, spender: str, value: int, deadline: int) -> SignedPermit:
        """Sign an EIP-2612 permit off-chain (no transaction)."""
        spender = to_address(spender)
        nonce = int(self._call("nonces", owner.address))
        name, version = self._permit_domain()
        message = {"owner": owner.address, "spender": spender, "value": value, "nonce": nonce, "deadline": deadline}
        signed = self._sign_typed(owner, name, "Permit", _PERMIT_FIELDS, message, version)
        r, s = signed.r.to_bytes(32, "big"), signed.s.to_bytes(32, "big")
        return SignedPermit(owner.address, spender, value, deadline, signed.v, r, s)
