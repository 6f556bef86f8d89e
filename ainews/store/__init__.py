"""Persistence: SQLAlchemy 2 over SQLite (default) or PostgreSQL, same code."""

from ainews.store.db import RunLocked, Store

__all__ = ["RunLocked", "Store"]
