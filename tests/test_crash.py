"""Crash safety of `ainews run`: kill -9 at random points, then re-run; nothing lost, nothing twice.

The sources are one hand-written day of Korean AI news (tests/fixtures/crash/articles.toml) served
as two RSS feeds and their article pages from a loopback server. A reference database gets one
uninterrupted run; a second database gets 20 runs killed with SIGKILL after random delays spread
over a run's real duration, then one run that finishes. Both must end with the same articles,
an intact database and byte-identical published files.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from email.utils import format_datetime
from html import escape
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session

from ainews import pipeline
from ainews.config import load_settings
from ainews.models import KST
from ainews.store import Store
from tests.support.httpserver import Response, TestServer

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "crash" / "articles.toml"
SEED = 20260312
STAGES = ("collect", "analyze", "publish")
CRASH_POINTS = 16  # in-process crash points, spread over a run's transactions
PUBLISHED = ["digests/{year}/{day}.md", "digests/{year}/{day}.json", "digests/README.md", "site/index.html",
             "site/atom.xml", "site/rss.xml"]


@dataclass(frozen=True)
class Page:
    """One article page of the fixture and the feed(s) that list it."""

    slug: str
    outlet: str
    feeds: tuple[str, ...]
    published: str  # RFC 822
    iso: str
    reporter: str
    title: str
    paragraphs: tuple[str, ...]


def load_pages() -> tuple[date, list[Page]]:
    """The fixture's day and its pages: an outlet's lead, then the chosen facts two to a paragraph."""
    data = tomllib.loads(FIXTURE.read_text(encoding="utf-8"))
    day = date.fromisoformat(data["day"])
    pages = []
    for event in data["event"]:
        for art in event["article"]:
            facts = [event["facts"][i] for i in art["facts"]]
            paragraphs = (art["lead"], *(" ".join(facts[i:i + 2]) for i in range(0, len(facts), 2)))
            hour, minute = (int(x) for x in art["time"].split(":"))
            when = datetime(day.year, day.month, day.day, hour, minute, tzinfo=KST)
            feeds = ("a", "b") if art["feed"] == "both" else (art["feed"],)
            pages.append(Page(art["slug"], art["outlet"], feeds, format_datetime(when), when.isoformat(),
                              art["reporter"], art["title"], paragraphs))
    return day, pages


def article_html(page: Page) -> bytes:
    """A small Korean news page: title, date meta, site name, reporter line, paragraphs."""
    title, outlet = escape(page.title), escape(page.outlet)
    body = "".join(f"<p>{escape(p)}</p>" for p in page.paragraphs)
    return (
        "<!doctype html><html lang='ko'><head><meta charset='utf-8'>"
        f"<title>{title} - {outlet}</title><meta property='og:title' content='{title}'>"
        f"<meta property='og:site_name' content='{outlet}'>"
        f"<meta property='article:published_time' content='{page.iso}'></head><body>"
        f"<header><a href='/'>{outlet}</a> <nav><a href='/'>홈</a> <a href='/it'>IT</a></nav></header>"
        f"<article><h1>{title}</h1><div class='byline'>{escape(page.reporter)} 기자</div>"
        f"<div class='date'>입력 {page.iso[:10]} {page.iso[11:16]}</div>"
        f"<div id='article-body'>{body}<p>{escape(page.reporter)} 기자 reporter@example.com</p></div>"
        "</article><footer>무단 전재 및 재배포 금지</footer></body></html>"
    ).encode()


def rss(title: str, items: list[tuple[Page, str]]) -> bytes:
    entries = "".join(
        f"<item><title>{escape(p.title)}</title><link>{url}</link><guid>{url}</guid>"
        f"<pubDate>{p.published}</pubDate><description>{escape(p.paragraphs[0])}</description></item>"
        for p, url in items
    )
    return (f"<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>{title}</title>"
            f"<link>http://example.test/</link>{entries}</channel></rss>").encode()


def serve_fixture(server: TestServer, pages: list[Page]) -> list[str]:
    """Article pages on two loopback hosts and one feed per host; returns the feeds' URLs."""
    listed: dict[str, list[tuple[Page, str]]] = {"a": [], "b": []}
    for page in pages:
        host = 0 if page.feeds[0] == "a" else 1
        path = f"/news/{page.slug}.html"
        server.routes[path] = Response(body=article_html(page))
        for feed in page.feeds:
            listed[feed].append((page, server.url(path, host)))
    for feed in ("a", "b"):
        server.routes[f"/{feed}/rss.xml"] = Response(
            body=rss(f"테스트 뉴스 {feed}", listed[feed]), headers={"Content-Type": "application/rss+xml"})
    return [server.url("/a/rss.xml", 0), server.url("/b/rss.xml", 1)]


