"""Speed of the whole analyze stage (analyze_batch) on synthetic corpora of growing size.

Articles are made by recombining sentences of the labelled dev set (or a built-in sample when
../shared is absent) over a 30-day span, so the clustering sees realistic keyword overlap.
Prints articles/s and the time split (Kiwi preparation vs rules and clustering) per size, to show
that the stage grows near-linearly. Usage: `analysis_speed.py [1000,5000,20000]`.
"""

from __future__ import annotations

import json
import random
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

from ainews.analyze import analyze_batch, features
from ainews.config import Settings
from ainews.models import KST, Article

DEV = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus" / "labelled" / "analysis_dev.jsonl"
FALLBACK = ["오픈AI가 새 거대언어모델을 공개했다.", "삼성전자가 HBM3E 양산에 들어갔다.",
            "국회는 AI 기본법을 통과시켰다.", "네이버클라우드는 하이퍼클로바X를 업데이트했다.",
            "서울의 낮 기온은 영하 3도로 춥겠다."]


def sentences() -> list[str]:
    if not DEV.is_file():
        return FALLBACK
    out: list[str] = []
    for line in DEV.read_text(encoding="utf-8").splitlines():
        text = json.loads(line)["text"]
        out.extend(s.strip() + "." for s in text.replace("\n", " ").split(". ") if len(s.strip()) > 20)
    return out


def corpus(n: int, pool: list[str], seed: int = 7) -> list[Article]:
    rng = random.Random(seed)
    start = datetime(2025, 1, 1, 9, tzinfo=KST)
    articles = []
    for i in range(n):
        body = " ".join(rng.choice(pool) for _ in range(rng.randint(6, 14)))
        title = rng.choice(pool)[:60]
        when = start + timedelta(hours=rng.uniform(0, 24 * 30))
        articles.append(Article(url=f"https://news{i % 50}.example/{i}", title=title, body=body,
                                published_at=when, id=i + 1))
    return articles


def main() -> None:
    sizes = [int(s) for s in (sys.argv[1] if len(sys.argv) > 1 else "1000,5000,20000").split(",")]
    pool = sentences()
    settings = Settings()
    features.prepare(corpus(5, pool))  # build Kiwi once, outside the timings
    print(f"{'articles':>9} {'total s':>9} {'art/s':>8} {'kiwi s':>8} {'rest s':>16}")
    for n in sizes:
        articles = corpus(n, pool)
        t0 = time.perf_counter()
        features.prepare(articles)
        kiwi_s = time.perf_counter() - t0
        t1 = time.perf_counter()
        analyze_batch(articles, [], [], settings)
        total = time.perf_counter() - t1
        print(f"{n:>9} {total:>9.1f} {n / total:>8.0f} {kiwi_s:>8.1f} {max(0.0, total - kiwi_s):>16.1f}", flush=True)


if __name__ == "__main__":
    main()
