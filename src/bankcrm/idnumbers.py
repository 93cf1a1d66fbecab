"""Chinese identity numbers (pure functions): resident ID checksums (GB 11643-1999), 15→18 upgrade,
unified social credit codes (GB 32100-2015)."""

from __future__ import annotations

import re
from datetime import date

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_RE18 = re.compile(r"^\d{17}[\dX]$")
_RE15 = re.compile(r"^\d{15}$")

_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_RE_USCC = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")


def resident_check_digit(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True))
    return _CHECK[total % 11]


def _valid_birth(s: str) -> bool:
    try:
        d = date(int(s[:4]), int(s[4:6]), int(s[6:8]))
    except ValueError:
        return False
    return date(1900, 1, 1) <= d <= date.today()


def is_valid_resident_id(value: str) -> bool:
    v = value.strip().upper()
    if not _RE18.match(v):
        return False
    return _valid_birth(v[6:14]) and resident_check_digit(v[:17]) == v[17]


def upgrade_15_to_18(value: str) -> str:
    """A legacy 15-digit ID to its 18-digit form (century 19 inserted, checksum appended)."""
    v = value.strip()
    if not _RE15.match(v):
        raise ValueError("not a 15-digit resident ID")
    first17 = v[:6] + "19" + v[6:]
    return first17 + resident_check_digit(first17)


def normalize_resident_id(value: str) -> str | None:
    """The 18-digit form when valid (15-digit input upgraded), else None."""
    v = value.strip().upper()
    if _RE15.match(v):
        if not _valid_birth("19" + v[6:12]):
            return None
        return upgrade_15_to_18(v)
    return v if is_valid_resident_id(v) else None


def uscc_check_char(first17: str) -> str:
    total = sum(_USCC_CHARS.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return _USCC_CHARS[(31 - total % 31) % 31]


def is_valid_uscc(value: str) -> bool:
    v = value.strip().upper()
    return bool(_RE_USCC.match(v)) and uscc_check_char(v[:17]) == v[17]
