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
import struct
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache

import numpy as np
from datasketch import MinHash, MinHashLSH

from ainews.analyze.attach import attach_small, core_entities
from ainews.analyze.events import announced_then_done, status
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
COSINE_BATCH = 20000
STATUS_PENALTY = 0.1  # a pre-announcement vs the launch it announced (events.py)


def _shingles(doc: Doc) -> set[str]:
    tokens = doc.shingle_tokens
    if len(tokens) < SHINGLE:
        return {" ".join(tokens)} if tokens else set()
    return {" ".join(tokens[i:i + SHINGLE]) for i in range(len(tokens) - SHINGLE + 1)}


@lru_cache(maxsize=1 << 20)
def _shingle_hash(shingle: str) -> int:
    """datasketch's default 32-bit SHA-1 hash, cached: copies and boilerplate repeat shingles."""
    return struct.unpack("<I", hashlib.sha1(shingle.encode("utf-8")).digest()[:4])[0]


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
    hashes = MinHash.bulk(shingles, num_perm=NUM_PERM, hashfunc=_shingle_hash)
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
    weights: dict[str, float] = field(default_factory=dict)  # unit length: a dot product is the cosine
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
    idf = {k: math.log((len(docs) + 20) / (c + 0.5)) for k, c in df.items()}
    out: dict[int, _Vec] = {}
    for i, feats in raw.items():
        weights = {k: tf * idf[k] for k, tf in feats.items()}
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        vec = _Vec({k: w / norm for k, w in weights.items()})
        vec.top = sorted(weights, key=weights.__getitem__, reverse=True)[:TOP_FEATURES]
        out[i] = vec
    return out


def _cosines(vecs: dict[int, _Vec], pairs: list[tuple[int, int]]) -> np.ndarray:
    """Cosines of many pairs at once (vectors are unit length, so a cosine is a dot product).

    All vectors go into one sorted array of `row * vocabulary + feature` keys; each pair looks up
    the features of its shorter vector in the other row with one vectorised binary search. The
    pairs go through in batches so the temporary arrays stay small.
    """
    rows = {i: r for r, i in enumerate(vecs)}
    vocab: dict[str, int] = {}
    feats: list[int] = []
    weights: list[float] = []
    lens: list[int] = []
    for vec in vecs.values():
        entries = sorted((vocab.setdefault(k, len(vocab)), w) for k, w in vec.weights.items())
        feats.extend(f for f, _ in entries)
        weights.extend(w for _, w in entries)
        lens.append(len(entries))
    feat, wts, row_len = np.array(feats, np.int64), np.array(weights), np.array(lens, np.int64)
    row_start = np.cumsum(row_len) - row_len
    keys = np.repeat(np.arange(len(lens), dtype=np.int64), row_len) * max(1, len(vocab)) + feat
    out = np.zeros(len(pairs))
    for lo in range(0, len(pairs), COSINE_BATCH):
        batch = np.array([(rows[a], rows[b]) for a, b in pairs[lo:lo + COSINE_BATCH]], np.int64).reshape(-1, 2)
        short = row_len[batch[:, 0]] <= row_len[batch[:, 1]]
        first = np.where(short, batch[:, 0], batch[:, 1])
        second = np.where(short, batch[:, 1], batch[:, 0])
        n = row_len[first]
        pair_of = np.repeat(np.arange(len(batch)), n)
        entry = row_start[first][pair_of] + np.arange(int(n.sum())) - (np.cumsum(n) - n)[pair_of]
        query = second[pair_of] * max(1, len(vocab)) + feat[entry]
        pos = np.minimum(np.searchsorted(keys, query), len(keys) - 1)
        prod = np.where(keys[pos] == query, wts[entry] * wts[pos], 0.0)
        out[lo:lo + len(batch)] = np.bincount(pair_of, weights=prod, minlength=len(batch))
    return out


