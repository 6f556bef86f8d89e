"""Pipeline steps that make re-runs safe after an interruption."""

from __future__ import annotations

from datetime import datetime

from ainews import analyze, pipeline
from ainews.analyze.korean import index_tokens
from ainews.config import Settings
from ainews.models import KST, Analysis, Article
from ainews.store import Store
from ainews.store.search import SearchIndex


def test_search_index_catches_up_when_nothing_is_pending(any_db_url: str) -> None:
    """A run killed after saving analyses but before indexing: the next run's analyze step indexes them."""
    store = Store(any_db_url)
    article_id, _ = store.upsert_article(Article(
        url="https://news.example/1", title="카카오, 오픈AI와 협업 방안 공개", body="카카오가 오픈AI와 손잡았다.",
        published_at=datetime(2026, 1, 20, 9, tzinfo=KST)))
    store.save_analysis(article_id, Analysis(relevance=1.0, is_ai=True, companies=["카카오"],
                                             version=analyze.ANALYSIS_VERSION))
    assert pipeline.analyze_pending(store, Settings()) == 0
    hits = SearchIndex(store, index_tokens).search("카카오", limit=5)
    assert [h.article.id for h in hits] == [article_id]
