"""Load test of `ainews serve` over loopback: requests/s, p50 and p95 at 50 concurrent clients.

Builds a generated store (the web app's dev corpus plus synthetic articles and stories, search index
built), starts the real server (`python -m ainews.cli serve`, uvicorn, 127.0.0.1, a free port) and
drives it with a bounded async httpx load generator: for each page type (index, search, story) 50
clients send requests back to back for a fixed time or up to a request cap, whichever comes first.
Any non-200 answer or transport error counts as an error. The server and the generator share the
machine's cores, so the numbers are a floor; the load average is printed first. Then the day page
against a static file of the same app at 8 clients (pages are cached by the store's change
fingerprint, web/cache.py; goal: the static file at most 3× the day page's rate).

Environment: AINEWS_BENCH_SERVE_ARTICLES (default 5000), AINEWS_BENCH_SERVE_SECONDS per page type
(default 10), AINEWS_BENCH_SERVE_CLIENTS (default 50), AINEWS_BENCH_SERVE_MAX (request cap per page
type, default 20000).
"""

from __future__ import annotations

import asyncio
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests.support: scaffolding shared with the tests

from ainews.analyze.korean import index_tokens  # noqa: E402
from ainews.models import Story  # noqa: E402
from ainews.store import Store  # noqa: E402
from ainews.store.search import SearchIndex  # noqa: E402
from tests.support.devdata import bulk_insert, generate_articles, load_corpus  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
QUERIES = ["카카오", "오픈AI", "엔비디아 반도체", "AI 에이전트", "네이버 AI 검색", "데이터센터", "삼성전자의",
           "투자 유치"]
DAY_CLIENTS = 8
STORIES = 200  # generated stories of 4-12 members, besides the dev corpus's own


@dataclass
class Result:
    latencies: list[float] = field(default_factory=list)  # ms, successful requests
    errors: int = 0
    seconds: float = 0.0
    statuses: dict[str, int] = field(default_factory=dict)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))] if ordered else float("nan")


def build_store(path: Path, n: int) -> list[str]:
    """Dev corpus + `n` generated articles + generated stories, search index built; returns story ids."""
    start = time.perf_counter()
    store = Store(f"sqlite:///{path}")
    load_corpus(store)
    articles = generate_articles(n)
    bulk_insert(store, articles)
    rng = random.Random(5)
    story_ids = sorted({s.id for s in store.stories()})
    generated = [a for a in store.iter_articles() if a.url.startswith("https://news.example.com/gen/")]
    for i in range(STORIES):
        members = rng.sample(generated, rng.randint(4, 12))
        dates = [m.published_at for m in members if m.published_at]
        sid = f"bench-story-{i}"
        store.save_story(Story(id=sid, title=members[0].title, representative_id=members[0].id or 0,
                               member_ids=[m.id or 0 for m in members], first_seen=min(dates), last_seen=max(dates)))
        story_ids.append(sid)
    index = SearchIndex(store, index_tokens)
    index.sync_facets()
    indexed = index.sync()
    store.close()
    print(f"store: {store_count(path)} articles, {len(story_ids)} stories, {indexed} indexed "
          f"in {time.perf_counter() - start:.1f} s")
    return story_ids


def store_count(path: Path) -> int:
    store = Store(f"sqlite:///{path}")
    try:
        return store.count_articles()
    finally:
        store.close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(db: Path, tmp: Path, port: int) -> subprocess.Popen[bytes]:
    config = tmp / "config.toml"
    config.write_text("", encoding="utf-8")
    log = (tmp / "server.log").open("wb")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-m", "ainews.cli", "--db", str(db), "--config", str(config), "serve",
                             "--host", "127.0.0.1", "--port", str(port)], stdout=log, stderr=log, env=env)


def wait_ready(base: str, proc: subprocess.Popen[bytes], timeout: float = 90.0) -> float:
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            if httpx.get(base + "/", timeout=5).status_code == 200:
                return time.monotonic() - start
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"server not ready after {timeout:.0f} s")


