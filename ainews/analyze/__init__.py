"""Analysis: relevance, category, topics, companies, stories and ranking (placeholder rules).

Interface used by the pipeline:
- `ANALYSIS_VERSION`: stored with every result; bump it and articles are analyzed again.
- `analyze_batch(articles, context, stories, settings) -> (analyses by article id, stories)`:
  `articles` need analysis; `context` are already analyzed neighbours in the story window;
  `stories` are existing stories (ids are stable across runs). Summaries are filled in later
  by the pipeline (analyze/summarize.py), so returned analyses have empty `summary`.
- `rank_items(items, previous_story_ids) -> items` in digest order.
"""

from __future__ import annotations

from ainews.config import Settings
from ainews.models import Analysis, Article, DigestItem, Story

ANALYSIS_VERSION = "0-placeholder"


def analyze_batch(
    articles: list[Article], context: list[Article], stories: list[Story], settings: Settings
) -> tuple[dict[int, Analysis], list[Story]]:
    analyses: dict[int, Analysis] = {}
    for article in articles:
        text = f"{article.title}\n{article.body}"
        score = 1.0 if ("AI" in text or "인공지능" in text) else 0.0
        imported = article.imported
        analyses[article.id or 0] = Analysis(
            relevance=score, is_ai=score >= settings.analysis.relevance_threshold,
            category=(imported.category if imported and imported.category else "일반"),
            topics=list(imported.tags) if imported else [],
            companies=[imported.company] if imported and imported.company else [],
            version=ANALYSIS_VERSION,
        )
    return analyses, list(stories)


def rank_items(items: list[DigestItem], previous_story_ids: set[str]) -> list[DigestItem]:
    return list(items)
