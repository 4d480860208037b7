"""The base of every document model and part: a frozen pydantic dataclass, read from and written to JSON with
camelCase keys, validated whether built from Python or from JSON, every error an ``InputError`` naming the JSON path.

Python keyword arguments are mapped to the JSON object they stand for and checked like JSON, so both ways give the
same values and the same messages:

>>> from .trade import Party
>>> maersk = Party(party_name="Maersk A/S")
>>> maersk.to_json(), Party.from_json({"partyName": "Maersk A/S"}) == maersk
({'partyName': 'Maersk A/S'}, True)
>>> Party(party_name=" ")
Traceback (most recent call last):
...
portchain.errors.InputError: party.partyName: must not be empty
>>> Party.from_json({"partyname": "Maersk A/S"}, "shipper")
Traceback (most recent call last):
...
portchain.errors.InputError: shipper: unknown field 'partyname' (did you mean 'partyName'?)
"""

from __future__ import annotations

import difflib
import functools
import inspect
import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any, ClassVar, TypeVar, cast

from pydantic import ConfigDict, TypeAdapter, ValidationError, model_validator
from pydantic.alias_generators import to_camel
from pydantic.dataclasses import dataclass as pydantic_dataclass
from pydantic.dataclasses import is_pydantic_dataclass
from pydantic.fields import FieldInfo
from pydantic_core import ArgsKwargs
from typing_extensions import Self, dataclass_transform

from .._files import atomic_write
from ._fields import input_error, kind, problem
from .canonical import canonical_json, document_hash, parse_json_text

CONFIG = ConfigDict(
    alias_generator=to_camel,  # JSON keys are the camelCase field names, unless a field names its own alias
    validate_by_alias=True,  # JSON is read by its keys only; Python keyword arguments are mapped to them first
    validate_by_name=False,
    extra="forbid",
    serialize_by_alias=True,
)


@pydantic_dataclass(frozen=True, kw_only=True, config=CONFIG)
class Record:
    """Shared by the documents and their parts: :meth:`to_json` and :meth:`from_json`. Subclasses are declared
    with :func:`record`."""

    _root: ClassVar[str] = "record"  # the JSON path of errors: the class name in camelCase, e.g. "transportDocument"

    @model_validator(mode="before")
    @classmethod
    def _json_object(cls, data: Any) -> Any:
        if isinstance(data, cls):
            return data
        if isinstance(data, ArgsKwargs):
            data = _arguments(cls, data)
        return _checked_object(cls, data)

    def to_json(self) -> dict[str, Any]:
        """This record as JSON (camelCase keys; absent optional fields and empty optional lists are left out)."""
        data: dict[str, Any] = _adapter(type(self)).dump_python(
            self, mode="json", by_alias=True, exclude_defaults=True
        )
        return data

    @classmethod
    def from_json(cls, data: Any, path: str = "") -> Self:
        """Build and validate from JSON (a dict); errors name ``path`` (default: the class name in camelCase)."""
        try:
            return validated(cls, data)
        except ValidationError as exc:
            raise input_error(exc, path or cls._root) from None


_R = TypeVar("_R", bound=Record)


@dataclass_transform(kw_only_default=True, frozen_default=True)
def record(cls: type[_R]) -> type[_R]:
    """Make ``cls`` (a :class:`Record` subclass) a frozen, keyword-only pydantic dataclass whose constructor raises
    :class:`~portchain.errors.InputError` naming the JSON path (``party.address.countryCode: ...``)."""
    model = cast("type[_R]", pydantic_dataclass(frozen=True, kw_only=True, config=CONFIG)(cls))
    model._root = cls.__name__[0].lower() + cls.__name__[1:]
    validate = model.__init__

    @functools.wraps(validate)
    def validating_init(self: Any, *args: Any, **kwargs: Any) -> None:
        try:
            validate(self, *args, **kwargs)
        except ValidationError as exc:
            raise input_error(exc, model._root) from None

    model.__init__ = validating_init  # type: ignore[method-assign]  # pydantic's raises ValidationError
    model.__signature__ = _signature(model)  # type: ignore[attr-defined]  # pydantic's shows the JSON keys
    return model


def validated(cls: type[_R], data: Any) -> _R:
    """``data`` validated as ``cls``, raising pydantic's ValidationError: for a validator that builds a record,
    whose errors pydantic then nests under its own location."""
    built: _R = _adapter(cls).validate_python(data)
    return built


