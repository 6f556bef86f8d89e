"""AI relevance: a score in [0, 1] with human-readable reasons.

Evidence is weighted by zone (title > subtitles > lead > body) and saturates logarithmically, so
one passing "AI" in a long telecom article does not make it AI news. AI companies and models add
evidence; near-miss vocabulary (avian influenza, 5G/satellite, chips without AI, esports, weather)
subtracts it. "AI" next to avian-influenza words is not counted at all, nor "AI" in disclaimers
("AI학습 이용금지", "AI가 작성한 기사"). Every parameter is in taxonomy.toml [relevance].
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache

from ainews.analyze.entities import ai_entity_evidence
from ainews.analyze.features import Doc, weighted
from ainews.analyze.lexicon import lexicon, norm_key


@dataclass(slots=True)
class Relevance:
    score: float
    reasons: list[str]
    positive: float
    negative: float
    entities: float


@cache
def _avian_ignores() -> frozenset[str]:
    return frozenset(norm_key(t) for t in lexicon().relevance["avian_ignores"])


def _disclaimer_hits(doc: Doc) -> int:
    lex = lexicon()
    text = norm_key(" ".join(doc.texts))
    return sum(text.count(d) for d in lex.disclaimers)


def _positive(doc: Doc, avian: bool, disclaimers: int) -> tuple[float, float, list[tuple[float, str]]]:
    lex = lexicon()
    cap = float(lex.relevance["body_cap"])
    discounted = norm_key(lex.relevance["disclaimer_discounts"])
    head = total = 0.0
    found: list[tuple[float, str]] = []
    for key, weight in lex.positive.items():
        counts = doc.hits.get(key)
        if not counts:
            continue
        counts = list(counts)
        if avian and key in _avian_ignores():
            continue
        if key == discounted and disclaimers:
            counts[3] = max(0.0, counts[3] - disclaimers)
        amount = weighted(counts, lex.zone_weights, body_cap=cap)
        if amount <= 0:
            continue
        value = weight * math.log1p(amount)
        total += value
        head += weight * math.log1p(weighted(counts[:3] + [0.0], lex.zone_weights))
        found.append((value, key))
    return total, head, found


def _negative(doc: Doc) -> tuple[float, list[tuple[float, str]]]:
    lex = lexicon()
    total = 0.0
    cap = float(lex.relevance["negative_body_cap"])
    found: list[tuple[float, str]] = []
    for key, weight in lex.negative.items():
        counts = doc.hits.get(key)
        if counts:
            value = weight * math.log1p(weighted(counts, lex.zone_weights, body_cap=cap))
            total += value
            found.append((value, key))
    return total, found


def score_relevance(doc: Doc) -> Relevance:
    """Relevance of one prepared document."""
    lex = lexicon()
    params = lex.relevance
    avian = any(k in doc.hits for k in lex.avian)
    pos, head, pos_terms = _positive(doc, avian, _disclaimer_hits(doc))
    neg, neg_terms = _negative(doc)
    ent, ent_names = ai_entity_evidence(doc)
    # AI in the title/lead is the angle; body-only AI is weaker (mentioned in passing)
    evidence = float(params["evidence_all"]) * pos + float(params["evidence_head"]) * head + ent
    margin = evidence - float(params["negative_scale"]) * neg - float(params["bias"])
    score = 1.0 / (1.0 + math.exp(-float(params["scale"]) * margin))
    reasons = [f"+{key} ({value:.1f})" for value, key in sorted(pos_terms, reverse=True)[:6]]
    reasons += [f"+기업 {name}" for name in ent_names[:4]]
    reasons += [f"-{key} ({value:.1f})" for value, key in sorted(neg_terms, reverse=True)[:4]]
    if avian:
        reasons.append("-'AI'=조류인플루엔자 문맥")
    return Relevance(round(score, 4), reasons, pos, neg, ent)
