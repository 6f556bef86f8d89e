"""Command line: a thin layer over pipeline.py. User mistakes get one line on stderr and exit 2."""

from __future__ import annotations

import functools
import json
import logging
import os
import sys
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from ainews import catalogue, cli_daily, cli_queue, cli_templates, pipeline
from ainews.analyze import dates
from ainews.collect.local import InputError
from ainews.config import Settings, load_settings
from ainews.errors import UserError
from ainews.redact import install_log_filter, redact, redact_any, remember_settings
from ainews.store import Store

app = typer.Typer(help="ainews: the day's Korean AI news as one digest.", no_args_is_help=True,
                  add_completion=False, pretty_exceptions_enable=False)
err = Console(stderr=True, soft_wrap=True)
F = TypeVar("F", bound=Callable[..., Any])


class State:
    """Global options, and the stores a command opened (closed when it ends, whatever happens)."""

    config: str | None = None
    db: str | None = None
    opened: list[Store] = []

    def settings(self) -> Settings:
        settings = load_settings(self.config, db=self.db)
        remember_settings(settings)  # every configured secret is masked in whatever we print or log
        return settings

    def store(self, settings: Settings) -> Store:
        store = Store(settings.db_url)
        self.opened.append(store)
        return store

    def close_stores(self) -> None:
        while self.opened:
            self.opened.pop().close()


state = State()


def fail(message: str, code: int = 2) -> None:
    err.print(f"[red]error:[/red] {escape(redact(message))}", highlight=False, markup=True)
    raise typer.Exit(code)


def user_errors(func: F) -> F:
    """A UserError (errors.py) becomes one line and exit 2; anything else is a bug and shows its
    traceback. Every store the command opened is closed."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except typer.Exit:
            raise
        except UserError as exc:
            fail(str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
        finally:
            state.close_stores()

    return wrapper  # type: ignore[return-value]


def parse_day(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UserError(f"bad date '{value}': use YYYY-MM-DD") from None


@app.callback()
def main(
    db: Annotated[str | None, typer.Option(help="Store: a SQLAlchemy URL or SQLite path (env: AINEWS_DB).")] = None,
    config: Annotated[str | None, typer.Option(help="Config TOML (env: AINEWS_CONFIG).")] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log what happens.")] = False,
) -> None:
    """Collect, extract, analyze and publish Korean AI news."""
    state.db, state.config = db, config
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, format="%(levelname)s %(message)s")
    install_log_filter()
    try:
        catalogue.check_all()  # a broken bundled rule file stops here, before any article is touched
    except UserError as exc:
        fail(str(exc))


@app.command()
@user_errors
def demo(
    out: Annotated[Path | None, typer.Option(help="Folder for the demo database and digests.")] = None,
) -> None:
    """Run the pipeline on the bundled sample (five seed documents) and print the digests' paths."""
    out_dir = out or Path(tempfile.mkdtemp(prefix="ainews-demo-"))
    with _progress() as bar:
        task = bar.add_task("samples", total=len(pipeline.sample_files()))
        paths = pipeline.run_demo(out_dir, progress=lambda _v: bar.advance(task))
    for path in paths:
        typer.echo(str(path))


@app.command()
@user_errors
def add(
    inputs: Annotated[list[str], typer.Argument(help="Files (HTML, text capture, old digest) or URLs.")],
    day: Annotated[str | None, typer.Option("--date", help="Date for pages that show none (YYYY-MM-DD).")] = None,
    allow_private: Annotated[bool, typer.Option(help="Allow URLs on private/loopback addresses.")] = False,
) -> None:
    """Store documents a user hands over; the same document twice is stored once."""
    assume = parse_day(day)
    settings = state.settings()
    store = state.store(settings)
    with _progress() as bar:
        task = bar.add_task("adding", total=len(inputs))
        result = pipeline.ingest(store, settings, inputs, assume_date=assume, allow_private=allow_private,
                                 progress=lambda _v: bar.advance(task))
    for note in result.assumed_dates:
        err.print(f"[yellow]note:[/yellow] {note}", highlight=False)
    for value, message in result.errors:
        err.print(f"[red]skipped:[/red] {message}" if value in message else f"[red]skipped:[/red] {value}: {message}",
                  highlight=False)
    typer.echo(f"{len(result.new)} new, {len(result.unchanged)} already stored, {len(result.errors)} skipped")
    if result.errors and not (result.new or result.unchanged):
        raise typer.Exit(1)


