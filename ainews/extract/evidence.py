"""Independent evidence about an article's metadata, for pages no site rule knows: JSON-LD, meta
tags, date attributes and the visible labels (입력/수정/승인 …), each a candidate; `published_at`
and `reporters` vote over them. The vocabulary lives in `sites/generic.toml`.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from functools import lru_cache

from selectolax.lexbor import LexborHTMLParser

from ainews import catalogue
from ainews.extract import meta
from ainews.text.dates import date_at, label_pattern, parse_date, plausible

ARTICLE_TYPES = {"newsarticle", "article", "reportagenewsarticle", "analysisnewsarticle", "blogposting",
                 "opinionnewsarticle", "backgroundnewsarticle", "reviewnewsarticle", "webpage"}


@lru_cache(maxsize=1)
def vocabulary() -> dict:
    return catalogue.load("extract/sites/generic.toml")


def _ld_objects(data: object) -> list[dict]:
    """Every dict in a JSON-LD value: lists, @graph and nesting flattened."""
    out: list[dict] = []
    stack = [data]
    while stack and len(out) < 200:
        cur = stack.pop()
        if isinstance(cur, list):
            stack.extend(reversed(cur))
        elif isinstance(cur, dict):
            out.append(cur)
            if isinstance(cur.get("@graph"), list):
                stack.extend(reversed(cur["@graph"]))
    return out


def _loads_lenient(text: str) -> object:
    """JSON-LD as CMSs write it: trailing commas, raw newlines in strings, HTML comments, a stray `;`."""
    text = re.sub(r"^\s*(?:<!--|/\*)|(?:-->|\*/)\s*$", "", text.strip()).strip().rstrip(";")
    for attempt in (text, re.sub(r",\s*([}\]])", r"\1", text)):
        try:
            return json.loads(attempt, strict=False)
        except ValueError:
            continue
    try:
        return json.JSONDecoder(strict=False).raw_decode(text)[0]
    except ValueError:
        return None


def json_ld_article(tree: LexborHTMLParser) -> dict:
    """The NewsArticle-like JSON-LD object (by @type, else any with a headline or datePublished), or {}."""
    fallback: dict = {}
    for script in tree.css("script[type='application/ld+json']"):
        for item in _ld_objects(_loads_lenient(script.text() or "")):
            types = item.get("@type")
            names = {str(t).lower() for t in (types if isinstance(types, list) else [types])}
            if names & ARTICLE_TYPES - {"webpage"} and ("headline" in item or "articleBody" in item
                                                         or "datePublished" in item):
                return item
            if not fallback and ("datePublished" in item or "headline" in item):
                fallback = item
    return fallback


def ld_names(value: object) -> list[str]:
    """Names in a JSON-LD author/publisher value (a string, a Person, a list of them)."""
    items = value if isinstance(value, list) else [value]
    out = []
    for item in items:
        name = item.get("name") if isinstance(item, dict) else item
        if isinstance(name, str) and name.strip():
            out.append(name.strip())
    return out


@lru_cache(maxsize=1)
def _labels() -> tuple[re.Pattern[str], re.Pattern[str]]:
    cfg = vocabulary()["date"]
    return label_pattern(cfg["published"]), label_pattern(cfg["modified"])


def labelled_dates(text: str) -> tuple[list[tuple[datetime, bool]], list[tuple[datetime, bool]]]:
    """(published, modified) dates that directly follow a visible label, each in page order."""
    pub_re, mod_re = _labels()
    hits: list[tuple[int, int, datetime, bool]] = []
    for kind, pattern in ((1, mod_re), (0, pub_re)):
        for m in pattern.finditer(text):
            stamp = date_at(text[m.end(): m.end() + 40])
            if stamp and plausible(stamp.at):
                hits.append((m.start(), kind, stamp.at, stamp.has_time))
    hits.sort(key=lambda h: h[0])
    return ([(d, t) for _, k, d, t in hits if k == 0], [(d, t) for _, k, d, t in hits if k == 1])


def precise_dates(tree: LexborHTMLParser, metas: dict[str, str], ld: dict) -> list[datetime]:
    """Machine-readable publication times: JSON-LD, meta tags, date attributes (in that order)."""
    cfg = vocabulary()["date"]
    values = [str(ld.get("datePublished") or "")] + [metas.get(k, "") for k in cfg["meta_published"]]
    for attr in cfg["attributes"]:
        node = tree.css_first(f"[{attr}]")
        if node is not None:
            values.append(node.attributes.get(attr) or "")
    out = []
    for value in values:
        dt = parse_date(value)
        if dt and plausible(dt):
            out.append(dt)
    return out


def published_at(tree: LexborHTMLParser, metas: dict[str, str], ld: dict, visible: str) -> datetime | None:
    """Vote: the first visible published label wins (it is what the reader sees); a machine date that
    agrees with it to the minute lends its seconds. Without a label, the first machine date."""
    labelled, _ = labelled_dates(visible)
    machine = precise_dates(tree, metas, ld)
    if labelled:
        shown, has_time = labelled[0]
        for dt in machine:
            same = dt.astimezone(shown.tzinfo).replace(second=0, microsecond=0) == shown.replace(second=0)
            if has_time and same:
                return dt.astimezone(shown.tzinfo)
            if not has_time and dt.astimezone(shown.tzinfo).date() == shown.date():
                return dt.astimezone(shown.tzinfo)
        return shown
    return machine[0] if machine else None


@lru_cache(maxsize=1)
def _byline_patterns() -> tuple[tuple[re.Pattern[str], ...], tuple[re.Pattern[str], ...]]:
    cfg = vocabulary()["byline"]
    return (tuple(re.compile(p, re.M) for p in cfg["head"]), tuple(re.compile(p, re.M) for p in cfg["tail"]))


def reporters_in_lines(lines: list[str]) -> list[str]:
    """Reporter names from the body's first lines (datelines, bracket bylines) or its last lines."""
    head, tail = _byline_patterns()
    for patterns, chunk in ((head, lines[:3]), (tail, lines[-4:])):
        found: list[str] = []
        for line in chunk:
            for pattern in patterns:
                for m in pattern.finditer(line):
                    for name in re.split(r"[\s·,]+", m.group("names")):
                        if meta.is_name(name) and name not in found:
                            found.append(name)
        if found:
            return found
    return []


def byline_names(tree: LexborHTMLParser) -> list[str]:
    """Names in the first byline element (`.reporter`, `.byline`, `[itemprop=author]` …) that has one."""
    for sel in vocabulary()["byline"]["selectors"]:
        for node in tree.css(sel)[:3]:
            names = meta.clean_reporter(_byline_text(node.text(separator=" ") or ""))
            if names:
                return names
    return []


def reporters(element_names: list[str], metas: dict[str, str], ld: dict, lines: list[str]) -> list[str]:
    """Body bylines first (they are the article's own), then byline elements (read before the body
    block was cleaned), JSON-LD, meta tags."""
    found = reporters_in_lines(lines) or meta.reporters_in_text("\n".join(lines)) or element_names
    if found:
        return found
    for label in ld_names(ld.get("author")) + [metas.get(k, "") for k in ("dable:author", "author", "byl",
                                                                          "article:author", "twitter:creator")]:
        names = meta.clean_reporter(label)
        if names and not label.startswith("http"):
            return names
    return []


def _byline_text(text: str) -> str:
    """"홍길동 기자 다른 기사 보기" → "홍길동 기자": keep up to the role word."""
    m = re.search(r"^(.*?(?:기자|특파원))", text.strip())
    return m.group(1) if m else text.strip()[:30]
