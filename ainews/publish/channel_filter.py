"""Per-channel digest filters: `[delivery.<channel>] categories = [...]`, `min_relevance = 0.5`
narrow what that channel's message holds; the published files always hold the whole day."""

from __future__ import annotations

from ainews.config import ChannelFilter, Settings
from ainews.publish.records import PublishedDay, PublishedItem


def channel_settings(settings: Settings, channel: str) -> ChannelFilter | None:
    value = getattr(settings.delivery, channel, None)
    return value if isinstance(value, ChannelFilter) else None


def _category_matches(item: PublishedItem, wanted: set[str]) -> bool:
    """A category matches with or without its emoji ("🔬 연구" or "연구")."""
    names = {item.category, f"{item.category_emoji} {item.category}"}
    return bool({n.strip() for n in names} & wanted)


def for_channel(data: PublishedDay, settings: Settings, channel: str) -> PublishedDay:
    """The day with only the items this channel wants, ranked 1.. again."""
    cfg = channel_settings(settings, channel)
    if cfg is None or (not cfg.categories and cfg.min_relevance <= 0):
        return data
    wanted = {c.strip() for c in cfg.categories if c.strip()}
    kept = [item for item in data.items
            if (not wanted or _category_matches(item, wanted)) and (item.relevance or 0.0) >= cfg.min_relevance]
    return data.with_items(kept)
