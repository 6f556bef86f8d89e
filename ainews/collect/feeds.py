"""RSS 0.9x/1.0/2.0 and Atom feeds → FeedEntry candidates (URL plus the feed's title/date/summary).

feedparser does the parsing. Two things it gets wrong for Korean feeds are handled here:
- EUC-KR/CP949 feeds: feedparser decodes a declared "euc-kr" strictly and falls back to
  windows-1252 on CP949-only characters (mojibake), so such feeds are decoded by
  `ainews.text.encoding.decode` first and handed over as UTF-8.
- ND소프트 feeds write `<pubDate>2026-08-09 18:00:00</pubDate>` with no zone, which feedparser
  takes as UTC; a date without zone is read as KST here.
A feed that is not well-formed is reported (FeedResult.error) but the items feedparser could
still read are used.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime

import feedparser
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from ainews.models import KST, FeedEntry
from ainews.text.dates import parse_date
from ainews.text.encoding import decode, detect_declared
from ainews.text.patterns import squeeze
from ainews.text.urls import absolute_url, normalize_url

MAX_SUMMARY_CHARS = 2000
MAX_CONTENT_CHARS = 300_000  # an item's full HTML, kept for the feed-text fallback
_HARMLESS_BOZO = (feedparser.CharacterEncodingOverride, feedparser.NonXMLContentType)
_XML_DECL_ENCODING = re.compile(r"""(<\?xml[^>]*?encoding\s*=\s*)(["'])[\w.:-]+\2""", re.I)


@dataclass(slots=True)
class FeedResult:
    """Entries found in a feed, and `error` when the feed was broken (entries may still be there)."""

    entries: list[FeedEntry] = field(default_factory=list)
    title: str | None = None
    error: str | None = None


def parse_feed(content: bytes, content_type: str = "", *, source: str, base_url: str = "") -> FeedResult:
    """Parse feed bytes into FeedEntry candidates with absolute http(s) URLs, deduplicated."""
    parsed = feedparser.parse(_feed_bytes(content, content_type),
                              response_headers={"content-type": _feed_content_type(content, content_type)})
    result = FeedResult(title=parsed.feed.get("title") if parsed.get("feed") else None)
    seen: set[str] = set()
    for item in parsed.entries:
        entry = _entry(item, source, base_url)
        if entry is None:
            continue
        key = normalize_url(entry.url)
        if key not in seen:
            seen.add(key)
            result.entries.append(entry)
    exc = parsed.get("bozo_exception")
    if parsed.get("bozo") and exc is not None and not isinstance(exc, _HARMLESS_BOZO):
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        result.error = f"invalid feed ({message}); {len(result.entries)} item(s) still used"
    elif not parsed.get("version") and not result.entries:
        result.error = "not an RSS/Atom feed (no items)"
    return result


def _needs_predecode(content: bytes, content_type: str) -> bool:
    return any(enc in ("cp949", "euc_kr", "euc-kr") for enc in detect_declared(content, content_type))


def _feed_bytes(content: bytes, content_type: str) -> bytes:
    """Korean legacy encodings are decoded by us and re-labelled UTF-8 for feedparser."""
    if not _needs_predecode(content, content_type):
        return content
    text = decode(content, content_type)
    text = _XML_DECL_ENCODING.sub(lambda m: f"{m.group(1)}{m.group(2)}utf-8{m.group(2)}", text, count=1)
    return text.encode("utf-8")


def _feed_content_type(content: bytes, content_type: str) -> str:
    if _needs_predecode(content, content_type):
        return "application/xml; charset=utf-8"
    return content_type or "application/xml"


def _entry(item: feedparser.FeedParserDict, source: str, base_url: str) -> FeedEntry | None:
    url = _entry_url(item, base_url)
    if url is None:
        return None
    # dict.get: FeedParserDict's own lookup maps missing date keys onto each other, with a warning
    raw_date = next((dict.get(item, k) for k in ("published", "updated", "created") if dict.get(item, k)), None)
    parsed_date = next((dict.get(item, k) for k in ("published_parsed", "updated_parsed", "created_parsed")
                        if dict.get(item, k)), None)
    title = _plain(item.get("title")) or None
    return FeedEntry(
        url=url, source=source, guid=(item.get("id") or None), title=title,
        published_at=parse_feed_date(raw_date, parsed_date), summary=_summary(item), content=_content(item),
    )


def _entry_url(item: feedparser.FeedParserDict, base_url: str) -> str | None:
    candidates = [item.get("link")]
    candidates += [link.get("href") for link in item.get("links", []) if link.get("rel") in (None, "alternate")]
    guid = item.get("id")
    if guid and item.get("guidislink", True):
        candidates.append(guid)
    for candidate in candidates:
        url = absolute_url(base_url, candidate) if isinstance(candidate, str) else None
        if url:
            return url
    return None


def _summary(item: feedparser.FeedParserDict) -> str | None:
    text = item.get("summary")
    if not text:
        for content in item.get("content", []):
            if content.get("value"):
                text = content["value"]
                break
    text = _plain(text)
    return text[:MAX_SUMMARY_CHARS] if text else None


def _content(item: feedparser.FeedParserDict) -> str | None:
    """The longest HTML the item carries: content:encoded / Atom content, else the description."""
    values = [c.get("value") for c in item.get("content", [])] + [item.get("summary")]
    longest = max((v for v in values if isinstance(v, str) and v.strip()), key=len, default=None)
    return longest[:MAX_CONTENT_CHARS] if longest else None


def _plain(value: str | None) -> str:
    """HTML fragment → single-spaced text (feeds put markup in titles and descriptions)."""
    if not value:
        return ""
    if "<" in value or "&" in value:
        node = HTMLParser(f"<div>{value}</div>").body
        value = node.text(separator=" ") if node is not None else value
    return squeeze(value)


def parse_feed_date(raw: str | None, parsed: time.struct_time | None = None) -> datetime | None:
    """A feed date as an aware datetime in KST; a date written without zone is taken as KST."""
    if raw:
        value = parse_date(raw)
        if value is not None:
            return value.astimezone(KST)
    if parsed:
        try:
            return datetime(*parsed[:6], tzinfo=UTC).astimezone(KST)
        except (TypeError, ValueError):
            return None
    return None
