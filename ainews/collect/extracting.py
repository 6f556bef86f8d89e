"""Extraction in worker processes with a per-page deadline, so no page can stall a run.

Extraction holds the GIL (regexes over whole documents, lxml trees): in a thread, one
pathological page can starve the event loop long enough for healthy requests to time out, and a
thread cannot be stopped. Each page therefore goes to a forked worker process; a page that uses
more than `extract_timeout` seconds of CPU (or three times that in wall-clock time) gets its worker
SIGKILLed (the next page gets a fresh one) and comes back as an Article with `extraction_ok=False`
and the reason. The budgets in
ainews/extract/budget.py keep real pages far below the deadline; the deadline is the backstop.

Workers are reused page after page (no process start per page) and forked where the platform can
(Linux): spawn would re-import the caller's main module, which breaks scripts without an
`if __name__ == "__main__":` guard. `start()` forks them at the beginning of a run, before collect()
starts any thread of its own. If no worker process can be made, extraction runs inline (bounded by
the budgets alone).
"""

from __future__ import annotations

import asyncio
import atexit
import logging
import multiprocessing
import os
import queue
import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from multiprocessing.connection import Connection
from pathlib import Path

from ainews.extract import extract
from ainews.extract.core import failed_article
from ainews.models import Article, RawPage

log = logging.getLogger("ainews.collect")
DEFAULT_TIMEOUT = 5.0
WALL_FACTOR = 3.0  # a page may take this many times its CPU deadline in wall-clock time on a busy machine
POLL_SECONDS = 0.1
CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def default_workers() -> int:
    """Leave one core to the event loop (HTTP, parsing, the store); at least one worker."""
    return max(1, min(4, (os.cpu_count() or 2) - 1))


def _exit_with_parent(parent: int) -> None:
    """A run killed with SIGKILL cannot stop its workers, and a forked worker waiting on its pipe
    would live on (holding the run's stdout/stderr): exit when the parent goes."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(0)

    threading.Thread(target=watch, name="ainews-parent-watch", daemon=True).start()


def _serve(conn: Connection, parent: int) -> None:
    """Worker loop: (page, assume_date) in, Article out, until the pipe closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    _exit_with_parent(parent)
    while True:
        try:
            raw, assume_date = conn.recv()
        except (EOFError, OSError):
            os._exit(0)
        conn.send(extract(raw, assume_date=assume_date))


class WorkerGone(Exception):
    """The worker process died or was killed; the message says why."""


class _Worker:
    """One forked process and the pipe to it."""

    def __init__(self) -> None:
        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_serve, args=(child, os.getpid()), daemon=True,
                                       name="ainews-extract")
        self.process.start()
        child.close()

    def call(self, raw: RawPage, assume_date: date | None, timeout: float) -> Article:
        """The worker's Article; on a deadline or a crash the worker is gone and WorkerGone raised."""
        try:
            self.conn.send((raw, assume_date))
            overrun = self._wait(timeout)
            if overrun is None:
                return self.conn.recv()
        except (EOFError, OSError) as exc:
            self.kill()
            raise WorkerGone(f"extraction worker died ({self._exit_reason() or exc})") from exc
        self.kill()
        raise WorkerGone(overrun)

    def _wait(self, timeout: float) -> str | None:
        """None once the answer is ready; else why the page ran out of time.

        The deadline counts the worker's CPU time, so a page is not killed for the machine being
        busy with other work; WALL_FACTOR × timeout of wall-clock time is the hard stop."""
        start, cpu_start = time.monotonic(), self._cpu()
        while True:
            wall = time.monotonic() - start
            if wall >= WALL_FACTOR * timeout:
                return f"extraction took longer than {WALL_FACTOR * timeout:g} s (wall clock)"
            cpu = self._cpu()
            used = wall if cpu is None or cpu_start is None else cpu - cpu_start
            if used >= timeout:
                return f"extraction took longer than {timeout:g} s"
            if self.conn.poll(min(timeout - used, WALL_FACTOR * timeout - wall, POLL_SECONDS)):
                return None

    def _cpu(self) -> float | None:
        """CPU seconds the worker has used (Linux /proc), None where that cannot be read."""
        try:
            fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            return None
        return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS

    def _exit_reason(self) -> str:
        code = self.process.exitcode
        return "" if code is None else f"signal {-code}" if code < 0 else f"exit code {code}"

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()  # SIGKILL: a page stuck in C code ignores anything gentler
        self.process.join(timeout=5)
        self.conn.close()


