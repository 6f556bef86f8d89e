"""Extraction of fetched pages in a worker process, so CPU-heavy pages never stall the fetching.

Extraction holds the GIL (regexes over whole documents, lxml trees): in a thread, one
pathological page can starve the event loop long enough for healthy requests to time out.
A separate process keeps the loop responsive and uses a second core. A crashed worker is
replaced once; if the pool cannot work at all, extraction falls back to the calling thread.

Workers are forked where the platform can (Linux): spawn would re-import the caller's main
module, which breaks scripts without an `if __name__ == "__main__":` guard. `start()` forks them
at the beginning of a run, before collect() starts any thread of its own.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from ainews.models import Article, RawPage

log = logging.getLogger("ainews.collect")


def default_workers() -> int:
    """Leave one core to the event loop (HTTP, parsing, the store); at least one worker."""
    return max(1, min(4, (os.cpu_count() or 2) - 1))


def _exit_with_parent(parent: int) -> None:
    """Worker initializer: a run killed with SIGKILL cannot shut its pool down, and a forked worker
    waiting on its queue would live on (holding the run's stdout/stderr): exit when the parent goes."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(0)

    threading.Thread(target=watch, name="ainews-parent-watch", daemon=True).start()


def _warm_up() -> bool:
    import ainews.extract  # noqa: F401 - import once per worker, not on the first page

    return True


def _extract(page: RawPage) -> Article:
    from ainews.extract import extract

    return extract(page)


class Extractor:
    """`await extractor.extract(page)`; the worker pool starts on first use."""

    def __init__(self, workers: int | None = None) -> None:
        self.workers = workers or default_workers()
        self._pool: ProcessPoolExecutor | None = None
        self._inline = False

    def start(self) -> None:
        """Create the workers now (cheap with fork); on failure extraction runs inline."""
        import ainews.extract  # noqa: F401 - imported once here, inherited by forked workers

        try:
            pool = self._get_pool()
            pool.submit(_warm_up).result(timeout=60)
        except Exception as exc:  # noqa: BLE001 - any failure here means "no worker processes"
            log.warning("no extraction worker process (%s); extracting inline", exc)
            self.close()
            self._inline = True

    def _get_pool(self) -> ProcessPoolExecutor:
        if self._pool is None:
            methods = multiprocessing.get_all_start_methods()
            context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
            self._pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=context,
                                             initializer=_exit_with_parent, initargs=(os.getpid(),))
        return self._pool

    async def extract(self, page: RawPage) -> Article:
        loop = asyncio.get_running_loop()
        if self._inline:
            return _extract(page)
        for attempt in range(2):
            try:
                return await loop.run_in_executor(self._get_pool(), _extract, page)
            except (BrokenProcessPool, OSError) as exc:
                log.warning("extraction worker failed (%s); %s", exc, "restarting" if not attempt else "inline")
                self.close()
        self._inline = True
        return _extract(page)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
