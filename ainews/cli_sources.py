"""`ainews sources …`: health (no subcommand), add, import, export, remove, check.

Built by `build(state, user_errors)` so it shares the main CLI's --db/--config state without a
circular import (cli.py may run as `python -m ainews.cli`, i.e. as `__main__`).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit

import typer
from rich.console import Console
from rich.table import Table

from ainews.collect.sources import Source, load_sources
from ainews.errors import UserError
from ainews.redact import redact_any
from ainews.text.urls import normalize_url

SOURCES_HELP = "Sources TOML (only these) (default: bundled + config + added)."
PRIVATE_HELP = "Allow private/loopback addresses (local test servers)."
err = Console(stderr=True, soft_wrap=True)


def build(state: Any, user_errors: Callable[[Callable[..., Any]], Callable[..., Any]]) -> typer.Typer:
    """The `sources` sub-app; `state` gives settings() and store(settings) like the main CLI."""
    app = typer.Typer(help="Sources: health, add, import, export, remove, check.", invoke_without_command=True)

    @app.callback()
    @user_errors
    def health(
        ctx: typer.Context,
        sources: Annotated[str | None, typer.Option(help=SOURCES_HELP)] = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print the health rows as JSON.")] = False,
    ) -> None:
        """Each source's health: last success, last error, consecutive failures, items found."""
        if ctx.invoked_subcommand is not None:
            return
        from ainews.collect.console import health_table

        settings = state.settings()
        store = state.store(settings)
        try:
            source_list = load_sources(sources, settings.sources or None, store)
            rows = redact_any(store.source_health())  # errors stored before redaction existed, too
        finally:
            store.close()
        if as_json:
            typer.echo(json.dumps(rows, ensure_ascii=False, indent=2, default=str))
        else:
            console = Console()
            console.print(health_table(rows, source_list, show_url=console.width >= 120))

    @app.command("add")
    @user_errors
    def add(
        url: Annotated[str, typer.Argument(help="A feed URL (used as is) or a site URL (its feed is found).")],
        name: Annotated[str | None, typer.Option(help="Name of the source (default: the feed's title).")] = None,
        allow_private: Annotated[bool, typer.Option(help=PRIVATE_HELP)] = False,
    ) -> None:
        """Add a feed to the store's sources; `run` and `collect` use it from then on."""
        from ainews.collect.discover import discover

        settings = state.settings()
        store = state.store(settings)
        try:
            current = load_sources(None, settings.sources or None, store)
            known = configured(current, url.strip())
            if known is not None:  # nothing to fetch: re-running an add is a no-op
                typer.echo(f"already a source: {known.name}: {known.url}")
                return
            found = asyncio.run(discover(url.strip(), settings, allow_private=allow_private))
            chosen = (name or found.title or urlsplit(found.feed_url).hostname or found.feed_url).strip()
            message = add_source(store, current, chosen, found.feed_url, found.site_url,
                                 explicit_name=name is not None)
        finally:
            store.close()
        typer.echo(f"{message} ({found.how}, {found.items} items)")

    @app.command("import")
    @user_errors
    def import_cmd(file: Annotated[Path, typer.Argument(help="An OPML 1.0/2.0 file.")]) -> None:
        """Add every feed of an OPML file (nested folders too); feeds already configured are skipped."""
        from ainews.collect.opml import parse_opml

        if not file.is_file():
            raise UserError(f"{file}: no such file")
        outlines = parse_opml(file.read_bytes(), str(file))
        settings = state.settings()
        store = state.store(settings)
        try:
            added, skipped = import_outlines(store, load_sources(None, settings.sources or None, store), outlines)
        finally:
            store.close()
        for line in skipped:
            err.print(f"[dim]skipped:[/dim] {line}", highlight=False)
        typer.echo(f"{len(added)} added, {len(skipped)} skipped")

    @app.command("export")
    @user_errors
    def export(sources: Annotated[str | None, typer.Option(help=SOURCES_HELP)] = None) -> None:
        """Print the enabled feed sources as OPML 2.0 (list and sitemap sources are not feeds: left out)."""
        from ainews.collect.opml import Outline, to_opml
        from ainews.store.user_sources import user_source_sites

        settings = state.settings()
        store = state.store(settings)
        try:
            source_list = load_sources(sources, settings.sources or None, store)
            sites = user_source_sites(store)
        finally:
            store.close()
        feeds = [s for s in source_list if s.enabled and s.kind == "feed"]
        left_out = [s.name for s in source_list if s.enabled and s.kind != "feed"]
        typer.echo(to_opml([Outline(s.name, s.url, sites.get(s.name)) for s in feeds]), nl=False)
        if left_out:
            err.print(f"[dim]not feeds, left out: {', '.join(left_out)}[/dim]", highlight=False)

    @app.command("remove")
    @user_errors
    def remove(name: Annotated[str, typer.Argument(help="The source's name (see `ainews sources`).")]) -> None:
        """Stop collecting a source: an added one is deleted, a bundled or config one switched off."""
        settings = state.settings()
        store = state.store(settings)
        try:
            typer.echo(remove_source(store, settings.sources or None, name.strip()))
        finally:
            store.close()

    @app.command("check")
    @user_errors
    def check(
        name: Annotated[str | None, typer.Argument(help="One source (default: every enabled source).")] = None,
        sources: Annotated[str | None, typer.Option(help=SOURCES_HELP)] = None,
        allow_private: Annotated[bool, typer.Option(help=PRIVATE_HELP)] = False,
        as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object per source.")] = False,
    ) -> None:
        """Fetch each feed and its newest article, extract it, and report what worked (stores no article).

        Exit 1 when any checked source has a problem."""
        from ainews.collect.check import check_sources

        settings = state.settings()
        store = state.store(settings)
        try:
            chosen = pick(load_sources(sources, settings.sources or None, store), name)
            results = asyncio.run(check_sources(settings, store, chosen, allow_private=allow_private))
        finally:
            store.close()
        if as_json:
            typer.echo(json.dumps([r.to_json() for r in results], ensure_ascii=False, indent=2))
        else:
            Console().print(check_table(results))
        if any(not r.ok for r in results):
            raise typer.Exit(1)

    return app


