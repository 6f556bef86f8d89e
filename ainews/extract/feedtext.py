"""Feed-text fallback: when the article page is unusable, the feed item's own text is the article.

A page can fail for reasons the feed does not share: the server refuses us (401/402/403/451), it
is a JavaScript shell, a paywall shows a teaser. Many feeds carry the whole article in
`content:encoded` (or a long `description`). That HTML goes through the extractor's own line
splitting and boilerplate rules, then through the same quality gate as any page, plus one more
bar: at least `MIN_FEED_CHARS` characters and no trailing "…" (a feed's two-sentence teaser
passes the gate but is not the article). The result is marked `body_source = "feed"`.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import replace

from selectolax.lexbor import LexborHTMLParser

from ainews.extract import meta, quality
from ainews.extract.boilerplate import clean_paragraphs
from ainews.extract.html import node_lines
from ainews.models import Article, FeedEntry
from ainews.text.urls import site_host

MIN_FEED_CHARS = 300
BLOCKED_STATUSES = frozenset({401, 402, 403, 451})
_STATUS = re.compile(r"^HTTP (\d{3})\b")
_TEASER_END = re.compile(r"(?:…|\.\.\.|\[?더\s?보기\]?|더 읽기|기사 전문)\s*$")


def feed_text(html: str | None) -> str:
    """A feed item's HTML as body paragraphs, cleaned like a page's."""
    if not html or not html.strip():
        return ""
    tree = LexborHTMLParser(f"<html><body><div>{html}</div></body></html>")
    lines = node_lines(tree.body) if tree.body is not None else []
    return "\n\n".join(clean_paragraphs(lines))


def usable_feed_body(entry: FeedEntry | None) -> tuple[str | None, str]:
    """(body, "") when the item carries the article; (None, why not) otherwise."""
    if entry is None:
        return None, "no feed item"
    body = feed_text(entry.content or entry.summary)
    ok, reason = quality.check(body)
    if not ok:
        return None, f"feed text: {reason}"
    if len(body) < MIN_FEED_CHARS or _TEASER_END.search(body):
        return None, f"feed text is a teaser ({len(body)} characters)"
    return body, ""


def blocked(reason: str) -> bool:
    """A fetch error that says the server will not give us the page (not that it is gone)."""
    match = _STATUS.match(reason)
    return match is not None and int(match.group(1)) in BLOCKED_STATUSES


def with_feed_body(article: Article, entry: FeedEntry | None) -> Article:
    """The article, with the feed's text as body when its page held none (and the feed has text)."""
    if article.extraction_ok or article.body_source != "page":
        return article
    body, _ = usable_feed_body(entry)
    if body is None or entry is None:
        return article
    return replace(article, title=entry.title or article.title, body=body, body_source="feed",
                   extraction_ok=True, lang=quality.language(body),
                   extraction_reason=f"page: {article.extraction_reason or 'no article'}; text from the feed")


def article_from_feed(entry: FeedEntry, fetch_error: str) -> Article | None:
    """For a page the server refused (401/402/403/451): the article from the feed item alone."""
    body, _ = usable_feed_body(entry)
    if body is None or not blocked(fetch_error):
        return None
    host = site_host(entry.url)
    digest = hashlib.sha256(body.encode("utf-8")).hexdigest()
    publisher = meta.publisher_in_text(body) or meta.publisher_for_host(host)
    return Article(url=entry.url, title=entry.title or "", body=body, publisher=publisher,
                   reporters=meta.reporters_in_text(body), published_at=entry.published_at, host=host,
                   lang=quality.language(body), content_hash=digest,
                   source=entry.source, body_source="feed",
                   extraction_reason=f"page: {fetch_error}; text from the feed")
