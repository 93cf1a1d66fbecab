"""The analytical store interface behaves the same on DuckDB and on PostgreSQL."""

from __future__ import annotations

from datetime import date

import pyarrow as pa  # type: ignore[import-untyped]
import pytest

from bankcrm.warehouse import Warehouse

from .conftest import TEST_DB_URL


def test_the_suite_runs_on_the_engine_it_names(wh: Warehouse) -> None:
    assert wh.dialect == ("postgres" if TEST_DB_URL else "duckdb")


def test_named_parameters_are_bound_not_pasted(wh: Warehouse) -> None:
    wh.execute("CREATE TABLE t (d DATE, s VARCHAR)")
    evil = "x'); DROP TABLE t; --"
    wh.execute("INSERT INTO t VALUES (:d, :s)", {"d": date(2026, 1, 5), "s": evil})
    assert wh.query("SELECT CAST(d AS VARCHAR)::VARCHAR, s FROM t WHERE s = :s", {"s": evil}) == [("2026-01-05", evil)]


def test_a_failed_transaction_leaves_nothing(wh: Warehouse) -> None:
    wh.execute("CREATE TABLE t (n BIGINT, s VARCHAR)")
    with pytest.raises(RuntimeError), wh.transaction() as tx:
        tx.execute("INSERT INTO t VALUES (1, 'a')")
        tx.copy_rows("t", ("n", "s"), pa.table({"n": [2, 3], "s": ["b", None]}))
        assert tx.scalar("SELECT count(*) FROM t") == 3  # visible inside
        raise RuntimeError("boom")
    assert wh.scalar("SELECT count(*) FROM t") == 0
    with wh.transaction() as tx:
        tx.copy_rows("t", ("n", "s"), pa.table({"n": [2, 3], "s": ["b", None]}))
    assert wh.query("SELECT n, s FROM t ORDER BY n") == [(2, "b"), (3, None)]
    assert wh.table_exists("t") and not wh.table_exists("nope")