def candidate_pairs(vecs: dict[int, _Vec], hours: dict[int, float], window_hours: float) -> set[tuple[int, int]]:
    """Pairs sharing at least two distinctive features within the story window (blocking).

    Each feature's documents are sorted by time and only those within `window_hours` of each other
    are paired (a sliding window), so an archive of many months costs what its busiest days cost.
    Where a feature is in more than MAX_POSTING documents within the window around a document, it is
    too common there to say which event a document reports, and it pairs nothing for that document:
    the pairs per document are bounded, so the count grows linearly with the corpus. `hours` holds
    the dated documents' times; undated ones pair with every document of a feature below the cap.
    """
    postings: dict[str, list[int]] = defaultdict(list)
    for i in sorted(vecs, key=lambda i: (hours.get(i, math.inf), i)):
        for k in vecs[i].top:
            postings[k].append(i)
    shared: Counter[tuple[int, int]] = Counter()
    for ids in postings.values():
        if len(ids) > 1:
            _window_pairs(ids, hours, window_hours, shared)
    return {pair for pair, c in shared.items() if c >= 2}


def _window_pairs(ids: list[int], hours: dict[int, float], window: float,
                  shared: Counter[tuple[int, int]]) -> None:
    """Count the pairs of one feature's posting list (dated first, in time order; undated last)."""
    dated = [i for i in ids if i in hours]
    times = [hours[i] for i in dated]
    sparse = [bisect_right(times, t + window) - bisect_left(times, t - window) <= MAX_POSTING for t in times]
    left = 0
    for j, b in enumerate(dated):
        while times[left] < times[j] - window:
            left += 1
        if not sparse[j]:
            continue
        for x in range(left, j):
            if sparse[x]:
                a = dated[x]
                shared[(a, b) if a < b else (b, a)] += 1
    undated = ids[len(dated):]
    if undated and len(ids) <= MAX_POSTING:
        for y, b in enumerate(undated):
            for a in ids[:len(dated) + y]:
                shared[(a, b) if a < b else (b, a)] += 1


def cluster_stories(docs: list[Doc], orgs: dict[int, list[str]], window_hours: float,
                    dates: dict[int, datetime | None]) -> list[list[int]]:
    """Groups of doc indexes that report the same event (singletons included)."""
    vecs = _vectors(docs, orgs)
    hours = {d.index: stamp.timestamp() / 3600.0 for d in docs if (stamp := dates.get(d.index)) is not None}
    pairs = [(a, b) for a, b in sorted(candidate_pairs(vecs, hours, window_hours))
             if a not in hours or b not in hours or abs(hours[a] - hours[b]) <= window_hours]
    sims: dict[tuple[int, int], float] = {}
    state = {d.index: status(d) for d in docs}
    for (a, b), cos in zip(pairs, _cosines(vecs, pairs).tolist(), strict=True):
        sims[(a, b)] = cos - (0.0 if a in hours and b in hours else UNDATED_PENALTY)
        if STATUS_PENALTY and announced_then_done(state[a], state[b], hours.get(a), hours.get(b)):
            sims[(a, b)] -= STATUS_PENALTY
    groups = _average_link([d.index for d in docs], {p: s for p, s in sims.items() if s >= LINK_THRESHOLD})
    core = {d.index: core_entities(d, orgs.get(d.index, [])) for d in docs}
    return attach_small(groups, sims, core, hours, window_hours)


def _average_link(items: Iterable[int], sims: dict[tuple[int, int], float]) -> list[list[int]]:
    """Merge along the strongest links while the clusters' average similarity stays high.

    The link sums between clusters are kept up to date as clusters merge, so a merge check costs
    one look-up rather than a pass over both clusters' member pairs.
    """
    cluster_of = {i: i for i in items}
    members: dict[int, list[int]] = {i: [i] for i in cluster_of}
    links: dict[int, dict[int, float]] = defaultdict(dict)
    for (a, b), sim in sims.items():
        links[a][b] = links[b][a] = sim
    for (a, b), _sim in sorted(sims.items(), key=lambda kv: (-kv[1], kv[0])):
        ca, cb = cluster_of[a], cluster_of[b]
        if ca == cb:
            continue
        ma, mb = members[ca], members[cb]
        if links[ca].get(cb, 0.0) / (len(ma) * len(mb)) < MERGE_AVG:
            continue
        if len(ma) < len(mb):
            ca, cb, ma, mb = cb, ca, mb, ma
        ma.extend(mb)
        for y in mb:
            cluster_of[y] = ca
        del members[cb]
        for other, total in links.pop(cb, {}).items():
            del links[other][cb]
            if other != ca:
                links[ca][other] = links[other][ca] = links[ca].get(other, 0.0) + total
    return list(members.values())
