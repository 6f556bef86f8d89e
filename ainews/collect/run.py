"""One collection run: every enabled source → candidate URLs → new articles fetched, extracted, stored.

Incremental: an item already handled (seen GUID or normalized URL, or an article stored under that
URL) is not fetched again, and a source whose index answers 304 costs one request. A failed
article fetch is reported and not marked seen, so it is retried next run; the index's validators
are saved only when everything it listed was handled, so a 304 never hides a failed item.
A broken source never stops the run: it is reported and recorded in the store's source health.

Progress: `progress(event, **fields)` is called, if given, with
  "sources"  total=N                      once, N enabled sources
  "source"   source=name, ok=bool, error=...  a source is finished (advance the sources bar by 1)
  "articles" total=k                      k more article pages will be fetched (grow the total)
  "article"  url=..., ok=bool             one article page handled (advance the articles bar by 1)
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from ainews.collect.batching import WriteBatcher
from ainews.collect.extracting import Extractor
from ainews.collect.feeds import parse_feed
from ainews.collect.http import Fetcher, FetchError, FetchResult, Pacer, RobotsDisallowed
from ainews.collect.links import links_from_list, parse_sitemap
from ainews.collect.sources import Source
from ainews.collect.templates import refresh_quietly
from ainews.config import Settings
from ainews.extract.feedtext import article_from_feed, with_feed_body
from ainews.models import Article, FeedEntry, RawPage, Validators
from ainews.store.article_writes import ArticleWrite
from ainews.store.db import Store
from ainews.store.robots_copies import StoredRobotsCopies
from ainews.text.urls import normalize_url

log = logging.getLogger("ainews.collect")

Progress = Callable[..., None]
Save = Callable[[ArticleWrite], Awaitable[tuple[int, bool]]]  # stores one article: (id, created)
MAX_CHILD_SITEMAPS = 3  # of a sitemap index, newest first


@dataclass
class CollectReport:
    """What a run did; `to_json()` is the `ainews collect --json` summary."""

    sources_ok: int = 0
    sources_failed: int = 0
    requests: int = 0
    articles_new: int = 0
    articles_seen: int = 0
    errors: list[dict[str, str]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "sources_ok": self.sources_ok, "sources_failed": self.sources_failed,
            "requests": self.requests, "articles_new": self.articles_new,
            "articles_seen": self.articles_seen, "errors": list(self.errors),
        }

    @property
    def exit_code(self) -> int:
        """0 when at least one source worked (or none was enabled), 1 when every source failed."""
        return 1 if self.sources_failed and not self.sources_ok else 0

    def summary(self) -> str:
        return (f"{self.sources_ok} source(s) ok, {self.sources_failed} failed, {self.articles_new} new "
                f"article(s), {self.articles_seen} already seen, {self.requests} request(s), "
                f"{len(self.errors)} error(s)")


@dataclass
class _Index:
    """What a source's index (feed, list page or sitemap) gave: candidates and its own problems."""

    entries: list[FeedEntry] = field(default_factory=list)
    results: list[tuple[str, FetchResult]] = field(default_factory=list)  # for validators
    error: str | None = None
    unchanged: bool = False


class _Run:
    """State shared by the sources of one run (report, claimed URLs, extraction worker)."""

    def __init__(self, settings: Settings, store: Store, fetcher: Fetcher, progress: Progress | None) -> None:
        self.settings = settings
        self.store = store
        self.fetcher = fetcher
        self._progress = progress
        self.report = CollectReport()
        self.claimed: set[str] = set()
        self.extractor = Extractor(timeout=settings.extract_timeout)
        # Store reads/writes per article cost milliseconds each: one thread does them in order,
        # so the event loop keeps fetching (SQLite releases the GIL while it works).
        self.db = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ainews-store")
        self.writes = WriteBatcher(store, self.in_db)  # articles finishing together share a transaction
        self.health = {row["name"]: row for row in store.source_health()}
        self.defer: Defer | None = None

    async def in_db(self, fn: Callable[..., Any], *args: Any) -> Any:
        return await asyncio.get_running_loop().run_in_executor(self.db, fn, *args)

    def progress(self, event: str, **fields: Any) -> None:
        """Tell the caller's callback; a failing callback is logged, never stops the run."""
        if self._progress is None:
            return
        try:
            self._progress(event, **fields)
        except Exception:  # noqa: BLE001 - display code must not break collection
            log.exception("progress callback failed on %s", event)
            self._progress = None

    def error(self, source: Source, url: str, message: str) -> None:
        self.report.errors.append({"source": source.name, "url": url, "error": message})
        log.warning("%s: %s", source.name, message)


