"""Test set-up: one schema per run (SQLite file or a scratch PostgreSQL schema), each test in a
transaction that is rolled back, an injectable clock, and cheap Argon2 parameters.

``BANKCRM_TEST_DATABASE_URL=postgresql+psycopg://...`` runs the whole suite on PostgreSQL.
"""

from __future__ import annotations

import os

# Cheap hashing for tests only (set before bankcrm reads its settings).
os.environ.setdefault("BANKCRM_ARGON2_TIME_COST", "1")
os.environ.setdefault("BANKCRM_ARGON2_MEMORY_KIB", "256")
os.environ.setdefault("BANKCRM_ARGON2_PARALLELISM", "1")
os.environ.setdefault("BANKCRM_LOG_JSON", "true")
# Tests commit inside transactions that are rolled back: checkpoints of records that never persist
# would be anchored. The anchor's own tests turn it on with a path of their own.
os.environ.setdefault("BANKCRM_AUDIT_ANCHOR", "off")

import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Connection, Engine, text
from sqlalchemy.orm import Session, sessionmaker

from bankcrm import migrate
from bankcrm.api.app import create_app
from bankcrm.clock import FrozenClock
from bankcrm.config import Settings
from bankcrm.db import make_engine
from bankcrm.jobs import InlineJobs
from bankcrm.system.seed import bootstrap
from bankcrm.warehouse import Warehouse, connect

from .builders import Bank, make_bank

TEST_DB_URL = os.environ.get("BANKCRM_TEST_DATABASE_URL", "")


def pytest_report_header() -> str:
    where = "PostgreSQL " + TEST_DB_URL if TEST_DB_URL else "SQLite + DuckDB (embedded)"
    return f"bankcrm operational and analytical stores: {where}"


def new_engine(tmp_dir: Path) -> tuple[Engine, str | None]:
    """A fresh, empty database: a SQLite file, or a scratch schema on PostgreSQL."""
    if TEST_DB_URL:
        schema = f"t_{secrets.token_hex(6)}"
        admin = make_engine(TEST_DB_URL)
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        admin.dispose()
        return make_engine(TEST_DB_URL, connect_args={"options": f"-csearch_path={schema}"}), schema
    return make_engine(f"sqlite:///{tmp_dir / 'test.sqlite3'}"), None


def drop_engine(engine: Engine, schema: str | None) -> None:
    engine.dispose()
    if schema:
        admin = make_engine(TEST_DB_URL)
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def warehouse_settings(tmp_path: Path) -> Iterator[dict[str, object]]:
    """Settings for a fresh analytical store: a DuckDB file, or a scratch schema on PostgreSQL when the
    suite runs there (so the warehouse code is tested on both engines)."""
    if not TEST_DB_URL:
        yield {"warehouse_path": tmp_path / "wh.duckdb"}
        return
    schema = f"w_{secrets.token_hex(6)}"
    admin = make_engine(TEST_DB_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in TEST_DB_URL else "?"
    yield {"warehouse_url": f"{TEST_DB_URL}{sep}options=-csearch_path%3D{schema}"}
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture
def wh(warehouse_settings: dict[str, object], tmp_path: Path) -> Iterator[Warehouse]:
    w = connect(Settings(var_dir=tmp_path / "var", **warehouse_settings))  # type: ignore[arg-type]
    yield w
    w.close()


@pytest.fixture(scope="session")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    eng, schema = new_engine(tmp_path_factory.mktemp("db"))
    migrate.upgrade(eng)
    with Session(eng) as db:
        bootstrap(db)
        db.commit()
    yield eng
    drop_engine(eng, schema)


@pytest.fixture
def connection(engine: Engine) -> Iterator[Connection]:
    conn = engine.connect()
    trans = conn.begin()
    yield conn
    trans.rollback()
    conn.close()


@pytest.fixture
def session_factory(connection: Connection) -> sessionmaker[Session]:
    # Commits inside the code under test release savepoints; the outer transaction is rolled back.
    return sessionmaker(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)


@pytest.fixture
def db(session_factory: sessionmaker[Session]) -> Iterator[Session]:
    session = session_factory()
    yield session
    session.close()


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock()


@pytest.fixture
def app(
    engine: Engine,
    session_factory: sessionmaker[Session],
    clock: FrozenClock,
    tmp_path: Path,
    warehouse_settings: dict[str, object],
) -> Iterator[FastAPI]:
    settings = Settings(web_dist=Path("/nonexistent"), var_dir=tmp_path / "var", **warehouse_settings)  # type: ignore[arg-type]
    application = create_app(settings, engine=engine, clock=clock, jobs=InlineJobs())
    application.state.sessionmaker = session_factory
    yield application
    application.state.close_warehouse()


@pytest.fixture
def client(app: FastAPI) -> TestClient:
    return TestClient(app, raise_server_exceptions=False)


@pytest.fixture
def bank(db: Session, clock: FrozenClock) -> Bank:
    bank = make_bank(db, now=clock.now())
    db.commit()
    return bank
