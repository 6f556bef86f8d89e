"""Placeholder extraction (to be replaced by the real cascade): decode, trafilatura or text lines."""

from __future__ import annotations

from datetime import date, datetime

import trafilatura
from charset_normalizer import from_bytes

from ainews.models import KST, Article, RawPage


def _decode(content: bytes) -> str:
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        best = from_bytes(content).best()
        return str(best) if best else content.decode("utf-8", "replace")


def extract(raw: RawPage, assume_date: date | None = None) -> Article:
    text = _decode(raw.content)
    is_html = "html" in raw.content_type or text.lstrip().startswith("<")
    if is_html:
        body = trafilatura.extract(text) or ""
        meta = trafilatura.extract_metadata(text)
        title = (meta.title if meta else "") or ""
    else:
        lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
        title, body = (lines[0], "\n".join(lines[1:])) if lines else ("", "")
    published = None
    assumed = False
    if assume_date:
        published, assumed = datetime(assume_date.year, assume_date.month, assume_date.day, tzinfo=KST), True
    return Article(url=raw.url, title=title, body=body, published_at=published, date_assumed=assumed,
                   content_hash=raw.sha256, extraction_ok=bool(body), source=raw.source,
                   extraction_reason=None if body else "empty body")
