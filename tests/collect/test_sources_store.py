"""Added sources in the store overlay the bundled and user-file ones, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

from ainews.cli_sources import add_source, import_outlines, remove_source
from ainews.collect.opml import Outline
from ainews.collect.sources import load_sources
from ainews.store.db import Store
from ainews.store.user_sources import user_source_entries, user_source_sites


def test_overlay_order_remove_and_re_add(any_db_url: str, tmp_path: Path) -> None:
    store = Store(any_db_url)
    bundled = load_sources(None)[0]
    user = tmp_path / "mine.toml"
    user.write_text('[[source]]\nname = "내 파일"\nurl = "https://mine.example/rss"\n', encoding="utf-8")
    current = load_sources(None, str(user), store)
    assert add_source(store, current, "새 출처", "https://new.example/feed", "https://new.example/",
                      explicit_name=False) == "added 새 출처: https://new.example/feed"
    names = [s.name for s in load_sources(None, str(user), store)]
    assert names[-2:] == ["내 파일", "새 출처"] and bundled.name in names  # bundled < file < store
    assert user_source_sites(store) == {"새 출처": "https://new.example/"}

    remove_source(store, str(user), bundled.name)
    remove_source(store, str(user), "내 파일")  # a config-file source is switched off, the file untouched
    by_name = {s.name: s for s in load_sources(None, str(user), store)}
    assert not by_name[bundled.name].enabled and not by_name["내 파일"].enabled and "mine.example" in user.read_text()
    # adding the switched-off feed again turns it back on under its own name
    again = add_source(store, list(by_name.values()), "other title", bundled.url, None, explicit_name=False)
    assert again.startswith(f"added {bundled.name} again")
    assert {s.name: s.enabled for s in load_sources(None, str(user), store)}[bundled.name] is True
    # an override for a name no longer configured anywhere is ignored, not an error
    remove_source(store, str(user), "내 파일")
    user.write_text("", encoding="utf-8")
    assert "내 파일" not in {s.name for s in load_sources(None, str(user), store)}
    assert {e["name"] for e in user_source_entries(store)} == {"새 출처", bundled.name, "내 파일"}


def test_import_is_idempotent_and_keeps_names_unique(any_db_url: str) -> None:
    store = Store(any_db_url)
    outlines = [Outline("피드", "https://a.example/rss"), Outline("피드", "https://b.example/rss")]
    added, skipped = import_outlines(store, load_sources(None, None, store), outlines)
    assert added == ["피드", "피드 (b.example)"] and skipped == []
    added, skipped = import_outlines(store, load_sources(None, None, store), outlines)
    assert added == [] and len(skipped) == 2
    assert sum(s.name.startswith("피드") for s in load_sources(None, None, store)) == 2
