"""Korean full-text search and filtered browsing over the store.

Two SQLite FTS5 tables sit beside `articles`, keyed by article id:
- `search_morph`: Kiwi content morphemes (particles dropped, Latin lower-cased) of title, summary,
  body and tags, so `카카오의` finds `카카오` and word order inside a phrase still matters;
- `search_trigram`: the raw title, summary and body lead under the trigram tokenizer, for
  substrings Kiwi splits differently (`카카오` inside `카카오페이`).
`search_docs` remembers which (updated_at, analysis_version) each article was indexed at, so the
index catches up by itself on whatever the pipeline stored since. A user's query never reaches
FTS as syntax: it is tokenized like the documents and every token is quoted. Other databases
(PostgreSQL) get a plain LIKE fallback here until they get their own FTS backend.
"""

from __future__ import annotations

import logging
import re
import threading
import tomllib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape
from sqlalchemy import String, cast, column, exists, func, literal, literal_column, or_, select, table, text
from sqlalchemy.sql.elements import ColumnElement

from ainews.models import Article
from ainews.store.db import Store
from ainews.store.schema import ArticleRow

log = logging.getLogger(__name__)

BODY_CHARS = 4000  # morphemes of the body beyond this add little and cost Kiwi time
TRIGRAM_BODY_CHARS = 1000  # the trigram table keeps only the lead: it is ~3x the text in size
BATCH = 200
WEIGHTS = (8.0, 3.0, 1.0, 4.0)  # bm25 weights: title, summary, body, tags
SNIPPET_CHARS = 160

