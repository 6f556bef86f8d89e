"""Boilerplate lines (copyright, bylines, captions, promos, widgets) as ordered data.

The rules live in `sites/boilerplate.toml` so a new outlet's junk is a data change, not code.
Captions are also dropped by shape: a line that ends in a photo desk e-mail after a date, and the
short "caption title" lines that repeat the start of a dropped caption.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache

from ainews import catalogue
from ainews.text.patterns import SENTENCE_END

_EMAIL_END = re.compile(r"[A-Za-z0-9._+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+\s*[>)\]]?\s*$")
_CAPTION_DATE = re.compile(r"\d{4}\.\s?\d{1,2}\.\s?\d{1,2}\.?\s*(?:\[[^\]]*\]\s*)?(?:[\w.+-]+@|$)")
_SPACE = re.compile(r"[\s\u00a0\u200b\u3000\ufeff]+")


@dataclass(frozen=True, slots=True)
class Rule:
    kind: str
    pattern: re.Pattern[str]
    max_len: int
    site: str = ""  # the site whose pages taught us this line; "" for lines seen on many outlets


# Sites whose tagged entries are switched off (leave-one-site-out evaluation of the generic path).
HELD_OUT: ContextVar[frozenset[str]] = ContextVar("HELD_OUT", default=frozenset())


@contextmanager
def held_out(*sites: str) -> Iterator[None]:
    """Ignore boilerplate entries tagged with these sites, as if their pages had never been seen."""
    token = HELD_OUT.set(frozenset(sites))
    try:
        yield
    finally:
        HELD_OUT.reset(token)


@lru_cache(maxsize=1)
def all_rules() -> tuple[tuple[Rule, ...], tuple[Rule, ...]]:
    """(strip rules, drop rules) in file order, with their site tags."""
    data = catalogue.load("extract/sites/boilerplate.toml")

    def build(items: list[dict]) -> tuple[Rule, ...]:
        out = []
        for item in items:
            flags = re.I if "i" in item.get("flags", "") else 0
            out.append(Rule(item["kind"], re.compile(item["pattern"], flags), int(item.get("max_len", 10**9)),
                            item.get("site", "")))
        return tuple(out)

    return build(data.get("strip", [])), build(data.get("drop", []))


def rules() -> tuple[tuple[Rule, ...], tuple[Rule, ...]]:
    """(strip rules, drop rules) in file order, minus entries of held-out sites."""
    strip, drop = all_rules()
    out = HELD_OUT.get()
    if not out:
        return strip, drop
    return tuple(r for r in strip if r.site not in out), tuple(r for r in drop if r.site not in out)


def normalize_line(line: str) -> str:
    return _SPACE.sub(" ", line).strip()


EDGE_CHARS = 1000  # boilerplate markers sit at a line's edges; a huge line is judged by them alone


def drop_reason(line: str) -> str | None:
    """Why a line is boilerplate, or None when it may be article text."""
    probe = line if len(line) <= 2 * EDGE_CHARS else f"{line[:EDGE_CHARS]} … {line[-EDGE_CHARS:]}"
    for rule in rules()[1]:
        if len(line) <= rule.max_len and rule.pattern.search(probe):
            return rule.kind
    if _EMAIL_END.search(probe) and (_CAPTION_DATE.search(probe) or len(line) < 40 or "사진" in probe):
        return "caption"
    return None


def strip_line(line: str) -> str:
    """Cut datelines, bylines and trailing e-mails off a paragraph, keeping its text."""
    for rule in rules()[0]:
        line = rule.pattern.sub("", line, count=1)
    return line.strip()


def clean_paragraphs(lines: list[str]) -> list[str]:
    """Drop boilerplate lines, duplicate lines and caption titles; strip bylines off the rest."""
    kept: list[str] = []
    dropped: list[str] = []
    seen: set[str] = set()
    for raw in lines:
        line = normalize_line(raw)
        if not line:
            continue
        if drop_reason(line):
            dropped.append(line)
            continue
        line = strip_line(line)
        if not line or line in seen:
            continue
        seen.add(line)
        kept.append(line)
    return [ln for ln in kept if not _is_caption_title(ln, dropped)]




def trim_tail(paragraphs: list[str]) -> list[str]:
    """Drop trailing short lines without a sentence ending ("향이네 핫클릭", "기사 섹션 분류 가이드", "0")."""
    out = list(paragraphs)
    while len(out) > 1 and len(out[-1]) < 40 and not SENTENCE_END.search(out[-1]):
        out.pop()
    return out


def _is_caption_title(line: str, dropped: list[str]) -> bool:
    """A short line that starts a dropped caption ("카카오·NC" before "카카오·NC[연합뉴스 자료사진]")."""
    if len(line) > 60 or line.endswith(("다.", "다", "요.", "?", "!")):
        return False
    return any(d.startswith(line) and d != line for d in dropped)
