"""Category and topic tags from taxonomy.toml: weighted term evidence, scores rather than hits."""

from __future__ import annotations

import math

from ainews.analyze.features import Doc, weighted
from ainews.analyze.lexicon import Category, lexicon


def _score(doc: Doc, cat: Category) -> float:
    weights = lexicon().zone_weights
    total = 0.0
    for key, weight in cat.terms.items():
        counts = doc.hits.get(key)
        if counts:
            total += weight * math.log1p(weighted(counts, weights, body_cap=4.0))
    return total


def categorize(doc: Doc) -> tuple[str, float]:
    """Best category and its score; the fallback ("일반") when nothing reaches the minimum."""
    lex = lexicon()
    best = max(((_score(doc, cat), cat.name) for cat in lex.categories), default=(0.0, lex.fallback))
    return (best[1], best[0]) if best[0] >= lex.category_min else (lex.fallback, best[0])


def topic_tags(doc: Doc) -> list[str]:
    """Topic tags above the minimum score, best first."""
    lex = lexicon()
    scored = sorted(((_score(doc, t), t.name) for t in lex.topics), reverse=True)
    return [name for score, name in scored if score >= lex.topic_min][: lex.topic_max]
