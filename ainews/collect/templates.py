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

from sqlalchemy import delete, insert, or_, select, update
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


@dataclass(slots=True)
class _Line:
    """A template line's counts as loaded (`loaded`) and as the refresh leaves them."""

    articles: int
    first_page: int
    is_template: bool
    text: str = ""
    loaded: tuple[int, bool] | None = None  # (articles, is_template) in the store; None: a new line


@dataclass(slots=True)
class _Page:
    """One page record of a host being learned: what it counted and what cleaning cut."""

    article_id: int
    content_hash: str
    hashes: list[str]
    raw_body: str | None = None
    removed: list[str] = field(default_factory=list)


def _learn_host(s: Session, host: str, ids: list[int], rules: TemplateRules, report: TemplateReport) -> None:
    """Count the host's new pages, mark new template lines, clean what they cover: a few bulk
    statements per host (reads in chunks, executemany writes), not an ORM object per row."""
    pages_before = s.scalar(select(TemplateHostRow.pages).where(TemplateHostRow.host == host))
    pages = pages_before or 0
    bodies = _bodies(s, ids)
    old = {row.article_id: list(row.hashes or []) for row in _chunked(s, (TemplatePageRow.article_id,
                                                                          TemplatePageRow.hashes),
                                                                      TemplatePageRow.article_id, ids)}
    counted = {i: page_lines(bodies[i][0]) for i in ids if i in bodies}  # in publication order
    touched = {h for hashes in counted.values() for h in hashes} | {h for hs in old.values() for h in hs}
    lines = _load_lines(s, host, touched)
    new_pages: dict[int, _Page] = {}
    for article_id, texts in counted.items():
        if article_id in old:
            for h in old[article_id]:
                if h in lines:
                    lines[h].articles = max(0, lines[h].articles - 1)
        else:
            pages += 1
        for h, text in texts.items():
            line = lines.get(h) or lines.setdefault(h, _Line(0, pages, False, text[:500]))
            line.articles += 1
        new_pages[article_id] = _Page(article_id, bodies[article_id][1], sorted(texts))
    report.pages_counted += len(counted)
    fresh = {h for texts in counted.values() for h in texts if not lines[h].is_template
             and is_template(lines[h].articles, lines[h].first_page, pages, rules)}
    for h in fresh:
        lines[h].is_template = True
    if fresh:
        report.new_template_lines[host] = len(fresh)
    _save_counts(s, host, pages_before, pages, lines)
    template = set(s.scalars(select(TemplateLineRow.line_hash).where(
        TemplateLineRow.host == host, TemplateLineRow.is_template.is_(True))))
    cleaned = _clean_pages(s, host, new_pages, bodies, fresh, template, report)
    _save_pages(s, host, new_pages, old, cleaned)
    _prune(s, host, pages)


def _bodies(s: Session, ids: list[int]) -> dict[int, tuple[str, str]]:
    """Article id → (body, content_hash)."""
    return {row.id: (row.body, row.content_hash)
            for row in _chunked(s, (ArticleRow.id, ArticleRow.body, ArticleRow.content_hash), ArticleRow.id, ids)}


def _load_lines(s: Session, host: str, hashes: Iterable[str]) -> dict[str, _Line]:
    columns = (TemplateLineRow.line_hash, TemplateLineRow.articles, TemplateLineRow.first_page,
               TemplateLineRow.is_template)
    hashes = list(hashes)
    out: dict[str, _Line] = {}
    for start in range(0, len(hashes), CHUNK):
        for row in s.execute(select(*columns).where(
                TemplateLineRow.host == host, TemplateLineRow.line_hash.in_(hashes[start:start + CHUNK]))):
            out[row.line_hash] = _Line(row.articles, row.first_page, bool(row.is_template),
                                       loaded=(row.articles, bool(row.is_template)))
    return out


def _save_counts(s: Session, host: str, pages_before: int | None, pages: int, lines: dict[str, _Line]) -> None:
    """The host's page count, new lines inserted and changed lines updated, in bulk."""
    if pages_before is None:
        s.execute(insert(TemplateHostRow.__table__), [{"host": host, "pages": pages}])
    elif pages != pages_before:
        s.execute(update(TemplateHostRow), [{"host": host, "pages": pages}])
    fresh = [{"host": host, "line_hash": h, "articles": ln.articles, "first_page": ln.first_page,
              "is_template": ln.is_template, "text": ln.text} for h, ln in lines.items() if ln.loaded is None]
    changed = [{"host": host, "line_hash": h, "articles": ln.articles, "is_template": ln.is_template}
               for h, ln in lines.items() if ln.loaded is not None and ln.loaded != (ln.articles, ln.is_template)]
    if fresh:
        s.execute(insert(TemplateLineRow.__table__), fresh)  # Core: no ORM bookkeeping per row
    if changed:
        s.execute(update(TemplateLineRow), changed)


