"""Dockerfile and docker-compose.yml run commands that exist, with the install the tests use."""

from __future__ import annotations

import json
import re
from pathlib import Path

from typer.testing import CliRunner

from ainews.cli import app

ROOT = Path(__file__).resolve().parents[1]


def _commands() -> list[list[str]]:
    compose = (ROOT / "docker-compose.yml").read_text(encoding="utf-8")
    docker = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    found = [json.loads(m) for m in re.findall(r"^\s*command: (\[.*\])$", compose, re.M)]
    found += [json.loads(m) for m in re.findall(r"^CMD (\[.*\])$", docker, re.M)]
    return found


def test_container_commands_are_real_cli_commands() -> None:
    commands = _commands()
    assert {c[0] for c in commands} == {"worker", "serve"}
    for command in commands:
        result = CliRunner().invoke(app, [command[0], "--help"])
        assert result.exit_code == 0, result.output
        for option in (arg for arg in command[1:] if arg.startswith("--")):
            assert option in result.output, (command, option)


def test_image_installs_the_postgres_extra_the_suite_exercises() -> None:
    docker = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert "pip install --no-cache-dir '.[postgres]'" in docker
    assert re.search(r'postgres = \[.*"procrastinate', pyproject)
