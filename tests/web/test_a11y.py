"""Accessibility: axe-core (shipped inside axe-playwright-python; nothing downloaded) in Debian's
Chromium finds no moderate, serious or critical violation on any page type of the web app or the static site."""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from ainews import pipeline
from ainews.config import Settings
from ainews.store import Store

pytestmark = pytest.mark.browser
axe_module = pytest.importorskip("axe_playwright_python.sync_playwright", reason="axe-playwright-python missing")
BLOCKING = {"moderate", "serious", "critical"}  # the landmark and heading-order fixes stay fixed


@pytest.fixture
def page(browser):  # noqa: ANN001, ANN201 - playwright Browser and Page
    context = browser.new_context(viewport={"width": 1100, "height": 900}, locale="ko-KR", bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def blocking_violations(page, url: str) -> list[str]:  # noqa: ANN001 - playwright Page
    page.goto(url)
    results = axe_module.Axe().run(page)
    found = []
    for v in results.response["violations"]:
        if v.get("impact") in BLOCKING:
            targets = [" ".join(map(str, n.get("target", []))) for n in v.get("nodes", [])][:3]
            found.append(f"{url}: {v['id']} ({v['impact']}, {len(v.get('nodes', []))}×) {targets}")
    return found


def web_pages(ids: dict[str, int], story: str) -> list[str]:
    return ["/", "/day/2026-01-16", f"/story/{story}", "/search?q=%EC%B9%B4%EC%B9%B4%EC%98%A4",
            "/articles?topic=LLM", "/articles?company=%EC%B9%B4%EC%B9%B4%EC%98%A4", "/trends",
            "/trends?by=topic", f"/article/{next(iter(ids.values()))}", "/archive", "/day/1999-01-01"]


def test_web_app_pages_have_no_serious_violations(page, live_server: str, ids: dict[str, int]) -> None:  # noqa: ANN001
    found = [v for path in web_pages(ids, "story-dokpamo") for v in blocking_violations(page, live_server + path)]
    assert not found, "\n".join(found)


@pytest.fixture(scope="module")
def static_site(corpus, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:  # noqa: ANN001
    """The published site of the corpus store, served by a plain static file server on loopback."""
    store: Store = corpus[0]
    out = tmp_path_factory.mktemp("site")
    pipeline.publish_all(store, Settings(), out)
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(out / "site"))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.RequestHandlerClass.log_message = lambda *_args: None  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", out / "site"
    server.shutdown()
    thread.join(timeout=10)


def site_pages(root: Path) -> list[str]:
    """One page of each type the site has: index, archive, and per folder its catalog and one page."""
    pages = ["/index.html", "/archive.html"]
    for folder in ("days", "tags", "companies", "stories"):
        files = sorted((root / folder).glob("*.html"))
        pages += [f"/{folder}/{f.name}" for f in files if f.name == "index.html"]
        pages += [f"/{folder}/{f.name}" for f in files if f.name != "index.html"][:1]
    return pages


def test_static_site_pages_have_no_serious_violations(page, static_site: tuple[str, Path]) -> None:  # noqa: ANN001
    base, root = static_site
    pages = site_pages(root)
    assert len(pages) >= 6, pages  # every page type was published
    found = [v for path in pages for v in blocking_violations(page, base + path)]
    assert not found, "\n".join(found)
