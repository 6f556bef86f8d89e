"""Learned site templates in the store: per-host line counts, and bodies cleaned of template lines.

`refresh_templates(store, settings)` runs after each collection (and `ainews add`): it counts the
lines of every article not yet counted (or whose page changed), marks the lines that became
template, and re-cleans the host's stored articles that contain them, including the pages that
taught them. Idempotent: cleaning always starts from the body as extracted (kept in
`template_pages.raw_body` once something was cut), so a second refresh changes nothing, and
`restore_host` puts every original body back. A cleaned body that would fail the quality gate is
not cleaned. Only pages extracted from HTML or text (`body_source = "page"`) teach or get cleaned.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import and_, delete, or_, select
from sqlalchemy.orm import Session

from ainews.config import TemplateSettings
from ainews.extract import quality
from ainews.extract.templates import (
    TemplateRules,
    is_template,
    page_lines,
    strip_template,
)
from ainews.store.db import Store
from ainews.store.schema import ArticleRow, TemplateHostRow, TemplateLineRow, TemplatePageRow

log = logging.getLogger("ainews.templates")
CHUNK = 500
PRUNE_AFTER_PAGES = 500  # a line seen once and not again for this many pages of its host is forgotten


@dataclass
class TemplateReport:
    """What one refresh did, per run (for logs and tests)."""

    pages_counted: int = 0
    new_template_lines: dict[str, int] = field(default_factory=dict)  # host → lines that became template
    articles_cleaned: int = 0
    lines_removed: int = 0


def refresh_templates(store: Store, settings: TemplateSettings | None = None) -> TemplateReport:
    """Learn from the articles not yet counted and clean what the host's template now covers."""
    settings = settings or TemplateSettings()
    rules = TemplateRules(settings.min_articles, settings.min_share)
    report = TemplateReport()
    if not settings.enabled:
        return report
    excluded = set(settings.exclude_hosts)
    for host, ids in _pending_by_host(store).items():
        if host not in excluded:
            with store.session() as s:
                _learn_host(s, host, ids, rules, report)
    return report


def refresh_quietly(store: Store, settings: TemplateSettings | None = None) -> TemplateReport | None:
    """refresh_templates for the end of a collection: a failure is logged, never fails the run
    (the next refresh picks up whatever was not counted)."""
    try:
        report = refresh_templates(store, settings)
    except Exception:  # noqa: BLE001 - template learning is an improvement, not a requirement
        log.exception("learning site templates failed")
        return None
    if report.articles_cleaned:
        log.info("site templates: %d article(s) cleaned, %d line(s) removed", report.articles_cleaned,
                 report.lines_removed)
    return report


def _pending_by_host(store: Store) -> dict[str, list[int]]:
    """Article ids never counted, or whose page changed since it was counted, grouped by host."""
    page = TemplatePageRow
    query = (select(ArticleRow.id, ArticleRow.host)
             .outerjoin(page, page.article_id == ArticleRow.id)
             .where(ArticleRow.host.is_not(None), ArticleRow.extraction_ok.is_(True),
                    ArticleRow.body_source == "page",
                    or_(page.article_id.is_(None), page.content_hash != ArticleRow.content_hash))
             # publication order, not row ids: a run killed and re-run numbers rows differently,
             # and the learned template must not depend on that
             .order_by(ArticleRow.published_at.is_(None), ArticleRow.published_at, ArticleRow.key))
    by_host: dict[str, list[int]] = {}
    with store.session() as s:
        for article_id, host in s.execute(query):
            by_host.setdefault(host, []).append(article_id)
    return by_host


def _learn_host(s: Session, host: str, ids: list[int], rules: TemplateRules, report: TemplateReport) -> None:
    host_row = s.get(TemplateHostRow, host) or TemplateHostRow(host=host, pages=0)
    s.add(host_row)
    articles = {a.id: a for a in _chunked_rows(s, ArticleRow, ArticleRow.id, ids)}
    pages = {p.article_id: p for p in _chunked_rows(s, TemplatePageRow, TemplatePageRow.article_id, ids)}
    counted: dict[int, dict[str, str]] = {i: page_lines(articles[i].body) for i in ids if i in articles}  # in order
    touched = {h for hashes in counted.values() for h in hashes}
    touched |= {h for p in pages.values() for h in p.hashes or []}
    lines = {ln.line_hash: ln for ln in _lines(s, host, touched)}
    for article_id, hashes in counted.items():
        _count_page(s, host_row, lines, articles[article_id], pages.get(article_id), hashes)
    report.pages_counted += len(counted)
    fresh = {h for h in set().union(*counted.values()) if h in lines and not lines[h].is_template
             and is_template(lines[h].articles, lines[h].first_page, host_row.pages, rules)}
    for h in fresh:
        lines[h].is_template = True
    if fresh:
        report.new_template_lines[host] = len(fresh)
    s.flush()
    template = set(s.scalars(select(TemplateLineRow.line_hash).where(
        TemplateLineRow.host == host, TemplateLineRow.is_template.is_(True))))
    _clean_pages(s, host, set(counted), fresh, template, report)
    _prune(s, host, host_row.pages)


