"""The one place that runs the stages in order: ingest/collect → extract → analyze → publish.

Every step is idempotent: articles are keyed, analysis is versioned, published files carry no
run timestamps, so running a step twice changes nothing the second time.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from ainews import analyze
from ainews.analyze import dates, summarize
from ainews.collect.extracting import DEFAULT_TIMEOUT, extract_bounded
from ainews.collect.local import InputError, printable_name, read_path
from ainews.config import Settings
from ainews.extract.quality import check_body
from ainews.models import Article, Digest, RawPage, Story, now_kst
from ainews.publish import markdown
from ainews.publish.digest import build_digest, render_day
from ainews.publish.records import PublishedDay
from ainews.store import Store
from ainews.text.urls import is_web_url

log = logging.getLogger(__name__)

Progress = Callable[[str], None]


@dataclass
class IngestResult:
    new: list[int] = field(default_factory=list)
    unchanged: list[int] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)
    assumed_dates: list[str] = field(default_factory=list)


def read_input(value: str, settings: Settings, allow_private: bool = False) -> RawPage:
    """A path or URL the user gave us, as raw bytes. Raises InputError/FetchError with one line."""
    if is_web_url(value):
        from ainews.collect.http import fetch_one

        return asyncio.run(fetch_one(value, settings, allow_private=allow_private))
    if "://" in value:
        raise InputError(f"{value}: only http(s) URLs and local files can be added")
    return read_path(value)


def articles_from(raw: RawPage, assume_date: date | None, timeout: float = DEFAULT_TIMEOUT) -> list[Article]:
    """One page → one article (within `timeout` seconds); an old digest file → one article per item."""
    head = raw.content[:200_000].decode("utf-8", "ignore")
    if "html" not in raw.content_type and markdown.is_digest(head):
        text = raw.content.decode("utf-8", "replace")
        articles = markdown.parse_digest(text, url=raw.url)
        for article in articles:
            article.content_hash = raw.sha256
            article.source = raw.source
            gate_imported(article)
        return articles
    return [extract_bounded(raw, assume_date, timeout)]


def gate_imported(article: Article) -> None:
    """Old digests printed site chrome as article text: judge imported bodies like extracted ones."""
    ok, reason = check_body(article.title, article.body)
    article.extraction_ok, article.extraction_reason = ok, reason


def ingest(
    store: Store,
    settings: Settings,
    inputs: Iterable[str],
    assume_date: date | None = None,
    allow_private: bool = False,
    progress: Progress | None = None,
    default_date: date | None = None,
) -> IngestResult:
    """Store each input; a bad one is reported and skipped, the others still land.

    Undated pages are filed by analyze/dates.py: `assume_date` (the user's --date) wins over
    inference, `default_date` (else today) is the day for pages without any evidence.
    """
    result = IngestResult()
    pending: list[tuple[str, dates.Pending]] = []
    for value in inputs:
        if progress:
            progress(value)
        try:
            raw = read_input(value, settings, allow_private)
            articles = articles_from(raw, None, settings.extract_timeout)
            pending.extend((value, dates.Pending.of(a, raw)) for a in articles)
        except Exception as exc:  # noqa: BLE001 - one bad input must not lose the others
            result.errors.append((printable_name(value), _one_line(exc)))
    dates.settle([p for _, p in pending], assume_date, default_date)
    for value, item in pending:
        article = item.article
        if article.date_method.startswith("assumed") or article.date_method == "--date":
            result.assumed_dates.append(f"{value}: no date on the page, filed under {article.day} "
                                        f"({article.date_method})")
        elif article.date_method in dates.INFERRED:
            result.assumed_dates.append(f"{value}: no date on the page, filed under {article.day} "
                                        f"(inferred: {article.date_method})")
        article_id, created = store.upsert_article(article)
        (result.new if created else result.unchanged).append(article_id)
    if result.new:
        from ainews.collect.templates import refresh_quietly

        refresh_quietly(store, settings.templates)  # pages added by hand teach their host's template too
    return result


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


# --- analysis ---------------------------------------------------------------------------------

def analyze_pending(store: Store, settings: Settings) -> int:
    """Analyze and summarize every article whose analysis is missing or from older rules."""
    pending = store.articles_needing_analysis(analyze.ANALYSIS_VERSION)
    if not pending:
        _update_search_index(store)  # a run killed after its analysis left the index behind
        return 0
    days = [a.day for a in pending if a.day]
    window = timedelta(hours=settings.analysis.story_window_hours)
    pending_ids = {a.id for a in pending}
    context: list[Article] = []
    if days:
        context = [
            a for a in store.articles_between(min(days) - window, max(days) + window)
            if a.id not in pending_ids and a.analysis is not None
        ]
    analyses, stories = analyze.analyze_batch(pending, context, store.stories(), settings)
    # one summarize call per run, so the LLM budget, concurrency limit and cache span the run
    todo = [a for a in pending if a.id in analyses and a.extraction_ok and a.body.strip()]
    for article, summary in zip(todo, summarize.summarize_articles(todo, settings, store), strict=True):
        analyses[article.id or 0].summary = summary.sentences
        analyses[article.id or 0].summary_method = summary.method
    # stories before analyses: a run killed in between leaves articles pending (analyzed again next
    # run), never saved analyses pointing at stories that were not saved (nothing would repair them)
    for story in stories:
        _summarize_story(store, settings, story)
        store.save_story(story)
    for article in pending:
        if (analysis := analyses.get(article.id or 0)) is not None:
            store.save_analysis(article.id or 0, analysis)
    _update_search_index(store)
    return len(pending)


def _update_search_index(store: Store) -> None:
    """Index what is new or re-analyzed (and anything an interrupted run missed). Search is an extra:
    a failure is logged, and the index catches up next time."""
    from ainews.analyze.korean import index_tokens
    from ainews.store.search import SearchIndex

    try:
        SearchIndex(store, index_tokens).sync()
    except Exception:  # noqa: BLE001 - never fail a run on the search index
        log.exception("search index update failed")


def _summarize_story(store: Store, settings: Settings, story: Story) -> None:
    if len(story.member_ids) < 2:
        return
    members = store.get_articles(story.member_ids)
    members.sort(key=lambda a: a.id != story.representative_id)
    story.summary = summarize.summarize_story([m for m in members if m.extraction_ok], settings)


# --- digest -----------------------------------------------------------------------------------

def write_digest(store: Store, settings: Settings, day: date, out_dir: Path) -> tuple[Path, Digest]:
    """Analyze what is pending, then write OUT/YYYY-MM-DD.md for the day."""
    analyze_pending(store, settings)
    digest = build_digest(store, settings, day)
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"{day.isoformat()}.md"
    write_if_changed(path, render_day(digest, settings)[0])
    return path, digest


def write_if_changed(path: Path, text: str) -> bool:
    """Write atomically, and only when the content differs (keeps mtimes and re-runs quiet)."""
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
    return True


# --- demo -------------------------------------------------------------------------------------

def sample_files() -> list[Path]:
    folder = Path(__file__).parent / "data" / "samples"
    return sorted(p for p in folder.iterdir() if p.suffix == ".txt")


def run_demo(out_dir: Path, progress: Progress | None = None) -> list[Path]:
    """The bundled sample through add → analyze → digest in a throwaway database under out_dir."""
    out_dir.mkdir(parents=True, exist_ok=True)
    db = out_dir / "demo.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    settings = Settings(db=str(db), output_dir=str(out_dir))
    store = Store(settings.db_url)
    try:
        files = sample_files()
        digest_days = [markdown.digest_day(p.read_text(encoding="utf-8")) for p in files]
        assume = next((d for d in digest_days if d), None)
        result = ingest(store, settings, [str(p) for p in files], default_date=assume, progress=progress)
        if result.errors:
            raise RuntimeError("; ".join(f"{v}: {e}" for v, e in result.errors))
        return publish_demo(store, settings, out_dir)
    finally:
        store.close()


# --- publish and deliver (publish/: markdown, JSON, site, feeds, archive; delivery) ------------------

PUBLISH_CACHE = Path(".ainews-cache") / "days.json"  # light forms of published days, keyed by hash


@dataclass(frozen=True)
class PublishOptions:
    """How days are published: the site's public address (feed and message links; "" = relative
    links) and whether the weeks' digests (digests/weekly/) are written too."""

    site_url: str = ""
    weekly: bool = False


