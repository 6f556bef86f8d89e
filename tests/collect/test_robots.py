"""robots.txt per RFC 9309 against real loopback hosts: unreachable = disallow (unless a copy younger
than 24 h is in the store), 4xx = allow. The old code fetched the pages of every host whose
robots.txt answered 500/503 or timed out."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from ainews.collect.http import Fetcher, RobotsDisallowed, RobotsUnreachable
from ainews.collect.run import collect
from ainews.collect.sources import Source
from ainews.store.robots_copies import StoredRobotsCopies
from tests.support.collect_pages import article_html, rss
from tests.support.httpserver import Response, TestServer

ROBOTS = b"User-agent: *\nDisallow: /private/\n"


def _serve_pages(server: TestServer) -> None:
    for path in ("/public/1.html", "/private/1.html"):
        server.routes[path] = Response(body=article_html(f"인공지능 기사 {path}"))


def _page_hits(server: TestServer, host: str) -> list[str]:
    return [r.path for r in server.log if r.host == host and r.path != "/robots.txt"]


def test_unreachable_robots_disallows_the_host_and_the_summary_says_why(store, settings) -> None:
    # host .1 carries the feed (robots.txt 404 → allowed); .2 answers 503, .3 500, .4 never answers
    robots = {"127.0.0.1": Response(404), "127.0.0.2": Response(503), "127.0.0.3": Response(500),
              "127.0.0.4": Response(body=ROBOTS, delay=3.0)}
    with TestServer(hosts=list(robots)) as server:
        server.routes["/robots.txt"] = lambda req: robots[req.host]
        _serve_pages(server)
        items = [(f"기사 {h}", server.url("/public/1.html", h)) for h in robots]
        server.routes["/feed.xml"] = Response(body=rss(items), headers={"Content-Type": "application/rss+xml"})
        report = asyncio.run(collect(settings, store, [Source(name="f", url=server.url("/feed.xml"), kind="feed")],
                                     allow_private=True))
        assert _page_hits(server, "127.0.0.1") == ["/feed.xml", "/public/1.html"]  # 4xx = allow
        for host in ("127.0.0.2", "127.0.0.3", "127.0.0.4"):
            assert _page_hits(server, host) == [], host  # not one page requested
        assert server.count("/robots.txt") >= 4

    assert report.articles_new == 1
    errors = {e["url"].split("/")[2].split(":")[0]: e["error"] for e in report.errors}
    assert set(errors) == {"127.0.0.2", "127.0.0.3", "127.0.0.4"}
    assert "HTTP 503" in errors["127.0.0.2"] and "HTTP 500" in errors["127.0.0.3"]
    assert "timed out" in errors["127.0.0.4"]
    for message in errors.values():
        assert message.startswith("skipped: robots.txt of http://") and "RFC 9309" in message


def _fetch(settings, store, urls: list[str]) -> list[object]:  # noqa: ANN001
    async def go() -> list[object]:
        async with Fetcher(settings, robots_copies=StoredRobotsCopies(store), allow_private=True) as fetcher:
            return await asyncio.gather(*(fetcher.fetch(u) for u in urls), return_exceptions=True)
    return asyncio.run(go())


def test_last_good_copy_is_used_for_24_hours_across_runs(server, store, settings) -> None:
    state = {"robots": Response(body=ROBOTS, headers={"Content-Type": "text/plain"})}
    server.routes["/robots.txt"] = lambda _req: state["robots"]
    _serve_pages(server)
    urls = [server.url("/public/1.html"), server.url("/private/1.html")]

    ok, private = _fetch(settings, store, urls)  # run 1: robots.txt fine, copy kept in the store
    assert ok.status == 200 and isinstance(private, RobotsDisallowed)
    origin = server.url("").rstrip("/").lower()
    copy = StoredRobotsCopies(store).get(origin)
    assert copy is not None and copy[0] == ROBOTS.decode()

    state["robots"] = Response(503)  # run 2, a new fetcher: the stored copy stands in
    ok, private = _fetch(settings, store, urls)
    assert ok.status == 200 and isinstance(private, RobotsDisallowed)

    StoredRobotsCopies(store).put(origin, copy[0], datetime.now(UTC) - timedelta(hours=25))
    before = len(_page_hits(server, "127.0.0.1"))
    public, private = _fetch(settings, store, urls)  # run 3: the copy is too old → nothing fetched
    assert isinstance(public, RobotsUnreachable) and isinstance(private, RobotsUnreachable)
    assert "HTTP 503" in public.reason and len(_page_hits(server, "127.0.0.1")) == before


def test_4xx_robots_allows_everything(server, store, settings) -> None:
    for status in (401, 403, 404, 410):
        server.routes["/robots.txt"] = Response(status)
        server.routes[f"/private/{status}.html"] = Response(body=b"ok")
        [result] = _fetch(settings, store, [server.url(f"/private/{status}.html")])
        assert result.status == 200, status
