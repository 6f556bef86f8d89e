"""Korean full-text search and filtered browsing over the store.

Search (one backend per database, same API and same query handling):
- SQLite: two FTS5 tables keyed by article id: `search_morph` holds Kiwi content morphemes
  (particles dropped, Latin lower-cased) of title, summary, body and tags, so `카카오의` finds
  `카카오` and word order inside a phrase still matters; `search_trigram` holds the raw title,
  summary and body lead for substrings Kiwi splits differently (`카카오` inside `카카오페이`).
- PostgreSQL: `search_pg` holds the same morphemes as a weighted `tsvector` (title A, tags B,
  summary C, body D; lexemes exactly as SQLite's tokenizer sees them) under a GIN index, and the
  raw text under a pg_trgm GIN index when that extension can be created (plain ILIKE otherwise).
- anything else: a LIKE scan.
A user's query never reaches FTS5 or tsquery as syntax: it is tokenized like the documents and
every token is quoted. Very common words are ranked only among the newest CANDIDATES matches, so
a search costs about the same whether a word is in 50 or 50,000 articles.

Filters: `search_facets` holds one (article, kind, value) row per category, outlet, topic and
company (plus an `all` row), with the day and publication time, so filtered lists, counts, facet
counts and trends read a narrow index instead of every article's JSON lists.

`search_docs` / `search_facet_docs` remember which (updated_at, analysis_version) each article
was indexed at, so both catch up by themselves on whatever the pipeline stored since. Every table
here is created idempotently on first use (the store's migrations do not know them).
"""

from __future__ import annotations

import logging
import re
import threading
import tomllib
import weakref
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape
from sqlalchemy import (
    Column,
    Date,
    DateTime,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    cast,
    column,
    exists,
    func,
    literal,
    literal_column,
    or_,
    select,
    table,
    text,
)
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql.elements import ColumnElement

from ainews.models import Article
from ainews.store.db import Store
from ainews.store.schema import ArticleRow

log = logging.getLogger(__name__)

BODY_CHARS = 4000  # morphemes of the body beyond this add little and cost Kiwi time
TRIGRAM_BODY_CHARS = 1000  # the trigram table keeps only the lead: it is ~3x the text in size
BATCH = 200  # articles per Kiwi call and text-index transaction
FACET_BATCH = 2000  # articles per facet transaction (no Kiwi: cheap)
WEIGHTS = (8.0, 3.0, 1.0, 4.0)  # bm25 weights: title, summary, body, tags
PG_WEIGHTS = "{0.125, 0.375, 0.5, 1.0}"  # ts_rank weights {D body, C summary, B tags, A title}: WEIGHTS / 8
CANDIDATES = 1000  # a word in more articles than this is ranked among its newest CANDIDATES matches
SNIPPET_CHARS = 160
ANALYZE_AFTER = 5000  # PostgreSQL: refresh planner statistics after indexing this many articles at once
VALUE_CHARS = 200  # facet values are cut here (web filter parameters are at most 200 characters)
FACET_KINDS = ("category", "outlet", "topic", "company")
NO_TIME = datetime(1, 1, 1)  # sort key of articles without a publication time: last when newest first
KST_OFFSET = timedelta(hours=9)

INDEX_VERSION = "2"  # bump when tokenization or columns change: the index then rebuilds itself
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
TEXT_TABLES = {"sqlite": ("search_morph", "search_trigram"), "postgresql": ("search_pg",)}


# Product names and spellings not in companies.toml (which holds organisations).
EXTRA_ALIASES: list[list[str]] = [
    ["오픈AI", "OpenAI", "오픈 AI", "오픈에이아이"],
    ["챗GPT", "ChatGPT", "챗 GPT"],
    ["하이퍼클로바X", "HyperCLOVA X", "하이퍼클로바", "HyperCLOVA"],
    ["엑사원", "EXAONE"],
    ["제미나이", "Gemini"],
    ["클로드", "Claude"],
    ["라마", "Llama"],
    ["독파모", "독자 AI 파운데이션 모델", "독자AI파운데이션모델"],
    ["카카오", "Kakao"],
    ["네이버", "NAVER", "Naver"],
]


