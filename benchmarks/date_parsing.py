"""Date parsing speed: microseconds per `ainews.text.dates.parse_date` call on the date strings the
corpus really holds (feed pubDate/dc:date, page meta times, visible 입력/등록 labels), on strings
holding no date, and on long texts without one (the worst case: every handler says no).

Run: `.venv/bin/python benchmarks/date_parsing.py` (reads ../shared/corpus; numbers are noisy on a
shared machine: best of ROUNDS).
"""

from __future__ import annotations

import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

from ainews.text.dates import parse_date

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
ROUNDS, REPEAT = 5, 20
_FEED = re.compile(r"<(?:pubDate|dc:date|updated|published|lastBuildDate)>([^<]{5,40})<")
_META = re.compile(r"(?:published_time|datePublished|data-date-time|pubdate)[\"']?\s*(?:content=|:|=)\s*[\"']"
                   r"([^\"']{6,40})[\"']")
_LABEL = re.compile(r"((?:기사입력|입력|등록|승인|송고|수정)\s*[:：]?\s*(?:</?[a-z]+[^>]*>\s*)*[0-9]{4}[^<]{4,25})")


def samples() -> dict[str, list[str]]:
    text = "\n".join(p.read_bytes().decode("utf-8", "replace") for p in sorted(CORPUS.glob("*/*.*ml")))
    return {"feed dates": _FEED.findall(text), "page meta dates": _META.findall(text),
            "visible labels": _LABEL.findall(text),
            "no date (short)": ["조회수 1,234", "no date here", "2026.13.45", "Mon, 32 Foo 2026"] * 25,
            "no date (2,000 chars)": ["가나다라 마바사 1 2 3 . , " * 100] * 5}


def per_call(func: Callable[[str], object], values: list[str]) -> float:
    best = float("inf")
    for _ in range(ROUNDS):
        start = time.perf_counter()
        for _ in range(REPEAT):
            for value in values:
                func(value)
        best = min(best, (time.perf_counter() - start) / (REPEAT * len(values)))
    return best * 1e6


def main() -> int:
    if not CORPUS.exists():
        print(f"skipped: {CORPUS} not present")
        return 0
    for name, values in samples().items():
        read = sum(parse_date(v) is not None for v in values)
        print(f"{name:24} {len(values):5} strings  {read:5} read  {per_call(parse_date, values):8.1f} µs/call")
    return 0


if __name__ == "__main__":
    sys.exit(main())
