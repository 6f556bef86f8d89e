"""A broken bundled rule file stops a command with one line naming the file and key (exit 2), before
any article is read: not a traceback, not every article marked "extraction failed"."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import ainews

PACKAGE = Path(ainews.__file__).resolve().parent


def test_a_typo_in_a_rule_file_is_one_line_and_exit_2(tmp_path: Path) -> None:
    shutil.copytree(PACKAGE, tmp_path / "ainews", ignore=shutil.ignore_patterns("__pycache__", "samples"))
    rules = tmp_path / "ainews" / "extract" / "sites" / "boilerplate.toml"
    text = rules.read_text(encoding="utf-8")
    rules.write_text(text.replace('kind = "copyright"\npattern', 'kind = "copyright"\npatern', 1), encoding="utf-8")
    page = tmp_path / "page.html"
    page.write_text("<html><body><p>기사 본문입니다.</p></body></html>", encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "ainews.cli", "extract", str(page), "--format", "json"],
                         cwd=tmp_path, capture_output=True, text=True, timeout=120,
                         env={"PYTHONPATH": str(tmp_path), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)})
    assert run.returncode == 2, run.stderr
    assert run.stdout == ""
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in run.stderr
    assert lines[0].endswith("ainews/extract/sites/boilerplate.toml: [[drop]] #1: unknown key 'patern'")
