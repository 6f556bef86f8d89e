"""The last good robots.txt per origin, kept in the store so the 24 h rule of RFC 9309 spans runs."""

from __future__ import annotations

from datetime import UTC, datetime

from ainews.store.db import Store
from ainews.store.schema import RobotsCopyRow


class StoredRobotsCopies:
    """RobotsMemory (ainews.collect.robots) backed by the `robots_copies` table."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def get(self, origin: str) -> tuple[str, datetime] | None:
        with self.store.session() as s:
            row = s.get(RobotsCopyRow, origin)
            return (row.body, row.fetched_at.replace(tzinfo=UTC)) if row else None

    def put(self, origin: str, text: str, fetched_at: datetime) -> None:
        when = fetched_at.astimezone(UTC).replace(tzinfo=None)
        with self.store.session() as s:
            s.merge(RobotsCopyRow(origin=origin, body=text, fetched_at=when))
