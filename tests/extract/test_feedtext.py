"""Feed item HTML → body: cleaned like a page, and only used when it is the article, not a teaser."""

from __future__ import annotations

from ainews.extract.feedtext import MIN_FEED_CHARS, blocked, feed_text, usable_feed_body, with_feed_body
from ainews.models import Article, FeedEntry

SENTENCE = "오픈AI가 새 추론 모델을 공개했다. 회사는 기업용 서비스에 먼저 적용하겠다고 밝혔다. 업계 반응은 엇갈렸다."


def _entry(html: str) -> FeedEntry:
    return FeedEntry(url="https://news.example.kr/1", source="feed", title="제목", content=html)


def test_feed_html_becomes_paragraphs_without_markup_scripts_or_boilerplate() -> None:
    html = (f"<p>{SENTENCE}</p><script>alert('x')</script><p><b>둘째</b> 문단입니다.</p>"
            "<p>Copyright ⓒ 예시일보. 무단 전재 및 재배포 금지.</p>")
    assert feed_text(html) == f"{SENTENCE}\n\n둘째 문단입니다."


def test_only_a_full_text_is_used() -> None:
    full = "".join(f"<p>{SENTENCE} {i}</p>" for i in range(6))
    body, reason = usable_feed_body(_entry(full))
    assert body is not None and len(body) >= MIN_FEED_CHARS and reason == ""
    assert usable_feed_body(_entry(f"<p>{SENTENCE}</p>"))[0] is None  # passes the gate, but a teaser
    teaser = "".join(f"<p>{SENTENCE} {i}</p>" for i in range(6)) + "<p>자세한 내용은 원문에서…</p>"
    body, reason = usable_feed_body(_entry(teaser))
    assert body is None and "teaser" in reason
    assert usable_feed_body(None) == (None, "no feed item")


def test_only_refusals_count_as_blocked() -> None:
    assert all(blocked(f"HTTP {code}") for code in (401, 402, 403, 451))
    assert not any(blocked(r) for r in ("HTTP 404", "HTTP 500 after 3 attempts", "timed out after 20 s"))


def test_a_good_page_is_never_replaced_by_the_feed() -> None:
    page = Article(url="https://news.example.kr/1", title="t", body=SENTENCE * 3)
    full = _entry("".join(f"<p>{SENTENCE} {i}</p>" for i in range(6)))
    assert with_feed_body(page, full) is page
    failed = Article(url=page.url, title="t", body="", extraction_ok=False, extraction_reason="empty body")
    used = with_feed_body(failed, full)
    assert (used.body_source, used.extraction_ok, used.title) == ("feed", True, "제목")
    assert used.extraction_reason == "page: empty body; text from the feed"
