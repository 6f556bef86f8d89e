"""The published day as typed records: the hand-off from the day's JSON to site, feeds, archive,
delivery and channel filters.

`PublishedDay.from_json` reads any day file this project ever wrote: a missing or mistyped key
gets its default, so old archives still load; `to_json` writes exactly the JSON of
`jsonout.SCHEMA_DOC` (same keys, same order), so files stay byte-identical. Dates stay ISO text
as written: the records carry what was published, they do not reinterpret it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, replace
from typing import Any

SCHEMA = "ainews.digest/1"
LITE_DROP = ("body", "subtitles", "imported", "reasons", "reporters", "content_hash", "extraction_reason")


def _text(data: Mapping[str, Any], key: str, default: str = "") -> str:
    value = data.get(key)
    if type(value) is str:  # the common case first: whole archives are read on every publish
        return value
    return default if value is None or isinstance(value, dict | list) else str(value)


def _opt_text(data: Mapping[str, Any], key: str) -> str | None:
    value = data.get(key)
    if value is None or type(value) is str:
        return value
    return None if isinstance(value, dict | list) else str(value)


def _texts(data: Mapping[str, Any], key: str) -> list[str]:
    value = data.get(key)
    if type(value) is not list:
        return []
    return [v if type(v) is str else str(v) for v in value if v is not None]


def _opt_int(data: Mapping[str, Any], key: str) -> int | None:
    value = data.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _opt_float(data: Mapping[str, Any], key: str) -> float | None:
    value = data.get(key)
    return value if isinstance(value, int | float) and not isinstance(value, bool) else None


def _opt_bool(data: Mapping[str, Any], key: str) -> bool | None:
    value = data.get(key)
    return value if isinstance(value, bool) else None


def _mapping(data: Mapping[str, Any], key: str) -> Mapping[str, Any] | None:
    value = data.get(key)
    return value if isinstance(value, Mapping) else None


def _mappings(data: Mapping[str, Any], key: str) -> list[Mapping[str, Any]]:
    value = data.get(key)
    return [v for v in value if isinstance(v, Mapping)] if isinstance(value, list) else []


@dataclass(frozen=True)
class PublishedStory:
    """The story an item belongs to, as of the day it was published."""

    id: str = ""
    title: str = ""
    first_seen: str | None = None
    last_seen: str | None = None
    summary: list[str] = field(default_factory=list)
    member_count: int = 0

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> PublishedStory:
        return cls(_text(data, "id"), _text(data, "title"), _opt_text(data, "first_seen"),
                   _opt_text(data, "last_seen"), _texts(data, "summary"), _opt_int(data, "member_count") or 0)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)  # fields are declared in the JSON's key order


@dataclass(frozen=True)
class PublishedArticleRef:
    """Another outlet's article on the same story."""

    id: int | None = None
    title: str = ""
    url: str = ""
    publisher: str | None = None
    host: str | None = None
    published_at: str | None = None

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> PublishedArticleRef:
        return cls(_opt_int(data, "id"), _text(data, "title"), _text(data, "url"), _opt_text(data, "publisher"),
                   _opt_text(data, "host"), _opt_text(data, "published_at"))

    def to_json(self) -> dict[str, Any]:
        return asdict(self)  # fields are declared in the JSON's key order


@dataclass(frozen=True)
class PublishedImported:
    """What an old digest file said about the item (provenance)."""

    category: str = ""
    company: str = ""
    source: str = ""
    tags: list[str] = field(default_factory=list)
    summary: list[str] = field(default_factory=list)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> PublishedImported:
        return cls(_text(data, "category"), _text(data, "company"), _text(data, "source"), _texts(data, "tags"),
                   _texts(data, "summary"))

    def to_json(self) -> dict[str, Any]:
        return asdict(self)  # fields are declared in the JSON's key order


