"""watch alerts sent, and the store's change counter

Revision ID: 0002_daily
Revises: 0002_sources
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0002_daily'
down_revision = '0002_sources'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('watch_alerts',
    sa.Column('watch', sa.String(length=200), nullable=False),
    sa.Column('story_key', sa.String(length=160), nullable=False),
    sa.Column('channel', sa.String(length=40), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('sent_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('watch', 'story_key', 'channel')
    )
    op.create_table('store_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('counter', sa.Integer(), nullable=False),
    sa.Column('changed_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )


def downgrade() -> None:
    op.drop_table('store_changes')
    op.drop_table('watch_alerts')
