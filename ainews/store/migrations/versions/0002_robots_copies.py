"""robots_copies: the last good robots.txt per origin (RFC 9309 unreachable → last copy up to 24 h)

Revision ID: 0002_net
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0002_net'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('robots_copies',
    sa.Column('origin', sa.Text(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('fetched_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('origin')
    )


def downgrade() -> None:
    op.drop_table('robots_copies')
