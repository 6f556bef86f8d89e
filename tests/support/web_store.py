"""A real store (SQLite file or PostgreSQL database) with the Korean corpus plus hostile items for escaping."""

from __future__ import annotations

from pathlib import Path

from ainews.store import Store
from tests.support.devdata import CORPUS, Doc, load_corpus

# Titles, summaries and bodies an attacker controls: they must come out escaped everywhere.
HOSTILE = [
    Doc("xss-title", "2026-01-20 17:00", "<b>악성언론</b>", "제품·서비스", ("<img src=x onerror=alert(1)>",),
        ("<b>해커</b>",), None,
        "<script>alert('xss')</script> 해킹 보안 점검",
        ("<img src=x onerror=alert(2)> 요약입니다.",),
        "본문에 <iframe src=javascript:alert(3)></iframe> 태그와 \"따옴표\" & 앰퍼샌드가 있다. 해킹 AI 보안."),
]


def build_store(where: Path | str, hostile: bool = True) -> tuple[Store, dict[str, int]]:
    """A store at `where` (a SQLite file path or a database URL) with the corpus; returns it and the
    article id per slug."""
    store = Store(where if isinstance(where, str) else f"sqlite:///{where}")
    ids = load_corpus(store, CORPUS + (HOSTILE if hostile else []))
    if hostile:
        from ainews.store.schema import ArticleRow

        with store.session() as s:  # a stored link that is not http(s) must never become an href
            row = s.get(ArticleRow, ids["xss-title"])
            assert row is not None
            row.url = "javascript:alert('url')"
    return store, ids
