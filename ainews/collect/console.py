"""Terminal views of collection: a Rich progress bar driven by collect()'s events, the health table."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table

from ainews.collect.sources import Source


class CollectProgress:
    """`with CollectProgress(console) as progress: await collect(..., progress=progress)`.

    Two bars: sources finished, and article pages handled (its total grows as sources list items).
    With `enabled=False` (for --quiet/--json) the callback does nothing.
    """

    def __init__(self, console: Console | None = None, *, enabled: bool = True) -> None:
        self.enabled = enabled
        self._progress = Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
            TextColumn("[dim]{task.fields[last]}"), console=console, transient=False,
        )
        self._tasks: dict[str, TaskID] = {}

    def __enter__(self) -> Callable[..., None]:
        if self.enabled:
            self._progress.start()
            self._tasks["sources"] = self._progress.add_task("출처", total=None, last="")
            self._tasks["articles"] = self._progress.add_task("기사", total=0, last="")
        return self.event

    def __exit__(self, *exc: object) -> None:
        if self.enabled:
            self._progress.stop()

    def event(self, event: str, **fields: Any) -> None:
        """The `progress` callback: see ainews.collect.run for the events."""
        if not self.enabled:
            return
        name = event
        if name == "sources":
            self._progress.update(self._tasks["sources"], total=fields.get("total", 0))
        elif name == "source":
            mark = "" if fields.get("ok") else " ✗"
            self._progress.update(self._tasks["sources"], advance=1, last=f"{fields.get('source', '')}{mark}")
        elif name == "articles":
            task = self._tasks["articles"]
            current = self._progress.tasks[task].total or 0
            self._progress.update(task, total=current + int(fields.get("total", 0)))
        elif name == "article":
            self._progress.update(self._tasks["articles"], advance=1)


def _when(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else "-"


def health_table(rows: list[dict[str, Any]], sources: list[Source] | None = None, *,
                 show_url: bool = True) -> Table:
    """`ainews sources`: one row per source (configured ones first, then any only in the store).

    Pass `show_url=console.width >= 120` so narrow terminals keep the error column readable."""
    table = Table(title="출처 상태 (sources)", show_lines=False)
    table.add_column("출처", style="bold", min_width=6)
    table.add_column("상태", min_width=6)
    table.add_column("최근 성공", min_width=10)
    table.add_column("연속 실패", justify="right", min_width=4)
    table.add_column("항목 수", justify="right", min_width=4)
    table.add_column("최근 오류", style="red", overflow="fold", ratio=2)
    if show_url:
        table.add_column("URL", style="dim", overflow="fold", ratio=1)
    by_name = {row["name"]: row for row in rows}
    configured = sources or []
    names = [s.name for s in configured] + [n for n in by_name if n not in {s.name for s in configured}]
    enabled = {s.name: s.enabled for s in configured}
    urls = {s.name: s.url for s in configured}
    for name in names:
        row = by_name.get(name, {})
        cells = [name, _status(row, enabled.get(name, True)), _when(row.get("last_success")),
                 str(row.get("consecutive_failures") or 0), str(row.get("items_found") or 0),
                 (row.get("last_error") or "") if row.get("consecutive_failures") else ""]
        table.add_row(*cells, *([urls.get(name) or row.get("url") or ""] if show_url else []))
    return table


def _status(row: dict[str, Any], enabled: bool) -> str:
    if not enabled:
        return "[dim]꺼짐 (disabled)[/]"
    if not row:
        return "[yellow]미실행[/]"
    if row.get("consecutive_failures"):
        return f"[red]실패 ×{row['consecutive_failures']}[/]"
    return "[green]정상[/]"
