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

from .builders import Bank, make_bank

TEST_DB_URL = os.environ.get("BANKCRM_TEST_DATABASE_URL", "")


def pytest_report_header() -> str:
    return f"bankcrm operational store: {'PostgreSQL ' + TEST_DB_URL if TEST_DB_URL else 'SQLite (embedded)'}"


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
def app(engine: Engine, session_factory: sessionmaker[Session], clock: FrozenClock, tmp_path: Path) -> FastAPI:
    settings = Settings(web_dist=Path("/nonexistent"), var_dir=tmp_path / "var")
    application = create_app(settings, engine=engine, clock=clock, jobs=InlineJobs())
    application.state.sessionmaker = session_factory
    return application


@pytest.fixture
def client(app: FastAPI) -> TestClient:
    return TestClient(app, raise_server_exceptions=False)


@pytest.fixture
def bank(db: Session, clock: FrozenClock) -> Bank:
    bank = make_bank(db, now=clock.now())
    db.commit()
    return bank