def entry_keys(entry: FeedEntry) -> list[str]:
    """Seen-table keys of a feed item: its normalized URL and its GUID unless that is the same URL."""
    keys = ["url:" + normalize_url(entry.url)]
    guid = (entry.guid or "").strip()
    if guid and not (guid.startswith(("http://", "https://")) and normalize_url(guid) == keys[0][4:]):
        keys.append("guid:" + guid)
    return keys


Defer = Callable[[Source, list[FeedEntry]], Any]  # async: hand a source's new entries to queued workers


async def collect(settings: Settings, store: Store, sources: list[Source], *, allow_private: bool = False,
                  progress: Progress | None = None, pacer: Pacer | None = None,
                  defer: Defer | None = None) -> CollectReport:
    """Fetch every enabled source and store its new articles; see the module doc for progress events.

    With `defer`, the new entries of each source are handed to it (the task queue) instead of
    being fetched here; `pacer` shares per-host turns with other workers.
    """
    enabled = [s for s in sources if s.enabled]
    async with Fetcher(settings, robots_copies=StoredRobotsCopies(store), allow_private=allow_private,
                       pacer=pacer) as fetcher:
        run = _Run(settings, store, fetcher, progress)
        run.defer = defer
        if enabled and defer is None:
            run.extractor.start()  # before any thread of ours exists: workers are forked
        run.progress("sources", total=len(enabled))
        try:
            await asyncio.gather(*(_collect_source(run, source) for source in enabled))
        finally:
            run.extractor.close()
            run.db.shutdown(wait=True)
        run.report.requests = fetcher.requests
    if defer is None:  # queued runs learn once, in finish_day, not once per polled source
        refresh_quietly(store, settings.templates)  # learned site templates: clean what was just stored
    return run.report


async def _collect_source(run: _Run, source: Source) -> None:
    """One source from index to stored articles; whatever goes wrong ends up in the report."""
    try:
        error, items = await _source_body(run, source)
    except FetchError as exc:
        error, items = exc.reason, 0
    except Exception as exc:  # noqa: BLE001 - a bug on one source's content must not stop the run
        log.exception("unexpected error on source %s", source.name)
        error, items = f"internal error: {type(exc).__name__}: {exc}", 0
    _finish_source(run, source, error, items)


async def _source_body(run: _Run, source: Source) -> tuple[str | None, int]:
    """(index error or None, items listed). Raises FetchError when the index cannot be fetched."""
    index = await _read_index(run, source)
    if index.unchanged:
        return None, (run.health.get(source.name) or {}).get("items_found") or 0
    known = await run.in_db(_known_flags, run.store, index.entries)
    new, capped = _select_new(run, source, index.entries, known)
    run.progress("articles", total=len(new))
    if run.defer is not None:
        await run.defer(source, new)
        outcomes = [True]
    else:
        outcomes = await asyncio.gather(*(_collect_article(run, source, entry) for entry in new))
    complete = all(outcomes) and not capped and not index.error
    for url, result in index.results:
        await run.in_db(remember_validators, run.store, url, result if complete else None)
    return index.error, len(index.entries)


def _finish_source(run: _Run, source: Source, error: str | None, items: int) -> None:
    if error:
        run.report.sources_failed += 1
        run.error(source, source.url, error)
    else:
        run.report.sources_ok += 1
    run.store.record_source_result(source.name, source.url, error, items)
    run.progress("source", source=source.name, ok=error is None, error=error)


async def _read_index(run: _Run, source: Source) -> _Index:
    """Fetch and parse a source's index; FetchError when the index itself could not be fetched."""
    etag, modified = await run.in_db(run.store.get_validators, source.url)
    result = await run.fetcher.fetch(source.url, Validators(etag, modified) if etag or modified else None)
    if result.not_modified:
        return _Index(unchanged=True)
    page = result.page
    assert page is not None
    index = _Index(results=[(source.url, result)])
    if source.kind == "feed":
        parsed = parse_feed(page.content, page.content_type, source=source.name, base_url=page.url)
        index.entries, index.error = parsed.entries, parsed.error
    elif source.kind == "list":
        index.entries = links_from_list(page, source.link_selector or "a[href]", source.name)
        if not index.entries:
            index.error = f"no links match link_selector '{source.link_selector}'"
    else:
        await _read_sitemap(run, source, page, index)
    if page.truncated:
        index.error = index.error or f"index cut at {run.settings.http.max_bytes} bytes"
    return index


