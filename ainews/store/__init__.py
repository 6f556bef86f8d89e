"""Persistence: SQLAlchemy 2 over SQLite (default) or PostgreSQL, same code."""

from ainews.store.db import Store

__all__ = ["Store"]
