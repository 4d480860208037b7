"""The compiled contracts shipped inside the package (written by ``portchain compile``)."""

from __future__ import annotations

from functools import cache
from typing import Any

from .compiler import ARTIFACTS_DIR, SOLC_INPUT_FILE, json_object
from .errors import ConfigurationError


@cache
def load_artifact(name: str) -> dict[str, Any]:
    """ABI, bytecode, deployed bytecode and metadata of contract ``name``."""
    path = ARTIFACTS_DIR / f"{name}.json"
    if not path.is_file():
        raise ConfigurationError(f"no compiled artifact for {name}: run `portchain compile`")
    return json_object(path.read_text())


@cache
def artifact_names() -> tuple[str, ...]:
    """Names of every shipped contract artifact."""
    return tuple(sorted(p.stem for p in ARTIFACTS_DIR.glob("*.json") if p.name != SOLC_INPUT_FILE))


def load_solc_input() -> dict[str, Any]:
    """The standard-JSON input the shipped artifacts were compiled from."""
    return json_object((ARTIFACTS_DIR / SOLC_INPUT_FILE).read_text())


def clear_cache() -> None:
    """Forget loaded artifacts (after ``portchain compile`` rewrote them)."""
    load_artifact.cache_clear()
    artifact_names.cache_clear()
