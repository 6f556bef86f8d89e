"""A work queue in the database, so N workers on N machines can share one PostgreSQL.

Claiming is one atomic `WITH picked AS (SELECT … FOR UPDATE SKIP LOCKED) UPDATE … RETURNING`:
on PostgreSQL concurrent workers skip each other's rows instead of waiting; on SQLite the single
statement is atomic under the database write lock. A claim is a lease: if its worker dies, the
job becomes claimable again when the lease runs out, and `complete` only counts for the worker
that still holds the lease, so a job is never recorded done twice.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from ainews.store.db import Store, _utcnow
from ainews.store.schema import JobRow


@dataclass(slots=True)
class Job:
    id: int
    kind: str
    key: str
    payload: dict[str, Any]
    attempts: int


def job_key(kind: str, identity: str) -> str:
    key = f"{kind}:{identity}"
    return key if len(key) <= 900 else f"{kind}:sha:{hashlib.sha256(identity.encode()).hexdigest()}"


class JobQueue:
    def __init__(self, store: Store, max_attempts: int = 3) -> None:
        self.store = store
        self.max_attempts = max_attempts
        self._dialect = store.engine.dialect.name

    def enqueue(self, kind: str, identity: str, payload: dict[str, Any]) -> bool:
        """Queue work once per (kind, identity); returns False when it was already queued or done."""
        return self.enqueue_many(kind, [(identity, payload)]) == 1

    def enqueue_many(self, kind: str, items: list[tuple[str, dict[str, Any]]]) -> int:
        if not items:
            return 0
        now = _utcnow()
        rows = [dict(kind=kind, key=job_key(kind, ident), payload=payload, status="queued", attempts=0,
                     created_at=now, updated_at=now) for ident, payload in items]
        insert = pg_insert if self._dialect == "postgresql" else sqlite_insert
        added = 0
        with self.store.session() as s:
            for start in range(0, len(rows), 500):
                stmt = (insert(JobRow).values(rows[start:start + 500])
                        .on_conflict_do_nothing(index_elements=["key"]).returning(JobRow.id))
                added += len(s.execute(stmt).all())
        return added

    def claim(self, worker: str, kinds: tuple[str, ...], limit: int = 10, lease_seconds: float = 120) -> list[Job]:
        now = _utcnow()
        claimable = and_(
            JobRow.kind.in_(kinds),
            or_(JobRow.status == "queued", and_(JobRow.status == "running", JobRow.lease_until < now)),
        )
        chosen = select(JobRow.id).where(claimable).order_by(JobRow.id).limit(limit)
        if self._dialect == "postgresql":
            chosen = chosen.with_for_update(skip_locked=True)
        picked = chosen.cte("picked")  # a CTE runs once; an IN-subquery may be re-run per row
        stmt = (
            update(JobRow)
            .where(JobRow.id == picked.c.id, claimable)
            .values(status="running", worker=worker, lease_until=now + timedelta(seconds=lease_seconds),
                    attempts=JobRow.attempts + 1, updated_at=now)
            .returning(JobRow.id, JobRow.kind, JobRow.key, JobRow.payload, JobRow.attempts)
            .execution_options(synchronize_session=False)
        )
        with self.store.session() as s:
            rows = s.execute(stmt).all()
        return sorted((Job(*row) for row in rows), key=lambda j: j.id)

    def complete(self, job: Job, worker: str) -> bool:
        """Mark done if this worker still holds the lease (False: it expired and moved on)."""
        return self._finish(job, worker, status="done", error=None)

    def fail(self, job: Job, worker: str, error: str) -> bool:
        """Give the job back for another try, or mark it failed after max_attempts."""
        status = "failed" if job.attempts >= self.max_attempts else "queued"
        return self._finish(job, worker, status=status, error=error[:2000])

    def _finish(self, job: Job, worker: str, status: str, error: str | None) -> bool:
        stmt = (
            update(JobRow)
            .where(JobRow.id == job.id, JobRow.worker == worker, JobRow.status == "running")
            .values(status=status, last_error=error, lease_until=None, updated_at=_utcnow())
            .execution_options(synchronize_session=False)
        )
        with self.store.session() as s:
            return (s.execute(stmt).rowcount or 0) == 1

    def pending(self, kind: str) -> int:
        """Jobs not finished yet: queued, or claimed by a worker that may still die."""
        with self.store.session() as s:
            return s.scalar(select(func.count()).where(JobRow.kind == kind,
                                                       JobRow.status.in_(("queued", "running")))) or 0

    def counts(self) -> dict[str, int]:
        with self.store.session() as s:
            rows = s.execute(select(JobRow.status, func.count()).group_by(JobRow.status)).all()
        return {status: n for status, n in rows}