@dataclass(frozen=True)
class PublishedItem:
    """One included item of the day, in ranked order (every field of SCHEMA_DOC's `items`)."""

    rank: int = 0
    anchor: str = ""
    id: int | None = None
    title: str = ""
    url: str = ""
    canonical_url: str | None = None
    publisher: str | None = None
    host: str | None = None
    source: str | None = None
    reporters: list[str] = field(default_factory=list)
    subtitles: list[str] = field(default_factory=list)
    lang: str = "ko"
    published_at: str | None = None
    date_assumed: bool = False
    date_method: str = ""
    category: str = ""
    category_emoji: str = ""
    topics: list[str] = field(default_factory=list)
    companies: list[str] = field(default_factory=list)
    relevance: float | None = None
    is_ai: bool | None = None
    reasons: list[str] = field(default_factory=list)
    summary: list[str] = field(default_factory=list)
    summary_method: str = ""
    body: str = ""
    body_source: str = "page"
    extraction_ok: bool = True
    extraction_reason: str | None = None
    content_hash: str = ""
    is_update: bool = False
    story: PublishedStory | None = None
    others: list[PublishedArticleRef] = field(default_factory=list)
    imported: PublishedImported | None = None

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> PublishedItem:
        story, imported = _mapping(data, "story"), _mapping(data, "imported")
        return cls(
            rank=_opt_int(data, "rank") or 0, anchor=_text(data, "anchor"), id=_opt_int(data, "id"),
            title=_text(data, "title"), url=_text(data, "url"), canonical_url=_opt_text(data, "canonical_url"),
            publisher=_opt_text(data, "publisher"), host=_opt_text(data, "host"), source=_opt_text(data, "source"),
            reporters=_texts(data, "reporters"), subtitles=_texts(data, "subtitles"), lang=_text(data, "lang", "ko"),
            published_at=_opt_text(data, "published_at"), date_assumed=_opt_bool(data, "date_assumed") or False,
            date_method=_text(data, "date_method"), category=_text(data, "category"),
            category_emoji=_text(data, "category_emoji"), topics=_texts(data, "topics"),
            companies=_texts(data, "companies"), relevance=_opt_float(data, "relevance"),
            is_ai=_opt_bool(data, "is_ai"), reasons=_texts(data, "reasons"), summary=_texts(data, "summary"),
            summary_method=_text(data, "summary_method"), body=_text(data, "body"),
            body_source=_text(data, "body_source", "page"),
            extraction_ok=_opt_bool(data, "extraction_ok") is not False,
            extraction_reason=_opt_text(data, "extraction_reason"), content_hash=_text(data, "content_hash"),
            is_update=_opt_bool(data, "is_update") or False,
            story=PublishedStory.from_json(story) if story is not None else None,
            others=[PublishedArticleRef.from_json(o) for o in _mappings(data, "others")],
            imported=PublishedImported.from_json(imported) if imported is not None else None)

    def to_json(self, lite: bool = False) -> dict[str, Any]:
        """The item as SCHEMA_DOC has it; `lite` leaves out the bulky fields (LITE_DROP)."""
        data = {
            "rank": self.rank, "anchor": self.anchor, "id": self.id, "title": self.title, "url": self.url,
            "canonical_url": self.canonical_url, "publisher": self.publisher, "host": self.host,
            "source": self.source, "reporters": list(self.reporters), "subtitles": list(self.subtitles),
            "lang": self.lang, "published_at": self.published_at, "date_assumed": self.date_assumed,
            "date_method": self.date_method, "category": self.category, "category_emoji": self.category_emoji,
            "topics": list(self.topics), "companies": list(self.companies), "relevance": self.relevance,
            "is_ai": self.is_ai, "reasons": list(self.reasons), "summary": list(self.summary),
            "summary_method": self.summary_method, "body": self.body, "body_source": self.body_source,
            "extraction_ok": self.extraction_ok, "extraction_reason": self.extraction_reason,
            "content_hash": self.content_hash, "is_update": self.is_update,
            "story": self.story.to_json() if self.story else None, "others": [o.to_json() for o in self.others],
            "imported": self.imported.to_json() if self.imported else None,
        }
        return {k: v for k, v in data.items() if k not in LITE_DROP} if lite else data

    def lite(self) -> PublishedItem:
        """The item without the bulky fields: what indexes, feeds and archives need."""
        return replace(self, body="", subtitles=[], imported=None, reasons=[], reporters=[], content_hash="",
                       extraction_reason=None)

    @property
    def outlet(self) -> str:
        """Who published it, as lists show it (publisher, else host, else "")."""
        return self.publisher or self.host or ""


