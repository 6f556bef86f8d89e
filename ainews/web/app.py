"""The web app: browse the digest by day, filter, search, follow stories, see trends; JSON under /api/.

Read-only over the same Store the pipeline writes. Pages are server-rendered Jinja2 (autoescaped);
the search index (text and the facet rows behind filters and trends) catches up in a background
thread on whatever the pipeline stored since.
"""

from __future__ import annotations

import calendar
import logging
import threading
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import FastAPI, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader
from pydantic import BaseModel

from ainews.analyze.korean import index_tokens
from ainews.config import Settings
from ainews.models import KST, Article, DigestItem, Story, now_kst
from ainews.store import Store
from ainews.store import search as S
from ainews.store.changes import ChangeWatch
from ainews.text.urls import clean_web_url
from ainews.urltrust import page_reference
from ainews.web import guards
from ainews.web.charts import color, line_chart, sparkline
from ainews.web.fastpath import CachedFastAPI
from ainews.web.highlight import present
from ainews.web.timefmt import machine_when, when

log = logging.getLogger(__name__)
HERE = Path(__file__).parent
SYNC_EVERY = 15.0  # seconds between cheap checks for articles the index has not seen
FULL_SYNC_EVERY = 600.0  # seconds between full stale scans when the cheap check saw nothing new
FACETS_TTL = 60.0
WEEKDAYS = "월화수목금토일"


# --- JSON shapes (also the OpenAPI schema) ----------------------------------------------------

class ArticleOut(BaseModel):
    id: int
    title: str
    url: str
    publisher: str | None
    published_at: str | None
    day: str | None
    summary: str
    summary_sentences: list[str]
    category: str | None
    topics: list[str]
    companies: list[str]
    story_id: str | None
    relevance: float | None
    body_source: str = "page"  # "feed": the text is the feed item's, the page could not be used


class ArticleDetailOut(ArticleOut):
    body: str
    reporters: list[str]


class HitOut(ArticleOut):
    score: float
    snippet: str  # HTML: text escaped, query words in <mark>
    matched: str


class StoryOut(BaseModel):
    id: str
    title: str
    members: list[ArticleOut]
    member_ids: list[int]
    first_seen: str | None
    last_seen: str | None
    summary: str
    outlets: list[str]
    days: list[str]


class WeekCount(BaseModel):
    week: str  # Monday of the ISO week
    count: int


class TrendOut(BaseModel):
    name: str
    total: int
    change: int
    weeks: list[WeekCount]


def article_out(a: Article) -> dict[str, Any]:
    an = a.analysis
    sentences = list(an.summary) if an and an.summary else list(a.imported.summary if a.imported else [])
    return {
        "id": a.id or 0, "title": a.title, "url": clean_web_url(a.canonical_url) or page_reference(a.url),
        "publisher": a.publisher,
        "published_at": a.published_at.isoformat() if a.published_at else None,
        "day": a.day.isoformat() if a.day else None, "summary": " ".join(sentences),
        "summary_sentences": sentences, "category": an.category if an else None,
        "topics": list(an.topics) if an else [], "companies": list(an.companies) if an else [],
        "story_id": an.story_id if an else None, "relevance": an.relevance if an else None,
        "body_source": a.body_source,
    }


# --- helpers for templates --------------------------------------------------------------------

def safe_url(value: str | None) -> str | None:
    """Only http(s) addresses become links: `javascript:` and friends never reach an href."""
    if value and value.strip().lower().startswith(("http://", "https://")):
        return value.strip()
    return None


def parse_date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        day = date.fromisoformat(value.strip())
    except ValueError:
        return None
    return guards.in_range(day, value)


@dataclass
class Timeline:
    story: Story
    members: list[Article]
    by_day: list[tuple[date | None, list[Article]]] = field(default_factory=list)


@dataclass
class DigestEntry:
    lead: Article
    others: list[Article]
    story: Story | None
    story_size: int


