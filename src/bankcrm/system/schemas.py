"""Request and response bodies of parameters and code tables."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field, StringConstraints

from bankcrm.schemas import Code, In, Name, Out, UtcDateTime


class ParameterOut(Out):
    key: str
    type: str
    value: Any
    default: Any
    min: float | None
    max: float | None
    choices: list[str]
    description_zh: str
    description_en: str
    updated_by: str | None
    updated_at: UtcDateTime | None


class ParameterIn(In):
    value: bool | int | float | Annotated[str, StringConstraints(max_length=1000)]


class CodeTableOut(Out):
    code: str
    name_zh: str
    name_en: str


class CodeItemOut(Out):
    code: str
    label_zh: str
    label_en: str
    sort: int
    active: bool


class CodeItemCreateIn(In):
    code: Code
    label_zh: Name
    label_en: Name
    sort: Annotated[int, Field(ge=0, le=100000)] = 0


class CodeItemUpdateIn(In):
    label_zh: Name | None = None
    label_en: Name | None = None
    sort: Annotated[int, Field(ge=0, le=100000)] | None = None
    active: bool | None = None
