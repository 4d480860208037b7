"""Client of ``CargoRelease``: the terminal gate's one-time pick-up codes (contactless container release)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from eth_account.signers.local import LocalAccount
from eth_utils.crypto import keccak

from ..errors import InputError
from ..transactions import Receipt
from ..types import Bytes32, HexLike, container_number_problem, to_hash32, to_uint
from ._base import ContractClient, declaration_id
from .bill_of_lading import bill_id


def container_bytes(container: str) -> bytes:
    """An ISO 6346 container number (check digit verified: :func:`~portchain.types.container_number_problem`) as
    the 11 bytes the gate stores.

    >>> container_bytes(" msku9070323 ")
    b'MSKU9070323'
    >>> container_bytes("MSKU9070324")
    Traceback (most recent call last):
    ...
    portchain.errors.InputError: 'MSKU9070324' has a wrong ISO 6346 check digit (expected 3)
    """
    text = str(container).strip().upper()
    problem = container_number_problem(text)
    if problem is not None:
        raise InputError(problem)
    return text.encode()


def pickup_code_hash(container: str, code: bytes) -> Bytes32:
    """keccak256(container || code): what the gate stores for a pick-up code."""
    return Bytes32(keccak(container_bytes(container) + code))


@dataclass(frozen=True)
class PickupAuthorisation:
    """A one-time pick-up: send ``code`` (hex) to the haulier; only its hash went on-chain."""

    container: str
    code: str
    code_hash: Bytes32
    receipt: Receipt


class GateClient(ContractClient):
    """Contactless container release: one-time pick-up codes."""

    contract_name = "CargoRelease"

    def authorise(
        self, declaration: HexLike, bill: HexLike, container: str, *, code: bytes | None = None, sender: LocalAccount
    ) -> PickupAuthorisation:
        """Authorise one pick-up of ``container`` (port operator) for the party that surrendered ``bill``; a fresh
        32-byte secret code unless given. A container has one live code per terminal (revoke it to issue another)."""
        secret = code if code is not None else secrets.token_bytes(32)
        if len(secret) != 32:
            raise InputError("a pick-up code is 32 bytes")
        code_hash = pickup_code_hash(container, secret)
        receipt = self._send(
            sender, "authorise", declaration_id(declaration), bill_id(bill), container_bytes(container), code_hash
        )
        return PickupAuthorisation(container.upper(), "0x" + secret.hex(), code_hash, receipt)

    def verify(self, container: str, code: HexLike, *, sender: LocalAccount) -> Receipt:
        """At the gate: check the haulier's code for ``container`` and spend it."""
        return self._send(sender, "verify", container_bytes(container), to_hash32(code, "pick-up code"))

    def revoke(self, code_hash: HexLike, *, sender: LocalAccount) -> Receipt:
        """The terminal withdraws an unused code (lost, or sent to the wrong haulier)."""
        return self._send(sender, "revoke", to_hash32(code_hash, "code hash"))

    def pickup(self, operator: int, code_hash: HexLike) -> dict[str, Any]:
        """Terminal ``operator``'s pick-up with this code hash (each terminal keeps its own)."""
        (container, found_operator, authorised_at, used_at), declaration = self._call(
            "pickupOf", to_uint(operator, 32, "operator organisation"), to_hash32(code_hash, "code hash")
        )
        return {
            "container": bytes(container).decode(), "operator": found_operator, "authorisedAt": authorised_at,
            "usedAt": used_at, "declaration": "0x" + bytes(declaration).hex(),
        }
