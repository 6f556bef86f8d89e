"""Feed parsing: Korean legacy encodings, ND소프트 dates, Atom, broken XML."""

from __future__ import annotations

from datetime import datetime

import pytest

from ainews.collect.feeds import parse_feed, parse_feed_date
from ainews.models import KST


def _read(corpus, name: str) -> bytes:  # noqa: ANN001
    path = corpus / "feeds" / name
    if not path.is_file():
        pytest.skip(f"../shared/corpus not present: {path}")
    return path.read_bytes()


def test_cp949_feed_declared_euc_kr(corpus) -> None:
    result = parse_feed(_read(corpus, "ricanet-rss-cp949-1.xml"), "text/xml", source="리카넷")
    assert result.error is None and result.title == "리카넷" and len(result.entries) == 10
    titles = [e.title for e in result.entries]
    assert titles[0] == "구라치다 걸리면" and "책읽記 - 타워" in titles
    assert all("\ufffd" not in (e.title or "") + (e.summary or "") for e in result.entries)
    assert result.entries[0].published_at == datetime(2010, 4, 3, 21, 15, 6, tzinfo=KST)
    assert result.entries[0].url == "http://ricanet.com/new/view.php?id=blog/100403"


def test_euc_kr_feed_with_tight_zone_dates(corpus) -> None:
    result = parse_feed(_read(corpus, "acnnewswire-rss-euckr-1.xml"), "", source="acn")
    assert result.error is None and len(result.entries) == 8
    first = result.entries[0]
    assert first.title.startswith("JCB가 China UnionPay와 ATM 이용 계약을 체결")
    assert first.published_at == datetime(2005, 12, 27, 13, 30, 33, tzinfo=KST)  # "13:30:33+0900"
    assert first.guid == first.url and "Art_ID=29790" in first.url and "&amp;" not in first.url


def test_utf8_feed_from_corpus(corpus) -> None:
    result = parse_feed(_read(corpus, "chosun-rss-1.xml"), "application/rss+xml", source="조선")
    assert len(result.entries) == 50 and result.title == "조선닷컴 : 전체기사"
    assert result.entries[0].published_at.utcoffset().total_seconds() == 9 * 3600
    assert result.entries[0].summary and "<" not in result.entries[0].summary


def test_euc_kr_from_header_only() -> None:
    body = ("<rss version='2.0'><channel><title>보안뉴스</title><item><title>인공지능 보안 위협</title>"
            "<link>https://www.boannews.com/a?idx=1</link></item></channel></rss>").encode("cp949")
    result = parse_feed(body, "application/xml; charset=euc-kr", source="보안뉴스")
    assert [e.title for e in result.entries] == ["인공지능 보안 위협"]


def test_nd_soft_dates_are_kst() -> None:
    assert parse_feed_date("2026-08-09 18:00:00") == datetime(2026, 8, 9, 18, 0, tzinfo=KST)
    assert parse_feed_date("2026-08-09T18:00:00Z") == datetime(2026, 8, 10, 3, 0, tzinfo=KST)
    assert parse_feed_date("Sun, 09 Aug 2026 09:00:00 GMT") == datetime(2026, 8, 9, 18, 0, tzinfo=KST)
    assert parse_feed_date("2026.08.09") == datetime(2026, 8, 9, tzinfo=KST)
    assert parse_feed_date("어제 오후") is None and parse_feed_date(None) is None
    assert parse_feed_date("2026-13-45 99:00:00") is None


def test_atom_feed_with_relative_links() -> None:
    atom = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>D2</title>
<entry><title>LLM serving</title><id>tag:d2.naver.com,2026:1</id><link rel="alternate" href="/helloworld/1"/>
<updated>2026-08-09T10:00:00+09:00</updated>
<content type="html">&lt;p&gt;full &lt;b&gt;text&lt;/b&gt;&lt;/p&gt;</content>
</entry></feed>"""
    result = parse_feed(atom, "application/atom+xml", source="D2", base_url="https://d2.naver.com/d2.atom")
    (entry,) = result.entries
    assert entry.url == "https://d2.naver.com/helloworld/1" and entry.guid == "tag:d2.naver.com,2026:1"
    assert entry.summary == "full text" and entry.published_at == datetime(2026, 8, 9, 10, tzinfo=KST)


def test_broken_feed_reports_error_but_keeps_items() -> None:
    body = (b"<?xml version='1.0'?><rss version='2.0'><channel><item><title>a</title>"
            b"<link>https://x.kr/a</link></item><item><title>b</channel></rss>")
    result = parse_feed(body, "text/xml", source="x")
    assert [e.url for e in result.entries] == ["https://x.kr/a"]
    assert result.error and result.error.startswith("invalid feed")


def test_html_page_is_not_a_feed_and_junk_links_dropped() -> None:
    assert parse_feed(b"<html><body>hello</body></html>", "text/html", source="x").error
    body = (b"<rss version='2.0'><channel><item><title>js</title><link>javascript:alert(1)</link></item>"
            b"<item><title>dup</title><link>https://x.kr/a#top</link></item>"
            b"<item><title>dup2</title><link>https://www.x.kr/a/</link></item></channel></rss>")
    result = parse_feed(body, "text/xml", source="x")
    assert [e.url for e in result.entries] == ["https://x.kr/a"] and result.error is None