async def _read_sitemap(run: _Run, source: Source, page: RawPage, index: _Index) -> None:
    parsed = parse_sitemap(page, source.name)
    index.entries, index.error = parsed.entries, parsed.error
    for child in parsed.children[:MAX_CHILD_SITEMAPS]:
        try:
            child_page = (await run.fetcher.fetch(child)).page
        except FetchError as exc:
            index.error = index.error or str(exc)
            continue
        if child_page is not None:
            sub = parse_sitemap(child_page, source.name)
            index.entries.extend(sub.entries)
            index.error = index.error or sub.error


def remember_validators(store: Store, url: str, result: FetchResult | None) -> None:
    """Keep a complete 200's validators for the next conditional GET; with None, forget the URL's.

    Saved only after everything the response led to succeeded, so a run that failed halfway gets
    the full response again next time instead of a 304.
    """
    if result is None:
        store.save_validators(url, None, None, 0)
    elif (validators := result.to_remember) is not None:
        store.save_validators(url, validators.etag, validators.last_modified, result.status)


def _known_flags(store: Store, entries: list[FeedEntry]) -> list[bool]:
    """Per entry: handled in an earlier run (an article stored under this URL, or a seen GUID/URL)."""
    keyed = [entry_keys(entry) for entry in entries]
    known = store.known_keys(key for keys in keyed for key in keys)  # two queries for the whole index
    return [any(key in known for key in keys) for keys in keyed]


def _select_new(run: _Run, source: Source, entries: list[FeedEntry],
                known: list[bool]) -> tuple[list[FeedEntry], bool]:
    """New entries to fetch, claimed for this source, at most `max_items`; and whether some were cut."""
    chosen: list[FeedEntry] = []
    capped = False
    for entry, seen_before in zip(entries, known, strict=True):
        keys = entry_keys(entry)
        if seen_before or any(k in run.claimed for k in keys):
            run.report.articles_seen += 1
            continue
        if len(chosen) >= source.max_items:
            capped = True
            continue
        run.claimed.update(keys)
        chosen.append(entry)
    return chosen, capped


async def _collect_article(run: _Run, source: Source, entry: FeedEntry) -> bool:
    """Fetch, extract, store one article. True when handled (stored, or skipped by robots.txt)."""
    ok = True
    try:
        created = await fetch_and_store(run.fetcher, run.extractor, run.store, source.name, entry, run.writes.write)
        if created:
            run.report.articles_new += 1
        else:
            run.report.articles_seen += 1
    except RobotsDisallowed as exc:
        run.error(source, entry.url, f"skipped: {exc.reason}")
    except FetchError as exc:
        ok = False
        run.error(source, entry.url, exc.reason)
    except Exception as exc:  # noqa: BLE001 - one bad page must not stop the run
        ok = False
        log.exception("unexpected error on %s", entry.url)
        run.error(source, entry.url, f"internal error: {type(exc).__name__}: {exc}")
    run.progress("article", url=entry.url, ok=ok)
    return ok


async def fetch_and_store(fetcher: Fetcher, extractor: Extractor, store: Store, source: str, entry: FeedEntry,
                          save: Save | None = None) -> bool:
    """The one path from a feed item to a stored article (`collect`, `run` and the queue's workers).

    A page that holds no article, or that the server refuses (401/402/403/451), is stored with the
    feed item's text when the feed carries the whole article (body_source "feed"). Returns True when
    the article is new; raises FetchError (RobotsDisallowed) when there is nothing to store.
    `save` stores it off the event loop (default: its own transaction in a thread).
    """
    try:
        result = await fetcher.fetch(entry.url)
    except RobotsDisallowed:
        raise
    except FetchError as exc:
        fallback = article_from_feed(entry, exc.reason)
        if fallback is None:
            raise
        return await _save(store, article_write(fallback, entry.url, source, entry), save)
    page = result.page
    assert page is not None
    page.source, page.entry = source, entry
    article = with_feed_body(await extractor.extract(page), entry)
    return await _save(store, article_write(article, page.url, source, entry), save)


async def _save(store: Store, write: ArticleWrite, save: Save | None) -> bool:
    if save is None:
        return (await asyncio.to_thread(store.store_articles, [write]))[0][1]
    return (await save(write))[1]


def article_write(article: Article, page_url: str, source: str, entry: FeedEntry) -> ArticleWrite:
    """The article with the keys that lead to it: its feed item's GUID and URL, and the URL it was
    fetched from (a redirect's target). A key equal to the article's own needs no seen row."""
    article.source = article.source or source
    if article.published_at is not None and not article.date_method:  # how the day was settled (analyze/dates.py)
        article.date_method = "feed" if article.published_at == entry.published_at else "page"
    keys = [*entry_keys(entry), "url:" + normalize_url(page_url)]
    return ArticleWrite(article, list(dict.fromkeys(keys)), source)

