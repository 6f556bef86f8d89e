"""The search index on the real corpus store, on SQLite (FTS5) and PostgreSQL (tsvector): Korean
morphology, aliases, hostile syntax, filters, catch-up, and the 20-query quality set."""

from __future__ import annotations

import pytest

from ainews.analyze.korean import index_tokens
from ainews.models import Article
from ainews.store import Store
from ainews.store.search import Filters, SearchIndex, parse_query, postgres_fts, sqlite_fts
from ainews.store.search.like import LikeScan
from ainews.web.highlight import present
from tests.support.devdata import evaluate_search
from tests.support.web_store import build_store

KAKAO = {"kakao-openai-hankyoreh", "kakao-openai-digitaldaily", "kakao-earnings"}
OPENAI = {"openai-gpt5", "kakao-openai-hankyoreh", "kakao-openai-digitaldaily", "openai-altman-korea",
          "openai-ko-office"}


@pytest.fixture(scope="module")
def corpus(any_corpus: tuple[Store, dict[str, int], SearchIndex]) -> tuple[Store, dict[str, int], SearchIndex]:
    return any_corpus


def slugs(index: SearchIndex, ids: dict[str, int], q: str, limit: int = 10, **filters: str) -> list[str]:
    by_id = {v: k for k, v in ids.items()}
    return [by_id[h.article.id or 0] for h in index.search(q, limit, Filters(**filters))]


@pytest.mark.parametrize("q", ["카카오", "카카오의", "Kakao"])
def test_kakao_with_particle_or_latin_finds_kakao_articles_first(corpus, q: str) -> None:
    _store, ids, index = corpus
    found = slugs(index, ids, q, 3)
    assert set(found) == KAKAO, found


def test_openai_spellings_find_the_same_articles(corpus) -> None:
    _store, ids, index = corpus
    results = {q: set(slugs(index, ids, q, 5)) for q in ["오픈AI", "OpenAI", "오픈 AI", "openai"]}
    assert all(r == OPENAI for r in results.values()), results
    # "OpenAI" only in English in the body is still found by the Korean spelling
    assert "openai-altman-korea" in results["오픈AI"]


def test_substring_inside_a_compound_is_found_after_whole_words(corpus) -> None:
    _store, ids, index = corpus
    found = slugs(index, ids, "카카오", 10)
    assert "kakaopay-fraud" in found  # 카카오페이: a trigram match
    assert found.index("kakaopay-fraud") >= 3


def test_story_words_and_ranking_prefers_title(corpus) -> None:
    _store, ids, index = corpus
    assert slugs(index, ids, "패자부활전", 2) == ["dokpamo-naver-zdnet", "dokpamo-naver-chosun"]
    assert set(slugs(index, ids, "독파모")) >= {"dokpamo-eval-etnews", "dokpamo-call-yna", "dokpamo-naver-zdnet"}


def test_snippets_highlight_and_escape(corpus) -> None:
    _store, ids, index = corpus
    hit = present(index.search("카카오의", 1)[0])
    assert "<mark>카카오" in hit.snippet
    hostile = [present(h) for h in index.search("해킹 보안", 5) if h.article.id == ids["xss-title"]]
    assert hostile, "the hostile article should match"
    html = str(hostile[0].title_html) + str(hostile[0].snippet)
    assert "<script>" not in html and "<iframe" not in html and "&lt;script&gt;" in html


@pytest.mark.parametrize("q", ['"', "*", "NEAR(", "'; drop table articles; --", 'NEAR("a" "b", 3)', "카카오 OR",
                               "title:카카오", "^카카오", "카카오*", "(((", "AND", "-", "\x00카카오", "ㅋ" * 500,
                               "   "])
def test_query_syntax_never_reaches_fts(corpus, q: str) -> None:
    store, _ids, index = corpus
    hits = index.search(q, 10)
    assert isinstance(hits, list)
    assert store.count_articles() > 30  # nothing dropped


