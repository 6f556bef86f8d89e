"""One ordered list of date handlers (the way feedparser's `datetimes/` registers its parsers):
each reads one shape of date or returns None, and the first that reads the text wins."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta, tzinfo

from ainews.text.dates import compact, iso, korean, rfc822
from ainews.text.dates.stamp import Context, Handler, Stamp, label_pattern
from ainews.text.dates.zone import KST

HANDLERS: tuple[tuple[str, Handler], ...] = (
    ("rfc822", rfc822.parse),
    ("iso8601", iso.parse),
    ("compact", compact.parse),
    ("korean-labelled", korean.labelled),
    ("korean-text", korean.free_text),
)


def parse_stamp(text: object, *, tz: tzinfo = KST, labels: Sequence[str] = (),
                handlers: Sequence[tuple[str, Handler]] = HANDLERS) -> Stamp | None:
    """The first handler's reading of `text` (zoneless dates in `tz`); None for anything else,
    never an exception: feeds and pages hand us any string, or none."""
    if not isinstance(text, str):
        return None
    value = text.strip()
    if not value:
        return None
    ctx = Context(tz, label_pattern(labels) if labels else None)
    for _name, handler in handlers:
        stamp = handler(value, ctx)
        if stamp is not None:
            return stamp
    return None


def parse_date(text: object, *, tz: tzinfo = KST, labels: Sequence[str] = ()) -> datetime | None:
    """`parse_stamp` without the has-time flag."""
    stamp = parse_stamp(text, tz=tz, labels=labels)
    return stamp.at if stamp else None


def http_date(text: object) -> datetime | None:
    """An HTTP-date header value (Retry-After, Last-Modified): RFC 822 only, GMT when zoneless."""
    stamp = parse_stamp(text, tz=UTC, handlers=HANDLERS[:1])
    return stamp.at if stamp else None


def plausible(at: datetime) -> bool:
    """Between 1995 and two days from now: anything else is a footer's registration date or a typo."""
    return datetime(1995, 1, 1, tzinfo=UTC) <= at <= datetime.now(KST) + timedelta(days=2)
