"""Fixtures of the contract tests."""

from __future__ import annotations

from typing import Any

import pytest

from portchain import Role


@pytest.fixture
def cast(parties: Any) -> Any:
    """Short names for the parties of a trade."""
    return type("Cast", (), {
        "carrier": parties[Role.CARRIER],
        "shipper": parties[Role.SHIPPER],
        "consignee": parties[Role.CONSIGNEE],
        "bank": parties[Role.BANK],
        "forwarder": parties[Role.FORWARDER],
        "insurer": parties[Role.INSURER],
    })
