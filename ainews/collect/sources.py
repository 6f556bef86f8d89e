"""Where to collect from: bundled defaults < the user's TOML file < sources added to the store.

A source is a feed (RSS/Atom), a list page (links picked with a CSS selector) or a sitemap.
The user's file adds sources and can switch bundled ones off by name with `enabled = false`;
`ainews sources add/import/remove` write the store (ainews/store/user_sources.py), overlaid last.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from ainews import catalogue
from ainews.errors import UserError

if TYPE_CHECKING:
    from ainews.store.db import Store

DEFAULT_SOURCES = Path(__file__).resolve().parent.parent / "data" / "sources.toml"
KINDS = ("feed", "list", "sitemap")
_FIELDS = {"name", "url", "kind", "link_selector", "enabled", "max_items"}
DEFAULT_MAX_ITEMS = 200


class SourceError(UserError):
    """A sources file that cannot be used; the one-line message names the file and the problem."""


@dataclass(slots=True)
class Source:
    """One place to look for articles. `max_items` caps new articles fetched per run."""

    name: str
    url: str
    kind: str = "feed"
    link_selector: str | None = None
    enabled: bool = True
    max_items: int = DEFAULT_MAX_ITEMS


def load_sources(path: str | Path | None, user_path: str | None = None, store: Store | None = None) -> list[Source]:
    """With `path`: only that file's sources. Without: bundled defaults overlaid by `user_path`,
    then by the sources added to `store` (an override of a name no longer configured is ignored)."""
    if path:
        return _build_all(Path(path).expanduser())
    sources = _build_all(DEFAULT_SOURCES)
    if user_path:
        user_file = Path(user_path).expanduser()
        sources = merge_sources(sources, _read_file(user_file), str(user_file))
    if store is not None:
        from ainews.store.user_sources import user_source_entries

        names = {s.name for s in sources}
        added = [e for e in user_source_entries(store) if "url" in e or e["name"] in names]
        sources = merge_sources(sources, added, "store")
    return sources


def _build_all(file: Path) -> list[Source]:
    return [_build(item, f"{file}: source '{item['name']}'") for item in _read_file(file)]


def merge_sources(base: list[Source], overlay: list[dict[str, Any]], where: str) -> list[Source]:
    """Overlay entries patch the base source of the same name (e.g. `enabled = false`), or are added."""
    by_name = {s.name: s for s in base}
    result = list(base)
    for item in overlay:
        name = item["name"]
        if name in by_name:
            current = by_name[name]
            for key, value in item.items():
                setattr(current, key, value)
            _check(current, f"{where}: source '{name}'")
        else:
            source = _build(item, f"{where}: source '{name}'")
            result.append(source)
            by_name[name] = source
    return result


def _read_file(file: Path) -> list[dict[str, Any]]:
    """Parse and type-check a sources file's entries (completeness is checked when building)."""
    if not file.is_file():
        raise SourceError(f"{file}: sources file not found")
    data = catalogue.parse(file.read_bytes(), str(file), SourceError)
    unknown = set(data) - {"source"}
    if unknown:
        raise SourceError(f"{file}: unknown top-level key(s) {sorted(unknown)}; use [[source]] tables")
    entries = data.get("source", [])
    if not isinstance(entries, list):
        raise SourceError(f"{file}: 'source' must be an array of tables ([[source]])")
    seen: set[str] = set()
    items: list[dict[str, Any]] = []
    for index, entry in enumerate(entries, 1):
        where = f"{file}: source #{index}"
        item = _validate_entry(entry, where)
        if item["name"] in seen:
            raise SourceError(f"{where}: duplicate name '{item['name']}'")
        seen.add(item["name"])
        items.append(item)
    return items


def _validate_entry(entry: Any, where: str) -> dict[str, Any]:
    if not isinstance(entry, dict):
        raise SourceError(f"{where}: must be a table")
    unknown = set(entry) - _FIELDS
    if unknown:
        raise SourceError(f"{where}: unknown field(s) {sorted(unknown)}")
    name = entry.get("name")
    if not isinstance(name, str) or not name.strip():
        raise SourceError(f"{where}: 'name' is required and must be a non-empty string")
    types = {"url": str, "kind": str, "link_selector": str, "enabled": bool, "max_items": int}
    for key, expected in types.items():
        if key in entry and not isinstance(entry[key], expected):
            raise SourceError(f"{where} ('{name}'): '{key}' must be {expected.__name__}")
    return {**entry, "name": name.strip()}


def _build(item: dict[str, Any], where: str) -> Source:
    if "url" not in item:
        raise SourceError(f"{where}: 'url' is required (and no bundled source has this name)")
    source = Source(**item)
    _check(source, where)
    return source


def _check(source: Source, where: str) -> None:
    """Reject what would fail later anyway, with a message that says which source and why."""
    label = where
    parts = urlsplit(source.url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SourceError(f"{label}: url must be an http(s) URL, got '{source.url}'")
    if source.kind not in KINDS:
        raise SourceError(f"{label}: kind must be one of {', '.join(KINDS)}, got '{source.kind}'")
    if source.kind == "list" and not source.link_selector:
        raise SourceError(f"{label}: kind = \"list\" needs a link_selector (CSS selector for article links)")
    if source.link_selector:
        _check_selector(source.link_selector, label)
    if source.max_items < 1:
        raise SourceError(f"{label}: max_items must be at least 1")


def _check_selector(selector: str, label: str) -> None:
    from selectolax.lexbor import LexborHTMLParser as HTMLParser

    try:
        HTMLParser("<html></html>").css(selector)
    except Exception as exc:  # noqa: BLE001 - selectolax raises plain exceptions for bad selectors
        raise SourceError(f"{label}: link_selector '{selector}' is not a valid CSS selector ({exc})") from exc
