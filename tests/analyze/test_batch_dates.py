"""`ainews analyze` input dates go through the shared registry: a bare day is noon KST."""

from __future__ import annotations

from datetime import UTC, datetime

from ainews.analyze.batch import parse_date
from ainews.models import KST


def test_batch_dates() -> None:
    assert parse_date("2026-01-16") == datetime(2026, 1, 16, 12, tzinfo=KST)
    assert parse_date("2026-01-16T10:30:00Z") == datetime(2026, 1, 16, 10, 30, tzinfo=UTC)
    assert parse_date("2026-01-16 10:30") == datetime(2026, 1, 16, 10, 30, tzinfo=KST)
    assert parse_date("2026.01.16 오후 3:05") == datetime(2026, 1, 16, 15, 5, tzinfo=KST)
    for bad in ("2026-13-01", "yesterday", "", None, 20260116):
        assert parse_date(bad) is None
