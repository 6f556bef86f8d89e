"""The task engine (procrastinate on PostgreSQL): workers on one database share the day and its politeness."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from ainews import tasks
from ainews.collect.http import FetchError
from ainews.config import ConfigError, ScheduleSettings
from ainews.store import Store
from ainews.tasks import DailyRetry, NotReady
from ainews.worker import connected, daily_cron, retry_if_still_stalled

DAY = "2026-12-07"
PAGES = 36
DELAY = 0.2


@dataclass
class Site:
    """A loopback outlet: a feed of PAGES items and their pages; every arrival is timed."""

    base: str = ""
    arrivals: list[float] = field(default_factory=list)
    hits: Counter[str] = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)


def _feed(base: str) -> bytes:
    items = "".join(f"<item><title>AI 스타트업 {i}호 모델 공개</title><link>{base}/news/{i}</link>"
                    f"<guid>{base}/news/{i}</guid><pubDate>Mon, 07 Dec 2026 0{i % 9}:00:00 +0900</pubDate></item>"
                    for i in range(PAGES))
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>루프백 AI 뉴스</title>'
            f"<link>{base}/</link>{items}</channel></rss>").encode()


def _page(n: str) -> bytes:
    paragraphs = "".join(
        f"<p>인공지능 스타트업 {n}호가 {k}번째 한국어 대규모 언어모델을 공개했다고 7일 밝혔다. 회사는 새 모델이 "
        f"추론 성능을 크게 높였다고 설명했다. 업계는 생성형 AI 시장에 미칠 영향에 주목하고 있다.</p>" for k in range(4))
    return (f'<html><head><title>AI 스타트업 {n}호, 새 언어모델 공개</title>'
            f'<meta property="article:published_time" content="{DAY}T09:{int(n) % 60:02d}:00+09:00"></head>'
            f"<body><article><h1>AI 스타트업 {n}호, 새 언어모델 공개</h1>{paragraphs}</article></body></html>"
            ).encode()


@pytest.fixture
def site() -> Iterator[Site]:
    state = Site()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server API
            with state.lock:
                state.arrivals.append(time.monotonic())
                state.hits[self.path] += 1
            if self.path == "/feed.xml":
                self._send(_feed(state.base), "application/rss+xml")
            elif self.path.startswith("/news/"):
                self._send(_page(self.path.rsplit("/", 1)[-1]), "text/html; charset=utf-8")
            else:
                self.send_error(404)

        def _send(self, body: bytes, kind: str) -> None:
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.base = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield state
    server.shutdown()


def _files(tmp_path: Path, site: Site) -> tuple[Path, Path]:
    config = tmp_path / "config.toml"
    config.write_text(f"[http]\nper_host_delay = {DELAY}\nper_host_concurrency = 1\nretries = 1\ntimeout = 10\n"
                      "[queue]\nheartbeat_seconds = 0.5\nstalled_after_seconds = 3.0\n", encoding="utf-8")
    sources = tmp_path / "sources.toml"
    sources.write_text(f'[[source]]\nname = "루프백"\nurl = "{site.base}/feed.xml"\n', encoding="utf-8")
    return config, sources


def _cli(db: str, config: Path, *args: str, log: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "ainews.cli", "--db", db, "--config", str(config), *args],
                            stdout=log.open("wb"), stderr=subprocess.STDOUT)


def test_three_workers_publish_a_queued_day_politely_and_survive_a_kill(
    pg_admin_url: str, site: Site, tmp_path: Path
) -> None:
    from tests.support import pgserver

    db = pgserver.create_database(pg_admin_url)
    Store(db).close()  # migrations once, before the workers race to open the store
    config, sources = _files(tmp_path, site)
    out = tmp_path / "out"
    workers = [_cli(db, config, "worker", "--allow-private", "--concurrency", "4", log=tmp_path / f"w{i}.log")
               for i in range(3)]
    run = _cli(db, config, "run", "--queue", "--wait", "--sources", str(sources), "--date", DAY, "--out", str(out),
               "--no-deliver", log=tmp_path / "run.log")
    try:
        deadline = time.monotonic() + 120
        while sum(n for path, n in site.hits.items() if path.startswith("/news/")) < 8:
            assert time.monotonic() < deadline and run.poll() is None, (tmp_path / "run.log").read_text()
            time.sleep(0.05)
        os.kill(workers[0].pid, signal.SIGKILL)  # mid-way: it may hold a page task
        assert run.wait(timeout=240) == 0, (tmp_path / "run.log").read_text()
    finally:
        for proc in workers:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in workers:
            proc.wait(timeout=60)

    store = Store(db)
    assert store.count_articles() == PAGES  # every page stored once
    pages = {p for p in site.hits if p.startswith("/news/")}
    assert pages == {f"/news/{i}" for i in range(PAGES)}
    assert sum(site.hits[p] for p in pages) <= PAGES + 2  # only what the killed worker held is fetched again
    digest = out / "digests" / DAY[:4] / f"{DAY}.md"
    assert digest.is_file() and "AI 스타트업" in digest.read_text(encoding="utf-8")
    gaps = [b - a for a, b in zip(site.arrivals, site.arrivals[1:], strict=False)]
    assert min(gaps) >= DELAY * 0.95, sorted(gaps)[:5]  # one host, three processes: never closer than the delay


def test_shared_turns_and_slots_hold_across_connections(pg_admin_url: str) -> None:
    from ainews.store.pacing import HostSchedule
    from tests.support import pgserver

    db = pgserver.create_database(pg_admin_url)
    Store(db).close()
    schedules = [HostSchedule(db, margin=0.0) for _ in range(4)]  # four "workers", four connections

    def take(schedule: HostSchedule) -> float:
        time.sleep(schedule.reserve("news.example", 0.25))
        return time.monotonic()

    with ThreadPoolExecutor(8) as pool:
        starts = sorted(pool.map(take, schedules * 2))
    assert all(b - a >= 0.24 for a, b in zip(starts, starts[1:], strict=False)), starts

    default = HostSchedule(db)  # with its safety margin: a host without a delay is not spaced at all
    assert default.reserve("fast.example", 0.0) == 0.0 and default.reserve("fast.example", 0.0) == 0.0
    default.close()

    schedules[0].hold_off("slow.example", 1.0)  # a Retry-After seen by one worker holds for all
    assert schedules[1].reserve("slow.example", 0.1) > 0.8

    held = schedules[0].try_slot("news.example", 1)
    assert held is not None
    assert schedules[1].try_slot("news.example", 1) is None  # per-host concurrency 1, across workers
    second = schedules[1].try_slot("news.example", 2)  # a second slot when the host allows two
    assert second is not None and schedules[2].try_slot("news.example", 2) is None
    held.release()
    second.release()
    again = schedules[1].try_slot("news.example", 1)  # released slots are free again, on pooled connections
    assert again is not None
    again.release()
    for schedule in schedules:
        schedule.close()


def test_a_request_sent_late_moves_the_next_turn(pg_admin_url: str) -> None:
    """Turns are reserved before sending; a request that leaves late (busy loop, slow connect) would
    otherwise sit closer than the delay to the next worker's, as a server sees them."""
    from ainews.store.pacing import HostSchedule
    from tests.support import pgserver

    db = pgserver.create_database(pg_admin_url)
    Store(db).close()
    first, second = HostSchedule(db, margin=0.0), HostSchedule(db, margin=0.0)
    try:
        assert first.reserve("late.example", 0.5) == 0.0
        time.sleep(0.4)  # the request leaves only now
        first.sent_at("late.example", 0.5, ago=0.0)
        assert second.reserve("late.example", 0.5) > 0.45  # 0.1 s had the turn counted from the reservation
    finally:
        first.close()
        second.close()


