"""The walking skeleton through the real CLI: add, digest, extract, demo; bad input never loses work."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ainews.cli import app
from ainews.publish import markdown
from ainews.store import Store

runner = CliRunner()


def ainews(db_url: str, *args: str):  # noqa: ANN201 - click Result
    return runner.invoke(app, ["--db", db_url, *args], catch_exceptions=False)


def test_add_seeds_then_digest(seeds: dict[str, Path], db_url: str, tmp_path: Path) -> None:
    files = [str(p) for p in seeds.values()]
    result = ainews(db_url, "add", *files, "--date", "2026-01-20")
    assert result.exit_code == 0, result.output
    store = Store(db_url)
    count = store.count_articles()
    assert count == 10  # six digest items + four pages
    # the same files again: nothing new
    again = ainews(db_url, "add", *files, "--date", "2026-01-20")
    assert again.exit_code == 0 and "0 new" in again.output
    assert store.count_articles() == count

    result = ainews(db_url, "digest", "--date", "2026-01-20", "--out", str(tmp_path / "out"), "--show-excluded")
    assert result.exit_code == 0, result.output
    text = (tmp_path / "out" / "2026-01-20.md").read_text(encoding="utf-8")
    listed = text + result.output  # included items, other outlets of a story, and the excluded list
    for article in markdown.parse_digest(seeds["000"].read_text(encoding="utf-8")):
        assert article.url in listed, article.title
    for day in store.days():
        for article in store.articles_for_day(day):
            assert article.title and article.body, article.url


def test_bad_inputs_are_skipped_and_others_kept(seeds: dict[str, Path], db_url: str, tmp_path: Path) -> None:
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"")
    binary = tmp_path / "image.png"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40)
    huge = tmp_path / "huge.html"
    with huge.open("wb") as f:
        f.truncate(50 * 1024 * 1024)
    folder = tmp_path / "folder"
    folder.mkdir()
    inputs = [str(empty), str(binary), str(huge), str(tmp_path / "missing.txt"), str(folder), str(seeds["003"])]
    result = runner.invoke(app, ["--db", db_url, "add", *inputs, "--date", "2025-02-05"])
    assert result.exit_code == 0
    out = result.output
    assert "empty file" in out and "binary" in out and "limit" in out and "no such file" in out
    assert "directory" in out and "Traceback" not in out
    assert Store(db_url).count_articles() == 1


@pytest.mark.parametrize(
    "args, message",
    [
        (["digest", "--date", "2026-13-45"], "bad date"),
        (["add", "/nonexistent/file.html"], "no such file"),
        (["extract", "/nonexistent/file.html"], "no such file"),
        (["add", "ftp://example.com/x"], "only http(s)"),
    ],
)
def test_user_mistakes_get_one_line(db_url: str, args: list[str], message: str) -> None:
    result = runner.invoke(app, ["--db", db_url, *args])
    assert result.exit_code != 0
    assert message in result.output and "Traceback" not in result.output


def test_bad_config_is_one_line(tmp_path: Path, db_url: str) -> None:
    config = tmp_path / "config.toml"
    config.write_text("[analysis]\nrelevance_treshold = 0.3\n", encoding="utf-8")
    result = runner.invoke(app, ["--db", db_url, "--config", str(config), "digest", "--date", "2026-01-20"])
    assert result.exit_code == 2 and "unknown setting 'relevance_treshold'" in result.output


def test_extract_json_contract(seeds: dict[str, Path], db_url: str) -> None:
    result = ainews(db_url, "extract", str(seeds["003"]), "--format", "json")
    data = json.loads(result.stdout)
    for key in ["title", "subtitles", "body", "publisher", "reporters", "published_at", "url", "canonical_url",
                "lang"]:
        assert key in data
    assert data["body"]


def test_demo_runs_from_a_shell(tmp_path: Path) -> None:
    env = {**os.environ, "AINEWS_DB": str(tmp_path / "unused.db")}
    proc = subprocess.run([sys.executable, "-m", "ainews.cli", "demo", "--out", str(tmp_path / "demo")],
                          capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr
    paths = [Path(line) for line in proc.stdout.split()]
    assert any(p.name == "2026-01-20.md" for p in paths)
    text = next(p for p in paths if p.name == "2026-01-20.md").read_text(encoding="utf-8")
    assert text.startswith("# 🤖 AI 뉴스 - 2026년 01월 20일")
    assert not (tmp_path / "unused.db").exists()  # the demo never touches the user's store


def test_second_run_on_the_same_store_stops_with_one_line(tmp_path: Path, db_url: str) -> None:
    sources = tmp_path / "sources.toml"
    sources.write_text("", encoding="utf-8")
    with Store(db_url).exclusive("run"):  # a run in progress elsewhere
        result = runner.invoke(app, ["--db", db_url, "run", "--sources", str(sources), "--no-deliver",
                                     "--out", str(tmp_path / "out"), "--date", "2026-01-20"])
    assert result.exit_code == 2 and "another 'run' is running" in result.output
    assert not (tmp_path / "out").exists()


def test_a_bug_is_not_reported_as_the_users_mistake(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Only UserError (errors.py) becomes 'error: …' and exit 2; a ValueError from a bug keeps its traceback."""
    from ainews import pipeline

    def broken(*_args: object, **_kwargs: object) -> None:
        raise ValueError("a bug, not the user's fault")

    monkeypatch.setattr(pipeline, "write_digest", broken)
    result = CliRunner().invoke(app, ["--db", db_url, "digest", "--date", "2026-01-20"])
    assert result.exit_code != 2
    assert isinstance(result.exception, ValueError)


def test_every_command_closes_the_stores_it_opened(seeds: dict[str, Path], db_url: str) -> None:
    from ainews.cli import state

    for args in (["add", str(seeds["002"])], ["sources"], ["digest", "--date", "2026-13-01"]):
        CliRunner().invoke(app, ["--db", db_url, *args])
        assert state.opened == [], args