def write_inputs(tmp: Path, feed_urls: list[str]) -> tuple[Path, Path]:
    """A sources TOML with the two feeds and a config with fast, polite-enough loopback HTTP."""
    sources = tmp / "sources.toml"
    sources.write_text("".join(f'[[source]]\nname = "피드 {i}"\nurl = "{u}"\nkind = "feed"\n\n'
                               for i, u in enumerate(feed_urls)), encoding="utf-8")
    config = tmp / "config.toml"
    config.write_text("[http]\nper_host_delay = 0.0\nper_host_concurrency = 8\nretries = 0\n"
                      "respect_robots = false\ntimeout = 10.0\n", encoding="utf-8")
    return sources, config


@dataclass(frozen=True)
class KillPoint:
    """When to SIGKILL a run: `after` seconds past a stage marker it prints on stderr ("" = process
    start), or as soon as it has stored `articles` more articles / `analyzed` more analyses (at the
    latest when it moves on to the next stage)."""

    stage: str = ""
    after: float = 0.0
    articles: int = 0  # stored by this run
    analyzed: int = 0  # saved by this run

    def reached(self, err: str, db: Path, since: dict[str, float], now: float, base: tuple[int, int]) -> bool:
        if self.articles or self.analyzed:
            stored, analyzed = db_progress(db)
            done = stored - base[0] >= self.articles and analyzed - base[1] >= self.analyzed
            return done or ("publish…" if self.analyzed else "analyze…") in err  # or at the stage's end
        if self.stage and f"{self.stage}…" in err:
            since.setdefault(self.stage, now)
        return (not self.stage or self.stage in since) and now - since.get(self.stage, 0.0) >= self.after


def db_progress(db: Path) -> tuple[int, int]:
    """(articles stored, articles analyzed), read beside the running process."""
    if not db.exists():
        return (0, 0)
    try:
        with sqlite3.connect(db, timeout=0.2) as conn:
            row = conn.execute("SELECT count(*), count(analysis_version) FROM articles").fetchone()
            return (row[0], row[1])
    except sqlite3.Error:
        return (0, 0)  # tables not created yet, or busy


def descendants(pid: int) -> list[int]:
    """Processes started (directly or not) by `pid`, from /proc."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            parents[int(stat.parent.name)] = int(fields[1])
        except (OSError, IndexError, ValueError):
            continue
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        children = [p for p, parent in parents.items() if parent == current]
        found += children
        todo += children
    return found


def alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


class Runner:
    """`ainews run` as a subprocess, like cron would start it; output goes to files, not pipes."""

    def __init__(self, tmp: Path, sources: Path, config: Path, day: date) -> None:
        self.tmp, self.sources, self.config, self.day = tmp, sources, config, day
        self.orphans: list[int] = []

    def argv(self, name: str) -> list[str]:
        return [sys.executable, "-m", "ainews.cli", "--db", str(self.db(name)), "--config",
                str(self.config), "run", "--sources", str(self.sources), "--allow-private",
                "--date", self.day.isoformat(), "--out", str(self.tmp / f"out-{name}"), "--no-deliver"]

    def db(self, name: str) -> Path:
        return self.tmp / f"{name}.db"

    def start(self, name: str) -> subprocess.Popen[bytes]:
        env = {**os.environ, "PYTHONPATH": str(ROOT), "AINEWS_DB": "", "AINEWS_CONFIG": "", "AINEWS_SITE_URL": ""}
        with (self.tmp / "stderr.txt").open("wb") as err:
            return subprocess.Popen(self.argv(name), cwd=self.tmp, env=env, stdout=subprocess.DEVNULL, stderr=err)

    def stderr(self) -> str:
        return (self.tmp / "stderr.txt").read_text(encoding="utf-8", errors="replace")

    def complete(self, name: str) -> dict[str, float]:
        """One uninterrupted run: when each stage marker appeared, and "end"."""
        began = time.monotonic()
        proc = self.start(name)
        marks: dict[str, float] = {}
        while proc.poll() is None:
            err = self.stderr()
            marks.update({s: time.monotonic() - began for s in STAGES if f"{s}…" in err and s not in marks})
            time.sleep(0.02)
        assert proc.returncode == 0, self.stderr()
        return {**marks, "end": time.monotonic() - began}

    def killed(self, name: str, point: KillPoint, limit: float = 120.0) -> int | None:
        """A run killed with SIGKILL at `point`; its exit code if it finished first."""
        base = db_progress(self.db(name))
        proc = self.start(name)
        began = time.monotonic()
        since: dict[str, float] = {}
        while proc.poll() is None:
            now = time.monotonic() - began
            if point.reached(self.stderr(), self.db(name), since, now, base) or now > limit:
                children = descendants(proc.pid)
                proc.send_signal(signal.SIGKILL)
                proc.wait()
                self._reap(children)
                return None
            time.sleep(0.01)
        return proc.returncode

    def _reap(self, children: list[int], grace: float = 5.0) -> None:
        """The killed run's own processes must go with it; any still there are killed and recorded."""
        deadline = time.monotonic() + grace
        while any(alive(c) for c in children) and time.monotonic() < deadline:
            time.sleep(0.05)
        for pid in children:
            if alive(pid):
                self.orphans.append(pid)
                os.kill(pid, signal.SIGKILL)


