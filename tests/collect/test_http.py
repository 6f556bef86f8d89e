"""The polite fetcher against a real loopback server: pacing, retries, limits, guards, robots."""

from __future__ import annotations

import asyncio
import dataclasses

import pytest

from ainews.collect.http import Fetcher, FetchError, RobotsDisallowed, RobotsUnreachable, fetch_one
from ainews.models import Validators
from tests.support.collect_pages import article_html
from tests.support.httpserver import Response, TestServer


def _run(coro):  # noqa: ANN001, ANN202
    return asyncio.run(coro)


async def _fetch_all(settings, urls: list[str], **kw):  # noqa: ANN001, ANN003, ANN202
    async with Fetcher(settings, allow_private=True, **kw) as fetcher:
        results = await asyncio.gather(*(fetcher.fetch(u) for u in urls), return_exceptions=True)
        return fetcher, results


def test_per_host_delay_is_observed_by_the_server(settings) -> None:
    delay = 0.15
    polite = dataclasses.replace(settings.http, per_host_delay=delay, per_host_concurrency=2, concurrency=8)
    with TestServer(hosts=["127.0.0.1", "127.0.0.2"]) as srv:
        for i in range(8):
            srv.routes[f"/p/{i}"] = Response(body=article_html(f"기사 {i}"))
        urls = [srv.url(f"/p/{i}", h) for i in range(8) for h in (0, 1)]
        fetcher, results = _run(_fetch_all(polite, urls))
        assert all(not isinstance(r, Exception) for r in results)
        for host in ("127.0.0.1", "127.0.0.2"):
            times = sorted(r.at for r in srv.log if r.host == host)
            assert len(times) == 9  # robots.txt + 8 pages
            gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
            # pacing counts from when request headers are written; the server thread reads them a
            # few ms later depending on scheduling, hence the 10% allowance for measurement jitter
            assert min(gaps) >= delay * 0.9, gaps
        # the two hosts were fetched in parallel, not one after the other
        first = {h: min(r.at for r in srv.log if r.host == h) for h in ("127.0.0.1", "127.0.0.2")}
        assert abs(first["127.0.0.1"] - first["127.0.0.2"]) < delay
        assert fetcher.host_requests() == {"127.0.0.1": 9, "127.0.0.2": 9}


def test_per_host_concurrency_limit(settings) -> None:
    limited = dataclasses.replace(settings.http, per_host_concurrency=2, concurrency=16)
    with TestServer() as srv:
        srv.routes["/slow"] = Response(body=b"ok", delay=0.1)
        urls = [srv.url("/slow") + f"?{i}" for i in range(10)]
        srv.routes.update({f"/slow?{i}": srv.routes["/slow"] for i in range(10)})
        _fetcher, results = _run(_fetch_all(limited, urls))
        assert all(r.status == 200 for r in results)
        assert srv.max_active["127.0.0.1"] == 2


def test_user_agent_and_robots_fetched_once(server, settings) -> None:
    server.routes["/a"] = Response(body=b"a")
    server.routes["/b"] = Response(body=b"b")
    _run(_fetch_all(settings.http, [server.url("/a"), server.url("/b")]))
    assert server.count("/robots.txt") == 1
    assert {r.headers["user-agent"] for r in server.log} == {"ainews-test/0.1 (+tests)"}


def test_robots_disallow_and_failing_robots(server, settings) -> None:
    server.routes["/robots.txt"] = lambda req: (
        Response(body=b"User-agent: ainews-test\nDisallow: /no/\n\nUser-agent: *\nDisallow: /\n")
        if req.host == "127.0.0.1" else Response(reset=True))
    server.routes["/no/x"] = Response(body=b"secret")
    server.routes["/yes/x"] = Response(body=b"fine")
    urls = [server.url("/no/x"), server.url("/yes/x"), server.url("/no/x", 1)]
    _fetcher, (blocked, allowed, other_host) = _run(_fetch_all(settings, urls))
    assert isinstance(blocked, RobotsDisallowed) and "robots.txt" in str(blocked)
    assert allowed.page.content == b"fine"
    # robots.txt unreachable there and no earlier copy → the host is disallowed (RFC 9309)
    assert isinstance(other_host, RobotsUnreachable) and "unreachable" in str(other_host)
    assert server.count("/no/x") == 0