class Web:
    """State shared by the routes: the store, its search index, a few small caches."""

    def __init__(self, store: Store, settings: Settings, index: S.SearchIndex) -> None:
        self.store, self.settings, self.index = store, settings, index
        self._last_sync = 0.0
        self._last_full = -FULL_SYNC_EVERY
        self._mark: tuple[Any, ...] | None = None
        self._sync_lock = threading.Lock()
        self._facets: tuple[float, Any, dict[str, list[tuple[str, int]]]] | None = None
        self.watch = ChangeWatch(store.engine)  # the store's fingerprint for a stat, not a COUNT(*) per page
        self._seen = self.watch.current()

    def maybe_sync(self) -> None:
        """At most every SYNC_EVERY seconds, in a background thread: when the articles' fingerprint
        moved (or FULL_SYNC_EVERY passed), index what is new. The pipeline indexes what it analyzes
        itself; this catches whatever else reached the store, without a full scan every 15 s. Once the
        first catch-up is done, a store that moved (`add`) is caught up at once, in the request."""
        if self._mark is not None and self.watch.current() != self._seen:  # moved since the index caught up
            self.catch_up()
            return
        now = time.monotonic()
        if now - self._last_sync < SYNC_EVERY or not self._sync_lock.acquire(blocking=False):
            return
        self._last_sync = now

        def run() -> None:
            try:
                mark = self.index.fingerprint()
                if mark != self._mark or now - self._last_full >= FULL_SYNC_EVERY:
                    self.index.sync()
                    self._mark, self._last_full = mark, now
            except Exception:  # noqa: BLE001 - a failed catch-up is retried next time
                log.exception("search index sync failed")
            finally:
                self._sync_lock.release()

        threading.Thread(target=run, name="ainews-index-sync", daemon=True).start()

    def catch_up(self) -> None:
        """Index what is new now, in the request: a cached answer dropped because the store moved must
        not be rendered again from an index that has not seen the change."""
        with self._sync_lock:
            mark = self.index.fingerprint()
            if mark != self._mark:
                self.index.sync()
                self._mark, self._last_full = mark, time.monotonic()
            self._seen = self.watch.current()  # after our own writes to the index

    def mark_synced(self) -> None:
        self._mark, self._last_full = self.index.fingerprint(), time.monotonic()

    def facets(self) -> dict[str, list[tuple[str, int]]]:
        count = self.watch.current()
        cached = self._facets
        if cached and cached[1] == count and time.monotonic() - cached[0] < FACETS_TTL:
            return cached[2]
        value = S.facets(self.store)
        self._facets = (time.monotonic(), count, value)
        return value

    def digest(self, day: date) -> tuple[list[DigestEntry], list[DigestEntry]]:
        """The day as the published digest has it (publish.digest.build_digest): ranked entries, one per
        story, and the ones left out below the relevance threshold."""
        from ainews.publish.digest import build_digest

        built = build_digest(self.store, self.settings, day)

        def entry(item: DigestItem) -> DigestEntry:
            size = len(item.story.member_ids) if item.story else 1 + len(item.others)
            return DigestEntry(item.article, item.others, item.story, size)

        return [entry(it) for it in built.items], [entry(it) for it in built.excluded]

    def timeline(self, story_id: str) -> Timeline | None:
        story = self.store.get_story(story_id)
        if story is None:
            return None
        members = self.store.get_articles(story.member_ids)
        listed = {m.id for m in members}
        members += [a for a in S.list_articles(self.store, S.Filters(story=story_id), 500) if a.id not in listed]
        members.sort(key=lambda a: (a.published_at or now_kst(), a.id or 0))
        by_day: dict[date | None, list[Article]] = {}
        for m in members:
            by_day.setdefault(m.day, []).append(m)
        return Timeline(story, members, list(by_day.items()))


def story_out(t: Timeline) -> dict[str, Any]:
    s = t.story
    return {
        "id": s.id, "title": s.title, "members": [article_out(m) for m in t.members],
        "member_ids": [m.id for m in t.members],
        "first_seen": s.first_seen.isoformat() if s.first_seen else None,
        "last_seen": s.last_seen.isoformat() if s.last_seen else None,
        "summary": " ".join(s.summary), "outlets": sorted({m.publisher for m in t.members if m.publisher}),
        "days": [d.isoformat() for d, _ in t.by_day if d],
    }