async def load(base: str, paths: list[str], clients: int, seconds: float, cap: int) -> Result:
    """`clients` workers send requests back to back until `seconds` pass or `cap` requests are sent."""
    result = Result()
    sent = 0
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30.0) as client:
        deadline = time.monotonic() + seconds

        async def worker(k: int) -> None:
            nonlocal sent
            while time.monotonic() < deadline and sent < cap:
                path = paths[(sent + k) % len(paths)]
                sent += 1
                began = time.perf_counter()
                try:
                    response = await client.get(path)
                    status = str(response.status_code)
                except httpx.HTTPError as exc:
                    status = type(exc).__name__
                elapsed = (time.perf_counter() - began) * 1000
                result.statuses[status] = result.statuses.get(status, 0) + 1
                if status == "200":
                    result.latencies.append(elapsed)
                else:
                    result.errors += 1

        began = time.monotonic()
        await asyncio.gather(*(worker(k) for k in range(clients)))
        result.seconds = time.monotonic() - began
    return result


def run(tmp: Path, n: int, seconds: float, clients: int, cap: int) -> int:
    db = tmp / "serve.db"
    story_ids = build_store(db, n)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    proc = start_server(db, tmp, port)
    try:
        print(f"server ready in {wait_ready(base, proc):.1f} s")
        pages = {
            "index `/`": ["/"],
            "search `/search?q=…`": [f"/search?q={q}" for q in QUERIES],
            "story `/story/{id}`": [f"/story/{sid}" for sid in story_ids],
        }
        for paths in pages.values():  # warm up: Kiwi for queries, facet cache, first templates
            for path in paths[:10]:
                httpx.get(base + path, timeout=60)
        print(f"\n{clients} concurrent clients, {seconds:.0f} s (or {cap} requests) per page type, "
              f"load average before: {os.getloadavg()[0]:.2f}\n")
        print("| page | requests | req/s | p50 ms | p95 ms | errors |")
        print("|---|---:|---:|---:|---:|---:|")
        failed = 0
        for name, paths in pages.items():
            r = asyncio.run(load(base, paths, clients, seconds, cap))
            done = len(r.latencies) + r.errors
            print(f"| {name} | {done} | {done / r.seconds:.0f} | {statistics.median(r.latencies or [0]):.0f} | "
                  f"{percentile(r.latencies, 95):.0f} | {r.errors} |", flush=True)
            if r.errors:
                failed += 1
                print(f"  statuses: {r.statuses}")
        failed += compare_day_and_static(base, seconds, cap)
        return 1 if failed else 0
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def compare_day_and_static(base: str, seconds: float, cap: int, clients: int = DAY_CLIENTS) -> int:
    """The day page (cached by the store's change fingerprint) against a static file of the same app."""
    day = httpx.get(base + "/api/days", timeout=60).json()[-1]["day"]
    pages = {f"day `/day/{day}`": [f"/day/{day}"], "static `/static/style.css`": ["/static/style.css"]}
    for paths in pages.values():
        httpx.get(base + paths[0], timeout=60)
    print(f"\n{clients} concurrent clients: the day page against a static file of the same app\n")
    print("| page | requests | req/s | p50 ms | p95 ms | errors |")
    print("|---|---:|---:|---:|---:|---:|")
    rates, failed = [], 0
    for name, paths in pages.items():
        r = asyncio.run(load(base, paths, clients, seconds, cap))
        done = len(r.latencies) + r.errors
        rates.append(done / r.seconds)
        failed += bool(r.errors)
        print(f"| {name} | {done} | {rates[-1]:.0f} | {statistics.median(r.latencies or [0]):.0f} | "
              f"{percentile(r.latencies, 95):.0f} | {r.errors} |", flush=True)
    print(f"\nstatic/day ratio: {rates[1] / rates[0]:.2f} (goal ≤ 3)")
    return failed


def main() -> int:
    print(f"load average (1, 5, 15 min): {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    n = int(os.environ.get("AINEWS_BENCH_SERVE_ARTICLES", "5000"))
    seconds = float(os.environ.get("AINEWS_BENCH_SERVE_SECONDS", "10"))
    clients = int(os.environ.get("AINEWS_BENCH_SERVE_CLIENTS", "50"))
    cap = int(os.environ.get("AINEWS_BENCH_SERVE_MAX", "20000"))
    with tempfile.TemporaryDirectory() as tmp:
        return run(Path(tmp), n, seconds, clients, cap)


if __name__ == "__main__":
    sys.exit(main())
