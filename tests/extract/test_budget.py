"""Markup budgets (ainews/extract/budget.py): hostile markup is cut or flattened before any parser,
real pages pass untouched. The issue 12 pages are tested end to end in tests/collect/test_extract_deadline.py."""

from __future__ import annotations

from ainews.extract import extract
from ainews.extract.budget import Budget, bound_markup
from ainews.models import RawPage
from ainews.text.encoding import decode
from tests.conftest import shared_path
from tests.support import pathological


def test_real_pages_pass_untouched() -> None:
    pages = sorted(shared_path("corpus", "html").glob("*.html"))
    assert pages
    for page in pages:
        text = decode(page.read_bytes(), "")
        assert bound_markup(text) == (text, None), page.name


def test_a_million_paragraphs_are_cut_after_the_tag_budget() -> None:
    text = pathological.million_paragraphs().decode()
    out, reason = bound_markup(text)
    assert reason == "markup after 20,000 tags was cut"
    assert text.startswith(out) and out.count("<p>") < 20_000 < text.count("<p>")


def test_deep_unclosed_nesting_is_flattened_keeping_the_text() -> None:
    text = pathological.deep_unclosed(20_000).decode()
    out, reason = bound_markup(text)
    assert reason == "nesting deeper than 64 was flattened"
    assert out.count("<div>") + out.count("<span>") + out.count("<b>") <= 64
    assert "인공지능 기사 본문" in out


def test_flattening_drops_the_matching_closing_tags_too() -> None:
    text = "<body>" + "<div>" * 10 + "<p>본문</p>" + "</div>" * 10 + "<footer>끝</footer></body>"
    out, reason = bound_markup(text, Budget(max_depth=4))
    assert out == "<body><div><div><div><p>본문</p></div></div></div><footer>끝</footer></body>"
    assert reason == "nesting deeper than 4 was flattened"


def test_a_scan_of_endless_markup_stops_at_its_own_budget() -> None:
    out, reason = bound_markup(pathological.deep_unclosed().decode())
    assert "markup over 100,000 tags was cut" in (reason or "") and len(out) < 10_000


def test_huge_attributes_lose_their_value_not_the_element() -> None:
    out, reason = bound_markup(pathological.huge_attributes(300_000, 1).decode())
    assert "<div><p>text</p></div>" in out and len(out) < 1000
    assert reason == "1 tag(s) over 100,000 characters lost their attributes"


def test_text_over_the_budget_is_cut() -> None:
    out, reason = bound_markup("<p>" + "가" * 50 + "</p>", Budget(max_text_chars=20))
    assert out == "<p>" + "가" * 20 and reason == "text over 20 characters was cut"


def test_scripts_and_comments_are_not_counted_as_markup() -> None:
    script = "<script>" + "if (a<b && c<d) {}" * 500 + "</script><!--" + "<div>" * 500 + "-->"
    text = "<html><body>" + script + "<p>본문</p></body></html>"
    assert bound_markup(text, Budget(max_tags=10, max_depth=3)) == (text, None)


def test_the_article_records_what_was_cut() -> None:
    body = "".join(f"<p>인공지능 스타트업이 새 언어 모델 {i}호를 공개했다. 회사는 성능이 좋아졌다고 밝혔다.</p>"
                   for i in range(6))
    html = pathological.huge_attributes(300_000, 1).replace(b"<p>text</p>", body.encode())
    article = extract(RawPage(url="https://example.com/news/1", content=html, content_type="text/html"))
    assert article.extraction_ok
    assert article.extraction_reason == "1 tag(s) over 100,000 characters lost their attributes"
