"""portchain: a blockchain-based digital port. The whole public API is on this screen; modules and names that
start with ``_`` are internal.

>>> import portchain
>>> portchain.Role.parse("carrier"), portchain.BillKind.parse("to-order")
(<Role.CARRIER: 0>, <BillKind.TO_ORDER: 0>)

Connect: ``portchain.connect(network) -> Port`` with one client per contract (``port.registry``, ``.bol``, ``.docs``,
``.lc``, ``.token``, ``.customs``, ``.gate``, ``.rebates``), its ``deployer``, ``deploy()``, ``fund()``,
``snapshot()``/``revert()``. Clients live in :mod:`portchain.clients`, one module per contract. Off-chain documents
(transport document, invoice, packing list, certificates; canonical hashing; the local store) are in
:mod:`portchain.documents`. Errors: :mod:`portchain.errors`, rooted at :class:`PortchainError`; every Solidity
custom error is ``portchain.errors.<Name>``. Scenarios: :mod:`portchain.scenario`; actions: :mod:`portchain.actions`.
"""

from . import errors
from .clients import (
    BillOfLadingClient,
    BillStatus,
    CreditTerms,
    CustomsClient,
    Declaration,
    GateClient,
    Item,
    LetterOfCreditClient,
    Organisation,
    PickupAuthorisation,
    RebatesClient,
    RegistryClient,
    TokenClient,
    TradeDocumentsClient,
)
from .compiler import compile_project
from .errors import (
    ChainConnectionError,
    CompilationError,
    ConfigurationError,
    ContractError,
    DeploymentError,
    InputError,
    MissingKeyError,
    NodeError,
    PortchainError,
    RevertError,
    TransactionError,
    UnknownNetworkError,
)
from .node import AnvilNode
from .port import Port, connect
from .transactions import Receipt
from .types import (
    AmendmentChange,
    AmendmentReason,
    BillKind,
    BillState,
    CreditState,
    DeclarationKind,
    DeclarationStatus,
    Discrepancy,
    DocType,
    Lane,
    Milestone,
    OrgStatus,
    PresentationState,
    Role,
)

__version__ = "0.1.0"

__all__ = [
    # connect
    "connect", "Port", "AnvilNode", "compile_project", "Receipt",
    # clients, one per contract, and the values they take and return
    "RegistryClient", "Organisation", "BillOfLadingClient", "BillStatus", "TradeDocumentsClient",
    "LetterOfCreditClient", "CreditTerms", "TokenClient", "CustomsClient", "Declaration", "Item", "GateClient",
    "PickupAuthorisation", "RebatesClient",
    # domain types
    "Role", "OrgStatus", "BillKind", "BillState", "AmendmentReason", "Milestone", "DocType", "CreditState",
    "PresentationState", "Discrepancy", "AmendmentChange", "DeclarationKind", "DeclarationStatus", "Lane",
    # errors
    "errors", "PortchainError", "InputError", "ConfigurationError", "UnknownNetworkError", "MissingKeyError",
    "CompilationError", "ChainConnectionError", "NodeError", "DeploymentError", "TransactionError", "ContractError",
    "RevertError",
    "__version__",
]  # fmt: skip
