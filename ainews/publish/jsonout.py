"""The day's digest as JSON (`digests/YYYY/YYYY-MM-DD.json`): every field, one stable schema.

This file is also the hand-off to the rest of publishing: the site, the feeds, the archive index
and the delivery messages are all built from it, read back as typed records (records.py), so other
days come from disk instead of being rebuilt from the store. The output is deterministic (no run timestamps) so a
re-run writes byte-identical files. Schema: see `SCHEMA_DOC` (and the README).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ainews.models import Article, Digest, DigestItem, Story
from ainews.publish import markdown
from ainews.publish.records import (
    SCHEMA,
    OverviewEntry,
    PublishedCounts,
    PublishedDay,
    PublishedExcluded,
    PublishedItem,
)
from ainews.sanitize import clean_value
from ainews.text.urls import clean_web_url
from ainews.urltrust import page_reference

log = logging.getLogger(__name__)

OVERVIEW_ITEMS = 5
EXCLUDED_LIMIT = 200

SCHEMA_DOC = """\
{ "schema": "ainews.digest/1", "day": "YYYY-MM-DD", "title": str,
  "overview": [ {"rank": int, "title": str, "line": str} ],        # 오늘의 요약, top stories
  "items": [ {                                                     # included, in ranked order
      "rank": int, "anchor": str (Markdown heading anchor), "id": int (store id),
      "title": str, "url": str, "canonical_url": str|null, "publisher": str|null, "host": str|null,
      "source": str|null, "reporters": [str], "subtitles": [str], "lang": str,
      "published_at": ISO-8601|null, "date_assumed": bool, "date_method": str (analyze/dates.py),
      "category": str, "category_emoji": str, "topics": [str], "companies": [str],
      "relevance": float, "is_ai": bool, "reasons": [str],
      "summary": [str], "summary_method": str, "body": str,
      "body_source": "page"|"feed", "extraction_ok": bool, "extraction_reason": str|null,
      "content_hash": str, "is_update": bool,
      "story": null | {"id", "title", "first_seen", "last_seen", "summary": [str], "member_count"},
      "others": [ {"id", "title", "url", "publisher", "host", "published_at"} ],  # other outlets
      "imported": null | {"category", "company", "source", "tags", "summary"} } ],
  "excluded": [ {"id", "title", "url", "publisher", "relevance", "reasons"} ],  # below threshold
  "counts": {"items": int, "excluded": int} }"""


def _iso(value: datetime | date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _story_dict(story: Story | None) -> dict[str, Any] | None:
    if story is None:
        return None
    return {
        "id": story.id, "title": story.title, "first_seen": _iso(story.first_seen),
        "last_seen": _iso(story.last_seen), "summary": list(story.summary),
        "member_count": len(story.member_ids),
    }


def _other_dict(a: Article) -> dict[str, Any]:
    return {"id": a.id, "title": a.title, "url": page_reference(a.url), "publisher": a.publisher, "host": a.host,
            "published_at": _iso(a.published_at)}


def item_dict(item: DigestItem, rank: int, anchor: str, emoji_for: Callable[[str], str]) -> dict[str, Any]:
    """Every field of one digest item; category/companies/tags fall back to imported metadata."""
    a, an = item.article, item.article.analysis
    imp = a.imported
    category = an.category if an else (imp.category if imp and imp.category else "일반")
    companies = list(an.companies) if an else ([imp.company] if imp and imp.company else [])
    topics = list(an.topics) if an else (list(imp.tags) if imp else [])
    summary, method = markdown.item_summary(item)
    return {
        "rank": rank, "anchor": anchor, "id": a.id, "title": a.title, "url": page_reference(a.url),
        "canonical_url": clean_web_url(a.canonical_url),
        "publisher": a.publisher or (imp.source if imp and imp.source else None),
        "host": a.host, "source": a.source, "reporters": list(a.reporters), "subtitles": list(a.subtitles),
        "lang": a.lang, "published_at": _iso(a.published_at), "date_assumed": a.date_assumed,
        "date_method": a.date_method,
        "category": category, "category_emoji": emoji_for(category), "topics": topics,
        "companies": [c for c in companies if c],
        "relevance": round(an.relevance, 4) if an else None, "is_ai": an.is_ai if an else None,
        "reasons": list(an.reasons) if an else [], "summary": list(summary), "summary_method": method,
        "body": a.body, "body_source": a.body_source, "extraction_ok": a.extraction_ok,
        "extraction_reason": a.extraction_reason,
        "content_hash": a.content_hash, "is_update": item.is_update, "story": _story_dict(item.story),
        "others": [_other_dict(o) for o in item.others],
        "imported": ({"category": imp.category, "company": imp.company, "source": imp.source,
                      "tags": list(imp.tags), "summary": list(imp.summary)} if imp else None),
    }


def _excluded_dict(item: DigestItem) -> dict[str, Any]:
    a, an = item.article, item.article.analysis
    return {"id": a.id, "title": a.title, "url": page_reference(a.url), "publisher": a.publisher,
            "relevance": round(an.relevance, 4) if an else None, "reasons": list(an.reasons) if an else []}


def digest_to_day(digest: Digest, emoji_for: Callable[[str], str] | None = None) -> PublishedDay:
    """The published record for one day (see SCHEMA_DOC). Items pass through their JSON form so
    `clean_value` cleans every string from the web exactly as the file will hold it."""
    emoji_for = emoji_for or (lambda _name: markdown.DEFAULT_EMOJI)
    anchors = markdown.digest_anchors(digest.items)
    items = [PublishedItem.from_json(clean_value(item_dict(it, i, anc, emoji_for)))
             for i, (it, anc) in enumerate(zip(digest.items, anchors, strict=True), 1)]
    return PublishedDay(
        schema=SCHEMA, day=digest.day.isoformat(), title=f"🤖 AI 뉴스 - {markdown.korean_date(digest.day)}",
        overview=[OverviewEntry(it.rank, it.title, markdown.one_line(it)) for it in items[:OVERVIEW_ITEMS]],
        items=items,
        excluded=[PublishedExcluded.from_json(_excluded_dict(it)) for it in digest.excluded[:EXCLUDED_LIMIT]],
        counts=PublishedCounts(items=len(digest.items), excluded=len(digest.excluded)),
    )


def dumps(data: dict[str, Any]) -> str:
    """Pretty, stable JSON; `<`, `>` and `&` as \\u escapes so the text is inert even inside HTML."""
    text = json.dumps(data, ensure_ascii=False, indent=1)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026") + "\n"


def day_json_path(digests_dir: Path, day: date) -> Path:
    return digests_dir / f"{day.year:04d}" / f"{day.isoformat()}.json"


def day_md_path(digests_dir: Path, day: date) -> Path:
    return digests_dir / f"{day.year:04d}" / f"{day.isoformat()}.md"


def load_day(path: Path) -> PublishedDay | None:
    """A day's JSON read back; a damaged or foreign file is logged and skipped, never fatal."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        log.warning("%s: unreadable digest JSON (%s), skipped", path, exc)
        return None
    if not isinstance(data, dict) or data.get("schema") != SCHEMA or not isinstance(data.get("items"), list):
        log.warning("%s: not an %s document, skipped", path, SCHEMA)
        return None
    try:
        date.fromisoformat(str(data.get("day")))
    except ValueError:
        log.warning("%s: bad 'day', skipped", path)
        return None
    return PublishedDay.from_json(data)


