"""Find a site's feed for `ainews sources add URL`: the URL itself, its <link rel="alternate">, then
common paths (ainews/data/feed_paths.toml). Every candidate is fetched and parsed before it is used.

Fetching goes through the project's polite Fetcher (robots.txt, private-address guard, size cap).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser as HTMLParser

from ainews import catalogue
from ainews.collect.feeds import FeedResult, parse_feed
from ainews.collect.http import Fetcher, FetchError
from ainews.config import Settings
from ainews.errors import UserError
from ainews.models import RawPage

FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml",
              "text/xml")


class DiscoveryError(UserError):
    """No usable feed at a URL; the message says why and what was tried."""


@dataclass(slots=True)
class Discovered:
    """A validated feed: where it is, what it calls itself, and how it was found."""

    feed_url: str
    title: str | None
    site_url: str | None
    items: int
    how: str
    tried: list[str] = field(default_factory=list)


@cache
def common_paths() -> tuple[str, ...]:
    return tuple(catalogue.load("data/feed_paths.toml")["paths"])


def as_feed(page: RawPage) -> FeedResult | None:
    """The parsed feed when `page` is one (by content type or by parsing), else None."""
    ctype = page.content_type.lower()
    head = page.content[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if "html" in ctype and "xml" not in ctype or head.startswith((b"<!doctype html", b"<html")):
        return None
    result = parse_feed(page.content, page.content_type, source="discover", base_url=page.url)
    if result.entries or result.error is None:  # a broken feed that still has items is a feed
        return result
    return None


def alternate_links(page: RawPage) -> list[str]:
    """Feed URLs a page announces with <link rel="alternate" type="application/rss+xml|atom+xml">."""
    from ainews.text.encoding import decode

    tree = HTMLParser(decode(page.content, page.content_type))
    found: list[str] = []
    for node in tree.css('link[rel~="alternate"]'):
        kind = (node.attributes.get("type") or "").split(";")[0].strip().lower()
        href = (node.attributes.get("href") or "").strip()
        if href and kind in FEED_TYPES:
            url = urljoin(page.url, href)
            if urlsplit(url).scheme in ("http", "https") and url not in found:
                found.append(url)
    return found


async def discover(url: str, settings: Settings, *, allow_private: bool = False) -> Discovered:
    """The feed at `url` (used as is when it is one) or the first valid feed the site points to.

    A bare host (`aitimes.com`) means its https site."""
    if "://" not in url:
        url = "https://" + url
    async with Fetcher(settings, allow_private=allow_private) as fetcher:
        try:
            page = (await fetcher.fetch(url)).page
        except FetchError as exc:
            raise DiscoveryError(f"{url}: not reachable ({exc.reason})") from None
        assert page is not None
        feed = as_feed(page)
        if feed is not None:
            return Discovered(url, _title(feed), None, len(feed.entries), "feed URL", [url])
        if not _looks_html(page):
            raise DiscoveryError(f"{url}: not a feed and not an HTML page ({page.content_type or 'no type'})")
        return await _from_site(fetcher, page, url)


async def _from_site(fetcher: Fetcher, page: RawPage, url: str) -> Discovered:
    announced = alternate_links(page)
    root = urljoin(page.url, "/")
    candidates = [(c, "<link rel=alternate>") for c in announced]
    candidates += [(urljoin(root, p.lstrip("/")), f"common path {p}") for p in common_paths()]
    tried: list[str] = []
    for candidate, how in _unique(candidates, skip={url, page.url}):
        feed, note = await _try(fetcher, candidate)
        tried.append(f"{candidate} ({note})")
        if feed is not None:
            return Discovered(candidate, _title(feed), url, len(feed.entries), how, tried)
    raise DiscoveryError(f"{url}: no feed found; tried {', '.join(tried)}")


def _unique(candidates: list[tuple[str, str]], skip: set[str]) -> list[tuple[str, str]]:
    """Each candidate once, and never the page already fetched (it is HTML, not a feed)."""
    seen = set(skip)
    out = []
    for candidate, how in candidates:
        if candidate not in seen:
            seen.add(candidate)
            out.append((candidate, how))
    return out


async def _try(fetcher: Fetcher, url: str) -> tuple[FeedResult | None, str]:
    """(the feed, "ok") or (None, why not) for one candidate URL."""
    try:
        page = (await fetcher.fetch(url)).page
    except FetchError as exc:
        return None, exc.reason
    assert page is not None
    feed = as_feed(page)
    if feed is None:
        return None, "not a feed"
    return feed, f"{len(feed.entries)} items"


def _looks_html(page: RawPage) -> bool:
    head = page.content[:2048].lower()
    return "html" in page.content_type.lower() or b"<html" in head or b"<!doctype html" in head


def _title(feed: FeedResult) -> str | None:
    title = " ".join((feed.title or "").split())
    return title or None