def test_500_retried_then_ok_and_404_not_retried(server, settings) -> None:
    calls = {"n": 0}

    def flaky(_req):  # noqa: ANN001, ANN202
        calls["n"] += 1
        return Response(502) if calls["n"] < 3 else Response(body=b"third time")

    server.routes["/flaky"] = flaky
    server.routes["/gone"] = Response(404)
    server.routes["/denied"] = Response(403)
    fetcher, (ok, gone, denied) = _run(_fetch_all(settings, [server.url(p) for p in ("/flaky", "/gone", "/denied")]))
    assert ok.page.content == b"third time" and server.count("/flaky") == 3
    assert isinstance(gone, FetchError) and gone.reason == "HTTP 404" and server.count("/gone") == 1
    assert isinstance(denied, FetchError) and server.count("/denied") == 1
    assert fetcher.requests == 1 + 3 + 1 + 1


def test_retry_after_is_honoured(server, settings) -> None:
    state = {"n": 0}

    def busy(_req):  # noqa: ANN001, ANN202
        state["n"] += 1
        return Response(503, headers={"Retry-After": "1"}) if state["n"] == 1 else Response(body=b"ok")

    server.routes["/busy"] = busy
    _run(_fetch_all(settings, [server.url("/busy")]))
    first, second = [r.at for r in server.log if r.path == "/busy"]
    assert second - first >= 0.95


def test_redirects_followed_within_limit(server, settings) -> None:
    server.routes["/r1"] = Response(301, headers={"Location": "/r2"})
    server.routes["/r2"] = Response(302, headers={"Location": server.url("/final", 1)})
    server.routes["/final"] = Response(body=b"here")
    for i in range(6):
        server.routes[f"/chain{i}"] = Response(302, headers={"Location": f"/chain{i + 1}"})
    server.routes["/self"] = Response(302, headers={"Location": "/self"})
    server.routes["/ftp"] = Response(302, headers={"Location": "ftp://127.0.0.1/x"})
    _f, (ok, chain, loop, ftp) = _run(_fetch_all(settings, [server.url(p) for p in ("/r1", "/chain0", "/self",
                                                                                     "/ftp")]))
    assert ok.url == server.url("/final", 1) and ok.page.url == ok.url and ok.page.content == b"here"
    assert isinstance(chain, FetchError) and "more than 3 redirects" in str(chain)
    assert isinstance(loop, FetchError) and "redirect loop" in str(loop)
    assert isinstance(ftp, FetchError) and "unsupported scheme" in str(ftp)


def test_big_body_is_cut_and_flagged(server, settings) -> None:
    server.routes["/big"] = Response(stream_bytes=50 * 1024 * 1024, headers={"Content-Type": "text/html"})
    _f, (result,) = _run(_fetch_all(settings, [server.url("/big")]))
    assert result.page.truncated and len(result.page.content) == settings.http.max_bytes
    assert result.page.content_type == "text/html"


def test_slow_drip_and_silent_server_time_out(server, settings) -> None:
    server.routes["/drip"] = Response(drip=(0.05, 100))
    server.routes["/silent"] = Response(body=b"late", delay=2.0)
    quick = dataclasses.replace(settings.http, retries=0)
    _f, (drip, silent) = _run(_fetch_all(quick, [server.url("/drip"), server.url("/silent")]))
    assert isinstance(drip, FetchError) and "timed out" in str(drip)
    assert isinstance(silent, FetchError) and "timed out" in str(silent)


def test_connection_reset_is_retried_then_reported(server, settings) -> None:
    server.routes["/reset"] = Response(reset=True)
    _f, (reset,) = _run(_fetch_all(settings, [server.url("/reset")]))
    assert isinstance(reset, FetchError) and server.count("/reset") == 3


def test_guard_refuses_private_addresses_and_bad_schemes(settings) -> None:
    for url in ("http://127.0.0.1:9/x", "http://localhost:9/x", "http://[::1]:9/x", "http://10.0.0.1/x",
                "http://169.254.169.254/latest/meta-data", "http://192.168.0.1/"):
        with pytest.raises(FetchError, match="non-public address"):
            _run(fetch_one(url, settings))
    for url in ("file:///etc/passwd", "ftp://example.com/x", "gopher://x"):
        with pytest.raises(FetchError, match="unsupported scheme"):
            _run(fetch_one(url, settings))


