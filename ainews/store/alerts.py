"""The log of watch alerts: (watch, story, channel) is sent once; a failure is retried next run."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select

from ainews.store.db import Store
from ainews.store.schema import WatchAlertRow


def alert_status(store: Store, watch: str, story_key: str, channel: str) -> str | None:
    with store.session() as s:
        row = s.get(WatchAlertRow, (watch, story_key, channel))
        return row.status if row else None


def record_alert(store: Store, watch: str, story_key: str, channel: str, article_id: int,
                 error: str | None) -> None:
    with store.session() as s:
        row = s.get(WatchAlertRow, (watch, story_key, channel)) or WatchAlertRow(
            watch=watch, story_key=story_key, channel=channel, attempts=0)
        row.article_id = article_id
        row.attempts = (row.attempts or 0) + 1
        row.status = "failed" if error else "sent"
        row.last_error = error
        row.sent_at = None if error else datetime.now(UTC).replace(tzinfo=None)
        s.merge(row)


def alert_summary(store: Store) -> dict[str, dict[str, Any]]:
    """Per watch: stories alerted, failed (story, channel) pairs, last alert time (UTC)."""
    stmt = select(WatchAlertRow.watch, WatchAlertRow.status, func.count(func.distinct(WatchAlertRow.story_key)),
                  func.max(WatchAlertRow.sent_at)).group_by(WatchAlertRow.watch, WatchAlertRow.status)
    out: dict[str, dict[str, Any]] = {}
    with store.session() as s:
        for watch, status, stories, last in s.execute(stmt):
            row = out.setdefault(watch, {"alerted_stories": 0, "failed": 0, "last_alert": None})
            if status == "sent":
                row["alerted_stories"], row["last_alert"] = stories, last
            else:
                row["failed"] += stories
    return out