# --- tables -----------------------------------------------------------------------------------

# engine -> tables exist (the value: whether a trigram index backs substring search)
_ready: weakref.WeakKeyDictionary[Any, bool] = weakref.WeakKeyDictionary()
_ready_lock = threading.Lock()


def ensure_tables(store: Store) -> bool:
    """Create the search and facet tables if missing (idempotent, safe across processes); forget an
    index built by other tokenization rules. Returns whether substrings have a trigram index."""
    engine = store.engine
    with _ready_lock:
        if engine in _ready:
            return _ready[engine]
        with store.exclusive("search-schema", wait=True):
            with engine.begin() as conn:
                META.create_all(conn, checkfirst=True)
                dialect = engine.dialect.name
                for ddl in SQLITE_DDL if dialect == "sqlite" else PG_DDL if dialect == "postgresql" else []:
                    conn.exec_driver_sql(ddl)
                found = conn.scalar(select(meta_t.c.value).where(meta_t.c.key == "version"))
                if found != INDEX_VERSION:  # built by other rules: forget it, sync() rebuilds
                    _clear(conn, dialect, facets=False)
                    conn.execute(meta_t.delete().where(meta_t.c.key == "version"))
                    conn.execute(meta_t.insert().values(key="version", value=INDEX_VERSION))
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


def _clear(conn: Connection, dialect: str, facets: bool) -> None:
    for name in TEXT_TABLES.get(dialect, ()):
        conn.exec_driver_sql(f"DELETE FROM {name}")
    conn.execute(docs_t.delete())
    if facets:
        conn.execute(facets_t.delete())
        conn.execute(facet_docs_t.delete())


# --- filters ----------------------------------------------------------------------------------

@dataclass(slots=True)
class Filters:
    """What a reader narrowed the list to; every field optional and combinable."""

    category: str | None = None
    topic: str | None = None
    company: str | None = None
    outlet: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    story: str | None = None

    def active(self) -> bool:
        return any(getattr(self, name) for name in self.__slots__)

    def pairs(self) -> list[tuple[str, str]]:
        """The (kind, value) facet rows an article must have."""
        values = (self.category, self.outlet, self.topic, self.company)
        return [(k, v[:VALUE_CHARS]) for k, v in zip(FACET_KINDS, values, strict=True) if v]


def _day_conditions(f: Any, filters: Filters) -> list[ColumnElement[bool]]:
    """KST day bounds, plus the same bounds on the UTC time so the (kind, value, ts) index ranges."""
    out: list[ColumnElement[bool]] = []
    if filters.date_from:
        out += [f.c.day >= filters.date_from, f.c.ts >= datetime.combine(filters.date_from, time()) - KST_OFFSET]
    if filters.date_to:
        end = datetime.combine(filters.date_to + timedelta(days=1), time()) - KST_OFFSET
        out += [f.c.day <= filters.date_to, f.c.ts < end]
    return out


def _has(kind: str, value: str, id_col: Any, name: str, *more: ColumnElement[bool]) -> ColumnElement[bool]:
    g = facets_t.alias(name)
    return exists().where(g.c.article_id == id_col, g.c.kind == kind, g.c.value == value, *more)


def filter_conditions(filters: Filters, id_col: Any, skip: tuple[str, str] | None = None
                      ) -> list[ColumnElement[bool]]:
    """The filters as conditions on an article id column (facet rows by primary key, story by index)."""
    out = [_has(k, v, id_col, f"g{i}") for i, (k, v) in enumerate(filters.pairs()) if (k, v) != skip]
    if filters.date_from or filters.date_to:
        g = facets_t.alias("gd")
        out.append(exists().where(g.c.article_id == id_col, g.c.kind == "all", g.c.value == "",
                                  *_day_conditions(g, filters)))
    if filters.story:
        out.append(id_col.in_(select(ArticleRow.id).where(ArticleRow.story_id == filters.story)))
    return out


