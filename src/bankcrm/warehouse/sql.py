"""The portable analytical layer: every warehouse query is written once, in PostgreSQL's dialect (the
canonical one), with ``:name`` parameters, and compiled by SQLGlot for the engine that runs it
(``duckdb``, ``postgres``, later ``spark``). See docs/decisions/0024-one-portable-analytical-layer.md.

* A ``Query`` is declared once at module level (name, SQL) and lands in ``REGISTRY``, so a test can
  compile every one of them for every engine.
* Values are never pasted: each engine binds them natively (DuckDB ``$name``, PostgreSQL ``:name``
  through SQLAlchemy's ``text()`` and psycopg, Spark ``:name`` markers).
* A list or tuple value (an ``IN (:ids)`` list) is expanded by the layer into ``:ids__0, :ids__1, ...``,
  padded to a power of two (repeating the last value: the same set) so that few shapes are compiled;
  an empty list turns the ``IN`` into ``FALSE``. No caller expands a list by hand.
* Optional conditions and a chosen sort are composed with SQLGlot's expression builder
  (``Query.where`` / ``Query.order_by`` with ``cond()`` fragments written in code), never by
  concatenating text.
* Statements that only one engine can run (DuckDB's file reader and in-process staging, PostgreSQL's
  indexes) are declared with ``engines=`` and, when written in DuckDB's own dialect, ``read="duckdb"``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Literal

import sqlglot
from sqlglot import exp
from sqlglot.dialects.duckdb import DuckDB
from sqlglot.dialects.postgres import Postgres
from sqlglot.dialects.spark import Spark
from sqlglot.errors import ErrorLevel

EngineName = Literal["duckdb", "postgres", "spark"]
CANONICAL: EngineName = "postgres"
ALL_ENGINES: frozenset[str] = frozenset({"duckdb", "postgres", "spark"})
LIST_TYPES = (list, tuple, set, frozenset)


class _PostgresText(Postgres):
    """PostgreSQL as SQLAlchemy's ``text()`` takes it: ``:name`` markers (bound by psycopg)."""

    class Generator(Postgres.Generator):  # type: ignore[misc,valid-type]
        def placeholder_sql(self, expression: exp.Placeholder) -> str:
            return f":{expression.name}"


class _Spark(Spark):
    """Spark SQL with named parameter markers (``:name``, Spark 3.4+)."""

    class Generator(Spark.Generator):  # type: ignore[misc,valid-type]
        def placeholder_sql(self, expression: exp.Placeholder) -> str:
            return f":{expression.name}"


DIALECTS: dict[str, type[sqlglot.Dialect]] = {"duckdb": DuckDB, "postgres": _PostgresText, "spark": _Spark}
"""How each engine's SQL is written. A new engine is a new entry here plus its class in engines.py."""

READ_DIALECTS: dict[str, str] = {"duckdb": "duckdb", "postgres": "postgres", "spark": "spark"}
"""How the compiled SQL of each engine is parsed back (tests)."""

REGISTRY: dict[str, Query] = {}


def cond(sql: str) -> exp.Expression:
    """A condition fragment written in code (canonical dialect, ``:name`` parameters), for
    ``Query.where``. Never pass user input here: values go in as parameters."""
    return exp.condition(sql, dialect=CANONICAL)  # type: ignore[return-value]


def column(name: str) -> exp.Column:
    """A column reference (``alias.name`` or ``name``) from a name chosen in code (a Literal, a map)."""
    return exp.column(*reversed(name.split(".")))


def in_list(column_name: str, param: str) -> exp.Expression:
    """``column IN (:param)`` for a list value (expanded and bound by ``Query.compile``)."""
    return column(column_name).isin(exp.Placeholder(this=param))


def always() -> exp.Expression:
    return exp.true()


def never() -> exp.Expression:
    return exp.false()


Condition = tuple[exp.Expression, dict[str, Any]]
"""A condition built in code with the values it binds (``auth.scope``'s warehouse conditions)."""


def _bucket(n: int) -> int:
    size = 1
    while size < n:
        size *= 2
    return size


