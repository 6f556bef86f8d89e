"""Sources a user added with `ainews sources add/import`, and `remove` overrides, kept in the store.

The store (not a TOML file) holds them so every process on one database (`run`, `worker`s on other
machines sharing PostgreSQL, the web app) sees the same list, and an add is one transaction.
A row with `url = NULL, enabled = false` switches off a bundled or user-file source of that name.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from ainews.store.article_writes import utc_naive
from ainews.store.db import Store
from ainews.store.schema import UserSourceRow

_OVERLAY_FIELDS = ("url", "kind", "link_selector", "max_items")


def user_source_entries(store: Store) -> list[dict[str, Any]]:
    """Rows as overlay entries for `merge_sources`: only the fields a row sets, in name order."""
    with store.session() as s:
        rows = s.scalars(select(UserSourceRow).order_by(UserSourceRow.added_at, UserSourceRow.name))
        entries = []
        for row in rows:
            entry: dict[str, Any] = {"name": row.name, "enabled": row.enabled}
            entry.update({k: getattr(row, k) for k in _OVERLAY_FIELDS if getattr(row, k) is not None})
            entries.append(entry)
        return entries


def user_source_names(store: Store) -> set[str]:
    with store.session() as s:
        return set(s.scalars(select(UserSourceRow.name)))


def user_source_sites(store: Store) -> dict[str, str]:
    """Site (HTML) addresses of added sources, by name, for OPML's htmlUrl."""
    with store.session() as s:
        rows = s.execute(select(UserSourceRow.name, UserSourceRow.html_url).where(UserSourceRow.html_url.is_not(None)))
        return {name: url for name, url in rows}


def save_user_source(store: Store, name: str, url: str, *, kind: str = "feed", html_url: str | None = None,
                     link_selector: str | None = None) -> None:
    """Add (or re-enable and repoint) the source `name`."""
    with store.session() as s:
        row = s.get(UserSourceRow, name) or UserSourceRow(name=name, added_at=_now())
        row.url, row.kind, row.link_selector, row.enabled, row.html_url = url, kind, link_selector, True, html_url
        s.merge(row)


def disable_source(store: Store, name: str) -> None:
    """Switch off a bundled or user-file source: an override row without URL."""
    with store.session() as s:
        row = s.get(UserSourceRow, name) or UserSourceRow(name=name, added_at=_now())
        row.url = row.kind = row.link_selector = row.html_url = None
        row.max_items = None
        row.enabled = False
        s.merge(row)


def delete_user_source(store: Store, name: str) -> bool:
    """Forget an added source; False when there was none of that name."""
    with store.session() as s:
        row = s.get(UserSourceRow, name)
        if row is None:
            return False
        s.delete(row)
        return True


def _now() -> datetime:
    value = utc_naive(datetime.now(UTC))
    assert value is not None
    return value
