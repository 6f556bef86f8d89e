"""`ainews sources check`: per source, fetch its index and its newest article, extract the article
the way collect does, and say what worked. This is how a user learns that a site changed its layout.

A dry check: no article is stored and no feed item is marked seen; only the source's health row is
updated with the index result (it is the same fact a collect run would record).
"""

from __future__ import annotations

import asyncio
from dataclasses import asdict, dataclass
from typing import Any

from ainews.collect.feeds import parse_feed
from ainews.collect.http import Fetcher, FetchError
from ainews.collect.links import links_from_list, parse_sitemap
from ainews.collect.sources import Source
from ainews.config import Settings
from ainews.models import FeedEntry, RawPage
from ainews.store.db import Store


@dataclass(slots=True)
class CheckResult:
    """What one source's check found; `problem` is None when feed and newest article are fine."""

    name: str
    url: str
    feed_ok: bool = False
    feed_error: str | None = None
    items: int = 0
    newest_url: str | None = None
    newest_date: str | None = None  # as the feed gives it (ISO)
    extraction_ok: bool = False
    extraction_reason: str | None = None
    title: str | None = None
    body_chars: int = 0
    date_found: str | None = None  # on the article page itself (ISO), not taken from the feed
    publisher: str | None = None
    extractor: str | None = None  # "rule:<site>", "json:<site>", "trafilatura", "text" …

    @property
    def problem(self) -> str | None:
        if not self.feed_ok:
            return f"feed: {self.feed_error}"
        if not self.newest_url:
            return "feed lists no items"
        if not self.extraction_ok:
            return f"article: {self.extraction_reason}"
        return None

    @property
    def ok(self) -> bool:
        return self.problem is None

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), "ok": self.ok, "problem": self.problem}


async def check_sources(settings: Settings, store: Store | None, sources: list[Source], *,
                        allow_private: bool = False) -> list[CheckResult]:
    """Check every source given (in order), concurrently under the fetcher's politeness limits."""
    async with Fetcher(settings, allow_private=allow_private) as fetcher:
        results = await asyncio.gather(*(_check(fetcher, source) for source in sources))
    if store is not None:
        for source, result in zip(sources, results, strict=True):
            error = None if result.feed_ok else result.feed_error
            store.record_source_result(source.name, source.url, error, result.items)
    return list(results)


async def _check(fetcher: Fetcher, source: Source) -> CheckResult:
    result = CheckResult(name=source.name, url=source.url)
    try:
        entries = await _index(fetcher, source, result)
    except FetchError as exc:
        result.feed_error = exc.reason
        return result
    result.items = len(entries)
    newest = newest_entry(entries)
    if newest is None:
        return result
    result.newest_url = newest.url
    result.newest_date = newest.published_at.isoformat() if newest.published_at else None
    await _check_article(fetcher, source, newest, result)
    return result


async def _index(fetcher: Fetcher, source: Source, result: CheckResult) -> list[FeedEntry]:
    """The source's items; sets feed_ok / feed_error. Raises FetchError when unreachable."""
    page = (await fetcher.fetch(source.url)).page
    assert page is not None
    error: str | None
    if source.kind == "feed":
        parsed = parse_feed(page.content, page.content_type, source=source.name, base_url=page.url)
        entries, error = parsed.entries, parsed.error
    elif source.kind == "list":
        entries = links_from_list(page, source.link_selector or "a[href]", source.name)
        error = None if entries else f"no links match link_selector '{source.link_selector}'"
    else:
        sitemap = parse_sitemap(page, source.name)
        entries, error = sitemap.entries, sitemap.error
        if not entries and sitemap.children and not error:
            error = "sitemap index: check one of its child sitemaps as the source"
    result.feed_ok, result.feed_error = error is None, error
    return entries


def newest_entry(entries: list[FeedEntry]) -> FeedEntry | None:
    """The item with the latest date, else the first listed (feeds list newest first)."""
    dated = [e for e in entries if e.published_at is not None]
    if dated:
        return max(dated, key=lambda e: e.published_at)  # type: ignore[arg-type, return-value]
    return entries[0] if entries else None


async def _check_article(fetcher: Fetcher, source: Source, entry: FeedEntry, result: CheckResult) -> None:
    """Fetch and extract without the feed's hints, so a date or title found is the page's own."""
    from ainews.extract import extract

    try:
        page = (await fetcher.fetch(entry.url)).page
    except FetchError as exc:
        result.extraction_reason = f"not fetched ({exc.reason})"
        return
    assert page is not None
    article = await asyncio.to_thread(extract, RawPage(url=page.url, content=page.content,
                                                       content_type=page.content_type, source=source.name,
                                                       truncated=page.truncated))
    result.extraction_ok = article.extraction_ok
    result.extraction_reason = article.extraction_reason
    result.title = article.title or None
    result.body_chars = len(article.body)
    result.date_found = article.published_at.isoformat() if article.published_at else None
    result.publisher = article.publisher
    result.extractor = article.extractor or None
