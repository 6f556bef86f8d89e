"""What every text-search backend offers the index (one module per backend beside this one)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any, Protocol

from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError

from ainews.models import Article
from ainews.store.db import Store
from ainews.store.search.facets import Filters
from ainews.store.search.query import ParsedQuery

log = logging.getLogger("ainews.store.search")

Ranked = list[tuple[int, float, str]]  # (article id, score: lower is better, how it matched)
Doc = tuple[str, str, str, list[str]]  # title (with subtitles), summary, body, tags
CANDIDATES = 1000  # a word in more articles than this is ranked among its newest CANDIDATES matches
TRIGRAM_BODY_CHARS = 1000  # substring search keeps only the lead: it is ~3x the text in size


class Backend(Protocol):
    name: str  # "fts5" | "tsvector" | "like"
    indexes_text: bool  # False: nothing to write, queries scan the articles

    def write(self, conn: Connection, ids: list[int], articles: list[Article], docs: list[Doc],
              tokens: list[list[str]]) -> None:
        """Replace the index rows of `ids` (tokens: title, summary, body per article, in order)."""

    def words(self, parsed: ParsedQuery, filters: Filters, limit: int, any_term: bool) -> Ranked:
        """Hits on whole words (morphemes), best first."""

    def substrings(self, parsed: ParsedQuery, filters: Filters, limit: int) -> Ranked:
        """Hits on substrings of the raw text, for what the tokenizer splits differently."""

    def after_bulk_sync(self, conn: Connection) -> None:
        """Refresh whatever the database needs after many rows changed at once."""


def run_query(store: Store, stmt: Any, what: str, params: dict[str, Any] | None = None,
              setup: Sequence[str] = ()) -> list[Any]:
    """Rows of a search query; a query we failed to sanitize is logged and gives [], never a 500."""
    try:
        with store.session() as s:
            for statement in setup:
                s.execute(text(statement))
            return list(s.execute(stmt, params or {}))
    except DBAPIError as exc:
        log.warning("search: %s query failed: %s", what, exc)
        return []
