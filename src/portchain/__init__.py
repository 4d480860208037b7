"""portchain: a blockchain-based digital port.

Public API (everything else is internal)::

    portchain.connect(network)      -> Port: .registry, .bol, .deploy(), .deployer, .fund(), .snapshot(), .revert()
    portchain.Role, OrgStatus       participant roles and organisation statuses
    portchain.BillKind, BillState   bill of lading types and states (AmendmentReason, Milestone)
    portchain.errors                one exception class per Solidity custom error (errors.NotASigner ...)
    portchain.PortchainError        root of every exception; InputError, ConfigurationError, ContractError ...
    portchain.AnvilNode             start/stop a local Anvil
    portchain.compile_project       compile contracts/ (cached)
"""

from . import errors
from .clients.bill_of_lading import BillOfLadingClient, BillStatus
from .clients.port_registry import Organisation, RegistryClient
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
from .types import AmendmentReason, BillKind, BillState, Milestone, OrgStatus, Role

__version__ = "0.1.0"

__all__ = [
    "AmendmentReason",
    "AnvilNode",
    "BillKind",
    "BillOfLadingClient",
    "BillState",
    "BillStatus",
    "ChainConnectionError",
    "CompilationError",
    "ConfigurationError",
    "ContractError",
    "DeploymentError",
    "InputError",
    "Milestone",
    "MissingKeyError",
    "NodeError",
    "OrgStatus",
    "Organisation",
    "Port",
    "PortchainError",
    "Receipt",
    "RegistryClient",
    "RevertError",
    "Role",
    "TransactionError",
    "UnknownNetworkError",
    "compile_project",
    "connect",
    "errors",
    "__version__",
]
