"""Publishing speed: a year of archive (365 days × 30 items) from a store, then one new day.

Goals (2 cores): full publish under 30 s; incremental publish of one new day under 2 s.
Articles are stored already analyzed (current analysis version), so this times publishing
(digest building, Markdown, JSON, index, site, feeds), not analysis. Prints time and peak memory.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ainews import analyze, pipeline  # noqa: E402
from ainews.analyze.korean import index_tokens  # noqa: E402
from ainews.config import Settings  # noqa: E402
from ainews.models import KST, Analysis, Article, Story  # noqa: E402
from ainews.store import Store  # noqa: E402
from ainews.store.search import SearchIndex  # noqa: E402

TOPICS = ["LLM", "반도체", "로봇", "AI 정책", "멀티모달", "에이전트", "데이터센터", "자율주행", "의료 AI", "오픈소스"]
COMPANIES = [
    "오픈AI", "삼성전자", "네이버", "카카오", "LG AI연구원", "SK텔레콤", "엔비디아", "구글", "업스테이지", "KT",
]
PUBLISHERS = ["AI타임스", "전자신문", "ZDNet Korea", "연합뉴스", "한겨레", "조선일보"]
PARAGRAPH = ("인공지능 업계가 새 모델 경쟁에 나섰다. 회사는 이번 발표로 추론 성능과 한국어 이해 능력이 크게 "
             "좋아졌다고 밝혔다. 업계에서는 데이터센터 투자와 반도체 수급이 다음 과제로 꼽힌다. ")


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def add_day(store: Store, day: date, per_day: int, n0: int) -> None:
    """`per_day` analyzed articles; every fifth continues a story from the day before (two outlets)."""
    for n in range(per_day):
        k = n0 + n
        story_id = f"s-{day - timedelta(days=day.toordinal() % 2)}-{n}" if n % 5 == 0 else None
        published = datetime(day.year, day.month, day.day, 8, n % 60, tzinfo=KST)
        article = Article(
            url=f"https://news.example.com/{day}/{n}", title=f"{COMPANIES[k % 10]}, {TOPICS[k % 10]} 신기술 발표 {k}",
            body=(PARAGRAPH * 8) + f"\n\n기사 번호 {k}.", publisher=PUBLISHERS[k % 6], published_at=published,
            host="news.example.com", content_hash=f"h{k}",
            analysis=Analysis(relevance=0.5 + (k % 50) / 100, is_ai=True, reasons=["bench"], category="산업",
                              topics=[TOPICS[k % 10], TOPICS[(k + 3) % 10]], companies=[COMPANIES[k % 10]],
                              story_id=story_id, summary=[f"요약 {k} 첫 문장이다.", "두 번째 문장이다.", "세 번째."],
                              summary_method="extractive", version=analyze.ANALYSIS_VERSION))
        article_id, _ = store.upsert_article(article)
        if story_id:
            existing = store.get_story(story_id)
            members = (existing.member_ids if existing else []) + [article_id]
            store.save_story(Story(id=story_id, title=article.title, representative_id=members[0],
                                   member_ids=members, first_seen=published, last_seen=published,
                                   summary=["이야기 요약."]))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--per-day", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ainews-bench-") as tmp:
        folder = Path(tmp)
        settings = Settings(db=str(folder / "bench.db"))
        store = Store(settings.db_url)
        start = date(2025, 1, 1)
        t0 = time.perf_counter()
        for i in range(args.days):
            add_day(store, start + timedelta(days=i), args.per_day, i * args.per_day)
        print(f"setup: {args.days} days × {args.per_day} items stored in {time.perf_counter() - t0:.1f} s")
        t0 = time.perf_counter()  # a real store is indexed as articles are analyzed, not at publish time
        SearchIndex(store, index_tokens).sync()
        print(f"setup: search index of the archive built in {time.perf_counter() - t0:.1f} s "
              f"(peak RSS so far {peak_mb():.0f} MB, Kiwi)")
        out = folder / "out"
        t0 = time.perf_counter()
        full = pipeline.publish_all(store, settings, out, pipeline.PublishOptions(weekly=True))
        full_s = time.perf_counter() - t0
        files = sum(1 for p in out.rglob("*") if p.is_file())
        size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file()) / 1e6
        print(f"full publish: {full_s:.1f} s for {len(full.days)} days, {full.items} items, "
              f"{files} files ({size:.0f} MB); peak RSS {peak_mb():.0f} MB  (goal < 30 s)")
        t0 = time.perf_counter()
        again = pipeline.publish_all(store, settings, out, pipeline.PublishOptions(weekly=True))
        print(f"re-run, nothing changed: {time.perf_counter() - t0:.1f} s, {len(again.written)} files written")
        new_day = start + timedelta(days=args.days)
        add_day(store, new_day, args.per_day, args.days * args.per_day)
        t0 = time.perf_counter()
        inc = pipeline.publish_day(store, settings, new_day, out)
        inc_s = time.perf_counter() - t0
        print(f"incremental publish of one new day: {inc_s:.2f} s, {len(inc.written)} files written; "
              f"peak RSS {peak_mb():.0f} MB  (goal < 2 s)")
        store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
