"""Extraction of fetched pages in a worker process, so CPU-heavy pages never stall the fetching.

Extraction holds the GIL (regexes over whole documents, lxml trees): in a thread, one
pathological page can starve the event loop long enough for healthy requests to time out.
A separate process keeps the loop responsive and uses a second core. A crashed worker is
replaced once; if the pool cannot work at all, extraction falls back to the calling thread.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from ainews.models import Article, RawPage

log = logging.getLogger("ainews.collect")


def default_workers() -> int:
    """Leave one core to the event loop (HTTP, parsing, the store); at least one worker."""
    return max(1, min(4, (os.cpu_count() or 2) - 1))


def _extract(page: RawPage) -> Article:
    from ainews.extract import extract

    return extract(page)


class Extractor:
    """`await extractor.extract(page)`; the worker pool starts on first use."""

    def __init__(self, workers: int | None = None) -> None:
        self.workers = workers or default_workers()
        self._pool: ProcessPoolExecutor | None = None
        self._inline = False

    def _get_pool(self) -> ProcessPoolExecutor:
        if self._pool is None:
            context = multiprocessing.get_context("spawn")  # no fork of a process with live threads
            self._pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=context)
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