INDEX_VERSION = "2"  # bump when tokenization or columns change: the index then rebuilds itself
DDL = [
    "CREATE TABLE IF NOT EXISTS search_meta (key TEXT PRIMARY KEY, value TEXT)",
    "CREATE TABLE IF NOT EXISTS search_docs (article_id INTEGER PRIMARY KEY, updated_at TEXT,"
    " analysis_version TEXT)",
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_morph USING fts5(title, summary, body, tags,"
    " tokenize='unicode61 remove_diacritics 2')",
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_trigram USING fts5(title, summary, body,"
    " tokenize='trigram')",
]

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


def _json_has(column: Any, value: str, dialect: str) -> ColumnElement[bool]:
    """`value` is an element of a JSON list column, in the database's own JSON dialect."""
    if dialect == "sqlite":
        each = func.json_each(column).table_valued("value")
        return exists(select(literal(1)).select_from(each).where(each.c.value == value))
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import JSONB

        return cast(column, JSONB).contains([value])
    return cast(column, String).contains(value)


def filter_clauses(filters: Filters, dialect: str) -> list[ColumnElement[bool]]:
    clauses: list[ColumnElement[bool]] = []
    if filters.category:
        clauses.append(ArticleRow.category == filters.category)
    if filters.outlet:
        clauses.append(ArticleRow.publisher == filters.outlet)
    if filters.topic:
        clauses.append(_json_has(ArticleRow.topics, filters.topic, dialect))
    if filters.company:
        clauses.append(_json_has(ArticleRow.companies, filters.company, dialect))
    if filters.story:
        clauses.append(ArticleRow.story_id == filters.story)
    if filters.date_from:
        clauses.append(ArticleRow.day >= filters.date_from)
    if filters.date_to:
        clauses.append(ArticleRow.day <= filters.date_to)
    return clauses


def list_articles(store: Store, filters: Filters, limit: int = 50, offset: int = 0) -> list[Article]:
    """Newest first, narrowed by the filters."""
    stmt = (
        select(ArticleRow.id)
        .where(*filter_clauses(filters, store.engine.dialect.name))
        .order_by(ArticleRow.published_at.desc().nulls_last(), ArticleRow.id.desc())
        .limit(max(0, limit)).offset(max(0, offset))
    )
    with store.session() as s:
        ids = list(s.scalars(stmt))
    return store.get_articles(ids)


def count_articles(store: Store, filters: Filters) -> int:
    stmt = select(func.count(ArticleRow.id)).where(*filter_clauses(filters, store.engine.dialect.name))
    with store.session() as s:
        return int(s.scalar(stmt) or 0)


def day_counts(store: Store) -> dict[date, int]:
    """Articles per KST day, for the archive calendar."""
    with store.session() as s:
        rows = s.execute(select(ArticleRow.day, func.count(ArticleRow.id)).group_by(ArticleRow.day))
        return {d: n for d, n in rows if d}


def facets(store: Store, since: date | None = None) -> dict[str, list[tuple[str, int]]]:
    """The values readers can filter on, most frequent first."""
    stmt = select(ArticleRow.category, ArticleRow.publisher, ArticleRow.topics, ArticleRow.companies)
    if since:
        stmt = stmt.where(ArticleRow.day >= since)
    counts: dict[str, Counter[str]] = {k: Counter() for k in ("category", "outlet", "topic", "company")}
    with store.session() as s:
        for category, publisher, topics, companies in s.execute(stmt):
            counts["category"].update([category] if category else [])
            counts["outlet"].update([publisher] if publisher else [])
            counts["topic"].update(t for t in topics or [] if t)
            counts["company"].update(c for c in companies or [] if c)
    return {k: c.most_common() for k, c in counts.items()}


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
    weeks = max(1, min(weeks, 104))
    column = ArticleRow.companies if by == "company" else ArticleRow.topics
    with store.session() as s:
        last_day = end or s.scalar(select(func.max(ArticleRow.day)))
        if last_day is None:
            return [], []
        starts = [week_start(last_day) - timedelta(weeks=weeks - 1 - i) for i in range(weeks)]
        rows = s.execute(select(ArticleRow.day, column).where(ArticleRow.day >= starts[0], ArticleRow.day <= last_day))
        index = {d: i for i, d in enumerate(starts)}
        per: dict[str, list[int]] = {}
        for day, names in rows:
            slot = index.get(week_start(day))
            for name in set(names or []):
                if slot is not None and name:
                    per.setdefault(name, [0] * weeks)[slot] += 1
    out = [Trend(name, c, sum(c), c[-1] - (c[-2] if weeks > 1 else 0)) for name, c in per.items()]
    out.sort(key=lambda t: (-t.total, t.name))
    return starts, out[:top]


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


@dataclass(slots=True)
class Term:
    """One thing the reader asked for, in every spelling we accept."""

    word: str
    surfaces: list[str]
    phrases: list[list[str]] = field(default_factory=list)


@dataclass(slots=True)
class ParsedQuery:
    terms: list[Term]

    def morph_match(self, any_term: bool = False) -> str | None:
        parts = []
        for term in self.terms:
            options = [f'"{p}"' for p in sorted({" ".join(p) for p in term.phrases if p})]
            options += [f'tags : "{k}"' for k in sorted({tag_key(s) for s in term.surfaces}) if k]
            if options:
                parts.append("(" + " OR ".join(options) + ")")
        return (" OR " if any_term else " AND ").join(parts) or None

    def trigram_match(self) -> str | None:
        """Substring query when every term is long enough for trigrams (3+ characters)."""
        parts = []
        for term in self.terms:
            options = {s.replace('"', "") for s in term.surfaces if len(s.replace('"', "")) >= 3}
            if not options:
                return None
            parts.append("(" + " OR ".join(f'"{o}"' for o in sorted(options)) + ")")
        return " AND ".join(parts) or None

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


class SearchIndex:
    """Full-text search over a Store; keeps itself in step with the articles table."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.fts = store.engine.dialect.name == "sqlite"
        self._lock = threading.Lock()
        if self.fts:
            with store.engine.begin() as conn:
                for ddl in DDL:
                    conn.exec_driver_sql(ddl)
                found = conn.exec_driver_sql("SELECT value FROM search_meta WHERE key = 'version'").scalar()
                if found != INDEX_VERSION:  # built by other rules: forget it, sync() rebuilds
                    for table in ("search_docs", "search_morph", "search_trigram"):
                        conn.exec_driver_sql(f"DELETE FROM {table}")
                    conn.exec_driver_sql("INSERT OR REPLACE INTO search_meta VALUES ('version', ?)", (INDEX_VERSION,))

    # writing

    def update(self, articles: Iterable[Article]) -> int:
        """(Re)index these articles as they are stored now; the pipeline calls this after analysis."""
        ids = [a.id for a in articles if a.id]
        return self._index_ids(ids)

    def stale_ids(self) -> list[int]:
        """Articles added, changed or (re)analyzed since they were indexed."""
        if not self.fts:
            return []
        sql = (
            "SELECT a.id FROM articles a LEFT JOIN search_docs d ON d.article_id = a.id "
            "WHERE d.article_id IS NULL OR d.updated_at IS NOT CAST(a.updated_at AS TEXT) "
            "OR d.analysis_version IS NOT a.analysis_version ORDER BY a.id"
        )
        with self.store.engine.connect() as conn:
            return [row[0] for row in conn.exec_driver_sql(sql)]

    def sync(self) -> int:
        """Index whatever is stale; cheap when nothing is. Returns how many were (re)indexed."""
        return self._index_ids(self.stale_ids())

    def rebuild(self) -> int:
        """Drop the index and build it again from every article."""
        if not self.fts:
            return 0
        with self._lock, self.store.engine.begin() as conn:
            for table in ("search_docs", "search_morph", "search_trigram"):
                conn.exec_driver_sql(f"DELETE FROM {table}")
        return self.sync()

    def _index_ids(self, ids: Sequence[int]) -> int:
        if not self.fts or not ids:
            return 0
        done = 0
        with self._lock:
            for start in range(0, len(ids), BATCH):
                done += self._index_batch(list(ids[start:start + BATCH]))
        return done

    def _index_batch(self, ids: list[int]) -> int:
        marks = ",".join("?" * len(ids))
        with self.store.engine.connect() as conn:
            state = conn.exec_driver_sql(
                f"SELECT id, CAST(updated_at AS TEXT), analysis_version FROM articles WHERE id IN ({marks})",
                tuple(ids)).all()
        articles = self.store.get_articles([row[0] for row in state])
        docs = [_doc_texts(a) for a in articles]
        tokens = [" ".join(t) for t in tokenize([x for d in docs for x in (d[0], d[1], d[2][:BODY_CHARS])])]
        morph_rows = [(a.id, *tokens[3 * i:3 * i + 3], " ".join(tag_key(t) for t in docs[i][3]))
                      for i, a in enumerate(articles)]
        tri_rows = [(a.id, d[0], d[1], d[2][:TRIGRAM_BODY_CHARS]) for a, d in zip(articles, docs, strict=True)]
        with self.store.engine.begin() as conn:
            params = [(i,) for i in ids]
            for table in ("search_morph", "search_trigram"):
                conn.exec_driver_sql(f"DELETE FROM {table} WHERE rowid = ?", params)
            conn.exec_driver_sql("DELETE FROM search_docs WHERE article_id = ?", params)
            if morph_rows:
                conn.exec_driver_sql(
                    "INSERT INTO search_morph(rowid, title, summary, body, tags) VALUES (?, ?, ?, ?, ?)", morph_rows)
                conn.exec_driver_sql(
                    "INSERT INTO search_trigram(rowid, title, summary, body) VALUES (?, ?, ?, ?)", tri_rows)
            if state:
                conn.exec_driver_sql("INSERT INTO search_docs VALUES (?, ?, ?)", [tuple(r) for r in state])
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
        if not self.fts:
            ranked = self._like(parsed, filters, want)
        else:
            ranked = self._fts("search_morph", parsed.morph_match(), filters, want, "morph")
            if not ranked and len(parsed.terms) > 1:
                ranked = self._fts("search_morph", parsed.morph_match(any_term=True), filters, want, "morph")
            if len(ranked) < want:
                seen = {i for i, _, _ in ranked}
                extra = self._fts("search_trigram", parsed.trigram_match(), filters, want, "trigram")
                ranked += [r for r in extra if r[0] not in seen]
        ranked = ranked[offset:offset + limit]
        articles = {a.id: a for a in self.store.get_articles([i for i, _, _ in ranked])}
        words = parsed.highlight_words()
        return [
            SearchHit(articles[i], score, snippet(articles[i], words), highlight(articles[i].title, words), how)
            for i, score, how in ranked if i in articles
        ]

    def _fts(self, name: str, match: str | None, filters: Filters, limit: int, how: str
             ) -> list[tuple[int, float, str]]:
        if not match:
            return []
        weights = ", ".join(str(w) for w in (WEIGHTS if name == "search_morph" else WEIGHTS[:3]))
        fts = table(name, column("rowid"))
        score = literal_column(f"bm25({name}, {weights})").label("score")
        stmt = (
            select(ArticleRow.id, score)
            .join(fts, fts.c.rowid == ArticleRow.id)
            .where(text(f"{name} MATCH :match"), *filter_clauses(filters, "sqlite"))
            .order_by(score, ArticleRow.id.desc())
            .limit(limit)
        )
        try:
            with self.store.session() as s:
                return [(row[0], float(row[1]), how) for row in s.execute(stmt, {"match": match})]
        except Exception as exc:  # noqa: BLE001 - a query we failed to sanitize must not become a 500
            log.warning("search: %s query %r failed: %s", name, match, exc)
            return []

    def _like(self, parsed: ParsedQuery, filters: Filters, limit: int) -> list[tuple[int, float, str]]:
        """Portable fallback for databases without an FTS backend yet: every term somewhere."""
        columns = (ArticleRow.title, ArticleRow.body)
        clauses = [
            or_(*[col.icontains(s, autoescape=True) for s in term.surfaces for col in columns]) for term in parsed.terms
        ]
        stmt = (select(ArticleRow.id).where(*clauses, *filter_clauses(filters, self.store.engine.dialect.name))
                .order_by(ArticleRow.published_at.desc()).limit(limit))
        with self.store.session() as s:
            return [(i, 0.0, "like") for i in s.scalars(stmt)]
