"""Search, filter and page speed on a generated store (100k articles by default).

Environment: AINEWS_BENCH_ARTICLES=N (default 100000); AINEWS_BENCH_DB=PATH-or-URL keeps the store there
and reuses it on the next run (a PostgreSQL URL benchmarks the tsvector backend; without it a temp SQLite file).

Prints: store fill and index build time (Kiwi morphemes + FTS), search latency p50/p95 (goal p95 < 50 ms)
with and without filters, filtered lists and counts (goal p95 well under 100 ms), facet counts, trends,
and the server-side render time of the main pages. The machine's load average is printed first: on a
shared machine, numbers taken under load are worse.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests.support: scaffolding shared with the tests

from ainews.analyze.korean import index_tokens  # noqa: E402
from ainews.models import Story  # noqa: E402
from ainews.store import Store  # noqa: E402
from ainews.store import search as S  # noqa: E402
from tests.support.devdata import bulk_insert, generate_articles  # noqa: E402

QUERIES = ["카카오", "카카오의", "오픈AI", "OpenAI", "네이버 AI 검색", "엔비디아 반도체", "데이터센터", "삼성전자의",
           "AI 에이전트", "투자 유치", "LG AI연구원", "멀티모달 모델", "딥시크", "퓨리오사AI 양산", "업스테이지",
           "클라우드 플랫폼", "자율주행 소프트웨어", "가격 인하", "의료 AI", "없는단어조합", '"; NEAR(', "SK하이닉스"]
LISTS = {
    "list topic": S.Filters(topic="LLM"),
    "list topic + company": S.Filters(topic="LLM", company="카카오"),
    "list company + outlet": S.Filters(company="딥시크", outlet="한겨레"),
    "list category + 1 week": S.Filters(category="연구·모델", date_from=date(2025, 6, 2), date_to=date(2025, 6, 8)),
    "list no filter": S.Filters(),
    "list no match": S.Filters(company="없는회사"),
}


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def timed(fn: Callable[[], object], repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def report(name: str, ms: list[float]) -> None:
    print(f"{name:<34} p50 {statistics.median(ms):7.1f} ms   p95 {percentile(ms, 95):7.1f} ms   (n={len(ms)})")


def fill(store: Store, n: int) -> None:
    """Generated articles plus one 12-member story, unless the store already has articles."""
    if store.count_articles():
        print(f"store: reusing {store.count_articles()} articles")
        return
    start = time.perf_counter()
    articles = generate_articles(n)
    bulk_insert(store, articles)
    print(f"store: {n} generated articles inserted in {time.perf_counter() - start:.1f} s")
    members = store.articles_between(articles[0].day, articles[0].day)[:12]  # type: ignore[arg-type]
    store.save_story(Story(id="bench-story", title=members[0].title, representative_id=members[0].id or 0,
                           member_ids=[m.id or 0 for m in members], first_seen=members[0].published_at,
                           last_seen=members[-1].published_at))


def build_index(store: Store) -> S.SearchIndex:
    index = S.SearchIndex(store, index_tokens)
    if hasattr(index, "sync_facets"):
        start = time.perf_counter()
        done = index.sync_facets()
        print(f"facet rows: {done} articles in {time.perf_counter() - start:.1f} s")
    start = time.perf_counter()
    indexed = index.sync()
    build = time.perf_counter() - start
    if indexed:
        print(f"index build: {indexed} articles in {build:.1f} s ({indexed / build:.0f} articles/s)")
    start = time.perf_counter()
    index.sync()
    print(f"index catch-up check with nothing new: {(time.perf_counter() - start) * 1000:.0f} ms")
    return index


def bench_search(index: S.SearchIndex) -> None:
    index.search("워밍업", 20)
    report("search (20 hits, snippets)", [t for q in QUERIES for t in timed(lambda q=q: index.search(q, 20), 10)])
    for name, f in (("topic", S.Filters(topic="LLM")), ("company", S.Filters(company="딥시크"))):
        ms = [t for q in QUERIES for t in timed(lambda q=q, f=f: index.search(q, 20, f), 3)]
        report(f"search + {name} filter", ms)


def bench_lists(store: Store) -> None:
    for name, f in LISTS.items():
        report(name, timed(lambda f=f: (S.list_articles(store, f, 31), S.count_articles(store, f)), 10))
    report("facet counts (uncached)", timed(lambda: S.facets(store), 5))
    report("trends 12 weeks", timed(lambda: S.trends(store, "company", 12), 5))


def bench_pages(store: Store, index: S.SearchIndex) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient

        from ainews.web.app import create_app

        client = TestClient(create_app(store, index=index))
        pages = {"index page /": "/", "story page": "/story/bench-story", "search page": "/search?q=카카오",
                 "articles filtered": "/articles?topic=LLM&company=카카오", "articles unfiltered": "/articles",
                 "trends page": "/trends", "api articles company": "/api/articles?company=딥시크&limit=50"}
        for name, url in pages.items():
            client.get(url)  # warm caches (facets)
            report(f"render {name}", timed(lambda url=url: client.get(url).raise_for_status(), 20))


def run(url: str, n: int) -> None:
    store = Store(url)
    fill(store, n)
    index = build_index(store)
    bench_search(index)
    bench_lists(store)
    bench_pages(store, index)
    store.close()


def main() -> int:
    print(f"load average (1, 5, 15 min): {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    n = int(os.environ.get("AINEWS_BENCH_ARTICLES", "100000"))
    where = os.environ.get("AINEWS_BENCH_DB")
    if where:
        run(where if "://" in where else f"sqlite:///{where}", n)
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        run(f"sqlite:///{Path(tmp) / 'bench.db'}", n)
    return 0


if __name__ == "__main__":
    sys.exit(main())