@pydantic_dataclass(frozen=True, kw_only=True, config=CONFIG)
class Document(Record):
    """A whole document: read from JSON text or files too, hashed as its canonical JSON, written to files."""

    @classmethod
    def from_json(cls, data: Any, path: str = "") -> Self:
        """Read JSON: a dict, or JSON text as ``str``/``bytes``. Unknown and missing fields are refused."""
        path = path or cls._root
        if isinstance(data, (str, bytes, bytearray, memoryview)):
            data = parse_json_text(data, path)
        return super().from_json(data, path)

    def canonical(self) -> bytes:
        """The canonical JSON (RFC 8785) whose hash goes on chain."""
        return canonical_json(self.to_json())

    def hash(self, algorithm: str = "keccak256") -> bytes:
        """The 32-byte document hash: keccak256 (what the chain stores) or sha256 of :meth:`canonical`."""
        return document_hash(self.to_json(), algorithm)

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> Self:
        """Read a JSON file; errors name the file."""
        return cls.from_json(Path(path).read_bytes(), f"{Path(path).name}: {cls._root}")

    def dump(self, path: str | os.PathLike[str]) -> Path:
        """Write indented JSON (UTF-8) to ``path``; the hash does not depend on the layout."""
        text = json.dumps(self.to_json(), indent=2, ensure_ascii=False) + "\n"
        target = Path(path)
        atomic_write(target, text.encode("utf-8"))
        return target


# --------------------------------------------------------------------------------------------------------------
# The JSON object behind a record: keys checked first (unknown, then missing), as the documents always were
# --------------------------------------------------------------------------------------------------------------


def _checked_object(cls: type[Record], data: Any) -> dict[str, Any]:
    """``data`` as this record's JSON object, with null values left out (null means absent)."""
    if not isinstance(data, Mapping):
        raise problem(f"expected a JSON object, got {kind(data)}")
    keys = _json_keys(cls)
    unknown = [key for key in data if key not in keys]
    if unknown:
        quoted = ", ".join(repr(key) for key in unknown)
        hint = ""
        if len(unknown) == 1:
            close = difflib.get_close_matches(str(unknown[0]), [k for k in keys if k not in data], n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise problem(f"unknown field{'s' if len(unknown) > 1 else ''} {quoted}{hint}")
    missing = [key for key, required in keys.items() if required and data.get(key) is None]
    if missing:
        quoted = ", ".join(repr(key) for key in missing)
        raise problem(f"missing required field{'s' if len(missing) > 1 else ''} {quoted}")
    return {key: value for key, value in data.items() if value is not None}


def _arguments(cls: type[Record], arguments: ArgsKwargs) -> dict[str, Any]:
    """Python keyword arguments as the JSON object they stand for. None, and ``()`` for a list that defaults to
    ``()``, mean absent, as in :meth:`Record.to_json`; wrong arguments are a TypeError, as for any dataclass."""
    if arguments.args:
        raise TypeError(f"{cls.__name__}() takes keyword arguments only")
    fields = _fields_of(cls)
    given = arguments.kwargs or {}
    for name in given:
        if name not in fields:
            raise TypeError(f"{cls.__name__}.__init__() got an unexpected keyword argument {name!r}")
    missing = ", ".join(repr(name) for name, f in fields.items() if f.is_required() and name not in given)
    if missing:
        raise TypeError(f"{cls.__name__}.__init__() missing required keyword-only argument(s): {missing}")
    return {
        fields[name].alias or name: value
        for name, value in given.items()
        if not (value == () and fields[name].default == ())
    }


def _fields_of(cls: type) -> dict[str, FieldInfo]:
    if not is_pydantic_dataclass(cls):
        raise TypeError(f"{cls.__name__} is not a record")
    return cls.__pydantic_fields__


def _json_keys(cls: type) -> dict[str, bool]:
    """JSON key -> required, in field order."""
    return {f.alias or name: f.is_required() for name, f in _fields_of(cls).items()}


_ADAPTERS: dict[type, TypeAdapter[Any]] = {}


def _adapter(cls: type) -> TypeAdapter[Any]:
    """pydantic's adapter of a record class, made once (making one compiles the class's schema)."""
    if cls not in _ADAPTERS:
        _ADAPTERS[cls] = TypeAdapter(cls)
    return _ADAPTERS[cls]


def _signature(cls: type) -> inspect.Signature:
    parameters = [
        inspect.Parameter(
            name,
            inspect.Parameter.KEYWORD_ONLY,
            default=inspect.Parameter.empty if f.is_required() else f.default,
            annotation=f.annotation,
        )
        for name, f in _fields_of(cls).items()
    ]
    return inspect.Signature(parameters, return_annotation=None)