@dataclass(frozen=True)
class PublishedExcluded:
    """An item left out as not relevant enough."""

    id: int | None = None
    title: str = ""
    url: str = ""
    publisher: str | None = None
    relevance: float | None = None
    reasons: list[str] = field(default_factory=list)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> PublishedExcluded:
        return cls(_opt_int(data, "id"), _text(data, "title"), _text(data, "url"), _opt_text(data, "publisher"),
                   _opt_float(data, "relevance"), _texts(data, "reasons"))

    def to_json(self) -> dict[str, Any]:
        return asdict(self)  # fields are declared in the JSON's key order


@dataclass(frozen=True)
class OverviewEntry:
    """One line of 오늘의 요약."""

    rank: int = 0
    title: str = ""
    line: str = ""

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> OverviewEntry:
        return cls(_opt_int(data, "rank") or 0, _text(data, "title"), _text(data, "line"))

    def to_json(self) -> dict[str, Any]:
        return asdict(self)  # fields are declared in the JSON's key order


@dataclass(frozen=True)
class PublishedCounts:
    items: int = 0
    excluded: int = 0

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> PublishedCounts:
        return cls(_opt_int(data, "items") or 0, _opt_int(data, "excluded") or 0)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)  # fields are declared in the JSON's key order


@dataclass(frozen=True)
class PublishedDay:
    """One published day (`digests/YYYY/YYYY-MM-DD.json`)."""

    day: str
    schema: str = SCHEMA
    title: str = ""
    overview: list[OverviewEntry] = field(default_factory=list)
    items: list[PublishedItem] = field(default_factory=list)
    excluded: list[PublishedExcluded] = field(default_factory=list)
    counts: PublishedCounts = field(default_factory=PublishedCounts)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> PublishedDay:
        """Tolerant of old or partial files: what is missing gets its default (counts: from the lists)."""
        items = [PublishedItem.from_json(i) for i in _mappings(data, "items")]
        excluded = [PublishedExcluded.from_json(e) for e in _mappings(data, "excluded")]
        counts = _mapping(data, "counts")
        return cls(day=_text(data, "day"), schema=_text(data, "schema", SCHEMA), title=_text(data, "title"),
                   overview=[OverviewEntry.from_json(o) for o in _mappings(data, "overview")], items=items,
                   excluded=excluded,
                   counts=PublishedCounts.from_json(counts) if counts is not None
                   else PublishedCounts(len(items), len(excluded)))

    def to_json(self, lite: bool = False) -> dict[str, Any]:
        """The day as SCHEMA_DOC has it; `lite`: without `excluded` and the items' bulky fields."""
        data: dict[str, Any] = {"schema": self.schema, "day": self.day, "title": self.title,
                                "overview": [o.to_json() for o in self.overview],
                                "items": [i.to_json(lite) for i in self.items]}
        if not lite:
            data["excluded"] = [e.to_json() for e in self.excluded]
        data["counts"] = self.counts.to_json()
        return data

    def lite(self) -> PublishedDay:
        """The day without article bodies and other bulky fields (and without `excluded`)."""
        return replace(self, items=[i.lite() for i in self.items], excluded=[])

    def with_items(self, items: list[PublishedItem]) -> PublishedDay:
        """The same day holding only `items` (ranked 1.. again), e.g. what one channel wants."""
        return replace(self, items=[replace(item, rank=rank) for rank, item in enumerate(items, 1)])
