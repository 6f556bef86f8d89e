"""Summaries (placeholder: lead sentences). Interface used by the pipeline:
- `summarize_article(article, settings, store=None) -> Summary(sentences, method)`
- `summarize_story(members, settings) -> list[str]` (members: representative first)
"""

from __future__ import annotations

from dataclasses import dataclass

from ainews.analyze import korean
from ainews.config import Settings
from ainews.models import Article
from ainews.store import Store


@dataclass(slots=True)
class Summary:
    sentences: list[str]
    method: str  # "extractive" | "llm" | "imported"


def summarize_article(article: Article, settings: Settings, store: Store | None = None) -> Summary:
    sentences = korean.split_sentences(article.body)[: settings.summary.sentences]
    return Summary(sentences=sentences, method="extractive")


def summarize_story(members: list[Article], settings: Settings) -> list[str]:
    return summarize_article(members[0], settings).sentences if members else []
