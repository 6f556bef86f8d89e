"""Input records of the batch commands (`ainews analyze`, `ainews summarize`): JSON lines whose
document is given as `text`, `html` or a file `path`. Shared so both read input the same way."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from ainews.collect.local import read_path
from ainews.models import RawPage


def read_jsonl(lines: Iterable[str]) -> Iterator[tuple[int, dict[str, Any] | None, str | None]]:
    """(line number, record, None) per JSON object line, or (line number, None, error); blank lines skipped."""
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError as exc:
            yield number, None, f"line {number}: invalid JSON: {exc}"
            continue
        if isinstance(record, dict):
            yield number, record, None
        else:
            yield number, None, f"line {number}: not a JSON object"


def raw_page(record: dict[str, Any], url: str = "") -> RawPage:
    """The record's `html` or `path` document as raw bytes (a bad path raises InputError)."""
    if isinstance(record.get("html"), str):
        return RawPage(url=url or "input.html", content=record["html"].encode("utf-8"),
                       content_type="text/html; charset=utf-8")
    if isinstance(record.get("path"), str):
        raw = read_path(record["path"])
        raw.url = url or raw.url
        return raw
    raise ValueError("needs one of text, html or path")
