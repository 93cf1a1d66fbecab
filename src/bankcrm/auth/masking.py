"""Field-level masking (SEC-3), written once.

Sensitive fields are declared in response schemas with the annotated types below
(``IdNumber``, ``Phone``, ``AccountNumber``, ``Address``). Their serializer masks the value
unless the current request's caller holds ``customer.unmask`` (``customer.reveal`` only opens one
field at a time, with a stated purpose, through the reveal endpoint); the caller's right is put in a
context variable by the authentication dependency, and the default is *masked*, so a response
built anywhere without an authenticated caller is masked too.

Classes follow JR/T 0171-2020 (个人金融信息保护技术规范): C3 authentication information is never
returned at all; C2 (identity numbers, phone, account and card numbers, address) is masked here.

Amounts of one customer's holdings (balances, AUM, daily averages, loan and transaction amounts: C2
property information) are typed ``MaskedAmount`` and leave as a band (``AmountBand``: 10万–50万)
unless the caller holds ``customer.amount.view`` (see decision 0017); the flag is set per request
like the unmask flag and defaults to *banded*. Totals over many customers are not personal and stay
numbers.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, JsonValue, PlainSerializer, SerializationInfo


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
_amounts: ContextVar[bool] = ContextVar("bankcrm_amounts", default=False)


def set_unmask(allowed: bool) -> None:
    _unmask.set(allowed)


def set_amount_view(allowed: bool) -> None:
    """Whether this request's caller sees a customer's amounts as numbers (else as bands)."""
    _amounts.set(allowed)


@contextmanager
def amounts_visible(allowed: bool = True) -> Iterator[None]:
    token = _amounts.set(allowed)
    try:
        yield
    finally:
        _amounts.reset(token)


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


def mask_unclassified(v: str) -> str:
    # A value of unknown meaning in personal data (a free-text field, a field of a line that could not
    # be split by its layout): at most a quarter kept, never more than 2 + 2 characters.
    return _keep(v, 2, 2)


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


# --- Amounts (SEC-3): one customer's figures leave as bands for callers without the right. ---

# Lower edges of the bands, in yuan: <1万, 1万–5万, 5万–10万, 10万–50万, 50万–100万, 100万–500万,
# 500万–1000万, ≥1000万. A negative amount (a debt, an overdraft) is banded by its absolute value.
BAND_EDGES: tuple[int, ...] = (0, 10_000, 50_000, 100_000, 500_000, 1_000_000, 5_000_000, 10_000_000)
AMOUNT_KIND = "amount"


class AmountBand(BaseModel):
    """An amount shown as its band: ``lo`` <= |amount| < ``hi`` (``hi`` None: no upper bound);
    ``negative`` for debts and overdrafts. The web UI and exports format it per language."""

    model_config = {"title": "AmountBand"}

    lo: int
    hi: int | None
    negative: bool = False


def amount_band(value: Decimal | int | float | str) -> AmountBand:
    """The band of an amount (a string must be a number)."""
    d = Decimal(str(value))
    a = abs(d)
    i = max(k for k, edge in enumerate(BAND_EDGES) if a >= edge)
    hi = BAND_EDGES[i + 1] if i + 1 < len(BAND_EDGES) else None
    return AmountBand(lo=BAND_EDGES[i], hi=hi, negative=d < 0)


def _yuan(n: int, lang: str) -> str:
    if lang == "zh-CN":
        return f"{n // 10_000}万"
    return f"{n // 1_000_000}M" if n >= 1_000_000 else f"{n // 1_000}k"


def format_band(band: AmountBand, lang: Literal["zh-CN", "en-US"] | str = "zh-CN") -> str:
    """``10万–50万`` (zh-CN) or ``100k–500k`` (en-US); ``<1万``, ``≥1000万``; a debt ``-(10万–50万)``."""
    if band.lo == 0:
        text = f"<{_yuan(band.hi or BAND_EDGES[1], lang)}"
    elif band.hi is None:
        text = f"≥{_yuan(band.lo, lang)}"
    else:
        text = f"{_yuan(band.lo, lang)}–{_yuan(band.hi, lang)}"
    return f"-({text})" if band.negative else text


def band_text(value: Decimal | int | float | str, lang: str = "zh-CN") -> str:
    """An amount's band as text, e.g. for a raw line or a file (``mask`` for amounts)."""
    return format_band(amount_band(value), lang)


def is_band_edge(value: Decimal | int | float) -> bool:
    """Whether a search bound is a band edge: the only bounds callers who see bands may search by
    (otherwise narrowing bounds would find any amount to the cent)."""
    return abs(Decimal(str(value))) in {Decimal(e) for e in BAND_EDGES}


def _serialize_amount(value: Decimal, info: SerializationInfo) -> Decimal | AmountBand | str:
    if _amounts.get():
        return value
    band = amount_band(value)
    ctx = info.context
    if isinstance(ctx, dict) and isinstance(ctx.get("band_lang"), str):
        return format_band(band, ctx["band_lang"])  # a file's cell: the band as text
    return band


MaskedAmount = Annotated[
    Decimal,
    PlainSerializer(_serialize_amount, return_type=Decimal | AmountBand | str),
    Field(json_schema_extra={"x-sensitive": AMOUNT_KIND, "x-info-class": InfoClass.C2.value}),
]
"""An amount of one customer's holdings: a number for callers with ``customer.amount.view``, else
its ``AmountBand``."""

# Field names that name a customer's amounts: in a response schema they must be ``MaskedAmount``
# (the sweep in tests/auth/test_masking.py), unless they are totals over many customers.
AMOUNT_FIELD_NAMES = frozenset(
    {
        "balance",
        "balance_after",
        "amount",
        "mtd_avg",
        "qtd_avg",
        "ytd_avg",
        "overdue_amount",
        "overdraft_amount",
        "deposits",
        "wealth",
        "aum",
        "loans",
        "card_debt",
        "liabilities",
        "housing_fund",
        "npl",
        "basis",
        "deposits_mtd_avg",
        "deposits_qtd_avg",
        "deposits_ytd_avg",
        "aum_mtd_avg",
        "aum_qtd_avg",
        "aum_ytd_avg",
    }
)
