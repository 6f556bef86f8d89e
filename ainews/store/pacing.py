"""Per-host politeness shared by every worker on one PostgreSQL database.

One process paces a host with its own clock (collect/http.py). N worker processes on N machines
would each do so and hit an outlet N times as often as its delay allows, so workers take their
turns from the database instead:

- turns: `host_pace.next_at` is the earliest start of the host's next request. Reserving a turn
  is one atomic upsert that moves `next_at` on by the delay and returns how long to wait; the
  row lock orders concurrent reservations, and the database's clock is the only clock used.
  After the request, the turn is counted again from when its headers actually left (a busy event
  loop or a slow connect sends late), so the next worker never starts closer than the delay to it.
- Retry-After / 429 / 503 from a host pushes its `next_at` out for every worker.
- per-host concurrency: session advisory locks, one per slot, held on their own connection for
  the length of the request. A worker that dies loses its connection and, with it, its slots.

SQLite has one writer and no workers; there the in-process pacing is all there is.
"""

from __future__ import annotations

import asyncio
import zlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy import bindparam, create_engine, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.types import Integer

LOCK_NAMESPACE = 0x41494E57  # 'AINW': keeps our advisory locks apart from other users' of the database
# Fixed keys in that namespace, listed here so they stay distinct (host slots use crc32 keys, slot_key).
SCHEMA_LOCK = 1  # taken while the task engine's schema is created (worker.py)
FINISH_LOCK = 2  # held while a finish_day runs (tasks.py)
SLOT_POLL_SECONDS = 0.05

RESERVE = text("""
INSERT INTO host_pace (host, next_at) VALUES (:host, clock_timestamp() + make_interval(secs => :step))
ON CONFLICT (host) DO UPDATE
   SET next_at = GREATEST(host_pace.next_at, clock_timestamp()) + make_interval(secs => :step)
RETURNING GREATEST(0, EXTRACT(EPOCH FROM (host_pace.next_at - make_interval(secs => :step) - clock_timestamp())))
""")

SENT = text("""
UPDATE host_pace SET next_at = GREATEST(next_at, clock_timestamp() + make_interval(secs => :step - :ago))
 WHERE host = :host
""")

TAKE_SLOT = text("SELECT k FROM unnest(:keys) AS k WHERE pg_try_advisory_lock(:ns, k) LIMIT 1").bindparams(
    bindparam("keys", type_=ARRAY(Integer)))
RELEASE_SLOT = text("SELECT pg_advisory_unlock(:ns, :key)")

HOLD = text("""
INSERT INTO host_pace (host, next_at) VALUES (:host, clock_timestamp() + make_interval(secs => :seconds))
ON CONFLICT (host) DO UPDATE
   SET next_at = GREATEST(host_pace.next_at, clock_timestamp() + make_interval(secs => :seconds))
""")


def slot_key(host: str, slot: int) -> int:
    """A signed 32-bit advisory-lock key for (host, slot)."""
    value = zlib.crc32(f"{host}#{slot}".encode())
    return value - 2**32 if value >= 2**31 else value


class HostSchedule:
    """Shared turns and slots per host (PostgreSQL only); plugs into `Fetcher(pacer=...)`.

    `margin` is added to every delay: the wait is computed on the database's clock and the request
    leaves a moment later (a new connection's set-up, a busy event loop), so two requests may drift
    by tens of milliseconds; the margin keeps the gap a server sees at or above the delay.
    """

    def __init__(self, url: str, margin: float = 0.05, connections: int = 8) -> None:
        self.margin = margin
        # a held slot keeps its connection for the request; `connections` (the worker's concurrency + 2)
        # bounds what one worker opens here, so workers × connections stays within max_connections
        self.engine: Engine = create_engine(url, isolation_level="AUTOCOMMIT", pool_size=connections,
                                            max_overflow=0, pool_pre_ping=True)
        if self.engine.dialect.name != "postgresql":
            raise ValueError("a shared host schedule needs PostgreSQL (workers share one database)")

    def close(self) -> None:
        self.engine.dispose()

    def reserve(self, host: str, delay: float) -> float:
        """Take the host's next turn; returns the seconds to wait before sending."""
        with self.engine.connect() as conn:
            return float(conn.execute(RESERVE, {"host": host, "step": self._step(delay)}).scalar_one())

    def sent_at(self, host: str, delay: float, ago: float) -> None:
        """The host's request left `ago` seconds back: its next turn starts no sooner than the delay after."""
        with self.engine.connect() as conn:
            conn.execute(SENT, {"host": host, "step": self._step(delay), "ago": ago})

    def _step(self, delay: float) -> float:
        return delay + self.margin if delay > 0 else 0.0  # no delay: no spacing, but holds still count

    def hold_off(self, host: str, seconds: float) -> None:
        """No worker starts a request to `host` for `seconds` (Retry-After, 429, 503)."""
        with self.engine.connect() as conn:
            conn.execute(HOLD, {"host": host, "seconds": seconds})

    def try_slot(self, host: str, slots: int) -> Slot | None:
        """One of the host's `slots` concurrency slots (one query tries them all), or None when all are taken."""
        keys = [slot_key(host, slot) for slot in range(max(1, slots))]
        conn = self.engine.connect()
        try:
            key = conn.execute(TAKE_SLOT, {"ns": LOCK_NAMESPACE, "keys": keys}).scalar()
        except BaseException:
            conn.close()
            raise
        if key is None:
            conn.close()
            return None
        return Slot(conn, key)

    # --- the asynchronous face the fetcher uses -------------------------------------------

    async def turn(self, host: str, delay: float) -> None:
        wait = await asyncio.to_thread(self.reserve, host, delay)
        if wait > 0:
            await asyncio.sleep(wait)

    async def sent(self, host: str, delay: float, ago: float) -> None:
        if delay > 0:  # without a delay there is no turn to move
            await asyncio.to_thread(self.sent_at, host, delay, ago)

    async def hold(self, host: str, seconds: float) -> None:
        await asyncio.to_thread(self.hold_off, host, seconds)

    @asynccontextmanager
    async def slot(self, host: str, slots: int) -> AsyncIterator[None]:
        while (held := await asyncio.to_thread(self.try_slot, host, slots)) is None:
            await asyncio.sleep(SLOT_POLL_SECONDS)
        try:
            yield
        finally:
            await asyncio.to_thread(held.release)


class Slot:
    """A held per-host slot: an advisory lock on a pooled connection, released before the
    connection goes back to the pool (a connection that cannot release it is discarded)."""

    def __init__(self, conn: Connection, key: int) -> None:
        self.conn = conn
        self.key = key

    def release(self) -> None:
        try:
            self.conn.execute(RELEASE_SLOT, {"ns": LOCK_NAMESPACE, "key": self.key})
        except Exception:  # noqa: BLE001 - a broken connection takes its locks with it
            self.conn.invalidate()
        finally:
            self.conn.close()