def _clean_pages(s: Session, host: str, new_pages: dict[int, _Page], bodies: dict[int, tuple[str, str]],
                 fresh: set[str], template: set[str], report: TemplateReport) -> dict[int, _Page]:
    """Clean the pages just counted, and every page of the host that holds a line just become
    template. Returns the host's other pages whose record changed; article bodies are written here."""
    if not template:
        return {}
    others = _pages_holding(s, host, fresh, set(new_pages)) if fresh else {}
    others_bodies = _bodies(s, list(others))
    changed_pages: dict[int, _Page] = {}
    changed_bodies: list[dict] = []
    now = datetime.now(UTC).replace(tzinfo=None)
    for page in [*new_pages.values(), *others.values()]:
        body = (bodies.get(page.article_id) or others_bodies.get(page.article_id) or (None, ""))[0]
        if body is None:
            continue
        before = (page.raw_body, page.removed)
        cleaned = _clean_one(body, page, template)
        if cleaned != body:
            changed_bodies.append({"id": page.article_id, "body": cleaned, "updated_at": now,
                                   "analysis_version": None})  # analyze (and index) the cleaned text again
            report.articles_cleaned += 1
            report.lines_removed += len(page.removed)
        if page.article_id in others and (page.raw_body, page.removed) != before:
            changed_pages[page.article_id] = page
    if changed_bodies:
        s.execute(update(ArticleRow), changed_bodies)
    return changed_pages


def _pages_holding(s: Session, host: str, hashes: set[str], skip: set[int]) -> dict[int, _Page]:
    """The host's page records (other than `skip`) that counted one of `hashes`."""
    query = select(TemplatePageRow.article_id, TemplatePageRow.content_hash, TemplatePageRow.hashes,
                   TemplatePageRow.raw_body, TemplatePageRow.removed).where(TemplatePageRow.host == host)
    return {row.article_id: _Page(row.article_id, row.content_hash, list(row.hashes or []), row.raw_body,
                                  list(row.removed or []))
            for row in s.execute(query)
            if row.article_id not in skip and hashes.intersection(row.hashes or [])}


def _clean_one(body: str, page: _Page, template: set[str]) -> str:
    """Raw body minus template lines (unless that fails the gate); records the cut on `page`."""
    raw = page.raw_body if page.raw_body is not None else body
    if page.raw_body is None and template.isdisjoint(page.hashes):
        return body  # hashes are this body's lines: nothing to cut, no need to look line by line
    cleaned, removed = strip_template(raw, template)
    if removed and quality.check(raw)[0] and not quality.check(cleaned)[0]:
        cleaned, removed = raw, []
    page.raw_body, page.removed = (raw if removed else None), removed
    return cleaned


def _save_pages(s: Session, host: str, counted: dict[int, _Page], old: dict[int, list[str]],
                cleaned: dict[int, _Page]) -> None:
    """Page records in bulk: the counted ones inserted or rewritten, the re-cleaned ones updated."""
    rows = [{"article_id": p.article_id, "host": host, "content_hash": p.content_hash, "hashes": p.hashes,
             "raw_body": p.raw_body, "removed": p.removed} for p in counted.values()]
    if inserts := [r for r in rows if r["article_id"] not in old]:
        s.execute(insert(TemplatePageRow.__table__), inserts)
    if updates := [r for r in rows if r["article_id"] in old]:
        s.execute(update(TemplatePageRow), updates)
    if cleaned:
        s.execute(update(TemplatePageRow), [{"article_id": p.article_id, "raw_body": p.raw_body,
                                             "removed": p.removed} for p in cleaned.values()])


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


def _chunked(s: Session, columns: tuple, key: object, ids: list[int]) -> list:
    """Rows of `columns` whose `key` is in `ids`, read CHUNK ids at a time (bound-parameter limits)."""
    out: list = []
    for start in range(0, len(ids), CHUNK):
        out += s.execute(select(*columns).where(key.in_(ids[start:start + CHUNK]))).all()  # type: ignore[attr-defined]
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
