"""Whole-column helpers: text from word lists in a given encoding, zero-padded numbers, dates as
``YYYYMMDD`` integers, check characters computed over digit matrices. No Python loop per row.

Text columns are Arrow ``string`` arrays whose bytes are in the target encoding (UTF-8 or GBK): the
CSV writer copies bytes as they are, so a GBK feed is written without transcoding. Such an array is
only ever written, never read back as text.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]

Arr = npt.NDArray[Any]
Encoding = str

RESIDENT_WEIGHTS = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2], dtype=np.int64)
RESIDENT_CHECK = "10X98765432"
USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = np.array([1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28], dtype=np.int64)
ORGCODE_WEIGHTS = np.array([3, 7, 9, 10, 5, 8, 4, 2], dtype=np.int64)


def as_text(arr: Any) -> Any:
    """A binary array viewed as ``string`` (no validation: the bytes may be GBK)."""
    if arr.type == pa.string():
        return arr
    if arr.type != pa.binary():
        arr = arr.cast(pa.binary())
    return pa.Array.from_buffers(pa.string(), len(arr), arr.buffers()[:3], arr.null_count, arr.offset)


@lru_cache(maxsize=256)
def _encoded(words: tuple[str, ...], encoding: Encoding) -> Any:
    return pa.array([w.encode(encoding) for w in words], pa.binary())


def words(vocab: tuple[str, ...], idx: Arr, encoding: Encoding) -> Any:
    """``vocab[idx]`` as a binary column in ``encoding``."""
    return _encoded(vocab, encoding).take(pa.array(idx, pa.int64()))


def lit(text: str, encoding: Encoding) -> Any:
    return pa.scalar(text.encode(encoding), pa.binary())


def concat(*parts: Any) -> Any:
    """Row-wise concatenation of binary columns and scalars; result is a ``string``-typed array."""
    bins = [p if isinstance(p, pa.Scalar) else (p.cast(pa.binary()) if p.type != pa.binary() else p) for p in parts]
    if len(bins) == 1:
        return as_text(bins[0])
    return as_text(pc.binary_join_element_wise(*bins, pa.scalar(b"", pa.binary())))


def num(values: Arr) -> Any:
    """Integers as decimal text."""
    return pc.cast(pa.array(np.asarray(values, dtype=np.int64)), pa.string())


def zpad(values: Arr, width: int) -> Any:
    """Non-negative integers zero-padded to ``width`` digits."""
    v = np.asarray(values, dtype=np.int64) + np.int64(10**width)
    return pc.utf8_slice_codeunits(num(v), 1)


def ymd(days: Arr) -> Arr:
    """``datetime64[D]`` to ``YYYYMMDD`` integers."""
    d = np.asarray(days, dtype="datetime64[D]")
    y = d.astype("datetime64[Y]").astype(np.int64) + 1970
    m = d.astype("datetime64[M]").astype(np.int64) % 12 + 1
    dd = (d - d.astype("datetime64[M]")).astype(np.int64) + 1
    return np.asarray(y * 10000 + m * 100 + dd, dtype=np.int64)


def add_months(days: Arr, months: Arr) -> Arr:
    """Calendar month arithmetic with the day clipped to the month's end (as banks roll terms)."""
    d = np.asarray(days, dtype="datetime64[D]")
    mon = d.astype("datetime64[M]")
    dom = (d - mon).astype(np.int64)
    target = mon + np.asarray(months, dtype=np.int64).astype("timedelta64[M]")
    last = ((target + np.timedelta64(1, "M")).astype("datetime64[D]") - target.astype("datetime64[D]")).astype(
        np.int64
    ) - 1
    return np.asarray(target.astype("datetime64[D]") + np.minimum(dom, last).astype("timedelta64[D]"))


def digits(values: Arr, width: int) -> Arr:
    """An (n, width) matrix of the decimal digits of non-negative integers, most significant first."""
    v = np.asarray(values, dtype=np.int64)
    pow10 = np.int64(10) ** np.arange(width - 1, -1, -1, dtype=np.int64)
    return np.asarray((v[:, None] // pow10[None, :]) % 10, dtype=np.int64)


def resident_check_index(first17: Arr) -> Arr:
    """Index into ``RESIDENT_CHECK`` of the GB 11643 check character for 17-digit integers."""
    return np.asarray((digits(first17, 17) @ RESIDENT_WEIGHTS) % 11, dtype=np.int64)


def uscc_check_index(chars17: Arr) -> Arr:
    """GB 32100 check character index for an (n, 17) matrix of code-alphabet indices."""
    total = np.asarray(chars17, dtype=np.int64) @ USCC_WEIGHTS
    return np.asarray((31 - total % 31) % 31, dtype=np.int64)


def orgcode_check_digit(first8: Arr) -> Arr:
    """GB 11714 check digit (0-9; 10 shown as X) for 8-digit organisation codes, as indices into
    ``"0123456789X"``."""
    c = 11 - (digits(first8, 8) @ ORGCODE_WEIGHTS) % 11
    return np.asarray(np.where(c == 11, 0, c), dtype=np.int64)


def luhn_check_digit(body: Arr, width: int) -> Arr:
    """Luhn check digit for card-number bodies of ``width`` digits."""
    dg = digits(body, width)
    double = (np.arange(width)[::-1] % 2) == 0  # rightmost body digit is doubled
    dd = np.where(double[None, :], dg * 2, dg)
    dd = np.where(dd > 9, dd - 9, dd)
    return np.asarray((10 - dd.sum(axis=1) % 10) % 10, dtype=np.int64)


def money(cents: Arr, scale: int = 2, valid: Arr | None = None) -> Any:
    """Integers (in units of ``10**-scale``) as a ``decimal128(20, scale)`` column, written with exactly
    ``scale`` decimals; ``valid`` marks non-null rows."""
    c = np.ascontiguousarray(np.asarray(cents, dtype=np.int64))
    buf = np.empty(2 * len(c), dtype=np.int64)
    buf[0::2] = c
    buf[1::2] = np.where(c < 0, -1, 0)
    bitmap = None
    nulls = 0
    if valid is not None:
        v = pa.array(np.asarray(valid, dtype=bool))
        nulls = len(c) - int(np.count_nonzero(valid))
        if nulls:
            bitmap = v.buffers()[1]
    return pa.Array.from_buffers(pa.decimal128(20, scale), len(c), [bitmap, pa.py_buffer(buf)], nulls)


def nullable_int(values: Arr, valid: Arr) -> Any:
    return pa.array(np.asarray(values, dtype=np.int64), mask=~np.asarray(valid, dtype=bool))


def format_cents(total: int, scale: int = 2) -> str:
    sign = "-" if total < 0 else ""
    a = abs(int(total))
    return f"{sign}{a // 10**scale}.{a % 10**scale:0{scale}d}"
