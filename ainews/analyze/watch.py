"""Which articles a `[[watch]]` asks about: its terms on Kiwi morpheme boundaries with spellings
folded as search folds them (`OpenAI` = `오픈AI`), or organisations the analysis found.

Matching reuses search's query parsing (store/search: parse_query with the same index tokens, tag_key), so a watch
matches exactly what searching its term would find in the title, subtitles and text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ainews.analyze.korean import index_tokens
from ainews.config import WatchSettings
from ainews.models import Article
from ainews.store import search

BODY_CHARS = 4000  # the lead carries the news; Kiwi time grows with the text
MAX_SPELLING = 40  # characters: longer spellings are never built from morphemes


@dataclass(frozen=True)
class Matcher:
    """A watch compiled once: per term, per word, its folded spellings; the company tag keys."""

    watch: WatchSettings
    terms: tuple[tuple[frozenset[str], ...], ...]  # term → word → spellings (any one will do)
    company_keys: frozenset[str]

    def matches(self, runs: frozenset[str], article: Article) -> bool:
        """`runs`: the article's morpheme runs (see article_runs)."""
        if any(all(word & runs for word in term) for term in self.terms):
            return True
        found = {search.tag_key(c) for c in (article.analysis.companies if article.analysis else [])}
        return bool(found & self.company_keys)


def _spellings(value: str) -> list[search.Term]:
    return search.parse_query(value, index_tokens).terms


def compile_watch(watch: WatchSettings) -> Matcher:
    terms = []
    for value in (t for t in watch.terms if t.strip()):
        words = tuple(frozenset(search.tag_key(s) for s in term.surfaces) - {""} for term in _spellings(value))
        if words and all(words):
            terms.append(words)
    keys = {search.tag_key(c) for c in watch.companies if c.strip()}
    for company in (c for c in watch.companies if c.strip()):
        spelled = _spellings(company)
        if len(spelled) == 1:
            keys |= {search.tag_key(s) for s in spelled[0].surfaces}
    return Matcher(watch, tuple(terms), frozenset(keys - {""}))


def morpheme_runs(tokens: Sequence[str]) -> frozenset[str]:
    """Every run of consecutive content morphemes, concatenated: a spelling matches only whole
    morphemes (메타 is not in 메타버스) however Kiwi split it in context (업+스테이지, 솔+라)."""
    runs: set[str] = set()
    for i in range(len(tokens)):
        joined = ""
        for token in tokens[i:]:
            joined += token
            if len(joined) > MAX_SPELLING:
                break
            runs.add(joined)
    return frozenset(runs)


def article_runs(articles: Sequence[Article]) -> list[frozenset[str]]:
    """Each article's title, subtitles and text as morpheme runs (one Kiwi call for all)."""
    texts = ["\n".join([a.title, *a.subtitles, a.body[:BODY_CHARS]]) for a in articles]
    return [morpheme_runs([search.tag_key(t) for t in tokens]) for tokens in index_tokens(texts)]


def story_key(article: Article) -> str:
    """Alerts are per story: articles of one story alert once; an article with no story is its own."""
    story = article.analysis.story_id if article.analysis else None
    return story or f"article-{article.id}"


def find_matches(matchers: Sequence[Matcher], articles: Sequence[Article]) -> dict[str, dict[str, Article]]:
    """watch name → story key → the first matching article (articles in stored order)."""
    candidates = [a for a in articles if a.analysis is not None]
    empty: frozenset[str] = frozenset()
    runs = article_runs(candidates) if candidates and any(m.terms for m in matchers) else [empty] * len(candidates)
    found: dict[str, dict[str, Article]] = {m.watch.name: {} for m in matchers}
    for article, text in zip(candidates, runs, strict=True):
        for m in matchers:
            if m.watch.ai_only and not (article.analysis and article.analysis.is_ai):
                continue
            if m.matches(text, article):
                found[m.watch.name].setdefault(story_key(article), article)
    return found
