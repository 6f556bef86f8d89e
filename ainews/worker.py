"""`ainews worker`: the fetch → extract → store part of the pipeline, shared by many processes.

Workers claim batches of queued page URLs from the database (store/queue.py), fetch them
politely with one Fetcher each, extract and store them. When no fetch work is left, one worker
at a time (a database lock) runs the analysis batch, which needs the whole window of articles.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
from dataclasses import dataclass
from datetime import datetime

from ainews.collect.extracting import Extractor
from ainews.collect.http import Fetcher, FetchError
from ainews.config import Settings
from ainews.models import FeedEntry, normalize_url
from ainews.store import RunLocked, Store
from ainews.store.queue import Job, JobQueue

log = logging.getLogger(__name__)
FETCH = "fetch"


@dataclass
class WorkReport:
    done: int = 0
    failed: int = 0
    lost_leases: int = 0
    analyzed: int = 0


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def enqueue_urls(store: Store, urls: list[str], source: str = "queue") -> int:
    """Queue article pages for the workers; a URL already queued or done is not queued again."""
    items = [(normalize_url(u), {"url": u, "source": source}) for u in urls if u.strip()]
    return JobQueue(store).enqueue_many(FETCH, items)


async def _process(job: Job, fetcher: Fetcher, extractor: Extractor, store: Store) -> None:
    payload = job.payload
    result = await fetcher.fetch(payload["url"])
    if result.page is None:
        raise FetchError(payload["url"], "no content")
    page = result.page
    page.source = payload.get("source")
    published = payload.get("published_at")
    page.entry = FeedEntry(url=payload["url"], source=page.source or "queue", guid=payload.get("guid"),
                           title=payload.get("title"),
                           published_at=datetime.fromisoformat(published) if published else None)
    article = await extractor.extract(page)
    article_id, _ = store.upsert_article(article)
    store.mark_seen("url:" + normalize_url(payload["url"]), page.source or "queue", article_id)


async def work(store: Store, settings: Settings, *, name: str | None = None, batch: int = 8,
               lease_seconds: float = 120, allow_private: bool = False, once: bool = False,
               idle_exit: bool = True, poll_seconds: float = 2.0, analyze: bool = True) -> WorkReport:
    """Process queued work until the queue is empty (idle_exit) or forever; `once` = one batch."""
    from ainews import pipeline

    name = name or worker_name()
    queue = JobQueue(store)
    report = WorkReport()
    extractor = Extractor(workers=1, timeout=settings.extract_timeout)  # a page past the deadline is killed
    extractor.start()
    try:
        async with Fetcher(settings, store=store, allow_private=allow_private) as fetcher:
            while True:
                jobs = queue.claim(name, (FETCH,), limit=batch, lease_seconds=lease_seconds)
                if jobs:
                    await _run_batch(jobs, fetcher, extractor, store, queue, name, report)
                elif analyze:
                    report.analyzed += _analyze_if_free(store, settings, pipeline)
                if once or (not jobs and idle_exit and not queue.pending(FETCH)):
                    return report
                if not jobs:  # others hold leases: wait, their work may come back if they die
                    await asyncio.sleep(poll_seconds)
    finally:
        extractor.close()


async def _run_batch(jobs: list[Job], fetcher: Fetcher, extractor: Extractor, store: Store, queue: JobQueue,
                     name: str, report: WorkReport) -> None:
    results = await asyncio.gather(*(_process(job, fetcher, extractor, store) for job in jobs),
                                   return_exceptions=True)
    for job, outcome in zip(jobs, results, strict=True):
        if isinstance(outcome, BaseException):
            log.warning("job %s failed: %s", job.key, outcome)
            report.failed += 1
            if not queue.fail(job, name, str(outcome) or type(outcome).__name__):
                report.lost_leases += 1
        elif queue.complete(job, name):
            report.done += 1
        else:
            report.lost_leases += 1


def _analyze_if_free(store: Store, settings: Settings, pipeline) -> int:  # noqa: ANN001 - module
    try:
        with store.exclusive("analyze"):
            return pipeline.analyze_pending(store, settings)
    except RunLocked:
        return 0
