"""articles.date_method: how an article's filing date was settled (analyze/dates.py)

Revision ID: 0002_analysis
Revises: 0002_search
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0002_analysis'
down_revision = '0002_search'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('articles') as batch:
        batch.add_column(sa.Column('date_method', sa.String(length=32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('articles') as batch:
        batch.drop_column('date_method')