def article_rows(db: Path) -> list[tuple[Any, ...]]:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT key, url, content_hash, analysis_version, story_id FROM articles").fetchall()


def stories(db: Path) -> list[tuple[Any, ...]]:
    """Stories with members as article keys (row ids differ between databases)."""
    with sqlite3.connect(db) as conn:
        key = dict(conn.execute("SELECT id, key FROM articles").fetchall())
        rows = conn.execute("SELECT id, title, representative_id, member_ids, first_seen, last_seen, summary "
                            "FROM stories ORDER BY id").fetchall()
    return [(sid, title, key.get(rep), tuple(sorted(key.get(m, m) for m in json.loads(members))), first, last, summary)
            for sid, title, rep, members, first, last, summary in rows]


def integrity(db: Path) -> str:
    with sqlite3.connect(db) as conn:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]


def published_files(out: Path, day: date) -> dict[str, bytes]:
    names = [p.format(year=day.year, day=day.isoformat()) for p in PUBLISHED]
    return {name: (out / name).read_bytes() for name in names}


@pytest.fixture(scope="module")
def crash_fixture(tmp_path_factory: pytest.TempPathFactory) -> Any:
    tmp = tmp_path_factory.mktemp("crash")
    day, pages = load_pages()
    with TestServer(hosts=["127.0.0.1", "127.0.0.2"]) as server:
        sources, config = write_inputs(tmp, serve_fixture(server, pages))
        yield Runner(tmp, sources, config, day), pages


def test_fixture_pages_are_articles(crash_fixture: Any) -> None:
    """The generated pages extract as Korean articles with their outlet, date and reporter."""
    from ainews.extract import extract
    from ainews.extract.meta import canonical_publisher
    from ainews.models import RawPage

    _, pages = crash_fixture
    for page in pages:
        art = extract(RawPage(url=f"http://127.0.0.1/news/{page.slug}.html", content=article_html(page),
                              content_type="text/html; charset=utf-8"))
        assert art.extraction_ok, (page.slug, art.extraction_reason)
        assert art.title == page.title and art.publisher == canonical_publisher(page.outlet)
        assert art.published_at is not None and art.published_at.isoformat() == page.iso
        assert page.paragraphs[-1][:20] in art.body


def comparable(name: str, content: bytes) -> bytes:
    """JSON article dicts carry the store's row id, which depends on insertion order: drop it."""
    if not name.endswith(".json"):
        return content
    def strip(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if not (k == "id" and "url" in value)}
        return [strip(v) for v in value] if isinstance(value, list) else value
    return json.dumps(strip(json.loads(content)), ensure_ascii=False, sort_keys=True).encode()


def kill_points(rng: random.Random, marks: dict[str, float]) -> list[KillPoint]:
    """20 kill points spread over a run's real stages, in an order where each run still has work:
    interpreter start and migration, fetching (by time, then by articles stored), analysis (while it
    saves, then by time: Kiwi load and the rest), publishing. Times come from the reference run's
    stages, +10% so some runs get past them."""
    collect, analyze, publish = (marks["analyze"] - marks["collect"], marks["publish"] - marks["analyze"],
                                 marks["end"] - marks["publish"])
    spread = lambda top, n: sorted(rng.uniform(0, 1.1 * top) for _ in range(n))  # noqa: E731
    return [
        *(KillPoint(after=d) for d in spread(marks["collect"], 3)),
        *(KillPoint("collect", d) for d in spread(collect, 2)),
        *(KillPoint(articles=rng.randint(1, 6)) for _ in range(3)),
        *(KillPoint(analyzed=rng.randint(1, 4)) for _ in range(4)),
        *(KillPoint("analyze", d) for d in spread(analyze, 3)),
        *(KillPoint("publish", d) for d in spread(publish, 5)),
    ]


