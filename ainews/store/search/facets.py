"""Filtered browsing: the facet rows behind filters, counts, facet lists and trends.

`search_facets` holds one (article, kind, value) row per category, outlet, topic and company
(plus an `all` row), with the day and publication time, so filtered lists, counts, facet counts
and trends read a narrow index instead of every article's JSON lists.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import exists, func, select
from sqlalchemy.sql.elements import ColumnElement

from ainews.models import Article
from ainews.store.db import Store
from ainews.store.schema import ArticleRow
from ainews.store.search.tables import VALUE_CHARS, ensure_ready, facets_t

FACET_KINDS = ("category", "outlet", "topic", "company")
NO_TIME = datetime(1, 1, 1)  # sort key of articles without a publication time: last when newest first
KST_OFFSET = timedelta(hours=9)


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
    ensure_ready(store)
    stmt, order = _listing(store, filters)
    with store.session() as s:
        ids = list(s.scalars(stmt.order_by(*order).limit(max(0, limit)).offset(max(0, offset))))
    return store.get_articles(ids)


def count_articles(store: Store, filters: Filters) -> int:
    ensure_ready(store)
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
    ensure_ready(store)
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
    ensure_ready(store)
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


def facet_rows(row: Any) -> list[dict[str, Any]]:
    """The facet rows of one article row (id, state..., category, publisher, topics, companies, day, ts)."""
    article_id, _updated, _version, category, publisher, topics, companies, day, published_at = row
    pairs = {("all", ""), ("category", category or ""), ("outlet", publisher or "")}
    pairs |= {("topic", str(t)) for t in topics or [] if isinstance(t, str)}
    pairs |= {("company", str(c)) for c in companies or [] if isinstance(c, str)}
    keys = {(k, v[:VALUE_CHARS]) for k, v in pairs if k == "all" or v.strip()}
    return [{"article_id": article_id, "kind": k, "value": v, "day": day, "ts": published_at or NO_TIME}
            for k, v in sorted(keys)]
