"""Collection speed: 500 feeds × 20 items across 50 loopback hosts, 50 ms added to every response.

A server process answers on 127.0.0.2 … 127.0.0.51 (all loopback on Linux, so each is a distinct
host for the per-host limits); `collect()` runs against it with a real SQLite store, extraction
included. Printed: wall time, requests/s, peak RSS of the collecting process, and the smallest gap
the server saw between two requests to one host (must be ≥ the per-host delay). A second run
shows the incremental case (every feed answers 304). Goal: first run at most 40 s (the per-host
delay alone makes 21 s); measure at low load, the numbers move with the machine's other work.

Run: `.venv/bin/python benchmarks/collect_speed.py [--feeds 500] [--items 20] [--hosts 50]
[--delay 0.1] [--per-host 2] [--concurrency 64] [--latency 0.05]`.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests.support: scaffolding shared with the tests

from ainews.collect.http import PerHostTransport  # noqa: E402
from ainews.collect.run import collect  # noqa: E402
from ainews.collect.sources import Source  # noqa: E402
from ainews.config import HttpSettings, Settings  # noqa: E402
from ainews.store.db import Store  # noqa: E402
from tests.support.httpserver import Response, TestServer  # noqa: E402

PARAGRAPH = ("<p>{title} 관련 기사 본문 {n}번째 문단이다. 인공지능 기술이 산업 전반에 확산되면서 "
             "기업들은 생성형 AI 모델을 도입해 업무 효율을 높이고 있다고 밝혔다. 업계에서는 "
             "데이터센터 투자와 반도체 수요가 함께 늘어날 것으로 내다봤다.</p>")


def article(title: str) -> bytes:
    body = "".join(PARAGRAPH.format(title=title, n=n) for n in range(12))
    return (f"<!doctype html><html lang='ko'><head><meta charset='utf-8'><title>{title}</title></head>"
            f"<body><header><nav>홈 | 뉴스 | IT</nav></header><article><h1>{title}</h1>{body}</article>"
            f"<footer>Copyright 테스트뉴스</footer></body></html>").encode()


def feed(items: list[tuple[str, str]]) -> bytes:
    rows = "".join(f"<item><title>{t}</title><link>{u}</link><guid>{u}</guid>"
                   f"<pubDate>2026-08-09 18:00:00</pubDate><description>{t} 요약</description></item>"
                   for t, u in items)
    return (f"<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>bench</title>"
            f"{rows}</channel></rss>").encode()


def serve(conn, hosts: list[str], feeds: int, items: int, latency: float) -> None:  # noqa: ANN001
    """Server process: build the routes, report ports, answer until told to stop, send stats."""
    with TestServer(hosts=hosts, latency=latency) as srv:
        sources = []
        for i in range(feeds):
            host = hosts[i % len(hosts)]
            links = []
            for j in range(items):
                path = f"/a/{i}/{j}.html"
                srv.routes[path] = Response(body=article(f"벤치마크 기사 {i}-{j}"))
                links.append((f"벤치마크 기사 {i}-{j}", srv.url(path, host)))
            etag = f'"feed-{i}"'
            body = feed(links)
            srv.routes[f"/feed/{i}.xml"] = (
                lambda req, body=body, etag=etag: Response(304) if req.headers.get("if-none-match") == etag
                else Response(body=body, headers={"ETag": etag, "Content-Type": "application/rss+xml"}))
            sources.append((f"feed-{i}", srv.url(f"/feed/{i}.xml", host)))
        conn.send(sources)
        while conn.recv() != "stop":
            conn.send(stats(srv))
            srv.log.clear()
        conn.send(None)


def stats(srv: TestServer) -> dict:
    """What the server saw: request count, and per host the sorted arrival times."""
    by_host: dict[str, list[float]] = {}
    for request in srv.log:
        by_host.setdefault(request.host, []).append(request.at)
    own = resource.getrusage(resource.RUSAGE_SELF)
    return {"requests": len(srv.log), "times": {h: sorted(t) for h, t in by_host.items()},
            "max_active": max(srv.max_active.values()) if srv.max_active else 0,
            "cpu": own.ru_utime + own.ru_stime}


def gaps(times: dict[str, list[float]]) -> list[float]:
    return [b - a for ts in times.values() for a, b in zip(ts, ts[1:], strict=False)]


def cpu_seconds() -> tuple[float, float]:
    """CPU used so far by this process (event loop + store thread) and by finished children
    (the extraction workers, which collect() shuts down at the end of each run)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, kids.ru_utime + kids.ru_stime


