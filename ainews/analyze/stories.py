"""Stable story identities: grow existing stories, name new ones by their first member's key."""

from __future__ import annotations

import hashlib
from collections import Counter
from datetime import datetime

from ainews.analyze.features import Doc
from ainews.analyze.sources import is_aggregator
from ainews.models import Article, Story


def story_id_for(article: Article) -> str:
    """A new story's id: derived from its first member's identity, so re-runs give the same id."""
    return "s-" + hashlib.sha1(article.key.encode("utf-8")).hexdigest()[:12]


def completeness(doc: Doc) -> tuple[int, int, int]:
    """Sort key for 'the best copy': original publisher first, then the most complete text."""
    a = doc.article
    return (1 if is_aggregator(a) else 0, 0 if a.title else 1, -doc.text_chars)


def _earliest(doc: Doc) -> tuple[datetime, str]:
    """Publication time, then key: an order that does not depend on store row ids."""
    published = doc.article.published_at
    return (published.replace(tzinfo=None) if published else datetime.max, doc.article.key)


def _first_member(docs: list[Doc]) -> Doc:
    return min(docs, key=_earliest)


def assign(clusters: list[list[Doc]], existing: dict[str, Story], new_ids: set[int]) -> dict[int, Story]:
    """Story per doc index for clusters containing at least one new article; touched stories only.

    A cluster that contains already-stored members keeps their story id (the most common one),
    so a story grows over days; otherwise the id comes from its earliest member.
    """
    result: dict[int, Story] = {}
    for cluster in clusters:
        if not any(d.index in new_ids for d in cluster):
            continue
        old = Counter(d.article.analysis.story_id for d in cluster
                      if d.index not in new_ids and d.article.analysis and d.article.analysis.story_id)
        sid = old.most_common(1)[0][0] if old else story_id_for(_first_member(cluster).article)
        prior = existing.get(sid)
        members = list(prior.member_ids) if prior else []
        for d in cluster:
            if d.article.id is not None and d.article.id not in members:
                members.append(d.article.id)
        rep = min(cluster, key=lambda d: (*completeness(d), *_earliest(d)))  # ties: not by row order
        dates = [d.article.published_at for d in cluster if d.article.published_at]
        if prior and prior.first_seen:
            dates.append(prior.first_seen)
        if prior and prior.last_seen:
            dates.append(prior.last_seen)
        story = Story(
            id=sid,
            title=rep.article.title or (prior.title if prior else ""),
            representative_id=rep.article.id if rep.article.id is not None else -1,
            member_ids=members,
            first_seen=min(dates) if dates else None,
            last_seen=max(dates) if dates else None,
            summary=list(prior.summary) if prior else [],
        )
        if prior and prior.representative_id in members and rep.index not in new_ids:
            story.representative_id = prior.representative_id
        for d in cluster:
            result[d.index] = story
    return result
