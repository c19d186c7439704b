"""the record of changes to a plan itself, and retired issues

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 15:10:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "planchange",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=True),
        sa.Column("issue_id", sa.Integer(), nullable=True),
        sa.Column("lead_id", sa.Integer(), nullable=True),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
        sa.Column("field", sqlmodel.sql.sqltypes.AutoString(length=30), nullable=True),
        sa.Column("from_value", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("to_value", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("by", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("by_user_id", sa.Integer(), nullable=True),
        sa.Column("at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["plan_id"], ["plan.id"]),
        sa.ForeignKeyConstraint(["issue_id"], ["issue.id"]),
        sa.ForeignKeyConstraint(["lead_id"], ["lead.id"]),
        sa.ForeignKeyConstraint(["by_user_id"], ["user.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_planchange_plan_at", "planchange", ["plan_id", "at"])
    op.create_index("ix_planchange_issue_at", "planchange", ["issue_id", "at"])
    # Added in place (no batch rebuild of `issue` on SQLite, which would drop the search
    # triggers of migration 0007).
    op.add_column("issue", sa.Column("retired_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
    op.create_index("ix_issue_retired_at", "issue", ["retired_at"])


def downgrade() -> None:
    op.drop_index("ix_planchange_issue_at", table_name="planchange")
    op.drop_index("ix_planchange_plan_at", table_name="planchange")
    op.drop_table("planchange")
    op.drop_index("ix_issue_retired_at", table_name="issue")
    if op.get_bind().dialect.name == "sqlite":
        # In place (SQLite 3.35 and later), as it was added: a batch rebuild of `issue` would
        # drop the search triggers of 0007 and trip over the rows that refer to its issues.
        op.execute("ALTER TABLE issue DROP COLUMN retired_at")
    else:
        op.drop_column("issue", "retired_at")
