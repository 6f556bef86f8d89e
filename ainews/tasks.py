"""The daily job as tasks on procrastinate (a PostgreSQL task engine), for workers on many machines.

    enqueue_day ─► poll_source × sources ─► fetch_page × new items ─► finish_day
                   (index → new entries)    (fetch → extract → store)  (analyze → publish → deliver)

Each task is idempotent: a page is stored under its key whatever the number of attempts, a poll
re-lists only what is not stored yet, and publishing writes only changed files. Transient errors
(timeouts, connection trouble, 5xx, 429) are retried with backoff; permanent ones (4xx, robots.txt)
are not. A killed worker's running tasks are retried by the other workers (worker.py).
`finish_day` holds the engine lock "ainews-analyze", so one analysis runs at a time, and waits
(retrying every second) until the day's poll and fetch tasks are done. It also holds a database
advisory lock while it works: a worker whose heartbeats were late is taken for dead and its task
retried while it still runs (every queue delivers at least once), and two publishers in one
folder would collide.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import procrastinate
from procrastinate.exceptions import AlreadyEnqueued
from procrastinate.retry import BaseRetryStrategy, RetryDecision
from sqlalchemy import text

from ainews import pipeline
from ainews.collect.extracting import Extractor
from ainews.collect.http import Fetcher, FetchError, RobotsDisallowed
from ainews.collect.run import collect, entry_keys, fetch_and_store
from ainews.collect.sources import Source
from ainews.collect.templates import refresh_quietly
from ainews.config import Settings
from ainews.models import KST, FeedEntry
from ainews.store import Store
from ainews.store.pacing import FINISH_LOCK, LOCK_NAMESPACE, HostSchedule

log = logging.getLogger("ainews.tasks")

QUEUES = ("poll", "fetch", "day")
DAY_WORK = ("ainews.poll_source", "ainews.fetch_page")
ANALYZE_LOCK = "ainews-analyze"

app = procrastinate.App(connector=procrastinate.PsycopgConnector())  # connect() supplies the database


class NotReady(Exception):
    """The day's poll/fetch tasks are still running: finish_day tries again in a second."""


class DailyRetry(BaseRetryStrategy):
    """Backoff for transient failures, none for permanent ones; NotReady polls every second."""

    def __init__(self, attempts: int = 5, base: float = 2.0, ready_poll: float = 1.0) -> None:
        self.attempts = attempts
        self.base = base
        self.ready_poll = ready_poll

    def get_retry_decision(self, *, exception: BaseException, job: Any) -> RetryDecision | None:
        if isinstance(exception, NotReady):
            return RetryDecision(retry_in={"seconds": self.ready_poll})
        if isinstance(exception, FetchError) and not exception.transient:
            return None
        if job.attempts + 1 >= self.attempts:
            return None
        return RetryDecision(retry_in={"seconds": self.base ** (job.attempts + 1) * (0.5 + random.random())})


RETRY = DailyRetry()


@dataclass
class WorkerContext:
    """What a worker process keeps between tasks: one polite fetcher, one extractor pool, one store."""

    settings: Settings
    store: Store
    sources: dict[str, Source]
    fetcher: Fetcher
    extractor: Extractor
    pacer: HostSchedule
    allow_private: bool = False


def _context(job_context: procrastinate.JobContext) -> WorkerContext:
    return job_context.additional_context["ainews"]


# --- tasks ------------------------------------------------------------------------------------

@app.task(name="ainews.poll_source", queue="poll", pass_context=True, retry=RETRY)
async def poll_source(job_context: procrastinate.JobContext, run_id: str, source: dict[str, Any]) -> dict[str, Any]:
    """Read one source's index and queue a fetch task for each item not stored yet.

    The source travels with the task, so a run queued with `--sources FILE` needs no file on the workers.
    """
    ctx = _context(job_context)
    found = Source(**source)

    async def defer(src: Source, entries: list[FeedEntry]) -> None:
        for entry in entries:
            await defer_fetch(run_id, src.name, entry)

    report = await collect(ctx.settings, ctx.store, [found], allow_private=ctx.allow_private, pacer=ctx.pacer,
                           defer=defer)
    if report.sources_failed and report.errors:
        failure = FetchError(found.url, report.errors[0]["error"])
        if failure.transient:
            raise failure  # the engine retries it with backoff; health already records the failure
    return report.to_json()


@app.task(name="ainews.fetch_page", queue="fetch", pass_context=True, retry=RETRY)
async def fetch_page(job_context: procrastinate.JobContext, run_id: str, source: str,
                     entry: dict[str, Any]) -> bool:
    """Fetch, extract and store one article page (the same path as `ainews collect`)."""
    ctx = _context(job_context)
    try:
        return await fetch_and_store(ctx.fetcher, ctx.extractor, ctx.store, source, entry_from_json(entry))
    except RobotsDisallowed as exc:
        log.info("skipped: %s", exc)
        return False


