"""Typed hand-offs between the stages: collect → extract → analyze → publish.

Each stage takes and returns these dataclasses; nothing else crosses a stage boundary.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime

from ainews.text.dates.zone import KST
from ainews.text.patterns import squeeze
from ainews.text.urls import is_web_url, normalize_url


def now_kst() -> datetime:
    return datetime.now(KST)


@dataclass(slots=True)
class FeedEntry:
    """What a feed says about an item before we fetch it: hints, not truth."""

    url: str
    source: str
    guid: str | None = None
    title: str | None = None
    published_at: datetime | None = None
    summary: str | None = None
    content: str | None = None  # the item's full HTML (content:encoded, or description), for the feed fallback


@dataclass(slots=True)
class RawPage:
    """Bytes as fetched or read, before any interpretation.

    `url` is the http(s) URL, or the local path for files a user handed us.
    `content_type` is the HTTP header (or a guess from the file suffix): it may carry a charset.
    """

    url: str
    content: bytes
    content_type: str = ""
    fetched_at: datetime = field(default_factory=now_kst)
    source: str | None = None
    entry: FeedEntry | None = None
    truncated: bool = False

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


@dataclass(frozen=True, slots=True)
class Validators:
    """A response's ETag/Last-Modified, kept per URL so the next GET can be conditional (304)."""

    etag: str | None = None
    last_modified: str | None = None


@dataclass(slots=True)
class Imported:
    """Fields carried over from an older digest file (seed-000 format), kept for provenance."""

    category: str = ""
    company: str = ""
    source: str = ""
    tags: list[str] = field(default_factory=list)
    summary: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Analysis:
    """What analyze/ concluded about one article, with the rules version that produced it."""

    relevance: float = 0.0
    is_ai: bool = False
    reasons: list[str] = field(default_factory=list)
    category: str = "일반"
    topics: list[str] = field(default_factory=list)
    companies: list[str] = field(default_factory=list)
    story_id: str | None = None
    duplicate_of: int | None = None
    summary: list[str] = field(default_factory=list)
    summary_method: str = ""
    version: str = ""


@dataclass(slots=True)
class Article:
    """One extracted article. `publisher` is the original outlet; `host` the site we found it on."""

    url: str
    title: str
    body: str
    subtitles: list[str] = field(default_factory=list)
    publisher: str | None = None
    reporters: list[str] = field(default_factory=list)
    published_at: datetime | None = None
    date_assumed: bool = False
    date_method: str = ""  # how the date was settled: "page", "feed", "body-day+caption", … (analyze/dates.py)
    canonical_url: str | None = None
    host: str | None = None
    lang: str = "ko"
    content_hash: str = ""
    extraction_ok: bool = True
    extraction_reason: str | None = None
    extractor: str = ""  # which path produced it: "rule:<site>", "json:<site>", "trafilatura", "text", "none"
    source: str | None = None
    body_source: str = "page"  # "page" (extracted), "feed" (the feed item's text, page unusable)
    id: int | None = None
    analysis: Analysis | None = None
    imported: Imported | None = None

    @property
    def key(self) -> str:
        """Identity for idempotent storage: the canonical web address, else the text itself."""
        for candidate in (self.canonical_url, self.url):
            if is_web_url(candidate):
                url = normalize_url(candidate)
                return "url:" + (url if len(url) <= 900 else hashlib.sha256(url.encode()).hexdigest())
        text = squeeze(f"{self.title}\n{self.body}")
        return "sha:" + hashlib.sha256(text.encode("utf-8")).hexdigest()

    @property
    def day(self) -> date | None:
        return self.published_at.astimezone(KST).date() if self.published_at else None

    @property
    def time_known(self) -> bool:
        """False for a date without a time (old digest items, pages dated to the day or filed under an
        assumed date): they are stored at 00:00:00 KST, which must never be shown as a time."""
        if self.published_at is None or self.date_assumed:
            return False
        local = self.published_at.astimezone(KST)
        return (local.hour, local.minute, local.second, local.microsecond) != (0, 0, 0, 0)


@dataclass(slots=True)
class Story:
    """The same real-world event as reported by one or more outlets."""

    id: str
    title: str
    representative_id: int
    member_ids: list[int] = field(default_factory=list)
    first_seen: datetime | None = None
    last_seen: datetime | None = None
    summary: list[str] = field(default_factory=list)


@dataclass(slots=True)
class DigestItem:
    article: Article
    story: Story | None = None
    others: list[Article] = field(default_factory=list)
    is_update: bool = False


@dataclass(slots=True)
class Digest:
    day: date
    items: list[DigestItem] = field(default_factory=list)
    excluded: list[DigestItem] = field(default_factory=list)
