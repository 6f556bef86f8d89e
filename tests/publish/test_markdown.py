"""The digest format: seed 000 parses and re-renders item by item; web text cannot break it."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

from markdown_it import MarkdownIt

from ainews.models import KST, Analysis, Article, Digest, DigestItem
from ainews.publish import markdown

META = re.compile(r"^> 📅 .*$", re.M)


def _items(text: str) -> list[dict[str, str]]:
    """Titles, meta, tags and links of every item, read straight from the Markdown."""
    body = text.split(markdown.TOC_END, 1)[1]
    out = []
    for section in re.split(r"(?m)^---\s*$", body):
        heading = re.search(r"^### (.+)$", section, re.M)
        if not heading:
            continue
        out.append({
            "title": heading.group(1),
            "meta": re.search(r"^> 📅 .*$", section, re.M).group(0),
            "tags": re.search(r"^> 🏷️ .*$", section, re.M).group(0),
            "link": re.search(r"^🔗 .*$", section, re.M).group(0),
        })
    return out


def _toc(text: str) -> list[tuple[str, str]]:
    toc = text.split(markdown.TOC_START, 1)[1].split(markdown.TOC_END, 1)[0]
    return re.findall(r"^\d+\. \[(.*)\]\(#(.*)\)$", toc, re.M)


def test_seed_000_round_trip(seeds: dict[str, Path]) -> None:
    original = seeds["000"].read_text(encoding="utf-8")
    articles = markdown.parse_digest(original)
    assert len(articles) == 6
    digest = Digest(day=markdown.digest_day(original), items=[DigestItem(article=a) for a in articles])
    rendered = markdown.render_digest(digest)
    assert rendered.splitlines()[0] == original.splitlines()[0] == "# 🤖 AI 뉴스 - 2026년 01월 20일"
    assert _toc(rendered) == _toc(original)
    assert _items(rendered) == _items(original)


def test_seed_000_fields(seeds: dict[str, Path]) -> None:
    articles = markdown.parse_digest(seeds["000"].read_text(encoding="utf-8"))
    first = articles[0]
    assert first.url == "https://www.aitimes.com/news/articleView.html?idxno=205737"
    assert first.publisher == "AI타임스"
    assert first.published_at == datetime(2026, 1, 20, tzinfo=KST)
    assert first.imported.company == "국내 연구기관"
    assert first.imported.tags == ["LLM", "멀티모달"]
    assert first.body.startswith("AI 전문 모티프테크놀로지스")
    assert articles[4].imported.tags == []  # "기타" means no tag


def test_anchors_resolve_like_github() -> None:
    assert markdown.anchor("오픈AI에 대한 강력한 경고...\"IPO 실패하면\"") == "오픈ai에-대한-강력한-경고ipo-실패하면"
    assert markdown.anchor("AI·HPC 시대 'LT Zero', 진출... 홍성화") == "aihpc-시대-lt-zero-진출-홍성화"
    same = ["같은 제목"] * 3
    assert markdown.unique_anchors(same) == ["같은-제목", "같은-제목-1", "같은-제목-2"]


def _hostile_article() -> Article:
    body = ("첫 문단 </details> 닫기 시도\n\n# 제목처럼 보이는 줄\n\n| a | b |\n|---|---|\n\n"
            "```\n코드 펜스\n\n<script>alert(1)</script> <img src=x onerror=alert(2)>\n\n---\n===")
    return Article(
        url="https://example.com/a?b=1&c=(2)", title="제목 | 파이프 # 해시 [링크](javascript:alert(1)) <b>굵게</b>",
        body=body, publisher="매체 | 이름", published_at=datetime(2026, 1, 20, 9, tzinfo=KST),
        analysis=Analysis(relevance=1, is_ai=True, category="일반", topics=["LLM"], companies=["A | B"],
                          summary=["요약 </details> <script>x</script>"], summary_method="extractive"),
    )


def test_hostile_text_cannot_break_structure() -> None:
    article = _hostile_article()
    text = markdown.render_digest(Digest(day=date(2026, 1, 20), items=[DigestItem(article=article)] * 2))
    assert text.count("<details>") == 2 and text.count("</details>") == 2
    assert "<script>" not in text and "<img" not in text and "<b>굵게" not in text
    assert not re.search(r"(?m)^#(?!##? |\s*🤖)", text.split(markdown.TOC_END)[1])  # no stray headings
    assert "```" not in text
    rendered = MarkdownIt("commonmark", {"html": True}).enable("table").render(text)
    assert "<script" not in rendered and "<img" not in rendered and "<table" not in rendered
    assert 'href="javascript' not in rendered and "<pre" not in rendered
    assert rendered.count("<details>") == 2 and rendered.count("</details>") == 2
    items = _items(text)
    assert len(items) == 2
    # the parser reads back exactly what went in
    parsed = markdown.parse_digest(text)
    assert parsed[0].title == article.title
    assert parsed[0].publisher == "매체 | 이름"
    assert parsed[0].imported.company == "A | B"
    assert "</details> 닫기 시도" in parsed[0].body
    assert "# 제목처럼 보이는 줄" in parsed[0].body
    assert parsed[0].url == "https://example.com/a?b=1&c=%282%29"


def test_non_http_links_are_neutralised() -> None:
    assert markdown.safe_url("javascript:alert(1)") == "#"
    assert markdown.safe_url("https://a.b/c d") == "https://a.b/c%20d"


def test_failed_extraction_shows_link_not_chrome() -> None:
    article = Article(url="https://www.aitimes.com/x", title="제목", body="로그인\n한국어",
                      extraction_ok=False, extraction_reason="mostly navigation",
                      published_at=datetime(2026, 1, 20, tzinfo=KST))
    text = markdown.render_digest(Digest(day=date(2026, 1, 20), items=[DigestItem(article=article)]))
    assert markdown.NO_BODY in text and "로그인" not in text


def test_file_documents_get_no_dead_link() -> None:
    article = Article(url="/home/me/capture.txt", title="제목", body="본문입니다.",
                      published_at=datetime(2026, 1, 20, tzinfo=KST))
    text = markdown.render_digest(Digest(day=date(2026, 1, 20), items=[DigestItem(article=article)]))
    assert "](#)" not in text and "🔗 원문 링크 없음" in text
    with_canonical = Article(url="/tmp/saved.html", canonical_url="https://news.example/1", title="제목", body="본문.")
    text = markdown.render_digest(Digest(day=date(2026, 1, 20), items=[DigestItem(article=with_canonical)]))
    assert "🔗 [원문 보기](https://news.example/1)" in text


def test_story_covered_by_several_outlets_shows_the_story_summary() -> None:
    from ainews.models import Story

    def article(n: int, outlet: str) -> Article:
        return Article(id=n, url=f"https://news{n}.example/a", title=f"기사 {n}", body="본문.", publisher=outlet,
                       published_at=datetime(2026, 1, 20, 9, tzinfo=KST),
                       analysis=Analysis(relevance=1, is_ai=True, summary=[f"{outlet} 단독 요약."],
                                         summary_method="extractive", story_id="s1"))

    lead, other = article(1, "연합뉴스"), article(2, "뉴시스")
    story = Story(id="s1", title="기사 1", representative_id=1, member_ids=[1, 2],
                  summary=["두 매체에서 모은 첫 문장.", "두 번째 문장."])
    text = markdown.render_digest(Digest(day=date(2026, 1, 20),
                                         items=[DigestItem(article=lead, story=story, others=[other])]))
    assert "- 두 매체에서 모은 첫 문장." in text and "연합뉴스 단독 요약" not in text
    assert "📰 함께 보도 (2개 매체)" in text and "[뉴시스 · 기사 2](https://news2.example/a)" in text
    alone = markdown.render_digest(Digest(day=date(2026, 1, 20), items=[DigestItem(article=lead, story=story)]))
    assert "연합뉴스 단독 요약" in alone  # one outlet: its own summary


def test_a_summary_is_never_just_the_title_again(seeds: dict[str, Path]) -> None:
    """Seed 000's summaries copy the title; its chrome-only item gets a plain 'no summary' line instead."""
    articles = markdown.parse_digest(seeds["000"].read_text(encoding="utf-8"))
    chrome = articles[2]
    chrome.extraction_ok, chrome.extraction_reason = False, "mostly navigation"
    text = markdown.render_digest(Digest(day=date(2026, 1, 20), items=[DigestItem(article=chrome)]))
    summary = text.split("**💡 요약**", 1)[1].split("<details>", 1)[0]
    assert chrome.title not in summary and markdown.NO_SUMMARY in summary
