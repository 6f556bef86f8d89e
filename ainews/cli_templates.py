"""`ainews templates`: inspect, apply or undo the learned site templates (kept out of cli.py's size)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Annotated, Any

import typer


def register(app: typer.Typer, state: Any, user_errors: Callable[[Any], Any]) -> None:
    """Add the command to the CLI; `state` opens settings and store the way every command does."""

    @app.command("templates")
    @user_errors
    def templates_cmd(
        host: Annotated[str | None, typer.Option(help="Only this host (as stored: no www./m.).")] = None,
        restore: Annotated[str | None, typer.Option(metavar="HOST",
                                                    help="Undo: the host's bodies as extracted again.")] = None,
        learn: Annotated[bool, typer.Option("--learn", help="Count and clean now (collect does it).")] = False,
        as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    ) -> None:
        """Learned site templates: the repeated lines removed from each host's article bodies."""
        from ainews.collect.templates import refresh_templates, restore_host, template_lines

        settings = state.settings()
        store = state.store(settings)
        try:
            if restore:
                count = restore_host(store, restore)
                typer.echo(f"{restore}: {count} article(s) restored; add it to templates.exclude_hosts "
                           "to keep it from being learned again")
                return
            if learn:
                report = refresh_templates(store, settings.templates)
                typer.echo(f"{report.pages_counted} page(s) counted, {report.articles_cleaned} article(s) "
                           f"cleaned, {report.lines_removed} line(s) removed")
            rows = template_lines(store, host)
        finally:
            store.close()
        if as_json:
            typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        for row in rows:
            typer.echo(f"{row['host']}\t{row['articles']}/{row['host_pages']}\t{row['line']}")