def test_fetch_one(server, settings) -> None:
    html_type = {"Content-Type": "text/html; charset=utf-8"}
    server.routes["/one"] = Response(body=article_html("단건 기사"), headers=html_type)
    page = _run(fetch_one(server.url("/one"), settings, allow_private=True))
    assert "단건 기사".encode() in page.content and page.content_type.startswith("text/html")
    with pytest.raises(FetchError, match="HTTP 404"):
        _run(fetch_one(server.url("/nothing"), settings, allow_private=True))
    server.routes["/odd"] = Response(304)  # "not modified" though we sent no validators
    with pytest.raises(FetchError, match="HTTP 304"):
        _run(fetch_one(server.url("/odd"), settings, allow_private=True))


def test_conditional_get_sends_the_validators_it_is_given_and_returns_the_new_ones(server, settings) -> None:
    """The fetcher holds no store: the caller passes a URL's validators and gets the response's back."""
    seen: list[tuple[str | None, str | None]] = []

    def feed(req):  # noqa: ANN001, ANN202
        seen.append((req.headers.get("if-none-match"), req.headers.get("if-modified-since")))
        if req.headers.get("if-none-match") == '"x1"':
            return Response(304)
        return Response(body=b"<rss/>", headers={"ETag": '"x1"', "Last-Modified": "Tue, 20 Jan 2026 00:00:00 GMT"})

    server.routes["/feed"] = feed

    async def go():  # noqa: ANN202
        async with Fetcher(settings, allow_private=True) as fetcher:
            first = await fetcher.fetch(server.url("/feed"))
            second = await fetcher.fetch(server.url("/feed"), first.to_remember)
            third = await fetcher.fetch(server.url("/feed"), Validators(etag='"old"'))
            return first, second, third

    first, second, third = _run(go())
    assert first.status == 200 and first.to_remember == Validators('"x1"', "Tue, 20 Jan 2026 00:00:00 GMT")
    assert second.not_modified and second.page is None and second.to_remember is None
    assert second.validators == first.validators  # a 304 keeps what was sent
    assert third.status == 200 and third.page is not None and third.page.content == b"<rss/>"
    assert seen == [(None, None), ('"x1"', "Tue, 20 Jan 2026 00:00:00 GMT"), ('"old"', None)]
    assert not hasattr(Fetcher(settings), "store")


def test_robots_crawl_delay_slows_the_host(server, settings) -> None:
    server.routes["/robots.txt"] = Response(body=b"User-agent: *\nCrawl-delay: 1\n")
    for i in range(2):
        server.routes[f"/c{i}"] = Response(body=b"ok")
    _run(_fetch_all(settings, [server.url("/c0"), server.url("/c1")]))
    times = sorted(r.at for r in server.log)
    assert len(times) == 3 and min(b - a for a, b in zip(times, times[1:], strict=False)) >= 0.95


def test_requests_carry_the_usual_headers_and_a_sites_cookies_go_back_to_it_only(server, settings) -> None:
    """Built without httpx.AsyncClient, requests still look like its: default headers, our
    User-Agent, gzip accepted and decoded, and a cookie a host set is sent back to that host alone."""
    import gzip

    server.routes["/set"] = Response(body=b"ok", headers={"Set-Cookie": "visit=1; Path=/"})
    server.routes["/after"] = Response(body=gzip.compress("압축된 본문".encode()), headers={"Content-Encoding": "gzip"})

    async def go():  # noqa: ANN202
        async with Fetcher(settings, allow_private=True) as fetcher:
            await fetcher.fetch(server.url("/set", 0))
            after = await fetcher.fetch(server.url("/after", 0))
            await fetcher.fetch(server.url("/after", 1))  # another host: no cookie
            return after

    after = _run(go())
    assert after.page is not None and after.page.content == "압축된 본문".encode()
    first, same_host, other_host = [r for r in server.log if r.path != "/robots.txt"]
    assert "cookie" not in first.headers and same_host.headers.get("cookie") == "visit=1"
    assert "cookie" not in other_host.headers
    assert first.headers["user-agent"] == "ainews-test/0.1 (+tests)"
    assert first.headers["accept-language"] == "ko,en;q=0.5" and "gzip" in first.headers["accept-encoding"]
