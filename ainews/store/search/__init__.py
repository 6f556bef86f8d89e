"""Korean full-text search and filtered browsing over the store.

Modules: `query` (a reader's query → quoted backend queries), `aliases` (spellings that mean the
same thing), `facets` (filters, counts, trends), `tables` (the search tables), one module per
backend behind `base.Backend` (`sqlite_fts`, `postgres_fts`, `like`), and `index` (keeping it all
in step with the articles). The tokenizer is passed in: `SearchIndex(store, korean.index_tokens)`.
"""

from ainews.store.search.aliases import alias_groups, tag_key
from ainews.store.search.facets import (
    FACET_KINDS,
    Filters,
    Trend,
    count_articles,
    day_counts,
    facets,
    list_articles,
    trends,
    week_start,
)
from ainews.store.search.index import SearchHit, SearchIndex, summary_text
from ainews.store.search.query import ParsedQuery, Term, Tokenizer, lexemes, parse_query, tsvector_literal

__all__ = [
    "FACET_KINDS", "Filters", "ParsedQuery", "SearchHit", "SearchIndex", "Term", "Tokenizer", "Trend",
    "alias_groups", "count_articles", "day_counts", "facets", "lexemes", "list_articles", "parse_query",
    "summary_text", "tag_key", "trends", "tsvector_literal", "week_start",
]
