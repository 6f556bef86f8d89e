"""A collected page that prints no date is filed by its feed entry's date and says so (date_method)."""

from __future__ import annotations

import asyncio
from datetime import date

from ainews.collect.run import collect
from tests.support.collect_pages import article_html, feed_source, rss
from tests.support.httpserver import Response

DATED = ("<!doctype html><html lang='ko'><head><meta charset='utf-8'><title>날짜 있는 기사</title>"
         "<meta property='article:published_time' content='2026-08-07T10:00:00+09:00'></head><body><article>"
         "<h1>날짜 있는 기사</h1>" + "".join(
             f"<p>날짜 있는 기사 본문 {i}번째 문단입니다. 인공지능 기술이 산업 전반에 확산되고 있으며, 기업들은 "
             f"생성형 AI 모델을 도입해 업무 효율을 높이고 있다고 밝혔다.</p>" for i in range(5))
         + "</article></body></html>").encode()


def test_undated_page_takes_the_feed_date_and_records_it(server, store, settings) -> None:  # noqa: ANN001
    server.routes["/a/undated.html"] = Response(body=article_html("날짜 없는 기사"))
    server.routes["/a/dated.html"] = Response(body=DATED)
    items = [("날짜 없는 기사", server.url("/a/undated.html")), ("날짜 있는 기사", server.url("/a/dated.html"))]
    server.routes["/rss.xml"] = Response(body=rss(items), headers={"Content-Type": "application/rss+xml"})
    report = asyncio.run(collect(settings, store, [feed_source(server, "/rss.xml")], allow_private=True))
    assert report.articles_new == 2 and report.errors == []
    stored = {a.url.rsplit("/", 1)[-1]: a for a in store.iter_articles()}
    undated, dated = stored["undated.html"], stored["dated.html"]
    assert (undated.day, undated.date_method, undated.date_assumed) == (date(2026, 8, 9), "feed", False)
    assert (dated.day, dated.date_method) == (date(2026, 8, 7), "page")  # the page's own date wins
    again = asyncio.run(collect(settings, store, [feed_source(server, "/rss.xml")], allow_private=True))
    assert again.articles_new == 0 and store.count_articles() == 2
