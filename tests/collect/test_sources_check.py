"""`ainews sources check`: a healthy source, one whose article pages changed layout, a dead feed."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from ainews.cli import app
from ainews.store.db import Store
from tests.collect.test_sources_manage import cli_base
from tests.support.collect_pages import rss
from tests.support.httpserver import Response, TestServer

runner = CliRunner()
HTML = {"Content-Type": "text/html; charset=utf-8"}


def ndsoft_page(title: str) -> bytes:
    """An ND소프트 CMS article: the site rule finds body, date and publisher."""
    paragraphs = "".join(f"<p>{title} 본문 {i}번째 문단이다. 인공지능 모델을 기업 업무에 도입하는 사례가 늘고 있다고 "
                         f"업계 관계자는 설명했다. 관련 투자도 꾸준히 증가하는 추세다.</p>" for i in range(4))
    return (f"<html><head><meta charset='utf-8'><meta property='og:title' content='{title}'>"
            f"<meta property='og:site_name' content='AI타임스'>"
            f"<meta property='article:published_time' content='2026-08-09T17:30:00+09:00'></head><body>"
            f"<header class='article-view-header'><h3 class='heading'>{title}</h3></header>"
            f"<article id='article-view-content-div'>{paragraphs}</article></body></html>").encode()


REDESIGNED = ("<html><head><meta charset='utf-8'><title>AI타임스</title></head><body><nav>"
              + "".join(f"<a href='/s{i}'>메뉴 {i}</a> " for i in range(30))
              + "</nav><div id='app'></div><script>render()</script></body></html>").encode()


def serve(server: TestServer, name: str, page: bytes, article: str = "news/articleView.html?idxno=") -> None:
    older = f"/{name}/{article}1"
    newest = f"/{name}/{article}2"
    server.routes[older] = Response(body=ndsoft_page("예전 기사"), headers=HTML)
    server.routes[newest] = Response(body=page, headers=HTML)
    items = rss([("예전 기사", server.url(older))], date="Sun, 09 Aug 2026 08:00:00 +0900")
    body = items.replace(b"</channel>", f"<item><title>새 기사</title><link>{server.url(newest)}</link>"
                         f"<pubDate>Sun, 09 Aug 2026 18:00:00 +0900</pubDate></item></channel>".encode())
    server.routes[f"/{name}/rss/allArticle.xml"] = Response(body=body, headers={"Content-Type": "application/rss+xml"})


def setup(tmp_path: Path, server: TestServer) -> list[str]:
    base = cli_base(tmp_path)
    serve(server, "good", ndsoft_page("오픈AI 새 모델 공개"))
    serve(server, "changed", REDESIGNED)
    for name in ("good", "changed"):
        added = runner.invoke(app, [*base, "sources", "add", server.url(f"/{name}/rss/allArticle.xml"),
                                    "--name", name, "--allow-private"])
        assert added.exit_code == 0, added.output
    return base


def test_check_reports_a_healthy_source_and_a_changed_layout(tmp_path: Path) -> None:
    with TestServer() as server:
        base = setup(tmp_path, server)
        result = runner.invoke(app, [*base, "sources", "check", "--allow-private", "--json"])
        assert result.exit_code == 1, result.output  # one source has a problem
        by_name = {r["name"]: r for r in json.loads(result.stdout)}
        good, changed = by_name["good"], by_name["changed"]
        assert good["ok"] and good["problem"] is None and good["feed_ok"] and good["items"] == 2
        assert good["newest_url"].endswith("idxno=2") and good["newest_date"].startswith("2026-08-09T18:00")
        assert good["extraction_ok"] and good["extractor"] == "rule:ndsoft" and good["body_chars"] > 200
        assert good["date_found"].startswith("2026-08-09T17:30") and good["publisher"] == "AI타임스"
        assert good["title"] == "오픈AI 새 모델 공개"
        assert changed["feed_ok"] and not changed["extraction_ok"] and not changed["ok"]
        # the ND소프트 rule still matches the URL but finds no body, nor does the generic path: that is what changed
        assert changed["problem"] == "article: empty body" and changed["extractor"].startswith("rule:ndsoft→generic")
        assert changed["body_chars"] == 0
        assert changed["date_found"] is None  # the feed's date is not passed off as found on the page
    store = Store(f"sqlite:///{tmp_path / 'a.db'}")
    assert store.count_articles() == 0  # a dry check
    assert {r["name"]: r["items_found"] for r in store.source_health()} == {"good": 2, "changed": 2}


def test_check_one_source_table_and_exit_codes(tmp_path: Path) -> None:
    with TestServer() as server:
        base = setup(tmp_path, server)
        one = runner.invoke(app, [*base, "sources", "check", "good", "--allow-private"], env={"COLUMNS": "200"})
        assert one.exit_code == 0, one.output
        assert "good" in one.stdout and "rule:ndsoft" in one.stdout and "changed" not in one.stdout
        del server.routes["/good/rss/allArticle.xml"]
        dead = runner.invoke(app, [*base, "sources", "check", "good", "--allow-private", "--json"])
        assert dead.exit_code == 1 and json.loads(dead.stdout)[0]["problem"] == "feed: HTTP 404"
        unknown = runner.invoke(app, [*base, "sources", "check", "없음"])
        assert unknown.exit_code == 2 and "no source named" in unknown.output
    health = {r["name"]: r for r in Store(f"sqlite:///{tmp_path / 'a.db'}").source_health()}
    assert health["good"]["consecutive_failures"] == 1 and health["good"]["last_error"] == "HTTP 404"


def test_check_on_real_pages(tmp_path: Path) -> None:
    """Real captured pages (../shared corpus) as the newest items: a 한겨레 article is extracted by its
    site rule; a 한겨레 section list page in its place (what a redesign might serve) is reported."""
    from tests.conftest import shared_path

    article = shared_path("corpus", "html", "hani-1.html").read_bytes()
    listing = shared_path("corpus", "html", "hani-list-1.html").read_bytes()
    with TestServer() as server:
        base = cli_base(tmp_path)
        for name, page in (("hani", article), ("hani-list", listing)):
            serve(server, name, page, "arti/society/")
            runner.invoke(app, [*base, "sources", "add", server.url(f"/{name}/rss/allArticle.xml"), "--name", name,
                                "--allow-private"])
        result = runner.invoke(app, [*base, "sources", "check", "--allow-private", "--json"])
    by_name = {r["name"]: r for r in json.loads(result.stdout)}
    good = by_name["hani"]
    assert good["ok"] and good["extractor"] == "rule:hani" and good["publisher"] == "한겨레"
    assert good["date_found"].startswith("2016-09-17T14:26") and good["body_chars"] > 1000
    assert not by_name["hani-list"]["ok"] and by_name["hani-list"]["problem"].startswith("article: ")
    assert result.exit_code == 1
