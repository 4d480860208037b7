"""One client per contract, named for it: ``clients/bill_of_lading.py`` beside ``contracts/documents/BillOfLading.sol``.

A :class:`~portchain.Port` holds one of each (``port.registry``, ``port.bol``, ``port.docs``, ``port.lc``,
``port.token``, ``port.customs``, ``port.gate``, ``port.rebates``); every call goes through the port's one
transaction layer.
"""

from .bill_of_lading import BillOfLadingClient, BillStatus
from .cargo_release import GateClient, PickupAuthorisation
from .customs import CustomsClient, Declaration, Item
from .letter_of_credit import CreditTerms, LetterOfCreditClient
from .port_registry import Organisation, RegistryClient
from .settlement_token import TokenClient
from .trade_documents import TradeDocumentsClient
from .vat_rebates import RebatesClient

__all__ = [
    "BillOfLadingClient",
    "BillStatus",
    "CreditTerms",
    "CustomsClient",
    "Declaration",
    "GateClient",
    "Item",
    "LetterOfCreditClient",
    "Organisation",
    "PickupAuthorisation",
    "RebatesClient",
    "RegistryClient",
    "TokenClient",
    "TradeDocumentsClient",
]
