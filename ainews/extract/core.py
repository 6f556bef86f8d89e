"""extract(): bytes of an HTML page or a text capture → one Article, never raising.

Order: size cap → decode (encoding.py) → HTML or text? → html.py / text.py → metadata fallbacks
(feed entry, assume_date) → quality gate.
"""

from __future__ import annotations

import logging
import re
from datetime import date, datetime

from ainews.extract import meta, quality
from ainews.extract.budget import bound_markup
from ainews.extract.html import Parsed, extract_html
from ainews.extract.text import extract_text
from ainews.models import KST, Article, RawPage
from ainews.text.encoding import decode
from ainews.text.urls import site_host
from ainews.urltrust import trusted_canonical

log = logging.getLogger(__name__)
MAX_HTML_BYTES = 5_000_000
MAX_TEXT_BYTES = 1_000_000
_MARKUP = re.compile(rb"<(?:!doctype\s+html|html|head|body|meta|div|p|article)\b", re.I)


def is_html(content: bytes, content_type: str = "") -> bool:
    """Content type first; else sniff markup near the top (a text capture may contain stray tags)."""
    ctype = (content_type or "").lower()
    if "html" in ctype or "xml" in ctype:
        return True
    if ctype.startswith("text/plain"):
        return False
    head = content[:2048].lstrip(b"\xef\xbb\xbf \t\r\n")
    return head.startswith(b"<") and bool(_MARKUP.search(head[:1024]))


def extract(raw: RawPage, assume_date: date | None = None) -> Article:
    """The article in `raw`, flagged `extraction_ok=False` with a reason when it is not one."""
    try:
        return _extract(raw, assume_date)
    except Exception as exc:  # noqa: BLE001 - the contract is "never raises on bad input"
        log.warning("extraction failed for %s: %r", raw.url, exc)
        return failed_article(raw, assume_date, f"extractor error: {type(exc).__name__}")


def failed_article(raw: RawPage, assume_date: date | None, reason: str) -> Article:
    """The Article for a page whose extraction did not finish: link, feed title and date, no text."""
    article = Article(url=raw.url, title="", body="", content_hash=_hash(raw), source=raw.source,
                      extraction_ok=False, extraction_reason=reason)
    _apply_entry_and_date(article, raw, assume_date)
    return article


def _extract(raw: RawPage, assume_date: date | None) -> Article:
    content = raw.content or b""
    html = is_html(content, raw.content_type)
    cap = MAX_HTML_BYTES if html else MAX_TEXT_BYTES
    capped = len(content) > cap
    text = decode(content[:cap], raw.content_type)
    text, over_budget = bound_markup(text) if html else (text, None)
    host = site_host(raw.url)
    entry_title = raw.entry.title if raw.entry else None
    parsed: Parsed = extract_html(text, raw.url, host) if html else extract_text(text, raw.url, entry_title)
    body = "\n\n".join(parsed.paragraphs)
    canonical = trusted_canonical(_absolute(parsed.canonical_url, raw.url), raw.url)
    host = host or site_host(canonical) or parsed.host_hint
    evidence = parsed.raw_text or body
    publisher = parsed.publisher or meta.publisher_in_text(evidence) or meta.publisher_for_host(host)
    article = Article(
        url=raw.url, title=parsed.title, body=body, subtitles=parsed.subtitles, publisher=publisher,
        reporters=parsed.reporters or meta.reporters_in_text(evidence), published_at=parsed.published_at,
        canonical_url=canonical, host=host, content_hash=_hash(raw),
        source=raw.source, extractor=parsed.method,
    )
    _apply_entry_and_date(article, raw, assume_date)
    ok, reason = quality.check(body)
    article.lang = quality.language(body) if body else (parsed.lang or "ko")
    if article.lang == "und":
        article.lang = parsed.lang or "ko"
    if not article.title:
        article.title = _fallback_title(article)
    if capped and ok:
        reason = f"input over {cap} bytes was cut before parsing"
    if over_budget:
        reason = f"{reason}; {over_budget}" if reason else over_budget
    article.extraction_ok, article.extraction_reason = ok, reason
    return article


def _fallback_title(article: Article) -> str:
    """No headline on the page: the first subtitle, else the body's first sentence (cut at 80 characters)."""
    if article.subtitles:
        return article.subtitles[0]
    first = re.split(r"(?<=[.?!])\s", article.body.strip(), maxsplit=1)[0] if article.body else ""
    return first if len(first) <= 80 else first[:79].rstrip() + "…"


def _apply_entry_and_date(article: Article, raw: RawPage, assume_date: date | None) -> None:
    entry = raw.entry
    if entry is not None:
        article.title = article.title or (entry.title or "").strip()
        if article.published_at is None and entry.published_at is not None:
            article.published_at = entry.published_at
    if article.published_at is not None:
        when = article.published_at
        article.published_at = (when.replace(tzinfo=KST) if when.tzinfo is None else when).astimezone(KST)
    if article.published_at is None and assume_date is not None:
        article.published_at = datetime(assume_date.year, assume_date.month, assume_date.day, tzinfo=KST)
        article.date_assumed = True


def _absolute(url: str | None, base: str) -> str | None:
    """Canonical links may be site-relative (Arc's "/national/..."); resolve them against the page."""
    if not url:
        return None
    if url.startswith(("http://", "https://")):
        return url
    if url.startswith("//"):
        return "https:" + url
    if base.startswith(("http://", "https://")):
        from urllib.parse import urljoin

        return urljoin(base, url)
    return None


def _hash(raw: RawPage) -> str:
    try:
        return raw.sha256
    except Exception:  # noqa: BLE001 - content of the wrong type
        return ""
