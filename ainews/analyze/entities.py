"""Organisations per article: known names from companies.toml plus proper-noun candidates.

Known organisations are found by the morpheme matcher (features.py), ranked by where and how
often they appear; names missing from the list come from Kiwi proper nouns and words with an
organisation suffix (…테크놀로지스, …은행, …대학교), so a new startup is not reported as "기타".
"""

from __future__ import annotations

import re

from ainews.analyze.discovery import discover
from ainews.analyze.features import Doc, weighted
from ainews.analyze.lexicon import lexicon, norm_key
from ainews.analyze.names import merge_spellings
from ainews.analyze.salience import salient

# Weighted mentions an organisation needs to be a candidate; salience.py decides which are listed.
CANDIDATE_MIN = 0.3  # one passing mention (COMPARISON_WEIGHT); salience.py decides
MAX_ORGS = 12
DISCOVERED_MIN = 4.0  # pattern evidence plus mentions a discovered name needs (e.g. lead hit + 1 title mention)
_ORG_SUFFIX = re.compile(
    r"(?<![가-힣A-Za-z0-9])([가-힣A-Za-z][가-힣A-Za-z0-9&]{1,14}"
    r"(?:테크놀로지스|테크놀로지|테크놀러지|인베스트먼트|벤처스|파트너스|캐피탈|자산운용|투자운용|투자증권|증권|은행|"
    r"홀딩스|네트웍스|시스템즈|소프트|랩스|로보틱스|모빌리티|바이오|제약|대학교|과학기술원|연구원|연구소|재단|협회|진흥원|"
    r"공사|위원회|코리아|그룹))(?=[^가-힣A-Za-z0-9]|[은는이가을를의와과도로에]|$)"
)
_GENERIC = frozenset(norm_key(w) for w in (
    "우리은행", "중앙은행", "국내은행", "시중은행", "한국은행", "해외연구원", "선임연구원", "책임연구원", "수석연구원",
    "연구원", "위원회", "협회", "재단", "대학교", "그룹", "코리아", "은행", "증권", "이사회", "운영위원회", "소위원회",
    "전략위원회", "선정위원회", "평가위원회", "심사위원회", "조직위원회", "추진위원회", "대책위원회", "특별위원회",
))


def _candidates(doc: Doc) -> dict[str, float]:
    """Organisation-like names not in the list, scored like known ones."""
    known = lexicon().org_keys
    weights = lexicon().zone_weights
    found: dict[str, float] = {}
    for zone, text in enumerate(doc.texts):
        for match in _ORG_SUFFIX.finditer(text):
            name = match.group(1)
            key = norm_key(name)
            if key in known or key in _GENERIC or any(key.endswith(g) and len(key) - len(g) < 2 for g in _GENERIC):
                continue
            if any((key.startswith(k) or k.endswith(key)) and k != key for k in known if len(k) >= 3):
                continue  # extension or tail of a known name ("LG AI연구원" → "AI연구원"): keep the known one
            found[name] = found.get(name, 0.0) + weights[zone]
    return found


def candidates(doc: Doc) -> dict[str, float]:
    """Every organisation the article names (known or discovered) → zone-weighted mention score."""
    weights = lexicon().zone_weights
    scored: dict[str, float] = {}
    for org, counts in doc.org_hits.items():
        score = weighted(counts, weights, body_cap=4.0)
        first = doc.org_first.get(org, 10**6)
        scored[org] = score + (0.5 if first < 300000 and sum(counts[:3]) >= 1.0 else 0.0)
    for name, score in _candidates(doc).items():
        if score >= 2.0:
            scored[name] = max(scored.get(name, 0.0), score * 0.8)
    for name, score in discover(doc).items():
        if score >= DISCOVERED_MIN and not _part_of_known(name, scored):
            scored[name] = max(scored.get(name, 0.0), score * 0.8)
    _drop_shorthand_parents(scored)
    return {name: s for name, s in merge_spellings(scored, doc).items() if s >= CANDIDATE_MIN}


def rank_organisations(doc: Doc) -> list[tuple[str, float]]:
    """(canonical name, salience) of the organisations the article is about, most salient first."""
    return salient(doc, candidates(doc))[:MAX_ORGS]


def _part_of_known(name: str, scored: dict[str, float]) -> bool:
    """A discovered name that is part of, or extends, a name already listed ("LG AI" / "LG AI연구원")."""
    key = norm_key(name)
    return any(key in norm_key(other) or norm_key(other) in key for other in scored)


def _drop_shorthand_parents(scored: dict[str, float]) -> None:
    """A group named in passing next to its acting subsidiary ("LG" beside "LG AI연구원") is shorthand."""
    orgs = lexicon().orgs
    for name in list(scored):
        org = orgs.get(name)
        parent = org.parent if org else ""
        if parent in scored and scored[parent] <= scored[name] and orgs[parent].kind == orgs[name].kind == "company":
            del scored[parent]


def ai_entity_evidence(doc: Doc) -> tuple[float, list[str]]:
    """How much the organisations involved make this AI news, with the names that did."""
    lex = lexicon()
    total = 0.0
    names: list[str] = []
    for org, counts in doc.org_hits.items():
        ai = lex.orgs[org].ai
        if ai <= 0:
            continue
        mentions = weighted(counts, lex.zone_weights, body_cap=3.0)
        total += ai * min(1.0, mentions / 3.0)
        names.append(org)
    return min(total, 4.0), names
