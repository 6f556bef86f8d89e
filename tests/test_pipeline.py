"""Pipeline steps that make re-runs safe after an interruption, and `run`'s one options object."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from ainews import analyze, pipeline
from ainews.analyze.korean import index_tokens
from ainews.config import Settings
from ainews.models import KST, Analysis, Article, now_kst
from ainews.store import Store
from ainews.store.search import SearchIndex

DAY = date(2026, 1, 20)
EMPTY_RSS = '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><link>x</link></channel></rss>'


def test_search_index_catches_up_when_nothing_is_pending(any_db_url: str) -> None:
    """A run killed after saving analyses but before indexing: the next run's analyze step indexes them."""
    store = Store(any_db_url)
    article_id, _ = store.upsert_article(Article(
        url="https://news.example/1", title="카카오, 오픈AI와 협업 방안 공개", body="카카오가 오픈AI와 손잡았다.",
        published_at=datetime(2026, 1, 20, 9, tzinfo=KST)))
    store.save_analysis(article_id, Analysis(relevance=1.0, is_ai=True, companies=["카카오"],
                                             version=analyze.ANALYSIS_VERSION))
    assert pipeline.analyze_pending(store, Settings()) == 0
    hits = SearchIndex(store, index_tokens).search("카카오", limit=5)
    assert [h.article.id for h in hits] == [article_id]


def test_run_options_default_to_a_bare_ainews_run() -> None:
    options = pipeline.RunOptions()
    assert (options.day, options.out_dir, options.sources, options.allow_private, options.deliver,
            options.site_url, options.weekly, options.progress) == (None, None, None, False, True, "", False, None)
    assert options.publish == pipeline.PublishOptions(site_url="", weekly=False)
    with pytest.raises(dataclasses.FrozenInstanceError):
        options.deliver = False  # type: ignore[misc]
    assert options.the_day() == now_kst().date()
    assert options.output(Settings(output_dir="~/ainews-test-out")) == Path("~/ainews-test-out").expanduser()
    given = pipeline.RunOptions(day=DAY, out_dir=Path("x"))
    assert (given.the_day(), given.output(Settings())) == (DAY, Path("x"))


def test_run_follows_its_options(tmp_path: Path, httpserver: HTTPServer) -> None:
    """Every option reaches its stage: sources, private addresses, day, folder, site address, weekly,
    no delivery, progress."""
    httpserver.expect_request("/robots.txt").respond_with_data("User-agent: *\nAllow: /\n")
    httpserver.expect_request("/rss.xml").respond_with_data(EMPTY_RSS, content_type="application/rss+xml")
    sources = tmp_path / "sources.toml"
    sources.write_text(f'[[source]]\nname = "local"\nurl = "{httpserver.url_for("/rss.xml")}"\n', encoding="utf-8")
    settings = Settings(db=str(tmp_path / "a.db"), output_dir=str(tmp_path / "default-out"))
    store = Store(settings.db_url)
    store.upsert_article(Article(url="https://news.example/1", title="카카오, 오픈AI와 협업 방안 공개",
                                 body="카카오가 오픈AI와 인공지능 모델 협업 방안을 공개했다. " * 20,
                                 published_at=datetime(2026, 1, 20, 9, tzinfo=KST)))
    stages: list[str] = []
    out = tmp_path / "out"
    try:
        report = pipeline.run(settings, store, pipeline.RunOptions(
            day=DAY, out_dir=out, sources=str(sources), allow_private=True, deliver=False,
            site_url="https://news.example.org", weekly=True, progress=stages.append))
    finally:
        store.close()
    assert stages == ["collect", "analyze", "publish"] and not report.errors and not report.deliveries
    assert report.day == DAY and report.collect is not None and report.collect["sources_ok"] == 1
    assert (out / "digests" / "2026" / "2026-01-20.json").is_file()
    assert (out / "digests" / "weekly" / "2026-W04.md").is_file()
    assert "https://news.example.org/days/2026-01-20.html" in (out / "site" / "atom.xml").read_text(encoding="utf-8")
    assert not (tmp_path / "default-out").exists()
