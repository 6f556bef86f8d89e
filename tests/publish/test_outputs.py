"""Publishing from a real store: layout, Markdown, JSON, archive, site, feeds; re-runs byte-identical;
hostile web text inert everywhere."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path
from urllib.parse import unquote

import feedparser
import pytest
from markdown_it import MarkdownIt

from ainews import pipeline
from ainews.config import Settings
from ainews.publish import archive, jsonout, markdown
from ainews.sanitize import clean_line
from ainews.store import Store
from tests.support.published import HOSTILE_TITLES, assert_inert, fill_hostile, fill_store, scan, tree_bytes

DAYS = [date(2026, 1, 19), date(2026, 1, 20), date(2026, 1, 21)]


@pytest.fixture
def published(tmp_path: Path) -> tuple[Path, Store, Settings]:
    settings = Settings(db=str(tmp_path / "a.db"))
    store = Store(settings.db_url)
    fill_store(store, DAYS)
    fill_hostile(store, DAYS[-1])
    out = tmp_path / "out"
    pipeline.publish_all(store, settings, out, pipeline.PublishOptions(weekly=True))
    yield out, store, settings
    store.close()


def test_layout_and_markdown(published: tuple[Path, Store, Settings]) -> None:
    out, _, _ = published
    for day in DAYS:
        assert (out / "digests" / "2026" / f"{day}.md").is_file()
        assert (out / "digests" / "2026" / f"{day}.json").is_file()
        assert (out / "site" / "days" / f"{day}.html").is_file()
    for name in ("index.html", "atom.xml", "rss.xml", "style.css", "archive.html", "stories.atom.xml"):
        assert (out / "site" / name).is_file(), name
    text = (out / "digests" / "2026" / "2026-01-20.md").read_text(encoding="utf-8")
    assert text.startswith("# 🤖 AI 뉴스 - 2026년 01월 20일\n\n**📰 오늘의 요약**")
    overview = text.split("## 📑 목차")[0]
    anchors = re.findall(r"\]\(#([^)]+)\)", overview)
    toc = text.split(markdown.TOC_START)[1].split(markdown.TOC_END)[0]
    assert anchors and all(f"(#{a})" in toc for a in anchors)  # every summary line points at an item
    # the story covered by two outlets on its first day lists the other one
    assert "📰 함께 보도 (2개 매체)" in (out / "digests/2026/2026-01-19.md").read_text(encoding="utf-8")
    assert len(markdown.parse_digest(text)) == len(json.loads(
        (out / "digests/2026/2026-01-20.json").read_text(encoding="utf-8"))["items"])


def test_json_has_every_field_in_ranked_order(published: tuple[Path, Store, Settings]) -> None:
    out, _, _ = published
    path = out / "digests" / "2026" / "2026-01-19.json"
    assert jsonout.load_day(path) is not None
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["schema"] == jsonout.SCHEMA and data["day"] == "2026-01-19"
    assert [it["rank"] for it in data["items"]] == list(range(1, len(data["items"]) + 1))
    item = next(it for it in data["items"] if it["story"])
    for key in ("title", "url", "publisher", "published_at", "category", "category_emoji", "topics", "companies",
                "relevance", "summary", "summary_method", "body", "others", "anchor", "story", "reasons"):
        assert key in item, key
    assert item["story"]["id"] == "s-chip" and item["others"][0]["publisher"]
    assert data["counts"]["items"] == len(data["items"]) and len(data["overview"]) <= jsonout.OVERVIEW_ITEMS


def test_readme_index_and_weekly(published: tuple[Path, Store, Settings]) -> None:
    out, _, _ = published
    readme = (out / "digests" / "README.md").read_text(encoding="utf-8")
    links = re.findall(r"\]\((2026/[^)]+\.md)\)", readme)
    assert links == [f"2026/{d}.md" for d in reversed(DAYS)]  # newest first, every day
    assert all((out / "digests" / link).is_file() for link in links)
    weekly = (out / "digests" / "weekly" / "2026-W04.md").read_text(encoding="utf-8")
    first = re.search(r"^### 1\. (.+)$", weekly, re.M)
    assert first and "삼성전자 AI 반도체" in first.group(1)  # the story seen on two days by three outlets
    assert "weekly/2026-W04.md" in readme
    for name, text in (("readme.html", readme), ("weekly.html", weekly)):  # hostile titles stay text
        (out / name).write_text(MarkdownIt("commonmark", {"html": True}).render(text), encoding="utf-8")
        assert_inert(out / name)


def test_site_links_resolve_and_everything_is_inert(published: tuple[Path, Store, Settings]) -> None:
    out, _, _ = published
    site = out / "site"
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 10
    for page in pages:
        assert_inert(page)
        html_text = page.read_text(encoding="utf-8")
        assert "//cdn" not in html_text and "<script" not in html_text.lower()
        for link in scan(page).links:
            if link.startswith(("http://", "https://", "#")):
                continue
            target = (page.parent / unquote(link.split("#")[0])).resolve()
            assert target.is_file(), (page, link)
    story_pages = list((site / "stories").glob("s-chip*.html"))
    assert len(story_pages) == 1
    story = " ".join(scan(story_pages[0]).text)
    assert "2026-01-19" in story and "2026-01-20" in story and "연합뉴스" in story


def test_hostile_text_renders_as_text(published: tuple[Path, Store, Settings]) -> None:
    out, _, _ = published
    page = out / "site" / "days" / "2026-01-21.html"
    text = "".join(scan(page).text)
    assert "{{ 7*7 }}" in text and "49" not in text  # no template evaluation of web text
    assert '<script>alert("t")</script> 오픈AI 신모델' in text  # shown literally
    md = (out / "digests" / "2026" / "2026-01-21.md").read_text(encoding="utf-8")
    assert "<script" not in md and "<svg" not in md and "<img" not in md
    rendered = out / "md.html"  # as a Markdown viewer that passes raw HTML through would show it
    rendered.write_text(MarkdownIt("commonmark", {"html": True}).render(md), encoding="utf-8")
    assert_inert(rendered)
    raw = (out / "digests" / "2026" / "2026-01-21.json").read_text(encoding="utf-8")
    assert len(markdown.parse_digest(md)) == len(json.loads(raw)["items"])  # no item swallowed or split
    assert "<" not in raw and ">" not in raw
    titles = [it["title"] for it in json.loads(raw)["items"]]
    for title in HOSTILE_TITLES:
        assert clean_line(title) in titles  # escaped in the file, exact (less control characters) after parsing
    assert "제어문자 섞인 AI 제목 역방향" in titles  # NUL, SOH, VT and the RLO are gone


def test_feeds_parse_back(published: tuple[Path, Store, Settings]) -> None:
    out, _, _ = published
    for name in ("atom.xml", "rss.xml", "stories.atom.xml", "stories.rss.xml"):
        raw = (out / "site" / name).read_bytes()
        ET.fromstring(raw)  # well-formed XML despite control characters in titles
        parsed = feedparser.parse(raw)
        assert not parsed.bozo, (name, parsed.get("bozo_exception"))
        assert parsed.entries
    daily = feedparser.parse((out / "site" / "atom.xml").read_bytes())
    assert [e.id.rsplit(":", 1)[-1] for e in daily.entries] == [str(d) for d in reversed(DAYS)]
    assert daily.feed.updated.startswith("2026-01-21T07:00")  # from the digest day, not the clock
    rss = feedparser.parse((out / "site" / "rss.xml").read_bytes())
    assert rss.version == "rss20" and len(rss.entries) == len(DAYS)
    # the raw entry HTML (before any feed reader's sanitizer) is inert on its own
    ns = {"a": "http://www.w3.org/2005/Atom", "content": "http://purl.org/rss/1.0/modules/content/"}
    bodies = [*ET.fromstring((out / "site" / "atom.xml").read_bytes()).iterfind(".//a:content", ns),
              *ET.fromstring((out / "site" / "rss.xml").read_bytes()).iterfind(".//content:encoded", ns),
              *ET.fromstring((out / "site" / "stories.rss.xml").read_bytes()).iterfind(".//content:encoded", ns)]
    assert len(bodies) > 2 * len(DAYS)
    for i, content in enumerate(bodies):
        page = out / f"entry{i}.html"
        page.write_text(content.text or "", encoding="utf-8")
        assert_inert(page)
        assert "<script" not in (content.text or "")


def test_feed_descriptions_are_escaped_html(published: tuple[Path, Store, Settings]) -> None:
    """RSS <description> and Atom <summary> are read as HTML by feed readers: web text in them is
    escaped, so a `<script>` title shows as text, never as markup."""
    out, _, _ = published
    ns = {"a": "http://www.w3.org/2005/Atom"}
    found = []
    for name, path in (("rss.xml", ".//description"), ("stories.rss.xml", ".//item/description"),
                       ("atom.xml", ".//a:summary"), ("stories.atom.xml", ".//a:summary")):
        for i, element in enumerate(ET.fromstring((out / "site" / name).read_bytes()).iterfind(path, ns)):
            page = out / f"{name}-{i}.html"
            page.write_text(element.text or "", encoding="utf-8")
            assert_inert(page)
            assert "<script" not in (element.text or "") and "<img" not in (element.text or ""), name
            found.append(" ".join(scan(page).text))
    assert any('<script>alert("t")</script>' in text for text in found)  # shown as text


def test_second_publish_is_byte_identical_and_incremental(published: tuple[Path, Store, Settings]) -> None:
    out, store, settings = published
    before = tree_bytes(out)
    result = pipeline.publish_all(store, settings, out, pipeline.PublishOptions(weekly=True))
    assert result.written == []
    assert tree_bytes(out) == before
    # a new day: its files appear, old day pages are not rewritten
    old_page = out / "site" / "days" / "2026-01-19.html"
    mtime = old_page.stat().st_mtime_ns
    from tests.support.published import add_article

    add_article(store, date(2026, 1, 22), 1)
    result = pipeline.publish_day(store, settings, date(2026, 1, 22), out)
    assert (out / "digests" / "2026" / "2026-01-22.md").is_file()
    assert out / "site" / "days" / "2026-01-22.html" in result.written
    assert old_page.stat().st_mtime_ns == mtime
    assert "2026-01-22" in (out / "site" / "index.html").read_text(encoding="utf-8")
    assert "2026/2026-01-22.md" in (out / "digests" / "README.md").read_text(encoding="utf-8")


def test_empty_archive_and_bad_json_do_not_crash(tmp_path: Path) -> None:
    settings = Settings(db=str(tmp_path / "a.db"))
    out = tmp_path / "out"
    (out / "digests" / "2026").mkdir(parents=True)
    (out / "digests" / "2026" / "2026-01-01.json").write_text("{not json", encoding="utf-8")
    (out / "digests" / "2026" / "2026-01-02.json").write_text('{"schema": "other"}', encoding="utf-8")
    result = pipeline.refresh_outputs(settings, out)
    assert (out / "site" / "index.html").is_file() and result.written
    assert "아직 발행된 다이제스트가 없습니다" in (out / "digests" / "README.md").read_text(encoding="utf-8")
    assert not feedparser.parse((out / "site" / "atom.xml").read_bytes()).bozo
    assert archive.render_index([]) .startswith("# 🤖 AI 뉴스 아카이브")
