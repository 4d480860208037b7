"""The customs declaration document: the part of the WCO data model the chain needs, its goods items. The
declarant's other fields (references, parties, descriptions) travel with the document and its hash, unread.

>>> goods = {"hsCode": "851712", "customsValue": "1", "origin": "CN"}
>>> CustomsDeclaration.read({"reference": "26NL-1", "items": [goods]})
CustomsDeclaration(items=[DeclaredGoods(hs_code='851712', customs_value='1', origin='CN')], reference='26NL-1')
>>> CustomsDeclaration.read({"items": [{"hsCode": "851712"}]})
Traceback (most recent call last):
...
portchain.errors.InputError: items[0] needs hsCode, customsValue and origin
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..errors import InputError


class DeclaredGoods(BaseModel):
    """One goods item as the document states it: HS code, customs value (CIF, decimal text in the settlement token's
    units) and origin country; :class:`portchain.clients.customs.Item` checks and converts them for the chain."""

    model_config = ConfigDict(extra="allow", frozen=True, populate_by_name=True)

    hs_code: Any = Field(alias="hsCode")
    customs_value: Any = Field(alias="customsValue")
    origin: Any


class CustomsDeclaration(BaseModel):
    """A declaration document: a non-empty list of goods items, and whatever else the declarant states."""

    model_config = ConfigDict(extra="allow", frozen=True)

    items: list[DeclaredGoods] = Field(min_length=1)

    @classmethod
    def read(cls, document: Any) -> CustomsDeclaration:
        """The declaration in a JSON document; :class:`InputError` naming the item that lacks a field."""
        try:
            return cls.model_validate(document)
        except ValidationError as exc:
            loc = exc.errors()[0]["loc"]
            if len(loc) >= 2 and loc[0] == "items":
                raise InputError(f"items[{loc[1]}] needs hsCode, customsValue and origin") from None
            raise InputError('a declaration needs an "items" list') from None
