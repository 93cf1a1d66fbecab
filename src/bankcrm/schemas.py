"""Shared schema building blocks: strict input models and paging."""

from __future__ import annotations

from typing import Annotated, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

T = TypeVar("T")


class In(BaseModel):
    """Base of every request body: unknown fields are an error, text is stripped."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Out(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class Page(Out, Generic[T]):
    items: list[T]
    total: int


Name = Annotated[str, StringConstraints(min_length=1, max_length=100, strip_whitespace=True)]
Code = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_.-]{1,32}$")]
PageNo = Annotated[int, Field(ge=1, le=100000)]
PageSize = Annotated[int, Field(ge=1, le=200)]
