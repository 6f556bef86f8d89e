"""Analysis: relevance, category, topics, companies, duplicates, stories and ranking.

Interface used by the pipeline:
- `ANALYSIS_VERSION`: stored with every result; bump it and articles are analyzed again.
- `analyze_batch(articles, context, stories, settings) -> (analyses by article id, stories)`:
  `articles` need analysis; `context` are already analyzed neighbours in the story window;
  `stories` are existing stories (ids are stable across runs). Summaries are filled in later
  by the pipeline (analyze/summarize.py), so returned analyses have empty `summary`.
  The returned stories are the ones touched (new or grown), with all their members.
- `rank_items(items, previous_story_ids) -> items` in digest order (repeats dropped, updates marked).
- `category_emoji(name)`: the digest line's emoji for a category from taxonomy.toml.
- `analyze_jsonl(lines, settings)`: the `ainews analyze INPUT.jsonl --format jsonl` batch interface.

All Korean text goes through `korean.py` in one batched Kiwi call per run (features.prepare).
"""

from __future__ import annotations

from datetime import datetime

from ainews.analyze.batch import analyze_jsonl
from ainews.analyze.cluster import cluster_stories, find_duplicates
from ainews.analyze.entities import rank_organisations
from ainews.analyze.features import Doc, prepare
from ainews.analyze.lexicon import category_emoji
from ainews.analyze.names import unify_groups
from ainews.analyze.rank import rank_items
from ainews.analyze.relevance import score_relevance
from ainews.analyze.stories import assign, completeness
from ainews.analyze.taxonomy import categorize, topic_tags
from ainews.config import Settings
from ainews.models import Analysis, Article, Story

ANALYSIS_VERSION = "1.3"

__all__ = ["ANALYSIS_VERSION", "analyze_batch", "analyze_jsonl", "category_emoji", "rank_items"]


def _primary_key(doc: Doc) -> tuple:
    published = doc.article.published_at
    stamp = published.timestamp() if published else float("inf")
    return (*completeness(doc), stamp, doc.article.key)  # the key, not the row id: same in every store


def _base_analysis(doc: Doc, threshold: float) -> Analysis:
    rel = score_relevance(doc)
    category, _ = categorize(doc)
    orgs = [name for name, _ in rank_organisations(doc)]
    reasons = list(rel.reasons)
    if orgs:
        reasons.append("기관: " + ", ".join(orgs[:4]))
    return Analysis(relevance=rel.score, is_ai=rel.score >= threshold, reasons=reasons, category=category,
                    topics=topic_tags(doc), companies=orgs, version=ANALYSIS_VERSION)


def analyze_batch(
    articles: list[Article], context: list[Article], stories: list[Story], settings: Settings
) -> tuple[dict[int, Analysis], list[Story]]:
    """Analyse new articles, join them to existing stories where they belong (see module doc)."""
    threshold = settings.analysis.relevance_threshold
    new = [a for a in articles if a.id is not None]
    known_ids = {a.id for a in new}
    ctx = [a for a in context if a.id not in known_ids]
    docs = prepare(new + ctx)
    new_idx = set(range(len(new)))
    analyses: dict[int, Analysis] = {}
    is_ai: dict[int, bool] = {}
    for doc in docs:
        if doc.index in new_idx:
            analyses[doc.index] = _base_analysis(doc, threshold)
            is_ai[doc.index] = analyses[doc.index].is_ai
        else:
            stored = doc.article.analysis
            is_ai[doc.index] = stored.is_ai if stored else score_relevance(doc).score >= threshold
    dups = find_duplicates(docs, _primary_key)
    ai_docs = [d for d in docs if is_ai[d.index] and d.index not in dups]
    orgs = {d.index: (analyses[d.index].companies if d.index in analyses else
                      (d.article.analysis.companies if d.article.analysis else [])) for d in ai_docs}
    dates: dict[int, datetime | None] = {d.index: d.article.published_at for d in docs}
    groups = cluster_stories(ai_docs, orgs, float(settings.analysis.story_window_hours), dates)
    cluster_of = {i: g for g in groups for i in g}
    for dup, primary in dups.items():
        if is_ai[dup] and primary in cluster_of:
            cluster_of[primary].append(dup)
        elif is_ai[dup]:
            groups.append([dup])
    by_index = {d.index: d for d in docs}
    story_of = assign([[by_index[i] for i in g] for g in groups], {s.id: s for s in stories}, new_idx)
    named = {i: analyses[i].companies for i in analyses} | {i: orgs[i] for i in orgs if i not in analyses}
    unify_groups(groups, by_index, named)
    for i, analysis in analyses.items():
        analysis.companies = named[i]
    result: dict[int, Analysis] = {}
    for idx, analysis in analyses.items():
        article = docs[idx].article
        if idx in dups:
            analysis.duplicate_of = docs[dups[idx]].article.id
            analysis.reasons.append(f"중복: {docs[dups[idx]].article.url}")
        if idx in story_of and analysis.is_ai:
            analysis.story_id = story_of[idx].id
        result[article.id] = analysis  # type: ignore[index]
    touched = {s.id: s for s in story_of.values()}
    return result, list(touched.values())
