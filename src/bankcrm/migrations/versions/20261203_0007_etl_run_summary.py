"""etl run summary figures

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 16:00:00

A run's summary tells, next to rows accepted and rejected, the customers the load moved out of head
office (their org code mapped since), the accounts whose org code is unmapped and the links sent to review.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("etl_run", schema=None) as batch_op:
        batch_op.add_column(sa.Column("customers_updated", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("accounts_unmapped", sa.BigInteger(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("links_review", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("etl_run", schema=None) as batch_op:
        batch_op.drop_column("links_review")
        batch_op.drop_column("accounts_unmapped")
        batch_op.drop_column("customers_updated")
