"""`ainews collect` and `ainews sources` through the real CLI against a loopback feed server."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from ainews.cli import app
from tests.support.collect_pages import serve_feed
from tests.support.httpserver import Response, TestServer

runner = CliRunner()


def _files(tmp_path: Path, feed_url: str, broken_url: str) -> tuple[Path, Path]:
    sources = tmp_path / "sources.toml"
    sources.write_text(f'[[source]]\nname = "테스트"\nurl = "{feed_url}"\nkind = "feed"\n\n'
                       f'[[source]]\nname = "고장"\nurl = "{broken_url}"\nkind = "feed"\n', encoding="utf-8")
    config = tmp_path / "config.toml"
    config.write_text("[http]\nper_host_delay = 0.0\nretries = 0\ntimeout = 2.0\n", encoding="utf-8")
    return sources, config


def test_collect_json_then_incremental_then_sources_table(tmp_path: Path) -> None:
    with TestServer() as server:
        serve_feed(server, "/rss/allArticle.xml", 5, etag='"v1"')
        server.routes["/broken.xml"] = Response(500, body=b"oops")
        sources, config = _files(tmp_path, server.url("/rss/allArticle.xml"), server.url("/broken.xml"))
        base = ["--db", str(tmp_path / "a.db"), "--config", str(config)]
        first = runner.invoke(app, [*base, "collect", "--sources", str(sources), "--allow-private", "--json"])
        assert first.exit_code == 0, first.output  # one source worked
        summary = json.loads(first.stdout)
        assert summary["sources_ok"] == 1 and summary["sources_failed"] == 1 and summary["articles_new"] == 5
        assert summary["errors"][0]["source"] == "고장" and "500" in summary["errors"][0]["error"]
        second = json.loads(runner.invoke(app, [*base, "collect", "--sources", str(sources), "--allow-private",
                                                "--json"]).stdout)
        assert second["articles_new"] == 0 and second["requests"] <= 3  # feed 304 + the broken one
        table = runner.invoke(app, [*base, "sources", "--sources", str(sources), "--json"])
        health = {row["name"]: row for row in json.loads(table.stdout)}
        assert health["고장"]["consecutive_failures"] == 2 and health["테스트"]["items_found"] == 5


def test_collect_exits_1_when_every_source_fails(tmp_path: Path) -> None:
    with TestServer() as server:
        server.routes["/broken.xml"] = Response(404)
        sources, config = _files(tmp_path, server.url("/broken.xml"), server.url("/broken.xml"))
        result = runner.invoke(app, ["--db", str(tmp_path / "a.db"), "--config", str(config), "collect",
                                     "--sources", str(sources), "--allow-private"])
        assert result.exit_code == 1 and "2 failed" in result.output


def test_private_addresses_refused_without_flag(tmp_path: Path) -> None:
    with TestServer() as server:
        serve_feed(server, "/rss.xml", 2)
        sources, config = _files(tmp_path, server.url("/rss.xml"), server.url("/rss.xml"))
        result = runner.invoke(app, ["--db", str(tmp_path / "a.db"), "--config", str(config), "collect",
                                     "--sources", str(sources), "--json"])
        assert result.exit_code == 1
        assert "private" in json.loads(result.stdout)["errors"][0]["error"].lower()
        assert server.count("/rss.xml") == 0


def test_add_and_extract_a_url(tmp_path: Path) -> None:
    from tests.support.collect_pages import article_html

    with TestServer() as server:
        server.routes["/news/articleView.html"] = Response(body=article_html("오픈AI 새 모델 공개", 1),
                                                           headers={"Content-Type": "text/html; charset=utf-8"})
        url = server.url("/news/articleView.html")
        db = ["--db", str(tmp_path / "a.db")]
        refused = runner.invoke(app, [*db, "add", url])
        assert refused.exit_code == 1 and "private" in refused.output.lower() and "Traceback" not in refused.output
        added = runner.invoke(app, [*db, "add", url, "--allow-private", "--date", "2026-01-20"])
        assert added.exit_code == 0 and "1 new" in added.output
        again = runner.invoke(app, [*db, "add", url + "#top", "--allow-private", "--date", "2026-01-20"])
        assert "0 new, 1 already stored" in again.output
        extracted = runner.invoke(app, [*db, "extract", url, "--allow-private", "--format", "json"])
        data = json.loads(extracted.stdout)
        assert data["title"] == "오픈AI 새 모델 공개" and data["url"] == url and "인공지능" in data["body"]
