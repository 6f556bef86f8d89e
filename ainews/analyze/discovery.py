"""Organisations named in the text but missing from companies.toml (the gazetteer is never complete).

Patterns in data/discovery.toml find a name in context ("스타트업 X는", "X(대표 홍길동)",
"X(Latin)", "X는 …을 개발한", "㈜X"); the name then scores by all its mentions, title and lead
first, so a startup the news is about is listed and one named once in passing is not. Names are
normalised (company-form words and spacing dropped) so every spelling of one organisation counts
as one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ainews import catalogue
from ainews.analyze.features import Doc
from ainews.analyze.lexicon import lexicon, norm_key

_LATIN = re.compile(r"^[A-Za-z][A-Za-z0-9&]+(?: [A-Za-z0-9&]+)*$")
_ROLES = "CEO|최고경영자|대표|회장|창업자|의장|사장|교수|장관|의원"


@dataclass(frozen=True, slots=True)
class Pattern:
    regex: re.Pattern[str]
    weight: float
    proper: bool


@dataclass(frozen=True, slots=True)
class Rules:
    patterns: tuple[Pattern, ...]
    generic: frozenset[str]
    strip: tuple[str, ...]


@lru_cache(maxsize=1)
def rules() -> Rules:
    data = catalogue.load("data/discovery.toml")
    return Rules(
        patterns=tuple(Pattern(re.compile(p["regex"]), float(p.get("weight", 1.0)), bool(p.get("proper", False)))
                       for p in data["pattern"]),
        generic=frozenset(norm_key(w) for w in data.get("generic", [])),
        strip=tuple(data.get("strip", [])),
    )


def normalise(name: str) -> str:
    """One spelling per organisation: company-form words, brackets and spaces next to Hangul removed
    ("트릴리온 랩스" → "트릴리온랩스"; "Hanbit Logic" keeps its space)."""
    for word in rules().strip:
        name = name.replace(word, "")
    name = re.sub(r"(?<=[가-힣])\s+|\s+(?=[가-힣])", "", re.sub(r"\s+", " ", name))
    return name.strip("·,.() ")


def _looks_like_name(name: str, doc: Doc) -> bool:
    return bool(_LATIN.match(name)) or name in doc.proper or any(name.startswith(p) for p in doc.proper
                                                                  if len(p) >= 2)


def _is_person(name: str, doc: Doc) -> bool:
    """"일론 머스크 테슬라 CEO", "창업자 머스크": a person, whom the patterns also catch as a subject."""
    person = re.compile(rf"(?:{_ROLES})\s+{re.escape(name)}|{re.escape(name)}\s[^\s.]{{1,15}}\s?\(?(?:{_ROLES})")
    return any(person.search(text) for text in doc.texts)


def discover(doc: Doc) -> dict[str, float]:
    """Discovered organisation → score (pattern evidence plus zone-weighted mentions)."""
    r = rules()
    known = lexicon().org_keys
    weights = lexicon().zone_weights
    evidence: dict[str, float] = {}
    for zone, text in enumerate(doc.texts):
        for pattern in r.patterns:
            for m in pattern.regex.finditer(text):
                name = normalise(m.group(1))
                key = norm_key(name)
                if len(key) < 2 or key in r.generic or key in known:
                    continue
                if pattern.proper and not _looks_like_name(name, doc):
                    continue
                evidence[name] = evidence.get(name, 0.0) + pattern.weight * (1.0 if zone < 3 else 0.5)
    out: dict[str, float] = {}
    terms = lexicon().term_keys
    for name, hit in evidence.items():
        if norm_key(name) in terms or _is_person(name, doc):
            continue  # a product or a topic from taxonomy.toml, or a person
        mentions = sum(w * min(text.count(name), 4) for w, text in zip(weights, doc.texts, strict=True))
        out[name] = hit + mentions
    return out
