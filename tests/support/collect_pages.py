"""Generated fixtures for collection tests: Korean article pages and RSS feeds on the test server."""

from __future__ import annotations

from ainews.collect.sources import Source
from tests.support.httpserver import Response, TestServer


def article_html(title: str, n: int = 0) -> bytes:
    """A small Korean article page with a clear title and a few paragraphs."""
    paragraphs = "".join(
        f"<p>{title} 관련 기사 본문 {i}번째 문단입니다. 인공지능 기술이 산업 전반에 확산되고 있으며, "
        f"기업들은 생성형 AI 모델을 도입해 업무 효율을 높이고 있다고 밝혔다. 문서 번호 {n}-{i}.</p>"
        for i in range(5)
    )
    return (f"<!doctype html><html lang='ko'><head><meta charset='utf-8'><title>{title}</title>"
            f"<meta property='og:title' content='{title}'></head><body><article><h1>{title}</h1>"
            f"{paragraphs}</article></body></html>").encode()


def rss(items: list[tuple[str, str]], *, encoding: str = "utf-8", date: str = "2026-08-09 18:00:00") -> bytes:
    """An RSS 2.0 feed of (title, url) items, ND소프트-style dates by default."""
    body = "".join(
        f"<item><title>{title}</title><link>{url}</link><guid>{url}</guid>"
        f"<pubDate>{date}</pubDate><description>{title} 요약</description></item>"
        for title, url in items
    )
    text = (f"<?xml version='1.0' encoding='{encoding}'?><rss version='2.0'><channel><title>테스트</title>"
            f"<link>http://example.test/</link>{body}</channel></rss>")
    return text.encode(encoding)


def serve_feed(server: TestServer, path: str, n: int, host: int = 0, etag: str | None = None) -> list[str]:
    """Serve a feed of n articles on `host`; returns the article URLs."""
    urls = []
    for i in range(n):
        apath = f"{path.rsplit('/', 1)[0]}/article/{i}.html"
        server.routes[apath] = Response(body=article_html(f"인공지능 기사 {i}", i))
        urls.append(server.url(apath, host))
    body = rss([(f"인공지능 기사 {i}", u) for i, u in enumerate(urls)])
    if etag:
        def feed(req, body=body):  # noqa: ANN001, ANN202 - test handler
            if req.headers.get("if-none-match") == etag:
                return Response(304, headers={"ETag": etag})
            return Response(body=body, headers={"ETag": etag, "Content-Type": "application/rss+xml"})
        server.routes[path] = feed
    else:
        server.routes[path] = Response(body=body, headers={"Content-Type": "application/rss+xml"})
    return urls


def feed_source(server: TestServer, path: str, name: str = "feed", host: int = 0, **kw) -> Source:  # noqa: ANN003
    return Source(name=name, url=server.url(path, host), kind="feed", **kw)
