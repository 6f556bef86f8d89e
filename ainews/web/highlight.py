"""Search results for people: escaped text with the query words in <mark>, and the telling passage."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from ainews.models import Article
from ainews.store.search import SearchHit, summary_text

SNIPPET_CHARS = 160


@dataclass(slots=True)
class HitView:
    """A hit as the pages and the API show it."""

    article: Article
    score: float
    matched: str
    snippet: Markup
    title_html: Markup


def present(hit: SearchHit) -> HitView:
    return HitView(hit.article, hit.score, hit.matched, snippet(hit.article, hit.words),
                   highlight(hit.article.title, hit.words))


def highlight(text_value: str, words: Sequence[str], width: int | None = None) -> Markup:
    """Escaped text with <mark> around the words; with `width`, a window around the first hit."""
    words = [w for w in words if w]
    if not text_value:
        return Markup("")
    pattern = re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE) if words else None
    start, end = 0, len(text_value)
    first = pattern.search(text_value) if pattern else None
    if width:
        if first:
            start = max(0, first.start() - width // 3)
        end = min(len(text_value), start + width)
    piece = text_value[start:end]
    out: list[str] = ["…" if start > 0 else ""]
    pos = 0
    for m in pattern.finditer(piece) if pattern else []:
        out.append(str(escape(piece[pos:m.start()])))
        out.append(f"<mark>{escape(m.group())}</mark>")
        pos = m.end()
    out.append(str(escape(piece[pos:])))
    out.append("…" if end < len(text_value) else "")
    return Markup("".join(out))


def snippet(article: Article, words: Sequence[str]) -> Markup:
    """The most telling passage: the summary or body around the first query word."""
    lowered = [w.lower() for w in words]
    summary = summary_text(article)
    for source in (summary, article.body):
        if source and any(w in source.lower() for w in lowered):
            return highlight(source, words, SNIPPET_CHARS)
    return highlight(summary or article.body, words, SNIPPET_CHARS)
