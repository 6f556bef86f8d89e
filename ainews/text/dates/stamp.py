"""What every date handler returns, and what it is given."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from functools import lru_cache

from ainews.text.dates.zone import KST


@dataclass(frozen=True, slots=True)
class Stamp:
    """An aware datetime, and whether the text gave a time of day (a bare date is 00:00)."""

    at: datetime
    has_time: bool


@dataclass(frozen=True, slots=True)
class Context:
    """The zone for zoneless dates, and the visible labels ("입력", "등록" …) a date may follow."""

    tz: tzinfo = KST
    labels: re.Pattern[str] | None = None


Handler = Callable[[str, Context], "Stamp | None"]


def label_pattern(labels: Sequence[str]) -> re.Pattern[str]:
    """Labels (the vocabulary is data, e.g. extract/sites/generic.toml) → "label [시간|일시…] [:]"."""
    return _label_pattern(tuple(labels))


@lru_cache(maxsize=32)
def _label_pattern(labels: tuple[str, ...]) -> re.Pattern[str]:
    words = "|".join(re.escape(w) for w in sorted(labels, key=len, reverse=True))
    return re.compile(r"(?:" + words + r")(?:\s*(?:시간|일시|일자|일))?\s*[:：]?\s*")
