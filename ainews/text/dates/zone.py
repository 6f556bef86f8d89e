"""The zone a Korean date written without one is in."""

from __future__ import annotations

from datetime import timedelta, timezone

KST = timezone(timedelta(hours=9), "KST")