@dataclass
class PublishResult:
    """What publishing wrote: the days' files and everything refreshed around them."""

    days: list[date] = field(default_factory=list)
    markdown: list[Path] = field(default_factory=list)
    json: list[Path] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    items: int = 0
    excluded: int = 0

    def to_json(self) -> dict[str, Any]:
        return {"days": [d.isoformat() for d in self.days], "markdown": [str(p) for p in self.markdown],
                "json": [str(p) for p in self.json], "files_written": len(self.written),
                "items": self.items, "excluded": self.excluded}


def write_day_files(store: Store, settings: Settings, day: date, out_dir: Path,
                    result: PublishResult) -> PublishedDay:
    """digests/YYYY/YYYY-MM-DD.md (seed-000 format with 오늘의 요약) and .json for one day."""
    from ainews.publish import jsonout

    digest = build_digest(store, settings, day)
    text, data = render_day(digest, settings)
    digests = out_dir / "digests"
    md_path, json_path = jsonout.day_md_path(digests, day), jsonout.day_json_path(digests, day)
    md_path.parent.mkdir(parents=True, exist_ok=True)
    for path, content in ((md_path, text), (json_path, jsonout.dumps(data.to_json()))):
        if write_if_changed(path, content):
            result.written.append(path)
    result.days.append(day)
    result.markdown.append(md_path)
    result.json.append(json_path)
    result.items += len(digest.items)
    result.excluded += len(digest.excluded)
    return data


