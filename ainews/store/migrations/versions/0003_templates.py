"""learned site templates (template_hosts, template_lines, template_pages) and articles.body_source

Revision ID: 0002_templates
Revises: 0002_net
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0002_templates'
down_revision = '0002_net'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('articles') as batch:
        batch.add_column(sa.Column('body_source', sa.String(length=16), server_default='page', nullable=False))
    op.create_table('template_hosts',
    sa.Column('host', sa.String(length=255), nullable=False),
    sa.Column('pages', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('host'))
    op.create_table('template_lines',
    sa.Column('host', sa.String(length=255), nullable=False),
    sa.Column('line_hash', sa.String(length=32), nullable=False),
    sa.Column('articles', sa.Integer(), nullable=False),
    sa.Column('first_page', sa.Integer(), nullable=False),
    sa.Column('is_template', sa.Boolean(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('host', 'line_hash'))
    op.create_table('template_pages',
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('host', sa.String(length=255), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('hashes', sa.JSON(), nullable=False),
    sa.Column('raw_body', sa.Text(), nullable=True),
    sa.Column('removed', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('article_id'))
    op.create_index(op.f('ix_template_pages_host'), 'template_pages', ['host'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_template_pages_host'), table_name='template_pages')
    op.drop_table('template_pages')
    op.drop_table('template_lines')
    op.drop_table('template_hosts')
    with op.batch_alter_table('articles') as batch:
        batch.drop_column('body_source')
