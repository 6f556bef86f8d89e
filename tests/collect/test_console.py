"""The Rich views: the progress callback follows collect()'s events; the health table shows failures."""

from __future__ import annotations

import asyncio
import io

from rich.console import Console

from ainews.collect.console import CollectProgress, health_table
from ainews.collect.run import collect
from ainews.collect.sources import Source
from tests.support.collect_pages import feed_source, serve_feed


def test_progress_bars_and_health_table(server, store, settings) -> None:
    serve_feed(server, "/f.xml", 4)
    sources = [feed_source(server, "/f.xml", name="좋은 출처"), Source("나쁜 출처", server.url("/bad.xml")),
               Source("꺼진 출처", server.url("/off.xml"), enabled=False)]
    out = io.StringIO()
    console = Console(file=out, width=140, force_terminal=False)
    events: list[str] = []
    view = CollectProgress(console)
    with view as progress:
        def record(event: str, **fields) -> None:  # noqa: ANN003
            events.append(event)
            progress(event, **fields)

        asyncio.run(collect(settings, store, sources, allow_private=True, progress=record))
        tasks = {t.description: t for t in view._progress.tasks}
    assert tasks["출처"].completed == 2 and tasks["출처"].total == 2
    assert tasks["기사"].completed == 4 and tasks["기사"].total == 4
    assert events.count("article") == 4 and events.count("source") == 2 and events[0] == "sources"

    out = io.StringIO()
    Console(file=out, width=200).print(health_table(store.source_health(), sources))
    text = out.getvalue()
    assert "좋은 출처" in text and "정상" in text and "실패 ×1" in text and "HTTP 404" in text
    assert "꺼짐" in text


def test_quiet_progress_does_nothing() -> None:
    with CollectProgress(enabled=False) as progress:
        progress("sources", total=3)
        progress("article", url="x", ok=True)


def test_failing_progress_callback_does_not_stop_the_run(server, store, settings) -> None:
    serve_feed(server, "/f.xml", 2)

    def broken(event: str, **fields) -> None:  # noqa: ANN003
        raise RuntimeError("display bug")

    report = asyncio.run(collect(settings, store, [feed_source(server, "/f.xml")], allow_private=True,
                                 progress=broken))
    assert report.articles_new == 2 and report.sources_ok == 1
