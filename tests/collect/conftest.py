"""Fixtures for collection tests: a loopback server, a real SQLite store, fast polite settings."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from ainews.config import HttpSettings, Settings
from ainews.store.db import Store
from tests.support.httpserver import TestServer

CORPUS = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus"


@pytest.fixture
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip(f"../shared/corpus not present: {CORPUS}")
    return CORPUS


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Tiny timeouts and delays so fault tests stay fast; retries kept to show they happen."""
    http = HttpSettings(user_agent="ainews-test/0.1 (+tests)", timeout=0.6, concurrency=16,
                        per_host_concurrency=4, per_host_delay=0.0, retries=2, backoff=0.02,
                        max_bytes=256 * 1024, max_redirects=3)
    return Settings(db=str(tmp_path / "t.db"), http=http)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    db = Store(f"sqlite:///{tmp_path / 'ainews.db'}")
    yield db
    db.close()


@pytest.fixture
def server() -> Iterator[TestServer]:
    with TestServer(hosts=["127.0.0.1", "127.0.0.2", "127.0.0.3"]) as srv:
        yield srv
