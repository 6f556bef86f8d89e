"""Pipeline throughput (fetch → extract → store) with 1, 2 and 4 `ainews worker` processes on PostgreSQL.

A loopback server serves small Korean article pages; each round gets a fresh database and queue
(procrastinate tasks), and the workers run with `--burst` (exit when nothing is due).
Prints articles/s per worker count. Skips (exit 0) when no PostgreSQL server can be started.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ainews.store import Store  # noqa: E402
from ainews.worker import enqueue_urls  # noqa: E402
from tests.support import pgserver  # noqa: E402

PAGES = 1000


class Pages(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - http.server API
        n = self.path.rsplit("/", 1)[-1]
        sentence = "번째 새 언어모델을 공개했다고 밝혔다. 업계는 시장 영향에 주목한다."
        paragraphs = "".join(f"<p>AI 기업 {n}호가 {i}{sentence}</p>" for i in range(8))
        body = f"<html><head><title>기사 {n}</title></head><body><article><h1>기사 {n}</h1>{paragraphs}</article>"
        data = (body + "</body></html>").encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


def round_trip(admin_url: str, base: str, workers: int, config: Path) -> float:
    db = pgserver.create_database(admin_url)
    asyncio.run(enqueue_urls(Store(db), [f"{base}/news/{i}" for i in range(PAGES)]))
    start = time.perf_counter()
    procs = [subprocess.Popen([sys.executable, "-m", "ainews.cli", "--db", db, "--config", str(config), "worker",
                               "--allow-private", "--burst", "--concurrency", "16"], stdout=subprocess.DEVNULL)
             for _ in range(workers)]
    for proc in procs:
        proc.wait()
    elapsed = time.perf_counter() - start
    stored = Store(db).count_articles()
    if stored != PAGES:  # e.g. a task failed and its retry was due after the --burst workers left
        queue = subprocess.run([sys.executable, "-m", "ainews.cli", "--db", db, "queue", "--json"],
                               capture_output=True, text=True, check=False).stdout
        raise SystemExit(f"{workers} worker(s): {stored} of {PAGES} articles stored; queue: {queue[:2000]}")
    return elapsed


def main() -> int:
    reason = pgserver.unavailable_reason()
    if reason:
        print(f"worker_speed: skipped ({reason})")
        return 0
    server = ThreadingHTTPServer(("127.0.0.1", 0), Pages)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    config = Path(tempfile.mkdtemp()) / "config.toml"
    config.write_text("[http]\nper_host_delay = 0.0\nper_host_concurrency = 16\nrespect_robots = false\n")
    print(f"{PAGES} pages, PostgreSQL, fetch+extract+store per worker process (2 cores)")
    print("| workers | seconds | articles/s |\n|---|---|---|")
    with pgserver.server() as admin_url:
        for workers in (1, 2, 4):
            seconds = round_trip(admin_url, base, workers, config)
            print(f"| {workers} | {seconds:.1f} | {PAGES / seconds:.0f} |", flush=True)
    server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
