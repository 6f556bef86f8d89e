"""ISO 8601 date-times ("2026-01-16T10:30:00+09:00", "…Z"), as meta tags and JSON-LD write them."""

from __future__ import annotations

import re
from datetime import datetime

from ainews.text.dates.stamp import Context, Stamp

_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


def parse(text: str, ctx: Context) -> Stamp | None:
    """A full ISO date-time (a bare ISO date is left to the Korean handler, which reads it too)."""
    if not _ISO.match(text):
        return None
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return Stamp(value if value.tzinfo else value.replace(tzinfo=ctx.tz), True)
