"""Compact stamps: "20260116", "202601161030", "20180516162312" (URLs, data attributes)."""

from __future__ import annotations

import re

from ainews.text.dates.korean import build
from ainews.text.dates.stamp import Context, Stamp

_COMPACT = re.compile(r"^(?P<y>(?:19|20)\d{2})(?P<m>\d{2})(?P<d>\d{2})(?:(?P<H>\d{2})(?P<M>\d{2})(?P<S>\d{2})?)?$")


def parse(text: str, ctx: Context) -> Stamp | None:
    """The whole text is one compact stamp."""
    m = _COMPACT.match(text)
    return build(m.groupdict(), ctx.tz) if m else None
