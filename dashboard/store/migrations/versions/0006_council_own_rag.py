"""the council's own RAG rating of each issue (with its changes in the history) and a plan
setting of which rating its figures use

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 07:15:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Written out here, not imported: a migration keeps the values it was written with.
_OWN_RAG = "own_rag IS NULL OR own_rag IN ('Red', 'Amber', 'Green')"
_RATING_SOURCE = "rating_source IN ('dates', 'council')"


def upgrade() -> None:
    with op.batch_alter_table("plan") as batch_op:
        batch_op.add_column(
            sa.Column(
                "rating_source",
                sqlmodel.sql.sqltypes.AutoString(length=20),
                nullable=False,
                server_default="dates",
            )
        )
        batch_op.create_check_constraint("ck_plan_rating_source", _RATING_SOURCE)
    with op.batch_alter_table("plan") as batch_op:
        batch_op.alter_column("rating_source", server_default=None)
    with op.batch_alter_table("issue") as batch_op:
        batch_op.add_column(
            sa.Column("own_rag", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True)
        )
        batch_op.create_check_constraint("ck_issue_own_rag", _OWN_RAG)
    with op.batch_alter_table("statuschange") as batch_op:
        batch_op.add_column(
            sa.Column("from_rag", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True)
        )
        batch_op.add_column(
            sa.Column("to_rag", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("statuschange") as batch_op:
        batch_op.drop_column("to_rag")
        batch_op.drop_column("from_rag")
    with op.batch_alter_table("issue") as batch_op:
        batch_op.drop_constraint("ck_issue_own_rag", type_="check")
        batch_op.drop_column("own_rag")
    with op.batch_alter_table("plan") as batch_op:
        batch_op.drop_constraint("ck_plan_rating_source", type_="check")
        batch_op.drop_column("rating_source")
