"""Queued work shared by worker processes: each job claimed once, a dead worker's jobs come back."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from ainews.store import Store
from ainews.store.queue import JobQueue
from ainews.worker import enqueue_urls


class _Pages(BaseHTTPRequestHandler):
    hits: Counter[str] = Counter()
    lock = threading.Lock()

    def do_GET(self) -> None:  # noqa: N802 - http.server API
        if not self.path.startswith("/news/"):
            self.send_error(404)
            return
        with self.lock:
            self.hits[self.path] += 1
        n = self.path.rsplit("/", 1)[-1]
        time.sleep(0.002)
        body = (f"<html><head><title>인공지능 기사 {n}</title></head><body><article><h1>인공지능 기사 {n}</h1>"
                f"<p>AI 스타트업 {n}호가 새 언어모델을 공개했다고 20일 밝혔다. 회사는 이번 모델이 한국어 성능을 크게 "
                f"높였다고 설명했다.</p><p>업계는 기사 {n}번의 모델이 국내 시장에 미칠 영향에 주목하고 있다. "
                f"회사는 다음 달 정식 서비스를 시작할 계획이다.</p></article></body></html>").encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def pages() -> Iterator[tuple[str, Counter[str]]]:
    _Pages.hits = Counter()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Pages)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", _Pages.hits
    server.shutdown()


def test_queue_claims_are_exclusive_and_leases_expire(any_db_url: str) -> None:
    store = Store(any_db_url)
    queue = JobQueue(store)
    assert queue.enqueue_many("fetch", [(f"u{i}", {"url": f"u{i}"}) for i in range(10)]) == 10
    assert queue.enqueue("fetch", "u3", {}) is False  # queued once
    first = queue.claim("a", ("fetch",), limit=4, lease_seconds=60)
    second = queue.claim("b", ("fetch",), limit=10, lease_seconds=0.2)
    assert len(first) == 4 and len(second) == 6
    assert not {j.id for j in first} & {j.id for j in second}
    time.sleep(0.3)  # b's leases run out: its jobs can be claimed again, a's cannot
    taken_over = queue.claim("c", ("fetch",), limit=10)
    assert {j.id for j in taken_over} == {j.id for j in second}
    assert not queue.complete(second[0], "b")  # b lost its lease: its late result does not count
    assert all(queue.complete(j, "c") for j in taken_over)
    assert queue.fail(first[0], "a", "HTTP 500")  # back in the queue for another try
    assert queue.counts() == {"done": 6, "running": 3, "queued": 1}


def _config(tmp_path: Path) -> Path:
    config = tmp_path / "config.toml"
    config.write_text("[http]\nper_host_delay = 0.0\nper_host_concurrency = 8\nconcurrency = 8\n"
                      "respect_robots = false\nretries = 0\n", encoding="utf-8")
    return config


def _worker(db_url: str, config: Path, lease: float) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "ainews.cli", "--db", db_url, "--config", str(config), "worker",
                             "--allow-private", "--no-analyze", "--batch", "8", "--lease", str(lease)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_four_workers_split_2000_pages_and_survive_a_kill(
    pg_admin_url: str, pages: tuple[str, Counter[str]], tmp_path: Path
) -> None:
    from tests import pgserver

    base, hits = pages
    db_url = pgserver.create_database(pg_admin_url)
    store = Store(db_url)
    urls = [f"{base}/news/{i}" for i in range(2000)]
    assert enqueue_urls(store, urls) == 2000
    assert enqueue_urls(store, urls[:10]) == 0
    config = _config(tmp_path)
    workers = [_worker(db_url, config, lease=4) for _ in range(4)]
    while sum(hits.values()) < 300:  # let everyone get going, then kill one mid-task
        time.sleep(0.05)
    os.kill(workers[0].pid, signal.SIGKILL)
    outputs = [w.communicate(timeout=600) for w in workers[1:]]
    assert all(w.returncode == 0 for w in workers[1:]), outputs
    assert JobQueue(store).counts() == {"done": 2000}
    assert store.count_articles() == 2000
    assert set(hits) == {f"/news/{i}" for i in range(2000)}
    repeats = [path for path, n in hits.items() if n > 1]
    assert len(repeats) <= 8, repeats  # only what the killed worker held when it died
