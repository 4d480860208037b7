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
from ._abi import DecodedEvent
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
from .clients.bill_of_lading import DraftedFrom, DraftTerms, HistoryEntry, SignedEndorsement
from .clients.letter_of_credit import Credit, Presentation
from .clients.port_registry import Onboarded
from .clients.settlement_token import SignedPermit
from .clients.trade_documents import Anchor
from .compiler import compile_project
from .errors import (
    BillKindMismatchError,
    ChainConnectionError,
    CompilationError,
    ConfigurationError,
    ContractError,
    DeploymentError,
    DocumentContradictionError,
    DocumentIntegrityError,
    DocumentNotFoundError,
    DocumentPartyMismatchError,
    InputError,
    MissingKeyError,
    NodeError,
    PortchainError,
    RevertError,
    ScenarioError,
    ScenarioFailedError,
    TransactionError,
    UnknownNetworkError,
    UnregisteredDocumentPartyError,
)
from .node import AnvilNode
from .port import Port, connect
from .title_chain import ChainVerification, export_chain, verify_chain
from .transactions import Receipt
from .types import (
    AmendmentChange,
    AmendmentReason,
    BillKind,
    BillState,
    ClaimStatus,
    CreditParty,
    CreditState,
    CreditTerm,
    DeclarationKind,
    DeclarationStatus,
    Discrepancy,
    DocType,
    InspectionResult,
    ItemField,
    Lane,
    Milestone,
    OrgStatus,
    PartyCode,
    PresentationState,
    Role,
)

__version__ = "0.1.0"

__all__ = [
    # connect
    "connect", "Port", "AnvilNode", "compile_project", "Receipt", "DecodedEvent",
    # clients, one per contract, and the values they take and return
    "RegistryClient", "Organisation", "Onboarded", "BillOfLadingClient", "BillStatus", "DraftedFrom", "DraftTerms",
    "HistoryEntry",
    "SignedEndorsement", "TradeDocumentsClient", "Anchor", "LetterOfCreditClient", "CreditTerms", "Credit",
    "Presentation", "TokenClient", "SignedPermit", "CustomsClient", "Declaration", "Item", "GateClient",
    "PickupAuthorisation", "RebatesClient",
    # a bill's title history as a PINT-style transfer chain
    "export_chain", "verify_chain", "ChainVerification",
    # domain types
    "Role", "OrgStatus", "BillKind", "BillState", "AmendmentReason", "Milestone", "DocType", "CreditState",
    "PresentationState", "Discrepancy", "AmendmentChange", "CreditParty", "CreditTerm", "DeclarationKind",
    "DeclarationStatus", "Lane", "InspectionResult", "ItemField", "ClaimStatus", "PartyCode",
    # errors
    "errors", "PortchainError", "InputError", "ConfigurationError", "UnknownNetworkError", "MissingKeyError",
    "CompilationError", "ChainConnectionError", "NodeError", "DeploymentError", "TransactionError", "ContractError",
    "RevertError", "DocumentNotFoundError", "DocumentIntegrityError", "ScenarioError", "ScenarioFailedError",
    "DocumentContradictionError", "BillKindMismatchError", "DocumentPartyMismatchError",
    "UnregisteredDocumentPartyError",
    "__version__",
]  # fmt: skip
