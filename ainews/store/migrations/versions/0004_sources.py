"""user sources (ainews sources add/import/remove)

Revision ID: 0002_sources
Revises: 0002_templates
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0002_sources'
down_revision = '0002_templates'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('user_sources',
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('url', sa.Text(), nullable=True),
    sa.Column('kind', sa.String(length=20), nullable=True),
    sa.Column('link_selector', sa.Text(), nullable=True),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.Column('max_items', sa.Integer(), nullable=True),
    sa.Column('html_url', sa.Text(), nullable=True),
    sa.Column('added_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('name')
    )


def downgrade() -> None:
    op.drop_table('user_sources')
