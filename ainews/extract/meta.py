"""Metadata from Korean news text: dates, reporters and the original publisher.

Dates come in many Korean shapes (`2026.01.17 10:08`, `입력 2026-01-17 오전 10:08`,
`2026. 1. 17.`, `20180516162312`, ISO); `ainews.text.dates` reads them (KST without zone) and
`date_in_text` here finds the publication date among them. The outlet table is data
(`data/outlets.toml`) so a repost on a portal or a board is credited to the original outlet.
"""

from __future__ import annotations

import re
from datetime import datetime
from functools import cache

from ainews import catalogue
from ainews.catalogue import outlets
from ainews.text.dates import find_dates, parse_date, plausible

NAME = r"[가-힣]{2,4}"
# Bylines (datelines, byline brackets, sign-offs, closing bylines) are data: boilerplate.toml [byline]
# and the [[drop]] sign-off rule marked `byline = "tail"`. Head patterns are tried on the first 600
# characters, tail patterns on the last 800; group `pub` names the outlet where the pattern has one.
BOILERPLATE = "extract/sites/boilerplate.toml"


@cache
def byline_patterns() -> tuple[tuple[re.Pattern[str], ...], tuple[re.Pattern[str], ...]]:
    """(head patterns, tail patterns) in file order."""
    data = catalogue.load(BOILERPLATE)

    def compiled(items: list[dict]) -> tuple[re.Pattern[str], ...]:
        return tuple(re.compile(i["pattern"], re.M if i.get("multiline") else 0) for i in items)

    signoffs = tuple(re.compile(r["pattern"], re.M) for r in data["drop"] if r.get("byline") == "tail")
    return compiled(data["byline"]["head"]), signoffs + compiled(data["byline"]["tail"])


@cache
def _places() -> frozenset[str]:
    """Dateline places, never an outlet ("[서울=…]")."""
    return frozenset(catalogue.load(BOILERPLATE)["byline"]["places"])


@cache
def _not_names() -> frozenset[str]:
    """Label words, never a reporter's name."""
    return frozenset(catalogue.load(BOILERPLATE)["byline"]["not_names"])


def is_portal(host: str | None) -> bool:
    return bool(host) and any(host == p or host.endswith("." + p) for p in outlets.portal_hosts())


def publisher_aliases() -> set[str]:
    """Outlet names as written in bylines and titles (the alias table's values)."""
    return set(outlets.aliases().values())


def known_publishers() -> set[str]:
    """Canonical outlet names of the table."""
    return set(outlets.aliases().values()) | set(outlets.owned_hosts().values())


def publisher_for_host(host: str | None) -> str | None:
    """Outlet that owns a host, by longest matching suffix in the table."""
    if not host or is_portal(host):
        return None
    table = outlets.owned_hosts()
    best = [k for k in table if host == k or host.endswith("." + k)]
    return table[max(best, key=len)] if best else None


@cache
def _portal_suffix() -> re.Pattern[str]:
    return re.compile(r"\s*\|\s*(?:" + "|".join(map(re.escape, outlets.portal_labels())) + r")\s*")


def canonical_publisher(name: str | None) -> str | None:
    """Map a raw outlet label ("디지털타임스 | 네이버", "공감언론 뉴시스통신사") to its table name."""
    if not name:
        return None
    name = _portal_suffix().sub(" ", name).strip(" |·-")
    name = re.sub(r"^(?:Copyright\s*)?(?:[ⓒ©]|\(c\))\s*", "", name, flags=re.I).strip()
    parts = [p.strip() for p in re.split(r"\s*\|\s*", name) if p.strip()]
    aliases = outlets.aliases()
    for part in parts or [name]:
        if part in aliases:
            return aliases[part]
        squeezed = re.sub(r"\s+", "", part)
        for alias, canonical in sorted(aliases.items(), key=lambda kv: -len(kv[0])):
            if re.sub(r"\s+", "", alias) == squeezed:
                return canonical
    for part in parts or [name]:
        if part.startswith(("http", "www.")):
            continue
        if 1 < len(part) <= 20 and not any(label in part for label in outlets.portal_labels()):
            return part
    return None


