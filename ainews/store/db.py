"""The store: the only module that talks to the database. Stages hand it models, get models back."""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import logging
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import create_engine, event, func, inspect, select, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from ainews.errors import UserError
from ainews.models import KST, Analysis, Article, Imported, Story
from ainews.store import changes
from ainews.store.article_writes import (
    ArticleWrite,
    analysis_values,
    known_keys,
    utc_naive,
    write_articles,
)
from ainews.store.schema import (
    ArticleRow,
    DeliveryRow,
    FetchCacheRow,
    LlmCacheRow,
    SeenEntryRow,
    SourceHealthRow,
    StoryRow,
)


def to_kst(value: datetime | None) -> datetime | None:
    return value.replace(tzinfo=UTC).astimezone(KST) if value is not None else None


def _utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


log = logging.getLogger(__name__)
MIGRATIONS = Path(__file__).parent / "migrations"


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest Alembic revision (same migrations for SQLite and PostgreSQL).

    A database made before migrations existed (tables, no version row) is stamped, not rebuilt.
    """
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        tables = set(inspect(conn).get_table_names())
        if "articles" in tables and "alembic_version" not in tables:
            command.stamp(config, "head")
        else:
            command.upgrade(config, "head")


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # noqa: ANN001 - DB-API connection
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


# flock belongs to the open file, which a forked child (e.g. an extraction worker) shares: a child
# outliving its parent would keep the lock. Children close their copies at once; the parent's holds.
_HELD_LOCK_FDS: set[int] = set()


def _close_inherited_locks() -> None:
    for fd in list(_HELD_LOCK_FDS):
        with contextlib.suppress(OSError):
            os.close(fd)
    _HELD_LOCK_FDS.clear()


os.register_at_fork(after_in_child=_close_inherited_locks)


class RunLocked(UserError):
    """Another run holds the lock on this store."""


class Store:
    """Articles, stories and bookkeeping in one SQLAlchemy database (SQLite file by default)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine: Engine = create_engine(url, future=True)
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        with self.exclusive("migrate", wait=True):
            migrate(self.engine)
        changes.track(self.engine)  # the change fingerprint caches key on (store/changes.py)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        with self._sessions.begin() as session:
            yield session

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def exclusive(self, name: str = "run", wait: bool = False) -> Iterator[None]:
        """Keep two runs on one database from interleaving: a lock file beside a SQLite file,
        an advisory lock on PostgreSQL. Both vanish with the process, so a killed run never
        leaves a stale lock behind. Raises RunLocked when someone else holds it."""
        if self.engine.dialect.name == "postgresql":
            key = int(hashlib.sha256(name.encode()).hexdigest()[:15], 16)
            with self.engine.connect() as conn:
                if wait:
                    conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": key})
                elif not conn.scalar(text("SELECT pg_try_advisory_lock(:k)"), {"k": key}):
                    raise RunLocked(f"another '{name}' is running on this database")
                try:
                    yield
                finally:
                    conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": key})
            return
        path = self._lock_path(name)
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
            except BlockingIOError:
                raise RunLocked(f"another '{name}' is running on this database ({path})") from None
            _HELD_LOCK_FDS.add(fd)
            yield
        finally:
            _HELD_LOCK_FDS.discard(fd)
            os.close(fd)

    def _lock_path(self, name: str) -> Path:
        database = self.engine.url.database
        if database and database != ":memory:":
            return Path(f"{database}.{name}.lock")
        digest = hashlib.sha256(str(self.engine.url).encode()).hexdigest()[:16]
        return Path("/tmp") / f"ainews-{digest}.{name}.lock"

    # --- articles -------------------------------------------------------------------------

    def upsert_article(self, article: Article) -> tuple[int, bool]:
        """Store an article once per key. Returns (id, created). A changed page updates the row
        and clears its analysis so it is analyzed again; an unchanged one is left alone."""
        return self.store_articles([ArticleWrite(article)])[0]

    def store_articles(self, writes: list[ArticleWrite]) -> list[tuple[int, bool]]:
        """Several articles and their seen keys in one transaction (store/article_writes.py)."""
        with self.engine.begin() as conn:  # no ORM session: Core statements only
            return write_articles(conn, writes)

    def known_keys(self, keys: Iterable[str]) -> set[str]:
        """Those of `keys` handled before: an article stored under the key, or a seen row for it."""
        with self.engine.connect() as conn:
            return known_keys(conn, keys)

    def get_article(self, article_id: int) -> Article | None:
        with self.session() as s:
            row = s.get(ArticleRow, article_id)
            return _row_to_article(row) if row else None

    def get_articles(self, ids: Iterable[int]) -> list[Article]:
        ids = list(ids)
        if not ids:
            return []
        with self.session() as s:
            rows = s.scalars(select(ArticleRow).where(ArticleRow.id.in_(ids))).all()
            by_id = {r.id: _row_to_article(r) for r in rows}
        return [by_id[i] for i in ids if i in by_id]

    def find_article_id(self, key: str) -> int | None:
        with self.session() as s:
            return s.scalar(select(ArticleRow.id).where(ArticleRow.key == key))

    def articles_for_day(self, day: date) -> list[Article]:
        with self.session() as s:
            rows = s.scalars(select(ArticleRow).where(ArticleRow.day == day).order_by(ArticleRow.id))
            return [_row_to_article(r) for r in rows]

    def articles_between(self, start: date, end: date) -> list[Article]:
        """Articles whose KST day is in [start, end]."""
        with self.session() as s:
            rows = s.scalars(
                select(ArticleRow)
                .where(ArticleRow.day >= start, ArticleRow.day <= end)
                .order_by(ArticleRow.id)
            )
            return [_row_to_article(r) for r in rows]

    def story_ids_between(self, start: date, end: date) -> set[str]:
        """Story ids of the articles whose KST day is in [start, end] (no article is loaded)."""
        with self.session() as s:
            rows = s.scalars(select(ArticleRow.story_id).distinct().where(
                ArticleRow.day >= start, ArticleRow.day <= end, ArticleRow.story_id.is_not(None)))
            return set(rows)

    def articles_needing_analysis(self, version: str) -> list[Article]:
        with self.session() as s:
            rows = s.scalars(
                select(ArticleRow)
                .where((ArticleRow.analysis_version.is_(None)) | (ArticleRow.analysis_version != version))
                .order_by(ArticleRow.id)
            )
            return [_row_to_article(r) for r in rows]

    def iter_articles(self, batch: int = 500) -> Iterator[Article]:
        last = 0
        while True:
            with self.session() as s:
                rows = s.scalars(
                    select(ArticleRow).where(ArticleRow.id > last).order_by(ArticleRow.id).limit(batch)
                ).all()
                articles = [_row_to_article(r) for r in rows]
            if not articles:
                return
            yield from articles
            last = articles[-1].id or last

    def days(self) -> list[date]:
        """Every KST day that has articles, oldest first."""
        with self.session() as s:
            return [d for d in s.scalars(select(ArticleRow.day).distinct().order_by(ArticleRow.day)) if d]

    def count_articles(self) -> int:
        with self.session() as s:
            return s.scalar(select(func.count(ArticleRow.id))) or 0

    def save_analysis(self, article_id: int, analysis: Analysis) -> None:
        with self.session() as s:
            row = s.get(ArticleRow, article_id)
            if row is None:
                raise KeyError(article_id)
            _fill_analysis(row, analysis)

    # --- stories --------------------------------------------------------------------------

    def save_story(self, story: Story) -> None:
        with self.session() as s:
            row = s.get(StoryRow, story.id) or StoryRow(id=story.id)
            row.title = story.title
            row.representative_id = story.representative_id
            row.member_ids = list(story.member_ids)
            row.first_seen = utc_naive(story.first_seen)
            row.last_seen = utc_naive(story.last_seen)
            row.summary = list(story.summary)
            s.merge(row)

    def get_story(self, story_id: str) -> Story | None:
        with self.session() as s:
            row = s.get(StoryRow, story_id)
            return _row_to_story(row) if row else None

    def stories(self) -> list[Story]:
        with self.session() as s:
            return [_row_to_story(r) for r in s.scalars(select(StoryRow).order_by(StoryRow.first_seen))]

    # --- collection bookkeeping -----------------------------------------------------------

    def get_validators(self, url: str) -> tuple[str | None, str | None]:
        with self.session() as s:
            row = s.get(FetchCacheRow, url)
            return (row.etag, row.last_modified) if row else (None, None)

    def save_validators(self, url: str, etag: str | None, last_modified: str | None, status: int) -> None:
        with self.session() as s:
            s.merge(FetchCacheRow(url=url, etag=etag, last_modified=last_modified, status=status,
                                  fetched_at=_utcnow()))

    def is_seen(self, key: str) -> bool:
        with self.session() as s:
            return s.get(SeenEntryRow, key) is not None

    def mark_seen(self, key: str, source: str, article_id: int | None) -> None:
        with self.session() as s:
            if s.get(SeenEntryRow, key) is None:
                s.add(SeenEntryRow(key=key, source=source, article_id=article_id, first_seen=_utcnow()))

    def record_source_result(self, name: str, url: str, error: str | None, items: int = 0) -> None:
        with self.session() as s:
            row = s.get(SourceHealthRow, name) or SourceHealthRow(name=name, consecutive_failures=0,
                                                                  items_found=0)
            row.url = url
            if error:
                row.last_error, row.last_error_at = error, _utcnow()
                row.consecutive_failures = (row.consecutive_failures or 0) + 1
            else:
                row.last_success, row.consecutive_failures = _utcnow(), 0
                row.items_found = items
            s.merge(row)

    def source_health(self) -> list[dict]:
        with self.session() as s:
            rows = s.scalars(select(SourceHealthRow).order_by(SourceHealthRow.name))
            return [
                {
                    "name": r.name, "url": r.url, "last_success": to_kst(r.last_success),
                    "last_error": r.last_error, "last_error_at": to_kst(r.last_error_at),
                    "consecutive_failures": r.consecutive_failures, "items_found": r.items_found,
                }
                for r in rows
            ]

    # --- delivery log and LLM cache -------------------------------------------------------

    def delivery_status(self, channel: str, day: date) -> str | None:
        with self.session() as s:
            row = s.get(DeliveryRow, (channel, day))
            return row.status if row else None

    def record_delivery(self, channel: str, day: date, error: str | None) -> None:
        with self.session() as s:
            row = s.get(DeliveryRow, (channel, day)) or DeliveryRow(channel=channel, day=day, attempts=0)
            row.attempts = (row.attempts or 0) + 1
            row.status = "failed" if error else "sent"
            row.last_error = error
            row.delivered_at = None if error else _utcnow()
            s.merge(row)

    def llm_cache_get(self, key: str) -> list[str] | None:
        with self.session() as s:
            row = s.get(LlmCacheRow, key)
            return list(row.response) if row else None

    def llm_cache_put(self, key: str, response: list[str]) -> None:
        with self.session() as s:
            s.merge(LlmCacheRow(key=key, response=list(response), created_at=_utcnow()))


