"""`ainews worker`: a procrastinate worker running the daily job's tasks (tasks.py) on PostgreSQL.

A worker process keeps one polite Fetcher whose per-host turns, slots and Retry-After holds live
in the database (store/pacing.py), so N workers on N machines are together as polite as one.
Every worker also sweeps for tasks of workers that stopped sending heartbeats (killed, machine
gone) and puts them back in the queue, so a dead worker's pages are fetched by the others.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass

import procrastinate
from procrastinate.schema import SchemaManager
from sqlalchemy import inspect, text
from sqlalchemy.engine import make_url

from ainews import tasks
from ainews.collect.extracting import Extractor
from ainews.collect.http import Fetcher
from ainews.collect.sources import Source, load_sources
from ainews.config import ConfigError, QueueSettings, ScheduleSettings, Settings
from ainews.errors import UserError
from ainews.models import KST
from ainews.pipeline import RunOptions
from ainews.store import Store
from ainews.store.pacing import LOCK_NAMESPACE, SCHEMA_LOCK, HostSchedule
from ainews.store.robots_copies import StoredRobotsCopies

log = logging.getLogger("ainews.worker")
PURGE_EVERY = 3600.0


class QueueUnavailable(UserError):
    """The task queue needs PostgreSQL; SQLite users run `ainews run` in one process."""


def conninfo(db_url: str) -> str:
    """libpq connection string for procrastinate from our SQLAlchemy URL."""
    url = make_url(db_url)
    if url.get_backend_name() != "postgresql":
        raise QueueUnavailable("the task queue needs PostgreSQL (--db postgresql+psycopg://…); "
                               "on SQLite use `ainews run`")
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def ensure_schema(store: Store) -> None:
    """Create the engine's tables once per database (several workers may start at once)."""
    with store.engine.connect() as conn:
        conn.execute(text("SELECT pg_advisory_lock(:ns, :key)"), {"ns": LOCK_NAMESPACE, "key": SCHEMA_LOCK})
        try:
            if not inspect(conn).has_table("procrastinate_jobs"):
                raw = conn.connection.driver_connection  # no parameters: the schema holds literal '%'
                raw.execute(SchemaManager.get_schema())
            conn.commit()
        finally:
            conn.execute(text("SELECT pg_advisory_unlock(:ns, :key)"), {"ns": LOCK_NAMESPACE, "key": SCHEMA_LOCK})
            conn.commit()


@contextlib.asynccontextmanager
async def connected(store: Store) -> AsyncIterator[procrastinate.App]:
    """The task app bound to this store's PostgreSQL, schema in place."""
    info = conninfo(store.url)
    await asyncio.to_thread(ensure_schema, store)
    with tasks.app.replace_connector(procrastinate.PsycopgConnector(conninfo=info)) as app:
        async with app.open_async():
            yield app


