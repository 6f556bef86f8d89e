"""Web text made safe to show anywhere: control and bidi-override characters stripped, sizes capped.

Applied where an Article is stored (`Store.upsert_article`), so every output benefits, and again
at the publish boundary (the day's JSON that site, feeds and mail are built from, and every string
the Markdown escapes) in case something reached the store before this existed. A right-to-left
override in a title would otherwise reverse what a reader sees; a 500k-character title would
fill a chat message or a page.
"""

from __future__ import annotations

import re
from typing import Any

from ainews.models import Article

TITLE_CHARS = 300
NAME_CHARS = 100  # publisher, reporter, tag, company
LINE_CHARS = 2_000  # one summary sentence or subtitle
BODY_CHARS = 200_000
ELLIPSIS = "…"

# C0 controls but tab/newline/CR, DEL and C1 controls; bidi embeddings, overrides, isolates and
# marks; zero-width no-break space (a stray BOM); lone surrogates and non-characters.
_STRIP = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
                    "\ufeff\ufffe\uffff\ud800-\udfff]")


def clean_text(text: str, limit: int = BODY_CHARS) -> str:
    """Multi-line text without control/bidi characters (CR LF → LF), at most `limit` characters."""
    text = _STRIP.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    return cap(text, limit)


def clean_line(text: str, limit: int = TITLE_CHARS) -> str:
    """One line (whitespace collapsed) without control/bidi characters, capped with an ellipsis."""
    return cap(" ".join(_STRIP.sub("", text).split()), limit)


def cap(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + ELLIPSIS


def clean_value(value: Any, limit: int = BODY_CHARS) -> Any:
    """Every string in a JSON-like value cleaned (multi-line kept), each at most `limit` characters."""
    if isinstance(value, str):
        return clean_text(value, limit)
    if isinstance(value, dict):
        return {k: clean_value(v, TITLE_CHARS if k == "title" else limit) for k, v in value.items()}
    if isinstance(value, list):
        return [clean_value(v, limit) for v in value]
    return value


def sanitize_article(article: Article) -> Article:
    """The article's text fields cleaned in place (and returned): what a page can put in front of readers."""
    article.title = clean_line(article.title, TITLE_CHARS)
    article.subtitles = [s for s in (clean_line(x, LINE_CHARS) for x in article.subtitles) if s]
    article.body = clean_text(article.body, BODY_CHARS)
    article.publisher = (clean_line(article.publisher, NAME_CHARS) or None) if article.publisher else None
    article.reporters = [r for r in (clean_line(x, NAME_CHARS) for x in article.reporters) if r]
    if article.analysis:
        an = article.analysis
        an.summary = [s for s in (clean_line(x, LINE_CHARS) for x in an.summary) if s]
        an.topics = [clean_line(t, NAME_CHARS) for t in an.topics]
        an.companies = [clean_line(c, NAME_CHARS) for c in an.companies]
    if article.imported:
        imp = article.imported
        imp.summary = [clean_line(x, LINE_CHARS) for x in imp.summary]
        imp.tags = [clean_line(t, NAME_CHARS) for t in imp.tags]
        imp.company, imp.source = clean_line(imp.company, NAME_CHARS), clean_line(imp.source, NAME_CHARS)
    return article
