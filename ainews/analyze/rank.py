"""Digest order: story size, source weight, relevance, recency and novelty.

A story that was in a previous digest is shown again only when it has a member published after
the story first appeared (a new development), and then it is marked as an update.
"""

from __future__ import annotations

import math
from datetime import datetime

from ainews.analyze.sources import source_weight
from ainews.models import Article, DigestItem


def _newest(item: DigestItem) -> datetime | None:
    dates = [a.published_at for a in (item.article, *item.others) if a.published_at]
    return max(dates) if dates else None


def _outlets(item: DigestItem) -> int:
    names = {(a.publisher or a.host or a.url) for a in (item.article, *item.others)}
    return max(1, len(names))


def _relevance(article: Article) -> float:
    return article.analysis.relevance if article.analysis else 0.5


def item_score(item: DigestItem, newest_overall: datetime | None) -> float:
    """Bigger stories from stronger outlets, more clearly AI, more recent: higher."""
    score = 1.5 * math.log2(1 + _outlets(item)) + source_weight(item.article) + 2.0 * _relevance(item.article)
    newest = _newest(item)
    if newest and newest_overall:
        hours = max(0.0, (newest_overall - newest).total_seconds() / 3600.0)
        score += 1.0 / (1.0 + hours / 24.0)
    if item.is_update:
        score -= 0.5
    return score


def is_new_development(item: DigestItem) -> bool:
    """True when the item has a member published on a later day than the story's first report."""
    story = item.story
    newest = _newest(item)
    if story is None or story.first_seen is None or newest is None:
        return False
    return newest.date() > story.first_seen.date() and (newest - story.first_seen).total_seconds() > 6 * 3600


def rank_items(items: list[DigestItem], previous_story_ids: set[str]) -> list[DigestItem]:
    """Items in digest order; repeats of earlier digests dropped unless they bring something new."""
    kept: list[DigestItem] = []
    for item in items:
        if item.story and item.story.id in previous_story_ids:
            if not is_new_development(item):
                continue
            item.is_update = True
        kept.append(item)
    dates = [d for d in (_newest(i) for i in kept) if d]
    newest_overall = max(dates) if dates else None
    return sorted(kept, key=lambda i: -item_score(i, newest_overall))