def daily_cron(schedule: ScheduleSettings) -> str | None:
    """`daily_at = "HH:MM"` (KST) as a cron line in UTC, the engine's clock; None when unset."""
    if not schedule.daily_at:
        return None
    try:
        hour, minute = (int(part) for part in schedule.daily_at.split(":"))
        if not (0 <= hour < 24 and 0 <= minute < 60):
            raise ValueError
    except ValueError as exc:
        raise ConfigError(f"[schedule] daily_at must be HH:MM (KST), not '{schedule.daily_at}'") from exc
    utc_hour = (hour - int(KST.utcoffset(None).total_seconds() // 3600)) % 24
    return f"{minute} {utc_hour} * * *"


async def sweep_stalled(app: procrastinate.App, queue: QueueSettings) -> None:
    """Forever: tasks held by workers without a recent heartbeat go back to the queue; finished
    tasks older than `keep_days` are deleted (kept until then for `ainews queue` and `run --wait`)."""
    last_purge = 0.0
    while True:
        await asyncio.sleep(queue.heartbeat_seconds)
        try:
            if time.monotonic() - last_purge > PURGE_EVERY:
                await app.job_manager.delete_old_jobs(nb_hours=int(queue.keep_days * 24), include_failed=False)
                last_purge = time.monotonic()
            stalled = await app.job_manager.get_stalled_jobs(seconds_since_heartbeat=queue.stalled_after_seconds)
            for job in stalled:
                if await retry_if_still_stalled(app, job.id, job.worker_id):  # type: ignore[arg-type]
                    log.warning("retried task %s (%s) of a stalled worker", job.id, job.task_name)
        except Exception:  # noqa: BLE001 - the sweep must outlive a database hiccup
            log.exception("stalled-task sweep failed")


# Retry a task only while the stalled worker of the sweep's snapshot still holds it. Every worker
# sweeps: without the check, a second sweeper's older snapshot puts a task back in the queue that
# another worker has just taken up again, and two workers run it at once (two finish_day runs
# publishing into one folder). FOR UPDATE makes the condition hold at the moment of the retry.
_RETRY_IF_STALLED = """
WITH held AS (
    SELECT id FROM procrastinate_jobs
     WHERE id = %(job_id)s AND status = 'doing' AND worker_id IS NOT DISTINCT FROM %(worker_id)s::bigint
       FOR UPDATE
)
SELECT procrastinate_retry_job_v2(held.id, NOW(), NULL, NULL, NULL), held.id AS retried FROM held
"""


async def retry_if_still_stalled(app: procrastinate.App, job_id: int, worker_id: int | None) -> bool:
    """Put one stalled task back in the queue; False when it has moved on (retried, taken, finished)."""
    try:
        row = await app.connector.execute_query_one_async(_RETRY_IF_STALLED, job_id=job_id, worker_id=worker_id)
    except Exception:  # noqa: BLE001 - "invalid status to retry": another sweeper was first
        return False
    return bool(row and row["retried"])


@dataclass
class WorkerOptions:
    concurrency: int = 8
    allow_private: bool = False
    burst: bool = False  # exit when no task is due instead of waiting for more


async def work(store: Store, settings: Settings, options: WorkerOptions) -> None:
    """Run one engine worker until stopped (SIGINT/SIGTERM), or until idle with `burst`."""
    conninfo(store.url)  # refuse SQLite before anything starts
    sources: dict[str, Source] = {s.name: s for s in load_sources(None, settings.sources or None)}
    pacer = HostSchedule(store.url, connections=options.concurrency + 2)
    extractor = Extractor(timeout=settings.extract_timeout)  # a page past the deadline is killed
    extractor.start()  # forked before the engine starts any thread
    try:
        async with Fetcher(settings, robots_copies=StoredRobotsCopies(store), allow_private=options.allow_private,
                           pacer=pacer) as fetcher, \
                connected(store) as app:
            context = tasks.WorkerContext(settings, store, sources, fetcher, extractor, pacer,
                                          options.allow_private)
            if cron := daily_cron(settings.schedule):
                app.periodic(cron=cron, periodic_id="daily")(tasks.scheduled_run)
            sweeper = asyncio.create_task(sweep_stalled(app, settings.queue))
            try:
                await app.run_worker_async(
                    queues=list(tasks.QUEUES), concurrency=options.concurrency, wait=not options.burst,
                    additional_context={"ainews": context}, delete_jobs="never",
                    update_heartbeat_interval=settings.queue.heartbeat_seconds,
                    stalled_worker_timeout=settings.queue.stalled_after_seconds)
            finally:
                sweeper.cancel()
    finally:
        extractor.close()
        pacer.close()


async def enqueue_run(store: Store, settings: Settings, options: RunOptions) -> int:
    """`ainews run --queue`: queue the day (default today); returns the id of its finishing task."""
    source_list = load_sources(options.sources, settings.sources or None)
    out = str(options.out_dir.resolve()) if options.out_dir else ""
    async with connected(store):
        return await tasks.enqueue_day(source_list, options.the_day(), out=out,
                                       deliver=options.deliver, site_url=options.site_url)


async def wait_for(store: Store, job_id: int, poll: float = 1.0) -> str:
    """Wait until a task has ended; returns its final status ('succeeded', 'failed', …)."""
    async with connected(store) as app:
        while True:
            status = (await app.job_manager.get_job_status_async(job_id)).value
            if status not in ("todo", "doing"):
                return status
            await asyncio.sleep(poll)


async def enqueue_urls(store: Store, urls: list[str], source: str = "queue") -> int:
    """`ainews enqueue`: queue article pages; a page already waiting is not queued twice."""
    from ainews.models import FeedEntry

    async with connected(store):
        added = 0
        for url in dict.fromkeys(u.strip() for u in urls if u.strip()):
            added += await tasks.defer_fetch("enqueued", source, FeedEntry(url=url, source=source))
        return added


def queue_status(store: Store) -> list[dict]:
    """Per task name and status: how many tasks (`ainews queue`)."""
    conninfo(store.url)
    with store.engine.connect() as conn:
        if not inspect(conn).has_table("procrastinate_jobs"):
            return []
        rows = conn.execute(text("SELECT task_name, status, count(*) AS n FROM procrastinate_jobs "
                                 "GROUP BY task_name, status ORDER BY task_name, status"))
        return [dict(row._mapping) for row in rows]


def failed_tasks(store: Store, limit: int = 20) -> list[dict]:
    """The most recent failed tasks with their arguments, for `ainews queue --failed`."""
    with store.engine.connect() as conn:
        if not inspect(conn).has_table("procrastinate_jobs"):
            return []
        rows = conn.execute(text("SELECT id, task_name, args, attempts FROM procrastinate_jobs "
                                 "WHERE status = 'failed' ORDER BY id DESC LIMIT :n"), {"n": limit})
        return [dict(row._mapping) for row in rows]
