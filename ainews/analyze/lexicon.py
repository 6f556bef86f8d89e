"""Vocabulary as data: taxonomy.toml and companies.toml (and the [junk] lines of boilerplate.toml)
loaded once, keyed for morpheme matching.

A term's key is its text lower-cased with spaces and joining punctuation removed ("생성형 AI" →
"생성형ai"). Documents are matched by concatenating consecutive Kiwi morphemes (see features.py), so
a key only matches on morpheme boundaries: "오픈AI가" contains "오픈ai", "메타버스" does not contain
"메타".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from ainews import catalogue

_DROP = re.compile(r"[\s·\-_.,:;/'\"’‘“”()\[\]&+!?]+")
MAX_KEY_CHARS = 32
BOILERPLATE = "extract/sites/boilerplate.toml"  # the one file of line rules ([junk])


def norm_key(text: str) -> str:
    """Matching form of a term or a morpheme: lower-case, no spaces or joining punctuation."""
    return _DROP.sub("", text.lower())


@dataclass(frozen=True, slots=True)
class Org:
    name: str
    aliases: tuple[str, ...]
    kind: str = "company"
    ai: float = 0.0
    parent: str = ""
    strict: bool = False
    group: bool = False


@dataclass(frozen=True, slots=True)
class Category:
    name: str
    emoji: str
    terms: dict[str, float]


@dataclass(slots=True)
class Lexicon:
    """Everything the analysis rules read, with the keys the matcher looks for."""

    zone_weights: tuple[float, float, float, float]
    relevance: dict[str, Any]
    positive: dict[str, float]
    negative: dict[str, float]
    avian: frozenset[str]
    disclaimers: tuple[str, ...]
    categories: list[Category]
    category_min: float
    fallback: str
    fallback_emoji: str
    topics: list[Category]
    topic_min: float
    topic_max: int
    orgs: dict[str, Org]
    org_keys: dict[str, str]
    junk_lines: frozenset[str]
    term_keys: frozenset[str] = field(default_factory=frozenset)
    prefixes: frozenset[str] = field(default_factory=frozenset)


def _read(name: str) -> dict[str, Any]:
    return catalogue.load(f"data/{name}")


def _keyed(terms: dict[str, float]) -> dict[str, float]:
    out: dict[str, float] = {}
    for term, weight in terms.items():
        key = norm_key(term)
        if key and float(weight) != 0.0:
            out[key] = max(out.get(key, 0.0), float(weight))
    return out


def _categories(items: list[dict[str, Any]]) -> list[Category]:
    return [Category(i["name"], i.get("emoji", ""), _keyed(i.get("terms", {}))) for i in items]


def _orgs(items: list[dict[str, Any]]) -> tuple[dict[str, Org], dict[str, str]]:
    orgs: dict[str, Org] = {}
    keys: dict[str, str] = {}
    for item in items:
        org = Org(item["name"], tuple(item.get("aliases", [])), item.get("kind", "company"),
                  float(item.get("ai", 0.0)), item.get("parent", ""), bool(item.get("strict", False)),
                  bool(item.get("group", False)))
        orgs.setdefault(org.name, org)
        for alias in (org.name, *org.aliases):
            key = norm_key(alias)
            if key and len(key) <= MAX_KEY_CHARS:
                keys.setdefault(key, org.name)
    return orgs, keys


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The bundled vocabulary (cached: it is read-only)."""
    tax = _read("taxonomy.toml")
    comp = _read("companies.toml")
    zones = tax.get("zones", {})
    rel = tax["relevance"]
    context = rel.get("negative_context", {})
    orgs, org_keys = _orgs(comp.get("orgs", []))
    lex = Lexicon(
        zone_weights=(float(zones.get("title", 3)), float(zones.get("subtitles", 2)),
                      float(zones.get("lead", 1.5)), float(zones.get("body", 1))),
        relevance={k: v for k, v in rel.items() if not isinstance(v, dict)},
        positive=_keyed(rel.get("positive", {})),
        negative=_keyed(rel.get("negative", {})),
        avian=frozenset(norm_key(t) for t in context.get("avian", [])),
        disclaimers=tuple(norm_key(t) for t in context.get("disclaimer", [])),
        categories=_categories(tax["categories"]["item"]),
        category_min=float(tax["categories"].get("min_score", 2.0)),
        fallback=tax["categories"].get("fallback", "일반"),
        fallback_emoji=tax["categories"].get("fallback_emoji", "📌"),
        topics=_categories(tax["topics"]["item"]),
        topic_min=float(tax["topics"].get("min_score", 2.0)),
        topic_max=int(tax["topics"].get("max_tags", 4)),
        orgs=orgs,
        org_keys=org_keys,
        junk_lines=frozenset(line.strip() for line in catalogue.load(BOILERPLATE)["junk"]["lines"]),
    )
    keys: set[str] = set(lex.positive) | set(lex.negative) | lex.avian
    for cat in (*lex.categories, *lex.topics):
        keys |= set(cat.terms)
    lex.term_keys = frozenset(k for k in keys if len(k) <= MAX_KEY_CHARS)
    lex.prefixes = frozenset(k[:i] for k in (*lex.term_keys, *org_keys) for i in range(1, len(k) + 1))
    return lex


def category_emoji(name: str) -> str:
    """Emoji for a category name on the digest line (the fallback's for unknown names)."""
    lex = lexicon()
    for cat in lex.categories:
        if cat.name == name:
            return cat.emoji
    return lex.fallback_emoji
