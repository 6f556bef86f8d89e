"""Alembic environment: migrations run on the connection the Store hands over (SQLite or PostgreSQL)."""

from __future__ import annotations

from alembic import context

from ainews.store.schema import Base

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True,
                  compare_type=True)
with context.begin_transaction():
    context.run_migrations()
