"""Field validators shared by the transport and trade document models, and the error text they have always had.

Each validator is a pydantic ``BeforeValidator`` that checks a raw value and returns the normalised one, or raises
:func:`problem`; pydantic adds the location, and :func:`input_error` turns its ``ValidationError`` into the SDK's
``InputError("path: problem")``. The JSON path uses the JSON keys (the field aliases).

>>> from pydantic import TypeAdapter, ValidationError
>>> try:
...     TypeAdapter(list[UnLocode]).validate_python(["NLRTM", "nlrtm"])
... except ValidationError as exc:
...     print(input_error(exc, "ports"))
ports[1]: 'nlrtm' is not a UN/LOCODE (write it as 'NLRTM')
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from typing import Annotated, Any

from pydantic import BeforeValidator, ValidationError
from pydantic_core import InitErrorDetails, PydanticCustomError

from ..errors import InputError
from ..types import container_number_problem, hs_code_problem, to_country, to_unlocode

Loc = tuple[str | int, ...]


# --------------------------------------------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------------------------------------------


def kind(value: Any) -> str:
    """The JSON kind of a value, for messages: ``null``, ``boolean``, ``number``, ``string``, ``object``, ``array``
    (or the Python type's name)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, Mapping):
        return "object"
    if isinstance(value, (list, tuple)):
        return "array"
    return type(value).__name__


def problem(text: str) -> PydanticCustomError:
    """A validation error whose message is ``text`` exactly (pydantic adds where it happened)."""
    return PydanticCustomError("document", "{problem}", {"problem": text})


def problem_at(loc: Loc, text: str, value: Any) -> ValidationError:
    """A problem found by a model's cross-field check, at ``loc`` below the model. Raised from a validator, pydantic
    puts the model's own location in front."""
    return ValidationError.from_exception_data("document", [InitErrorDetails(type=problem(text), loc=loc, input=value)])


def path_of(root: str, loc: Loc) -> str:
    """``root`` followed by ``loc`` as a JSON path: ``.key`` and ``[index]``."""
    return root + "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in loc)


def input_error(exc: ValidationError, root: str) -> InputError:
    """The first error (the first field, in field order, as the documents were always checked) as InputError."""
    error = exc.errors(include_url=False)[0]
    return InputError(f"{path_of(root, error['loc'])}: {error['msg']}")


# --------------------------------------------------------------------------------------------------------------
# Validators
# --------------------------------------------------------------------------------------------------------------


def checked_text(value: Any, max_length: int) -> str:
    """``value`` if it is a non-blank string of at most ``max_length`` characters."""
    if not isinstance(value, str):
        raise problem(f"expected a string, got {kind(value)} {value!r}")
    if not value.strip():
        raise problem("must not be empty")
    if len(value) > max_length:
        raise problem(f"{value!r} is longer than {max_length} characters")
    return value


def text(max_length: int) -> BeforeValidator:
    """A non-blank string of at most ``max_length`` characters."""
    return BeforeValidator(lambda value: checked_text(value, max_length))


def one_of_problem(value: Any, codes: Mapping[str, str]) -> str | None:
    """What is wrong with ``value`` as one of ``codes`` (code -> meaning), or None."""
    if isinstance(value, str) and value in codes:
        return None
    allowed = ", ".join(f"{code!r} ({meaning})" for code, meaning in codes.items())
    return f"{value!r} is not one of {allowed}"


def one_of(codes: Mapping[str, str]) -> BeforeValidator:
    """One of the code list ``codes`` (code -> meaning, listed in the message)."""

    def check(value: Any) -> str:
        wrong = one_of_problem(value, codes)
        if wrong:
            raise problem(wrong)
        return str(value)

    return BeforeValidator(check)


def pattern(regex: str, what: str) -> BeforeValidator:
    """A string matching ``regex`` in full; otherwise "is not ``what``"."""

    def check(value: Any) -> str:
        if not isinstance(value, str) or not re.fullmatch(regex, value):
            raise problem(f"{value!r} is not {what}")
        return value

    return BeforeValidator(check)


def array(min_items: int = 0) -> BeforeValidator:
    """A JSON array (list or tuple) of at least ``min_items``, kept as a tuple; pydantic checks the items."""

    def check(value: Any) -> tuple[Any, ...]:
        if not isinstance(value, (list, tuple)):
            raise problem(f"expected a JSON array, got {kind(value)}")
        if len(value) < min_items:
            raise problem("must not be empty" if min_items == 1 else f"needs at least {min_items} entries")
        return tuple(value)

    return BeforeValidator(check)


def _unlocode(value: Any) -> str:
    if not isinstance(value, str):
        raise problem(f"{value!r} is not a UN/LOCODE")
    try:
        code = to_unlocode(value).decode()
    except InputError:
        raise problem(f"{value!r} is not a UN/LOCODE") from None
    if code != value:
        raise problem(f"{value!r} is not a UN/LOCODE (write it as {code!r})")
    return value


def _country(value: Any) -> str:
    # to_country also takes lower case and spaces; a document must carry the code as written
    if not isinstance(value, str) or not re.fullmatch(r"[A-Z]{2}", value):
        raise problem(f"{value!r} is not an ISO 3166-1 alpha-2 country code")
    return to_country(value).decode()


def _iso_date(value: Any) -> str:
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            datetime.date.fromisoformat(value)
            return value
        except ValueError:
            pass
    raise problem(f"{value!r} is not an ISO date (YYYY-MM-DD)")


def _hs_code(value: Any) -> str:
    if not isinstance(value, str):
        raise problem(f"expected a string, got {kind(value)} {value!r}")
    wrong = hs_code_problem(value)
    if wrong:
        raise problem(wrong)
    return value


def _container_number(value: Any) -> str:
    wrong = container_number_problem(value)
    if wrong:
        raise problem(wrong)
    return str(value)


def _positive_integer(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise problem(f"expected a positive integer, got {value!r}")
    return value


UnLocode = Annotated[str, BeforeValidator(_unlocode)]
"""A UN/LOCODE written as such, e.g. ``NLRTM`` (not ``nlrtm`` nor ``NL RTM``)."""
CountryCode = Annotated[str, BeforeValidator(_country)]
"""An ISO 3166-1 alpha-2 country code, e.g. ``CN``."""
IsoDate = Annotated[str, BeforeValidator(_iso_date)]
"""A date as ``YYYY-MM-DD``; a ``datetime.date`` is accepted and written so."""
HsCode = Annotated[str, BeforeValidator(_hs_code)]
"""A Harmonized System code: 6 to 10 digits."""
ContainerNumber = Annotated[str, BeforeValidator(_container_number)]
"""An ISO 6346 container number, check digit verified (:func:`portchain.types.container_number_problem`)."""
PositiveInt = Annotated[int, BeforeValidator(_positive_integer)]
"""A positive integer (not a boolean, not a float)."""