def refresh_outputs(settings: Settings, out_dir: Path, site_url: str = "", weekly: list[date] | None = None,
                    result: PublishResult | None = None) -> PublishResult:
    """Everything built from the published days on disk: README index, weekly files (for the weeks of
    the `weekly` days), site, feeds."""
    from ainews.publish import archive, feed, jsonout, site

    result = result or PublishResult()
    digests, site_dir = out_dir / "digests", out_dir / "site"
    docs = jsonout.load_day_docs(digests, out_dir / PUBLISH_CACHE)
    days = [doc.lite for doc in docs]
    outputs: list[tuple[Path, str]] = []
    for day in sorted(set(weekly or [])):
        outputs.append((digests / "weekly" / f"{archive.week_label(day)}.md", archive.render_weekly(days, day)))
    weeks = {p.stem for p in (digests / "weekly").glob("*-W*.md")} | {p.stem for p, _ in outputs}
    outputs.append((digests / "README.md", archive.render_index(days, sorted(weeks))))
    title = settings.web.site_title
    atom, rss = feed.digest_feeds(days, title, site_url)
    story_atom, story_rss = feed.story_feeds(days, title, site_url)
    built = site.build_site(site_dir, docs, title, settings.digest_body_chars)
    result.written += built.written
    outputs += [(site_dir / "atom.xml", atom), (site_dir / "rss.xml", rss),
                (site_dir / "stories.atom.xml", story_atom), (site_dir / "stories.rss.xml", story_rss)]
    for path, text in outputs:
        path.parent.mkdir(parents=True, exist_ok=True)
        if write_if_changed(path, text):
            result.written.append(path)
    return result


def publish_day(store: Store, settings: Settings, day: date, out_dir: Path,
                options: PublishOptions = PublishOptions()) -> PublishResult:
    """Analyze what is pending, write the day's Markdown and JSON, refresh index, site and feeds."""
    analyze_pending(store, settings)
    result = PublishResult()
    write_day_files(store, settings, day, out_dir, result)
    return refresh_outputs(settings, out_dir, options.site_url, [day] if options.weekly else None, result)


def publish_all(store: Store, settings: Settings, out_dir: Path,
                options: PublishOptions = PublishOptions()) -> PublishResult:
    """Every day in the store (re)published, then the site built once: for a first run or a rebuild."""
    analyze_pending(store, settings)
    result = PublishResult()
    days = store.days()
    for day in days:
        write_day_files(store, settings, day, out_dir, result)
    return refresh_outputs(settings, out_dir, options.site_url, days if options.weekly else None, result)