@app.command("extract")
@user_errors
def extract_cmd(
    source: Annotated[str, typer.Argument(help="A file (HTML or text capture) or a URL.")],
    fmt: Annotated[str, typer.Option("--format", help="json or text.")] = "json",
    allow_private: Annotated[bool, typer.Option(help="Allow URLs on private/loopback addresses.")] = False,
) -> None:
    """Extract one article and print it; exit 3 when the page holds no usable article."""
    from ainews.collect.extracting import extract_bounded

    if fmt not in {"json", "text"}:
        raise UserError(f"unknown format '{fmt}': use json or text")
    settings = state.settings()
    raw = pipeline.read_input(source, settings, allow_private)
    article = extract_bounded(raw, timeout=settings.extract_timeout)
    dates.settle([dates.Pending.of(article, raw)], fallback=False)
    if fmt == "json":
        typer.echo(json.dumps(article_json(article), ensure_ascii=False, indent=2))
    else:
        typer.echo(f"{article.title}\n\n" + "\n".join(article.subtitles) + f"\n\n{article.body}")
    if not article.extraction_ok:
        err.print(f"extraction failed: {article.extraction_reason}", highlight=False)
        raise typer.Exit(3)


def article_json(article: Any) -> dict[str, Any]:
    return {
        "title": article.title, "subtitles": article.subtitles, "body": article.body,
        "publisher": article.publisher, "reporters": article.reporters,
        "published_at": article.published_at.isoformat() if article.published_at else None,
        "url": article.url, "canonical_url": article.canonical_url, "lang": article.lang,
        "host": article.host, "date_assumed": article.date_assumed, "date_method": article.date_method,
        "extraction_ok": article.extraction_ok, "extraction_reason": article.extraction_reason,
    }


@app.command()
@user_errors
def digest(
    day: Annotated[str, typer.Option("--date", help="Day of the digest (YYYY-MM-DD, KST).")],
    out: Annotated[Path | None, typer.Option(help="Folder for DATE.md (default: output_dir).")] = None,
    show_excluded: Annotated[bool, typer.Option(help="List items left out, with their relevance.")] = False,
) -> None:
    """Analyze pending articles and write the day's Markdown digest (seed-000 format)."""
    the_day = parse_day(day)
    assert the_day is not None
    settings = state.settings()
    store = state.store(settings)
    path, result = pipeline.write_digest(store, settings, the_day, out or Path(settings.output_dir))
    typer.echo(str(path))
    err.print(f"{len(result.items)} items, {len(result.excluded)} excluded", highlight=False)
    if show_excluded:
        for item in result.excluded:
            an = item.article.analysis
            score = f"{an.relevance:.2f}" if an else "-"
            reasons = "; ".join(an.reasons[:3]) if an else ""
            typer.echo(f"excluded {score}  {item.article.title}  {item.article.url}  ({reasons})")


SOURCES_HELP = "Sources TOML (only these) (default: bundled + config + `sources add`)."


