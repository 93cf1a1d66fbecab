"""Field-level masking (SEC-3), written once.

Sensitive fields are declared in response schemas with the annotated types below
(``IdNumber``, ``Phone``, ``AccountNumber``, ``Address``). Their serializer masks the value
unless the current request's caller holds ``customer.unmask`` (``customer.reveal`` only opens one
field at a time, with a stated purpose, through the reveal endpoint); the caller's right is put in a
context variable by the authentication dependency, and the default is *masked*, so a response
built anywhere without an authenticated caller is masked too.

Classes follow JR/T 0171-2020 (个人金融信息保护技术规范): C3 authentication information is never
returned at all; C2 (identity numbers, phone, account and card numbers, address) is masked here.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Annotated, Any

from pydantic import PlainSerializer, WithJsonSchema


class InfoClass(enum.StrEnum):
    C1 = "C1"
    C2 = "C2"
    C3 = "C3"


class FieldKind(enum.StrEnum):
    id_number = "id_number"
    phone = "phone"
    account_number = "account_number"
    address = "address"


_unmask: ContextVar[bool] = ContextVar("bankcrm_unmask", default=False)


def set_unmask(allowed: bool) -> None:
    _unmask.set(allowed)


@contextmanager
def unmasked(allowed: bool = True) -> Iterator[None]:
    token = _unmask.set(allowed)
    try:
        yield
    finally:
        _unmask.reset(token)


def mask_id_number(v: str) -> str:
    # 110***********1234: first 3 and last 4 kept, whatever the length (18, 15, USCC, passport).
    if len(v) <= 7:
        return "*" * len(v)
    return v[:3] + "*" * (len(v) - 7) + v[-4:]


def mask_phone(v: str) -> str:
    # 138****1234
    if len(v) <= 7:
        return "*" * len(v)
    return v[:3] + "*" * (len(v) - 7) + v[-4:]


def mask_account_number(v: str) -> str:
    # first 6 + last 4
    if len(v) <= 10:
        return v[:2] + "*" * max(len(v) - 4, 0) + v[-2:] if len(v) > 4 else "*" * len(v)
    return v[:6] + "*" * (len(v) - 10) + v[-4:]


def mask_address(v: str) -> str:
    # Keep the first 6 characters (province/city/district), hide the rest.
    if len(v) <= 6:
        return v[:2] + "*" * max(len(v) - 2, 0)
    return v[:6] + "*" * min(len(v) - 6, 8)


MASKERS = {
    FieldKind.id_number: mask_id_number,
    FieldKind.phone: mask_phone,
    FieldKind.account_number: mask_account_number,
    FieldKind.address: mask_address,
}


def mask(kind: FieldKind, value: str | None) -> str | None:
    if value is None or value == "":
        return value
    return MASKERS[kind](value)


def _serializer(kind: FieldKind) -> Any:
    def serialize(value: str | None) -> str | None:
        if _unmask.get():
            return value
        return mask(kind, value)

    return serialize


def _sensitive(kind: FieldKind, info_class: InfoClass = InfoClass.C2) -> Any:
    schema = {"type": "string", "x-sensitive": kind.value, "x-info-class": info_class.value}
    return Annotated[
        str,
        PlainSerializer(_serializer(kind), return_type=str),
        WithJsonSchema(schema),
    ]


IdNumber = _sensitive(FieldKind.id_number)
Phone = _sensitive(FieldKind.phone)
AccountNumber = _sensitive(FieldKind.account_number)
Address = _sensitive(FieldKind.address)

# Field names that, wherever they appear in a response schema, must carry one of the types above.
SENSITIVE_FIELD_NAMES = frozenset({"id_no", "id_number", "phone", "mobile", "account_no", "card_no", "address"})
