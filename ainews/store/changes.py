"""The store's change fingerprint: one counter row bumped by every transaction that wrote anything.

Caches (the web app's rendered pages and API answers) key on it. It is bumped inside the writing
transaction itself, by engine events, so it covers ORM sessions and Core statements alike (the
search index writes through Core), works on SQLite and PostgreSQL, and moves when another process
writes. Reading it is one primary-key lookup; ChangeWatch makes asking for it per request cheaper still.
"""

from __future__ import annotations

import os
import re
import threading
import time
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, Integer, bindparam, create_engine, event, text
from sqlalchemy.engine import Connection, Engine

WRITES = ("insert", "update", "delete", "replace", "merge")
TABLE = "store_changes"
_NOW = bindparam("now", type_=DateTime())
# one upsert (SQLite ≥ 3.24 and PostgreSQL): two first writers racing cannot both insert the row
_BUMP = text(f"INSERT INTO {TABLE} (id, counter, changed_at) VALUES (1, 1, :now) ON CONFLICT (id) "
             f"DO UPDATE SET counter = {TABLE}.counter + 1, changed_at = excluded.changed_at").bindparams(_NOW)
_READ = text(f"SELECT counter, changed_at FROM {TABLE} WHERE id = 1").columns(counter=Integer(),
                                                                            changed_at=DateTime())
_FLAG = "ainews_wrote"


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


# bookkeeping no page shows: writes there (the workers' per-host turns above all) never touch the counter,
# so concurrent workers do not queue up behind its row lock on PostgreSQL
UNSHOWN = frozenset({TABLE, "host_pace", "robots_copies", "fetch_cache", "seen_entries", "source_health",
                     "deliveries", "llm_cache", "watch_alerts", "alembic_version"})
_TARGET = re.compile(
    r'^\s*(?:insert\s+(?:or\s+\w+\s+)?into|update|delete\s+from|replace\s+into|merge\s+into)\s+"?(\w+)', re.I)


def _note_write(conn: Connection, _cursor: Any, statement: str, *_rest: Any) -> None:
    if not statement.lstrip()[:8].lower().startswith(WRITES):
        return
    target = _TARGET.match(statement[:200])
    if target is None or target.group(1).lower() not in UNSHOWN:
        conn.info[_FLAG] = True


def _bump(conn: Connection) -> None:
    if conn.info.pop(_FLAG, False):
        conn.execute(_BUMP, {"now": _now()})
        conn.info.pop(_FLAG, None)


def _forget(conn: Connection) -> None:
    conn.info.pop(_FLAG, None)


def track(engine: Engine) -> None:
    """Bump the counter in every transaction on `engine` that wrote a row."""
    if not event.contains(engine, "commit", _bump):
        event.listen(engine, "before_cursor_execute", _note_write)
        event.listen(engine, "commit", _bump)
        event.listen(engine, "rollback", _forget)


def fingerprint(engine: Engine) -> tuple[int, datetime | None]:
    """(counter, last change in UTC): equal values mean nothing was written in between."""
    with engine.connect() as conn:
        row = conn.execute(_READ).first()
    return (int(row[0]), row[1]) if row else (0, None)


Mark = tuple[int, datetime | None]
RECHECK = 1.0  # seconds: the longest a cached fingerprint is trusted without reading the row


class ChangeWatch:
    """The fingerprint without a query per request: re-read when the SQLite file or its WAL changed
    (a stat, microseconds) and at least every `recheck` seconds (PostgreSQL: only that).

    It reads through its own one-connection engine, so a busy request pool can never make the
    event loop wait for a connection. A writer's commit changes the WAL's size or mtime, so the
    next request sees it; the recheck covers a WAL rewritten in place within one mtime tick."""

    def __init__(self, engine: Engine, recheck: float = RECHECK) -> None:
        self.recheck = recheck
        database = engine.url.database if engine.dialect.name == "sqlite" else None
        in_memory = engine.dialect.name == "sqlite" and database in (None, "", ":memory:")
        self._files = [database, f"{database}-wal"] if database and not in_memory else []
        self._own = not in_memory  # an in-memory database exists only behind its own engine
        self._engine = create_engine(engine.url, pool_size=1, max_overflow=0) if self._own else engine
        self._lock = threading.Lock()
        self._stamp: tuple[Any, ...] | None = None
        self._read_at = -recheck
        self._mark: Mark = (0, None)
        self.reads = 0  # how often the row was actually read

    def _file_stamp(self) -> tuple[Any, ...]:
        stamp: list[Any] = []
        for name in self._files:
            try:
                st = os.stat(name)
                stamp.append((st.st_ino, st.st_size, st.st_mtime_ns))
            except OSError:
                stamp.append(None)
        return tuple(stamp)

    def current(self) -> Mark:
        """The store's fingerprint as of now (see class doc for how fresh)."""
        stamp, now = self._file_stamp(), time.monotonic()
        if stamp == self._stamp and now - self._read_at < self.recheck:
            return self._mark
        with self._lock:
            self._mark, self._stamp, self._read_at = fingerprint(self._engine), stamp, now
            self.reads += 1
            return self._mark

    def close(self) -> None:
        if self._own:
            self._engine.dispose()
