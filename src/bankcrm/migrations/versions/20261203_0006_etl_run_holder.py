"""etl run holder and heartbeat

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 09:00:00

A running load names the process holding it (``host:pid:start``) and when it last showed it was alive,
so that a run whose process died (killed, the machine restarted) is ended with the truth by the next
load attempt, the server's start or the run list, instead of blocking every later load.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("etl_run", schema=None) as batch_op:
        batch_op.add_column(sa.Column("holder", sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column("heartbeat_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("etl_run", schema=None) as batch_op:
        batch_op.drop_column("heartbeat_at")
        batch_op.drop_column("holder")
