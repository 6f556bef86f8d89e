"""Search quality: 20 fixed Korean queries on the hand-written corpus (ainews/web/devdata.py).

precision@5 = relevant articles in the top 5 / min(5, number of relevant articles), so a query with
two relevant articles scores 1.0 when both are in the top 5. Also prints hit@1 and MRR.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from ainews.store import Store
from ainews.store.search import SearchIndex
from ainews.web.devdata import QUALITY_QUERIES, load_corpus


def evaluate(index: SearchIndex, ids: dict[str, int]) -> list[tuple[str, float, bool, float, list[str]]]:
    """(query, precision@5, hit@1, reciprocal rank, top-5 slugs) per query."""
    slug_of = {v: k for k, v in ids.items()}
    rows = []
    for query, relevant in QUALITY_QUERIES.items():
        top = [slug_of.get(h.article.id or 0, "?") for h in index.search(query, limit=5)]
        precision = sum(s in relevant for s in top) / min(5, len(relevant))
        rank = next((i + 1 for i, s in enumerate(top) if s in relevant), None)
        rows.append((query, precision, bool(top) and top[0] in relevant, 1 / rank if rank else 0.0, top))
    return rows


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(f"sqlite:///{Path(tmp) / 'quality.db'}")
        ids = load_corpus(store)
        index = SearchIndex(store)
        index.sync()
        rows = evaluate(index, ids)
        store.close()
    for query, precision, hit, _rr, top in rows:
        print(f"  {query:<14} p@5={precision:.2f} hit@1={'y' if hit else 'n'}  {', '.join(top)}")
    n = len(rows)
    print(f"search quality: {n} queries, precision@5 = {sum(r[1] for r in rows) / n:.3f}, "
          f"hit@1 = {sum(r[2] for r in rows) / n:.3f}, MRR = {sum(r[3] for r in rows) / n:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