# --- the published days, read back cheaply ----------------------------------------------------------

class DayDoc:
    """One published day: its light form always, the full document parsed only when asked for."""

    def __init__(self, path: Path, sha: str, light: PublishedDay, full: PublishedDay | None = None,
                 light_json: dict[str, Any] | None = None) -> None:
        self.path, self.sha, self.lite = path, sha, light
        self.day: str = light.day
        self._full = full
        self.light_json = light_json if light_json is not None else light.to_json(lite=True)  # for the cache

    def full(self) -> PublishedDay:
        if self._full is None:
            self._full = load_day(self.path) or replace(self.lite, items=[])
        return self._full


def load_day_docs(digests_dir: Path, cache_file: Path | None = None) -> list[DayDoc]:
    """Every published day, oldest first. With `cache_file`, days whose JSON bytes did not change
    since the last call are not parsed again (the light forms are kept there, keyed by hash)."""
    import hashlib

    cache: dict[str, Any] = {}
    if cache_file is not None and cache_file.is_file():
        try:
            cache = json.loads(cache_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            cache = {}
    docs: list[DayDoc] = []
    pattern = "[0-9][0-9][0-9][0-9]/[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9].json"
    for path in sorted(digests_dir.glob(pattern), key=str):
        try:
            raw = path.read_bytes()
        except OSError:
            continue
        sha = hashlib.sha1(raw).hexdigest()
        hit = cache.get(path.stem)
        if isinstance(hit, dict) and hit.get("sha") == sha and isinstance(hit.get("lite"), dict):
            docs.append(DayDoc(path, sha, PublishedDay.from_json(hit["lite"]), light_json=hit["lite"]))
            continue
        data = load_day(path)
        if data is not None:
            docs.append(DayDoc(path, sha, data.lite(), data))
    docs.sort(key=lambda d: d.day)
    if cache_file is not None:
        fresh = {d.path.stem: {"sha": d.sha, "lite": d.light_json} for d in docs}
        if fresh != cache:
            cache_file.parent.mkdir(parents=True, exist_ok=True)
            cache_file.write_text(json.dumps(fresh, ensure_ascii=False, sort_keys=True), encoding="utf-8")
    return docs
