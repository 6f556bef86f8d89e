"""Sources files: bundled defaults, a user's overlay, `--sources` alone, clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from ainews.collect.sources import DEFAULT_SOURCES, SourceError, load_sources


def _write(tmp_path: Path, text: str, name: str = "sources.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_bundled_defaults_are_korean_ai_feeds() -> None:
    sources = load_sources(None)
    names = {s.name for s in sources}
    assert {"AI타임스", "ZDNet Korea", "전자신문", "블로터", "IT조선"} <= names
    assert len(names) == len(sources) >= 15
    assert all(s.url.startswith("https://") or s.url.startswith("http://") for s in sources)
    assert DEFAULT_SOURCES.is_file()


def test_user_file_adds_and_disables(tmp_path: Path) -> None:
    user = _write(tmp_path, """
[[source]]
name = "AI타임스"
enabled = false

[[source]]
name = "내 블로그"
url = "https://blog.example.kr/list"
kind = "list"
link_selector = "ul.posts a.title"
""")
    sources = {s.name: s for s in load_sources(None, str(user))}
    assert sources["AI타임스"].enabled is False and sources["AI타임스"].url.startswith("https://www.aitimes.com")
    assert sources["내 블로그"].kind == "list" and sources["내 블로그"].link_selector == "ul.posts a.title"
    assert sources["전자신문"].enabled


def test_sources_option_uses_only_that_file(tmp_path: Path) -> None:
    path = _write(tmp_path, '[[source]]\nname = "로컬"\nurl = "http://127.0.0.1:8000/rss.xml"\n')
    sources = load_sources(path, "/does/not/matter.toml")
    assert [(s.name, s.kind, s.enabled, s.max_items) for s in sources] == [("로컬", "feed", True, 200)]


@pytest.mark.parametrize(("text", "message"), [
    ("[[source]\nname = 'x'", "not valid TOML"),
    ("[[source]]\nurl = 'https://a.kr/rss'", "'name' is required"),
    ("[[source]]\nname = 'x'", "'url' is required"),
    ("[[source]]\nname = 'x'\nurl = 'ftp://a.kr/rss'", "url must be an http(s) URL"),
    ("[[source]]\nname = 'x'\nurl = 'https://a.kr'\nkind = 'podcast'", "kind must be one of feed, list, sitemap"),
    ("[[source]]\nname = 'x'\nurl = 'https://a.kr'\nkind = 'list'", "needs a link_selector"),
    ("[[source]]\nname = 'x'\nurl = 'https://a.kr'\nkind = 'list'\nlink_selector = 'a[[['", "not a valid CSS"),
    ("[[source]]\nname = 'x'\nurl = 'https://a.kr'\nenabled = 'no'", "'enabled' must be bool"),
    ("[[source]]\nname = 'x'\nurl = 'https://a.kr'\ncolour = 'red'", "unknown field(s) ['colour']"),
    ("[[source]]\nname = 'x'\nurl = 'https://a.kr'\n[[source]]\nname = 'x'\nurl = 'https://b.kr'", "duplicate"),
    ("source = 3", "must be an array of tables"),
    ("[sources]\nname = 'x'", "unknown top-level key"),
])
def test_bad_files_give_one_line_errors(tmp_path: Path, text: str, message: str) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(SourceError) as info:
        load_sources(path)
    assert message in str(info.value) and str(path) in str(info.value) and "\n" not in str(info.value)


def test_missing_files(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="not found"):
        load_sources(tmp_path / "nope.toml")
    with pytest.raises(SourceError, match="not found"):
        load_sources(None, str(tmp_path / "nope.toml"))


def test_user_overlay_cannot_break_a_bundled_source(tmp_path: Path) -> None:
    user = _write(tmp_path, "[[source]]\nname = 'AI타임스'\nkind = 'list'\n")
    with pytest.raises(SourceError, match="link_selector"):
        load_sources(None, str(user))
