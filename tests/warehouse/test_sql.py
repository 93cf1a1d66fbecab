"""The portable layer: every declared warehouse query compiles for every engine it names (Spark
included) and parses back; lists and optional conditions are bound by the layer, never pasted."""

from __future__ import annotations

from datetime import date

import pytest
import sqlglot
from sqlglot import exp

from bankcrm.query import service as linked
from bankcrm.warehouse import Query, Warehouse, registered
from bankcrm.warehouse.sql import ALL_ENGINES, DIALECTS, READ_DIALECTS, column, cond, in_list

QUERIES = registered()


def test_the_registry_holds_the_warehouse_queries() -> None:
    names = {q.name for q in QUERIES}
    for expected in (
        "warehouse.table_exists",
        "snapshot.build.s_account_balance",
        "holdings.accounts",
        "query.accounts.page",
        "query.top_customers.by_npl",
        "identity.identities",
        "rejects.page",
        "tiers.set_tier",
        "etl.insert.etl_published",
        "customers.account_org",
    ):
        assert expected in names
    assert set(DIALECTS) == ALL_ENGINES == {"duckdb", "postgres", "spark"}


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: q.name)
def test_every_query_compiles_per_engine_and_parses_back(query: Query) -> None:
    assert query.engines, query.name
    portable = query.engines == ALL_ENGINES
    for engine in query.engines:
        sql = query.sql(engine)
        again = sqlglot.parse_one(sql, read=READ_DIALECTS[engine]).sql(dialect=DIALECTS[engine])
        # Read back, the statement settles: one more round trip changes nothing.
        assert sqlglot.parse_one(again, read=READ_DIALECTS[engine]).sql(dialect=DIALECTS[engine]) == again
        params = {p: [1, 2, 3] if _in_list(query, p) else 1 for p in query.parameters}
        compiled, bound = query.compile(engine, params)
        markers = sqlglot.parse_one(compiled, read=READ_DIALECTS[engine]).find_all(exp.Placeholder)
        assert set(bound) == {m.name for m in markers}  # every value bound, nothing pasted
    if not portable:
        # Only engine-specific statements by nature: DuckDB settings, PostgreSQL indexes.
        assert query.name.startswith(("warehouse.quiet", "snapshot.index.", "etl.index.")), query.name


def _in_list(query: Query, name: str) -> bool:
    return any(isinstance(p.parent, exp.In) for p in query.tree.find_all(exp.Placeholder) if p.name == name)


def test_spark_gets_the_linked_queries_with_every_optional_condition() -> None:
    w = linked.Where()
    w.add(in_list("c.org_id", "scope_ids"), scope_ids=[5, 6])
    for fragment, params in (
        ("b.open_on_date", {}),
        ("c.type = 'personal'", {}),
        ("b.open_date >= :open_from", {"open_from": date(2026, 1, 1)}),
        ("c.name LIKE :name ESCAPE '\\'", {"name": "%张%"}),
        ("coalesce(b.overdue_days, 0) > 0", {}),
    ):
        w.add(fragment, **params)
    w.add_in("b.product", "prod", ["SAV_YZT"])
    key = exp.Ordered(this=column(linked.SORTS["balance"]), desc=True, nulls_first=False)
    page = w.apply(linked.ACCOUNT_PAGE).order_by(key)
    sql, bound = page.compile("spark", w.params | {"n": 20, "o": 0})
    assert "LIKE :name ESCAPE '\\\\'" in sql and ":prod__0" in sql and "ORDER BY b.balance DESC" in sql
    assert bound["name"] == "%张%" and "张" not in sql
    sqlglot.parse_one(sql, read="spark")
    for by, top in linked.TOP_BY.items():
        sql, _ = w.apply(top, into="t").compile("spark", w.params | {"n": 10, "npl_classes": ["3", "4", "5"]})
        ranked = sqlglot.parse_one(sql, read="spark")
        cte = ranked.find(exp.CTE)
        assert cte is not None and "open_from" in cte.sql() and by in ranked.args["order"].sql()


def test_a_list_parameter_is_expanded_and_bound_for_every_engine() -> None:
    q = Query("test.list", "SELECT a FROM t WHERE id IN (:ids) AND kind = :k", register=False)
    duck, bound = q.compile("duckdb", {"ids": [7, 8, 9], "k": "x"})
    assert duck == "SELECT a FROM t WHERE id IN ($ids__0, $ids__1, $ids__2, $ids__3) AND kind = $k"
    assert bound == {"ids__0": 7, "ids__1": 8, "ids__2": 9, "ids__3": 9, "k": "x"}  # padded: the same set
    pg, _ = q.compile("postgres", {"ids": (1,), "k": "x"})
    assert pg == "SELECT a FROM t WHERE id IN (:ids__0) AND kind = :k"
    spark, _ = q.compile("spark", {"ids": [1, 2], "k": "x"})
    assert spark == "SELECT a FROM t WHERE id IN (:ids__0, :ids__1) AND kind = :k"
    # An empty list matches nothing (and NOT IN of nothing everything), on every engine.
    empty, bound = q.compile("postgres", {"ids": [], "k": "x"})
    assert empty == "SELECT a FROM t WHERE FALSE AND kind = :k" and bound == {"k": "x"}
    with pytest.raises(ValueError, match="needs values"):
        q.compile("duckdb", {"ids": [1]})
    bad = Query("test.bad_list", "SELECT a FROM t WHERE id = :ids", register=False)
    with pytest.raises(ValueError, match="IN"):
        bad.compile("duckdb", {"ids": [1, 2]})


def test_an_optional_condition_is_composed_not_concatenated() -> None:
    q = Query("test.optional", "SELECT a FROM t WHERE x = 1 OR y = 2", register=False)
    assert q.where(None) is q
    evil = "1 = 1; DROP TABLE t"
    with_filter = q.where(cond("t.name = :name"), in_list("t.org", "orgs"))
    sql, bound = with_filter.compile("postgres", {"name": evil, "orgs": [1]})
    # The declared OR keeps its parentheses; the value is a parameter, not text.
    assert sql == "SELECT a FROM t WHERE (x = 1 OR y = 2) AND t.name = :name AND t.org IN (:orgs__0)"
    assert bound == {"name": evil, "orgs__0": 1}
    assert q.sql() == "SELECT a FROM t WHERE x = 1 OR y = 2"  # the declared query is unchanged
    with pytest.raises(sqlglot.errors.ParseError):
        cond("1 = 1; DROP TABLE t")


def test_a_query_runs_only_on_the_engines_it_names(wh: Warehouse) -> None:
    pg_only = Query("test.pg_only", "SELECT 1", engines={"postgres"}, register=False)
    if wh.dialect == "duckdb":
        with pytest.raises(ValueError, match="does not run on duckdb"):
            wh.query(pg_only)
    else:
        assert wh.query(pg_only) == [(1,)]


def test_lists_and_values_are_bound_on_the_store(wh: Warehouse) -> None:
    wh.execute("CREATE TABLE t (id BIGINT, s VARCHAR)")
    evil = "x'); DROP TABLE t; --"
    wh.execute("INSERT INTO t VALUES (1, 'a'), (2, 'b'), (3, :s)", {"s": evil})
    q = Query("test.bound", "SELECT id FROM t WHERE id IN (:ids) OR s = :s ORDER BY id", register=False)
    assert wh.query(q, {"ids": [1, 2], "s": evil}) == [(1,), (2,), (3,)]
    assert wh.query(q, {"ids": [], "s": "none"}) == []
    assert wh.query(q, {"ids": list(range(2, 1000)), "s": "none"}) == [(2,), (3,)]