def test_kill_9_then_rerun_matches_an_uninterrupted_run(crash_fixture: Any) -> None:
    runner, pages = crash_fixture
    marks = runner.complete("reference")
    reference = article_rows(runner.db("reference"))
    assert len(reference) == len(pages)
    points = kill_points(random.Random(SEED), marks)
    outcomes = []
    for point in points:
        before = db_progress(runner.db("crashed"))
        outcomes.append((point, runner.killed("crashed", point), before, db_progress(runner.db("crashed"))))
    runner.complete("crashed")
    print("\n".join(f"{p}: {'killed' if rc is None else f'exit {rc}'}, (articles, analyzed) {a} -> {b}"
                    for p, rc, a, b in outcomes))
    assert not runner.orphans, f"processes outlived their killed run: {runner.orphans}"
    crashed_db = runner.db("crashed")
    rows = article_rows(crashed_db)
    assert integrity(crashed_db) == "ok"
    keys = [r[0] for r in rows]
    urls = [r[1] for r in rows]
    assert len(keys) == len(set(keys)) and len(urls) == len(set(urls)), "duplicate articles"
    assert sorted(rows) == sorted(reference), "articles lost, added or analyzed differently"
    assert stories(crashed_db) == stories(runner.db("reference"))
    want = published_files(runner.tmp / "out-reference", runner.day)
    got = published_files(runner.tmp / "out-crashed", runner.day)
    differ = [name for name in want if comparable(name, got[name]) != comparable(name, want[name])]
    assert not differ, f"differ from the uninterrupted run's: {differ}"
    killed = sum(rc is None for _, rc, _, _ in outcomes)
    assert killed >= len(points) // 2, f"only {killed} of {len(points)} runs were killed"


# --- the same property in process, with the crash placed at chosen transactions ----------------

class Crash(BaseException):
    """Stands for SIGKILL: not an Exception, so no `except Exception` in the pipeline absorbs it."""


class CrashingStore(Store):
    """A store whose `crash_at`-th transaction never starts: the process 'dies' right there, and
    nothing after it reaches the database (work already queued in threads included)."""

    def __init__(self, url: str, crash_at: int = 0) -> None:
        self.crash_at, self.transactions = crash_at, 0
        super().__init__(url)

    @contextmanager
    def session(self) -> Iterator[Session]:
        self.transactions += 1
        if self.crash_at and self.transactions >= self.crash_at:
            raise Crash(f"transaction {self.crash_at}")
        with super().session() as s:
            yield s


def run_in_process(runner: Runner, name: str, crash_at: int = 0) -> int:
    """`ainews run` through pipeline.run, crashing at a transaction; returns the transactions tried."""
    settings = load_settings(runner.config, str(runner.db(name)))
    store = CrashingStore(settings.db_url, crash_at)
    try:
        pipeline.run(settings, store, pipeline.RunOptions(day=runner.day, out_dir=runner.tmp / f"out-{name}",
                                                          sources=str(runner.sources), allow_private=True,
                                                          deliver=False))
    except Crash:
        pass
    finally:
        store.close()
    return store.transactions


def test_crash_at_any_transaction_then_rerun_matches(crash_fixture: Any) -> None:
    """Every gap between two transactions is a place a kill can land: a sample of them, in order
    over the whole run (collect, analysis saves, search index, bookkeeping), each then re-run."""
    runner, pages = crash_fixture
    total = run_in_process(runner, "inproc-reference")
    want_rows = sorted(article_rows(runner.db("inproc-reference")))
    want_stories = stories(runner.db("inproc-reference"))
    want_files = published_files(runner.tmp / "out-inproc-reference", runner.day)
    assert len(want_rows) == len(pages)
    rng = random.Random(SEED)
    step = total / CRASH_POINTS
    for k in sorted({1 + int(i * step + rng.uniform(0, step)) for i in range(CRASH_POINTS)}):
        name = f"inproc-{k}"
        assert run_in_process(runner, name, crash_at=k) >= k
        run_in_process(runner, name)  # the re-run: the crashed run's lock is gone, its forked workers too
        db = runner.db(name)
        assert integrity(db) == "ok"
        assert sorted(article_rows(db)) == want_rows, f"crash at transaction {k} of {total}: articles differ"
        got_stories = stories(db)
        assert got_stories == want_stories, (f"crash at transaction {k} of {total}: stories differ: "
                                             f"{set(got_stories) ^ set(want_stories)}")
        got = published_files(runner.tmp / f"out-{name}", runner.day)
        differ = [n for n in want_files if comparable(n, got[n]) != comparable(n, want_files[n])]
        assert not differ, f"crash at transaction {k} of {total}: {differ} differ"
