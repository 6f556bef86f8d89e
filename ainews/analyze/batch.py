"""`ainews analyze INPUT.jsonl --format jsonl`: batch analysis for evaluation and power users.

Input lines: {id, text | html | path, url?, published_at?}. Output lines: {id, relevance, is_ai,
reasons, category, topics, companies, story_id, duplicate_of} (duplicate_of is the input id of the
primary copy). A bad line never stops the run: it comes back as {id, error}.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import datetime, time
from typing import Any

from ainews.collect.records import raw_page, read_jsonl
from ainews.config import Settings
from ainews.errors import UserError
from ainews.models import KST, Article
from ainews.text.dates import parse_stamp

TITLE_MAX = 120


def parse_date(value: Any) -> datetime | None:
    """A date as the shared registry reads it (ISO, RFC 822, Korean); a bare day is noon KST."""
    stamp = parse_stamp(value)
    if stamp is None:
        return None
    return stamp.at if stamp.has_time else datetime.combine(stamp.at.date(), time(12), KST)


def article_from_text(text: str, url: str = "", published_at: datetime | None = None) -> Article:
    """An Article from plain text: a short first line is the title, the rest the body."""
    from ainews.analyze.features import clean_text
    from ainews.analyze.lexicon import lexicon

    cleaned = clean_text(text, lexicon().junk_lines)
    first, _, rest = cleaned.partition("\n")
    if first and len(first) <= TITLE_MAX and rest.strip():
        title, body = first, rest
    else:
        title, body = "", cleaned
    return Article(url=url or "", title=title, body=body, published_at=published_at)


def _article(record: dict[str, Any]) -> Article:
    url = str(record.get("url") or "")
    published = parse_date(record.get("published_at") or record.get("date"))
    if isinstance(record.get("text"), str):
        return article_from_text(record["text"], url, published)
    from ainews.extract import extract

    article = extract(raw_page(record, url), assume_date=published.date() if published else None)
    if published and not article.published_at:
        article.published_at = published
    if url:
        article.url = url
    return article


def analyze_records(records: list[dict[str, Any]], settings: Settings) -> list[dict[str, Any]]:
    """Analyse parsed input records together (so duplicates and stories are found across them)."""
    from ainews.analyze import analyze_batch

    outputs: list[dict[str, Any]] = []
    articles: list[Article] = []
    ids: dict[int, Any] = {}
    for n, record in enumerate(records):
        rid = record.get("id", n)
        try:
            article = _article(record)
        except (UserError, OSError, ValueError, TypeError) as exc:
            outputs.append({"id": rid, "error": f"{type(exc).__name__}: {exc}"})
            continue
        article.id = len(articles) + 1
        ids[article.id] = rid
        articles.append(article)
    analyses, _ = analyze_batch(articles, [], [], settings)
    for article in articles:
        a = analyses[article.id]  # type: ignore[index]
        outputs.append({
            "id": ids[article.id], "relevance": a.relevance, "is_ai": a.is_ai, "reasons": a.reasons,
            "category": a.category, "topics": a.topics, "companies": a.companies, "story_id": a.story_id,
            "duplicate_of": ids.get(a.duplicate_of) if a.duplicate_of is not None else None,
        })
    return outputs


def analyze_jsonl(lines: Iterable[str], settings: Settings) -> Iterator[str]:
    """JSON lines in, JSON lines out (same order; unparsable lines reported, not fatal)."""
    records: list[dict[str, Any]] = []
    errors: list[dict[str, Any]] = []
    for n, record, error in read_jsonl(lines):
        if record is None:
            errors.append({"id": None, "line": n, "error": error})
        else:
            records.append(record)
    for out in (*errors, *analyze_records(records, settings)):
        yield json.dumps(out, ensure_ascii=False)
