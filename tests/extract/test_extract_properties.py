"""Property tests: random, truncated and huge input never raises, stays bounded in time (a size cap
applies before parsing), and the gate marks junk as junk."""

from __future__ import annotations

import time
from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ainews.extract import extract
from ainews.extract.core import MAX_HTML_BYTES
from ainews.models import KST, FeedEntry, RawPage
from tests.support.extract_fixtures import FIXTURES

PAGE = (FIXTURES / "html" / "ndsoft-aitimes.html").read_bytes()
TAGS = st.sampled_from(["<div>", "</div>", "<p>", "</p>", "<br>", "<script>", "</script>", "<a href='x'>", "</a>",
                        "<meta charset='euc-kr'>", "<html>", "<body>", "<!--", "-->", "<table><tr><td>", "&amp;",
                        "<article id='article-view-content-div'>", "<section dmcf-sid='x'>", "<strong>", "]]>"])
WORDS = st.sampled_from(["정부가", "발표했다.", "AI", "기자", "=", "[서울=뉴시스]", "입력 2026.01.17 10:08", "로그인",
                         "무단전재", "▶", "\n", " ", "ⓒ", "@", "2026. 1. 17.", "다.", "\x00", "\ufffd"])


def _check(article, raw: RawPage) -> None:
    assert article.url == raw.url
    assert article.content_hash == raw.sha256
    assert isinstance(article.body, str) and isinstance(article.title, str)
    assert article.extraction_ok or article.extraction_reason
    if article.published_at is not None:
        assert article.published_at.tzinfo is not None


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(TAGS, WORDS), max_size=200), st.sampled_from(["", "text/html", "text/plain"]))
def test_random_markup_never_raises(parts: list[str], ctype: str) -> None:
    raw = RawPage(url="https://www.aitimes.com/news/articleView.html?idxno=1", content="".join(parts).encode(),
                  content_type=ctype)
    _check(extract(raw), raw)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=5000), st.sampled_from(["", "text/html; charset=euc-kr", "text/plain", "bogus/x"]))
def test_random_bytes_never_raise_and_are_junk(data: bytes, ctype: str) -> None:
    raw = RawPage(url="file.bin", content=data, content_type=ctype)
    article = extract(raw)
    _check(article, raw)
    assert not article.extraction_ok


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=0, max_value=len(PAGE)))
def test_truncated_real_page_never_raises(cut: int) -> None:
    raw = RawPage(url="https://www.aitimes.com/news/articleView.html?idxno=999001", content=PAGE[:cut])
    _check(extract(raw), raw)


def test_twenty_megabyte_page_is_capped_and_bounded() -> None:
    filler = ("<div class='nav'><a href='#'>메뉴</a></div>" * 40 + "<p>광고 문구</p>\n").encode()
    huge = PAGE.replace(b"</body>", filler * (20_000_000 // len(filler)) + b"</body>")
    assert len(huge) > 20_000_000
    start = time.perf_counter()
    article = extract(RawPage(url="https://www.aitimes.com/news/articleView.html?idxno=999001", content=huge))
    assert time.perf_counter() - start < 30  # loose bound against a hang; speed itself lives in benchmarks/
    assert len(huge) > MAX_HTML_BYTES
    assert article.title == "국산 소형 언어모델, 추론 벤치마크서 해외 모델 앞서"
    assert article.extraction_ok and "cut before parsing" in (article.extraction_reason or "")


def test_ten_thousand_nested_divs() -> None:
    deep = ("<div>" * 10_000 + "<p>깊은 곳의 문장입니다.</p>" + "</div>" * 10_000).encode()
    raw = RawPage(url="https://example.kr/deep", content=b"<html><body>" + deep + b"</body></html>")
    article = extract(raw)
    _check(article, raw)
    assert not article.extraction_ok  # one short sentence is not an article


def test_huge_text_capture_is_capped() -> None:
    text = ("로그인\n메뉴\n" * 400_000).encode()
    raw = RawPage(url="capture.txt", content=text, content_type="text/plain")
    article = extract(raw)
    _check(article, raw)
    assert not article.extraction_ok


def test_feed_entry_and_assume_date_fill_gaps() -> None:
    body = "<html><body><p>" + "정부가 새 정책을 발표했다. " * 30 + "</p></body></html>"
    entry = FeedEntry(url="https://example.kr/a", source="feed", title="피드 제목")
    a = extract(RawPage(url="https://example.kr/a", content=body.encode(), entry=entry), assume_date=date(2026, 1, 20))
    assert a.title == "피드 제목"
    assert a.date_assumed and a.published_at is not None
    assert a.published_at.tzinfo is not None and a.published_at.astimezone(KST).date() == date(2026, 1, 20)


def test_wrong_content_type_object_does_not_raise() -> None:
    raw = RawPage(url="x", content=b"<html></html>", content_type=None)  # type: ignore[arg-type]
    assert extract(raw).extraction_ok is False


def test_one_huge_word_is_judged_quickly() -> None:
    """A 256 KB line with no spaces once took a minute in a backtracking boilerplate rule."""
    import time

    from ainews.extract import extract
    from ainews.models import RawPage

    for content in (b"<html><body><p>" + b"x" * 256_000 + b"</p></body></html>", b"<p>" + b"a@b." * 60_000 + b"</p>"):
        start = time.perf_counter()
        article = extract(RawPage(url="https://a.kr/1", content=content, content_type="text/html"))
        assert not article.extraction_ok
        assert time.perf_counter() - start < 5
