"""Messages in the caller's language (zh-CN by default, en-US).

Every user-facing message is written once, in both languages, as ``"中文 / English"`` (where it is
raised, next to the rule it explains). The answer carries the half in the caller's language, chosen by
the request's ``Accept-Language`` (the web client sends the language the user picked): no screen shows
both languages at once.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Literal

Lang = Literal["zh", "en"]
SEPARATOR = " / "


def lang_of(accept_language: str | None) -> Lang:
    """The first language the caller accepts that we have; Chinese unless English comes first."""
    for part in (accept_language or "").split(","):
        tag = part.split(";", 1)[0].strip().lower()
        if tag.startswith("en"):
            return "en"
        if tag.startswith("zh"):
            return "zh"
    return "zh"


def lang_of_headers(headers: Iterable[tuple[bytes, bytes]]) -> Lang:
    for name, value in headers:
        if name == b"accept-language":
            return lang_of(value.decode("latin-1"))
    return "zh"


def pick(text: str, lang: Lang) -> str:
    """The caller's half of a ``"中文 / English"`` message; other text as it is."""
    if SEPARATOR not in text:
        return text
    zh, en = text.split(SEPARATOR, 1)
    if not zh.strip() or not en.strip():
        return text
    return en.strip() if lang == "en" else zh.strip()


def localize(value: Any, lang: Lang) -> Any:
    """``pick`` through the strings of an error's details (lists of reasons, nested dicts)."""
    if isinstance(value, str):
        return pick(value, lang)
    if isinstance(value, list):
        return [localize(v, lang) for v in value]
    if isinstance(value, dict):
        return {k: localize(v, lang) for k, v in value.items()}
    return value
