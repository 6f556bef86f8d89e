"""Non-feed sources: a list page with a CSS selector, a sitemap (and a sitemap index), max_items."""

from __future__ import annotations

import asyncio
import gzip

from ainews.collect.links import links_from_list, parse_sitemap
from ainews.collect.run import collect
from ainews.collect.sources import Source
from ainews.models import RawPage
from tests.support.collect_pages import article_html
from tests.support.httpserver import Response

LIST_PAGE = """<html><head><meta charset="euc-kr"><base href="/news/"></head><body>
<div class="nav"><a href="/about">회사소개</a></div>
<ul class="list"><li><a class="t" href="1.html">첫 번째 인공지능 기사</a></li>
<li><a class="t" href="/news/2.html#comments">두 번째 <b>기사</b></a></li>
<li><a class="t" href="1.html">중복</a></li><li><a class="t" href="javascript:void(0)">자바스크립트</a></li>
<li class="t"><span><a href="3.html">세 번째</a></span></li></ul></body></html>"""


def test_links_from_list_page() -> None:
    page = RawPage(url="https://news.example.kr/list?page=1", content=LIST_PAGE.encode("cp949"),
                   content_type="text/html")
    entries = links_from_list(page, "ul.list .t", "예시")
    assert [(e.url, e.title) for e in entries] == [
        ("https://news.example.kr/news/1.html", "첫 번째 인공지능 기사"),
        ("https://news.example.kr/news/2.html", "두 번째 기사"),
        ("https://news.example.kr/news/3.html", "세 번째"),
    ]


SITEMAP = """<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>{base}/s/old.html</loc><lastmod>2026-08-01</lastmod></url>
<url><loc>{base}/s/new.html</loc><news:news><news:publication_date>2026-08-09T10:00:00+09:00</news:publication_date>
<news:title>새 인공지능 기사</news:title></news:news></url>
<url><loc>{base}/s/mid.html</loc><lastmod>2026-08-05T00:00:00Z</lastmod></url>
</urlset>"""


def test_parse_sitemap_newest_first_and_gzip() -> None:
    body = SITEMAP.format(base="https://a.kr").encode()
    for content in (body, gzip.compress(body)):
        result = parse_sitemap(RawPage(url="https://a.kr/sitemap.xml", content=content), "a")
        assert [e.url.rsplit("/", 1)[1] for e in result.entries] == ["new.html", "mid.html", "old.html"]
        assert result.entries[0].title == "새 인공지능 기사" and result.error is None
    assert parse_sitemap(RawPage(url="https://a.kr/s.xml", content=b"\x1f\x8bjunk"), "a").error
    assert parse_sitemap(RawPage(url="https://a.kr/s.xml", content=b"<html/>"), "a").error


def test_list_and_sitemap_sources_collected(server, store, settings) -> None:
    server.routes["/news/list"] = Response(body=LIST_PAGE.encode("cp949"),
                                           headers={"Content-Type": "text/html; charset=euc-kr"})
    for name in ("1", "2", "3"):
        server.routes[f"/news/{name}.html"] = Response(body=article_html(f"목록 기사 {name}"))
    base = server.url("", 1)
    server.routes["/sitemap_index.xml"] = Response(body=(
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f'<sitemap><loc>{base}/sm1.xml</loc></sitemap></sitemapindex>').encode())
    server.routes["/sm1.xml"] = Response(body=SITEMAP.format(base=base).encode())
    for name in ("old", "new", "mid"):
        server.routes[f"/s/{name}.html"] = Response(body=article_html(f"사이트맵 기사 {name}"))
    sources = [Source("목록", server.url("/news/list"), kind="list", link_selector="ul.list .t"),
               Source("사이트맵", server.url("/sitemap_index.xml", 1), kind="sitemap", max_items=2)]

    report = asyncio.run(collect(settings, store, sources, allow_private=True))
    assert report.errors == [] and report.sources_ok == 2
    assert report.articles_new == 5  # 3 from the list, the 2 newest from the sitemap
    assert server.count("/s/old.html") == 0 and server.count("/about") == 0

    again = asyncio.run(collect(settings, store, sources, allow_private=True))
    assert again.articles_new == 1 and server.count("/s/old.html") == 1  # the capped one, next run
