"""Tables. One row per article (keyed for idempotence), its analysis beside it, and the small
bookkeeping tables that make collection incremental and delivery exactly-once."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, DateTime, Float, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class ArticleRow(Base):
    __tablename__ = "articles"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(1024), unique=True, index=True)
    url: Mapped[str] = mapped_column(Text)
    canonical_url: Mapped[str | None] = mapped_column(Text)
    title: Mapped[str] = mapped_column(Text, default="")
    subtitles: Mapped[list] = mapped_column(JSON, default=list)
    body: Mapped[str] = mapped_column(Text, default="")
    publisher: Mapped[str | None] = mapped_column(Text, index=True)
    reporters: Mapped[list] = mapped_column(JSON, default=list)
    published_at: Mapped[datetime | None] = mapped_column(DateTime)  # UTC, naive
    day: Mapped[date | None] = mapped_column(Date, index=True)  # KST calendar day
    date_assumed: Mapped[bool] = mapped_column(Boolean, default=False)
    date_method: Mapped[str | None] = mapped_column(String(32))
    host: Mapped[str | None] = mapped_column(Text)
    lang: Mapped[str] = mapped_column(String(16), default="ko")
    content_hash: Mapped[str] = mapped_column(String(64), default="")
    extraction_ok: Mapped[bool] = mapped_column(Boolean, default=True)
    extraction_reason: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str | None] = mapped_column(Text)
    imported: Mapped[dict | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    # analysis (null until analyzed; `analysis_version` says which rules produced it)
    analysis_version: Mapped[str | None] = mapped_column(String(40), index=True)
    relevance: Mapped[float | None] = mapped_column(Float)
    is_ai: Mapped[bool | None] = mapped_column(Boolean, index=True)
    reasons: Mapped[list] = mapped_column(JSON, default=list)
    category: Mapped[str | None] = mapped_column(Text, index=True)
    topics: Mapped[list] = mapped_column(JSON, default=list)
    companies: Mapped[list] = mapped_column(JSON, default=list)
    story_id: Mapped[str | None] = mapped_column(String(128), index=True)
    duplicate_of: Mapped[int | None] = mapped_column(Integer)
    summary: Mapped[list] = mapped_column(JSON, default=list)
    summary_method: Mapped[str | None] = mapped_column(String(40))


class StoryRow(Base):
    __tablename__ = "stories"

    id: Mapped[str] = mapped_column(String(128), primary_key=True)
    title: Mapped[str] = mapped_column(Text, default="")
    representative_id: Mapped[int] = mapped_column(Integer)
    member_ids: Mapped[list] = mapped_column(JSON, default=list)
    first_seen: Mapped[datetime | None] = mapped_column(DateTime)
    last_seen: Mapped[datetime | None] = mapped_column(DateTime)
    summary: Mapped[list] = mapped_column(JSON, default=list)


class FetchCacheRow(Base):
    """Validators per URL so the next request can be conditional (a 304 costs nothing)."""

    __tablename__ = "fetch_cache"

    url: Mapped[str] = mapped_column(Text, primary_key=True)
    etag: Mapped[str | None] = mapped_column(Text)
    last_modified: Mapped[str | None] = mapped_column(Text)
    status: Mapped[int | None] = mapped_column(Integer)
    fetched_at: Mapped[datetime | None] = mapped_column(DateTime)


class SeenEntryRow(Base):
    """Feed items already handled, by GUID or normalized URL, so they are never fetched twice."""

    __tablename__ = "seen_entries"

    key: Mapped[str] = mapped_column(Text, primary_key=True)
    source: Mapped[str] = mapped_column(Text)
    article_id: Mapped[int | None] = mapped_column(Integer)
    first_seen: Mapped[datetime] = mapped_column(DateTime)


class SourceHealthRow(Base):
    __tablename__ = "source_health"

    name: Mapped[str] = mapped_column(Text, primary_key=True)
    url: Mapped[str] = mapped_column(Text, default="")
    last_success: Mapped[datetime | None] = mapped_column(DateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    last_error_at: Mapped[datetime | None] = mapped_column(DateTime)
    consecutive_failures: Mapped[int] = mapped_column(Integer, default=0)
    items_found: Mapped[int] = mapped_column(Integer, default=0)


class DeliveryRow(Base):
    """One row per (channel, digest day): a channel receives a digest once."""

    __tablename__ = "deliveries"

    channel: Mapped[str] = mapped_column(String(40), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    status: Mapped[str] = mapped_column(String(20), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime)


class LlmCacheRow(Base):
    """LLM answers keyed by (article hash, model, prompt version): re-runs cost nothing."""

    __tablename__ = "llm_cache"

    key: Mapped[str] = mapped_column(Text, primary_key=True)
    response: Mapped[list] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(DateTime)


class JobRow(Base):
    """Queued work shared by workers on one database; a claim is a lease that expires."""

    __tablename__ = "jobs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    key: Mapped[str] = mapped_column(String(1024), unique=True)
    payload: Mapped[dict] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(12), index=True, default="queued")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    worker: Mapped[str | None] = mapped_column(String(100))
    lease_until: Mapped[datetime | None] = mapped_column(DateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
