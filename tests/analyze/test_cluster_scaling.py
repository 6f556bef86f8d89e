"""Story blocking, vectorised cosines, average-link merging and chunked preparation (the scaling parts)."""

from __future__ import annotations

import math
import random

from ainews.analyze import cluster, features
from ainews.analyze.cluster import MAX_POSTING, _average_link, _cosines, _Vec, candidate_pairs
from ainews.models import Article


def _vec(weights: dict[str, float]) -> _Vec:
    norm = math.sqrt(sum(w * w for w in weights.values()))
    return _Vec({k: w / norm for k, w in weights.items()}, top=sorted(weights, key=weights.__getitem__)[::-1])


def test_pairs_only_within_the_story_window() -> None:
    vecs = {i: _vec({"퓨리오사": 2.0, "레니게이드": 1.5, f"own{i}": 1.0}) for i in range(3)}
    hours = {0: 0.0, 1: 48.0, 2: 48.0 + 100.0}
    assert candidate_pairs(vecs, hours, 72.0) == {(0, 1)}
    assert candidate_pairs(vecs, hours, 200.0) == {(0, 1), (0, 2), (1, 2)}


def test_one_shared_feature_is_not_a_candidate() -> None:
    vecs = {0: _vec({"삼성전자": 1.0, "hbm": 1.0}), 1: _vec({"삼성전자": 1.0, "파운드리": 1.0})}
    assert candidate_pairs(vecs, {0: 0.0, 1: 1.0}, 72.0) == set()


def test_undated_documents_pair_with_dated_and_undated() -> None:
    vecs = {i: _vec({"엑사원": 1.0, "lg": 1.0}) for i in range(3)}
    assert candidate_pairs(vecs, {0: 0.0}, 72.0) == {(0, 1), (0, 2), (1, 2)}


def test_feature_too_common_within_the_window_pairs_nothing() -> None:
    n = MAX_POSTING + 10
    dense = {i: _vec({"ai": 1.0, "모델": 1.0, f"own{i}": 0.5}) for i in range(n)}
    assert candidate_pairs(dense, {i: i * 0.01 for i in range(n)}, 72.0) == set()
    # the same documents spread thinly over time do pair (with their neighbours only)
    spread = {i: i * 10.0 for i in range(n)}
    pairs = candidate_pairs(dense, spread, 72.0)
    assert (0, 7) in pairs and (0, 8) not in pairs
    assert len(pairs) == sum(min(7, n - 1 - i) for i in range(n))


def test_vectorised_cosines_match_the_dot_product() -> None:
    rng = random.Random(3)
    vocab = [f"w{i}" for i in range(60)]
    vecs = {i * 3: _vec({w: rng.uniform(0.1, 2.0) for w in rng.sample(vocab, rng.randint(1, 40))})
            for i in range(40)}
    ids = sorted(vecs)
    pairs = [(a, b) for a in ids for b in ids if a < b]
    got = _cosines(vecs, pairs)
    for (a, b), value in zip(pairs, got, strict=True):
        want = sum(w * vecs[b].weights.get(k, 0.0) for k, w in vecs[a].weights.items())
        assert abs(value - want) < 1e-12
    assert _cosines(vecs, []).shape == (0,)


def test_average_link_blocks_chains_and_merges_through_summed_links() -> None:
    # a-b strong, b-c weak: {a,b}+c would average (0.2 + 0) / 2 = 0.1 < MERGE_AVG
    assert sorted(map(sorted, _average_link([1, 2, 3], {(1, 2): 0.9, (2, 3): 0.2}))) == [[1, 2], [3]]
    assert sorted(map(sorted, _average_link([1, 2, 3], {(1, 2): 0.9, (2, 3): 0.5}))) == [[1, 2, 3]]
    # {1,2} and {3,4} join through two cross links: (0.35 + 0.35) / 4 >= MERGE_AVG ...
    sims = {(1, 2): 0.9, (3, 4): 0.8, (1, 3): 0.35, (2, 4): 0.35}
    assert sorted(map(sorted, _average_link([1, 2, 3, 4], sims))) == [[1, 2, 3, 4]]
    # ... but not through one: 0.35 / 4 < MERGE_AVG
    sims = {(1, 2): 0.9, (3, 4): 0.8, (1, 3): 0.35}
    assert sorted(map(sorted, _average_link([1, 2, 3, 4], sims))) == [[1, 2], [3, 4]]
    assert cluster.MERGE_AVG == 0.15  # the numbers above are chosen around it


def test_chunked_preparation_matches_one_article_at_a_time() -> None:
    titles = ["퓨리오사AI, 메타 인수 제안 거절", "삼성전자 HBM3E 양산", "오픈AI GPT 공개", "네이버 하이퍼클로바X"]
    articles = [Article(url="", title=f"{titles[i % 4]} {i}", body=f"{titles[(i + 1) % 4]}했다. 번호 {i}번.")
                for i in range(features.CHUNK_ARTICLES + 7)]
    docs = features.prepare(articles)
    for i in (0, 3, features.CHUNK_ARTICLES + 5):
        alone = features.prepare([articles[i]])[0]
        assert docs[i].keywords == alone.keywords and docs[i].org_hits == alone.org_hits
        assert docs[i].shingle_tokens == alone.shingle_tokens
    assert "퓨리오사ai" in docs[0].keywords or "퓨리오사" in docs[0].keywords
    assert docs[0].org_hits and docs[features.CHUNK_ARTICLES + 5].keywords
