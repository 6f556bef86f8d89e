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
    body_source: Mapped[str] = mapped_column(String(16), default="page", server_default="page")
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


class RobotsCopyRow(Base):
    """The last robots.txt that answered 2xx, per origin: used for up to 24 h while it is unreachable."""

    __tablename__ = "robots_copies"

    origin: Mapped[str] = mapped_column(Text, primary_key=True)
    body: Mapped[str] = mapped_column(Text)
    fetched_at: Mapped[datetime] = mapped_column(DateTime)  # UTC, naive


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


class HostPaceRow(Base):
    """When a host's next request may start, shared by every worker (store/pacing.py)."""

    __tablename__ = "host_pace"

    host: Mapped[str] = mapped_column(String(255), primary_key=True)
    next_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class TemplateHostRow(Base):
    """Per host: how many pages taught its template (learned by ainews/collect/templates.py)."""

    __tablename__ = "template_hosts"

    host: Mapped[str] = mapped_column(String(255), primary_key=True)
    pages: Mapped[int] = mapped_column(Integer, default=0)


class TemplateLineRow(Base):
    """A normalized body line of a host: in how many distinct pages, since which page, template or not."""

    __tablename__ = "template_lines"

    host: Mapped[str] = mapped_column(String(255), primary_key=True)
    line_hash: Mapped[str] = mapped_column(String(32), primary_key=True)
    articles: Mapped[int] = mapped_column(Integer, default=0)
    first_page: Mapped[int] = mapped_column(Integer, default=1)
    is_template: Mapped[bool] = mapped_column(Boolean, default=False)
    text: Mapped[str] = mapped_column(Text, default="")


class TemplatePageRow(Base):
    """One article's contribution to its host's template, and its body before template lines were cut."""

    __tablename__ = "template_pages"

    article_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    host: Mapped[str] = mapped_column(String(255), index=True)
    content_hash: Mapped[str] = mapped_column(String(64), default="")
    hashes: Mapped[list] = mapped_column(JSON, default=list)
    raw_body: Mapped[str | None] = mapped_column(Text)  # null: nothing was removed
    removed: Mapped[list] = mapped_column(JSON, default=list)


class UserSourceRow(Base):
    """A source added with `ainews sources add/import`, or an override (`remove` of a bundled one:
    url null, enabled false). Overlaid on the bundled and user-file sources by name."""

    __tablename__ = "user_sources"

    name: Mapped[str] = mapped_column(Text, primary_key=True)
    url: Mapped[str | None] = mapped_column(Text)
    kind: Mapped[str | None] = mapped_column(String(20))
    link_selector: Mapped[str | None] = mapped_column(Text)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    max_items: Mapped[int | None] = mapped_column(Integer)
    html_url: Mapped[str | None] = mapped_column(Text)
    added_at: Mapped[datetime] = mapped_column(DateTime)


class WatchAlertRow(Base):
    """One row per (watch, story, channel): a story alerts a watch's channel once."""

    __tablename__ = "watch_alerts"

    watch: Mapped[str] = mapped_column(String(200), primary_key=True)
    story_key: Mapped[str] = mapped_column(String(160), primary_key=True)
    channel: Mapped[str] = mapped_column(String(40), primary_key=True)
    article_id: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime)


class StoreChangeRow(Base):
    """One row whose counter every write transaction bumps: the web cache's change fingerprint."""

    __tablename__ = "store_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    counter: Mapped[int] = mapped_column(Integer, default=0)
    changed_at: Mapped[datetime] = mapped_column(DateTime)
