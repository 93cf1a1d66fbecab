"""``db``: the range that means "starts with" in code-point order; SQLite's locking as the server uses it."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from sqlalchemy import Engine, text

from bankcrm.db import WORKER_THREADS, make_engine, make_sessionmaker, prefix_upper_bound, write_lock


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


# -- SQLite: readers take no lock, a write waits for the lock instead of failing (ARC-4) ---------------


def _sqlite(tmp_path: Path) -> Engine:
    engine = make_engine(f"sqlite:///{tmp_path / 'locks.sqlite3'}")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER)"))
        conn.execute(text("INSERT INTO t VALUES (1, 0)"))
    return engine


def test_a_reader_is_not_held_by_a_writer(tmp_path: Path) -> None:
    engine = _sqlite(tmp_path)
    writer = engine.connect()
    writer.begin()
    writer.execute(text("UPDATE t SET v = 1"))  # holds the write lock, uncommitted
    factory = make_sessionmaker(engine)
    with factory() as db:
        # A read-only unit of work neither waits nor fails while another holds the write lock.
        assert db.execute(text("SELECT v FROM t")).scalar_one() == 0
        db.commit()
    writer.rollback()
    writer.close()
    engine.dispose()


def test_a_write_after_a_read_waits_for_the_lock_instead_of_failing(tmp_path: Path) -> None:
    """The request that read first and writes later (the audit of a view, a session touch) used to fail
    with "database is locked" whenever another connection had written since its read: SQLite does not
    wait to upgrade a read transaction. It now waits for the write lock."""
    engine = _sqlite(tmp_path)
    factory = make_sessionmaker(engine)
    released = threading.Event()

    def other_writer() -> None:
        with engine.connect() as conn:
            conn.begin()
            conn.execute(text("UPDATE t SET v = v + 10"))
            released.wait(timeout=30)
            conn.commit()

    with factory() as db:
        assert db.execute(text("SELECT v FROM t")).scalar_one() == 0  # a read transaction is open
        t = threading.Thread(target=other_writer)
        t.start()
        # Wait until the other connection holds the write lock (a plain BEGIN IMMEDIATE would now fail).
        probe = sqlite3.connect(tmp_path / "locks.sqlite3", timeout=0)
        while True:
            try:
                probe.execute("BEGIN IMMEDIATE")
                probe.execute("ROLLBACK")
            except sqlite3.OperationalError:
                break
        probe.close()
        threading.Timer(0.2, released.set).start()
        db.execute(text("UPDATE t SET v = v + 1"))  # waits for the other writer, then writes
        db.commit()
        t.join()
    with engine.connect() as conn:
        assert conn.execute(text("SELECT v FROM t")).scalar_one() == 11  # neither write lost
    engine.dispose()


def test_write_lock_then_read_sees_the_latest_commit(tmp_path: Path) -> None:
    """``write_lock`` before a read-modify-write: the read sees what others committed after this
    transaction's first read (the audit chain's head depends on it)."""
    engine = _sqlite(tmp_path)
    factory = make_sessionmaker(engine)
    with factory() as db:
        assert db.execute(text("SELECT v FROM t")).scalar_one() == 0
        with engine.begin() as other:
            other.execute(text("UPDATE t SET v = 5"))
        write_lock(db)
        assert db.execute(text("SELECT v FROM t")).scalar_one() == 5
        db.execute(text("UPDATE t SET v = v + 1"))
        db.commit()
    with engine.connect() as conn:
        assert conn.execute(text("SELECT v FROM t")).scalar_one() == 6
    engine.dispose()


def test_the_pool_holds_a_connection_per_worker_thread(tmp_path: Path) -> None:
    engine = _sqlite(tmp_path)
    assert engine.pool.size() >= WORKER_THREADS  # type: ignore[attr-defined]
    engine.dispose()
