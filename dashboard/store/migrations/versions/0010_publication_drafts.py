"""what the equality lead has written for the next publication, kept between visits

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 10:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "publicationdraft",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("nation", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("narrative", sa.JSON(), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("covers_from", sa.Date(), nullable=True),
        sa.Column("covers_to", sa.Date(), nullable=True),
        sa.Column("show_officers", sa.Boolean(), nullable=False),
        sa.Column("by", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["plan_id"], ["plan.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("plan_id", "nation"),
    )
    op.create_index(
        op.f("ix_publicationdraft_plan_id"), "publicationdraft", ["plan_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_publicationdraft_plan_id"), table_name="publicationdraft")
    op.drop_table("publicationdraft")
