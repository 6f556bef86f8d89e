"""Candidate article URLs from the two non-feed source kinds: list pages and sitemaps.

List page: the source's CSS `link_selector` picks article links (the element itself or the first
`a[href]` inside it). Sitemap: `<urlset>` gives URLs (with Google News title/date when present),
`<sitemapindex>` names child sitemaps that the caller fetches in turn. Newest first, so a source's
`max_items` cap keeps the most recent.
"""

from __future__ import annotations

import gzip
import zlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urljoin

from lxml import etree
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from ainews.collect.feeds import parse_feed_date
from ainews.models import FeedEntry, RawPage
from ainews.text.encoding import decode
from ainews.text.urls import absolute_url, normalize_url

MAX_SITEMAP_BYTES = 50 * 1024 * 1024  # the sitemap protocol's own limit, after decompression


def links_from_list(page: RawPage, selector: str, source: str) -> list[FeedEntry]:
    """Article links picked by `selector` on a list page, in page order, deduplicated."""
    tree = HTMLParser(decode(page.content, page.content_type))
    base = page.url
    base_node = tree.css_first("base[href]")
    if base_node is not None:
        base = urljoin(page.url, base_node.attributes.get("href") or "")
    entries: list[FeedEntry] = []
    seen: set[str] = set()
    for node in tree.css(selector):
        anchor = node if node.tag == "a" and node.attributes.get("href") else node.css_first("a[href]")
        if anchor is None:
            continue
        url = absolute_url(base, anchor.attributes.get("href"))
        if url is None or normalize_url(url) in seen or normalize_url(url) == normalize_url(page.url):
            continue
        seen.add(normalize_url(url))
        title = " ".join(anchor.text(separator=" ").split()) or None
        entries.append(FeedEntry(url=url, source=source, title=title))
    return entries


@dataclass(slots=True)
class SitemapResult:
    entries: list[FeedEntry] = field(default_factory=list)
    children: list[str] = field(default_factory=list)  # child sitemaps of a sitemap index
    error: str | None = None


def parse_sitemap(page: RawPage, source: str) -> SitemapResult:
    """URLs (or child sitemaps) of a sitemap, newest first by lastmod/news date."""
    content = _maybe_gunzip(page.content)
    if content is None:
        return SitemapResult(error="sitemap: bad gzip data")
    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(content, parser)
    except etree.XMLSyntaxError as exc:
        return SitemapResult(error=f"sitemap: not XML ({exc})")
    if root is None:
        return SitemapResult(error="sitemap: not XML")
    kind = etree.QName(root).localname
    if kind == "sitemapindex":
        children = [(lastmod, url) for url, lastmod, _t in _items(root, "sitemap", page.url)]
        return SitemapResult(children=_newest_first(children))
    if kind != "urlset":
        return SitemapResult(error=f"sitemap: unexpected root element <{kind}>")
    dated = [(when, FeedEntry(url=url, source=source, title=title, published_at=when))
             for url, when, title in _items(root, "url", page.url)]
    return SitemapResult(entries=_newest_first(dated))


def _items(root: etree._Element, tag: str, base: str) -> list[tuple[str, datetime | None, str | None]]:
    """(url, date, title) for each <url>/<sitemap> child, by local names (namespaces vary)."""
    found: list[tuple[str, datetime | None, str | None]] = []
    seen: set[str] = set()
    for node in root:
        if not isinstance(node.tag, str) or etree.QName(node).localname != tag:
            continue
        fields = {etree.QName(child).localname: (child.text or "").strip()
                  for child in node.iter() if isinstance(child.tag, str)}
        url = absolute_url(base, fields.get("loc"))
        if url is None or url in seen:
            continue
        seen.add(url)
        when = parse_feed_date(fields.get("publication_date") or fields.get("lastmod"))
        found.append((url, when, fields.get("title") or None))
    return found


def _newest_first(items: list[tuple[datetime | None, Any]]) -> list[Any]:
    dated = sorted((item for item in items if item[0] is not None), key=lambda item: item[0], reverse=True)
    return [value for _d, value in dated] + [value for when, value in items if when is None]


def _maybe_gunzip(content: bytes) -> bytes | None:
    if not content.startswith(b"\x1f\x8b"):
        return content
    try:
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        return inflater.decompress(content, MAX_SITEMAP_BYTES)
    except (zlib.error, gzip.BadGzipFile):
        return None
