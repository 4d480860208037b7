"""Every exception portchain raises, rooted at :class:`PortchainError`, in one module.

Solidity custom errors become subclasses of :class:`ContractError`, one per error name, built on first use from
the shipped ABIs (a new contract error needs no Python code); their arguments are attributes in snake_case::

    try:
        port.registry.suspend(org_id, sender=registrar)
    except errors.InvalidStatusTransition as exc:
        exc.org_id, exc.current, exc.requested    # 7, OrgStatus.REVOKED, OrgStatus.SUSPENDED

>>> from portchain import errors
>>> issubclass(errors.NotASigner, errors.ContractError)
True
"""

from __future__ import annotations

from enum import Enum
from typing import Any


class PortchainError(Exception):
    """Root of every error portchain raises."""


class InputError(PortchainError, ValueError):
    """Bad input caught before anything was sent: a malformed address, a wrong-length hash, a bad code."""


class ConfigurationError(PortchainError):
    """The configuration cannot work: unknown network, missing key, missing tool."""


class UnknownNetworkError(ConfigurationError, KeyError):
    """No network of that name is configured."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


class MissingKeyError(ConfigurationError):
    """No private key is configured for an account that must sign."""


class CompilationError(PortchainError):
    """solc refused the sources; ``errors`` holds one ``file:line: message`` line per error."""

    def __init__(self, errors: list[str]) -> None:
        self.errors = list(errors)
        super().__init__("\n".join(self.errors))


class ChainConnectionError(PortchainError, ConnectionError):
    """The RPC endpoint did not answer."""


class NodeError(PortchainError):
    """The local Anvil node could not be found, started or stopped."""


class DeploymentError(PortchainError):
    """A deployment record is unusable or a deployment failed."""


class TransactionError(PortchainError):
    """A transaction could not be sent or did not succeed."""


class ContractError(TransactionError):
    """A contract refused a call; subclasses are generated per Solidity custom error.

    Attributes: ``error_name`` (the Solidity name), ``selector`` (4 bytes, hex), ``arguments`` (name -> value, the
    Solidity parameter names), and each argument again as a snake_case attribute. The message shows 32-byte values
    as ``0x``-hex, HS codes with their leading zeros, and amounts of the settlement token (:data:`AMOUNT_ARGUMENTS`)
    in token units besides their base units, as ``amount_unit`` (decimals, symbol) says; the attributes keep the
    raw integers.
    """

    error_name: str = "ContractError"
    amount_unit: tuple[int, str] = (6, "pUSD")  # the settlement token portchain deploys on local chains

    def __init__(self, selector: str = "", arguments: dict[str, Any] | None = None, data: str = "") -> None:
        self.selector = selector
        self.arguments = dict(arguments or {})
        self.data = data
        for name, value in self.arguments.items():
            setattr(self, snake_case(name), value)
        super().__init__(self._describe())

    def __str__(self) -> str:  # described when shown, so that a later amount_unit applies
        return self._describe()

    def _describe(self) -> str:
        inner = ", ".join(f"{snake_case(k)}={_show(v, k, self.amount_unit)}" for k, v in self.arguments.items())
        return f"{self.error_name}({inner})"

    def json_arguments(self) -> dict[str, Any]:
        """The arguments as JSON values: bytes as ``0x``-hex (short printable ones as text), enums by name."""
        return {name: _json_value(value) for name, value in self.arguments.items()}


class RevertError(ContractError):
    """A revert without a known custom error: a reason string, a panic code or empty data."""

    error_name = "Revert"

    def __init__(self, reason: str, data: str = "") -> None:
        self.reason = reason
        super().__init__("", {}, data)

    def _describe(self) -> str:
        return f"reverted: {self.reason}"


def snake_case(name: str) -> str:
    """``orgCountry`` -> ``org_country``; ``orgId`` -> ``org_id``; ``_x`` -> ``x``."""
    out = []
    for i, ch in enumerate(name.lstrip("_")):
        if ch.isupper() and i and not name.lstrip("_")[i - 1].isupper():
            out.append("_")
        out.append(ch.lower())
    return "".join(out)


AMOUNT_ARGUMENTS = frozenset({
    "amount", "available", "required", "balance", "allowance", "needed", "minimum", "newMaximum", "committed",
    "increase", "due", "paid",
})
"""Names of custom-error arguments that are amounts of the settlement token (in base units)."""


def _show(value: Any, name: str = "", amount_unit: tuple[int, str] | None = None) -> str:
    """An error argument as its message shows it: 32-byte ids and hashes as ``0x``-hex, short printable bytes (a
    country, a UN/LOCODE) as text, enums by name, amounts in token units when ``amount_unit`` is given."""
    if isinstance(value, bytes):
        if len(value) != 32 and value and all(0x20 <= b < 0x7F for b in value):
            return value.decode()
        return "0x" + value.hex()
    if isinstance(value, Enum) and isinstance(value, int):
        return str(value.name)
    if amount_unit is not None and name in AMOUNT_ARGUMENTS and isinstance(value, int) and not isinstance(value, bool):
        decimals, symbol = amount_unit
        return f"{' '.join(filter(None, (token_units(value, decimals), symbol)))} ({value} base units)"
    return str(value)


def token_units(units: int, decimals: int) -> str:
    """An amount in base units as a decimal in token units, without trailing zeros.

    >>> token_units(184_000_000_000, 6), token_units(1_500_000, 6), token_units(5, 6)
    ('184000', '1.5', '0.000005')
    """
    from decimal import Decimal

    text = f"{Decimal(units).scaleb(-decimals):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _json_value(value: Any) -> Any:
    if isinstance(value, bytes):
        return _show(value)
    if isinstance(value, Enum):
        return value.name
    if isinstance(value, (list, tuple)):
        return [_json_value(v) for v in value]
    return value


class NotFoundError(PortchainError, LookupError):
    """What was asked for does not exist: an address that signs for no organisation, a document nobody anchored.
    Like a contract's refusal (``UnknownOrganisation``), the CLI exits 1 on it."""