class Query:
    """One warehouse statement, declared once and compiled per engine (cached per list shape)."""

    def __init__(
        self,
        name: str,
        sql: str | exp.Expression,
        *,
        engines: Iterable[str] = ALL_ENGINES,
        read: str = CANONICAL,
        register: bool = True,
    ) -> None:
        self.name = name
        self.read = read
        self.engines = frozenset(engines)
        unknown = self.engines - set(DIALECTS)
        if unknown:
            raise ValueError(f"{name}: unknown engines {sorted(unknown)}")
        if isinstance(sql, exp.Expression):
            self.tree = sql
        else:
            parsed = sqlglot.parse(sql, read=read, error_level=ErrorLevel.RAISE)
            if len(parsed) != 1 or parsed[0] is None:
                raise ValueError(f"{name}: one statement per query")
            self.tree = parsed[0]  # type: ignore[assignment]
        self._cache: dict[tuple[str, tuple[tuple[str, int], ...]], str] = {}
        if register:
            if name in REGISTRY:
                raise ValueError(f"warehouse query {name!r} is declared twice")
            REGISTRY[name] = self

    def __repr__(self) -> str:
        return f"Query({self.name!r})"

    @property
    def parameters(self) -> set[str]:
        return {p.name for p in self.tree.find_all(exp.Placeholder)}

    def _derive(self, tree: exp.Expression) -> Query:
        return Query(self.name, tree, engines=self.engines, read=self.read, register=False)

    def where(self, *conditions: exp.Expression | None, into: str | None = None) -> Query:
        """This query with the conditions (``None`` skipped) ANDed to its WHERE, or to the WHERE of
        its common table expression ``into``. The conditions are copied (fragments may be shared)."""
        present = [c.copy() for c in conditions if c is not None]
        if not present:
            return self
        tree = self.tree.copy()
        target = tree
        if into is not None:
            ctes = [c for c in tree.find_all(exp.CTE) if c.alias == into]
            if len(ctes) != 1:
                raise ValueError(f"{self.name}: no common table expression {into!r}")
            target = ctes[0].this
        if not isinstance(target, exp.Select):
            raise TypeError(f"{self.name}: conditions are added to a SELECT")
        target.where(*present, copy=False)
        return self._derive(tree)

    def order_by(self, *keys: exp.Expression, limit: exp.Expression | None = None) -> Query:
        """This query with the sort keys (``exp.Ordered`` built from names chosen in code) put first."""
        tree = self.tree.copy()
        if not isinstance(tree, exp.Select):
            raise TypeError(f"{self.name}: a sort applies to a SELECT")
        old = tree.args.get("order")
        rest = list(old.expressions) if old is not None else []
        tree.set("order", exp.Order(expressions=[*keys, *rest]))
        return self._derive(tree)

    def compile(self, engine: str, params: Mapping[str, Any] | None = None) -> tuple[str, dict[str, Any]]:
        """The engine's SQL and the values to bind with it. Every parameter of the query must be given."""
        if engine not in self.engines:
            raise ValueError(f"warehouse query {self.name!r} does not run on {engine}")
        params = dict(params or {})
        needed = self.parameters
        lists = {k: v for k, v in params.items() if k in needed and isinstance(v, LIST_TYPES)}
        shape = tuple(sorted((k, _bucket(len(v)) if v else 0) for k, v in lists.items()))
        missing = needed - set(params)
        if missing:
            raise ValueError(f"warehouse query {self.name!r} needs values for {sorted(missing)}")
        key = (engine, shape)
        sql = self._cache.get(key)
        if sql is None:
            sql = self._cache[key] = self._generate(engine, dict(shape))
        bound: dict[str, Any] = {}
        for k in needed:
            v = params[k]
            if k in lists:
                values = sorted(v, key=repr) if isinstance(v, set | frozenset) else list(v)
                for i in range(_bucket(len(values)) if values else 0):
                    bound[f"{k}__{i}"] = values[min(i, len(values) - 1)]
            else:
                bound[k] = v
        return sql, bound

    def _generate(self, engine: str, lists: Mapping[str, int]) -> str:
        tree = self.tree
        if lists:
            tree = tree.copy()
            for ph in list(tree.find_all(exp.Placeholder)):
                if ph.name not in lists:
                    continue
                parent = ph.parent
                if not isinstance(parent, exp.In) or len(parent.expressions) != 1:
                    raise ValueError(f"{self.name}: list parameter :{ph.name} must stand alone in IN (...)")
                size = lists[ph.name]
                if size == 0:
                    parent.replace(exp.false())
                else:
                    parent.set("expressions", [exp.Placeholder(this=f"{ph.name}__{i}") for i in range(size)])
        return tree.sql(dialect=DIALECTS[engine], unsupported_level=ErrorLevel.RAISE)

    def sql(self, engine: str = CANONICAL) -> str:
        """The statement as written for the engine (lists not expanded), for reading and tests."""
        return self.tree.sql(dialect=DIALECTS[engine], unsupported_level=ErrorLevel.RAISE)


def registered(engine: str | None = None) -> list[Query]:
    """Every declared warehouse query (those that run on ``engine`` when one is named). The modules
    declaring them are imported first, so that the list is complete whoever asks."""
    import_all()
    return [q for q in REGISTRY.values() if engine is None or engine in q.engines]


QUERY_MODULES = (
    "bankcrm.warehouse.engines",
    "bankcrm.etl.loader",
    "bankcrm.etl.snapshot",
    "bankcrm.etl.identity",
    "bankcrm.etl.rejects",
    "bankcrm.etl.service",
    "bankcrm.customers.holdings",
    "bankcrm.customers.tiers",
    "bankcrm.customers.service",
    "bankcrm.query.service",
    "bankcrm.auth.scope",
)


def import_all() -> None:
    import importlib

    for m in QUERY_MODULES:
        importlib.import_module(m)
