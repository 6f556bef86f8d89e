"""Event status: is an article announcing something to come, or reporting that it happened?

A pre-announcement ("그록3 1∼2주내 출시 예고") and the launch it announced ("그록3 공개했다") share
every name and most keywords, so keyword similarity alone merges them into one story. The
markers of data/events.toml read the headline and the start of the lead; cluster.py weakens the
link between a "future" and a "done" article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ainews import catalogue
from ainews.analyze.features import Doc

FUTURE, UNKNOWN, DONE = -1, 0, 1
GAP_HOURS = 18.0  # same-day articles with mixed markers are one story told two ways


@dataclass(frozen=True, slots=True)
class Markers:
    future: re.Pattern[str]
    done: re.Pattern[str]
    lead_chars: int


@lru_cache(maxsize=1)
def markers() -> Markers:
    data = catalogue.load("data/events.toml")
    return Markers(re.compile("|".join(f"(?:{p})" for p in data["future"])),
                   re.compile("|".join(f"(?:{p})" for p in data["done"])), int(data.get("lead_chars", 300)))


def status(doc: Doc) -> int:
    """FUTURE, DONE or UNKNOWN (both or neither kind of marker) from the headline and lead start."""
    m = markers()
    head = doc.texts[0] + "\n" + doc.texts[1] + "\n" + doc.texts[2][:m.lead_chars]
    future = len(m.future.findall(head))
    done = len(m.done.findall(head))
    if future > done:
        return FUTURE
    return DONE if done > future else UNKNOWN


def announced_then_done(a: int, b: int, hours_a: float | None, hours_b: float | None) -> bool:
    """One article announces, the other reports it done, published at least GAP_HOURS later."""
    if hours_a is None or hours_b is None or a * b >= 0:
        return False
    future, done = (hours_a, hours_b) if a == FUTURE else (hours_b, hours_a)
    return done - future >= GAP_HOURS
