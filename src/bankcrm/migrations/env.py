"""Alembic environment: the URL comes from bankcrm settings unless a connection is handed in."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

import bankcrm.auth.models
import bankcrm.customers.models
import bankcrm.etl.models
import bankcrm.orgs.models
import bankcrm.system.models  # noqa: F401  (models register on Base.metadata)
from bankcrm.config import get_settings
from bankcrm.db import Base, make_engine

config = context.config
target_metadata = Base.metadata


# Indexes the models cannot spell for every dialect, kept by migrations alone (see their migration).
MIGRATION_ONLY_INDEXES = frozenset({"ix_customer_name"})


def _include(obj: object, name: str | None, type_: str, reflected: bool, compare_to: object) -> bool:
    return not (type_ == "index" and name in MIGRATION_ONLY_INDEXES)


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        include_object=_include,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = config.get_main_option("sqlalchemy.url") or get_settings().resolved_database_url()
    engine = make_engine(url)
    with engine.connect() as conn:
        _run(conn)
    engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline migrations are not supported; run `bankcrm db upgrade`")
run_migrations_online()
