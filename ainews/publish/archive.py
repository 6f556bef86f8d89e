"""The Markdown archive around the daily files: `digests/README.md` (every day, newest first)
and the optional weekly digest `digests/weekly/YYYY-Www.md` (the week's top stories).

Both are built from the days' JSON documents (jsonout), so they never need the store.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from ainews.publish.markdown import escape_block, escape_inline, korean_date, safe_url
from ainews.publish.records import PublishedDay, PublishedStory

WEEKLY_ITEMS = 10


def _day(data: PublishedDay) -> date:
    return date.fromisoformat(data.day)


def render_index(days: list[PublishedDay], weeks: list[str] | None = None) -> str:
    """README.md for digests/: one line per day (count and top headline), grouped by month."""
    out = ["# 🤖 AI 뉴스 아카이브", "",
           "하루 한 번 모은 한국어 AI 뉴스 다이제스트입니다 (최신순). "
           "[웹에서 보기](../site/index.html) · [Atom](../site/atom.xml) · [RSS](../site/rss.xml)", ""]
    month = ""
    for data in sorted(days, key=lambda d: d.day, reverse=True):
        day = _day(data)
        label = f"{day.year}년 {day.month:02d}월"
        if label != month:
            out += [f"## {label}", ""] if not month else ["", f"## {label}", ""]
            month = label
        items = data.items
        head = f" · {escape_inline(_short(items[0].title))}" if items else ""
        out.append(f"- [{korean_date(day)}]({day.year:04d}/{day.isoformat()}.md) — {len(items)}건{head}")
    if weeks:
        out += ["", "## 주간 다이제스트", ""]
        out += [f"- [{w}](weekly/{w}.md)" for w in sorted(weeks, reverse=True)]
    if not days:
        out.append("아직 발행된 다이제스트가 없습니다.")
    return "\n".join(out).rstrip() + "\n"


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[:limit] + "..."


def week_label(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def week_bounds(day: date) -> tuple[date, date]:
    monday = day - timedelta(days=day.isoweekday() - 1)
    return monday, monday + timedelta(days=6)


@dataclass
class WeeklyStory:
    key: str
    title: str
    url: str
    publisher: str
    summary: list[str]
    days: list[str] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)  # (day, anchor) of its day entries
    outlets: int = 1
    best_rank: int = 999
    relevance: float = 0.0

    @property
    def score(self) -> tuple[int, int, float, int]:
        return (self.outlets, len(self.days), self.relevance, -self.best_rank)


def weekly_stories(days: list[PublishedDay], day: date, limit: int = WEEKLY_ITEMS) -> list[WeeklyStory]:
    """The week's (Mon–Sun around `day`) stories, most covered first: outlets, days, relevance, rank."""
    start, end = week_bounds(day)
    stories: dict[str, WeeklyStory] = {}
    for data in days:
        if not start <= _day(data) <= end:
            continue
        for item in data.items:
            story = item.story or PublishedStory()
            key = story.id or f"url:{item.url}"
            entry = stories.get(key)
            if entry is None:
                entry = stories[key] = WeeklyStory(
                    key=key, title=story.title or item.title, url=item.url, publisher=item.outlet,
                    summary=list(story.summary or item.summary))
            entry.days.append(data.day)
            entry.links.append((data.day, item.anchor))
            entry.outlets = max(entry.outlets, len(item.others) + 1)
            entry.best_rank = min(entry.best_rank, item.rank or 999)
            entry.relevance = max(entry.relevance, float(item.relevance or 0.0))
    ranked = sorted(stories.values(), key=lambda s: (s.score, s.key), reverse=True)
    return ranked[:limit]


def render_weekly(days: list[PublishedDay], day: date, limit: int = WEEKLY_ITEMS) -> str:
    """Markdown for the week containing `day`: its top stories with links to the daily files."""
    start, end = week_bounds(day)
    out = [f"# 🤖 AI 뉴스 주간 - {week_label(day)}", "",
           f"> {korean_date(start)} ~ {korean_date(end)} · 이번 주 가장 많이 다뤄진 이야기", "", "---", ""]
    stories = weekly_stories(days, day, limit)
    if not stories:
        out.append("이번 주에 발행된 기사가 없습니다.")
    for i, story in enumerate(stories, 1):
        out += [f"### {i}. {escape_inline(story.title or '(제목 없음)')}", "",
                f"> {escape_inline(story.publisher or '출처 미상')} | {story.outlets}개 매체 | "
                f"{len(story.days)}일 보도", ""]
        out += [f"- {escape_block(s)}" for s in story.summary[:3]]
        day_links = " · ".join(
            f"[{d[5:]}](../{d[:4]}/{d}.md#{a})" if a else f"[{d[5:]}](../{d[:4]}/{d}.md)" for d, a in story.links)
        out += ["", f"🔗 [원문 보기]({safe_url(story.url)}) · 📅 {day_links}", "", "---", ""]
    return "\n".join(out).rstrip() + "\n"