def _listing(store: Store, filters: Filters) -> tuple[Any, tuple[Any, ...]]:
    """Article ids matching the filters, and the newest-first order to apply to them."""
    if filters.story:  # a story has few members: start from them
        others = Filters(**{k: getattr(filters, k) for k in filters.__slots__ if k != "story"})
        stmt = select(ArticleRow.id).where(ArticleRow.story_id == filters.story,
                                           *filter_conditions(others, ArticleRow.id))
        return stmt, (ArticleRow.published_at.desc().nulls_last(), ArticleRow.id.desc())
    pairs = filters.pairs() or [("all", "")]
    driver = pairs[0] if len(pairs) == 1 else min(pairs, key=lambda p: _facet_size(store, *p))
    f = facets_t.alias("f")
    dates = Filters(date_from=filters.date_from, date_to=filters.date_to)
    rest = Filters(**{k: getattr(filters, k) for k in ("category", "outlet", "topic", "company")})
    stmt = select(f.c.article_id).where(f.c.kind == driver[0], f.c.value == driver[1],
                                        *_day_conditions(f, dates), *filter_conditions(rest, f.c.article_id, driver))
    return stmt, (f.c.ts.desc(), f.c.article_id.desc())


def _facet_size(store: Store, kind: str, value: str) -> int:
    with store.session() as s:
        return int(s.scalar(select(func.count()).where(facets_t.c.kind == kind, facets_t.c.value == value)) or 0)


def list_articles(store: Store, filters: Filters, limit: int = 50, offset: int = 0) -> list[Article]:
    """Newest first, narrowed by the filters (articles the facet index has seen)."""
    ensure_tables(store)
    stmt, order = _listing(store, filters)
    with store.session() as s:
        ids = list(s.scalars(stmt.order_by(*order).limit(max(0, limit)).offset(max(0, offset))))
    return store.get_articles(ids)


def count_articles(store: Store, filters: Filters) -> int:
    ensure_tables(store)
    stmt, _order = _listing(store, filters)
    with store.session() as s:
        return int(s.scalar(select(func.count()).select_from(stmt.subquery())) or 0)


def day_counts(store: Store) -> dict[date, int]:
    """Articles per KST day, for the archive calendar."""
    with store.session() as s:
        rows = s.execute(select(ArticleRow.day, func.count(ArticleRow.id)).group_by(ArticleRow.day))
        return {d: n for d, n in rows if d}


def facets(store: Store, since: date | None = None) -> dict[str, list[tuple[str, int]]]:
    """The values readers can filter on, most frequent first."""
    ensure_tables(store)
    f = facets_t
    stmt = select(f.c.kind, f.c.value, func.count()).where(f.c.kind.in_(FACET_KINDS)).group_by(f.c.kind, f.c.value)
    if since:
        stmt = stmt.where(f.c.day >= since)
    out: dict[str, list[tuple[str, int]]] = {k: [] for k in FACET_KINDS}
    with store.session() as s:
        for kind, value, n in s.execute(stmt):
            out[kind].append((value, int(n)))
    return {k: sorted(v, key=lambda item: (-item[1], item[0])) for k, v in out.items()}


@dataclass(slots=True)
class Trend:
    name: str
    counts: list[int]
    total: int = 0
    change: int = 0  # last week minus the week before: who is rising


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def trends(
    store: Store, by: str, weeks: int = 12, top: int = 8, end: date | None = None
) -> tuple[list[date], list[Trend]]:
    """Mentions per company or topic per ISO week (Monday start) over the last `weeks` weeks."""
    if by not in {"company", "topic"}:
        raise ValueError(f"unknown trend dimension '{by}': use company or topic")
    ensure_tables(store)
    weeks = max(1, min(weeks, 104))
    f = facets_t
    with store.session() as s:
        last_day = end or s.scalar(select(func.max(ArticleRow.day)))
        if last_day is None:
            return [], []
        starts = [week_start(last_day) - timedelta(weeks=weeks - 1 - i) for i in range(weeks)]
        rows = s.execute(select(f.c.value, f.c.day, func.count())
                         .where(f.c.kind == by, f.c.day >= starts[0], f.c.day <= last_day)
                         .group_by(f.c.value, f.c.day))
        index = {d: i for i, d in enumerate(starts)}
        per: dict[str, list[int]] = {}
        for name, day, n in rows:
            slot = index.get(week_start(day))
            if slot is not None and name:
                per.setdefault(name, [0] * weeks)[slot] += int(n)
    out = [Trend(name, c, sum(c), c[-1] - (c[-2] if weeks > 1 else 0)) for name, c in per.items()]
    out.sort(key=lambda t: (-t.total, t.name))
    return starts, out[:top]


