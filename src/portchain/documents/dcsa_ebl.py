"""The DCSA eBL 3.0 transport document as DCSA publishes it: its schema and examples, read from DCSA's own OpenAPI
specification file (``standards/dcsa-ebl-3.0.4/``, Apache-2.0, unchanged), and validation against that schema.

Validation is JSON Schema (the ``jsonschema`` package) over the specification's ``TransportDocument`` component,
with one addition that the specification states in prose but not in its schemas: a field DCSA does not define is
refused (objects are closed). Each problem names its field path.

>>> examples = published_examples()
>>> sorted(examples)
['dgExample', 'reeferExample', 'regularSTDExample']
>>> schema_problems(examples["regularSTDExample"])
[]
>>> schema_problems({**examples["regularSTDExample"], "isToOrder": "yes"})
["transportDocument.isToOrder: 'yes' is not of type 'boolean'"]
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml
from jsonschema import Draft4Validator
from referencing import Registry
from referencing.jsonschema import DRAFT4

from ..errors import InputError
from ..types import BillKind

SPEC_VERSION = "3.0.4"
SPEC_FOLDER = f"standards/dcsa-ebl-{SPEC_VERSION}"
SPEC_FILE = f"EBL_v{SPEC_VERSION}.yaml"
_ROOT = f"urn:dcsa:ebl:{SPEC_VERSION}"
_COMBINATORS = ("oneOf", "anyOf", "allOf")
_EXAMPLES_PATH = ("paths", "/v3/transport-documents/{transportDocumentReference}", "get", "responses", "200",
                  "content", "application/json", "examples")


@cache
def specification() -> dict[str, Any]:
    """DCSA's eBL OpenAPI specification, parsed (the file shipped with the package)."""
    text = resources.files("portchain.documents").joinpath(SPEC_FOLDER).joinpath(SPEC_FILE).read_text(encoding="utf-8")
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    spec: dict[str, Any] = yaml.load(text, Loader=loader)  # a safe loader: the C one where PyYAML has it
    if str(spec["info"]["version"]) != SPEC_VERSION:
        raise InputError(f"{SPEC_FILE} is version {spec['info']['version']}, expected {SPEC_VERSION}")
    return spec


def published_examples() -> dict[str, dict[str, Any]]:
    """DCSA's published transport documents (the examples of ``GET /v3/transport-documents/{reference}``), by
    their names in the specification."""
    node: Any = specification()
    for key in _EXAMPLES_PATH:
        node = node[key]
    return {name: example["value"] for name, example in node.items()}


def _closed(schema: Any, *, in_branch: bool = False) -> Any:
    """``schema`` with every object closed to the properties it (or one of its alternatives) declares."""
    if not isinstance(schema, dict):
        return schema
    out: dict[str, Any] = {}
    for key, value in schema.items():
        if key in _COMBINATORS:
            out[key] = [_closed(branch, in_branch=True) for branch in value]
        elif key == "properties":
            out[key] = {name: _closed(sub) for name, sub in value.items()}
        elif key == "items":
            out[key] = _closed(value)
        else:
            out[key] = value
    # an alternative's properties belong to the object that offers it, so only that object is closed, over all
    if "properties" in schema and not in_branch and "additionalProperties" not in schema:
        branches = [branch for key in _COMBINATORS for branch in schema.get(key, [])]
        offered = {name for branch in branches for name in branch.get("properties", {})}
        out["properties"] = {**{name: {} for name in offered}, **out["properties"]}
        out["additionalProperties"] = False
    return out


@cache
def _validator() -> Draft4Validator:
    components = {name: _closed(schema) for name, schema in specification()["components"]["schemas"].items()}
    registry: Registry[Any] = Registry().with_resource(
        _ROOT, DRAFT4.create_resource({"components": {"schemas": components}})
    )
    return Draft4Validator({"$ref": f"{_ROOT}#/components/schemas/TransportDocument"}, registry=registry)


def _path(parts: Any) -> str:
    out = "transportDocument"
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


def schema_problems(document: Any) -> list[str]:
    """Every way ``document`` departs from DCSA's ``TransportDocument`` schema, as ``path: problem`` lines in
    document order (empty when it conforms)."""
    errors = sorted(_validator().iter_errors(document), key=lambda error: [str(p) for p in error.absolute_path])
    return [f"{_path(error.absolute_path)}: {error.message}" for error in errors]


def validate_transport_document(document: Any) -> dict[str, Any]:
    """``document`` if it conforms to DCSA's schema; else :class:`InputError` listing each problem by field path."""
    problems = schema_problems(document)
    if problems:
        raise InputError("; ".join(problems))
    return dict(document)


def bill_kind_of(document: Any) -> BillKind:
    """The kind of bill a DCSA transport document makes: a bill of lading (``BOL``) to order is a to-order bill,
    one not to order a straight bill; a sea waybill (``SWB``) is never to order (DCSA: "``isToOrder`` must be
    ``false`` if ``transportDocumentTypeCode='SWB'``").

    >>> bill_kind_of(published_examples()["dgExample"])
    <BillKind.TO_ORDER: 0>
    >>> bill_kind_of({"transportDocumentTypeCode": "SWB", "isToOrder": True})
    Traceback (most recent call last):
    ...
    portchain.errors.InputError: transportDocument.isToOrder: must be false for a sea waybill (...)
    """
    code, to_order = document.get("transportDocumentTypeCode"), document.get("isToOrder")
    if not isinstance(to_order, bool):
        raise InputError(f"transportDocument.isToOrder: expected true or false, got {to_order!r}")
    if code == "SWB":
        if to_order:
            raise InputError(
                "transportDocument.isToOrder: must be false for a sea waybill (transportDocumentTypeCode SWB)"
            )
        return BillKind.SEA_WAYBILL
    if code == "BOL":
        return BillKind.TO_ORDER if to_order else BillKind.STRAIGHT
    raise InputError(f"transportDocument.transportDocumentTypeCode: expected BOL or SWB, got {code!r}")
