"""Feed-text fallback on a loopback server: pages that refuse us (403), JavaScript shells and paywall
teasers are stored with the feed item's full text (body_source "feed") and marked in the digest;
a feed with only a one-line description is not used."""

from __future__ import annotations

import asyncio
from datetime import date
from xml.sax.saxutils import escape

from ainews.collect.run import collect
from ainews.models import Article, Digest, DigestItem
from ainews.publish import jsonout, markdown, site
from ainews.store.db import Store
from ainews.web.app import article_out
from tests.support.collect_pages import article_html, feed_source
from tests.support.httpserver import Response

FULL_TEXT = "".join(
    f"<p>네이버가 초거대 인공지능 하이퍼클로바X의 새 버전을 {i}번째로 공개했다. 회사는 검색과 쇼핑에 "
    f"새 모델을 적용해 이용자 경험을 개선하겠다고 밝혔다. 업계는 경쟁이 더 치열해질 것으로 본다.</p>"
    for i in range(1, 5)
)
ONE_LINE = "네이버가 새 인공지능 모델을 공개했다."
SHELL = (b"<!doctype html><html><head><meta charset='utf-8'><title>Loading</title></head>"
         b"<body><div id='root'></div><script src='/app.js'></script></body></html>")
PAYWALL = ("<!doctype html><html><head><meta charset='utf-8'><title>유료 기사</title></head><body><article>"
           "<h1>유료 기사</h1><p>네이버가 새 모델을 공개했다.</p><p>구독자 전용 기사입니다.</p></article>"
           "</body></html>").encode()


def _rss(items: list[tuple[str, str, str, str | None]]) -> bytes:
    """(title, url, description, content:encoded or None) items."""
    body = "".join(
        f"<item><title>{t}</title><link>{u}</link><guid>{u}</guid><pubDate>Mon, 07 Dec 2026 09:00:00 +0900"
        f"</pubDate><description>{escape(d)}</description>"
        + (f"<content:encoded><![CDATA[{c}]]></content:encoded>" if c else "") + "</item>"
        for t, u, d, c in items)
    return ("<?xml version='1.0' encoding='utf-8'?><rss version='2.0' "
            "xmlns:content='http://purl.org/rss/1.0/modules/content/'><channel><title>테스트</title>"
            f"<link>http://example.test/</link>{body}</channel></rss>").encode()


def _serve(server, pages: dict[str, Response], items: list[tuple[str, str, str | None]]) -> None:  # noqa: ANN001
    for path, response in pages.items():
        server.routes[path] = response
    rows = [(title, server.url(path), ONE_LINE, content) for title, path, content in items]
    server.routes["/rss.xml"] = Response(body=_rss(rows), headers={"Content-Type": "application/rss+xml"})


def _by_path(store: Store) -> dict[str, Article]:
    return {a.url.split("/", 3)[-1]: a for a in store.iter_articles()}


def test_refused_shell_and_paywall_pages_get_the_feed_text(server, store, settings) -> None:
    _serve(server, {"/a/403.html": Response(403, body=b"Forbidden"), "/a/shell.html": Response(body=SHELL),
                    "/a/paywall.html": Response(body=PAYWALL), "/a/ok.html": Response(body=article_html("정상 기사"))},
           [("막힌 기사", "/a/403.html", FULL_TEXT), ("자바스크립트 기사", "/a/shell.html", FULL_TEXT),
            ("유료 기사", "/a/paywall.html", FULL_TEXT), ("정상 기사", "/a/ok.html", FULL_TEXT)])
    report = asyncio.run(collect(settings, store, [feed_source(server, "/rss.xml")], allow_private=True))
    assert report.articles_new == 4 and report.errors == []
    stored = _by_path(store)
    for path in ("a/403.html", "a/shell.html", "a/paywall.html"):
        a = stored[path]
        assert (a.body_source, a.extraction_ok) == ("feed", True), path
        assert a.body.count("하이퍼클로바X") == 4 and "<p>" not in a.body
        assert a.day == date(2026, 12, 7) and a.extraction_reason.endswith("text from the feed")
    assert stored["a/403.html"].title == "막힌 기사" and stored["a/403.html"].host == "127.0.0.1"
    assert "HTTP 403" in stored["a/403.html"].extraction_reason
    assert stored["a/ok.html"].body_source == "page" and "하이퍼클로바X" not in stored["a/ok.html"].body
    again = asyncio.run(collect(settings, store, [feed_source(server, "/rss.xml")], allow_private=True))
    assert again.articles_new == 0 and store.count_articles() == 4  # handled: not fetched again


def test_a_one_line_description_is_not_used(server, store, settings) -> None:
    _serve(server, {"/a/403.html": Response(403, body=b"Forbidden"), "/a/shell.html": Response(body=SHELL)},
           [("막힌 기사", "/a/403.html", None), ("자바스크립트 기사", "/a/shell.html", None)])
    report = asyncio.run(collect(settings, store, [feed_source(server, "/rss.xml")], allow_private=True))
    assert [e["error"] for e in report.errors] == ["HTTP 403"]  # reported, retried next run
    stored = _by_path(store)
    assert list(stored) == ["a/shell.html"]
    shell = stored["a/shell.html"]
    assert (shell.extraction_ok, shell.body_source) == (False, "page")
    assert shell.extraction_reason and "feed" not in shell.extraction_reason


def test_a_404_is_not_covered_by_the_feed(server, store, settings) -> None:
    """Gone is not refused: a deleted article is not brought back from the feed."""
    _serve(server, {"/a/gone.html": Response(404, body=b"Not found")}, [("지워진 기사", "/a/gone.html", FULL_TEXT)])
    report = asyncio.run(collect(settings, store, [feed_source(server, "/rss.xml")], allow_private=True))
    assert store.count_articles() == 0 and [e["error"] for e in report.errors] == ["HTTP 404"]


def test_the_digest_json_and_api_mark_the_feed_text(server, store, settings) -> None:
    _serve(server, {"/a/403.html": Response(403)}, [("막힌 기사", "/a/403.html", FULL_TEXT)])
    asyncio.run(collect(settings, store, [feed_source(server, "/rss.xml")], allow_private=True))
    article = next(store.iter_articles())
    digest = Digest(day=date(2026, 12, 7), items=[DigestItem(article=article)])
    text = markdown.render_digest(digest)
    meta = next(line for line in text.splitlines() if line.startswith("> 📅"))
    assert meta.endswith("| 📡 피드 본문") and "하이퍼클로바X" in text
    assert markdown.parse_digest(text)[0].publisher == "127.0.0.1"  # the parser reads the outlet, not the mark
    item = jsonout.digest_to_day(digest).to_json()["items"][0]
    assert item["body_source"] == "feed"
    card = str(site.environment().get_template("_macros.html").module.item_card(item, "", 1500, set()))
    assert "📡 피드 본문" in card and "하이퍼클로바X" in card
    assert "피드 본문" not in str(site.environment().get_template("_macros.html").module.item_card(
        item | {"body_source": "page"}, "", 1500, set()))
    assert article_out(article)["body_source"] == "feed"
    page_item = DigestItem(article=Article(url="https://x.kr/1", title="t", body="본문입니다.", host="x.kr"))
    assert "피드 본문" not in markdown.render_digest(Digest(day=date(2026, 12, 7), items=[page_item]))
