"""Turn articles into analysable documents with one batched Kiwi call.

Each article is split into zones (title, subtitles, lead, body) because where a word appears says
how central it is. All zone texts of all articles go through `korean.tagged` at once; the matcher
then walks the morphemes and finds lexicon keys by concatenating consecutive morphemes, so terms
match on morpheme boundaries whatever the spacing or the particles.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from ainews import catalogue
from ainews.analyze import korean
from ainews.analyze.lexicon import MAX_KEY_CHARS, Lexicon, lexicon, norm_key
from ainews.models import Article

# Articles per Kiwi call: the morphemes of one chunk are turned into counters and dropped before the
# next, so memory stays flat however many articles a run holds (20k articles at once held ~2 GB).
CHUNK_ARTICLES = 500


@dataclass(frozen=True, slots=True)
class Params:
    """Zone sizes and mention weights (taxonomy.toml [features], documented there). An organisation
    followed by a role word is a person's employer; one before a comparison word is mentioned in
    passing: both count for less."""

    lead_chars: int
    body_chars: int
    max_join: int
    role_words: frozenset[str]
    role_weight: float
    comparison_words: frozenset[str]
    comparison_weight: float
    affiliate_words: frozenset[str]


@lru_cache(maxsize=1)
def params() -> Params:
    p = catalogue.load("data/taxonomy.toml")["features"]
    return Params(int(p["lead_chars"]), int(p["body_chars"]), int(p["max_join"]),
                  frozenset(norm_key(w) for w in p["role_words"]), float(p["role_weight"]),
                  frozenset(p["comparison_words"]), float(p["comparison_weight"]),
                  frozenset(norm_key(w) for w in p["affiliate_words"]))


# Tags that end a matchable span: particles, endings, sentence punctuation, brackets, quotes.
_BARRIER_PREFIXES = ("J", "E", "SF", "SS", "SE", "W_", "UN", "Z")
_KEYWORD_TAGS = frozenset({"NNG", "NNP", "SL", "SH"})
_SHINGLE_TAGS = frozenset({"NNG", "NNP", "NNB", "NR", "VV", "VA", "XR", "SL", "SH", "SN", "MAG", "MM"})

_DATE_MARKER = re.compile(r"(^|\s)date \d{4}(-\d{2}){0,2}\b")
_TAGS = re.compile(r"<[^>]{0,400}>")
_MD_IMAGE = re.compile(r"!\[[^\]]{0,600}\]\([^)]{0,600}\)")
_URL = re.compile(r"https?://\S+|www\.\S+|\S+@\S+\.\w+")
_SPACES = re.compile(r"[ \t\u00a0\u200b]+")


@dataclass(slots=True)
class Doc:
    """One article prepared for the rules: zone texts, term hits, organisations, keywords."""

    article: Article
    index: int
    texts: tuple[str, str, str, str]
    hits: dict[str, list[float]] = field(default_factory=dict)
    org_hits: dict[str, list[float]] = field(default_factory=dict)
    org_first: dict[str, int] = field(default_factory=dict)
    keywords: Counter[str] = field(default_factory=Counter)
    head_keywords: Counter[str] = field(default_factory=Counter)
    proper: Counter[str] = field(default_factory=Counter)
    shingle_tokens: list[str] = field(default_factory=list)
    text_chars: int = 0

    def count(self, key: str) -> list[float]:
        return self.hits.get(key, [0.0, 0.0, 0.0, 0.0])


def clean_text(text: str, junk: frozenset[str] = frozenset()) -> str:
    """Page text without markup, date markers, URLs and navigation lines; paragraphs kept."""
    text = text.replace("<br />", "\n").replace("<br>", "\n").replace("<br/>", "\n")
    text = _MD_IMAGE.sub(" ", text)
    text = _TAGS.sub(" ", text)
    text = _DATE_MARKER.sub(" ", text)
    text = _URL.sub(" ", text)
    lines = []
    for line in text.split("\n"):
        line = _SPACES.sub(" ", line).strip()
        if line and line not in junk:
            lines.append(line)
    return "\n".join(lines)


def zone_texts(article: Article, junk: frozenset[str]) -> tuple[str, str, str, str]:
    """(title, subtitles, lead, body): the lead is the first paragraphs up to about `lead_chars`."""
    lead_chars, body_chars = params().lead_chars, params().body_chars
    body = clean_text(article.body or "", junk)
    if article.title and body.startswith(article.title.strip()):
        body = body[len(article.title.strip()):].lstrip()
    lead_parts: list[str] = []
    size = 0
    paragraphs = body.split("\n")
    while paragraphs and size < lead_chars:
        part = paragraphs.pop(0)
        lead_parts.append(part)
        size += len(part)
    lead = "\n".join(lead_parts)
    if len(lead) > lead_chars * 2:
        cut = lead.rfind(" ", 0, lead_chars * 2)
        cut = cut if cut > 0 else lead_chars * 2
        paragraphs.insert(0, lead[cut:])
        lead = lead[:cut]
    rest = "\n".join(paragraphs)[:body_chars]
    subtitles = "\n".join(clean_text(s, junk) for s in article.subtitles or [])
    return (clean_text(article.title or "", junk), subtitles, lead, rest)


@lru_cache(maxsize=1 << 18)
def token_key(form: str, tag: str) -> str | None:
    """Matching key of one morpheme, None for a barrier (cached: morphemes repeat across articles)."""
    if tag == "SP":
        return None if form != "·" else norm_key(form)
    return None if tag.startswith(_BARRIER_PREFIXES) else norm_key(form)


def _match_zone(doc: Doc, tokens: list[tuple[str, str]], forms: list[str | None], zone: int, lex: Lexicon) -> None:
    """Record term hits (overlapping) and organisation hits (longest, non-overlapping)."""
    prefixes = lex.prefixes
    p = params()
    skip_until = -1
    for i, first in enumerate(forms):
        if not first or first not in prefixes:
            continue
        key = ""
        best_org: tuple[int, str] | None = None
        for j in range(i, min(len(forms), i + p.max_join)):
            part = forms[j]
            if part is None:
                break
            key += part
            if len(key) > MAX_KEY_CHARS or key not in prefixes:
                break
            if key in lex.term_keys:
                doc.hits.setdefault(key, [0.0, 0.0, 0.0, 0.0])[zone] += 1
            org = lex.org_keys.get(key)
            if org and (j + 1 >= len(forms) or not lex.orgs[org].strict or tokens[j + 1][1][0] in "JESX"):
                best_org = (j, org)
        if best_org and i > skip_until and not _inside_other_name(tokens, forms, i, best_org[0], p):
            j, org = best_org
            role = j + 1 < len(forms) and forms[j + 1] in p.role_words
            passing = j + 1 < len(tokens) and tokens[j + 1][0] in p.comparison_words
            doc.org_hits.setdefault(org, [0.0, 0.0, 0.0, 0.0])[zone] += (
                p.role_weight if role else p.comparison_weight if passing else 1.0)
            doc.org_first.setdefault(org, zone * 100000 + i)
            skip_until = j


def _inside_other_name(tokens: list[tuple[str, str]], forms: list[str | None], i: int, j: int, p: Params) -> bool:
    """"Full-Scale AI" is not Scale AI, "현대차증권" is not 현대차: a hyphenated Latin compound, or a group
    name followed by an affiliate word, names something else."""
    hyphenated = i > 0 and tokens[i - 1][0] in "-–" and tokens[i][1] == "SL"
    return hyphenated or (j + 1 < len(forms) and forms[j + 1] in p.affiliate_words)


def _collect_words(doc: Doc, tokens: list[tuple[str, str]], forms: list[str | None], zone: int) -> None:
    shingles = doc.shingle_tokens
    for (form, tag), key in zip(tokens, forms, strict=True):
        if key is None:
            continue
        if tag in _KEYWORD_TAGS and (len(form) >= 2 or tag == "SH"):
            if not key:
                continue
            doc.keywords[key] += 1
            if zone < 3:
                doc.head_keywords[key] += 1
                if tag == "NNP":
                    doc.proper[form] += 1
        if tag in _SHINGLE_TAGS:
            shingles.append(key)


def prepare(articles: list[Article]) -> list[Doc]:
    """Documents for many articles: batched Kiwi calls over every zone, each distinct text once."""
    lex = lexicon()
    docs = [Doc(a, i, zone_texts(a, lex.junk_lines)) for i, a in enumerate(articles)]
    for start in range(0, len(docs), CHUNK_ARTICLES):
        _prepare_chunk(docs[start:start + CHUNK_ARTICLES], lex)
    return docs


def _prepare_chunk(docs: list[Doc], lex: Lexicon) -> None:
    unique = list(dict.fromkeys(text for doc in docs for text in doc.texts if text))
    tagged = dict(zip(unique, korean.tagged(unique), strict=True)) if unique else {}
    for doc in docs:
        doc.text_chars = sum(len(t) for t in doc.texts)
        for zone, text in enumerate(doc.texts):
            tokens = tagged.get(text, []) if text else []
            forms = [token_key(f, t) for f, t in tokens]
            _match_zone(doc, tokens, forms, zone, lex)
            _collect_words(doc, tokens, forms, zone)


def weighted(counts: list[float], weights: tuple[float, ...], body_cap: float | None = None) -> float:
    """Zone-weighted count of one term; the body part optionally capped (passing mentions)."""
    body = counts[3] if body_cap is None else min(counts[3], body_cap)
    return counts[0] * weights[0] + counts[1] * weights[1] + counts[2] * weights[2] + body * weights[3]
