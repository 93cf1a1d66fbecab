"""``db.prefix_upper_bound``: the range that means "starts with" in code-point order."""

from __future__ import annotations

from bankcrm.db import prefix_upper_bound


def _starts_with_exactly(prefix: str, candidates: list[str]) -> None:
    upper = prefix_upper_bound(prefix)
    for s in candidates:
        inside = s >= prefix and (upper is None or s < upper)
        assert inside == s.startswith(prefix), (prefix, s, upper)


def test_the_range_holds_exactly_the_strings_that_start_with_the_text() -> None:
    top = chr(0x10FFFF)
    candidates = [
        "王",
        "王五",
        "王" + top,
        "王" + top + "x",
        "玌",
        "鑫B",
        "\ue000z",
        "\ud7ff",
        "\ud7ffa",
        top,
        top + top,
        "a",
    ]
    for prefix in ("王", "王" + top, "\ud7ff", top, top + top, "a", "王%", "Wang"):
        _starts_with_exactly(prefix, candidates)


def test_bounds() -> None:
    assert prefix_upper_bound("王") == "玌"
    assert prefix_upper_bound("\ud7ff") == "\ue000"  # past the surrogates, which no text holds
    assert prefix_upper_bound("王" + chr(0x10FFFF)) == "玌"
    assert prefix_upper_bound(chr(0x10FFFF)) is None
    assert prefix_upper_bound("") is None
