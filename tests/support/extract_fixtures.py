"""Shared helpers for the extraction tests: load expected fixtures, run extract() on a file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ainews.extract import extract
from ainews.models import Article, RawPage

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"
FIXTURES = ROOT / "tests" / "fixtures" / "extract"
EXPECTED = FIXTURES / "expected"


def expected_cases() -> list[dict]:
    return [json.loads(p.read_text(encoding="utf-8")) | {"name": p.stem} for p in sorted(EXPECTED.glob("*.json"))]


def source_path(rel: str) -> Path:
    """`fixture:html/x.html` lives in the repo; everything else in ../shared."""
    if rel.startswith("fixture:"):
        return FIXTURES / rel.split(":", 1)[1]
    path = SHARED / rel
    if not path.exists():
        pytest.skip(f"../shared/{rel} not present: the shared corpus sits beside the repo")
    return path


def run_case(case: dict) -> Article:
    path = source_path(case["file"])
    raw = RawPage(url=case["url"] or str(path), content=path.read_bytes(), content_type=case["content_type"])
    return extract(raw)


def squeeze(text: str) -> str:
    return "".join(text.split())
