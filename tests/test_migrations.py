"""An empty database upgrades to head, and the models and migrations agree (``alembic check``)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import inspect

from bankcrm import migrate
from bankcrm.db import Base

from .conftest import drop_engine, new_engine


def test_empty_database_upgrades_to_head_and_matches_models(tmp_path: Path) -> None:
    engine, schema = new_engine(tmp_path)
    try:
        migrate.upgrade(engine)
        tables = set(inspect(engine).get_table_names())
        assert set(Base.metadata.tables) <= tables
        migrate.check(engine)  # raises when models and migrations drift
        migrate.upgrade(engine)  # a second upgrade is a no-op
    finally:
        drop_engine(engine, schema)