class DocumentNotFoundError(NotFoundError, KeyError):
    """The document store holds no document with that hash."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


class DocumentIntegrityError(PortchainError):
    """A stored document no longer hashes to its name: the file was altered or corrupted."""


class DocumentContradictionError(PortchainError):
    """A transport document contradicts what the bill would record (its kind, or a party as the registry knows it
    by the codes the document carries); raised by the SDK before anything is sent. Attributes: ``path`` (the
    document field), and per subclass the values that disagree."""

    def __init__(self, path: str, message: str) -> None:
        self.path = path
        super().__init__(f"{path}: {message}")


class BillKindMismatchError(DocumentContradictionError):
    """The kind of bill asked for is not the kind the document is (``document_kind``, ``requested_kind``)."""

    def __init__(self, document_kind: Any, requested_kind: Any, why: str) -> None:
        self.document_kind, self.requested_kind = document_kind, requested_kind
        super().__init__(
            "transportDocument.transportDocumentTypeCode",
            f"{why}: the document is a {_kind_name(document_kind)}, not a {_kind_name(requested_kind)}",
        )


class DocumentPartyMismatchError(DocumentContradictionError):
    """A document party's codes name organisation(s) ``document_orgs`` where ``expected_org`` was to act or be
    named (the drafting carrier, or the party given explicitly); ``role`` is the DCSA party (shipper, consignee,
    endorsee, issuingParty)."""

    def __init__(self, role: str, path: str, document_orgs: tuple[int, ...], expected_org: int, why: str) -> None:
        self.role, self.document_orgs, self.expected_org = role, document_orgs, expected_org
        named = " and ".join(f"organisation {org}" for org in document_orgs)
        message = f"its codes name {named}, {why}" if document_orgs else (
            f"the document names no {role}, but organisation {expected_org} was given")
        super().__init__(path, message)


class UnregisteredDocumentPartyError(DocumentContradictionError):
    """None of a document party's codes (``codes``, as PROVIDER:CODE) is registered to an organisation, so the
    party cannot be bound to the bill; the registrar registers codes with ``registry add-party-codes``."""

    def __init__(self, role: str, path: str, codes: tuple[str, ...]) -> None:
        self.role, self.codes = role, codes
        listed = ", ".join(codes) if codes else "none"
        super().__init__(
            path,
            f"no organisation is registered for its codes ({listed}): the registrar registers an organisation's "
            f"codes with `portchain registry add-party-codes`, or give the {role} organisation explicitly",
        )


def _kind_name(kind: Any) -> str:
    name = getattr(kind, "name", str(kind))
    return str(name).lower().replace("_", "-")


class ScenarioError(InputError):
    """A scenario file is unusable; the message names the file, the step and what is wrong."""


class ScenarioFailedError(PortchainError):
    """A step did not end as the scenario expected."""




ScenarioFailed = ScenarioFailedError  # the name scenario.py exported before the exceptions had one module


def __getattr__(name: str) -> type[ContractError]:
    """``errors.<SolidityName>``: the exception class of that custom error, built from the shipped ABIs."""
    if name.startswith("__"):
        raise AttributeError(name)
    from . import _revert  # the decoder reads the artifacts; this module stays import-free

    if name in _revert.__all__:  # decode_revert, error_class: where they were before the decoder had its module
        return getattr(_revert, name)  # type: ignore[no-any-return]
    return _revert.error_class(name)
