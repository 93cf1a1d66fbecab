"""A guard: warehouse SQL is declared as ``Query`` objects (``bankcrm.warehouse.sql``), never written as
a string at the call. A new module that passes SQL text to ``query``/``execute``/``scalar`` fails here."""

from __future__ import annotations

import re
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "bankcrm"
CALL = re.compile(
    r"""\.(query|execute|scalar)\(\s*f?["'](\s*)(SELECT|INSERT|UPDATE|DELETE|WITH|CREATE|DROP|ALTER|COPY)""", re.I
)
# Files allowed to hold engine SQL at the call, and why.
ALLOWED = {
    "warehouse/engines.py": "the engines' own bulk-load paths (DuckDB Arrow insert, PostgreSQL COPY)",
    "etl/loader.py": "the in-process staging in DuckDB (read_csv, validation, export): DuckDB-only by nature",
}


def offenders() -> list[str]:
    out = []
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC).as_posix()
        if rel in ALLOWED:
            continue
        text = path.read_text(encoding="utf-8")
        for m in CALL.finditer(text):
            if rel == "db.py" or "/migrations/" in f"/{rel}":
                continue  # the operational store (SQLAlchemy), not the warehouse
            line = text.count("\n", 0, m.start()) + 1
            out.append(f"{rel}:{line}")
    return out


def test_no_warehouse_sql_is_written_at_a_call() -> None:
    assert offenders() == []


def test_the_guard_sees_a_string_of_sql(tmp_path: Path) -> None:
    assert CALL.search('wh.query(f"SELECT x FROM t WHERE a = {b}")')
    assert CALL.search("tx.execute(\n    'DELETE FROM t')")
    assert not CALL.search("wh.query(ACCOUNTS, {'c': 1})")
