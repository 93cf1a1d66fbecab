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

from pydantic import Field, JsonValue, PlainSerializer


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


def _keep(v: str, head: int, tail: int) -> str:
    """Keep ``head`` and ``tail`` characters, but never more than half of the value."""
    if head + tail > len(v) // 2:
        head = tail = len(v) // 4
    return v[:head] + "*" * (len(v) - head - tail) + (v[len(v) - tail :] if tail else "")


def mask_id_number(v: str) -> str:
    # 110***********1234 for 18- and 15-digit resident IDs; shorter numbers keep at most half.
    return _keep(v, 3, 4)


def mask_phone(v: str) -> str:
    # 138****1234 for an 11-digit mobile number (the industry's format); other numbers keep at most half.
    return v[:3] + "****" + v[-4:] if len(v) == 11 and v.isdigit() else _keep(v, 3, 4)


def mask_account_number(v: str) -> str:
    # First 6 + last 4 for card and account numbers of 16 digits or more; shorter keep at most half.
    return v[:6] + "*" * (len(v) - 10) + v[-4:] if len(v) >= 16 else _keep(v, 6, 4)


def mask_address(v: str) -> str:
    # Keep the first 6 characters (province/city/district) of a long address, at most a third of a short one.
    keep = 6 if len(v) >= 12 else len(v) // 3
    return v[:keep] + "*" * min(len(v) - keep, 8)


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
    # Marks added to the schema (not a replacement of it), so a request field's own pattern or length
    # stays in the document.
    marks: dict[str, JsonValue] = {"x-sensitive": kind.value, "x-info-class": info_class.value}
    return Annotated[
        str,
        PlainSerializer(_serializer(kind), return_type=str),
        Field(json_schema_extra=marks),
    ]


IdNumber = _sensitive(FieldKind.id_number)
Phone = _sensitive(FieldKind.phone)
AccountNumber = _sensitive(FieldKind.account_number)
Address = _sensitive(FieldKind.address)

# Customer fields whose values are personal information wherever they appear as data (change history).
FIELD_KINDS = {
    "id_no": FieldKind.id_number,
    "phone": FieldKind.phone,
    "address": FieldKind.address,
    "email": FieldKind.address,
}


def mask_field_value(field: str, value: str | None) -> str | None:
    """A value of the named customer field, masked like its type unless the caller may unmask."""
    kind = FIELD_KINDS.get(field)
    if kind is None or _unmask.get():
        return value
    return mask(kind, value)


# Field names that, wherever they appear in a response schema, must carry one of the types above.
SENSITIVE_FIELD_NAMES = frozenset({"id_no", "id_number", "phone", "mobile", "account_no", "card_no", "address"})