def _facet_rows(row: Any) -> list[dict[str, Any]]:
    """The facet rows of one article row (id, state..., category, publisher, topics, companies, day, ts)."""
    article_id, _updated, _version, category, publisher, topics, companies, day, published_at = row
    pairs = {("all", ""), ("category", category or ""), ("outlet", publisher or "")}
    pairs |= {("topic", str(t)) for t in topics or [] if isinstance(t, str)}
    pairs |= {("company", str(c)) for c in companies or [] if isinstance(c, str)}
    keys = {(k, v[:VALUE_CHARS]) for k, v in pairs if k == "all" or v.strip()}
    return [{"article_id": article_id, "kind": k, "value": v, "day": day, "ts": published_at or NO_TIME}
            for k, v in sorted(keys)]


# --- query parsing ----------------------------------------------------------------------------

def _fold(value: str) -> str:
    return re.sub(r"\s+", "", value).lower()


def tag_key(value: str) -> str:
    """A tag as one index token (`오픈AI` → `오픈ai`), so a company tag outranks a word inside a name."""
    return _fold(value).replace('"', "")


@lru_cache(maxsize=1)
def alias_groups() -> tuple[tuple[str, ...], ...]:
    """Spellings that mean the same thing: companies.toml organisations plus EXTRA_ALIASES.
    Ambiguous organisations (`strict = true`, e.g. ARM/암) are not expanded."""
    groups: list[list[str]] = [list(g) for g in EXTRA_ALIASES]
    path = Path(__file__).resolve().parents[1] / "data" / "companies.toml"
    try:
        orgs = tomllib.loads(path.read_text(encoding="utf-8")).get("orgs", [])
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        log.warning("search aliases: %s unreadable (%s); using built-in aliases only", path, exc)
        orgs = []
    for org in orgs:
        if isinstance(org, dict) and org.get("name") and not org.get("strict"):
            names = [str(org["name"]), *[str(a) for a in org.get("aliases", []) if len(_fold(str(a))) >= 2]]
            groups.append(names)
    merged: dict[str, set[str]] = {}
    for names in groups:  # union groups that share a spelling (오픈AI is in both lists)
        members = set(names)
        for key in {_fold(n) for n in names}:
            if key in merged:
                members |= merged[key]
        for key in {_fold(n) for n in members}:
            merged[key] = members
    unique = {tuple(sorted(m)) for m in merged.values()}
    return tuple(sorted(unique))


@lru_cache(maxsize=1)
def _alias_index() -> dict[str, tuple[str, ...]]:
    return {_fold(name): group for group in alias_groups() for name in group}


def tokenize(texts: Sequence[str]) -> list[list[str]]:
    """Index tokens: Kiwi content morphemes, lower-cased, quotes removed."""
    from ainews.analyze.korean import morphemes_batch

    out = []
    for tokens in morphemes_batch([t or "" for t in texts]):
        out.append([t.lower().replace('"', "") for t in tokens if t.strip().strip('"')])
    return out


_LEXEME = re.compile(r"[^\W_]+")


def lexemes(token: str) -> list[str]:
    """An index token as SQLite's unicode61 tokenizer splits it: runs of letters and digits, lower-cased.
    PostgreSQL gets exactly these lexemes, so both backends match the same words."""
    return [x for x in _LEXEME.findall(token.lower()) if len(x.encode()) < 2000]


def _quote_lexeme(lexeme: str) -> str:
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def _ts_phrase(tokens: Sequence[str], weight: str) -> str:
    """Consecutive lexemes as a tsquery phrase (`'a' <-> 'b'`), optionally limited to one weight."""
    suffix = f":{weight}" if weight else ""
    return " <-> ".join(_quote_lexeme(x) + suffix for t in tokens for x in lexemes(t))


