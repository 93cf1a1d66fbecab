"""Identity-number checks (pure functions)."""

from __future__ import annotations

import pytest

from bankcrm.idnumbers import (
    is_valid_resident_id,
    is_valid_uscc,
    normalize_resident_id,
    upgrade_15_to_18,
)


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("11010519491231002X", True),
        ("11010519491231002x", True),
        ("110105194912310021", False),  # wrong check digit
        ("110105194913310020", False),  # month 13
        ("11010519491231002", False),
        ("", False),
    ],
)
def test_resident_id(value: str, ok: bool) -> None:
    assert is_valid_resident_id(value) is ok


def test_fifteen_to_eighteen() -> None:
    assert upgrade_15_to_18("110105491231002") == "11010519491231002X"
    assert normalize_resident_id("110105491231002") == "11010519491231002X"
    assert normalize_resident_id("110105491331002") is None


@pytest.mark.parametrize(
    ("value", "ok"), [("91350100M000100Y43", True), ("91350100M000100Y44", False), ("9135010OM000100Y43", False)]
)
def test_uscc(value: str, ok: bool) -> None:
    assert is_valid_uscc(value) is ok
