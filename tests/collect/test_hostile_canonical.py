"""Hostile canonical URLs, end to end on loopback hosts: collect → store → /api/articles and day JSON.

Host A (127.0.0.1) is a real outlet; host B (127.0.0.2) is an attacker's site. Both fail on the old
code: B's page naming A's article as canonical overwrote A's row, and `javascript:`/`data:`/CR-LF
canonicals were stored and served.
"""

from __future__ import annotations

import asyncio
from datetime import date

from fastapi.testclient import TestClient

from ainews import pipeline
from ainews.collect.run import collect
from ainews.collect.sources import Source
from ainews.text.urls import clean_web_url
from ainews.web.app import create_app
from tests.support.collect_pages import article_html, rss
from tests.support.httpserver import Response

DAY = date(2026, 8, 9)


def _page(title: str, canonical: str | None) -> bytes:
    html = article_html(title)
    if canonical is None:
        return html
    return html.replace(b"</head>", f'<link rel="canonical" href="{canonical}"></head>'.encode())


def _collect(server, store, settings, feeds: dict[str, tuple[int, list[tuple[str, str]]]]) -> None:  # noqa: ANN001
    sources = []
    for name, (host, items) in feeds.items():
        server.routes[f"/{name}.xml"] = Response(body=rss(items), headers={"Content-Type": "application/rss+xml"})
        sources.append(Source(name=name, url=server.url(f"/{name}.xml", host), kind="feed"))
    report = asyncio.run(collect(settings, store, sources, allow_private=True))
    assert report.sources_failed == 0, report.errors


def test_other_host_cannot_claim_an_article_by_canonical(server, store, settings) -> None:
    a_url = server.url("/news/1.html", 0)
    b_url = server.url("/copy/1.html", 1)
    server.routes["/news/1.html"] = Response(body=_page("원래 언론사의 인공지능 기사", a_url))
    server.routes["/copy/1.html"] = Response(body=_page("공격자가 바꿔치기한 제목", a_url))
    _collect(server, store, settings, {"a": (0, [("원래 기사", a_url)])})
    _collect(server, store, settings, {"b": (1, [("가짜 기사", b_url)])})

    articles = {a.url: a for a in store.iter_articles()}
    assert store.count_articles() == 2
    assert articles[a_url].title == "원래 언론사의 인공지능 기사"  # A's row untouched
    assert "바꿔치기" not in articles[a_url].body + articles[a_url].title
    assert articles[b_url].title == "공격자가 바꿔치기한 제목"
    assert articles[b_url].canonical_url is None  # B stored as itself, its claim dropped
    assert store.find_article_id(articles[b_url].key) == articles[b_url].id
    assert articles[b_url].key.endswith(f"127.0.0.2:{server.ports['127.0.0.2']}/copy/1.html")


def test_same_site_canonical_still_merges_url_variants(server, store, settings) -> None:
    canonical = server.url("/news/7.html", 0)
    server.routes["/news/7.html"] = Response(body=_page("정식 주소의 인공지능 기사", canonical))
    server.routes["/news/7.html?utm=feed"] = Response(body=_page("정식 주소의 인공지능 기사", canonical))
    _collect(server, store, settings, {"a": (0, [("기사", canonical + "?utm=feed"), ("기사 2", canonical)])})
    [article] = list(store.iter_articles())
    assert article.canonical_url == canonical


HOSTILE = {
    "js": "javascript:alert(document.cookie)",
    "data": "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "crlf": "{base}/evil\r\nSet-Cookie: session=stolen",
    "vbscript": "vbscript:msgbox(1)",
}


def test_non_http_canonicals_are_never_stored_or_published(server, store, settings) -> None:
    base = server.url("", 0)
    items = []
    for name, canonical in HOSTILE.items():
        path = f"/h/{name}.html"
        server.routes[path] = Response(body=_page(f"인공지능 {name} 기사", canonical.format(base=base)))
        items.append((name, server.url(path, 0)))
    _collect(server, store, settings, {"h": (0, items)})

    stored = list(store.iter_articles())
    assert len(stored) == len(HOSTILE)
    for article in stored:
        assert article.canonical_url is None, article.canonical_url
        assert article.url.startswith("http://127.0.0.1:") and clean_web_url(article.url) == article.url

    client = TestClient(create_app(store), raise_server_exceptions=False)
    rows = client.get("/api/articles", params={"limit": 50}).json()
    assert len(rows) == len(HOSTILE)
    assert all(clean_web_url(r["url"]) == r["url"] for r in rows), rows

    pipeline.analyze_pending(store, settings)
    _text, day = pipeline.render_day(pipeline.build_digest(store, settings, DAY), settings)
    data = day.to_json()
    published = data["items"] + data["excluded"]
    assert data["items"], data["excluded"]  # the canonical_url field is really exercised
    for item in data["items"]:
        assert item["canonical_url"] is None or clean_web_url(item["canonical_url"]) == item["canonical_url"]
    for item in published:
        assert clean_web_url(item["url"]) == item["url"]