def tsvector_literal(columns: Sequence[tuple[Sequence[str], str]]) -> str:
    """A tsvector in text form from (tokens, weight) per column. Positions are counted here, with a gap
    between columns so a phrase never spans two; no PostgreSQL parser or dictionary touches it."""
    positions: dict[str, list[str]] = {}
    pos = 1
    for tokens, weight in columns:
        for lexeme in (x for t in tokens for x in lexemes(t)):
            slots = positions.setdefault(lexeme, [])
            if len(slots) < 255:  # PostgreSQL keeps at most 256 positions per lexeme
                slots.append(f"{min(pos, 16383)}{weight}")
            pos += 1
        pos += 1
    return " ".join(f"{_quote_lexeme(x)}:{','.join(p)}" for x, p in positions.items())


@dataclass(slots=True)
class Term:
    """One thing the reader asked for, in every spelling we accept."""

    word: str
    surfaces: list[str]
    phrases: list[list[str]] = field(default_factory=list)


@dataclass(slots=True)
class ParsedQuery:
    terms: list[Term]

    @staticmethod
    def _options(term: Term) -> tuple[list[str], list[str]]:
        """A term's accepted phrases (morphemes joined by spaces) and tag keys."""
        return sorted({" ".join(p) for p in term.phrases if p}), sorted({tag_key(s) for s in term.surfaces} - {""})

    def morph_match(self, any_term: bool = False) -> str | None:
        """FTS5 MATCH text: every phrase and tag quoted, so nothing the reader typed is syntax."""
        parts = []
        for term in self.terms:
            phrases, tags = self._options(term)
            options = [f'"{p}"' for p in phrases] + [f'tags : "{k}"' for k in tags]
            if options:
                parts.append("(" + " OR ".join(options) + ")")
        return (" OR " if any_term else " AND ").join(parts) or None

    def tsquery(self, any_term: bool = False) -> str | None:
        """The same query as a PostgreSQL tsquery, built from quoted lexemes (tags: weight B)."""
        parts = []
        for term in self.terms:
            phrases, tags = self._options(term)
            options = {_ts_phrase(p.split(" "), "") for p in phrases}
            # a tag that is also a plain lexeme adds nothing to the match, and weights cost a recheck
            options |= {t for t in (_ts_phrase([k], "B") for k in tags) if t.removesuffix(":B") not in options}
            options.discard("")
            if options:
                parts.append("(" + " | ".join(sorted(options)) + ")")
        return (" | " if any_term else " & ").join(parts) or None

    def substrings(self) -> list[list[str]] | None:
        """Per term, its lower-cased spellings long enough for trigrams (3+ characters); None when a term
        has none."""
        out = []
        for term in self.terms:
            options = {s.replace('"', "").lower() for s in term.surfaces if len(s.replace('"', "")) >= 3}
            if not options:
                return None
            # a spelling that contains another one (`sk하이닉스` ⊃ `하이닉스`) finds nothing more
            out.append(sorted(o for o in options if not any(x != o and x in o for x in options)))
        return out or None

    def trigram_match(self) -> str | None:
        """Substring query (FTS5 trigram) when every term is long enough for trigrams."""
        terms = self.substrings()
        if not terms:
            return None
        return " AND ".join("(" + " OR ".join(f'"{o}"' for o in options) + ")" for options in terms)

    def highlight_words(self) -> list[str]:
        """Every accepted spelling, plus the morphemes of what the reader typed (not of aliases)."""
        words = {s for t in self.terms for s in t.surfaces if s.strip()}
        for term in self.terms:
            mine = term.phrases[term.surfaces.index(term.word)] if term.word in term.surfaces else []
            words |= {tok for tok in mine if len(tok) >= 2}
        return sorted(words, key=len, reverse=True)