def _count_page(s: Session, host_row: TemplateHostRow, lines: dict[str, TemplateLineRow], article: ArticleRow,
                page: TemplatePageRow | None, texts: dict[str, str]) -> None:
    """Add one page's lines to the host's counts (taking back what its earlier version added)."""
    if page is None:
        host_row.pages += 1
        page = TemplatePageRow(article_id=article.id, host=host_row.host)
        s.add(page)
    else:
        for h in page.hashes or []:
            if h in lines:
                lines[h].articles = max(0, lines[h].articles - 1)
    for h, text in texts.items():
        line = lines.get(h)
        if line is None:
            line = lines[h] = TemplateLineRow(host=host_row.host, line_hash=h, articles=0,
                                              first_page=host_row.pages, is_template=False,
                                              text=text[:500])
            s.add(line)
        line.articles += 1
    page.host, page.content_hash, page.hashes = host_row.host, article.content_hash, sorted(texts)
    page.raw_body, page.removed = None, []  # the article's body is the page as extracted


def _clean_pages(s: Session, host: str, new_ids: set[int], fresh: set[str], template: set[str],
                 report: TemplateReport) -> None:
    """Clean the pages just counted, and every page of the host that holds a line just become template."""
    if not template:
        return
    pages = s.scalars(select(TemplatePageRow).where(TemplatePageRow.host == host)).all()
    todo = [p for p in pages if p.article_id in new_ids or (fresh and fresh.intersection(p.hashes or []))]
    articles = {a.id: a for a in _chunked_rows(s, ArticleRow, ArticleRow.id, [p.article_id for p in todo])}
    for page in todo:
        article = articles.get(page.article_id)
        if article is not None and _clean_one(article, page, template):
            report.articles_cleaned += 1
            report.lines_removed += len(page.removed)


def _clean_one(article: ArticleRow, page: TemplatePageRow, template: set[str]) -> bool:
    """Body = raw body minus template lines (unless that fails the gate). True when the body changed."""
    raw = page.raw_body if page.raw_body is not None else article.body
    cleaned, removed = strip_template(raw, template)
    if removed and quality.check(raw)[0] and not quality.check(cleaned)[0]:
        cleaned, removed = raw, []
    page.raw_body, page.removed = (raw if removed else None), removed
    return _set_body(article, cleaned)


def _set_body(article: ArticleRow, body: str) -> bool:
    if article.body == body:
        return False
    article.body = body
    article.updated_at = datetime.now(UTC).replace(tzinfo=None)
    article.analysis_version = None  # analyze (and index) the cleaned text again
    return True


def _prune(s: Session, host: str, pages: int) -> None:
    s.execute(delete(TemplateLineRow).where(
        TemplateLineRow.host == host, TemplateLineRow.articles <= 1, TemplateLineRow.is_template.is_(False),
        TemplateLineRow.first_page < pages - PRUNE_AFTER_PAGES).execution_options(synchronize_session=False))


def _lines(s: Session, host: str, hashes: Iterable[str]) -> list[TemplateLineRow]:
    out: list[TemplateLineRow] = []
    hashes = list(hashes)
    for start in range(0, len(hashes), CHUNK):
        out += s.scalars(select(TemplateLineRow).where(
            and_(TemplateLineRow.host == host, TemplateLineRow.line_hash.in_(hashes[start:start + CHUNK])))).all()
    return out


def _chunked_rows(s: Session, model: type, column: object, ids: list[int]) -> list:
    out: list = []
    for start in range(0, len(ids), CHUNK):
        out += s.scalars(select(model).where(column.in_(ids[start:start + CHUNK]))).all()  # type: ignore[attr-defined]
    return out


# --- inspection and undo ----------------------------------------------------------------------

def template_lines(store: Store, host: str | None = None) -> list[dict]:
    """The learned template lines (normalized text), per host, most frequent first."""
    query = select(TemplateLineRow).where(TemplateLineRow.is_template.is_(True))
    if host:
        query = query.where(TemplateLineRow.host == host)
    with store.session() as s:
        rows = s.scalars(query.order_by(TemplateLineRow.host, TemplateLineRow.articles.desc())).all()
        pages = {h.host: h.pages for h in s.scalars(select(TemplateHostRow))}
        return [{"host": r.host, "line": r.text, "articles": r.articles, "host_pages": pages.get(r.host, 0)}
                for r in rows]


def restore_host(store: Store, host: str) -> int:
    """Undo: every article of the host gets its body as extracted back, and what was learned about
    the host is forgotten (set `templates.exclude_hosts` to keep it from being learned again).
    Returns the number of articles restored."""
    restored = 0
    with store.session() as s:
        pages = s.scalars(select(TemplatePageRow).where(TemplatePageRow.host == host,
                                                        TemplatePageRow.raw_body.is_not(None))).all()
        articles = {a.id: a for a in _chunked_rows(s, ArticleRow, ArticleRow.id, [p.article_id for p in pages])}
        for page in pages:
            article = articles.get(page.article_id)
            if article is not None and page.raw_body is not None and _set_body(article, page.raw_body):
                restored += 1
        for model in (TemplatePageRow, TemplateLineRow, TemplateHostRow):
            s.execute(delete(model).where(model.host == host))
    return restored
