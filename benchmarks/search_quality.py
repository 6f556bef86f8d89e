"""Search quality: 20 fixed Korean queries on the hand-written corpus (tests/support/devdata.py).

precision@5 = relevant articles in the top 5 / min(5, number of relevant articles), so a query with
two relevant articles scores 1.0 when both are in the top 5. Also prints hit@1 and MRR.
Runs on SQLite (FTS5); with AINEWS_BENCH_PG_URL=postgresql+psycopg://… (an empty database) also on
PostgreSQL (tsvector).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests.support: scaffolding shared with the tests

from ainews.analyze.korean import index_tokens  # noqa: E402
from ainews.store import Store  # noqa: E402
from ainews.store.search import SearchIndex  # noqa: E402
from tests.support.devdata import QueryResult, evaluate_search, load_corpus  # noqa: E402


def evaluate(url: str) -> list[QueryResult]:
    store = Store(url)
    ids = load_corpus(store)
    index = SearchIndex(store, index_tokens)
    index.sync()
    rows = evaluate_search(lambda q, n: [h.article.id or 0 for h in index.search(q, n)], ids)
    store.close()
    return rows


def show(backend: str, rows: list[QueryResult]) -> None:
    for r in rows:
        print(f"  {r.query:<14} p@5={r.precision:.2f} hit@1={'y' if r.hit_at_1 else 'n'}  {', '.join(r.top)}")
    n = len(rows)
    print(f"search quality ({backend}): {n} queries, precision@5 = {sum(r.precision for r in rows) / n:.3f}, "
          f"hit@1 = {sum(r.hit_at_1 for r in rows) / n:.3f}, MRR = {sum(r.reciprocal_rank for r in rows) / n:.3f}")


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        show("SQLite FTS5", evaluate(f"sqlite:///{Path(tmp) / 'quality.db'}"))
    if url := os.environ.get("AINEWS_BENCH_PG_URL"):
        show("PostgreSQL tsvector", evaluate(url))
    return 0


if __name__ == "__main__":
    sys.exit(main())
