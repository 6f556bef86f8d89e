"""`ainews init` and `ainews watches`: the daily user's set-up and alert overview.

Kept apart from cli.py (which registers them through `register`) so the CLI stays small.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table


def register(app: typer.Typer, state: Any, user_errors: Callable[[Any], Any]) -> None:
    """Add the commands to `app`; `state` gives settings and store as for every other command."""

    @app.command("init")
    @user_errors
    def init_cmd(
        directory: Annotated[Path | None, typer.Option("--dir", help="Folder (default ~/.config/ainews).")] = None,
        force: Annotated[bool, typer.Option("--force", help="Overwrite existing files.")] = False,
    ) -> None:
        """Write a commented config.toml and a sources.toml (the bundled outlets) to start from."""
        from ainews.init import write_init

        result = write_init(directory, force=force)
        typer.echo(f"wrote {result.config}")
        typer.echo(f"wrote {result.sources}")
        typer.echo("next:")
        for command in result.next_commands:
            typer.echo(f"  {command}")

    @app.command("watches")
    @user_errors
    def watches_cmd(
        as_json: Annotated[bool, typer.Option("--json", help="Print the watches as JSON.")] = False,
    ) -> None:
        """Each [[watch]]: what it matches, its channels, stories alerted and the last alert."""
        from ainews.store.alerts import alert_summary

        settings = state.settings()
        store = state.store(settings)
        try:
            summary = alert_summary(store)
        finally:
            store.close()
        rows = [watch_row(w, summary.get(w.name, {})) for w in settings.watch]
        if as_json:
            typer.echo(json.dumps(rows, ensure_ascii=False, indent=2, default=str))
        else:
            Console(soft_wrap=True).print(watch_table(rows))


def watch_row(watch: Any, seen: dict[str, Any]) -> dict[str, Any]:
    last = seen.get("last_alert")
    return {"name": watch.name, "terms": list(watch.terms), "companies": list(watch.companies),
            "channels": list(watch.channels), "ai_only": watch.ai_only,
            "alerted_stories": seen.get("alerted_stories", 0), "failed": seen.get("failed", 0),
            "last_alert": last.isoformat() + "Z" if last else None}


def watch_table(rows: list[dict[str, Any]]) -> Table:
    table = Table(title="알림 (watches)")
    for name, justify in (("이름", "left"), ("검색어 / 기업", "left"), ("채널", "left"),
                          ("알린 기사", "right"), ("실패", "right"), ("최근 알림 (UTC)", "left")):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for r in rows:
        table.add_row(r["name"], ", ".join(r["terms"] + r["companies"]), ", ".join(r["channels"]),
                      str(r["alerted_stories"]), str(r["failed"]), r["last_alert"] or "-")
    if not rows:
        table.caption = "no [[watch]] in the config"
    return table
