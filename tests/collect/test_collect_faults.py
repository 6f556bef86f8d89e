"""Every fault from the issue in one run: each is handled, and nothing else in the run is lost."""

from __future__ import annotations

import asyncio

from ainews.collect.run import collect
from ainews.collect.sources import Source
from tests.support.collect_pages import article_html, rss
from tests.support.httpserver import Response


def _flaky(state: dict[str, int]):  # noqa: ANN202 - test handler factory
    def handler(_req):  # noqa: ANN001, ANN202
        state["n"] = state.get("n", 0) + 1
        return Response(500, b"oops") if state["n"] == 1 else Response(body=article_html("재시도 성공 기사"))
    return handler


def test_faults_are_isolated(server, store, settings) -> None:
    a = {name: server.url(f"/a/{name}.html") for name in
         ("good1", "good2", "timeout", "flaky", "missing", "reset", "loop", "huge", "drip")}
    server.routes.update({
        "/a/good1.html": Response(body=article_html("정상 기사 1")),
        "/a/good2.html": Response(body=article_html("정상 기사 2")),
        "/a/timeout.html": Response(body=article_html("늦은 기사"), delay=3.0),
        "/a/flaky.html": _flaky({}),
        "/a/reset.html": Response(reset=True),
        "/a/loop.html": Response(302, headers={"Location": "/a/loop2.html"}),
        "/a/loop2.html": Response(302, headers={"Location": "/a/loop.html"}),
        "/a/huge.html": Response(stream_bytes=50 * 1024 * 1024),
        "/a/drip.html": Response(drip=(0.05, 200)),
    })
    blocked = server.url("/private/secret.html", 1)
    allowed = server.url("/public/ok.html", 1)
    server.routes["/robots.txt"] = lambda req: (
        Response(body=b"User-agent: *\nDisallow: /private/\n", headers={"Content-Type": "text/plain"})
        if req.host == "127.0.0.2" else Response(404))
    server.routes["/private/secret.html"] = Response(body=article_html("비공개"))
    server.routes["/public/ok.html"] = Response(body=article_html("공개 기사"))
    server.routes["/news.xml"] = Response(body=rss([(k, v) for k, v in a.items()] + [("비공개", blocked),
                                                                                    ("공개", allowed)]))
    # an invalid feed: well-formed first item, then a broken tag
    broken = rss([("깨진 피드 기사", server.url("/b/1.html"))]).replace(b"</channel>", b"<item><title>x</channel>")
    server.routes["/broken.xml"] = Response(body=broken)
    server.routes["/b/1.html"] = Response(body=article_html("깨진 피드의 살아남은 기사"))
    # a feed in EUC-KR, charset only in the XML declaration
    server.routes["/euckr.xml"] = Response(body=rss([("한글 인코딩 기사", server.url("/e/1.html"))],
                                                    encoding="euc-kr"), headers={"Content-Type": "text/xml"})
    server.routes["/e/1.html"] = Response(body=article_html("한글 인코딩 기사"))
    server.routes["/down.xml"] = Response(503, b"down")
    sources = [Source("faults", server.url("/news.xml")), Source("broken", server.url("/broken.xml")),
               Source("euckr", server.url("/euckr.xml")), Source("down", server.url("/down.xml")),
               Source("off", server.url("/never.xml"), enabled=False)]

    report = asyncio.run(collect(settings, store, sources, allow_private=True))

    errors = {e["url"]: e["error"] for e in report.errors}
    assert set(errors) == {a["timeout"], a["reset"], a["loop"], a["drip"], a["missing"], blocked,
                           server.url("/broken.xml"), server.url("/down.xml")}
    assert "timed out" in errors[a["timeout"]] and "timed out" in errors[a["drip"]]
    assert errors[a["missing"]] == "HTTP 404" and "redirect loop" in errors[a["loop"]]
    assert "robots.txt" in errors[blocked] and "invalid feed" in errors[server.url("/broken.xml")]
    assert "HTTP 503" in errors[server.url("/down.xml")]
    assert "connection" in errors[a["reset"]] or "closed" in errors[a["reset"]]
    # stored: good1, good2, flaky (after a retry), huge (cut), public, broken feed's item, EUC-KR item
    assert report.articles_new == 7 and store.count_articles() == 7
    assert (report.sources_ok, report.sources_failed) == (2, 2)
    assert server.count("/a/flaky.html") == 2 and server.count("/a/missing.html") == 1
    assert server.count("/a/timeout.html") == 3 and server.count("/a/reset.html") == 3
    assert server.count("/down.xml") == 3 and server.count("/never.xml") == 0
    assert server.count("/private/secret.html") == 0 and server.count("/public/ok.html") == 1
    health = {row["name"]: row for row in store.source_health()}
    assert health["down"]["consecutive_failures"] == 1 and "503" in health["down"]["last_error"]
    assert "invalid feed" in health["broken"]["last_error"] and health["faults"]["items_found"] == 11
    assert report.exit_code == 0


def test_all_sources_failing_gives_nonzero_exit(server, store, settings) -> None:
    server.routes["/x.xml"] = Response(404)
    report = asyncio.run(collect(settings, store, [Source("x", server.url("/x.xml")),
                                                   Source("y", server.url("/y.xml", 1))], allow_private=True))
    assert report.sources_failed == 2 and report.exit_code == 1
    assert sorted(report.to_json()) == ["articles_new", "articles_seen", "errors", "requests",
                                        "sources_failed", "sources_ok"]
    again = asyncio.run(collect(settings, store, [Source("x", server.url("/x.xml"))], allow_private=True))
    assert again.exit_code == 1
    assert {r["name"]: r for r in store.source_health()}["x"]["consecutive_failures"] == 2


def test_private_addresses_refused_without_flag(server, store, settings) -> None:
    server.routes["/x.xml"] = Response(body=rss([]))
    report = asyncio.run(collect(settings, store, [Source("x", server.url("/x.xml"))]))
    assert report.sources_failed == 1 and "non-public address" in report.errors[0]["error"]
    assert server.log == []


def test_no_enabled_sources_is_a_quiet_success(store, settings) -> None:
    report = asyncio.run(collect(settings, store, [Source("off", "http://127.0.0.1:9/x", enabled=False)]))
    assert report.to_json() == {"sources_ok": 0, "sources_failed": 0, "requests": 0, "articles_new": 0,
                                "articles_seen": 0, "errors": []}
    assert report.exit_code == 0
