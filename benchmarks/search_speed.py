"""Search and page speed on a generated store (100k articles by default; AINEWS_BENCH_ARTICLES=N to change).

Prints: store fill time, index build time (Kiwi morphemes + FTS5), search latency p50/p95 (goal p95 < 50 ms),
and server-side render time of the index page, a story page, a search page and a filtered list.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path

from ainews.models import Story
from ainews.store import Store
from ainews.store.search import Filters, SearchIndex
from ainews.web.devdata import bulk_insert, generate_articles

QUERIES = ["카카오", "카카오의", "오픈AI", "OpenAI", "네이버 AI 검색", "엔비디아 반도체", "데이터센터", "삼성전자의",
           "AI 에이전트", "투자 유치", "LG AI연구원", "멀티모달 모델", "딥시크", "퓨리오사AI 양산", "업스테이지",
           "클라우드 플랫폼", "자율주행 소프트웨어", "가격 인하", "의료 AI", "없는단어조합", '"; NEAR(', "SK하이닉스"]


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


def main() -> int:
    n = int(os.environ.get("AINEWS_BENCH_ARTICLES", "100000"))
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        store = Store(f"sqlite:///{db}")
        start = time.perf_counter()
        articles = generate_articles(n)
        bulk_insert(store, articles)
        print(f"store: {n} generated articles inserted in {time.perf_counter() - start:.1f} s")
        members = [a for a in store.articles_between(articles[0].day, articles[0].day)][:12]  # type: ignore[arg-type]
        story = Story(id="bench-story", title=members[0].title, representative_id=members[0].id or 0,
                      member_ids=[m.id or 0 for m in members], first_seen=members[0].published_at,
                      last_seen=members[-1].published_at)
        store.save_story(story)

        index = SearchIndex(store)
        start = time.perf_counter()
        indexed = index.sync()
        build = time.perf_counter() - start
        print(f"index build: {indexed} articles in {build:.1f} s ({indexed / build:.0f} articles/s); "
              f"database {db.stat().st_size / 1e6:.0f} MB with index")
        start = time.perf_counter()
        index.sync()
        print(f"index catch-up check with nothing new: {(time.perf_counter() - start) * 1000:.0f} ms")

        index.search("워밍업", 20)
        latencies = [t for q in QUERIES for t in timed(lambda q=q: index.search(q, 20), 10)]
        report("search (20 hits, snippets)", latencies)
        filtered = [t for q in QUERIES for t in timed(lambda q=q: index.search(q, 20, Filters(topic="LLM")), 3)]
        report("search + topic filter", filtered)

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from fastapi.testclient import TestClient

            from ainews.web.app import create_app

            client = TestClient(create_app(store, index=index))
            pages = {"index page /": "/", "story page": "/story/bench-story", "search page": "/search?q=카카오",
                     "articles filtered": "/articles?topic=LLM&company=카카오"}
            for name, url in pages.items():
                client.get(url)  # warm caches (facets)
                report(f"render {name}", timed(lambda url=url: client.get(url).raise_for_status(), 20))
        store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