def parse_query(q: str) -> ParsedQuery:
    """Split on spaces, fold known aliases (`OpenAI` = `오픈AI`), tokenize like the documents."""
    q = re.sub(r"[\x00-\x1f]", " ", q or "").strip()[:200]
    if not q:
        return ParsedQuery([])
    aliases = _alias_index()
    whole = aliases.get(_fold(q))
    words = [q] if whole else q.split()
    surfaces_per_term = [list(aliases.get(_fold(w), ())) or [w] for w in words]
    if whole:
        surfaces_per_term = [list(whole)]
    for surfaces, word in zip(surfaces_per_term, words, strict=True):
        if word not in surfaces:
            surfaces.insert(0, word)
    flat = [s for surfaces in surfaces_per_term for s in surfaces]
    tokens = dict(zip(flat, tokenize(flat), strict=True))
    terms = [Term(word=w, surfaces=s, phrases=[tokens[x] for x in s])
             for w, s in zip(words, surfaces_per_term, strict=True)]
    return ParsedQuery([t for t in terms if any(t.phrases) or any(len(s) >= 3 for s in t.surfaces)])


# --- snippets ---------------------------------------------------------------------------------

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


def _summary_text(article: Article) -> str:
    if article.analysis and article.analysis.summary:
        return " ".join(article.analysis.summary)
    if article.imported and article.imported.summary:
        return " ".join(article.imported.summary)
    return ""


def snippet(article: Article, words: Sequence[str]) -> Markup:
    """The most telling passage: the summary or body around the first query word."""
    lowered = [w.lower() for w in words]
    for source in (_summary_text(article), article.body):
        if source and any(w in source.lower() for w in lowered):
            return highlight(source, words, SNIPPET_CHARS)
    return highlight(_summary_text(article) or article.body, words, SNIPPET_CHARS)


# --- the index --------------------------------------------------------------------------------

@dataclass(slots=True)
class SearchHit:
    article: Article
    score: float
    snippet: Markup
    title_html: Markup
    matched: str  # "morph" | "trigram" | "like"


def _doc_texts(article: Article) -> tuple[str, str, str, list[str]]:
    """Title (with subtitles), summary, body and tags (category, topics, companies) of an article."""
    title = " ".join([article.title, *article.subtitles])
    an = article.analysis
    tags: list[str] = []
    if an:
        tags = [an.category, *an.topics, *an.companies]
    if article.imported:
        tags += [article.imported.category, article.imported.company, *article.imported.tags]
    return title, _summary_text(article), article.body or "", [t for t in tags if t]


Ranked = list[tuple[int, float, str]]  # (article id, score: lower is better, how it matched)


def _updated_text() -> ColumnElement[Any]:
    return cast(ArticleRow.updated_at, Text)