def filters_from(category: str | None, topic: str | None, company: str | None, outlet: str | None,
                 date_from: str | None, date_to: str | None, day: str | None = None) -> S.Filters:
    one_day = parse_date(day)
    return S.Filters(
        category=category or None, topic=topic or None, company=company or None, outlet=outlet or None,
        date_from=one_day or parse_date(date_from), date_to=one_day or parse_date(date_to),
    )


def month_grid(year: int, month: int, counts: dict[date, int]) -> list[list[tuple[date | None, int]]]:
    """Weeks (Monday first) of a month, each cell the day and its article count."""
    weeks = []
    for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
        weeks.append([(d, counts.get(d, 0)) if d.month == month else (None, 0) for d in week])
    return weeks


# --- the app ----------------------------------------------------------------------------------

FilterParam = Annotated[str | None, Query(max_length=200)]


def create_app(store: Store, settings: Settings | None = None, index: S.SearchIndex | None = None) -> FastAPI:
    """The FastAPI app over `store`. Pass an `index` already synced to skip the initial catch-up."""
    settings = settings or Settings()
    web = Web(store, settings, index or S.SearchIndex(store, index_tokens))
    if index is None:
        web.index.sync_facets()  # seconds even for a big store: filtered lists are right from the start
        web.maybe_sync()
    else:  # already synced: the first full stale scan can wait until something moves
        web.mark_synced()
    app = CachedFastAPI(store, web.watch, title="ainews", version="1", docs_url=None, redoc_url=None,
                        openapi_url="/api/openapi.json",
                        description="Korean AI news: articles, stories, search and trends (read-only).")
    app.state.web = web
    app.state.page_cache = app.fast_path.cache  # answers keyed by the store's change fingerprint (web/fastpath.py)
    app.add_middleware(guards.SecurityHeaders)  # on every answer the app renders, so on the cached ones too
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=True, trim_blocks=True,
                      lstrip_blocks=True)
    templates = Jinja2Templates(env=env)
    env.filters["safe_url"] = safe_url
    env.filters["kst"] = lambda d, fmt="%Y-%m-%d %H:%M": d.astimezone(KST).strftime(fmt) if d else ""
    env.filters.update(when=when, machine_when=machine_when)  # no "00:00" for a time nobody knows
    env.globals.update(site_title=settings.web.site_title, weekdays=WEEKDAYS, sparkline=sparkline,
                       chart_color=color)

    def render(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
        base = request.scope.get("root_path", "")

        def link(path: str, **params: Any) -> str:
            query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
            return f"{base}{path}" + (f"?{query}" if query else "")

        def with_params(**changes: Any) -> str:
            params = dict(request.query_params)
            params.pop("offset", None)
            params.update(changes)
            return link(request.url.path[len(base):] if base else request.url.path, **params)

        context.update(request=request, link=link, with_params=with_params, root=base)
        return templates.TemplateResponse(request, name, context, status_code=status)

    @app.exception_handler(404)
    async def not_found(request: Request, exc: Exception) -> HTMLResponse | JSONResponse:
        detail = getattr(exc, "detail", "not found")
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": detail}, status_code=404)
        return render(request, "error.html", status=404, message=str(detail))

    # pages

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def index_page(request: Request) -> HTMLResponse:
        days = store.days()
        today = now_kst().date()
        day = today if today in days else (days[-1] if days else today)
        return day_view(request, day, days)

    @app.get("/day/{day}", response_class=HTMLResponse, include_in_schema=False)
    def day_page(request: Request, day: str) -> HTMLResponse:
        the_day = parse_date(day)
        if the_day is None:
            raise HTTPException(404, f"날짜 형식이 아닙니다: {day}")
        return day_view(request, the_day, store.days())

    def day_view(request: Request, day: date, days: list[date]) -> HTMLResponse:
        kept, left = web.digest(day)
        earlier = [d for d in days if d < day]
        later = [d for d in days if d > day]
        return render(request, "day.html", day=day, entries=kept, excluded=left,
                      prev_day=earlier[-1] if earlier else None, next_day=later[0] if later else None)

    @app.get("/archive", response_class=HTMLResponse, include_in_schema=False)
    def archive_page(request: Request) -> HTMLResponse:
        counts = S.day_counts(store)
        months = sorted({(d.year, d.month) for d in counts}, reverse=True)
        grids = [(y, m, month_grid(y, m, counts)) for y, m in months]
        return render(request, "archive.html", months=grids, total=sum(counts.values()))

    @app.get("/articles", response_class=HTMLResponse, include_in_schema=False)
    def articles_page(request: Request, category: FilterParam = None, topic: FilterParam = None,
                      company: FilterParam = None, outlet: FilterParam = None,
                      date_from: Annotated[str | None, Query(alias="from", max_length=20)] = None,
                      date_to: Annotated[str | None, Query(alias="to", max_length=20)] = None,
                      offset: guards.Offset = 0) -> HTMLResponse:
        web.maybe_sync()
        f = filters_from(category, topic, company, outlet, date_from, date_to)
        page = 30
        articles = S.list_articles(store, f, page + 1, offset)
        return render(request, "articles.html", articles=articles[:page], filters=f, facets=web.facets(),
                      total=S.count_articles(store, f), offset=offset, page=page,
                      more=len(articles) > page)

    @app.get("/search", response_class=HTMLResponse, include_in_schema=False)
    def search_page(request: Request, q: Annotated[str, Query(max_length=200)] = "",
                    category: FilterParam = None, topic: FilterParam = None, company: FilterParam = None,
                    outlet: FilterParam = None,
                    date_from: Annotated[str | None, Query(alias="from", max_length=20)] = None,
                    date_to: Annotated[str | None, Query(alias="to", max_length=20)] = None,
                    offset: Annotated[int, Query(ge=0, le=1000)] = 0) -> HTMLResponse:
        web.maybe_sync()
        f = filters_from(category, topic, company, outlet, date_from, date_to)
        page = 20
        hits = [present(h) for h in web.index.search(q, page + 1, f, offset)] if q.strip() else []
        return render(request, "search.html", q=q, hits=hits[:page], filters=f, facets=web.facets(),
                      offset=offset, page=page, more=len(hits) > page)

    @app.get("/story/{story_id}", response_class=HTMLResponse, include_in_schema=False)
    def story_page(request: Request, story_id: str) -> HTMLResponse:
        timeline = web.timeline(story_id)
        if timeline is None:
            raise HTTPException(404, "이야기를 찾을 수 없습니다")
        return render(request, "story.html", t=timeline)

    @app.get("/article/{article_id}", response_class=HTMLResponse, include_in_schema=False)
    def article_page(request: Request, article_id: guards.RowId) -> HTMLResponse:
        article = store.get_article(article_id)
        if article is None:
            raise HTTPException(404, "기사를 찾을 수 없습니다")
        sid = article.analysis.story_id if article.analysis else None
        story = store.get_story(sid) if sid else None
        return render(request, "article.html", a=article, story=story)

    @app.get("/trends", response_class=HTMLResponse, include_in_schema=False)
    def trends_page(request: Request, by: Annotated[str, Query(pattern="^(company|topic)$")] = "company",
                    weeks: Annotated[int, Query(ge=2, le=104)] = 12) -> HTMLResponse:
        starts, rows = S.trends(store, by, weeks)
        chart = line_chart([s.strftime("%m/%d") for s in starts], [(t.name, t.counts) for t in rows])
        rising = sorted(rows, key=lambda t: -t.change)[:3]
        return render(request, "trends.html", by=by, weeks=weeks, starts=starts, rows=rows, chart=chart,
                      rising=[t for t in rising if t.change > 0])

    # JSON API

    @app.get("/api/articles", response_model=list[ArticleOut], tags=["api"])
    def api_articles(date_: Annotated[str | None, Query(alias="date", description="YYYY-MM-DD (KST)")] = None,
                     category: FilterParam = None, topic: FilterParam = None, company: FilterParam = None,
                     outlet: FilterParam = None,
                     date_from: Annotated[str | None, Query(alias="from")] = None,
                     date_to: Annotated[str | None, Query(alias="to")] = None,
                     limit: Annotated[int, Query(ge=1, le=500)] = 100,
                     offset: guards.Offset = 0) -> list[dict[str, Any]]:
        """Articles, newest first, narrowed by any combination of filters."""
        for name, value in (("date", date_), ("from", date_from), ("to", date_to)):
            if value and parse_date(value) is None:
                raise HTTPException(422, f"bad {name} '{value}': use YYYY-MM-DD")
        web.maybe_sync()
        f = filters_from(category, topic, company, outlet, date_from, date_to, date_)
        return [article_out(a) for a in S.list_articles(store, f, limit, offset)]

    @app.get("/api/articles/{article_id}", response_model=ArticleDetailOut, tags=["api"])
    def api_article(article_id: guards.RowId) -> dict[str, Any]:
        a = store.get_article(article_id)
        if a is None:
            raise HTTPException(404, "article not found")
        return article_out(a) | {"body": a.body, "reporters": a.reporters}

    @app.get("/api/search", response_model=list[HitOut], tags=["api"])
    def api_search(q: Annotated[str, Query(max_length=200)] = "", limit: Annotated[int, Query(ge=1, le=100)] = 20,
                   offset: Annotated[int, Query(ge=0, le=1000)] = 0,
                   category: FilterParam = None, topic: FilterParam = None, company: FilterParam = None,
                   outlet: FilterParam = None, date_from: Annotated[str | None, Query(alias="from")] = None,
                   date_to: Annotated[str | None, Query(alias="to")] = None) -> list[dict[str, Any]]:
        """Ranked full-text hits; `snippet` is HTML with the query words in <mark>, everything else escaped."""
        web.maybe_sync()
        f = filters_from(category, topic, company, outlet, date_from, date_to)
        return [article_out(h.article) | {"score": h.score, "snippet": str(h.snippet), "matched": h.matched}
                for h in map(present, web.index.search(q, limit, f, offset))]

    @app.get("/api/stories", response_model=list[StoryOut], tags=["api"])
    def api_stories(limit: Annotated[int, Query(ge=1, le=200)] = 50,
                    min_members: guards.Count = 2) -> list[dict[str, Any]]:
        """Stories followed across days and outlets, most recently active first."""
        stories = [s for s in store.stories() if len(s.member_ids) >= min_members]
        stories.sort(key=lambda s: s.last_seen or s.first_seen or now_kst(), reverse=True)
        out = []
        for s in stories[:limit]:
            t = web.timeline(s.id)
            if t:
                out.append(story_out(t))
        return out

    @app.get("/api/stories/{story_id}", response_model=StoryOut, tags=["api"])
    def api_story(story_id: str) -> dict[str, Any]:
        t = web.timeline(story_id)
        if t is None:
            raise HTTPException(404, "story not found")
        return story_out(t)

    @app.get("/api/trends", response_model=list[TrendOut], tags=["api"])
    def api_trends(by: Annotated[str, Query(pattern="^(company|topic)$")] = "company",
                   weeks: Annotated[int, Query(ge=1, le=104)] = 12,
                   top: Annotated[int, Query(ge=1, le=100)] = 20) -> list[dict[str, Any]]:
        """Mentions per week (Monday start) for the most mentioned companies or topics."""
        starts, rows = S.trends(store, by, weeks, top)
        return [{"name": t.name, "total": t.total, "change": t.change,
                 "weeks": [{"week": s.isoformat(), "count": c} for s, c in zip(starts, t.counts, strict=True)]}
                for t in rows]

    @app.get("/api/days", tags=["api"])
    def api_days() -> list[dict[str, Any]]:
        """Every day with articles and how many."""
        return [{"day": d.isoformat(), "count": n} for d, n in sorted(S.day_counts(store).items())]

    return app
