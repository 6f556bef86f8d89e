"""PostgreSQL: `search_pg` holds the morphemes as a weighted tsvector under a GIN index.

Weights: title A, tags B, summary C, body D; lexemes exactly as SQLite's tokenizer sees them (no
PostgreSQL parser or dictionary touches them). The raw text sits under a pg_trgm GIN index when
that extension can be created (plain LIKE otherwise) for substring search.
"""

from __future__ import annotations

from sqlalchemy import cast, column, func, literal, literal_column, or_, select, table, text
from sqlalchemy.dialects.postgresql import TSQUERY, TSVECTOR
from sqlalchemy.engine import Connection

from ainews.models import Article
from ainews.store.db import Store
from ainews.store.search.aliases import tag_key
from ainews.store.search.base import CANDIDATES, TRIGRAM_BODY_CHARS, Doc, Ranked, run_query
from ainews.store.search.facets import Filters, filter_conditions
from ainews.store.search.query import ParsedQuery, tsvector_literal

PG_WEIGHTS = "{0.125, 0.375, 0.5, 1.0}"  # ts_rank weights {D body, C summary, B tags, A title}
# a generic plan cannot know how common a word is, and parallel workers cost more than these
# small top-N queries gain
QUERY_SETUP = ("SET LOCAL plan_cache_mode = force_custom_plan", "SET LOCAL max_parallel_workers_per_gather = 0")


class PostgresFts:
    name = "tsvector"
    indexes_text = True

    def __init__(self, store: Store) -> None:
        self.store = store

    def write(self, conn: Connection, ids: list[int], articles: list[Article], docs: list[Doc],
              tokens: list[list[str]]) -> None:
        rows = []
        for i, (a, d) in enumerate(zip(articles, docs, strict=True)):
            title, summary, body = tokens[3 * i:3 * i + 3]
            tsv = tsvector_literal([(title, "A"), ([tag_key(t) for t in d[3]], "B"), (summary, "C"), (body, "D")])
            raw = "\n".join((d[0], d[1], d[2][:TRIGRAM_BODY_CHARS])).replace("\x00", "").lower()  # LIKE, not ILIKE
            rows.append({"id": a.id, "tsv": tsv, "raw": raw})
        conn.execute(text("DELETE FROM search_pg WHERE article_id = :id"), [{"id": i} for i in ids])
        if rows:
            conn.execute(text("INSERT INTO search_pg (article_id, tsv, raw) "
                              "VALUES (:id, CAST(:tsv AS tsvector), :raw)"), rows)

    def words(self, parsed: ParsedQuery, filters: Filters, limit: int, any_term: bool) -> Ranked:
        """ts_rank-ranked hits among the newest CANDIDATES matches (scores negated: lower is better,
        as in FTS5); ts_rank runs only on those candidates."""
        query = parsed.tsquery(any_term)
        if not query:
            return []
        pg = table("search_pg", column("article_id"), column("tsv", TSVECTOR))
        tsq = cast(literal(query), TSQUERY)
        newest = (select(pg.c.article_id, pg.c.tsv)
                  .where(pg.c.tsv.bool_op("@@")(tsq), *filter_conditions(filters, pg.c.article_id))
                  .order_by(pg.c.article_id.desc()).limit(max(CANDIDATES, limit)).subquery())
        rank = func.ts_rank(literal_column(f"'{PG_WEIGHTS}'::float4[]"), newest.c.tsv, tsq)
        rows = run_query(self.store, select(newest.c.article_id, rank), "tsquery", setup=QUERY_SETUP)
        return [(i, -float(v), "morph") for i, v in sorted(rows, key=lambda r: (-r[1], -r[0]))[:limit]]

    def substrings(self, parsed: ParsedQuery, filters: Filters, limit: int) -> Ranked:
        """Every term as a substring (any spelling) of the lower-cased raw text; pg_trgm serves LIKE."""
        terms = parsed.substrings()
        if not terms:
            return []
        pg = table("search_pg", column("article_id"), column("raw"))
        likes = [or_(*[pg.c.raw.like("%" + like_escape(s) + "%", escape="\\") for s in options])
                 for options in terms]
        stmt = (select(pg.c.article_id).where(*likes, *filter_conditions(filters, pg.c.article_id))
                .order_by(pg.c.article_id.desc()).limit(limit))
        return [(row[0], 0.0, "trigram") for row in run_query(self.store, stmt, "substring", setup=QUERY_SETUP)]

    def after_bulk_sync(self, conn: Connection) -> None:
        conn.exec_driver_sql("ANALYZE search_pg, search_facets")  # the planner's word and facet statistics


def like_escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
