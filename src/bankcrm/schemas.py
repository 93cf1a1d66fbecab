"""Shared schema building blocks: strict input models, paging and the error body.

Requests are validated strictly, as the OpenAPI document describes them: a JSON ``0`` is not a
boolean or a date, ``"5"`` is not an integer. Request bodies are strict pydantic models (``In``);
the few JSON types that travel as text (dates, enums, decimals) carry ``Strict(False)`` and, for
dates, a check that the text is an ISO date (pydantic's lax date would read ``0`` as 1970-01-01)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Path, Query
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    Strict,
    StringConstraints,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

T = TypeVar("T")


CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
NO_CONTROL = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"


def _no_control_chars(value: Any) -> Any:
    if isinstance(value, str) and CONTROL_CHARS.search(value):
        raise ValueError("text must not contain control characters")
    if isinstance(value, list):
        for v in value:
            _no_control_chars(v)
    return value


def _integral(value: Any) -> Any:
    """JSON Schema counts ``5.0`` as an integer: hand such numbers to the strict model as ints."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, list):
        return [_integral(v) for v in value]
    return value


def document_clean_text(schema: dict[str, Any]) -> None:
    """Say in the document what ``_text_is_clean`` enforces: text fields without a pattern of their
    own get the no-control-characters pattern."""

    def mark(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "string" and "pattern" not in node and "enum" not in node and "format" not in node:
                node["pattern"] = NO_CONTROL
            for key in ("anyOf", "items"):
                if key in node:
                    mark(node[key])
        elif isinstance(node, list):
            for item in node:
                mark(item)

    for prop in schema.get("properties", {}).values():
        mark(prop)


class In(BaseModel):
    """Base of every request body: unknown fields are an error, values are checked strictly against
    their JSON types, text is stripped and may not carry control characters (PostgreSQL refuses NUL;
    none belongs in a bank's records)."""

    model_config = ConfigDict(
        extra="forbid", str_strip_whitespace=True, strict=True, json_schema_extra=document_clean_text
    )

    @model_validator(mode="before")
    @classmethod
    def _json_integers(cls, data: Any) -> Any:
        if isinstance(data, dict):
            return {k: _integral(v) for k, v in data.items()}
        return data

    @field_validator("*", mode="after")
    @classmethod
    def _text_is_clean(cls, value: Any) -> Any:
        return _no_control_chars(value)


INCONSISTENT = "inconsistent_request"


def inconsistent(message: str) -> PydanticCustomError:
    """For a model's cross-field check (a range's low end above its high end): each field matches the
    document but together they contradict each other, which no JSON Schema can say. Answered 400
    ``inconsistent_request``; 422 stays the answer to a request the document itself forbids."""
    return PydanticCustomError(INCONSISTENT, message)


class Out(BaseModel):
    model_config = ConfigDict(from_attributes=True)


def _as_utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


# Timestamps are stored as naive UTC; they leave marked as UTC ("...Z") so that each browser shows
# them in its own time zone (Beijing time at a Chinese bank). Use this type for every response time.
UtcDateTime = Annotated[datetime, PlainSerializer(_as_utc)]


class ErrorOut(BaseModel):
    """Every error answer (4xx and 500): a stable machine code, a "中文 / English" message, and
    details where they help (validation errors name where and why, never the submitted value)."""

    code: str
    message: str
    details: Any = None


class Page(Out, Generic[T]):
    items: list[T]
    total: int


Name = Annotated[str, StringConstraints(min_length=1, max_length=100, strip_whitespace=True)]
Code = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_.-]{1,32}$")]
PageNo = Annotated[int, Field(ge=1, le=100000)]
PageSize = Annotated[int, Field(ge=1, le=200)]

MIN_DATE, MAX_DATE = date(1900, 1, 1), date(2999, 12, 31)
# An ISO calendar date between MIN_DATE and MAX_DATE, as text (the schema says so with this pattern,
# so a date the server refuses is also one the document forbids).
ISO_DATE = r"^(19[0-9]{2}|2[0-9]{3})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"
_ISO_DATE = re.compile(ISO_DATE)


def _date_text(value: Any) -> Any:
    """Dates arrive as ``YYYY-MM-DD`` text only (code may pass ``date`` objects)."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if not isinstance(value, str) or not _ISO_DATE.match(value):
        raise ValueError("date must be text in the form YYYY-MM-DD between 1900 and 2999")
    return value


def _true_false(value: Any) -> Any:
    """Query booleans are ``true`` or ``false``, nothing else (not 1, yes, on...)."""
    if isinstance(value, bool):
        return value
    if value in ("true", "false"):
        return value == "true"
    raise ValueError("must be true or false")


def _integer_text(value: Any) -> Any:
    """Query integers are plain digits (not ``5.0`` nor ``1_000``)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and re.fullmatch(r"-?[0-9]{1,12}", value):
        return int(value)
    raise ValueError("must be a whole number")


# Business dates in requests: calendar extremes (9999-12-31) would overflow date arithmetic.
SafeDate = Annotated[
    date,
    Strict(False),
    BeforeValidator(_date_text),
    Field(json_schema_extra={"pattern": ISO_DATE}),  # the pattern bounds the year to MIN_DATE..MAX_DATE
]
DateQuery = Annotated[SafeDate | None, Query()]
BoolQuery = Annotated[bool, BeforeValidator(_true_false)]
# Constraints sit on the inner type so that the document states them (``minimum``...): on the outer
# annotation, after a validator or around a union, they would be enforced but rendered as unknown keys.
PageNoQuery = Annotated[PageNo, BeforeValidator(_integer_text), Query()]
PageSizeQuery = Annotated[PageSize, BeforeValidator(_integer_text), Query()]
# Enums and decimals travel as JSON text / numbers: lax for them inside strict request models.
Lax = Strict(False)


def decimal_input(text_pattern: str) -> Any:
    """Decimals in requests: a JSON number, or text matching ``text_pattern`` (what the web's number
    inputs send); never a boolean, never other text. The model states both in its document."""
    rx = re.compile(text_pattern)

    def check(value: Any) -> Any:
        if isinstance(value, bool) or not isinstance(value, int | float | Decimal | str):
            raise ValueError("must be a number")
        if isinstance(value, str) and not rx.match(value):
            raise ValueError("must be a number with at most two decimals")
        return value

    return BeforeValidator(check)


MAX_ID = 2_147_483_647
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
IdPath = Annotated[Id, BeforeValidator(_integer_text), Path()]
IdQuery = Annotated[Id | None, BeforeValidator(_integer_text), Query()]
SearchText = Annotated[str | None, Query(max_length=64, pattern=NO_CONTROL)]
KeyPath = Annotated[str, Path(pattern=r"^[A-Za-z0-9_.-]{1,64}$")]
