"""`ainews worker`, `ainews queue`, `ainews enqueue` and `run --queue`: the task engine's commands.

Kept apart from cli.py (which registers them through `register`) so the CLI stays small.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any

import typer

from ainews import pipeline
from ainews.collect.local import InputError
from ainews.config import Settings
from ainews.store import Store


def register(app: typer.Typer, state: Any, user_errors: Callable[[Any], Any]) -> None:
    """Add the commands to `app`; `state` gives settings and store as for every other command."""

    @app.command()
    @user_errors
    def enqueue(
        urls: Annotated[list[str] | None, typer.Argument(help="Article page URLs.")] = None,
        from_file: Annotated[Path | None, typer.Option("--file", help="A file with one URL per line.")] = None,
        source: Annotated[str, typer.Option(help="Source name recorded with the articles.")] = "queue",
    ) -> None:
        """Queue article pages for `ainews worker` processes (PostgreSQL)."""
        from ainews.worker import enqueue_urls

        items = list(urls or [])
        if from_file is not None:
            if not from_file.is_file():
                raise InputError(f"{from_file}: no such file")
            items += from_file.read_text(encoding="utf-8").split()
        store = state.store(state.settings())
        try:
            added = asyncio.run(enqueue_urls(store, items, source))
        finally:
            store.close()
        typer.echo(f"{added} queued, {len(set(items)) - added} already waiting")


    @app.command()
    @user_errors
    def worker(
        concurrency: Annotated[int, typer.Option(help="Tasks run at once by this worker.")] = 8,
        allow_private: Annotated[bool, typer.Option(help="Allow private/loopback addresses.")] = False,
        burst: Annotated[bool, typer.Option(help="Exit when no task is due instead of waiting for more.")] = False,
    ) -> None:
        """Run a task-engine worker (procrastinate on PostgreSQL): polls, fetches, analysis, publishing."""
        from ainews.worker import WorkerOptions, work

        settings = state.settings()
        store = state.store(settings)
        try:
            asyncio.run(work(store, settings, WorkerOptions(concurrency, allow_private, burst)))
        finally:
            store.close()


    @app.command()
    @user_errors
    def queue(as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
        """Tasks in the queue by task and status (todo, doing, failed, succeeded), and the latest failures."""
        from ainews.worker import failed_tasks, queue_status

        store = state.store(state.settings())
        try:
            counts, failed = queue_status(store), failed_tasks(store)
        finally:
            store.close()
        if as_json:
            typer.echo(json.dumps({"tasks": counts, "failed": failed}, ensure_ascii=False, default=str))
            return
        for row in counts:
            typer.echo(f"{row['task_name']:<24} {row['status']:<10} {row['n']}")
        for row in failed:
            typer.echo(f"failed #{row['id']} {row['task_name']} after {row['attempts']} attempt(s): {row['args']}")


def run_queued(store: Store, settings: Settings, options: pipeline.RunOptions, wait: bool) -> None:
    """`run --queue [--wait]`: the workers do the day; with --wait, publish it here to --out too.
    (The workers take --allow-private themselves; --weekly is not passed to them.)"""
    from ainews import worker  # the task engine is the `postgres` extra

    day = options.the_day()
    try:
        job = asyncio.run(worker.enqueue_run(store, settings, replace(options, day=day)))
        typer.echo(f"queued {day} (finishing task #{job})", err=True)
        if not wait:
            return
        status = asyncio.run(worker.wait_for(store, job))
        if status != "succeeded":
            typer.echo(f"error: the queued day ended '{status}': see `ainews queue`", err=True)
            raise typer.Exit(1)
        out_dir = options.output(settings)
        result = pipeline.publish_day(store, settings, day, out_dir, pipeline.PublishOptions(options.site_url))
        for path in result.markdown + result.json:
            typer.echo(str(path))
    finally:
        store.close()
