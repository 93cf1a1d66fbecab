"""Operational store: SQLAlchemy engine, declarative base and sessions.

SQLite (embedded default) and PostgreSQL are both first-class; nothing here or in the
models may depend on one of them only.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, Connection, DateTime, Engine, MetaData, and_, create_engine, event, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import DeclarativeBase, QueryableAttribute, Session, sessionmaker

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: DateTime(timezone=False)}


# How many threads serve requests, and so how many connections the pool keeps: a request never waits
# for a connection while a thread is free (the server sets anyio's thread limiter to the same number).
WORKER_THREADS = 40
# Connections beyond the workers: the ETL queue poller, the job runner, a CLI hand-off.
SPARE_CONNECTIONS = 8


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # The sqlite3 module's own transaction handling breaks SAVEPOINT; let SQLAlchemy emit BEGIN.
    dbapi_connection.isolation_level = None
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    # FULL: a commit is on disk when it returns (0.2 ms a commit here); the audit trail's checkpoints
    # outside the database must never be ahead of it after a power cut (decision 0023).
    cur.execute("PRAGMA synchronous=FULL")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.close()


# Statements that write: the first of them in a transaction takes SQLite's write lock.
_WRITE = re.compile(r"\s*(INSERT|UPDATE|DELETE|REPLACE|CREATE|DROP|ALTER|ANALYZE|PRAGMA\s+optimize)\b", re.I)
_WITH_WRITE = re.compile(r"\s*WITH\b.*\b(INSERT|UPDATE|DELETE)\b", re.I | re.S)
_MODE = "bankcrm_sqlite_txn"  # connection.info key: "read" (deferred, no lock yet) or "write"
_SAVEPOINTS = "bankcrm_sqlite_savepoints"


_CHANGES = "bankcrm_sqlite_changes"


def _total_changes(conn: Connection) -> int:
    raw = conn.connection.dbapi_connection
    return int(raw.total_changes) if raw is not None else 0


def _sqlite_begin(conn: Connection) -> None:
    """Every transaction starts deferred: readers take no lock and never wait for writers (WAL). The
    write lock is taken by the first write (``_sqlite_promote``), so a request holds it only from its
    first write to its commit, and a read-only request never holds it."""
    conn.exec_driver_sql("BEGIN")
    conn.info[_MODE] = "read"
    conn.info[_SAVEPOINTS] = 0
    conn.info[_CHANGES] = _total_changes(conn)


def _sqlite_promote(conn: Connection) -> None:
    """Turn a read transaction into a write transaction before its first write.

    SQLite cannot upgrade a deferred transaction that has read while another connection writes: it
    answers "database is locked" at once, without waiting (its busy handler is not called for an
    upgrade, to avoid deadlocks). So the read transaction is ended and ``BEGIN IMMEDIATE`` waits for
    the write lock as long as ``busy_timeout`` allows. What was read before stays valid as on
    PostgreSQL at READ COMMITTED (each statement sees what was committed before it); a read that a
    write depends on must come after ``write_lock`` (e.g. the audit chain's head). Inside a SAVEPOINT
    (tests' nested transactions) nothing is ended: SQLite upgrades in place, which is right when only
    one connection writes."""
    if conn.info.get(_MODE) != "read" or conn.info.get(_SAVEPOINTS):
        return
    raw = conn.connection.dbapi_connection
    assert raw is not None
    if raw.total_changes != conn.info.get(_CHANGES, raw.total_changes):
        # A write went by unrecognised (upgraded in place): ending the transaction here would commit it
        # alone. Stay in the (now write) transaction.
        conn.info[_MODE] = "write"
        return
    raw.execute("COMMIT")
    try:
        raw.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as e:
        raw.execute("BEGIN")  # keep a transaction open so the caller's rollback has one to end
        raise OperationalError("BEGIN IMMEDIATE", None, e) from e
    conn.info[_MODE] = "write"


def _sqlite_before_cursor_execute(
    conn: Connection, _cursor: Any, statement: str, _params: Any, _context: Any, _many: bool
) -> None:
    if conn.info.get(_MODE) == "read" and (_WRITE.match(statement) or _WITH_WRITE.match(statement)):
        _sqlite_promote(conn)


def _sqlite_savepoint(conn: Connection, _name: str) -> None:
    conn.info[_SAVEPOINTS] = conn.info.get(_SAVEPOINTS, 0) + 1


def _sqlite_savepoint_end(conn: Connection, _name: str, _context: Any = None) -> None:
    conn.info[_SAVEPOINTS] = max(0, conn.info.get(_SAVEPOINTS, 0) - 1)


def _sqlite_end(conn: Connection) -> None:
    conn.info.pop(_MODE, None)
    conn.info.pop(_SAVEPOINTS, None)
    conn.info.pop(_CHANGES, None)


def write_lock(db: Session) -> None:
    """Make sure the session's transaction holds the write lock before a read that a following write
    depends on (read-modify-write of a shared row). SQLite: take the write lock now; PostgreSQL: a no-op
    (lock the row itself with ``SELECT ... FOR UPDATE``)."""
    conn = db.connection()
    if conn.dialect.name == "sqlite":
        _sqlite_promote(conn)


def make_engine(url: str, **kwargs: Any) -> Engine:
    kwargs.setdefault("pool_size", WORKER_THREADS)
    kwargs.setdefault("max_overflow", SPARE_CONNECTIONS)
    kwargs.setdefault("pool_timeout", 30)
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 10}, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        event.listen(engine, "before_cursor_execute", _sqlite_before_cursor_execute)
        event.listen(engine, "savepoint", _sqlite_savepoint)
        event.listen(engine, "release_savepoint", _sqlite_savepoint_end)
        event.listen(engine, "rollback_savepoint", _sqlite_savepoint_end)
        event.listen(engine, "commit", _sqlite_end)
        event.listen(engine, "rollback", _sqlite_end)
        return engine
    return create_engine(url, pool_pre_ping=True, **kwargs)


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False, autoflush=True)


@contextmanager
def session_scope(factory: sessionmaker[Session]) -> Iterator[Session]:
    """A unit of work outside HTTP (CLI, jobs): commit on success, roll back on error."""
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


MAX_CODE_POINT = 0x10FFFF
SURROGATES = range(0xD800, 0xE000)  # not characters: no stored text holds them


def prefix_upper_bound(text: str) -> str | None:
    """The least string greater than every string starting with ``text`` in code-point order: the text
    with its last character incremented (past the surrogates, after dropping trailing U+10FFFF); None
    when there is none (the text is empty or all U+10FFFF: everything from it on starts with it)."""
    stem = text.rstrip(chr(MAX_CODE_POINT))
    if not stem:
        return None
    nxt = ord(stem[-1]) + 1
    if nxt in SURROGATES:
        nxt = SURROGATES.stop
    return stem[:-1] + chr(nxt)


def prefix_range(column: ColumnElement[str] | QueryableAttribute[str], text: str, dialect: str) -> ColumnElement[bool]:
    """``column`` starts with ``text``, as a range an index serves: [text, ``prefix_upper_bound``).
    Exact in code-point order: SQLite's binary collation, PostgreSQL's "C" collation (the
    ``ix_customer_name`` index is built in it)."""
    col = column.collate("C") if dialect == "postgresql" else column
    upper = prefix_upper_bound(text)
    return and_(col >= text, col < upper) if upper is not None else col >= text


def refresh_statistics(db: Session, tables: tuple[str, ...]) -> None:
    """Let the planner know what a bulk change did. PostgreSQL's autovacuum analyzes a table some time
    after it changed; until then a first load of a million customers is planned as an empty table (a
    parallel scan where one index lookup would do). SQLite gathers what it lacks with ``optimize``."""
    if db.get_bind().dialect.name == "postgresql":
        db.execute(text("ANALYZE " + ", ".join(tables)))
    else:
        db.execute(text("PRAGMA optimize"))
    db.commit()


def contains_pattern(text: str) -> str:
    """A LIKE pattern matching ``text`` anywhere, with LIKE's wildcards taken literally (escape '\\')."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
