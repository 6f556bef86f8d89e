"""Seed articles for analysis tests, built from the shared captures by slicing known parts."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import pytest

from ainews.analyze.features import clean_text
from ainews.models import KST, Article

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"
SEEDS = SHARED / "seeds"


def seed_text(prefix: str) -> str:
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds not present: seed tests need the shared captures")
    path = next(SEEDS.glob(f"{prefix}_*.txt"))
    return path.read_text(encoding="utf-8")


def kst(day: str) -> datetime:
    return datetime.fromisoformat(day + "T09:00:00").replace(tzinfo=KST)


def seed_articles() -> dict[str, Article]:
    """Seeds 001-004 sliced by their known article parts (no dependence on extraction)."""
    s1 = seed_text("001")
    line = next(x for x in s1.splitlines() if "[서울=뉴시스]" in x)
    s2 = seed_text("002")
    s3 = seed_text("003")
    s4 = seed_text("004")
    return {
        "001": Article(url="https://v.daum.net/v/20260117100131774", publisher="뉴시스",
                       title="'싱어게인' 같은 흥행 노렸던 K-AI, 진짜 성공하려면",
                       body=clean_text(re.sub(r"<[^>]+>", "\n", line)), published_at=kst("2026-01-17")),
        "002": Article(url="https://n.news.naver.com/article/001/0015850000", publisher="연합뉴스",
                       title="네이버 이어 카카오·NC도 독자 AI 재도전 안 한다(종합2보)",
                       body=s2[s2.index("(서울=연합뉴스)"):], published_at=kst("2026-01-16")),
        "003": Article(url="https://www.mediapen.com/news/view/990000", publisher="미디어펜",
                       title=s3.splitlines()[0], body=s3.split("\n", 1)[1], published_at=kst("2025-02-05")),
        "004": Article(url="https://imnews.imbc.com/replay/2025/nwdesk/article/6683000_36799.html",
                       publisher="MBC", title="오픈AI 올트먼 방한… 삼성·SK·카카오와 잇단 회동",
                       body=s4[s4.index("◀ 앵커 ▶"):], published_at=kst("2025-02-04")),
    }


def seed000_items() -> list[Article]:
    """The seed digest's items: `###` title and the original text inside <details>."""
    text = seed_text("000")
    items = []
    for block in text.split("\n---\n"):
        title = re.search(r"^### (.+)$", block, re.M)
        body = re.search(r"</summary>\s*(.*?)</details>", block, re.S)
        url = re.search(r"\[원문 보기\]\((\S+)\)", block)
        if title and body:
            items.append(Article(url=url.group(1) if url else "", title=title.group(1).strip(),
                                 body=body.group(1).strip(), published_at=kst("2026-01-20")))
    return items


def with_ids(articles: list[Article], start: int = 1) -> list[Article]:
    for n, article in enumerate(articles, start):
        article.id = n
    return articles
