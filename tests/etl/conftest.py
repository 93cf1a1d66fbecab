"""Fixtures of the ETL tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from bankcrm import migrate
from bankcrm.system.seed import bootstrap

from ..conftest import TEST_DB_URL, drop_engine, new_engine


@pytest.fixture
def store(tmp_path: Path) -> Iterator[tuple[Engine, str, str | None]]:
    """A committed operational store of its own, for tests where other processes or connections must
    see what was written: (engine, url, PostgreSQL schema or None)."""
    engine, schema = new_engine(tmp_path)
    migrate.upgrade(engine)
    with Session(engine) as db:
        bootstrap(db)
        db.commit()
    url = TEST_DB_URL or f"sqlite:///{tmp_path / 'test.sqlite3'}"
    yield engine, url, schema
    drop_engine(engine, schema)