def _fill_analysis(row: ArticleRow, an: Analysis) -> None:
    for name, value in analysis_values(an).items():
        setattr(row, name, value)


def _row_to_article(row: ArticleRow) -> Article:
    analysis = None
    if row.analysis_version is not None:
        analysis = Analysis(
            relevance=row.relevance or 0.0, is_ai=bool(row.is_ai), reasons=list(row.reasons or []),
            category=row.category or "일반", topics=list(row.topics or []),
            companies=list(row.companies or []), story_id=row.story_id,
            duplicate_of=row.duplicate_of, summary=list(row.summary or []),
            summary_method=row.summary_method or "", version=row.analysis_version,
        )
    return Article(
        id=row.id, url=row.url, canonical_url=row.canonical_url, title=row.title,
        subtitles=list(row.subtitles or []), body=row.body, publisher=row.publisher,
        reporters=list(row.reporters or []), published_at=to_kst(row.published_at),
        date_assumed=row.date_assumed, host=row.host, lang=row.lang, content_hash=row.content_hash,
        date_method=row.date_method or "",
        extraction_ok=row.extraction_ok, extraction_reason=row.extraction_reason, source=row.source,
        body_source=row.body_source or "page",
        imported=Imported(**row.imported) if row.imported else None, analysis=analysis,
    )


def _row_to_story(row: StoryRow) -> Story:
    return Story(
        id=row.id, title=row.title, representative_id=row.representative_id,
        member_ids=list(row.member_ids or []), first_seen=to_kst(row.first_seen),
        last_seen=to_kst(row.last_seen), summary=list(row.summary or []),
    )
