"""customer name index for prefix search

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24 07:00:00

Quick search by name is a prefix match expressed as a range (``db.prefix_range``): on SQLite a plain
index (binary collation is code-point order); on PostgreSQL an index in the "C" collation, whose order
is code-point order too, so the range is exact whatever the database's own collation.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute('CREATE INDEX ix_customer_name ON customer (name COLLATE "C")')
    else:
        op.create_index("ix_customer_name", "customer", ["name"])


def downgrade() -> None:
    op.drop_index("ix_customer_name", table_name="customer")