class SearchIndex:
    """Full-text search and facet rows over a Store; keeps itself in step with the articles table."""

    def __init__(self, store: Store) -> None:
        self.store = store
        dialect = store.engine.dialect.name
        self.backend = {"sqlite": "fts5", "postgresql": "tsvector"}.get(dialect, "like")
        self.trigram_index = ensure_tables(store)
        self._lock = threading.Lock()

    # writing

    def update(self, articles: Iterable[Article]) -> int:
        """(Re)index these articles as they are stored now; the pipeline calls this after analysis."""
        ids = [a.id for a in articles if a.id]
        with self._lock:
            facets_done = self._batches(ids, FACET_BATCH, self._facet_batch)
            return self._batches(ids, BATCH, self._text_batch) if self.backend != "like" else facets_done

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
        return self._stale(docs_t) if self.backend != "like" else []

    def sync_facets(self) -> int:
        """Bring the facet rows up to date (no Kiwi: ~100k articles take seconds). Filtered lists,
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
            if self.backend == "tsvector" and len(facet_ids | text_ids) >= ANALYZE_AFTER:
                with self.store.engine.begin() as conn:  # the planner's word and facet statistics
                    conn.exec_driver_sql("ANALYZE search_pg, search_facets")
        return len(facet_ids | text_ids)

    def rebuild(self) -> int:
        """Drop the index and build it again from every article."""
        with self._lock, self.store.engine.begin() as conn:
            _clear(conn, self.store.engine.dialect.name, facets=True)
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
            facet_rows = [r for row in rows for r in _facet_rows(row)]
            if facet_rows:
                conn.execute(facets_t.insert(), facet_rows)
                conn.execute(facet_docs_t.insert(), [
                    {"article_id": r[0], "updated_at": r[1], "analysis_version": r[2]} for r in rows])
        return len(rows)

    def _text_batch(self, ids: list[int]) -> int:
        with self.store.session() as s:
            state = s.execute(select(ArticleRow.id, _updated_text(), ArticleRow.analysis_version)
                              .where(ArticleRow.id.in_(ids))).all()
        articles = self.store.get_articles([row[0] for row in state])
        docs = [_doc_texts(a) for a in articles]
        tokens = tokenize([x for d in docs for x in (d[0], d[1], d[2][:BODY_CHARS])])
        with self.store.engine.begin() as conn:
            if self.backend == "fts5":
                _write_sqlite(conn, ids, articles, docs, tokens)
            else:
                _write_pg(conn, ids, articles, docs, tokens)
            conn.execute(docs_t.delete().where(docs_t.c.article_id.in_(ids)))
            if state:
                conn.execute(docs_t.insert(), [
                    {"article_id": r[0], "updated_at": r[1], "analysis_version": r[2]} for r in state])
        return len(articles)

    # reading

    def search(self, q: str, limit: int = 20, filters: Filters | None = None, offset: int = 0) -> list[SearchHit]:
        """Ranked hits with highlighted snippets; any input gives results or [], never an error."""
        limit = max(0, min(int(limit), 200))
        offset = max(0, int(offset))
        parsed = parse_query(q)
        if not parsed.terms or limit == 0:
            return []
        filters = filters or Filters()
        want = limit + offset
        if self.backend == "like":
            ranked = self._like(parsed, filters, want)
        else:
            ranked = self._words(parsed, filters, want, any_term=False)
            if not ranked and len(parsed.terms) > 1:
                ranked = self._words(parsed, filters, want, any_term=True)
            if len(ranked) < want:
                seen = {i for i, _, _ in ranked}
                ranked += [r for r in self._substrings(parsed, filters, want) if r[0] not in seen]
        ranked = ranked[offset:offset + limit]
        articles = {a.id: a for a in self.store.get_articles([i for i, _, _ in ranked])}
        words = parsed.highlight_words()
        return [
            SearchHit(articles[i], score, snippet(articles[i], words), highlight(articles[i].title, words), how)
            for i, score, how in ranked if i in articles
        ]

    def _words(self, parsed: ParsedQuery, filters: Filters, limit: int, any_term: bool) -> Ranked:
        if self.backend == "fts5":
            return self._fts("search_morph", parsed.morph_match(any_term), filters, limit, "morph")
        return self._pg_words(parsed.tsquery(any_term), filters, limit)

    def _substrings(self, parsed: ParsedQuery, filters: Filters, limit: int) -> Ranked:
        if self.backend == "fts5":
            return self._fts("search_trigram", parsed.trigram_match(), filters, limit, "trigram")
        return self._pg_substrings(parsed.substrings(), filters, limit)

    def _run(self, stmt: Any, what: str, params: dict[str, Any] | None = None) -> list[Any]:
        try:
            with self.store.session() as s:
                if self.backend == "tsvector":  # a generic plan cannot know how common a word is, and
                    # starting parallel workers costs more than these small top-N queries gain
                    s.execute(text("SET LOCAL plan_cache_mode = force_custom_plan"))
                    s.execute(text("SET LOCAL max_parallel_workers_per_gather = 0"))
                return list(s.execute(stmt, params or {}))
        except DBAPIError as exc:  # a query we failed to sanitize must not become a 500
            log.warning("search: %s query failed: %s", what, exc)
            return []

    def _fts(self, name: str, match: str | None, filters: Filters, limit: int, how: str) -> Ranked:
        """bm25-ranked FTS5 hits among the newest CANDIDATES matches: one pass in rowid order that
        stops early, so bm25 never runs over tens of thousands of rows for a very common word."""
        if not match:
            return []
        fts = table(name, column("rowid"))
        weights = ", ".join(str(w) for w in (WEIGHTS if name == "search_morph" else WEIGHTS[:3]))
        score = literal_column(f"bm25({name}, {weights})")
        stmt = (select(fts.c.rowid, score)
                .where(text(f"{name} MATCH :match"), *filter_conditions(filters, fts.c.rowid))
                .order_by(fts.c.rowid.desc()).limit(max(CANDIDATES, limit)))
        rows = self._run(stmt, name, {"match": match})
        return [(i, float(v), how) for i, v in sorted(rows, key=lambda r: (r[1], -r[0]))[:limit]]

    def _pg_words(self, query: str | None, filters: Filters, limit: int) -> Ranked:
        """ts_rank-ranked tsvector hits among the newest CANDIDATES matches (scores negated: lower is
        better, as in FTS5); ts_rank runs only on those candidates."""
        if not query:
            return []
        from sqlalchemy.dialects.postgresql import TSQUERY, TSVECTOR

        pg = table("search_pg", column("article_id"), column("tsv", TSVECTOR))
        tsq = cast(literal(query), TSQUERY)
        newest = (select(pg.c.article_id, pg.c.tsv)
                  .where(pg.c.tsv.bool_op("@@")(tsq), *filter_conditions(filters, pg.c.article_id))
                  .order_by(pg.c.article_id.desc()).limit(max(CANDIDATES, limit)).subquery())
        rank = func.ts_rank(literal_column(f"'{PG_WEIGHTS}'::float4[]"), newest.c.tsv, tsq)
        rows = self._run(select(newest.c.article_id, rank), "tsquery")
        return [(i, -float(v), "morph") for i, v in sorted(rows, key=lambda r: (-r[1], -r[0]))[:limit]]

    def _pg_substrings(self, terms: list[list[str]] | None, filters: Filters, limit: int) -> Ranked:
        """Every term as a substring (any spelling) of the lower-cased raw text; pg_trgm's index serves LIKE."""
        if not terms:
            return []
        pg = table("search_pg", column("article_id"), column("raw"))
        likes = [or_(*[pg.c.raw.like("%" + _like_escape(s) + "%", escape="\\") for s in options])
                 for options in terms]
        stmt = (select(pg.c.article_id).where(*likes, *filter_conditions(filters, pg.c.article_id))
                .order_by(pg.c.article_id.desc()).limit(limit))
        return [(row[0], 0.0, "trigram") for row in self._run(stmt, "substring")]

    def _like(self, parsed: ParsedQuery, filters: Filters, limit: int) -> Ranked:
        """Portable fallback for databases without an FTS backend: every term somewhere."""
        columns = (ArticleRow.title, ArticleRow.body)
        clauses = [
            or_(*[col.icontains(s, autoescape=True) for s in term.surfaces for col in columns]) for term in parsed.terms
        ]
        stmt = (select(ArticleRow.id).where(*clauses, *filter_conditions(filters, ArticleRow.id))
                .order_by(ArticleRow.published_at.desc()).limit(limit))
        return [(row[0], 0.0, "like") for row in self._run(stmt, "like")]


