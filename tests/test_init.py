"""`ainews init`: the written files load with the project's own loaders, and nothing is overwritten
without --force."""

from __future__ import annotations

import tomllib
from pathlib import Path

from typer.testing import CliRunner

from ainews.cli import app
from ainews.collect.sources import DEFAULT_SOURCES, load_sources
from ainews.config import Settings, load_settings

runner = CliRunner()


def test_init_writes_a_config_that_loads_and_the_bundled_sources(tmp_path: Path) -> None:
    folder = tmp_path / "cfg"
    result = runner.invoke(app, ["init", "--dir", str(folder)])
    assert result.exit_code == 0, result.output
    config, sources = folder / "config.toml", folder / "sources.toml"
    assert f"wrote {config}" in result.output and f"wrote {sources}" in result.output
    assert f"ainews --config {config} run" in result.output and f"ainews --config {config} serve" in result.output
    settings = load_settings(config)
    assert Path(settings.sources) == sources and settings.output_dir == "ainews-out"
    assert settings.delivery.slack.webhook_url_env == "" and settings.watch == []  # stubs stay commented
    text = config.read_text(encoding="utf-8")
    for name in ("SLACK_WEBHOOK_URL", "TELEGRAM_BOT_TOKEN", "SMTP_PASSWORD", "[[watch]]", "CRON_TZ=Asia/Seoul",
                 "min_relevance"):
        assert name in text, name
    bundled = [s["name"] for s in tomllib.loads(DEFAULT_SOURCES.read_text(encoding="utf-8"))["source"]]
    written = [s["name"] for s in tomllib.loads(sources.read_text(encoding="utf-8"))["source"]]
    assert written == bundled and len(bundled) >= 10
    assert [s.name for s in load_sources(None, settings.sources)] == [s.name for s in load_sources(None)]


def test_uncommented_stubs_load(tmp_path: Path) -> None:
    """Every commented example in the template is valid config once a user uncomments it."""
    folder = tmp_path / "cfg"
    runner.invoke(app, ["init", "--dir", str(folder)])
    config = folder / "config.toml"
    lines = []
    for line in config.read_text(encoding="utf-8").splitlines():
        body = line[2:] if line.startswith("# ") else line
        if body.startswith(("[", "#")) or "=" in body.split("#")[0]:
            lines.append(body if not body.lstrip().startswith(("0 7", "CRON_TZ")) else "")
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    settings = load_settings(config)
    assert settings.delivery.slack.webhook_url_env == "SLACK_WEBHOOK_URL"
    assert settings.delivery.email.recipients == ["me@example.com"]
    assert [w.name for w in settings.watch] == ["업스테이지"] and settings.watch[0].channels == ["slack"]


def test_init_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    folder = tmp_path / "cfg"
    assert runner.invoke(app, ["init", "--dir", str(folder)]).exit_code == 0
    config = folder / "config.toml"
    config.write_text("output_dir = 'mine'\n", encoding="utf-8")
    again = runner.invoke(app, ["init", "--dir", str(folder)])
    assert again.exit_code == 2 and "--force" in again.output and "Traceback" not in again.output
    assert config.read_text(encoding="utf-8") == "output_dir = 'mine'\n"  # nothing lost
    forced = runner.invoke(app, ["init", "--dir", str(folder), "--force"])
    assert forced.exit_code == 0 and isinstance(load_settings(config), Settings)
    assert "mine" not in config.read_text(encoding="utf-8")


def test_init_defaults_to_the_users_config_folder(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setenv("HOME", str(tmp_path))
    result = runner.invoke(app, ["init"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / ".config/ainews/config.toml").is_file()
    assert "  ainews run" in result.output and "  ainews serve" in result.output
