"""ChangeWatch: the store's fingerprint per request for a file stat, still moving at once when
another process writes (SQLite), and within `recheck` seconds otherwise."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from ainews.models import Story
from ainews.store import Store
from ainews.store.changes import ChangeWatch, fingerprint

ROOT = Path(__file__).resolve().parents[2]
WRITE = """
import sys
from ainews.models import Story
from ainews.store import Store
store = Store(sys.argv[1])
store.save_story(Story(id=sys.argv[2], title="다른 프로세스", representative_id=1))
store.close()
"""


def write_elsewhere(url: str, story_id: str) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", WRITE, url, story_id], capture_output=True, text=True, env=env,
                          timeout=120)
    assert done.returncode == 0, done.stderr


def test_another_process_write_shows_at_once_and_quiet_reads_cost_no_query(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'w.db'}"
    store = Store(url)
    watch = ChangeWatch(store.engine, recheck=3600)  # only the stat can notice anything here
    first = watch.current()
    assert first == fingerprint(store.engine)
    for _ in range(200):
        assert watch.current() == first
    assert watch.reads == 1  # 200 requests, one query
    write_elsewhere(url, "elsewhere-1")
    moved = watch.current()  # no sleep, no recheck: the WAL changed under us
    assert moved[0] == first[0] + 1 and moved == fingerprint(store.engine)
    store.save_story(Story(id="here", title="같은 프로세스", representative_id=1))
    assert watch.current()[0] == first[0] + 2
    watch.close()
    store.close()


def test_without_a_file_the_recheck_bounds_staleness(tmp_path: Path) -> None:
    store = Store("sqlite://")  # in memory: nothing to stat, as on PostgreSQL
    watch = ChangeWatch(store.engine, recheck=0.2)
    first = watch.current()
    store.save_story(Story(id="mem", title="메모리", representative_id=1))
    time.sleep(0.25)
    assert watch.current()[0] == first[0] + 1
    watch.close()
    store.close()


def test_another_process_write_is_seen_within_the_recheck(any_db_url: str) -> None:
    """SQLite at once (the stat), PostgreSQL within `recheck` (its own connection, password and all)."""
    store = Store(any_db_url)
    watch = ChangeWatch(store.engine, recheck=0.3)
    first = watch.current()
    write_elsewhere(any_db_url, "elsewhere-2")
    began = time.monotonic()
    while watch.current() == first and time.monotonic() - began < 5:
        time.sleep(0.02)
    waited = time.monotonic() - began
    assert watch.current()[0] == first[0] + 1
    assert waited < (0.28 if store.engine.dialect.name == "sqlite" else 1.0), waited  # sqlite: before any recheck
    watch.close()
    store.close()
