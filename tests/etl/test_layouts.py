"""The feed layouts are consistent, and docs/feeds.md is generated from them."""

from __future__ import annotations

from pathlib import Path

from bankcrm.etl.feeds_doc import render
from bankcrm.etl.layouts import FEEDS, SYSTEMS

DOC = Path(__file__).resolve().parents[2] / "docs" / "feeds.md"


def test_feeds_doc_is_current() -> None:
    assert DOC.read_text(encoding="utf-8") == render(), "run `bankcrm feeds doc > docs/feeds.md`"


def test_layouts_are_consistent() -> None:
    codes = [f.code for f in FEEDS]
    assert len(codes) == len(set(codes))
    for f in FEEDS:
        names = [c.name for c in f.columns]
        assert len(names) == len(set(names)), f.code
        assert set(f.key) <= set(names), f.code
        assert f.amount is None or f.amount in names, f.code
        assert f.system in SYSTEMS
        for c in f.columns:
            assert (c.type == "code") == bool(c.codes), (f.code, c.name)
            if c.check == "id_no":
                assert "id_type" in names, f.code
    # Every system says which org codes it uses.
    assert {f.system for f in FEEDS if f.name == "org"} == set(SYSTEMS)
