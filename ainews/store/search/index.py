"""The search index: keeps the facet rows and the text index in step with the articles table.

`search_docs` / `search_facet_docs` remember which (updated_at, analysis_version) each article
was indexed at, so both catch up by themselves on whatever the pipeline stored since.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, Text, cast, func, or_, select
from sqlalchemy.sql.elements import ColumnElement

from ainews.models import Article
from ainews.store.db import Store
from ainews.store.schema import ArticleRow
from ainews.store.search.base import Backend, Doc, Ranked
from ainews.store.search.facets import Filters, facet_rows
from ainews.store.search.like import LikeScan
from ainews.store.search.postgres_fts import PostgresFts
from ainews.store.search.query import ParsedQuery, Tokenizer, parse_query
from ainews.store.search.sqlite_fts import SqliteFts
from ainews.store.search.tables import clear, docs_t, ensure_ready, facet_docs_t, facets_t

BODY_CHARS = 4000  # morphemes of the body beyond this add little and cost Kiwi time
BATCH = 200  # articles per tokenizer call and text-index transaction
FACET_BATCH = 2000  # articles per facet transaction (no tokenizer: cheap)
ANALYZE_AFTER = 5000  # refresh planner statistics after indexing this many articles at once
BACKENDS = {"sqlite": SqliteFts, "postgresql": PostgresFts}


@dataclass(slots=True)
class SearchHit:
    article: Article
    score: float
    matched: str  # "morph" | "trigram" | "like"
    words: list[str]  # every spelling to highlight (web/highlight.py)


def summary_text(article: Article) -> str:
    """The summary a reader sees: our analysis's, else the imported digest's."""
    if article.analysis and article.analysis.summary:
        return " ".join(article.analysis.summary)
    if article.imported and article.imported.summary:
        return " ".join(article.imported.summary)
    return ""


def doc_texts(article: Article) -> Doc:
    """Title (with subtitles), summary, body and tags (category, topics, companies) of an article."""
    title = " ".join([article.title, *article.subtitles])
    an = article.analysis
    tags: list[str] = []
    if an:
        tags = [an.category, *an.topics, *an.companies]
    if article.imported:
        tags += [article.imported.category, article.imported.company, *article.imported.tags]
    return title, summary_text(article), article.body or "", [t for t in tags if t]


def _updated_text() -> ColumnElement[Any]:
    return cast(ArticleRow.updated_at, Text)


class SearchIndex:
    """Full-text search and facet rows over a Store, with the tokenizer documents and queries share."""

    def __init__(self, store: Store, tokenize: Tokenizer) -> None:
        self.store = store
        self.tokenize = tokenize
        backend: Backend = BACKENDS.get(store.engine.dialect.name, LikeScan)(store)
        self.text_backend = backend
        self.backend = backend.name
        self.trigram_index = ensure_ready(store)
        self._lock = threading.Lock()

    # writing

    def update(self, articles: Iterable[Article]) -> int:
        """(Re)index these articles as they are stored now; the pipeline calls this after analysis."""
        ids = [a.id for a in articles if a.id]
        with self._lock:
            facets_done = self._batches(ids, FACET_BATCH, self._facet_batch)
            return self._batches(ids, BATCH, self._text_batch) if self.text_backend.indexes_text else facets_done

    def _stale(self, state: Table) -> list[int]:
        stmt = (
            select(ArticleRow.id).outerjoin(state, state.c.article_id == ArticleRow.id)
            .where(or_(state.c.article_id.is_(None), state.c.updated_at.is_distinct_from(_updated_text()),
                       state.c.analysis_version.is_distinct_from(ArticleRow.analysis_version)))
            .order_by(ArticleRow.id)
        )
        with self.store.session() as s:
            return list(s.scalars(stmt))

    def fingerprint(self) -> tuple[Any, ...]:
        """(articles, analyzed articles, newest id, newest analysis version), read from indexes: when it
        has not moved, nothing was added or newly analyzed and a full stale scan can wait."""
        with self.store.session() as s:
            row = s.execute(select(func.count(ArticleRow.id), func.count(ArticleRow.analysis_version),
                                   func.max(ArticleRow.id), func.max(ArticleRow.analysis_version))).one()
        return tuple(row)

    def stale_ids(self) -> list[int]:
        """Articles added, changed or (re)analyzed since the text index saw them."""
        return self._stale(docs_t) if self.text_backend.indexes_text else []

    def sync_facets(self) -> int:
        """Bring the facet rows up to date (no tokenizer: ~100k articles take seconds). Filtered lists,
        counts and trends are right once this has run, before the slower text index catches up."""
        with self._lock:
            return self._batches(self._stale(facet_docs_t), FACET_BATCH, self._facet_batch)

    def sync(self) -> int:
        """Index whatever is stale (facets first, then text); cheap when nothing is.
        Returns how many articles were (re)indexed."""
        facet_ids = set(self._stale(facet_docs_t))
        text_ids = set(self.stale_ids())
        with self._lock:
            self._batches(sorted(facet_ids), FACET_BATCH, self._facet_batch)
            self._batches(sorted(text_ids), BATCH, self._text_batch)
            if len(facet_ids | text_ids) >= ANALYZE_AFTER:
                with self.store.engine.begin() as conn:
                    self.text_backend.after_bulk_sync(conn)
        return len(facet_ids | text_ids)

    def rebuild(self) -> int:
        """Drop the index and build it again from every article."""
        with self._lock, self.store.engine.begin() as conn:
            clear(conn, facets=True)
        return self.sync()

    @staticmethod
    def _batches(ids: Sequence[int], size: int, work: Any) -> int:
        return sum(work(list(ids[i:i + size])) for i in range(0, len(ids), size))

    def _facet_batch(self, ids: list[int]) -> int:
        """Read the articles' filter values and replace their facet rows, in one transaction."""
        columns = (ArticleRow.id, _updated_text(), ArticleRow.analysis_version, ArticleRow.category,
                   ArticleRow.publisher, ArticleRow.topics, ArticleRow.companies, ArticleRow.day,
                   ArticleRow.published_at)
        with self.store.engine.begin() as conn:
            rows = conn.execute(select(*columns).where(ArticleRow.id.in_(ids))).all()
            conn.execute(facets_t.delete().where(facets_t.c.article_id.in_(ids)))
            conn.execute(facet_docs_t.delete().where(facet_docs_t.c.article_id.in_(ids)))
            new_rows = [r for row in rows for r in facet_rows(row)]
            if new_rows:
                conn.execute(facets_t.insert(), new_rows)
                conn.execute(facet_docs_t.insert(), [
                    {"article_id": r[0], "updated_at": r[1], "analysis_version": r[2]} for r in rows])
        return len(rows)

    def _text_batch(self, ids: list[int]) -> int:
        with self.store.session() as s:
            state = s.execute(select(ArticleRow.id, _updated_text(), ArticleRow.analysis_version)
                              .where(ArticleRow.id.in_(ids))).all()
        articles = self.store.get_articles([row[0] for row in state])
        docs = [doc_texts(a) for a in articles]
        tokens = self.tokenize([x for d in docs for x in (d[0], d[1], d[2][:BODY_CHARS])])
        with self.store.engine.begin() as conn:
            self.text_backend.write(conn, ids, articles, docs, tokens)
            conn.execute(docs_t.delete().where(docs_t.c.article_id.in_(ids)))
            if state:
                conn.execute(docs_t.insert(), [
                    {"article_id": r[0], "updated_at": r[1], "analysis_version": r[2]} for r in state])
        return len(articles)

    # reading

    def parse(self, q: str) -> ParsedQuery:
        return parse_query(q, self.tokenize)

    def search(self, q: str, limit: int = 20, filters: Filters | None = None, offset: int = 0) -> list[SearchHit]:
        """Ranked hits; any input gives results or [], never an error."""
        limit = max(0, min(int(limit), 200))
        offset = max(0, int(offset))
        parsed = self.parse(q)
        if not parsed.terms or limit == 0:
            return []
        ranked = self._ranked(parsed, filters or Filters(), limit + offset)[offset:offset + limit]
        articles = {a.id: a for a in self.store.get_articles([i for i, _, _ in ranked])}
        words = parsed.highlight_words()
        return [SearchHit(articles[i], score, how, words) for i, score, how in ranked if i in articles]

    def _ranked(self, parsed: ParsedQuery, filters: Filters, want: int) -> Ranked:
        """Every term as a word; failing that, any term; then substrings to fill up."""
        ranked = self.text_backend.words(parsed, filters, want, any_term=False)
        if not ranked and len(parsed.terms) > 1:
            ranked = self.text_backend.words(parsed, filters, want, any_term=True)
        if len(ranked) < want:
            seen = {i for i, _, _ in ranked}
            ranked += [r for r in self.text_backend.substrings(parsed, filters, want) if r[0] not in seen]
        return ranked
