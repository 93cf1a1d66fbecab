"""Shared schema building blocks: strict input models and paging."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Path, Query
from pydantic import BaseModel, ConfigDict, Field, PlainSerializer, StringConstraints, field_validator

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


class In(BaseModel):
    """Base of every request body: unknown fields are an error, text is stripped and may not
    carry control characters (PostgreSQL refuses NUL; none belongs in a bank's records)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @field_validator("*", mode="after")
    @classmethod
    def _text_is_clean(cls, value: Any) -> Any:
        return _no_control_chars(value)


class Out(BaseModel):
    model_config = ConfigDict(from_attributes=True)


def _as_utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


# Timestamps are stored as naive UTC; they leave marked as UTC ("...Z") so that each browser shows
# them in its own time zone (Beijing time at a Chinese bank). Use this type for every response time.
UtcDateTime = Annotated[datetime, PlainSerializer(_as_utc)]


class Page(Out, Generic[T]):
    items: list[T]
    total: int


Name = Annotated[str, StringConstraints(min_length=1, max_length=100, strip_whitespace=True)]
Code = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_.-]{1,32}$")]
PageNo = Annotated[int, Field(ge=1, le=100000)]
PageSize = Annotated[int, Field(ge=1, le=200)]

MIN_DATE, MAX_DATE = date(1900, 1, 1), date(2999, 12, 31)
# Business dates in requests: calendar extremes (9999-12-31) would overflow date arithmetic.
SafeDate = Annotated[date, Field(ge=MIN_DATE, le=MAX_DATE)]
DateQuery = Annotated[date | None, Query(ge=MIN_DATE, le=MAX_DATE)]

MAX_ID = 2_147_483_647
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
IdPath = Annotated[int, Path(ge=1, le=MAX_ID)]
IdQuery = Annotated[int | None, Query(ge=1, le=MAX_ID)]
SearchText = Annotated[str | None, Query(max_length=64, pattern=NO_CONTROL)]
KeyPath = Annotated[str, Path(pattern=r"^[A-Za-z0-9_.-]{1,64}$")]
