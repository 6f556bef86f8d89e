"""Per-channel digest filters: `[delivery.<channel>] categories = [...]`, `min_relevance = 0.5`
narrow what that channel's message holds; the published files always hold the whole day."""

from __future__ import annotations

from typing import Any

from ainews.config import ChannelFilter, Settings


def channel_settings(settings: Settings, channel: str) -> ChannelFilter | None:
    value = getattr(settings.delivery, channel, None)
    return value if isinstance(value, ChannelFilter) else None


def _category_matches(item: dict[str, Any], wanted: set[str]) -> bool:
    """A category matches with or without its emoji ("🔬 연구" or "연구")."""
    names = {str(item.get("category") or ""), f"{item.get('category_emoji') or ''} {item.get('category') or ''}"}
    return bool({n.strip() for n in names} & wanted)


def for_channel(data: dict[str, Any], settings: Settings, channel: str) -> dict[str, Any]:
    """The day's JSON with only the items this channel wants, ranked 1.. again."""
    cfg = channel_settings(settings, channel)
    if cfg is None or (not cfg.categories and cfg.min_relevance <= 0):
        return data
    wanted = {c.strip() for c in cfg.categories if c.strip()}
    kept = [item for item in data.get("items") or []
            if (not wanted or _category_matches(item, wanted))
            and float(item.get("relevance") or 0.0) >= cfg.min_relevance]
    return data | {"items": [item | {"rank": rank} for rank, item in enumerate(kept, 1)]}