class _Job:
    def __init__(self, attempts: int) -> None:
        self.attempts = attempts


def test_retry_strategy_backs_off_on_transient_errors_only() -> None:
    retry = DailyRetry(attempts=3)
    assert retry.get_retry_decision(exception=NotReady("r"), job=_Job(50)) is not None
    assert retry.get_retry_decision(exception=FetchError("u", "HTTP 404"), job=_Job(0)) is None
    assert retry.get_retry_decision(exception=FetchError("u", "timed out after 20 s"), job=_Job(0)) is not None
    assert retry.get_retry_decision(exception=FetchError("u", "HTTP 503 after 2 attempts"), job=_Job(1)) is not None
    assert retry.get_retry_decision(exception=FetchError("u", "HTTP 503 after 2 attempts"), job=_Job(2)) is None


def test_schedule_is_read_in_kst() -> None:
    assert daily_cron(ScheduleSettings(daily_at="06:30")) == "30 21 * * *"
    assert daily_cron(ScheduleSettings(daily_at="")) is None
    with pytest.raises(ConfigError, match="HH:MM"):
        daily_cron(ScheduleSettings(daily_at="25:00"))


def test_queue_commands_on_sqlite_say_what_is_needed(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from ainews.cli import app

    for args in (["worker"], ["queue"], ["enqueue", "https://example.com/a"]):
        result = CliRunner().invoke(app, ["--db", str(tmp_path / "a.db"), *args])
        assert result.exit_code == 2, result.output
        assert "needs PostgreSQL" in result.output


def test_a_stalled_task_taken_up_again_is_not_retried_by_a_late_sweeper(pg_admin_url: str) -> None:
    """Every worker sweeps; one sweeper's older snapshot must not requeue a task another worker now runs
    (two finish_day runs at once published into one folder and collided)."""
    from tests.support import pgserver

    store = Store(pgserver.create_database(pg_admin_url))

    async def scenario() -> tuple[bool, str, bool, str]:
        async with connected(store) as app:
            job_id = await tasks.finish_day.defer_async(run_id="r", day=DAY)
            query, update = app.connector.execute_query_one_async, app.connector.execute_query_async
            await update("UPDATE procrastinate_jobs SET status = 'doing', worker_id = NULL WHERE id = %(id)s",
                         id=job_id)
            snapshot = None  # the sweep saw it held by a dead (pruned) worker
            first = await retry_if_still_stalled(app, job_id, snapshot)
            after_first = (await query("SELECT status FROM procrastinate_jobs WHERE id = %(id)s", id=job_id))["status"]
            alive = (await query("SELECT procrastinate_register_worker_v1() AS id"))["id"]
            await update("UPDATE procrastinate_jobs SET status = 'doing', worker_id = %(w)s WHERE id = %(id)s",
                         w=alive, id=job_id)  # a live worker took it up again
            late = await retry_if_still_stalled(app, job_id, snapshot)
            status = (await query("SELECT status FROM procrastinate_jobs WHERE id = %(id)s", id=job_id))["status"]
            return first, after_first, late, status

    try:
        first, after_first, late, status = asyncio.run(scenario())
    finally:
        store.close()
    assert first and after_first == "todo"  # held by a dead worker: back in the queue
    assert not late and status == "doing"  # main requeued it here, and a second worker ran it too


def test_finish_day_runs_alone_across_the_cluster(pg_admin_url: str) -> None:
    """A finish_day retried while its first run still works (late heartbeats) must wait, not publish too."""
    from tests.support import pgserver

    db = pgserver.create_database(pg_admin_url)
    first, second = Store(db), Store(db)  # two workers, two connection pools
    try:
        with tasks.finishing_alone(first) as holder, tasks.finishing_alone(second) as duplicate:
            assert holder and not duplicate
        with tasks.finishing_alone(second) as after:
            assert after  # released when the first run ended
    finally:
        first.close()
        second.close()
