"""Load test of `ainews serve` over loopback: req/s and p50/p95/p99 per page type at 50 clients.

Builds a generated store (the web app's dev corpus plus synthetic articles and stories, search index
built), starts the real server (`python -m ainews.cli serve`, uvicorn, 127.0.0.1, a free port) and
asks for every page of the cached rows once (the first renders' cost is printed), then drives it
from a separate process, benchmarks/_loadgen.py: a lean raw-socket HTTP/1.1 client, one
keep-alive connection per client, a warm-up that is not recorded, then requests back to back for a
fixed time or up to a cap. (The old in-process httpx client spent about as much CPU per request as
the server and measured itself: AINEWS_BENCH_SERVE_HTTPX=1 adds its row for comparison.) Each row
also gives the server's CPU per request (from /proc, all its processes) and the client's CPU share,
so a reader can tell which side the two shared cores went to, and the 1-minute load average.

Rows: index, story and search (8 queries; goal p95 < 100 ms at 50 clients, answers cached by the
store's fingerprint), search with every query new (no cache can help: the render cost itself), then
the day page against a static file of the same app at 8 clients (goal: static ≤ 3× the day page).

Environment: AINEWS_BENCH_SERVE_ARTICLES (default 5000), AINEWS_BENCH_SERVE_SECONDS per row (default
10), AINEWS_BENCH_SERVE_WARMUP (default 2), AINEWS_BENCH_SERVE_CLIENTS (default 50),
AINEWS_BENCH_SERVE_MAX (request cap per row, default 100000), AINEWS_BENCH_SERVE_WORKERS (default 1).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

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
VOCAB = ["카카오", "오픈AI", "엔비디아", "반도체", "에이전트", "네이버", "검색", "데이터센터", "삼성전자", "투자",
         "스타트업", "모델", "클라우드", "로봇", "구글", "LG", "SK하이닉스", "정부", "규제", "인재", "칩", "서비스",
         "생성형", "학습", "보안", "의료", "교육", "금융", "자율주행", "HBM"]
DAY_CLIENTS = 8
GOAL_MS = 100.0  # p95 goal for the cached rows
LOADGEN = Path(__file__).with_name("_loadgen.py")
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


def start_server(db: Path, tmp: Path, port: int, workers: int = 1) -> subprocess.Popen[bytes]:
    config = tmp / "config.toml"
    config.write_text("", encoding="utf-8")
    log = (tmp / "server.log").open("wb")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-m", "ainews.cli", "--db", str(db), "--config", str(config), "serve",
                             "--host", "127.0.0.1", "--port", str(port),
                             *(["--workers", str(workers)] if workers > 1 else [])],
                            stdout=log, stderr=log, env=env)


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


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) of `pid` and every process below it, from /proc."""
    tick = os.sysconf("SC_CLK_TCK")
    stats: dict[int, tuple[int, float]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            stats[int(entry.name)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / tick)
    tree, total = {pid}, 0.0
    for _ in range(3):  # uvicorn's workers sit one or two levels down
        tree |= {p for p, (parent, _) in stats.items() if parent in tree}
    for p in tree:
        total += stats.get(p, (0, 0.0))[1]
    return total


@dataclass
class Row:
    """One row: what _loadgen.py printed, plus the server's CPU and the load average before it."""

    name: str
    clients: int
    requests: int
    errors: int
    seconds: float
    rps: float
    p50: float
    p95: float
    p99: float
    client_cpu_s: float
    server_cpu_s: float  # while recording
    load: float

    def line(self) -> str:
        cpu_ms = self.server_cpu_s / max(self.requests, 1) * 1000
        return (f"| {self.name} | {self.clients} | {self.requests} | {self.rps:.0f} | {self.p50:.1f} | "
                f"{self.p95:.1f} | {self.p99:.1f} | {self.errors} | {cpu_ms:.2f} | "
                f"{self.client_cpu_s / self.seconds * 100:.0f}% | {self.load:.2f} |")


HEADER = ("| page | clients | requests | req/s | p50 ms | p95 ms | p99 ms | errors | server CPU ms/req | "
          "client CPU | load 1 min |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")


def drive(name: str, port: int, pid: int, paths: list[str], clients: int, tmp: Path, once: bool = False) -> Row:
    """One row: the lean client in its own process against the server; `once`: each path asked once,
    no warm-up (nothing may be cached)."""
    seconds = os.environ.get("AINEWS_BENCH_SERVE_SECONDS", "10")
    warmup = "0" if once else os.environ.get("AINEWS_BENCH_SERVE_WARMUP", "2")
    cap = str(len(paths)) if once else os.environ.get("AINEWS_BENCH_SERVE_MAX", "100000")
    listing = tmp / "paths.json"
    listing.write_text(json.dumps(paths), encoding="utf-8")
    load = os.getloadavg()[0]
    with subprocess.Popen([sys.executable, str(LOADGEN), "127.0.0.1", str(port), str(clients), seconds, warmup, cap,
                           str(listing)], stdout=subprocess.PIPE, text=True) as gen:
        assert gen.stdout is not None
        marks = []
        for line in gen.stdout:
            if line.strip() in ("recording", "done"):
                marks.append(cpu_seconds(pid))
            elif line.startswith("{"):
                got = json.loads(line)
    if gen.returncode != 0 or len(marks) != 2:
        raise RuntimeError(f"load generator failed ({gen.returncode})")
    keys = ("requests", "errors", "seconds", "rps", "p50", "p95", "p99", "client_cpu_s")
    return Row(name, clients, server_cpu_s=marks[1] - marks[0], load=load, **{k: got[k] for k in keys})


def unique_queries() -> list[str]:
    """Two- and three-word searches, each asked once: every request is a miss and runs the search."""
    combos = [*itertools.combinations(VOCAB, 2), *itertools.combinations(VOCAB, 3)]
    random.Random(7).shuffle(combos)
    return [f"/search?q={quote(' '.join(words))}" for words in combos]


def run(tmp: Path, n: int, clients: int, workers: int) -> int:
    db = tmp / "serve.db"
    story_ids = build_store(db, n)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    proc = start_server(db, tmp, port, workers)
    try:
        print(f"server ready in {wait_ready(base, proc):.1f} s ({workers} worker{'s' * (workers > 1)})")
        cached = {
            "index `/`": ["/"],
            "story `/story/{id}`": [f"/story/{sid}" for sid in story_ids],
            "search `/search?q=…`": [f"/search?q={quote(q)}" for q in QUERIES],
        }
        prime(base, cached)
        print(f"\nAnswers cached by the store's fingerprint; goal p95 < {GOAL_MS:.0f} ms at {clients} clients\n")
        print(HEADER)
        missed = 0
        for name, paths in cached.items():
            row = drive(name, port, proc.pid, paths, clients, tmp)
            print(row.line(), flush=True)
            missed += row.p95 >= GOAL_MS or bool(row.errors)
        print("\nEvery search new (nothing cached: the cost of rendering one)\n")
        print(HEADER)
        print(drive("search, new queries", port, proc.pid, unique_queries(), clients, tmp, once=True).line(),
              flush=True)
        if os.environ.get("AINEWS_BENCH_SERVE_HTTPX") == "1":
            print("\nThe old in-process httpx client against the same server (client-bound)\n")
            for name, paths in cached.items():
                r = asyncio.run(load(base, paths, clients, 10.0, 20000))
                print(f"  {name}: {len(r.latencies) / r.seconds:.0f} req/s, p95 {percentile(r.latencies, 95):.0f} ms, "
                      f"{r.errors} errors", flush=True)
        rates = [drive(name, port, proc.pid, paths, DAY_CLIENTS, tmp) for name, paths in day_and_static(base).items()]
        print(f"\n{DAY_CLIENTS} clients: the day page against a static file of the same app\n")
        print(HEADER)
        for row in rates:
            print(row.line())
        ratio = rates[1].rps / max(rates[0].rps, 1e-9)
        print(f"\nstatic/day ratio: {ratio:.2f} (goal ≤ 3); cached rows over the goal: {missed}")
        print(f"load average after (1, 5, 15 min): {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        return 1 if missed or ratio > 3 else 0
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def prime(base: str, pages: dict[str, list[str]]) -> None:
    """Ask for every page of the cached rows once, one at a time, and say what the first renders cost
    (Kiwi loads on the first search)."""
    with httpx.Client(base_url=base, timeout=120) as client:
        for name, paths in pages.items():
            began = time.perf_counter()
            for path in paths:
                client.get(path).raise_for_status()
            took = time.perf_counter() - began
            print(f"primed {name}: {len(paths)} page{'s' * (len(paths) > 1)} in {took:.2f} s "
                  f"({took / len(paths) * 1000:.1f} ms each, one at a time)")


def day_and_static(base: str) -> dict[str, list[str]]:
    day = httpx.get(base + "/api/days", timeout=60).json()[-1]["day"]
    return {f"day `/day/{day}`": [f"/day/{day}"], "static `/static/style.css`": ["/static/style.css"]}


def main() -> int:
    print(f"load average (1, 5, 15 min): {' '.join(f'{x:.2f}' for x in os.getloadavg())}; {os.cpu_count()} cores, "
          "shared by the server, the load generator and whatever else runs")
    n = int(os.environ.get("AINEWS_BENCH_SERVE_ARTICLES", "5000"))
    clients = int(os.environ.get("AINEWS_BENCH_SERVE_CLIENTS", "50"))
    workers = int(os.environ.get("AINEWS_BENCH_SERVE_WORKERS", "1"))
    with tempfile.TemporaryDirectory() as tmp:
        return run(Path(tmp), n, clients, workers)


if __name__ == "__main__":
    sys.exit(main())
