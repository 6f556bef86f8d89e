"""Helpers for the publishing tests: a real SQLite store filled with analyzed articles, a hostile
corpus of web text, and small checks over generated HTML."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from html.parser import HTMLParser
from pathlib import Path

from ainews import analyze
from ainews.models import KST, Analysis, Article, Story
from ainews.store import Store

HOSTILE_TITLES = [
    '<script>alert("t")</script> 오픈AI 신모델',
    '"><img src=x onerror=alert(1)> 네이버 하이퍼클로바X',
    "</details></summary><h1>깨짐</h1> 카카오 AI",
    "{{ 7*7 }} {% raw %} 템플릿 주입 AI",
    "]]></title><entry>피드 깨기 AI & <b>굵게</b>",
    "제어문자\x00\x01\x0b 섞인 AI 제목 \u202e역방향",
    "### 제목 | 표 | `코드` *강조* [링크](javascript:alert(1)) AI",
]
HOSTILE_URLS = [
    "javascript:alert(document.cookie)",
    'https://example.com/a?x="><script>alert(1)</script>',
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "https://example.com/ok?a=1&b=<2>",
    "JaVaScRiPt:alert(1)",
    "https://example.com/pipe|<x>",
    "vbscript:msgbox(1)",
]
HOSTILE_BODY = ("<script>alert('body')</script>\n<iframe src=javascript:alert(1)></iframe>\n"
                "</details>\n<a href=\"javascript:alert(1)\">클릭</a> 인공지능 AI 모델 발표.\n{{ config }}")


def at(day: date, hour: int = 9) -> datetime:
    return datetime.combine(day, time(hour), KST)


def add_article(store: Store, day: date, n: int, title: str | None = None, url: str | None = None,
                body: str | None = None, story_id: str | None = None, publisher: str = "AI타임스",
                topics: list[str] | None = None, companies: list[str] | None = None,
                relevance: float = 0.9, summary: list[str] | None = None) -> int:
    """An already analyzed article (current analysis version), as analyze/ would have stored it."""
    article = Article(
        url=url or f"https://news.example.com/{day.isoformat()}/{n}",
        title=title or f"{day.isoformat()} 인공지능 뉴스 {n}번: 새 AI 모델 공개",
        body=body or f"기업 {n}이 새 인공지능 모델을 공개했다. 성능이 크게 좋아졌다고 밝혔다.\n\n두 번째 문단이다.",
        publisher=publisher, published_at=at(day), host="news.example.com", content_hash=f"h{day}{n}",
        analysis=Analysis(
            relevance=relevance, is_ai=relevance >= 0.5, reasons=["test"], category="산업",
            topics=list(topics if topics is not None else ["LLM", "반도체"]),
            companies=list(companies if companies is not None else ["오픈AI"]), story_id=story_id,
            summary=list(summary if summary is not None else [f"요약 문장 {n}.", "두 번째 요약."]),
            summary_method="extractive", version=analyze.ANALYSIS_VERSION),
    )
    article_id, _ = store.upsert_article(article)
    return article_id


def add_story(store: Store, story_id: str, title: str, member_ids: list[int], first: date, last: date) -> None:
    store.save_story(Story(id=story_id, title=title, representative_id=member_ids[0], member_ids=member_ids,
                           first_seen=at(first), last_seen=at(last), summary=["이야기 요약."]))


def fill_store(store: Store, days: list[date], per_day: int = 4) -> None:
    """Plain days, plus one story followed over the first two days by two outlets."""
    ids: list[int] = []
    for day in days:
        for n in range(per_day):
            add_article(store, day, n)
    first, second = days[0], days[min(1, len(days) - 1)]
    ids.append(add_article(store, first, 100, title="삼성전자 AI 반도체 발표", story_id="s-chip", publisher="전자신문"))
    ids.append(add_article(store, first, 101, title="삼성, AI 칩 공개", story_id="s-chip", publisher="ZDNet Korea"))
    ids.append(add_article(store, second, 102, title="삼성 AI 칩 후속 보도", story_id="s-chip", publisher="연합뉴스"))
    add_story(store, "s-chip", "삼성전자 AI 반도체", ids, first, second)


def fill_hostile(store: Store, day: date) -> None:
    for n, (title, url) in enumerate(zip(HOSTILE_TITLES, HOSTILE_URLS, strict=True)):
        add_article(store, day, 500 + n, title=title, url=url, body=HOSTILE_BODY, topics=[title[:12], "<b>태그</b>"],
                    companies=['"><svg onload=alert(1)>'], summary=[title, "<img src=x onerror=alert(2)> 요약"])


class PageScan(HTMLParser):
    """Collects what matters for safety and links: tags, attributes, hrefs/srcs."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str]] = []
        self.links: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        for name, value in attrs:
            self.attrs.append((name, value or ""))
            if name in {"href", "src"}:
                self.links.append(value or "")

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def scan(path: Path) -> PageScan:
    parser = PageScan()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def assert_inert(path: Path) -> None:
    """No script, no event handler, no javascript:/data: link, no external stylesheet or CDN."""
    page = scan(path)
    assert "script" not in page.tags and "iframe" not in page.tags and "svg" not in page.tags, path
    assert not [n for n, _ in page.attrs if n.lower().startswith("on")], path
    for link in page.links:
        assert not re.match(r"\s*(javascript|data|vbscript):", link, re.I), (path, link)


def tree_bytes(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
