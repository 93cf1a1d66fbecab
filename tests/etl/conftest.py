"""Fixtures of the ETL tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from bankcrm import migrate
from bankcrm.clock import Clock
from bankcrm.orgs.models import OrgLevel
from bankcrm.orgs.service import create_root
from bankcrm.system.seed import bootstrap

from ..builders import make_org
from ..conftest import TEST_DB_URL, drop_engine, new_engine


@pytest.fixture
def store(tmp_path: Path) -> Iterator[tuple[Engine, str, str | None]]:
    """A committed operational store of its own, for tests where other processes or connections must
    see what was written: (engine, url, PostgreSQL schema or None)."""
    engine, schema = new_engine(tmp_path)
    migrate.upgrade(engine)
    with Session(engine) as db:
        bootstrap(db)
        # A usable org tree: a load into an installation without one fails before reading a file.
        root = create_root(db, "000000", "总行", now=Clock().now())
        make_org(db, parent=root, level=OrgLevel.province, name="江苏省分行", now=Clock().now())
        db.commit()
    url = TEST_DB_URL or f"sqlite:///{tmp_path / 'test.sqlite3'}"
    yield engine, url, schema
    drop_engine(engine, schema)