@app.command("collect")
@user_errors
def collect_cmd(
    sources: Annotated[str | None, typer.Option(help=SOURCES_HELP)] = None,
    allow_private: Annotated[bool, typer.Option(help="Allow private/loopback addresses (local test servers).")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the run summary as JSON.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar or summary; errors only.")] = False,
) -> None:
    """Fetch every source and store new articles; a second run fetches only what is new.

    Exit 0 when at least one source worked, 1 when every source failed, 2 on a usage error."""
    import asyncio

    from ainews.collect.console import CollectProgress
    from ainews.collect.run import collect
    from ainews.collect.sources import load_sources

    settings = state.settings()
    store = state.store(settings)
    try:
        source_list = load_sources(sources, settings.sources or None, store)
        with CollectProgress(err, enabled=not (quiet or as_json) and err.is_terminal) as progress:
            report = asyncio.run(collect(settings, store, source_list, allow_private=allow_private,
                                         progress=progress))
    finally:
        store.close()
    if as_json:
        typer.echo(json.dumps(redact_any(report.to_json()), ensure_ascii=False, indent=2))
    else:
        for e in redact_any(report.errors):
            err.print(f"[red]✗[/red] {e['source']}: {e['error']} [dim]{e['url']}[/dim]", highlight=False)
        if not quiet:
            err.print(report.summary(), highlight=False)
    raise typer.Exit(report.exit_code)


def _sources_app() -> typer.Typer:
    from ainews.cli_sources import build

    return build(state, user_errors)


app.add_typer(_sources_app(), name="sources")


@app.command("analyze")
@user_errors
def analyze_cmd(
    input_file: Annotated[Path, typer.Argument(help="JSONL: {id, text|html|path, url?, published_at?}")],
    fmt: Annotated[str, typer.Option("--format", help="Output format (jsonl).")] = "jsonl",
) -> None:
    """Batch analysis for evaluation: one JSON line out per line in."""
    from ainews.analyze import batch

    _require_jsonl(fmt)
    with _open_input(input_file) as lines:
        for line in batch.analyze_jsonl(lines, state.settings()):
            typer.echo(line)


@app.command("summarize")
@user_errors
def summarize_cmd(
    input_file: Annotated[Path, typer.Argument(help="JSONL: {id, text|html|path, title?}")],
    fmt: Annotated[str, typer.Option("--format", help="Output format (jsonl).")] = "jsonl",
    method: Annotated[str, typer.Option(help="extractive or llm.")] = "extractive",
) -> None:
    """Batch summaries for evaluation: one {id, summary, method} line per input line."""
    from ainews.analyze import summarize

    _require_jsonl(fmt)
    if method not in {"extractive", "llm"}:
        raise UserError(f"unknown method '{method}': use extractive or llm")
    settings = state.settings()
    store = state.store(settings) if method == "llm" else None
    with _open_input(input_file) as lines:
        for line in summarize.summarize_jsonl(lines, settings, method, store):
            typer.echo(line)


def _require_jsonl(fmt: str) -> None:
    if fmt != "jsonl":
        raise UserError(f"unknown format '{fmt}': use jsonl")


def _open_input(path: Path):  # noqa: ANN202 - a text file context manager
    if str(path) == "-":
        return open(sys.stdin.fileno(), encoding="utf-8", closefd=False)
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    return path.open(encoding="utf-8")


SITE_URL_HELP = "Public address of site/ (for feed and message links) (env: AINEWS_SITE_URL)."


@app.command("run")
@user_errors
def run_cmd(
    sources: Annotated[str | None, typer.Option(help=SOURCES_HELP)] = None,
    allow_private: Annotated[bool, typer.Option(help="Allow sources on private/loopback addresses.")] = False,
    day: Annotated[str | None, typer.Option("--date", help="Day (YYYY-MM-DD, KST) (default: today).")] = None,
    out: Annotated[Path | None, typer.Option(help="Folder for digests/ and site/ (default: output_dir).")] = None,
    no_deliver: Annotated[bool, typer.Option("--no-deliver", help="Publish only; send nothing.")] = False,
    weekly: Annotated[bool, typer.Option("--weekly", help="Also write the week's digest (digests/weekly/).")] = False,
    site_url: Annotated[str | None, typer.Option(help=SITE_URL_HELP)] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the run report as JSON.")] = False,
    queued: Annotated[bool, typer.Option("--queue", help="Queue the day for `ainews worker`s and return.")] = False,
    wait: Annotated[bool, typer.Option("--wait", help="With --queue: wait until the day is published.")] = False,
) -> None:
    """The daily job: collect → extract → analyze → summarize → publish → deliver (idempotent)."""
    the_day = parse_day(day)
    settings = state.settings()
    store = state.store(settings)
    url = site_url if site_url is not None else os.environ.get("AINEWS_SITE_URL", settings.site_url)
    options = pipeline.RunOptions(day=the_day, out_dir=out, sources=sources, allow_private=allow_private,
                                  deliver=not no_deliver, site_url=url, weekly=weekly,
                                  progress=lambda stage: err.print(f"[dim]{stage}…[/dim]", highlight=False))
    if queued:
        cli_queue.run_queued(store, settings, options, wait)
        return
    try:
        report = pipeline.run(settings, store, options)
    finally:
        store.close()
    _print_run_report(report, as_json)


def _print_run_report(report: pipeline.RunReport, as_json: bool) -> None:
    published = report.published
    if as_json:
        typer.echo(json.dumps(redact_any(report.to_json()), ensure_ascii=False, indent=2))
    elif published:
        for path in published.markdown + published.json:
            typer.echo(str(path))
    if report.collect:
        c = report.collect
        err.print(f"collect: {c.get('articles_new', 0)} new, {c.get('sources_failed', 0)} source(s) failed",
                  highlight=False)
    for message in report.errors:
        err.print(f"[red]error:[/red] {escape(redact(message))}", highlight=False)
    if published:
        err.print(f"published {report.day}: {published.items} items, {published.excluded} excluded, "
                  f"{len(published.written)} file(s) changed", highlight=False)
    for outcome in report.deliveries:
        color = {"sent": "green", "failed": "red"}.get(outcome.status, "dim")
        detail = f": {escape(redact(outcome.error))}" if outcome.error else ""
        err.print(f"deliver {outcome.channel}: [{color}]{outcome.status}[/{color}]{detail}", highlight=False)
    for alert in report.alerts:
        detail = f": {alert.error}" if alert.error else ""
        err.print(f"alert {alert.watch} → {alert.channel}: {alert.status} ({alert.story}){detail}", highlight=False)


@app.command("publish")
@user_errors
def publish_cmd(
    day: Annotated[str | None, typer.Option("--date", help="One day (YYYY-MM-DD) (default: every day).")] = None,
    out: Annotated[Path | None, typer.Option(help="Folder for digests/ and site/ (default: output_dir).")] = None,
    weekly: Annotated[bool, typer.Option("--weekly", help="Also write weekly digests (digests/weekly/).")] = False,
    site_url: Annotated[str | None, typer.Option(help=SITE_URL_HELP)] = None,
    deliver: Annotated[bool, typer.Option("--deliver", help="Also deliver the day (needs --date).")] = False,
) -> None:
    """Write Markdown, JSON, the archive index, the static site and feeds from the store (no network)."""
    the_day = parse_day(day)
    if deliver and the_day is None:
        raise UserError("--deliver needs --date")
    settings = state.settings()
    store = state.store(settings)
    out_dir = out or Path(settings.output_dir).expanduser()
    url = site_url if site_url is not None else os.environ.get("AINEWS_SITE_URL", settings.site_url)
    options = pipeline.PublishOptions(site_url=url, weekly=weekly)
    try:
        if the_day is None:
            result = pipeline.publish_all(store, settings, out_dir, options)
        else:
            result = pipeline.publish_day(store, settings, the_day, out_dir, options)
        outcomes = pipeline.deliver_day(store, settings, the_day, out_dir, url) if deliver and the_day else []
    finally:
        store.close()
    for path in result.markdown:
        typer.echo(str(path))
    err.print(f"{len(result.days)} day(s), {result.items} items, {len(result.written)} file(s) changed",
              highlight=False)
    report = pipeline.RunReport(day=the_day or date.today(), published=result, deliveries=outcomes)
    if outcomes:
        _print_run_report(report, as_json=False)


@app.command()
@user_errors
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(min=1, max=64, help="Processes sharing the port (each its own cache).")] = 1,
    access_log: Annotated[bool, typer.Option(help="Log every request (a third of a cached answer's cost).")] = False,
) -> None:
    """Serve the web app over the store: daily digest, archive, filters, search, stories, trends, /api/."""
    from ainews.web.serve import run

    settings = state.settings()
    run(settings, state.store(settings), host, port, workers, access_log, state.config)