@app.task(name="ainews.finish_day", queue="day", pass_context=True, lock=ANALYZE_LOCK, retry=RETRY)
def finish_day(job_context: procrastinate.JobContext, run_id: str, day: str, out: str = "",
               deliver: bool = True, site_url: str = "") -> dict[str, Any]:
    """Once the day's fetching is done: analyze, publish the day, deliver it."""
    ctx = _context(job_context)
    if pending_work(ctx.store, run_id):
        raise NotReady(run_id)
    with finishing_alone(ctx.store) as alone:
        if not alone:
            raise NotReady(f"{run_id}: another finish_day is running")
        return _finish(ctx, day, out, deliver, site_url)


def _finish(ctx: WorkerContext, day: str, out: str, deliver: bool, site_url: str) -> dict[str, Any]:
    the_day = date.fromisoformat(day)
    out_dir = Path(out or ctx.settings.output_dir).expanduser()
    refresh_quietly(ctx.store, ctx.settings.templates)  # site templates learned from all workers' pages
    analyzed = pipeline.analyze_pending(ctx.store, ctx.settings)
    published = pipeline.publish_day(ctx.store, ctx.settings, the_day, out_dir, pipeline.PublishOptions(site_url))
    deliveries = pipeline.deliver_day(ctx.store, ctx.settings, the_day, out_dir, site_url) if deliver else []
    return {"day": day, "analyzed": analyzed, "published": published.to_json(),
            "deliveries": [o.to_json() for o in deliveries]}


@app.task(name="ainews.scheduled_run", queue="day", pass_context=True)
async def scheduled_run(job_context: procrastinate.JobContext, timestamp: int) -> int:
    """The `[schedule]` periodic run: queue today's day, as `ainews run --queue` would."""
    ctx = _context(job_context)
    day = datetime.fromtimestamp(timestamp, tz=KST).date()
    return await enqueue_day(list(ctx.sources.values()), day, deliver=ctx.settings.schedule.deliver)


@contextlib.contextmanager
def finishing_alone(store: Store) -> Iterator[bool]:
    """Hold the cluster-wide finish_day lock for the block; yields False when another holds it."""
    with store.engine.connect() as conn:
        key = {"ns": LOCK_NAMESPACE, "key": FINISH_LOCK}
        alone = bool(conn.execute(text("SELECT pg_try_advisory_lock(:ns, :key)"), key).scalar())
        conn.commit()
        try:
            yield alone
        finally:
            if alone:
                conn.execute(text("SELECT pg_advisory_unlock(:ns, :key)"), key)
                conn.commit()


# --- deferring ------------------------------------------------------------------------------

async def defer_fetch(run_id: str, source: str, entry: FeedEntry) -> bool:
    """Queue one page; False when the same page is already waiting in the queue."""
    try:
        await fetch_page.configure(queueing_lock=entry_keys(entry)[0][:250]).defer_async(
            run_id=run_id, source=source, entry=entry_to_json(entry))
    except AlreadyEnqueued:
        return False
    return True


async def enqueue_day(sources: list[Source], day: date, out: str = "", deliver: bool = True,
                      site_url: str = "") -> int:
    """Queue a whole day: a poll task per enabled source, then finish_day. Returns finish_day's job id."""
    run_id = f"{day.isoformat()}-{uuid.uuid4().hex[:8]}"
    for source in sources:
        if source.enabled:
            await poll_source.defer_async(run_id=run_id, source=dataclasses.asdict(source))
    return await finish_day.defer_async(run_id=run_id, day=day.isoformat(), out=out, deliver=deliver,
                                        site_url=site_url)


def pending_work(store: Store, run_id: str) -> int:
    """The run's poll and fetch tasks not finished yet (waiting, retrying or running)."""
    query = text("SELECT count(*) FROM procrastinate_jobs WHERE status IN ('todo', 'doing') "
                 "AND task_name = ANY(:tasks) AND args->>'run_id' = :run_id")
    with store.engine.connect() as conn:
        return int(conn.execute(query, {"tasks": list(DAY_WORK), "run_id": run_id}).scalar_one())


def entry_to_json(entry: FeedEntry) -> dict[str, Any]:
    data = dataclasses.asdict(entry)
    return {k: v.isoformat() if isinstance(v, datetime) else v for k, v in data.items()}


def entry_from_json(data: dict[str, Any]) -> FeedEntry:
    names = {f.name for f in dataclasses.fields(FeedEntry)}
    values = {k: v for k, v in data.items() if k in names}
    if values.get("published_at"):
        values["published_at"] = datetime.fromisoformat(values["published_at"])
    return FeedEntry(**values)
