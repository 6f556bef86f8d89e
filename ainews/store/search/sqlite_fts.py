"""SQLite: two FTS5 tables keyed by article id.

`search_morph` holds Kiwi content morphemes (particles dropped, Latin lower-cased) of title,
summary, body and tags, so `카카오의` finds `카카오` and word order inside a phrase still matters;
`search_trigram` holds the raw title, summary and body lead for substrings Kiwi splits
differently (`카카오` inside `카카오페이`). Very common words are ranked only among the newest
CANDIDATES matches, so a search costs about the same whether a word is in 50 or 50,000 articles.
"""

from __future__ import annotations

from sqlalchemy import column, literal_column, select, table, text
from sqlalchemy.engine import Connection

from ainews.models import Article
from ainews.store.db import Store
from ainews.store.search.aliases import tag_key
from ainews.store.search.base import CANDIDATES, TRIGRAM_BODY_CHARS, Doc, Ranked, run_query
from ainews.store.search.facets import Filters, filter_conditions
from ainews.store.search.query import ParsedQuery
from ainews.store.search.tables import TEXT_TABLES

WEIGHTS = (8.0, 3.0, 1.0, 4.0)  # bm25 weights: title, summary, body, tags


class SqliteFts:
    name = "fts5"
    indexes_text = True

    def __init__(self, store: Store) -> None:
        self.store = store

    def write(self, conn: Connection, ids: list[int], articles: list[Article], docs: list[Doc],
              tokens: list[list[str]]) -> None:
        joined = [" ".join(t) for t in tokens]
        morph_rows = [(a.id, *joined[3 * i:3 * i + 3], " ".join(tag_key(t) for t in docs[i][3]))
                      for i, a in enumerate(articles)]
        tri_rows = [(a.id, d[0], d[1], d[2][:TRIGRAM_BODY_CHARS]) for a, d in zip(articles, docs, strict=True)]
        params = [(i,) for i in ids]
        for name in TEXT_TABLES["sqlite"]:
            conn.exec_driver_sql(f"DELETE FROM {name} WHERE rowid = ?", params)
        if morph_rows:
            conn.exec_driver_sql("INSERT INTO search_morph(rowid, title, summary, body, tags) VALUES (?, ?, ?, ?, ?)",
                                 morph_rows)
            conn.exec_driver_sql("INSERT INTO search_trigram(rowid, title, summary, body) VALUES (?, ?, ?, ?)",
                                 tri_rows)

    def words(self, parsed: ParsedQuery, filters: Filters, limit: int, any_term: bool) -> Ranked:
        return self._match("search_morph", parsed.morph_match(any_term), filters, limit, "morph")

    def substrings(self, parsed: ParsedQuery, filters: Filters, limit: int) -> Ranked:
        return self._match("search_trigram", parsed.trigram_match(), filters, limit, "trigram")

    def after_bulk_sync(self, conn: Connection) -> None:
        return None

    def _match(self, name: str, match: str | None, filters: Filters, limit: int, how: str) -> Ranked:
        """bm25-ranked hits among the newest CANDIDATES matches: one pass in rowid order that stops
        early, so bm25 never runs over tens of thousands of rows for a very common word."""
        if not match:
            return []
        fts = table(name, column("rowid"))
        weights = ", ".join(str(w) for w in (WEIGHTS if name == "search_morph" else WEIGHTS[:3]))
        score = literal_column(f"bm25({name}, {weights})")
        stmt = (select(fts.c.rowid, score)
                .where(text(f"{name} MATCH :match"), *filter_conditions(filters, fts.c.rowid))
                .order_by(fts.c.rowid.desc()).limit(max(CANDIDATES, limit)))
        rows = run_query(self.store, stmt, name, {"match": match})
        return [(i, float(v), how) for i, v in sorted(rows, key=lambda r: (r[1], -r[0]))[:limit]]
