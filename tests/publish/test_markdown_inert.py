"""The digest's Markdown, rendered by a CommonMark parser with raw HTML allowed (as GitHub and most
viewers do): web text yields no link or image of its own, control/bidi characters are gone, and
every TOC link hits a heading anchor computed the way GitHub computes it from the rendered text."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from pathlib import Path
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.token import Token

from ainews.models import KST, Analysis, Article, Digest, DigestItem
from ainews.publish import markdown

DAY = date(2026, 1, 20)
EVIL_BODY = ("첫 문단 [클릭](https://evil.example/phish) 그리고 ![](https://evil.example/px.png)\n\n"
             "<https://evil.example/auto> [ref]: https://evil.example/ref\n\n"
             "[ref] ![a][ref] [x]( https://evil.example/sp )")
MD = MarkdownIt("commonmark", {"html": True})


def _article(n: int, title: str, body: str = "본문입니다.", **kw: object) -> Article:
    return Article(id=n, url=f"https://news.example/{n}", title=title, body=body, publisher=kw.pop("publisher", "매체"),
                   published_at=datetime(2026, 1, 20, 9, tzinfo=KST),
                   analysis=Analysis(relevance=1, is_ai=True, category="산업", topics=list(kw.pop("topics", ["LLM"])),
                                     companies=["오픈AI"], summary=list(kw.pop("summary", ["요약 문장."])),
                                     summary_method="extractive"))


def _tags(html_text: str, tag: str, attr: str) -> list[str]:
    return re.findall(rf"<{tag}\b[^>]*\b{attr}=\"([^\"]*)\"", html_text)


def test_hostile_body_makes_no_link_or_image() -> None:
    evil = "[클릭](https://evil.example/t) ![](https://evil.example/i.png)"
    article = _article(1, f"제목 {evil}", EVIL_BODY, publisher=f"매체 {evil}", topics=[f"태그 {evil}"],
                       summary=[f"요약 {evil}", "<img src=https://evil.example/x.png>"])
    other = _article(2, f"다른 매체 제목 {evil}", publisher=f"다른 {evil}")
    text = markdown.render_digest(Digest(day=DAY, items=[DigestItem(article=article, others=[other])]))
    rendered = MD.render(text)
    assert "<img" not in rendered
    hrefs = [h for h in _tags(rendered, "a", "href") if not h.startswith("#")]
    assert hrefs == ["https://news.example/1", "https://news.example/2"]  # our own link fields only
    assert "evil.example" not in " ".join(hrefs)
    assert "[클릭](https://evil.example/phish)" in rendered  # shown as the text it was


def test_escaping_round_trips_through_the_parser() -> None:
    title = r"괄호 (1) 느낌표! [대괄호] \역슬래시 `틱` *별* _밑줄_ ~물결~ <꺾쇠> & 앰퍼샌드"
    body = "본문 ![이미지](https://evil.example/p.png) \\[이스케이프\\]\n\n- 목록 아님\n1. 번호 아님"
    article = _article(1, title, body)
    text = markdown.render_digest(Digest(day=DAY, items=[DigestItem(article=article)]))
    parsed = markdown.parse_digest(text)[0]
    assert parsed.title == title and parsed.body == body


def test_control_and_bidi_characters_are_stripped_and_titles_capped() -> None:
    article = _article(1, "제어\x00\x07문자 \u202e역방향\u202c 제목 " + "가" * 500_000,
                       "본문\x1b[31m 빨강\u2066격리\u2069", publisher="매체\u200f")
    text = markdown.render_digest(Digest(day=DAY, items=[DigestItem(article=article)]))
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069\u200e\u200f]", text)
    heading = re.search(r"^### (.*)$", text, re.M).group(1)
    assert heading.startswith("제어문자 역방향 제목 가") and len(heading) <= 300 and heading.endswith("…")
    assert len(text) < 10_000


# --- GitHub's anchors from the rendered heading text ------------------------------------------------

def _github_slug(text: str) -> str:
    """github-slugger: lower-case, drop everything but letters, marks, numbers, `-`, `_` and spaces."""
    kept = "".join(ch for ch in text.lower() if unicodedata.category(ch)[0] in "LMN" or ch in " -_")
    return kept.replace(" ", "-")


def _inline_text(token: Token) -> str:
    """What GitHub reads from a heading: text and code content; inline HTML tags add nothing, their text does."""
    parts = []
    for child in token.children or []:
        if child.type in {"text", "code_inline"}:
            parts.append(child.content)
        elif child.type in {"softbreak", "hardbreak"}:
            parts.append(" ")
    return "".join(parts).strip()


def _heading_anchors(text: str) -> set[str]:
    tokens = MD.parse(text)
    seen: dict[str, int] = {}
    anchors = set()
    for i, token in enumerate(tokens):
        if token.type != "heading_open":
            continue
        base = _github_slug(_inline_text(tokens[i + 1]))
        count = seen.get(base, 0)
        anchors.add(base if count == 0 else f"{base}-{count}")
        seen[base] = count + 1
    return anchors


def _toc_targets(text: str) -> list[str]:
    toc = text.split(markdown.TOC_START, 1)[1].split(markdown.TOC_END, 1)[0]
    return [unquote(h[1:]) for h in _tags(MD.render(toc), "a", "href")]


def test_every_toc_link_hits_a_github_anchor() -> None:
    titles = ["오픈AI 새 모델", "오픈AI 새 모델", "삼성 \"HBM4\"... 양산 (확정)", "  공백   많은\t제목 ", "A_B-C · D",
              "#해시 [괄호] `코드` <b>굵게</b>", "후속 기사", "후속 기사"]
    items = [DigestItem(article=_article(n, t), is_update=n in {1, 6, 7}) for n, t in enumerate(titles)]
    text = markdown.render_digest(Digest(day=DAY, items=items), preface=["- 서문"])
    assert text.count("<sub>🔄 후속</sub>") == 3  # the marker stays in the heading (seed-000 format)
    anchors = _heading_anchors(text)
    targets = _toc_targets(text)
    assert len(targets) == len(titles) and len(set(targets)) == len(titles)
    missing = [t for t in targets if t not in anchors]
    assert not missing, (missing, sorted(anchors))


def test_seed_000_toc_links_hit_github_anchors(seeds: dict[str, Path]) -> None:
    original = seeds["000"].read_text(encoding="utf-8")
    articles = markdown.parse_digest(original)
    items = [DigestItem(article=a, is_update=i % 2 == 0) for i, a in enumerate(articles)]
    text = markdown.render_digest(Digest(day=DAY, items=items))
    assert all(t in _heading_anchors(text) for t in _toc_targets(text))
    assert [a.title for a in markdown.parse_digest(text)] == [a.title for a in articles]