def credit_line(line: str) -> str | None:
    """Outlet credited by a bare closing line ("연합뉴스") or a trailing credit ("…말했다. 연합뉴스")."""
    aliases = outlets.aliases()
    line = line.strip()
    if line in aliases:
        return aliases[line]
    m = re.search(r"[.!?\"”’]\s+(?P<pub>[^\s.]{2,10})$", line)
    if m and m.group("pub") in aliases:
        return aliases[m.group("pub")]
    return None


def publisher_in_text(text: str) -> str | None:
    """Outlet named by a dateline, byline bracket, copyright line or broadcast sign-off."""
    head = text[:600]
    heads, tails = byline_patterns()
    for pattern in heads:
        m = pattern.search(head)
        if m and (pub := canonical_publisher(m.group("pub"))) and pub not in _places():
            return pub
    aliases = outlets.aliases()
    tail = text[-1500:]
    credit = re.compile(r"(?:Copyright|저작권자|[ⓒ©]|\(c\)|☞)\s*(?:\(c\)|[ⓒ©])?\s*(?P<pub>[^,.\n>]{2,30})", re.I)
    for m in credit.finditer(tail):
        label = re.sub(r"\s*[&(].*$|무단.*$|All rights.*$", "", m.group("pub")).strip(" .")
        for alias in sorted(aliases, key=len, reverse=True):
            if alias in label:
                return aliases[alias]
    for pattern in (p for p in tails if "pub" in p.groupindex):  # the broadcast sign-off
        m = pattern.search(tail)
        if m:
            return canonical_publisher(m.group("pub"))
    return None


def reporters_in_text(text: str) -> list[str]:
    """Reporter names from datelines, byline brackets, sign-offs and closing bylines."""
    found: list[str] = []
    heads, tails = byline_patterns()
    for pattern, window in [(p, "head") for p in heads] + [(p, "tail") for p in tails]:
        chunk = text[:600] if window == "head" else text[-800:]
        for m in pattern.finditer(chunk):
            for name in re.split(r"[\s·,]+", m.group("names")):
                if re.fullmatch(NAME, name) and name not in _not_names() and name not in found:
                    found.append(name)
        if found:
            return found
    return found


def clean_reporter(label: str) -> list[str]:
    """"김광태 기자(ktkim@dt.co.kr)" / "박건형 기자" / "이근홍" / "상은 권" → names."""
    label = re.sub(r"[\w.+-]+@[\w.-]+|\(.*?\)|<.*?>", " ", label)
    label = re.sub(r"(?:선임|수석|객원)?(?:기자|특파원|논설위원|앵커|통신원)", " ", label).strip()
    western = re.fullmatch(r"([가-힣]{1,3})\s+([가-힣])", label)  # Arc credits: given name, then surname
    if western:
        return [western.group(2) + western.group(1)]
    tokens = [t for t in re.split(r"[\s·,/]+", label) if t]
    if any(re.search(r"뉴스|방송|신문|일보|의$|쇼$", t) for t in tokens):
        return []
    return [n for n in tokens if re.fullmatch(NAME, n) and n not in _not_names()]


def is_name(token: str) -> bool:
    """A Korean personal name token (2–4 syllables, not a label word)."""
    return bool(re.fullmatch(NAME, token)) and token not in _not_names()


def date_in_text(text: str, labelled_only: bool = False) -> datetime | None:
    """First plausible publication date in a text: `입력`/`발행일`/`기사입력` first, then any date-time."""
    for m in re.finditer(r"(?:기사입력|입력|발행일|등록|작성|송고|승인)\s*[:：]?\s*", text):
        dt = parse_date(text[m.end(): m.end() + 40])
        if dt and plausible(dt):
            return dt
    for m in re.finditer(r"(?P<d>(?:19|20)\d{2}[./-]\d{1,2}[./-]\d{1,2}\s+\d{1,2}:\d{2})\s*송고", text):
        dt = parse_date(m.group("d"))
        if dt and plausible(dt):
            return dt
    if labelled_only:
        return None
    return next((s.at for _, s in find_dates(text) if s.has_time and plausible(s.at)), None)
