"""The search tables: facet rows, index state, and one text index per database.

Alembic creates them (migration 0003_search); `ensure_ready` only checks that the index was built
by today's tokenization rules (INDEX_VERSION) and whether pg_trgm can back substring search.
"""

from __future__ import annotations

import logging
import threading
import weakref
from typing import Any

from sqlalchemy import Column, Date, DateTime, Index, Integer, MetaData, String, Table, Text, select
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError

from ainews.store.db import Store

log = logging.getLogger("ainews.store.search")

INDEX_VERSION = "2"  # bump when tokenization or columns change: the index then rebuilds itself
VALUE_CHARS = 200  # facet values are cut here (web filter parameters are at most 200 characters)
SQLITE_DDL = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_morph USING fts5(title, summary, body, tags,"
    " tokenize='unicode61 remove_diacritics 2')",
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_trigram USING fts5(title, summary, body,"
    " tokenize='trigram')",
]
PG_DDL = [
    "CREATE TABLE IF NOT EXISTS search_pg (article_id INTEGER PRIMARY KEY, tsv tsvector NOT NULL,"
    " raw TEXT NOT NULL DEFAULT '')",
    "CREATE INDEX IF NOT EXISTS ix_search_pg_tsv ON search_pg USING gin (tsv)",
    # kind and value are not independent ('LLM' is only ever a topic): without this the planner
    # underestimates a facet's rows several times over and picks nested loops
    "CREATE STATISTICS IF NOT EXISTS search_facets_kind_value (mcv, dependencies) ON kind, value"
    " FROM search_facets",
]
PG_TRGM_DDL = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS ix_search_pg_raw ON search_pg USING gin (raw gin_trgm_ops)",
]
TEXT_TABLES = {"sqlite": ("search_morph", "search_trigram"), "postgresql": ("search_pg",)}

META = MetaData()
meta_t = Table("search_meta", META, Column("key", String(64), primary_key=True), Column("value", Text))


def _state_table(name: str) -> Table:
    return Table(name, META, Column("article_id", Integer, primary_key=True, autoincrement=False),
                 Column("updated_at", Text), Column("analysis_version", Text))


docs_t = _state_table("search_docs")  # what the text index saw
facet_docs_t = _state_table("search_facet_docs")  # what the facet rows saw
facets_t = Table(
    "search_facets", META,
    Column("article_id", Integer, primary_key=True, autoincrement=False),
    Column("kind", String(16), primary_key=True),
    Column("value", String(VALUE_CHARS), primary_key=True),
    Column("day", Date),
    Column("ts", DateTime, nullable=False),  # published_at (UTC), NO_TIME when unknown
    Index("ix_search_facets_list", "kind", "value", "ts", "article_id"),
    Index("ix_search_facets_day", "kind", "day", "value"),
)


def create_all(conn: Connection) -> None:
    """Every search table for this database (idempotent): what the migration runs."""
    META.create_all(conn, checkfirst=True)
    dialect = conn.dialect.name
    for ddl in SQLITE_DDL if dialect == "sqlite" else PG_DDL if dialect == "postgresql" else []:
        conn.exec_driver_sql(ddl)


# engine -> checked (the value: whether a trigram index backs substring search)
_ready: weakref.WeakKeyDictionary[Any, bool] = weakref.WeakKeyDictionary()
_ready_lock = threading.Lock()


def ensure_ready(store: Store) -> bool:
    """Forget an index built by other tokenization rules (sync() rebuilds it); returns whether
    substrings have a trigram index. Checked once per engine."""
    engine = store.engine
    with _ready_lock:
        if engine in _ready:
            return _ready[engine]
        with store.exclusive("search-schema", wait=True), engine.begin() as conn:
            found = conn.scalar(select(meta_t.c.value).where(meta_t.c.key == "version"))
            if found != INDEX_VERSION:
                clear(conn, facets=False)
                conn.execute(meta_t.delete().where(meta_t.c.key == "version"))
                conn.execute(meta_t.insert().values(key="version", value=INDEX_VERSION))
        dialect = engine.dialect.name
        trigram = dialect == "sqlite" or (dialect == "postgresql" and _try_pg_trgm(store))
        _ready[engine] = trigram
        return trigram


def _try_pg_trgm(store: Store) -> bool:
    """pg_trgm needs CREATE privilege (often superuser); without it substring search still works, slower."""
    try:
        with store.engine.begin() as conn:
            for ddl in PG_TRGM_DDL:
                conn.exec_driver_sql(ddl)
        return True
    except DBAPIError as exc:
        log.warning("search: pg_trgm unavailable (%s); substring search scans the table",
                    str(exc.orig).splitlines()[0] if exc.orig else exc)
        return False


def clear(conn: Connection, facets: bool) -> None:
    """Empty the text index (and with `facets` the facet rows): sync() then rebuilds them."""
    for name in TEXT_TABLES.get(conn.dialect.name, ()):
        conn.exec_driver_sql(f"DELETE FROM {name}")
    conn.execute(docs_t.delete())
    if facets:
        conn.execute(facets_t.delete())
        conn.execute(facet_docs_t.delete())
