"""Korean dates: "2026.01.16 10:30", "2026-01-16 오후 3:05", "2026년 1월 16일", "2026. 1. 16.(금)",
with or without a label before them ("입력 2026.01.16 10:30"); zoneless, so in ctx.tz (KST)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime, tzinfo

from ainews.text.dates.stamp import Context, Stamp
from ainews.text.dates.zone import KST

DATE = re.compile(
    r"(?<!\d)(?P<y>(?:19|20)\d{2})\s*(?:[.\-/]|년)\s*(?P<m>\d{1,2})\s*(?:[.\-/]|월)\s*(?P<d>\d{1,2})(?!\d)\s*(?:일)?\.?"
    r"(?:\s*\([월화수목금토일]\))?"
    r"(?:\s*(?P<ampm>오전|오후|AM|PM|am|pm)?\s*(?P<H>\d{1,2})\s*(?::|시)\s*(?P<M>\d{1,2})(?:\s*(?::|분)\s*(?P<S>\d{2}))?)?"
)


def build(groups: dict[str, str | None], tz: tzinfo = KST) -> Stamp | None:
    """Named groups y, m, d (H, M, S, ampm optional) → a Stamp; None for an impossible date."""
    try:
        hour = int(groups.get("H") or 0)
        ampm = (groups.get("ampm") or "").lower()
        if ampm in ("오후", "pm") and hour < 12:
            hour += 12
        if ampm in ("오전", "am") and hour == 12:
            hour = 0
        at = datetime(int(groups["y"] or ""), int(groups["m"] or ""), int(groups["d"] or ""), hour,
                      int(groups.get("M") or 0), int(groups.get("S") or 0), tzinfo=tz)
    except (ValueError, TypeError, OverflowError):
        return None
    return Stamp(at, groups.get("H") is not None)


def at_start(text: str, tz: tzinfo = KST) -> Stamp | None:
    """The date `text` starts with ("2019.05.03 14:21 …"), else None."""
    m = DATE.match(text.lstrip())
    return build(m.groupdict(), tz) if m else None


def find(text: str, tz: tzinfo = KST) -> Iterator[tuple[int, Stamp]]:
    """(position, stamp) of every Korean date in `text`, in order."""
    for m in DATE.finditer(text):
        stamp = build(m.groupdict(), tz)
        if stamp is not None:
            yield m.start(), stamp


def labelled(text: str, ctx: Context) -> Stamp | None:
    """A date right after a leading label ("입력 2026.01.16 10:30"); only with ctx.labels."""
    m = ctx.labels.match(text) if ctx.labels is not None else None
    return at_start(text[m.end():], ctx.tz) if m else None


def free_text(text: str, ctx: Context) -> Stamp | None:
    """The first Korean date anywhere in the text."""
    return next((stamp for _, stamp in find(text, ctx.tz)), None)


def find_days(text: str) -> Iterator[date]:
    """The calendar day of every Korean date in `text` (a time after it, valid or not, is ignored)."""
    for m in DATE.finditer(text):
        try:
            yield date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
        except ValueError:
            continue
