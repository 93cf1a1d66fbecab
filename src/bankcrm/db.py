"""Operational store: SQLAlchemy engine, declarative base and sessions.

SQLite (embedded default) and PostgreSQL are both first-class; nothing here or in the
models may depend on one of them only.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, DateTime, Engine, MetaData, and_, create_engine, event, text
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


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # The sqlite3 module's own transaction handling breaks SAVEPOINT; let SQLAlchemy emit BEGIN.
    dbapi_connection.isolation_level = None
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.close()


def _sqlite_begin(conn: Any) -> None:
    conn.exec_driver_sql("BEGIN IMMEDIATE")


def make_engine(url: str, **kwargs: Any) -> Engine:
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 10}, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
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
