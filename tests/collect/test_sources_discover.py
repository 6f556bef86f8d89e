"""Feed discovery for `ainews sources add URL` against a loopback server."""

from __future__ import annotations

import asyncio

import pytest

from ainews.collect.discover import DiscoveryError, common_paths, discover
from ainews.config import Settings
from tests.support.collect_pages import rss
from tests.support.httpserver import Response, TestServer

HTML = {"Content-Type": "text/html; charset=utf-8"}
RSS = {"Content-Type": "application/rss+xml"}


def site(head: str = "") -> Response:
    return Response(body=f"<!doctype html><html><head><title>뉴스</title>{head}</head><body><p>홈</p></body></html>"
                    .encode(), headers=HTML)


def feed(title: str = "테스트") -> Response:
    return Response(body=rss([("기사", "http://example.test/a")]).replace(b"<title>\xed\x85\x8c\xec\x8a\xa4\xed\x8a\xb8",
                                                                       f"<title>{title}".encode()), headers=RSS)


def run(url: str, settings: Settings, allow_private: bool = True):  # noqa: ANN201 - Discovered
    return asyncio.run(discover(url, settings, allow_private=allow_private))


def test_site_with_link_rel_alternate(server: TestServer, settings: Settings) -> None:
    server.routes["/"] = site('<link rel="alternate" type="application/rss+xml" title="RSS" href="/feeds/main.xml">')
    server.routes["/feeds/main.xml"] = feed("인공지능 뉴스 전체기사")
    found = run(server.url("/"), settings)
    assert found.feed_url == server.url("/feeds/main.xml")  # resolved against the page URL
    assert found.how == "<link rel=alternate>" and found.title == "인공지능 뉴스 전체기사" and found.items == 1
    assert found.site_url == server.url("/")
    assert not any(p in server.paths() for p in common_paths())  # no guessing when the page says where


def test_site_with_only_the_ndsoft_feed_path(server: TestServer, settings: Settings) -> None:
    server.routes["/news/"] = site()
    server.routes["/rss/allArticle.xml"] = feed()
    found = run(server.url("/news/"), settings)
    assert found.feed_url == server.url("/rss/allArticle.xml")
    assert found.how == "common path /rss/allArticle.xml"


def test_a_later_common_path_after_failed_ones(server: TestServer, settings: Settings) -> None:
    server.routes["/"] = site('<link rel="alternate" type="application/atom+xml" href="/gone.xml">')
    server.routes["/feed"] = Response(body=b"<?xml version='1.0'?><feed xmlns='http://www.w3.org/2005/Atom'>"
                                      b"<title>Atom</title><entry><title>t</title><link href='http://x.test/1'/>"
                                      b"<id>1</id><updated>2026-01-01T00:00:00Z</updated></entry></feed>",
                                      headers={"Content-Type": "application/atom+xml"})
    found = run(server.url("/"), settings)
    assert found.feed_url == server.url("/feed") and found.title == "Atom"
    assert f"{server.url('/gone.xml')} (HTTP 404)" in found.tried[0]
    assert len(found.tried) == 1 + common_paths().index("/feed") + 1


def test_feed_url_is_used_as_is(server: TestServer, settings: Settings) -> None:
    server.routes["/any/where.php"] = feed()
    found = run(server.url("/any/where.php"), settings)
    assert found.feed_url == server.url("/any/where.php") and found.how == "feed URL"
    assert [p for p in server.paths() if p != "/robots.txt"] == ["/any/where.php"]


def test_no_feed_found_lists_what_was_tried(server: TestServer, settings: Settings) -> None:
    server.routes["/"] = site()
    server.routes["/rss"] = site()  # an HTML page where a feed might be: not a feed
    with pytest.raises(DiscoveryError) as caught:
        run(server.url("/"), settings)
    message = str(caught.value)
    assert "no feed found" in message and f"{server.url('/rss')} (not a feed)" in message
    assert f"{server.url('/rss/allArticle.xml')} (HTTP 404)" in message


def test_not_a_feed_and_not_reachable(server: TestServer, settings: Settings) -> None:
    server.routes["/data.json"] = Response(body=b'{"a": 1}', headers={"Content-Type": "application/json"})
    with pytest.raises(DiscoveryError, match="not a feed and not an HTML page"):
        run(server.url("/data.json"), settings)
    with pytest.raises(DiscoveryError, match=r"not reachable \(HTTP 404\)"):
        run(server.url("/missing"), settings)


def test_private_addresses_refused_without_the_flag(server: TestServer, settings: Settings) -> None:
    server.routes["/rss.xml"] = feed()
    with pytest.raises(DiscoveryError, match="non-public address"):
        run(server.url("/rss.xml"), settings, allow_private=False)
    assert server.paths() == []


def test_the_page_itself_is_not_tried_again(server: TestServer, settings: Settings) -> None:
    server.routes["/rss"] = site()  # the user's guess: an HTML page at a common feed path
    server.routes["/rss.xml"] = feed()
    found = run(server.url("/rss"), settings)
    assert found.feed_url == server.url("/rss.xml") and server.count("/rss") == 1
