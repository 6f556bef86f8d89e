"""`ainews search` through the real CLI over a corpus store (the index builds itself on first use)."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from ainews.cli import app
from tests.support.web_store import build_store


def test_cli_search_finds_and_survives_syntax(tmp_path: Path) -> None:
    store, _ids = build_store(tmp_path / "c.db", hostile=False)
    store.close()
    db = f"sqlite:///{tmp_path / 'c.db'}"
    runner = CliRunner()
    result = runner.invoke(app, ["--db", db, "search", "오픈AI", "--limit", "3", "--json"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert len(rows) == 3 and all(r["url"].startswith("https://news.example.com/") for r in rows)
    weird = runner.invoke(app, ["--db", db, "search", '"; NEAR(*'])
    assert weird.exit_code == 0 and weird.output == ""
