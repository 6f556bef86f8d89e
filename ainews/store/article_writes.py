"""Articles written with Core statements, many per transaction: the store side of collection.

Collection stores thousands of articles a run, and an ORM object, flush and commit per article
cost about a millisecond each of the collecting process's CPU. Here an article is one keyed
SELECT and one INSERT (or UPDATE) on the caller's connection, its seen keys a bulk lookup and an
executemany, and a caller may put many articles in one transaction (`Store.store_articles`). The
rules are those of `Store.upsert_article` (which uses this module too): one row per key, a portal
copy never replaces the outlet's own text, a changed page is updated and analyzed again.
A crash before the commit loses the group and nothing else: none of it was reported stored.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.engine import Connection

from ainews.models import KST, Analysis, Article
from ainews.sanitize import sanitize_article
from ainews.store.schema import ArticleRow, SeenEntryRow
from ainews.text.urls import clean_web_url
from ainews.urltrust import is_repost, page_reference

log = logging.getLogger("ainews.store.db")
ARTICLES = ArticleRow.__table__
SEEN = SeenEntryRow.__table__
CHUNK = 500  # keys per IN (...) lookup
# built once: statements with bound parameters compile once and hit SQLAlchemy's cache every time
_FIND = select(ARTICLES.c.id, ARTICLES.c.url, ARTICLES.c.canonical_url, ARTICLES.c.content_hash,
               ARTICLES.c.date_assumed).where(ARTICLES.c.key == bindparam("find_key"))
_INSERT = insert(ARTICLES)
_UPDATE = update(ARTICLES).where(ARTICLES.c.id == bindparam("row_id"))


@dataclass(slots=True)
class ArticleWrite:
    """One article to store and the seen-table keys (GUID, URLs) that lead to it."""

    article: Article
    seen_keys: list[str] = field(default_factory=list)
    source: str = ""


def utc_naive(value: datetime | None) -> datetime | None:
    """UTC without tzinfo, as the store keeps times; a naive value is read as KST."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=KST)
    return value.astimezone(UTC).replace(tzinfo=None)


def web_urls_only(a: Article) -> Article:
    """Defence in depth at the store boundary: only http(s) URLs are stored. A bad canonical is
    dropped; a `url` with another scheme or with CR/LF inside is blanked (a local file path stays)."""
    canonical, url = clean_web_url(a.canonical_url), page_reference(a.url)
    if canonical == a.canonical_url and url == a.url:
        return a
    log.warning("dropping non-http(s) URL(s) of article %r: %r %r", a.title[:80], (a.url or "")[:80],
                (a.canonical_url or "")[:80])
    return replace(a, canonical_url=canonical, url=url)


def article_values(a: Article) -> dict:
    """The article's columns (and its analysis's, when it has one)."""
    values = {
        "url": a.url, "canonical_url": a.canonical_url, "title": a.title, "subtitles": list(a.subtitles),
        "body": a.body, "publisher": a.publisher, "reporters": list(a.reporters),
        "published_at": utc_naive(a.published_at), "day": a.day, "date_assumed": a.date_assumed,
        "date_method": a.date_method or None, "host": a.host, "lang": a.lang, "content_hash": a.content_hash,
        "extraction_ok": a.extraction_ok, "extraction_reason": a.extraction_reason, "source": a.source,
        "body_source": a.body_source, "imported": asdict(a.imported) if a.imported else None,
    }
    if a.analysis is not None:
        values |= analysis_values(a.analysis)
    return values


def analysis_values(an: Analysis) -> dict:
    return {
        "analysis_version": an.version, "relevance": an.relevance, "is_ai": an.is_ai, "reasons": list(an.reasons),
        "category": an.category, "topics": list(an.topics), "companies": list(an.companies),
        "story_id": an.story_id, "duplicate_of": an.duplicate_of, "summary": list(an.summary),
        "summary_method": an.summary_method,
    }


def write_articles(conn: Connection, writes: list[ArticleWrite]) -> list[tuple[int, bool]]:
    """Store each article once per key and mark its seen keys, in the caller's transaction.
    Returns (article id, created) per write, in order."""
    now = datetime.now(UTC).replace(tzinfo=None)
    results = [_upsert(conn, w.article, now) for w in writes]
    seen = {}
    for write, (article_id, _created) in zip(writes, results, strict=True):
        own = write.article.key
        for key in write.seen_keys:
            if key != own:  # find_article_id finds an article under its own key: no seen row needed
                seen.setdefault(key, {"key": key, "source": write.source, "article_id": article_id,
                                      "first_seen": now})
    known = _existing(conn, SEEN.c.key, seen)
    if rows := [row for key, row in seen.items() if key not in known]:
        conn.execute(insert(SEEN), rows)  # executemany
    return results


def known_keys(conn: Connection, keys: Iterable[str]) -> set[str]:
    """Those of `keys` already handled: an article stored under the key, or a seen row for it."""
    keys = list(dict.fromkeys(keys))
    return _existing(conn, ARTICLES.c.key, keys) | _existing(conn, SEEN.c.key, keys)


def _existing(conn: Connection, column: object, keys: Iterable[str]) -> set[str]:
    keys = list(keys)
    found: set[str] = set()
    for start in range(0, len(keys), CHUNK):
        found.update(conn.scalars(select(column).where(column.in_(keys[start:start + CHUNK]))))  # type: ignore[attr-defined]
    return found


def _upsert(conn: Connection, article: Article, now: datetime) -> tuple[int, bool]:
    sanitize_article(article)  # no control/bidi characters or 500k-character titles in any output
    article = web_urls_only(article)
    key = article.key
    row = conn.execute(_FIND, {"find_key": key}).first()
    if row is None:
        values = article_values(article) | {"key": key, "created_at": now, "updated_at": now}
        return conn.execute(_INSERT, values).inserted_primary_key[0], True
    if is_repost(article.url, article.canonical_url) and not is_repost(row.url, row.canonical_url):
        return row.id, False  # a portal copy never replaces the outlet's own text
    if row.content_hash != article.content_hash or (
        article.published_at and not article.date_assumed and row.date_assumed
    ):
        values = article_values(article) | {"updated_at": now, "analysis_version": None}
        conn.execute(_UPDATE, values | {"row_id": row.id})
    return row.id, False