def deliver_day(store: Store, settings: Settings, day: date, out_dir: Path, site_url: str = "") -> list[Any]:
    """Send the published day (its JSON) to each configured channel that has not had it yet."""
    from ainews.publish import deliver, jsonout

    data = jsonout.load_day(jsonout.day_json_path(out_dir / "digests", day))
    if data is None:
        return [deliver.Outcome("all", "failed", f"{day}: not published yet (no digest JSON)")]
    return deliver.deliver_day(store, settings, data, site_url)


@dataclass
class RunReport:
    """One `ainews run`: what each stage did. Nothing here is written into published files."""

    day: date
    collect: dict[str, Any] | None = None
    analyzed: int = 0
    published: PublishResult | None = None
    deliveries: list[Any] = field(default_factory=list)
    alerts: list[Any] = field(default_factory=list)  # watch alerts (publish/alerts.py)
    errors: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"day": self.day.isoformat(), "collect": self.collect, "analyzed": self.analyzed,
                "published": self.published.to_json() if self.published else None,
                "deliveries": [o.to_json() for o in self.deliveries],
                "alerts": [o.to_json() for o in self.alerts], "errors": list(self.errors)}


@dataclass(frozen=True)
class RunOptions:
    """One `ainews run` as the user asked for it; every default is what a bare `ainews run` does."""

    day: date | None = None  # the day to publish (KST); None = today
    out_dir: Path | None = None  # where digests/ and site/ go; None = settings.output_dir
    sources: str | None = None  # a sources file used instead of the configured ones
    allow_private: bool = False  # sources on private/loopback addresses
    deliver: bool = True  # send the day to the configured channels and watch alerts
    site_url: str = ""
    weekly: bool = False
    progress: Progress | None = None  # told each stage's name as it starts

    @property
    def publish(self) -> PublishOptions:
        return PublishOptions(site_url=self.site_url, weekly=self.weekly)

    def the_day(self) -> date:
        return self.day or now_kst().date()

    def output(self, settings: Settings) -> Path:
        return self.out_dir or Path(settings.output_dir).expanduser()


def run(settings: Settings, store: Store, options: RunOptions = RunOptions()) -> RunReport:
    """The daily job: collect → extract → analyze → summarize → publish → deliver, idempotently.

    A collect failure is reported and publishing goes on with what the store has; delivery
    failures are reported and retried next run. Only publishing errors propagate.
    """
    from ainews.collect.run import collect
    from ainews.collect.sources import load_sources

    source_list = load_sources(options.sources, settings.sources or None, store)  # a bad file is the user's error
    with store.exclusive("run"):  # two runs on one database never interleave: the second one stops
        return _run_locked(settings, store, options, source_list, collect)


def _run_locked(settings: Settings, store: Store, options: RunOptions, source_list: list[Any],
                collect: Callable[..., Any]) -> RunReport:
    day, out_dir = options.the_day(), options.output(settings)
    report = RunReport(day=day)
    step = options.progress or (lambda _msg: None)
    step("collect")
    try:
        collected = asyncio.run(collect(settings, store, source_list, allow_private=options.allow_private))
        report.collect = collected.to_json()
    except Exception as exc:  # noqa: BLE001 - publish what we have even when collection broke
        log.exception("collect failed")
        report.errors.append(f"collect: {_one_line(exc)}")
    step("analyze")
    report.analyzed = analyze_pending(store, settings)
    step("publish")
    report.published = publish_day(store, settings, day, out_dir, options.publish)
    if options.deliver:
        step("deliver")
        report.deliveries = deliver_day(store, settings, day, out_dir, options.site_url)
        report.alerts = send_alerts(store, settings, report)
    return report


def send_alerts(store: Store, settings: Settings, report: RunReport) -> list[Any]:
    """Watch alerts for what this run stored; a failure is reported, never fatal."""
    from ainews.publish.alerts import send_watch_alerts

    try:
        return send_watch_alerts(store, settings, report.day)
    except Exception as exc:  # noqa: BLE001 - alerts must not undo a published run
        log.exception("watch alerts failed")
        report.errors.append(f"alerts: {_one_line(exc)}")
        return []


def publish_demo(store: Store, settings: Settings, out_dir: Path) -> list[Path]:
    """The demo's outputs in the real layout (digests/YYYY/…, site/…); returns the Markdown paths."""
    return publish_all(store, settings, out_dir).markdown