def test_operators_are_words_not_syntax(corpus) -> None:
    _store, ids, index = corpus
    assert set(slugs(index, ids, "카카오*", 3)) == KAKAO
    assert parse_query('a" OR "b', index_tokens).morph_match() is not None
    assert '"' not in (parse_query('"', index_tokens).morph_match() or "")


def test_filters_combine_with_search(corpus) -> None:
    _store, ids, index = corpus
    assert set(slugs(index, ids, "카카오", 10, topic="LLM")) == {"kakao-openai-hankyoreh", "kakao-openai-digitaldaily"}
    assert slugs(index, ids, "독파모", 10, outlet="조선일보") == ["dokpamo-naver-chosun"]
    from datetime import date

    found = [h.article.day for h in index.search("독파모", 10, Filters(date_from=date(2026, 1, 16),
                                                                     date_to=date(2026, 1, 16)))]
    assert found and set(found) == {date(2026, 1, 16)}


def test_index_catches_up_on_new_and_changed_articles(any_db_url: str) -> None:
    store, ids = build_store(any_db_url, hostile=False)
    index = SearchIndex(store, index_tokens)
    assert index.sync() == store.count_articles()
    assert index.sync() == 0  # nothing stale
    new_id, _ = store.upsert_article(Article(url="https://news.example.com/new", title="퓨리오사AI 신규 칩 발표",
                                             body="새 칩 이야기", content_hash="n1"))
    assert index.stale_ids() == [new_id]
    assert index.search("퓨리오사AI 칩") == [] or all(h.article.id != new_id for h in index.search("신규 칩"))
    index.sync()
    assert [h.article.id for h in index.search("신규 칩")] == [new_id]
    # a changed page is re-indexed: the old words disappear
    store.upsert_article(Article(url="https://news.example.com/new", title="바뀐 제목 리벨리온",
                                 body="완전히 다른 본문", content_hash="n2"))
    assert index.stale_ids() == [new_id]
    assert index.update(store.get_articles([new_id])) == 1
    assert [h.article.id for h in index.search("바뀐 제목")] == [new_id]
    assert all(h.article.id != new_id for h in index.search("신규 칩"))
    assert index.rebuild() == store.count_articles()
    store.close()


def test_other_databases_fall_back_to_like(any_db_url: str) -> None:
    store, _ids = build_store(any_db_url, hostile=False)
    index = SearchIndex(store, index_tokens)
    index.text_backend = LikeScan(store)  # what a database without an FTS backend (neither SQLite nor PostgreSQL) gets
    hits = index.search("OpenAI 100%", 5)
    assert hits == []
    assert {h.article.title for h in index.search("패자부활전", 5)} >= {"네이버클라우드, 독파모 패자부활전 불참"}
    store.close()


def test_empty_store(any_db_url: str) -> None:
    store = Store(any_db_url)
    index = SearchIndex(store, index_tokens)
    assert index.sync() == 0 and index.search("카카오") == []
    store.close()


def test_quality_queries_all_right_in_the_top_five(corpus) -> None:
    """The 20 reader queries of benchmarks/search_quality.py: every expected article in the top 5."""
    _store, ids, index = corpus
    rows = evaluate_search(lambda q, n: [h.article.id or 0 for h in index.search(q, n)], ids)
    assert [r.query for r in rows if r.precision < 1.0] == [], [(r.query, r.top) for r in rows]
    assert all(r.hit_at_1 for r in rows)


def test_very_common_words_rank_only_the_newest_candidates(corpus, monkeypatch: pytest.MonkeyPatch) -> None:
    """A word in more than CANDIDATES articles is ranked among its newest matches (cost stays flat)."""
    _store, ids, index = corpus
    dokpamo = {ids[s] for s in ("dokpamo-eval-etnews", "dokpamo-eval-yna", "dokpamo-naver-zdnet",
                                "dokpamo-naver-chosun", "dokpamo-call-yna", "dokpamo-motif-etnews")}
    ranking = [h.article.id for h in index.search("독파모", 20) if h.matched == "morph"]
    assert dokpamo <= set(ranking)
    monkeypatch.setattr(sqlite_fts, "CANDIDATES", 3)
    monkeypatch.setattr(postgres_fts, "CANDIDATES", 3)
    newest_three = sorted((i for i in ranking if i is not None), reverse=True)[:3]
    capped = [h.article.id for h in index.search("독파모", 2)]
    assert capped == [i for i in ranking if i in newest_three][:2]


