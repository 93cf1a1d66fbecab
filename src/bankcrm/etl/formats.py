"""Per-bank file formats (ETL-5): how each feed's file is written, set in the bank's configuration.

The layouts (``layouts.py``) give every feed its default encoding, delimiter, header line, quote
character and date format. A bank whose core systems write a file differently names it in a TOML or
JSON file (setting ``BANKCRM_FEED_FORMATS``), one table per feed code::

    [crd_loan]
    delimiter = ","
    header = true
    quote = '"'
    date_format = "%Y-%m-%d"

    [cif_customer]
    encoding = "utf-8"

Keys left out keep the layout's value. The file is read and checked when a load starts: an unknown
feed or key, an encoding other than UTF-8 or GBK, a delimiter or quote that is not one character, or a
date format that does not round-trip a date fails the load with a message naming the entry.
"""

from __future__ import annotations

import codecs
import json
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from bankcrm.etl.layouts import FEEDS, Feed

ENCODINGS = {"utf-8": "utf-8", "gbk": "gbk"}
"""Python's canonical codec name -> the layouts' encoding. Aliases (``UTF8``, ``cp936``) are accepted."""
KEYS = ("encoding", "delimiter", "header", "quote", "date_format")
SAMPLE = date(2024, 11, 28)

Formats = Mapping[str, Mapping[str, Any]]


class FormatError(ValueError):
    """The configured formats cannot be used; the message names the file and the entry."""


def _bad(where: str, what: str) -> FormatError:
    return FormatError(f"接口格式配置错误 / feed format configuration error: {where}: {what}")


def read_formats(path: Path) -> dict[str, dict[str, Any]]:
    """The entries of a TOML (``.toml``) or JSON file, checked (``check_formats``)."""
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise _bad(str(path), f"cannot be read ({e.strerror or e.__class__.__name__})") from None
    try:
        data: object = json.loads(raw) if path.suffix.lower() == ".json" else tomllib.loads(raw.decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as e:  # JSONDecodeError and TOMLDecodeError are ValueErrors
        raise _bad(str(path), f"not valid {'JSON' if path.suffix.lower() == '.json' else 'TOML'} ({e})") from None
    if not isinstance(data, dict):
        raise _bad(str(path), "must map feed codes to their formats")
    return check_formats(data, str(path))


def check_formats(data: Mapping[str, object], source: str = "formats") -> dict[str, dict[str, Any]]:
    """Every entry checked and normalised (encoding names canonical); raises ``FormatError``."""
    known = {f.code for f in FEEDS}
    out: dict[str, dict[str, Any]] = {}
    for code, entry in data.items():
        where = f"{source} [{code}]"
        if code not in known:
            raise _bad(where, f"unknown feed (known: {', '.join(sorted(known))})")
        if not isinstance(entry, Mapping):
            raise _bad(where, "must be a table of format keys")
        unknown = [k for k in entry if k not in KEYS]
        if unknown:
            raise _bad(where, f"unknown key {unknown[0]!r} (allowed: {', '.join(KEYS)})")
        fmt: dict[str, Any] = {}
        for key, value in entry.items():
            fmt[key] = _value(where, key, value)
        if "delimiter" in fmt and fmt.get("quote") == fmt["delimiter"]:
            raise _bad(where, "quote and delimiter must differ")
        out[code] = fmt
    return out


def _value(where: str, key: str, value: object) -> object:
    if key == "header":
        if not isinstance(value, bool):
            raise _bad(where, "header must be true or false")
        return value
    if not isinstance(value, str):
        raise _bad(where, f"{key} must be text")
    if key == "encoding":
        try:
            name = codecs.lookup(value).name
        except LookupError:
            name = ""
        if name not in ENCODINGS:
            raise _bad(where, f"encoding {value!r} is not supported (UTF-8 or GBK)")
        return ENCODINGS[name]
    if key == "delimiter":
        if len(value) != 1 or value in "\r\n" or value.isalnum():
            raise _bad(where, f"delimiter {value!r} must be one character (not a letter, digit or line end)")
        return value
    if key == "quote":
        if len(value) > 1 or (value and (value in "\r\n" or value.isalnum())):
            raise _bad(where, f"quote {value!r} must be one character, or empty for none")
        return value
    # date_format: strptime directives that write and read back a date, year, month and day included.
    try:
        ok = all(d in value for d in ("%Y", "%m", "%d")) and (
            datetime.strptime(SAMPLE.strftime(value), value).date() == SAMPLE
        )
    except ValueError:
        ok = False
    if not ok:
        raise _bad(where, f"date_format {value!r} must hold %Y, %m and %d (e.g. %Y-%m-%d)")
    return value


def apply_formats(feeds: Iterable[Feed], formats: Formats) -> list[Feed]:
    """The feeds with their configured formats in place of the layouts' defaults."""
    return [replace(f, **formats[f.code]) if f.code in formats else f for f in feeds]


def configured_formats() -> dict[str, dict[str, Any]]:
    """The formats of the bank's configuration (``BANKCRM_FEED_FORMATS``); none when unset."""
    from bankcrm.config import get_settings

    path = get_settings().feed_formats
    return read_formats(path) if path else {}