class Extractor:
    """`extractor.extract_sync(page)` from any thread, `await extractor.extract(page)` from a loop.

    At most `workers` pages are extracted at once; each within `timeout` seconds."""

    def __init__(self, workers: int | None = None, timeout: float = DEFAULT_TIMEOUT) -> None:
        self.workers = workers or default_workers()
        self.timeout = timeout
        self._idle: queue.Queue[_Worker | None] = queue.Queue()
        self._threads: ThreadPoolExecutor | None = None
        self._inline = False
        for _ in range(self.workers):
            self._idle.put(None)  # a free slot; its process is forked on first use

    def start(self) -> None:
        """Fork the workers now (cheap with fork, before the caller starts threads)."""
        import ainews.extract  # noqa: F401 - imported once here, inherited by forked workers

        slots = [self._idle.get() for _ in range(self.workers)]
        try:
            slots = [slot or _Worker() for slot in slots]
        except OSError as exc:
            log.warning("no extraction worker process (%s); extracting inline", exc)
            self._inline = True
        for slot in slots:
            self._idle.put(slot)

    def extract_sync(self, raw: RawPage, assume_date: date | None = None) -> Article:
        """The page's Article within the deadline; never raises on bad input."""
        if self._inline:
            return extract(raw, assume_date=assume_date)
        worker = self._idle.get()
        try:
            worker = worker or _Worker()
        except OSError as exc:
            log.warning("no extraction worker process (%s); extracting inline", exc)
            self._inline = True
            self._idle.put(None)
            return extract(raw, assume_date=assume_date)
        try:
            return worker.call(raw, assume_date, self.timeout)
        except WorkerGone as exc:
            log.warning("%s: %s", raw.url, exc)
            worker = None
            return failed_article(raw, assume_date, str(exc))
        finally:
            self._idle.put(worker)

    def worker_pids(self) -> list[int]:
        """Process ids of the idle workers (for health checks and tests)."""
        with self._idle.mutex:
            return [w.process.pid for w in self._idle.queue if w is not None and w.process.pid]

    async def extract(self, page: RawPage, assume_date: date | None = None) -> Article:
        if self._threads is None:
            self._threads = ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="ainews-extract")
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._threads, self.extract_sync, page, assume_date)

    def close(self) -> None:
        """Stop the workers (their pages are done: callers awaited them)."""
        if self._threads is not None:
            self._threads.shutdown(wait=True, cancel_futures=True)
            self._threads = None
        while True:
            try:
                worker = self._idle.get_nowait()
            except queue.Empty:
                break
            if worker is not None:
                worker.kill()
        for _ in range(self.workers):
            self._idle.put(None)


_shared: dict[float, Extractor] = {}
_shared_lock = threading.Lock()


def extract_bounded(raw: RawPage, assume_date: date | None = None, timeout: float = DEFAULT_TIMEOUT) -> Article:
    """`extract()` under the deadline, for one-page callers (`add`, `ainews extract`): one worker
    process per timeout value, reused for every later page and stopped at exit."""
    with _shared_lock:
        extractor = _shared.get(timeout)
        if extractor is None:
            extractor = _shared[timeout] = Extractor(workers=1, timeout=timeout)
            if len(_shared) == 1:
                atexit.register(_close_shared)
    return extractor.extract_sync(raw, assume_date)


def _close_shared() -> None:
    for extractor in _shared.values():
        extractor.close()
