"""Web fixtures: one corpus store per module, the app over it, and a real uvicorn server for browsers."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from ainews.analyze.korean import index_tokens
from ainews.store import Store
from ainews.store.search import SearchIndex
from ainews.web.app import create_app
from tests.support import pgserver as pg
from tests.support.web_store import build_store

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, dict[str, int], SearchIndex]]:
    store, ids = build_store(tmp_path_factory.mktemp("web") / "ainews.db")
    index = SearchIndex(store, index_tokens)
    index.sync()
    yield store, ids, index
    store.close()


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def any_corpus(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
               ) -> Iterator[tuple[Store, dict[str, int], SearchIndex]]:
    """The corpus store on SQLite (FTS5) and on PostgreSQL (tsvector); PostgreSQL skips when unavailable."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('web') / 'ainews.db'}"
    else:
        url = pg.create_database(request.getfixturevalue("pg_admin_url"))
    store, ids = build_store(url)
    index = SearchIndex(store, index_tokens)
    index.sync()
    yield store, ids, index
    store.close()


@pytest.fixture(scope="module")
def client(corpus: tuple[Store, dict[str, int], SearchIndex]) -> TestClient:
    store, _ids, index = corpus
    return TestClient(create_app(store, index=index), raise_server_exceptions=False)


@pytest.fixture(scope="module")
def ids(corpus: tuple[Store, dict[str, int], SearchIndex]) -> dict[str, int]:
    return corpus[1]


@pytest.fixture(scope="module")
def live_server(corpus: tuple[Store, dict[str, int], SearchIndex]) -> Iterator[str]:
    """The app under a real uvicorn server on a free loopback port, in a background thread."""
    import uvicorn

    store, _ids, index = corpus
    port = pg.free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(store, index=index), host="127.0.0.1", port=port,
                                           log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Debian's Chromium driven by Playwright (never a downloaded browser)."""
    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium missing: apt-get install -y chromium (.ci/run does)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright not installed")
    with sync_api.sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()
