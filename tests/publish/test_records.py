"""The typed publish hand-off (publish/records.py): every day file the demo writes (byte-identical to
today's main) survives from_json → to_json byte for byte, and old or damaged day files still load."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from ainews import pipeline
from ainews.config import Settings
from ainews.publish import deliver, jsonout
from ainews.publish.records import PublishedCounts, PublishedDay, PublishedItem, PublishedStory
from ainews.store import Store

# a day file as an older version could have written it: most keys of today's schema are missing
OLD_DAY = {"schema": "ainews.digest/1", "day": "2025-01-03", "title": "🤖 AI 뉴스 - 2025년 01월 03일",
           "items": [{"rank": 1, "title": "옛 기사 제목", "url": "https://news.example.com/1", "publisher": "옛매체",
                      "summary": ["옛 기사의 첫 문장."], "topics": ["LLM"],
                      "story": {"id": "s-old", "title": "옛 이야기"}}]}


@pytest.fixture(scope="module")
def demo_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo")
    pipeline.run_demo(out)
    return out


def _day_files(out: Path) -> list[Path]:
    files = sorted((out / "digests").glob("*/*.json"))
    assert len(files) >= 5, files  # the bundled sample spans five days
    return files


def test_every_demo_day_round_trips_byte_for_byte(demo_out: Path) -> None:
    for path in _day_files(demo_out):
        text = path.read_text(encoding="utf-8")
        data = json.loads(text)
        day = PublishedDay.from_json(data)
        assert day.to_json() == data, path
        assert list(day.to_json()) == list(data) and jsonout.dumps(day.to_json()) == text, path
        assert jsonout.load_day(path) == day


def test_light_forms_round_trip_and_match_the_cache(demo_out: Path) -> None:
    cache = json.loads((demo_out / pipeline.PUBLISH_CACHE).read_text(encoding="utf-8"))
    for path in _day_files(demo_out):
        light = cache[path.stem]["lite"]
        assert PublishedDay.from_json(light).to_json(lite=True) == light
        full = PublishedDay.from_json(json.loads(path.read_text(encoding="utf-8")))
        assert full.lite().to_json(lite=True) == light
        assert all(i.body == "" and i.reporters == [] for i in full.lite().items) and full.lite().excluded == []


def test_an_old_day_file_with_keys_missing_loads_with_defaults(tmp_path: Path) -> None:
    path = jsonout.day_json_path(tmp_path, date(2025, 1, 3))
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps(OLD_DAY, ensure_ascii=False), encoding="utf-8")
    day = jsonout.load_day(path)
    assert day is not None and day.day == "2025-01-03" and day.overview == [] and day.excluded == []
    assert day.counts == PublishedCounts(items=1, excluded=0)  # counted from the lists when missing
    item = day.items[0]
    assert (item.title, item.publisher, item.outlet, item.topics) == ("옛 기사 제목", "옛매체", "옛매체", ["LLM"])
    assert (item.others, item.companies, item.body, item.body_source, item.extraction_ok) == ([], [], "", "page", True)
    assert (item.relevance, item.is_ai, item.imported, item.canonical_url) == (None, None, None, None)
    assert item.story == PublishedStory(id="s-old", title="옛 이야기")


def test_old_day_files_still_publish_site_feeds_and_archive(tmp_path: Path) -> None:
    out = tmp_path / "out"
    path = jsonout.day_json_path(out / "digests", date(2025, 1, 3))
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps(OLD_DAY, ensure_ascii=False), encoding="utf-8")
    pipeline.refresh_outputs(Settings(), out, "https://news.example.org", [date(2025, 1, 3)])
    assert "옛 기사 제목" in (out / "site" / "days" / "2025-01-03.html").read_text(encoding="utf-8")
    assert "옛 기사 제목" in (out / "digests" / "README.md").read_text(encoding="utf-8")
    assert "https://news.example.org/days/2025-01-03.html" in (out / "site" / "atom.xml").read_text(encoding="utf-8")
    assert "옛 이야기" in (out / "site" / "stories.atom.xml").read_text(encoding="utf-8")
    assert "옛 이야기" in (out / "digests" / "weekly" / "2025-W01.md").read_text(encoding="utf-8")


def test_mistyped_values_get_defaults_instead_of_failing() -> None:
    day = PublishedDay.from_json({"day": "2025-01-03", "counts": [], "overview": "x", "items": [
        {"rank": "1", "title": None, "summary": "한 문장", "others": [1, {"title": "다른 매체"}], "story": "s-1",
         "relevance": "high", "is_ai": 1, "extraction_ok": False, "topics": ["AI", None]}, "not an item"]})
    [item] = day.items
    assert (item.rank, item.title, item.summary, item.story) == (0, "", [], None)
    assert (item.relevance, item.is_ai) == (None, None)
    assert [o.title for o in item.others] == ["다른 매체"] and item.topics == ["AI"] and not item.extraction_ok
    assert day.counts == PublishedCounts(items=1, excluded=0) and day.overview == []


def test_with_items_ranks_again_and_leaves_the_day_alone() -> None:
    day = PublishedDay(day="2026-01-20", items=[PublishedItem(rank=1, title="a"), PublishedItem(rank=2, title="b")],
                       counts=PublishedCounts(items=2))
    mine = day.with_items([day.items[1]])
    assert [(i.rank, i.title) for i in mine.items] == [(1, "b")] and mine.counts == day.counts
    assert [(i.rank, i.title) for i in day.items] == [(1, "a"), (2, "b")]


def test_an_old_day_file_is_delivered(tmp_path: Path, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/hook", method="POST").respond_with_data("ok")
    settings = Settings(db=str(tmp_path / "a.db"))
    settings.delivery.slack.webhook_url_env = "AINEWS_TEST_HOOK"
    path = jsonout.day_json_path(tmp_path / "digests", date(2025, 1, 3))
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps(OLD_DAY, ensure_ascii=False), encoding="utf-8")
    day = jsonout.load_day(path)
    assert day is not None
    store = Store(settings.db_url)
    try:
        outcomes = deliver.deliver_day(store, settings, day, env={"AINEWS_TEST_HOOK": httpserver.url_for("/hook")})
    finally:
        store.close()
    assert {o.channel: o.status for o in outcomes}["slack"] == "sent"
    [(request, _response)] = httpserver.log
    assert "옛 기사 제목" in json.dumps(json.loads(request.get_data()), ensure_ascii=False)