@app.command("search")
@user_errors
def search_cmd(
    query: Annotated[str, typer.Argument(help="Words to find (Korean or English).")],
    limit: Annotated[int, typer.Option(help="Number of results.")] = 10,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON lines.")] = False,
    rebuild: Annotated[bool, typer.Option(help="Rebuild the search index first.")] = False,
) -> None:
    """Full-text search over stored articles (the index catches up on new articles first)."""
    from ainews.analyze.korean import index_tokens
    from ainews.store.search import SearchIndex

    index = SearchIndex(state.store(state.settings()), index_tokens)
    index.rebuild() if rebuild else index.sync()
    for hit in index.search(query, limit):
        a = hit.article
        if as_json:
            typer.echo(json.dumps({"id": a.id, "title": a.title, "url": a.url, "publisher": a.publisher,
                                   "published_at": a.published_at.isoformat() if a.published_at else None,
                                   "score": hit.score}, ensure_ascii=False))
        else:
            typer.echo(f"{str(a.day or ''):<10}  {a.publisher or '-':<12}  {a.title}  {a.url}")


def _progress() -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), console=err,
                    transient=True, disable=not err.is_terminal)


cli_templates.register(app, state, user_errors)
cli_daily.register(app, state, user_errors)  # `init` and `watches`
cli_queue.register(app, state, user_errors)  # `worker`, `queue`, `enqueue`

if __name__ == "__main__":
    app()
