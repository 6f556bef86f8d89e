"""A time nobody knows is never shown: old digest items and pages dated to the day are stored at
00:00 KST, and pages must show their date alone (they used to read "00:00")."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from fastapi.testclient import TestClient

from ainews import analyze
from ainews.models import KST, Analysis, Article, Imported, Story
from ainews.publish import markdown
from ainews.store import Store
from ainews.web.app import create_app

DAY = date(2026, 1, 20)


def _article(n: int, when: datetime, imported: bool) -> Article:
    return Article(
        url=f"https://news.example.com/{n}", title=f"인공지능 기사 {n}번", body="새 인공지능 모델이 나왔다.",
        publisher="AI타임스", published_at=when, content_hash=f"t{n}",
        imported=Imported(category="산업", source="AI타임스", summary=["요약."]) if imported else None,
        analysis=Analysis(relevance=0.9, is_ai=True, category="산업", story_id="s-time", summary=["요약 문장."],
                          summary_method="extractive", version=analyze.ANALYSIS_VERSION))


def test_time_known() -> None:
    midnight = datetime(2026, 1, 20, tzinfo=KST)
    assert not _article(1, midnight, imported=True).time_known
    assert _article(2, datetime(2026, 1, 20, 9, 30, tzinfo=KST), imported=False).time_known
    assumed = _article(3, datetime(2026, 1, 20, 9, 30, tzinfo=KST), imported=False)
    assumed.date_assumed = True
    assert not assumed.time_known
    digest = "# 🤖 AI 뉴스 - 2026년 01월 20일\n\n### 제목\n\n> 📅 **2026-01-20** | **🏢 산업** | 기업 | 매체\n"
    [item] = markdown.parse_digest(digest) or [None]
    assert item is not None and not item.time_known  # an old digest item has a date only


def test_pages_show_no_unknown_time(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 't.db'}")
    old, _ = store.upsert_article(_article(1, datetime(2026, 1, 20, tzinfo=KST), imported=True))
    new, _ = store.upsert_article(_article(2, datetime(2026, 1, 20, 9, 30, tzinfo=KST), imported=False))
    client = TestClient(create_app(store))
    page = client.get(f"/article/{old}").text
    assert "2026-01-20" in page and "00:00" not in page and 'datetime="2026-01-20"' in page
    assert "2026-01-20 09:30" in client.get(f"/article/{new}").text
    day = client.get("/day/2026-01-20").text
    assert "00:00" not in day and "<time datetime=\"2026-01-20\">2026-01-20</time>" in day
    store.save_story(Story(id="s-time", title="인공지능 기사", representative_id=new, member_ids=[old, new]))
    story = client.get("/story/s-time")  # the write moved the cache fingerprint: a fresh page
    assert story.status_code == 200 and "00:00" not in story.text and "09:30" in story.text
    store.close()
