"""`ainews sources add/import/export/remove` through the real CLI, a real SQLite file and loopback feeds;
then `ainews collect` without --sources collects what was added."""

from __future__ import annotations

import json
import re
from pathlib import Path

from typer.testing import CliRunner

from ainews.cli import app
from ainews.collect.sources import load_sources
from ainews.store.db import Store
from tests.support.collect_pages import serve_feed
from tests.support.httpserver import Response, TestServer

runner = CliRunner()


def cli_base(tmp_path: Path, db: str = "a.db") -> list[str]:
    """A config whose own sources file switches every bundled source off: nothing reaches the internet."""
    user = tmp_path / "user-sources.toml"
    user.write_text("".join(f'[[source]]\nname = "{s.name}"\nenabled = false\n\n' for s in load_sources(None)),
                    encoding="utf-8")
    config = tmp_path / "config.toml"
    config.write_text(f'sources = "{user}"\n[http]\nper_host_delay = 0.0\nretries = 0\ntimeout = 2.0\n',
                      encoding="utf-8")
    return ["--db", str(tmp_path / db), "--config", str(config)]


def invoke(args: list[str]):  # noqa: ANN201 - click Result
    return runner.invoke(app, args)


def outlines(xml: str) -> list[tuple[str, str]]:
    return re.findall(r'<outline type="rss" text="([^"]*)" title="[^"]*" xmlUrl="([^"]*)"', xml)


def test_add_site_then_collect_without_sources_option(tmp_path: Path) -> None:
    base = cli_base(tmp_path)
    with TestServer() as server:
        urls = serve_feed(server, "/rss/allArticle.xml", 3)
        server.routes["/"] = Response(body=b"<html><head><title>home</title></head><body>hi</body></html>",
                                      headers={"Content-Type": "text/html"})
        added = invoke([*base, "sources", "add", server.url("/"), "--allow-private"])
        assert added.exit_code == 0, added.output
        assert f"added 테스트: {server.url('/rss/allArticle.xml')}" in added.stdout and "3 items" in added.stdout
        collected = invoke([*base, "collect", "--allow-private", "--json"])
        summary = json.loads(collected.stdout)
        assert collected.exit_code == 0 and summary["sources_ok"] == 1 and summary["sources_failed"] == 0
        assert summary["articles_new"] == 3 and all(server.count(u.split(":", 2)[2][5:]) == 1 for u in urls)
        health = json.loads(invoke([*base, "sources", "--json"]).stdout)
        assert [(r["name"], r["items_found"]) for r in health] == [("테스트", 3)]


def test_add_twice_is_one_source_and_names_stay_unique(tmp_path: Path) -> None:
    base = cli_base(tmp_path)
    with TestServer(hosts=["127.0.0.1", "127.0.0.2"]) as server:
        serve_feed(server, "/rss.xml", 1)
        serve_feed(server, "/b/rss.xml", 1)
        first = server.url("/rss.xml")
        assert invoke([*base, "sources", "add", first, "--allow-private"]).exit_code == 0
        again = invoke([*base, "sources", "add", first.replace("/rss.xml", "/rss.xml/"), "--allow-private"])
        assert again.exit_code == 0 and "already a source: 테스트" in again.stdout
        other = server.url("/rss.xml", 1)  # same feed title on another host
        assert "added 테스트 (127.0.0.2)" in invoke([*base, "sources", "add", other, "--allow-private"]).stdout
        clash = invoke([*base, "sources", "add", server.url("/b/rss.xml", 1), "--name", "테스트",
                        "--allow-private"])
        assert clash.exit_code == 2 and "already exists" in clash.output and "Traceback" not in clash.output
    exported = outlines(invoke([*base, "sources", "export"]).stdout)
    assert exported == [("테스트", first), ("테스트 (127.0.0.2)", other)]


def test_add_errors_are_one_line(tmp_path: Path) -> None:
    base = cli_base(tmp_path)
    with TestServer() as server:
        server.routes["/"] = Response(body=b"<html><body>no feeds</body></html>", headers={"Content-Type": "text/html"})
        missing = invoke([*base, "sources", "add", server.url("/"), "--allow-private"])
        assert missing.exit_code == 2 and "no feed found; tried" in missing.output
        assert "/rss/allArticle.xml (HTTP 404)" in missing.output
        refused = invoke([*base, "sources", "add", server.url("/")])
        assert refused.exit_code == 2 and "non-public address" in refused.output
    assert "Traceback" not in missing.output + refused.output
    assert Store(f"sqlite:///{tmp_path / 'a.db'}").source_health() == []


