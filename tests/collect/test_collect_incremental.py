"""A feed's articles are stored once; the next run costs a 304 and no article requests."""

from __future__ import annotations

import asyncio

from ainews.collect.run import collect
from tests.support.collect_pages import feed_source, serve_feed
from tests.support.httpserver import Response


def test_thirty_items_then_nothing_new(server, store, settings) -> None:
    urls = serve_feed(server, "/rss/allArticle.xml", 30, etag='"v1"')
    source = feed_source(server, "/rss/allArticle.xml", name="AI타임스")

    first = asyncio.run(collect(settings, store, [source], allow_private=True))
    assert first.articles_new == 30 and first.sources_ok == 1 and first.errors == []
    assert store.count_articles() == 30
    assert first.requests == 32  # robots.txt + feed + 30 articles
    assert all(server.count(f"/rss/article/{i}.html") == 1 for i in range(30))
    stored = store.get_article(store.find_article_id("url:" + urls[7].split("://", 1)[1]))
    assert stored is not None and "인공지능 기사 7" in stored.title and stored.source == "AI타임스"

    before = len(server.log)
    second = asyncio.run(collect(settings, store, [source], allow_private=True))
    new_paths = [r.path for r in server.log[before:]]
    assert new_paths == ["/robots.txt", "/rss/allArticle.xml"]
    assert server.log[-1].headers.get("if-none-match") == '"v1"'
    assert second.articles_new == 0 and second.sources_ok == 1 and second.requests == 2
    health = {row["name"]: row for row in store.source_health()}["AI타임스"]
    assert health["items_found"] == 30 and health["consecutive_failures"] == 0


def test_without_validators_feed_is_refetched_but_articles_are_not(server, store, settings) -> None:
    serve_feed(server, "/feed.xml", 5)
    source = feed_source(server, "/feed.xml")
    assert asyncio.run(collect(settings, store, [source], allow_private=True)).articles_new == 5
    before = len(server.log)
    again = asyncio.run(collect(settings, store, [source], allow_private=True))
    assert [r.path for r in server.log[before:]] == ["/robots.txt", "/feed.xml"]
    assert again.articles_seen == 5 and again.articles_new == 0


def test_last_modified_validator_gives_304(server, store, settings) -> None:
    serve_feed(server, "/lm.xml", 2)
    body = server.routes["/lm.xml"].body
    stamp = "Sun, 09 Aug 2026 09:00:00 GMT"

    def feed(req):  # noqa: ANN001, ANN202
        if req.headers.get("if-modified-since") == stamp:
            return Response(304)
        return Response(body=body, headers={"Last-Modified": stamp})

    server.routes["/lm.xml"] = feed
    source = feed_source(server, "/lm.xml")
    asyncio.run(collect(settings, store, [source], allow_private=True))
    second = asyncio.run(collect(settings, store, [source], allow_private=True))
    assert second.requests == 2 and second.sources_ok == 1


def test_failed_article_is_retried_next_run_and_feed_not_cached(server, store, settings) -> None:
    urls = serve_feed(server, "/f.xml", 3, etag='"e"')
    broken = urls[1].split(str(server.ports["127.0.0.1"]), 1)[1]
    good_body = server.routes[broken]
    server.routes[broken] = Response(404, b"gone for now")
    source = feed_source(server, "/f.xml")

    first = asyncio.run(collect(settings, store, [source], allow_private=True))
    assert first.articles_new == 2
    assert first.errors == [{"source": "feed", "url": urls[1], "error": "HTTP 404"}]
    assert server.count(broken) == 1  # 404 is not retried

    server.routes[broken] = good_body
    before = len(server.log)
    second = asyncio.run(collect(settings, store, [source], allow_private=True))
    assert [r.path for r in server.log[before:]] == ["/robots.txt", "/f.xml", broken]
    assert "if-none-match" not in server.log[before + 1].headers
    assert second.articles_new == 1 and second.articles_seen == 2 and store.count_articles() == 3