def pick(source_list: list[Source], name: str | None) -> list[Source]:
    """The named source (enabled or not), or every enabled one; an unknown name is an error."""
    if name is None:
        return [s for s in source_list if s.enabled]
    chosen = [s for s in source_list if s.name == name.strip()]
    if not chosen:
        raise UserError(f"no source named '{name}' (see `ainews sources`)")
    return chosen


def configured(current: list[Source], url: str) -> Source | None:
    """The enabled source at this URL (scheme, www. and trailing slash ignored), if any."""
    key = normalize_url(url)
    return next((s for s in current if s.enabled and normalize_url(s.url) == key), None)


def add_source(store: Any, current: list[Source], name: str, url: str, site: str | None, *,
               explicit_name: bool) -> str:
    """Save one discovered feed; the same feed twice is a no-op, a taken name an error."""
    from ainews.store.user_sources import save_user_source

    known = configured(current, url)
    if known is not None:
        return f"already a source: {known.name}: {known.url}"
    same_url = [s for s in current if normalize_url(s.url) == normalize_url(url)]
    if same_url and not explicit_name:  # switched off earlier: switch it back on under its name
        save_user_source(store, same_url[0].name, url, html_url=site)
        return f"added {same_url[0].name} again: {url}"
    taken = {s.name for s in current if s.enabled}
    if name in taken:
        if explicit_name:
            raise UserError(f"a source named '{name}' already exists; choose another --name")
        name = unique_name(name, url, taken)
    save_user_source(store, name, url, html_url=site)
    return f"added {name}: {url}"


def import_outlines(store: Any, current: list[Source], outlines: list[Any]) -> tuple[list[str], list[str]]:
    """Save each outline whose feed is not configured yet; returns (added names, skip reasons)."""
    from ainews.store.user_sources import save_user_source

    by_url = {normalize_url(s.url): s.name for s in current if s.enabled}
    taken = {s.name for s in current if s.enabled}
    added: list[str] = []
    skipped: list[str] = []
    for outline in outlines:
        key = normalize_url(outline.xml_url)
        if key in by_url:
            skipped.append(f"{outline.xml_url}: already a source ({by_url[key]})")
            continue
        name = unique_name(outline.name, outline.xml_url, taken)
        save_user_source(store, name, outline.xml_url, html_url=outline.html_url)
        by_url[key] = name
        taken.add(name)
        added.append(name)
    return added, skipped


def unique_name(name: str, url: str, taken: set[str]) -> str:
    """`name`, else `name (host)`, else `name (host) 2` …: names stay unique."""
    if name not in taken:
        return name
    base = f"{name} ({urlsplit(url).hostname or 'feed'})"
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base} {n}", n + 1
    return candidate


def remove_source(store: Any, user_file: str | None, name: str) -> str:
    """Delete an added source, or switch off a bundled/config one of that name."""
    from ainews.store.user_sources import delete_user_source, disable_source

    base = {s.name: s for s in load_sources(None, user_file)}
    if name in base:
        disable_source(store, name)
        return f"removed {name} (a bundled or config source: switched off; `sources add` brings it back)"
    if delete_user_source(store, name):
        return f"removed {name}"
    raise UserError(f"no source named '{name}' (see `ainews sources`)")


def check_table(results: list[Any]) -> Table:
    """`ainews sources check`: one row per source; the last column says what is wrong."""
    table = Table(title="출처 점검 (sources check)")
    for column in ("출처", "feed", "items", "newest", "extraction", "body", "date", "publisher", "extractor"):
        table.add_column(column, overflow="fold")
    table.add_column("problem", style="red", overflow="fold", ratio=2)
    for r in results:
        table.add_row(r.name, _mark(r.feed_ok), str(r.items), _when(r.newest_date),
                      _mark(r.extraction_ok) if r.newest_url else "-", str(r.body_chars),
                      _when(r.date_found), r.publisher or "-", r.extractor or "-", r.problem or "")
    return table


def _mark(ok: bool) -> str:
    return "[green]ok[/]" if ok else "[red]fail[/]"


def _when(iso: str | None) -> str:
    return iso[:16].replace("T", " ") if iso else "-"
