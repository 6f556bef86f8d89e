"""Speed of the whole analyze stage (analyze_batch) on synthetic corpora of growing size.

Articles recombine sentences of the labelled dev set (or a built-in sample when ../shared is
absent), so every article shares vocabulary with many others: a harder case for story blocking
than real news. They are spread at ARTICLES_PER_DAY (an archive import: the more articles, the
more days), or over a fixed span with `--days N` (denser as it grows: the stress case).
Columns: wall seconds, articles/s, wall time inside Kiwi (korean.tagged) and the rest, process
CPU seconds (all threads), candidate story pairs (in total and per article: they depend on how
many articles share the story window, not on the corpus size), the process's peak RSS so far and
the machine load (the machine is shared). 20k runs only with AINEWS_BENCH_20K=1 (about 2-3 minutes
more). Usage: `analysis_speed.py [1000,2000,5000] [--days 30]`.
"""

from __future__ import annotations

import json
import os
import random
import resource
import sys
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from ainews.analyze import analyze_batch, cluster, features, korean
from ainews.config import Settings
from ainews.models import KST, Article

DEV = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus" / "labelled" / "analysis_dev.jsonl"
FALLBACK = ["오픈AI가 새 거대언어모델을 공개했다.", "삼성전자가 HBM3E 양산에 들어갔다.",
            "국회는 AI 기본법을 통과시켰다.", "네이버클라우드는 하이퍼클로바X를 업데이트했다.",
            "서울의 낮 기온은 영하 3도로 춥겠다."]
ARTICLES_PER_DAY = 300
SIZES = "1000,2000,5000,10000"


def sentences() -> list[str]:
    if not DEV.is_file():
        return FALLBACK
    out: list[str] = []
    for line in DEV.read_text(encoding="utf-8").splitlines():
        text = json.loads(line)["text"]
        out.extend(s.strip() + "." for s in text.replace("\n", " ").split(". ") if len(s.strip()) > 20)
    return out


def corpus(n: int, pool: list[str], days: float, seed: int = 7) -> list[Article]:
    rng = random.Random(seed)
    start = datetime(2025, 1, 1, 9, tzinfo=KST)
    articles = []
    for i in range(n):
        body = " ".join(rng.choice(pool) for _ in range(rng.randint(6, 14)))
        title = rng.choice(pool)[:60]
        when = start + timedelta(hours=rng.uniform(0, 24 * days))
        articles.append(Article(url=f"https://news{i % 50}.example/{i}", title=title, body=body,
                                published_at=when, id=i + 1))
    return articles


class Meter:
    """Wraps a module function while in a `with` block, adding up its time and keeping its last result."""

    def __init__(self, module: Any, name: str) -> None:  # noqa: ANN401 - any module
        self.module, self.name = module, name
        self.inner: Callable[..., Any] = getattr(module, name)
        self.seconds = 0.0
        self.last: Any = None

    def _timed(self, *args: Any, **kwargs: Any) -> Any:  # noqa: ANN401 - passes through
        t0 = time.perf_counter()
        self.last = self.inner(*args, **kwargs)
        self.seconds += time.perf_counter() - t0
        return self.last

    def __enter__(self) -> Meter:
        setattr(self.module, self.name, self._timed)
        return self

    def __exit__(self, *exc: object) -> None:
        setattr(self.module, self.name, self.inner)


def load() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


def run(n: int, pool: list[str], days: float | None, settings: Settings) -> str:
    span = days if days is not None else n / ARTICLES_PER_DAY
    articles = corpus(n, pool, span)
    with Meter(korean, "tagged") as kiwi, Meter(cluster, "candidate_pairs") as pairs:
        t0, c0 = time.perf_counter(), time.process_time()
        analyze_batch(articles, [], [], settings)
        total, cpu = time.perf_counter() - t0, time.process_time() - c0
    npairs = len(pairs.last or ())
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return (f"{n:>8} {span:>6.0f} {total:>8.1f} {n / total:>7.0f} {kiwi.seconds:>7.1f} {total - kiwi.seconds:>7.1f}"
            f" {cpu:>7.1f} {npairs:>9} {npairs / n:>7.1f} {rss:>8.0f} {load():>15}")


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    days = float(sys.argv[sys.argv.index("--days") + 1]) if "--days" in sys.argv else None
    if days is not None:
        args = [a for a in args if a != sys.argv[sys.argv.index("--days") + 1]]
    sizes = [int(s) for s in (args[0] if args else SIZES).split(",")]
    if not args and os.environ.get("AINEWS_BENCH_20K"):
        sizes.append(20000)
    pool = sentences()
    settings = Settings()
    features.prepare(corpus(5, pool, 1))  # build Kiwi once, outside the timings
    print(f"analyze_batch on {os.cpu_count()} cores; "
          + (f"{days:g} days" if days is not None else f"{ARTICLES_PER_DAY} articles/day"))
    print(f"{'articles':>8} {'days':>6} {'total s':>8} {'art/s':>7} {'kiwi s':>7} {'rest s':>7}"
          f" {'cpu s':>7} {'pairs':>9} {'pairs/a':>7} {'maxRSS MB':>8} {'load 1/5/15 m':>15}")
    for n in sizes:
        print(run(n, pool, days, settings), flush=True)


if __name__ == "__main__":
    main()
