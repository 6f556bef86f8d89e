"""Atom and RSS 2.0 feeds (feedgen) of the daily digests and of stories.

Every date and id comes from the digest day, never from the clock, so a re-run writes the same
bytes: feedgen's own "now" defaults (feed updated/lastBuildDate, entry updated) are overridden.
Text is stripped of characters XML 1.0 cannot hold (a control character in a title would
otherwise abort the whole feed); summaries and contents are escaped HTML (type="html"), which
feedgen XML-escapes once more, so `<description>`/`content:encoded` never carry live markup.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime, time
from html import escape
from typing import Any

from feedgen.feed import FeedGenerator

from ainews.models import KST
from ainews.publish.markdown import clip, safe_url
from ainews.publish.records import PublishedArticleRef, PublishedDay, PublishedItem, PublishedStory

DIGEST_ENTRIES = 30
STORY_ENTRIES = 50
ID_BASE = "tag:ainews.digest,2026"
_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_text(value: Any) -> str:
    return _XML_BAD.sub("", str(value or ""))


def html_summary(text: str) -> str:
    """A summary as escaped HTML (type="html"): RSS readers treat <description> as HTML, so plain
    text holding `<script>` would become live markup there."""
    return escape(xml_text(text), quote=False)


def day_time(day: str) -> datetime:
    """The moment an entry for `day` is dated: 07:00 KST, when the daily run publishes it."""
    return datetime.combine(date.fromisoformat(day), time(7, 0), KST)


def _link(site_url: str, rel: str) -> str:
    return f"{site_url.rstrip('/')}/{rel}" if site_url else rel


def _generator(title: str, subtitle: str, site_url: str, self_rel: str, updated: datetime,
               fid: str) -> FeedGenerator:
    fg = FeedGenerator()
    fg.id(fid)
    fg.title(xml_text(title))
    fg.subtitle(xml_text(subtitle))
    fg.link(href=_link(site_url, "index.html"), rel="alternate")
    fg.link(href=_link(site_url, self_rel), rel="self")
    fg.language("ko")
    fg.generator("ainews")
    fg.updated(updated)
    fg.lastBuildDate(updated)
    return fg


def _items_html(items: Sequence[PublishedItem | PublishedArticleRef], limit: int = 30) -> str:
    """The entry body: an escaped list of the day's items with summary heads and http(s) links only."""
    rows = []
    for item in items[:limit]:
        summary = item.summary if isinstance(item, PublishedItem) else []
        head = next((s for s in summary if s.strip()), "")
        gist = f"<br>{escape(xml_text(clip(head, 200)))}" if head and head != item.title else ""
        publisher = escape(xml_text(item.publisher or item.host or ""))
        rows.append(f'<li><a href="{escape(safe_url(xml_text(item.url)))}">'
                    f"{escape(xml_text(item.title or '(제목 없음)'))}</a> ({publisher}){gist}</li>")
    return "<ol>" + "".join(rows) + "</ol>"


def digest_feeds(days: list[PublishedDay], site_title: str = "AI 뉴스", site_url: str = "",
                 limit: int = DIGEST_ENTRIES) -> tuple[str, str]:
    """(Atom, RSS) of the newest `limit` daily digests, one entry per day."""
    recent = sorted(days, key=lambda d: d.day, reverse=True)[:limit]
    updated = day_time(recent[0].day) if recent else datetime(2026, 1, 1, tzinfo=KST)
    fg = _generator(f"🤖 {site_title}", "매일 아침 한국어 AI 뉴스 다이제스트", site_url, "atom.xml", updated,
                    f"{ID_BASE}:digests")
    for data in reversed(recent):  # feedgen prepends: oldest first in, newest first out
        day, items = data.day, data.items
        fe = fg.add_entry()
        fe.id(f"{ID_BASE}:digest:{day}")
        fe.title(xml_text(data.title or day))
        fe.link(href=_link(site_url, f"days/{day}.html"))
        fe.published(day_time(day))
        fe.updated(day_time(day))
        top = " · ".join(xml_text(i.title) for i in items[:3])
        fe.summary(html_summary(f"{len(items)}건: {top}" if items else "기사 없음"), type="html")
        fe.content(_items_html(items), type="html")
        fe.guid(f"{ID_BASE}:digest:{day}", permalink=False)
    return _both(fg, site_url, "rss.xml")


def story_feeds(days: list[PublishedDay], site_title: str = "AI 뉴스", site_url: str = "",
                limit: int = STORY_ENTRIES) -> tuple[str, str]:
    """(Atom, RSS) of stories, newest appearance first: one entry per story (or lone article)."""
    latest: dict[str, tuple[str, PublishedItem]] = {}
    for data in sorted(days, key=lambda d: d.day):
        for item in data.items:
            key = (item.story.id if item.story else "") or _lone_key(item)
            latest[key] = (data.day, item)
    ranked = sorted(latest.items(), key=lambda kv: (kv[1][0], -kv[1][1].rank, kv[0]), reverse=True)
    ranked = ranked[:limit]
    updated = day_time(ranked[0][1][0]) if ranked else datetime(2026, 1, 1, tzinfo=KST)
    fg = _generator(f"🤖 {site_title} · 이야기", "여러 매체가 다룬 AI 이야기", site_url, "stories.atom.xml", updated,
                    f"{ID_BASE}:stories")
    for key, (day, item) in reversed(ranked):
        story = item.story or PublishedStory()
        fe = fg.add_entry()
        fe.id(f"{ID_BASE}:story:{xml_text(key)}")
        fe.title(xml_text(story.title or item.title or "(제목 없음)"))
        fe.link(href=safe_url(xml_text(item.url)))
        fe.published(day_time(day))
        fe.updated(day_time(day))
        summary = story.summary or item.summary
        fe.summary(html_summary(" ".join(summary[:3]) or item.title), type="html")
        fe.content(_items_html([item, *item.others]), type="html")
        fe.guid(f"{ID_BASE}:story:{xml_text(key)}", permalink=False)
    return _both(fg, site_url, "stories.rss.xml")


def _lone_key(item: PublishedItem) -> str:
    """A lone article's entry id: its link, or its title when it has no web link (a file, a refused
    URL); never the store's row id, which differs between a run and its re-run."""
    return f"url:{item.url}" if item.url else f"title:{item.title}"


def _both(fg: FeedGenerator, site_url: str, rss_rel: str) -> tuple[str, str]:
    """Atom and RSS from one generator, each naming itself as the `self` link."""
    atom = fg.atom_str(pretty=True).decode("utf-8")
    fg.link(href=_link(site_url, rss_rel), rel="self", replace=True)
    fg.link(href=_link(site_url, "index.html"), rel="alternate")  # RSS <link> is the last one added
    rss = fg.rss_str(pretty=True).decode("utf-8")
    return atom, rss