def test_remove_added_and_bundled_sources(tmp_path: Path) -> None:
    base = ["--db", str(tmp_path / "a.db")]  # the bundled sources, as a user has them
    bundled = load_sources(None)[0].name
    assert bundled in invoke([*base, "sources", "export"]).stdout
    removed = invoke([*base, "sources", "remove", bundled])
    assert removed.exit_code == 0 and "switched off" in removed.stdout
    assert f'text="{bundled}"' not in invoke([*base, "sources", "export"]).stdout
    store = Store(f"sqlite:///{tmp_path / 'a.db'}")
    assert {s.name: s.enabled for s in load_sources(None, None, store)}[bundled] is False
    assert invoke([*base, "sources", "remove", "없는 출처"]).exit_code == 2
    with TestServer() as server:
        serve_feed(server, "/rss.xml", 1)
        invoke([*base, "sources", "add", server.url("/rss.xml"), "--allow-private", "--name", "내 피드"])
        assert "내 피드" in {s.name for s in load_sources(None, None, store)}
        assert invoke([*base, "sources", "remove", "내 피드"]).stdout.strip() == "removed 내 피드"
        assert "내 피드" not in {s.name for s in load_sources(None, None, store)}
    # --sources FILE still means only that file: nothing added or removed applies
    only = tmp_path / "only.toml"
    only.write_text(f'[[source]]\nname = "{bundled}"\nurl = "https://example.com/rss"\n', encoding="utf-8")
    assert [(s.name, s.enabled) for s in load_sources(str(only), None, store)] == [(bundled, True)]


OPML = """<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0"><head><title>subs</title></head><body>
  <outline text="뉴스"><outline text="하나" xmlUrl="{a}"/>
    <outline text="깊이"><outline text="둘 &amp; 셋" xmlUrl="{b}" htmlUrl="https://example.com/"/></outline></outline>
  <outline text="하나 again" xmlUrl="{a}"/>
</body></opml>"""


def test_import_nested_opml_then_export_round_trips(tmp_path: Path) -> None:
    base = cli_base(tmp_path)
    with TestServer() as server:
        serve_feed(server, "/a/rss.xml", 2)
        serve_feed(server, "/b/rss.xml", 2)
        opml = tmp_path / "subs.opml"
        opml.write_text(OPML.format(a=server.url("/a/rss.xml"), b=server.url("/b/rss.xml")), encoding="utf-8")
        first = invoke([*base, "sources", "import", str(opml)])
        assert first.exit_code == 0 and first.stdout.strip() == "2 added, 0 skipped"  # the file's duplicate dropped
        again = invoke([*base, "sources", "import", str(opml)])
        assert again.stdout.strip() == "0 added, 2 skipped" and "already a source (하나)" in again.output
        collected = json.loads(invoke([*base, "collect", "--allow-private", "--json"]).stdout)
        assert collected["sources_ok"] == 2 and collected["articles_new"] == 4
    exported = invoke([*base, "sources", "export"]).stdout
    assert outlines(exported) == [("하나", server.url("/a/rss.xml")), ("둘 &amp; 셋", server.url("/b/rss.xml"))]
    assert 'htmlUrl="https://example.com/"' in exported
    back = tmp_path / "back.opml"
    back.write_text(exported, encoding="utf-8")
    other = cli_base(tmp_path, "b.db")
    assert invoke([*other, "sources", "import", str(back)]).stdout.strip() == "2 added, 0 skipped"
    assert outlines(invoke([*other, "sources", "export"]).stdout) == outlines(exported)


def test_import_bad_files(tmp_path: Path) -> None:
    base = cli_base(tmp_path)
    bad = tmp_path / "bad.opml"
    bad.write_text("<opml><body><outline", encoding="utf-8")
    broken = invoke([*base, "sources", "import", str(bad)])
    assert broken.exit_code == 2 and "not valid XML" in broken.output and len(broken.output.strip().splitlines()) == 1
    missing = invoke([*base, "sources", "import", str(tmp_path / "nope.opml")])
    assert missing.exit_code == 2 and "no such file" in missing.output


def test_sources_without_subcommand_keeps_working(tmp_path: Path) -> None:
    base = cli_base(tmp_path)
    table = invoke([*base, "sources"])
    assert table.exit_code == 0 and "출처 상태" in table.stdout
    assert invoke([*base, "sources", "--json"]).stdout.strip() == "[]"


def test_run_uses_added_sources(tmp_path: Path) -> None:
    base = cli_base(tmp_path)
    with TestServer() as server:
        serve_feed(server, "/rss/allArticle.xml", 2)
        assert invoke([*base, "sources", "add", server.url("/rss/allArticle.xml"), "--allow-private"]).exit_code == 0
        ran = invoke([*base, "run", "--allow-private", "--no-deliver", "--date", "2026-08-09",
                      "--out", str(tmp_path / "out"), "--json"])
    assert ran.exit_code == 0, ran.output
    report = json.loads(ran.stdout)
    assert report["collect"]["sources_ok"] == 1 and report["collect"]["articles_new"] == 2
