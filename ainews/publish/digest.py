"""The day's digest: the analyzed articles folded into one item per story, ranked, then rendered.

Used by publishing and by the web app's day page, so both show exactly the same digest.
"""

from __future__ import annotations

from datetime import date, timedelta

from ainews import analyze
from ainews.config import Settings
from ainews.models import Article, Digest, DigestItem, Story
from ainews.publish import jsonout, markdown
from ainews.publish.records import PublishedDay
from ainews.store import Store


def build_digest(store: Store, settings: Settings, day: date) -> Digest:
    """The day's analyzed articles folded into one item per story, ranked; the rest excluded."""
    # publication order first: rows are numbered as fetches finish (a killed run's re-run numbers
    # them differently), so group, outlet and tie order must not rest on row ids alone
    articles = sorted((a for a in store.articles_for_day(day) if a.analysis is not None), key=_stable_order)
    threshold = settings.analysis.relevance_threshold
    groups: dict[str, list[Article]] = {}
    for article in articles:
        an = article.analysis
        key = (an.story_id if an and an.story_id else None) or f"article:{article.id}"
        groups.setdefault(key, []).append(article)
    included: list[DigestItem] = []
    excluded: list[DigestItem] = []
    for key, members in groups.items():
        story = store.get_story(key) if not key.startswith("article:") else None
        lead = _lead_article(members, story)
        others = [m for m in members if m is not lead and not _same_outlet(m, lead)]
        item = DigestItem(article=lead, story=story, others=others)
        relevant = lead.analysis is not None and lead.analysis.relevance >= threshold
        (included if relevant else excluded).append(item)
    previous = _previous_story_ids(store, day)
    ranked = analyze.rank_items(included, previous)
    excluded.sort(key=lambda it: -(it.article.analysis.relevance if it.article.analysis else 0.0))
    return Digest(day=day, items=ranked, excluded=excluded)


def _stable_order(article: Article) -> tuple[float, str]:
    return (article.published_at.timestamp() if article.published_at else float("inf"), article.key)


def _lead_article(members: list[Article], story: Story | None) -> Article:
    if story is not None:
        for m in members:
            if m.id == story.representative_id:
                return m
    return max(members, key=lambda a: (a.extraction_ok, len(a.body)))


def _same_outlet(a: Article, b: Article) -> bool:
    return bool(a.publisher) and a.publisher == b.publisher and a.analysis is not None and \
        a.analysis.duplicate_of is not None


def _previous_story_ids(store: Store, day: date, days_back: int = 3) -> set[str]:
    return store.story_ids_between(day - timedelta(days=days_back), day - timedelta(days=1))


def render_day(digest: Digest, settings: Settings) -> tuple[str, PublishedDay]:
    """The day's Markdown (with 오늘의 요약 under the title) and its published record, from one digest."""
    data = jsonout.digest_to_day(digest, analyze.category_emoji)
    anchors = {it.rank: it.anchor for it in data.items}
    preface = markdown.render_overview(data.overview, anchors)
    text = markdown.render_digest(digest, emoji_for=analyze.category_emoji, body_chars=settings.digest_body_chars,
                                  preface=preface)
    return text, data