def test_filtered_lists_counts_and_facets_read_the_facet_rows(corpus) -> None:
    store, ids, _index = corpus
    from datetime import date

    from ainews.store.search import count_articles, facets, list_articles

    both = Filters(topic="LLM", company="카카오")
    assert {a.id for a in list_articles(store, both)} == {ids["kakao-openai-hankyoreh"],
                                                           ids["kakao-openai-digitaldaily"]}
    assert count_articles(store, both) == 2
    week = Filters(category="정책·규제", date_from=date(2026, 1, 16), date_to=date(2026, 1, 17))
    listed = list_articles(store, week)
    assert [a.day for a in listed] == sorted((a.day for a in listed), reverse=True)
    assert {a.id for a in listed} == {ids[s] for s in ("dokpamo-naver-zdnet", "dokpamo-naver-chosun", "ai-basic-law")}
    assert count_articles(store, week) == 3 and count_articles(store, Filters(company="없는회사")) == 0
    page = [a.id for a in list_articles(store, Filters(), 5, 5)]
    everything = [a.id for a in list_articles(store, Filters(), 100)]
    assert page == everything[5:10] and len(everything) == store.count_articles()
    counts = dict(facets(store)["company"])
    assert counts["카카오"] == 3 and counts["오픈AI"] == 4
    assert dict(facets(store, since=date(2026, 1, 19))["company"])["카카오"] == 1


def test_reanalysis_moves_an_article_between_facets(any_db_url: str) -> None:
    from ainews.store.search import list_articles

    store, ids = build_store(any_db_url, hostile=False)
    index = SearchIndex(store, index_tokens)
    index.sync()
    article = store.get_article(ids["lunit-medical"])
    assert article and article.analysis
    article.analysis.companies = ["루닛", "새회사"]
    article.analysis.version = "fixture-2"
    store.save_analysis(ids["lunit-medical"], article.analysis)
    assert list_articles(store, Filters(company="새회사")) == []  # not indexed yet
    index.update([article])
    assert [a.id for a in list_articles(store, Filters(company="새회사"))] == [ids["lunit-medical"]]
    store.close()


def test_app_over_an_unindexed_store_filters_at_once_and_catches_up(any_db_url: str) -> None:
    import time

    from fastapi.testclient import TestClient

    from ainews.web.app import create_app

    store, ids = build_store(any_db_url, hostile=False)
    app = create_app(store)  # no index given: facet rows now, text in the background
    client = TestClient(app)
    assert {a["id"] for a in client.get("/api/articles", params={"company": "카카오"}).json()} == {
        ids["kakao-openai-hankyoreh"], ids["kakao-openai-digitaldaily"], ids["kakao-earnings"]}
    deadline = time.monotonic() + 60
    while not client.get("/api/search", params={"q": "엑사원"}).json() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert [h["id"] for h in client.get("/api/search", params={"q": "엑사원"}).json()] == [ids["lg-exaone"]]
    new_id, _ = store.upsert_article(Article(url="https://news.example.com/late", title="늦게 온 기사 퓨리오사",
                                             body="레니게이드 후속 칩", content_hash="late"))
    app.state.web._last_sync = 0.0  # as if SYNC_EVERY had passed
    deadline = time.monotonic() + 60
    while not client.get("/api/search", params={"q": "늦게 온 기사"}).json() and time.monotonic() < deadline:
        app.state.web._last_sync = 0.0
        time.sleep(0.2)
    assert [h["id"] for h in client.get("/api/search", params={"q": "늦게 온 기사"}).json()] == [new_id]
    store.close()