CLIENT_SENT: dict[str, list[float]] = {}


def _record_client_sends() -> None:
    """Log, per host, when the fetcher hands each request to the connection (after its pacing):
    the client-side view of the per-host delay, free of the server process's scheduling jitter."""
    original = PerHostTransport.handle_async_request

    async def logged(self: PerHostTransport, request):  # noqa: ANN001, ANN202
        CLIENT_SENT.setdefault(request.url.host, []).append(time.monotonic())
        return await original(self, request)

    PerHostTransport.handle_async_request = logged  # type: ignore[method-assign]


def run_once(settings: Settings, store: Store, sources: list[Source]) -> tuple[float, object, tuple[float, float]]:
    start, (own0, kids0) = time.perf_counter(), cpu_seconds()
    report = asyncio.run(collect(settings, store, sources, allow_private=True))
    own1, kids1 = cpu_seconds()
    return time.perf_counter() - start, report, (own1 - own0, kids1 - kids0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=500)
    parser.add_argument("--items", type=int, default=20)
    parser.add_argument("--hosts", type=int, default=50)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--delay", type=float, default=0.1, help="per-host delay (s)")
    parser.add_argument("--per-host", type=int, default=2, help="per-host concurrency")
    parser.add_argument("--concurrency", type=int, default=64)
    args = parser.parse_args()
    _record_client_sends()

    hosts = [f"127.0.0.{n}" for n in range(2, 2 + args.hosts)]
    ctx = multiprocessing.get_context("spawn")
    here, there = ctx.Pipe()
    server = ctx.Process(target=serve, args=(there, hosts, args.feeds, args.items, args.latency), daemon=True)
    server.start()
    sources = [Source(name, url) for name, url in here.recv()]
    http = HttpSettings(user_agent="ainews-bench/0.1", timeout=20.0, concurrency=args.concurrency,
                        per_host_concurrency=args.per_host, per_host_delay=args.delay)
    per_host = (args.feeds * (args.items + 1)) / args.hosts + 1
    print(f"{args.feeds} feeds × {args.items} items on {args.hosts} hosts, {args.latency * 1000:.0f} ms latency; "
          f"per-host delay {args.delay} s, per-host concurrency {args.per_host}, concurrency {args.concurrency}")
    print(f"floor from the per-host delay alone: {per_host:.0f} requests/host × {args.delay} s = "
          f"{per_host * args.delay:.1f} s")
    try:
        with tempfile.TemporaryDirectory() as tmp:
            store = Store(f"sqlite:///{Path(tmp) / 'bench.db'}")
            settings = Settings(db=str(Path(tmp) / "bench.db"), http=http)
            here.send("stats")
            server_cpu = here.recv()["cpu"]  # building the routes
            for label in ("first run", "second run"):
                wall, report, (cpu_main, cpu_extract) = run_once(settings, store, sources)
                here.send("stats")
                seen = here.recv()
                rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
                print(f"{label}: {wall:.1f} s wall, {report.requests} requests, {report.requests / wall:.0f} req/s, "
                      f"{report.articles_new} new / {report.articles_seen} seen articles, "
                      f"{len(report.errors)} errors, peak RSS {rss:.0f} MB")
                print(f"  CPU: {cpu_main:.1f} s in the collecting process, {cpu_extract:.1f} s in extraction "
                      f"workers, {seen['cpu'] - server_cpu:.1f} s in the benchmark's server; "
                      f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
                server_cpu = seen["cpu"]
                client = gaps({h: sorted(t) for h, t in CLIENT_SENT.items()})
                CLIENT_SENT.clear()
                print(f"  client: smallest gap between two requests to one host {min(client, default=0) * 1000:.0f} ms"
                      f" ({sum(1 for g in client if g < args.delay)} of {len(client)} under the delay)")
                spaced = gaps(seen["times"])
                close = sum(1 for g in spaced if g < args.delay)
                per_host_max = max((len(t) for t in seen["times"].values()), default=0)
                print(f"  server: {seen['requests']} requests, at most {per_host_max} per host, smallest gap "
                      f"between two requests to one host {min(spaced, default=0) * 1000:.0f} ms "
                      f"({close} of {len(spaced)} gaps under {args.delay * 1000:.0f} ms), "
                      f"at most {seen['max_active']} in progress on one host")
                if label == "first run" and wall > 40:
                    print("  GOAL MISSED: first run over 40 s")
            store.close()
    finally:
        here.send("stop")
        here.recv()
        server.join(10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
