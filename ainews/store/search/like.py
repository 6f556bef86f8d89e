"""Any other database: a LIKE scan over titles and bodies (no index to keep)."""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.engine import Connection

from ainews.models import Article
from ainews.store.db import Store
from ainews.store.schema import ArticleRow
from ainews.store.search.base import Doc, Ranked, run_query
from ainews.store.search.facets import Filters, filter_conditions
from ainews.store.search.query import ParsedQuery


class LikeScan:
    name = "like"
    indexes_text = False

    def __init__(self, store: Store) -> None:
        self.store = store

    def write(self, conn: Connection, ids: list[int], articles: list[Article], docs: list[Doc],
              tokens: list[list[str]]) -> None:
        return None

    def words(self, parsed: ParsedQuery, filters: Filters, limit: int, any_term: bool) -> Ranked:
        """Every term somewhere in the title or body, newest first (no any-term retry)."""
        if any_term:
            return []
        columns = (ArticleRow.title, ArticleRow.body)
        clauses = [or_(*[col.icontains(s, autoescape=True) for s in term.surfaces for col in columns])
                   for term in parsed.terms]
        stmt = (select(ArticleRow.id).where(*clauses, *filter_conditions(filters, ArticleRow.id))
                .order_by(ArticleRow.published_at.desc()).limit(limit))
        return [(row[0], 0.0, "like") for row in run_query(self.store, stmt, "like")]

    def substrings(self, parsed: ParsedQuery, filters: Filters, limit: int) -> Ranked:
        return []

    def after_bulk_sync(self, conn: Connection) -> None:
        return None
