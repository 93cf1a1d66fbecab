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


def test_upgrading_a_database_with_data_keeps_every_row(tmp_path: Path) -> None:
    """SQLite table rebuilds (batch migrations) must not cascade deletes to the referring rows."""
    from alembic import command
    from sqlalchemy import text

    from bankcrm.db import make_engine

    engine = make_engine(f"sqlite:///{tmp_path / 'old.sqlite3'}")
    cfg = migrate.alembic_config(engine)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0002")
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO org (id, code, name, level, path, status, created_at) "
                "VALUES (1, 'X', 'x', 'head', '/1/', 'active', '2026-01-01')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO customer (id, customer_no, type, name, id_type, id_no, org_id, created_at, updated_at) "
                "VALUES (1, 'C1', 'personal', 'a', '101', '1', 1, '2026-01-01', '2026-01-01')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO account_link (system, account_no, customer_id, method, counts_for_assessment, "
                "linked_at, linked_by) VALUES ('sav', '1', 1, 'id', 1, '2026-01-01', 's')"
            )
        )
    migrate.upgrade(engine)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM account_link")).scalar() == 1
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
    engine.dispose()


def test_a_database_url_with_percent_signs_reaches_alembic_unchanged() -> None:
    """URL-encoded options (``options=-csearch_path%3Dx``) and passwords may hold '%'."""
    from sqlalchemy import create_engine

    url = "postgresql+psycopg://u:p%25ss@127.0.0.1:5432/db?options=-csearch_path%3Dbench"
    cfg = migrate.alembic_config(create_engine(url))
    assert cfg.get_main_option("sqlalchemy.url") == url
