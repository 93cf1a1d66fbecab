"""The analytical store (the warehouse) behind one interface: embedded DuckDB by default, PostgreSQL
when ``BANKCRM_WAREHOUSE_URL`` names one.

Queries are ``sql.Query`` objects, written once in PostgreSQL's dialect and compiled by SQLGlot for the
engine (``dialect``); values are always bound by the driver. A plain string is taken as the engine's
own SQL with ``:name`` parameters: for tests and ad hoc reads only (a test forbids SQL strings in the
product's code outside this package and the declared queries). Files are parsed and validated by
DuckDB in both cases (it is the ETL's vectorised engine); publishing uses each store's native path:
``INSERT ... SELECT`` from the staging tables on the same DuckDB database, ``COPY ... FROM STDIN``
into PostgreSQL, in one transaction either way. See docs/decisions/0008-warehouse-backends.md (and Spark there).

Only one process may write a DuckDB file: the server's job runner, or the CLI while no server runs.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal

import duckdb
import pyarrow as pa  # type: ignore[import-untyped]
from sqlalchemy import Connection, Engine, text

from bankcrm.config import Settings, get_settings
from bankcrm.warehouse.sql import Query

Params = Mapping[str, Any] | None
Statement = Query | str
_PARAM = re.compile(r"(?<![:\w]):([A-Za-z_]\w*)")


# DuckDB draws a progress bar on the terminal for statements past two seconds (loads, snapshot
# builds): noise in a server's output. A per-connection setting.
QUIET = Query("warehouse.quiet", "SET enable_progress_bar = false", engines={"duckdb"}, read="duckdb")
TABLE_EXISTS = Query(
    "warehouse.table_exists",
    "SELECT count(*) FROM information_schema.tables WHERE table_name = :t AND table_schema = current_schema()",
)
# The bulk-load fast paths, engine-specific by nature (names from code, quoted; the path checked).
DUCK_INSERT_ROWS = "INSERT INTO {table} ({cols}) SELECT {cols} FROM rows_in"  # DuckDB: an Arrow table
DUCK_EXPORT_CSV = "COPY rows_in TO '{path}' (FORMAT csv, HEADER false)"  # DuckDB: a file for COPY below
PG_COPY_CSV = "COPY {table} ({cols}) FROM STDIN (FORMAT csv)"  # PostgreSQL: COPY from the client
BULK_PATHS = {"duckdb": (DUCK_INSERT_ROWS, DUCK_EXPORT_CSV), "postgres": (PG_COPY_CSV,)}
"""Engine-specific statements that stay outside the portable layer (declared here, used only here)."""


def _native(engine: str, statement: Statement, params: Params) -> tuple[str, dict[str, Any]]:
    if isinstance(statement, Query):
        return statement.compile(engine, params)
    return statement, dict(params or {})


class Warehouse:
    """What the ETL, the batch steps and the API need from the analytical store."""

    dialect: Literal["duckdb", "postgres"]

    def query(self, sql: Statement, params: Params = None) -> list[tuple[Any, ...]]:
        raise NotImplementedError

    def scalar(self, sql: Statement, params: Params = None) -> Any:
        rows = self.query(sql, params)
        return rows[0][0] if rows else None

    def execute(self, sql: Statement, params: Params = None) -> None:
        raise NotImplementedError

    @contextmanager
    def transaction(self) -> Iterator[Warehouse]:
        """A handle whose statements commit together (or not at all)."""
        raise NotImplementedError
        yield self  # pragma: no cover

    @contextmanager
    def staging(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """The DuckDB connection on which files are parsed and validated into temp tables."""
        raise NotImplementedError
        yield duckdb.connect()  # pragma: no cover

    def copy_rows(self, table: str, columns: Sequence[str], data: pa.Table) -> None:
        """Append an Arrow table's rows (inside the caller's transaction)."""
        raise NotImplementedError

    def table_exists(self, name: str) -> bool:
        # In the store's own schema only: on PostgreSQL another schema of the database may hold a table of
        # the same name (a second installation, a test's scratch schema).
        return bool(self.scalar(TABLE_EXISTS, {"t": name}))

    def reader(self) -> Warehouse:
        """A handle for one request or job (DuckDB: a cursor of the shared connection)."""
        return self

    def close(self) -> None:
        raise NotImplementedError


class DuckWarehouse(Warehouse):
    dialect = "duckdb"

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con

    def _sql(self, statement: Statement, params: Params) -> tuple[str, dict[str, Any]]:
        if isinstance(statement, Query):
            return statement.compile(self.dialect, params)
        return _PARAM.sub(r"$\1", statement), dict(params or {})

    def query(self, sql: Statement, params: Params = None) -> list[tuple[Any, ...]]:
        return self.con.execute(*self._sql(sql, params)).fetchall()

    def execute(self, sql: Statement, params: Params = None) -> None:
        self.con.execute(*self._sql(sql, params))

    @contextmanager
    def transaction(self) -> Iterator[Warehouse]:
        self.con.execute("BEGIN TRANSACTION")
        try:
            yield self
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        self.con.execute("COMMIT")

    @contextmanager
    def staging(self) -> Iterator[duckdb.DuckDBPyConnection]:
        yield self.con

    def copy_rows(self, table: str, columns: Sequence[str], data: pa.Table) -> None:
        self.con.register("rows_in", data)
        try:
            cols = ", ".join(f'"{c}"' for c in columns)
            self.con.execute(DUCK_INSERT_ROWS.format(table=table, cols=cols))
        finally:
            self.con.unregister("rows_in")

    def reader(self) -> Warehouse:
        return DuckWarehouse(self.con.cursor())

    def close(self) -> None:
        self.con.close()


class PgWarehouse(Warehouse):
    """PostgreSQL through a pooled SQLAlchemy engine (psycopg 3)."""

    dialect = "postgres"

    def __init__(self, engine: Engine, *, conn: Connection | None = None, temp_dir: Path | None = None) -> None:
        self.engine = engine
        self._conn = conn
        self.temp_dir = temp_dir

    def _run(self, statement: Statement, params: Params, fetch: bool) -> list[tuple[Any, ...]]:
        sql, bound = _native(self.dialect, statement, params)
        if self._conn is not None:
            res = self._conn.execute(text(sql), bound)
            return [tuple(r) for r in res] if fetch else []
        with self.engine.begin() as conn:
            res = conn.execute(text(sql), bound)
            return [tuple(r) for r in res] if fetch else []

    def query(self, sql: Statement, params: Params = None) -> list[tuple[Any, ...]]:
        return self._run(sql, params, True)

    def execute(self, sql: Statement, params: Params = None) -> None:
        self._run(sql, params, False)

    @contextmanager
    def transaction(self) -> Iterator[Warehouse]:
        if self._conn is not None:
            with self._conn.begin_nested():
                yield self
            return
        with self.engine.begin() as conn:
            yield PgWarehouse(self.engine, conn=conn, temp_dir=self.temp_dir)

    @contextmanager
    def staging(self) -> Iterator[duckdb.DuckDBPyConnection]:
        with tempfile.TemporaryDirectory(prefix="bankcrm-stage-", dir=self.temp_dir) as tmp:
            con = duckdb.connect(config={"temp_directory": tmp})
            con.execute(QUIET.sql("duckdb"))
            try:
                yield con
            finally:
                con.close()

    def copy_rows(self, table: str, columns: Sequence[str], data: pa.Table) -> None:
        assert self._conn is not None, "copy_rows runs inside transaction()"
        con = duckdb.connect()
        try:
            con.register("rows_in", data)
            with tempfile.NamedTemporaryFile(suffix=".csv", dir=self.temp_dir) as fh:
                con.execute(DUCK_EXPORT_CSV.format(path=safe_path(fh.name)))
                self.copy_csv(table, columns, Path(fh.name))
        finally:
            con.close()

    def copy_csv(self, table: str, columns: Sequence[str], path: Path) -> None:
        """Stream a headerless CSV file (empty unquoted field = NULL) into the table with COPY."""
        assert self._conn is not None, "copy_csv runs inside transaction()"
        cols = ", ".join(f'"{c}"' for c in columns)
        raw = self._conn.connection.driver_connection
        sql = PG_COPY_CSV.format(table=table, cols=cols)
        with raw.cursor() as cur, cur.copy(sql) as copy, path.open("rb") as fh:  # type: ignore[union-attr]
            while chunk := fh.read(1 << 20):
                copy.write(chunk)

    def close(self) -> None:
        if self._conn is None:
            self.engine.dispose()


def safe_path(path: str | Path) -> str:
    s = str(path)
    if "'" in s:
        raise ValueError(f"temporary path must not contain a quote: {s!r}")
    return s


def warehouse_path(settings: Settings | None = None) -> Path:
    s = settings or get_settings()
    return s.warehouse_path or (s.var_dir / "warehouse.duckdb")


def connect(settings: Settings | None = None, *, read_only: bool = False) -> Warehouse:
    s = settings or get_settings()
    if s.warehouse_url:
        from bankcrm.db import make_engine

        (s.var_dir).mkdir(parents=True, exist_ok=True)
        return PgWarehouse(make_engine(s.warehouse_url), temp_dir=s.var_dir)
    path = warehouse_path(s)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        con = duckdb.connect(str(path), read_only=read_only)
    except duckdb.IOException as e:
        raise RuntimeError(
            f"数据仓库 {path} 正被其他进程使用（服务器运行时请在界面中发起加载）/ the warehouse {path} is in use "
            f"by another process: while the server runs, start loads from it ({e})"
        ) from None
    con.execute(QUIET.sql("duckdb"))
    return DuckWarehouse(con)
