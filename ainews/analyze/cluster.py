"""Duplicates and stories.

1. Duplicates: the same text at another address (exact fingerprint) or a near copy (MinHash/LSH on
   morpheme 3-gram shingles, then an exact containment check), including spun copies.
2. Stories: the same event across outlets. Candidate pairs come from an inverted index over each
   document's most distinctive keywords and organisations (blocking), never from all pairs; a pair
   is linked when the TF-IDF cosine of title/lead keywords, body keywords and organisations is high
   enough and the dates are within the story window. Clusters merge by average link so one loose
   pair cannot chain two events together.
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from datasketch import MinHash, MinHashLSH

from ainews.analyze.features import Doc
from ainews.analyze.lexicon import norm_key

NUM_PERM = 64
SHINGLE = 3
LSH_THRESHOLD = 0.3
DUP_CONTAINMENT = 0.6
TOP_FEATURES = 30
MAX_POSTING = 400
LINK_THRESHOLD = 0.17
UNDATED_PENALTY = 0.03
MERGE_AVG = 0.15


def _shingles(doc: Doc) -> set[str]:
    tokens = doc.shingle_tokens
    if len(tokens) < SHINGLE:
        return {" ".join(tokens)} if tokens else set()
    return {" ".join(tokens[i:i + SHINGLE]) for i in range(len(tokens) - SHINGLE + 1)}


def fingerprint(doc: Doc) -> str:
    """Exact-copy fingerprint: the cleaned text without spaces and punctuation."""
    return hashlib.sha1(norm_key("".join(doc.texts[2:])).encode("utf-8")).hexdigest()


def _containment(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def find_duplicates(docs: list[Doc], primary_key) -> dict[int, int]:  # noqa: ANN001 - callable
    """Map doc index → index of the primary copy, for exact and near duplicates.

    `primary_key(doc)` orders the copies of one text: the smallest is the primary.
    """
    shingles = [_shingles(d) for d in docs]
    parent = list(range(len(docs)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    exact: dict[str, int] = {}
    for d in docs:
        if len(shingles[d.index]) < 5:
            continue
        fp = fingerprint(d)
        if fp in exact:
            parent[find(d.index)] = find(exact[fp])
        else:
            exact[fp] = d.index
    lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
    hashes = MinHash.bulk([[s.encode("utf-8") for s in sh] for sh in shingles], num_perm=NUM_PERM)
    for d, mh in zip(docs, hashes, strict=True):
        if len(shingles[d.index]) < 8:
            continue
        for other in lsh.query(mh):
            if _containment(shingles[d.index], shingles[other]) >= DUP_CONTAINMENT:
                parent[find(d.index)] = find(other)
        lsh.insert(d.index, mh)
    groups: dict[int, list[int]] = defaultdict(list)
    for d in docs:
        groups[find(d.index)].append(d.index)
    result: dict[int, int] = {}
    for members in groups.values():
        if len(members) < 2:
            continue
        primary = min(members, key=lambda i: primary_key(docs[i]))
        for i in members:
            if i != primary:
                result[i] = primary
    return result


@dataclass(slots=True)
class _Vec:
    weights: dict[str, float] = field(default_factory=dict)
    norm: float = 0.0
    top: list[str] = field(default_factory=list)


def _vectors(docs: list[Doc], orgs: dict[int, list[str]]) -> dict[int, _Vec]:
    """TF-IDF vectors: head keywords (title/lead) weigh double, organisations triple."""
    df: Counter[str] = Counter()
    raw: dict[int, Counter[str]] = {}
    for d in docs:
        feats: Counter[str] = Counter()
        for k, c in d.keywords.items():
            feats[k] += math.log1p(c)
        for k, c in d.head_keywords.items():
            feats[k] += 2.0 * math.log1p(c)
        for name in orgs.get(d.index, [])[:6]:
            feats["org:" + name] += 3.0
        raw[d.index] = feats
        df.update(feats.keys())
    n = len(docs)
    out: dict[int, _Vec] = {}
    for i, feats in raw.items():
        vec = _Vec()
        for k, tf in feats.items():
            idf = math.log((n + 20) / (df[k] + 0.5))
            vec.weights[k] = tf * idf
        vec.norm = math.sqrt(sum(w * w for w in vec.weights.values())) or 1.0
        vec.top = [k for k, _ in sorted(vec.weights.items(), key=lambda kv: -kv[1])[:TOP_FEATURES]]
        out[i] = vec
    return out


def _cosine(a: _Vec, b: _Vec) -> float:
    if len(a.weights) > len(b.weights):
        a, b = b, a
    dot = sum(w * b.weights.get(k, 0.0) for k, w in a.weights.items())
    return dot / (a.norm * b.norm)


def _hours_apart(a: datetime | None, b: datetime | None) -> float | None:
    if a is None or b is None:
        return None
    return abs((a - b).total_seconds()) / 3600.0


def candidate_pairs(vecs: dict[int, _Vec]) -> set[tuple[int, int]]:
    """Pairs sharing at least two distinctive features (blocking keeps this near-linear)."""
    postings: dict[str, list[int]] = defaultdict(list)
    for i, vec in vecs.items():
        for k in vec.top:
            postings[k].append(i)
    shared: Counter[tuple[int, int]] = Counter()
    for ids in postings.values():
        if len(ids) > MAX_POSTING:
            continue
        for x in range(len(ids)):
            for y in range(x + 1, len(ids)):
                a, b = ids[x], ids[y]
                shared[(a, b) if a < b else (b, a)] += 1
    return {pair for pair, c in shared.items() if c >= 2}


def cluster_stories(docs: list[Doc], orgs: dict[int, list[str]], window_hours: float,
                    dates: dict[int, datetime | None]) -> list[list[int]]:
    """Groups of doc indexes that report the same event (singletons included)."""
    vecs = _vectors(docs, orgs)
    sims: dict[tuple[int, int], float] = {}
    for a, b in candidate_pairs(vecs):
        apart = _hours_apart(dates.get(a), dates.get(b))
        if apart is not None and apart > window_hours:
            continue
        sim = _cosine(vecs[a], vecs[b]) - (UNDATED_PENALTY if apart is None else 0.0)
        if sim >= LINK_THRESHOLD:
            sims[(a, b)] = sim
    return _average_link([d.index for d in docs], sims)


def _average_link(items: Iterable[int], sims: dict[tuple[int, int], float]) -> list[list[int]]:
    """Merge along the strongest links while the clusters' average similarity stays high."""
    cluster_of = {i: i for i in items}
    members: dict[int, list[int]] = {i: [i] for i in cluster_of}
    for (a, b), _sim in sorted(sims.items(), key=lambda kv: -kv[1]):
        ca, cb = cluster_of[a], cluster_of[b]
        if ca == cb:
            continue
        ma, mb = members[ca], members[cb]
        total = 0.0
        for x in ma:
            for y in mb:
                total += sims.get((x, y) if x < y else (y, x), 0.0)
        if total / (len(ma) * len(mb)) < MERGE_AVG:
            continue
        if len(ma) < len(mb):
            ca, cb, ma, mb = cb, ca, mb, ma
        ma.extend(mb)
        for y in mb:
            cluster_of[y] = ca
        del members[cb]
    return list(members.values())
