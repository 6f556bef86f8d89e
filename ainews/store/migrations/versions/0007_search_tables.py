"""search tables under Alembic: facet rows, index state, and the database's text index

Revision ID: 0002_search
Revises: 0002_queue

Databases that ran an older ainews already have these tables (created on first use then):
everything here is IF NOT EXISTS.
"""

from __future__ import annotations

from alembic import op

from ainews.store.search.tables import META, create_all

revision = '0002_search'
down_revision = '0002_queue'
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_all(op.get_bind())


def downgrade() -> None:
    bind = op.get_bind()
    for name in ("search_morph", "search_trigram", "search_pg"):
        bind.exec_driver_sql(f"DROP TABLE IF EXISTS {name}")
    META.drop_all(bind, checkfirst=True)