def _like_escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _write_sqlite(conn: Connection, ids: list[int], articles: list[Article],
                  docs: list[tuple[str, str, str, list[str]]], tokens: list[list[str]]) -> None:
    """Replace the articles' rows in both FTS5 tables."""
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
        conn.exec_driver_sql("INSERT INTO search_trigram(rowid, title, summary, body) VALUES (?, ?, ?, ?)", tri_rows)


def _write_pg(conn: Connection, ids: list[int], articles: list[Article],
              docs: list[tuple[str, str, str, list[str]]], tokens: list[list[str]]) -> None:
    """Replace the articles' rows in search_pg: weighted tsvector (title A, tags B, summary C, body D)."""
    rows = []
    for i, (a, d) in enumerate(zip(articles, docs, strict=True)):
        title, summary, body = tokens[3 * i:3 * i + 3]
        tsv = tsvector_literal([(title, "A"), ([tag_key(t) for t in d[3]], "B"), (summary, "C"), (body, "D")])
        raw = "\n".join((d[0], d[1], d[2][:TRIGRAM_BODY_CHARS])).replace("\x00", "").lower()  # LIKE, not ILIKE
        rows.append({"id": a.id, "tsv": tsv, "raw": raw})
    conn.execute(text("DELETE FROM search_pg WHERE article_id = :id"), [{"id": i} for i in ids])
    if rows:
        conn.execute(text("INSERT INTO search_pg (article_id, tsv, raw) VALUES (:id, CAST(:tsv AS tsvector), :raw)"),
                     rows)
