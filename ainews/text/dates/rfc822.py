"""RFC 822 / RFC 2822 dates, as RSS writes them ("Fri, 16 Jan 2026 10:30:00 +0900")."""

from __future__ import annotations

import email.utils
import re

from ainews.text.dates.stamp import Context, Stamp

# Some feeds glue the zone to the time ("10:30:00+0900"), which the email parser does not read.
_TIGHT_ZONE = re.compile(r"(\d{1,2}:\d{2}(?::\d{2})?)([+-]\d{4})\s*$")


def parse(text: str, ctx: Context) -> Stamp | None:
    """The email parser's reading (it wants an English month name); a zoneless one is in ctx.tz."""
    try:
        value = email.utils.parsedate_to_datetime(_TIGHT_ZONE.sub(r"\1 \2", text))
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return Stamp(value if value.tzinfo else value.replace(tzinfo=ctx.tz), True)
