"""A deterministic multi-host, multi-round template-learning scenario and a dump of everything it
leaves in the store: the golden file (tests/fixtures/templates/refresh_golden.json) was written
by the row-by-row ORM refresh this module's test now compares the bulk refresh against.

Rounds: pages arrive in batches (refresh after each), pages change (counted again), one host's
chrome rotates (digits, a "most read" list), one host is excluded, a quote is shared, some pages
carry an analysis (cleaning must clear it), and old one-off lines are pruned.
Regenerate (only on purpose): `python -m tests.collect.template_scenario > tests/fixtures/templates/refresh_golden.json`
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select

from ainews.collect import templates
from ainews.config import TemplateSettings
from ainews.models import Analysis, Article
from ainews.store.db import Store
from ainews.store.schema import ArticleRow, TemplateHostRow, TemplateLineRow, TemplatePageRow
from tests.support.template_pages import COPYRIGHT, MOST_READ, PROMO, QUOTE, prose

GOLDEN = Path(__file__).resolve().parents[1] / "fixtures" / "templates" / "refresh_golden.json"
HOSTS = ("a.example.kr", "b.example.kr", "c.example.kr", "skip.example.kr")
PRUNE_AFTER = 6  # the scenario's PRUNE_AFTER_PAGES, small enough to prune within a few rounds
START = datetime(2026, 8, 1, 9, 0, tzinfo=UTC)


def scenario_body(host: str, n: int, version: int = 0) -> str:
    """A page of `host`: its chrome (varying by host and page), article prose, sometimes a quote."""
    top = [PROMO] if host != "b.example.kr" or n % 3 else []
    ranks = [f"{i} {host} 인기 기사 {n % 4 + i}" for i in range(1, 4)] if host == "b.example.kr" else MOST_READ[1:]
    note = [f"[{host} 알림] 오늘의 일회성 공지 {n}호입니다"] if n % 5 == 0 else []
    middle = [QUOTE] if n in (4, 9) else []
    text = prose(n * 10 + version)
    if version:
        text = [*text, f"{n}번 기사는 {version}차 수정됐다. 수정 내용은 회사 측 요청에 따른 것이다."]
    bottom = [MOST_READ[0], *ranks] if host != "c.example.kr" or n % 2 else []
    return "\n\n".join([*top, *note, text[0], *middle, *text[1:], *bottom, COPYRIGHT])


def scenario_article(host: str, n: int, version: int = 0) -> Article:
    text = scenario_body(host, n, version)
    analysis = Analysis(relevance=0.9, is_ai=True, version="v-test") if n % 4 == 1 else None
    return Article(url=f"https://{host}/news/{n}", title=f"{host} 기사 {n}", body=text, host=host,
                   published_at=START + timedelta(minutes=7 * n),
                   content_hash=f"{host}-{n}-{version}-{len(text)}", analysis=analysis)


ROUNDS: list[list[tuple[str, int, int]]] = [
    [(h, n, 0) for h in HOSTS for n in (1, 2)],
    [(h, n, 0) for h in HOSTS for n in (3, 4, 5)],
    [("a.example.kr", 2, 1), ("b.example.kr", 6, 0), ("c.example.kr", 6, 0), ("c.example.kr", 7, 0)],
    [(h, n, 0) for h in HOSTS[:3] for n in range(8, 14)],
    [("b.example.kr", 3, 2), ("a.example.kr", 14, 0)],
]


def run_scenario(store: Store) -> list[dict[str, Any]]:
    """Play the rounds against `store`; the report of every refresh."""
    settings = TemplateSettings(exclude_hosts=["skip.example.kr"])
    reports = []
    for batch in ROUNDS:
        for host, n, version in batch:
            store.upsert_article(scenario_article(host, n, version))
        report = templates.refresh_templates(store, settings)
        reports.append({"pages_counted": report.pages_counted, "articles_cleaned": report.articles_cleaned,
                        "lines_removed": report.lines_removed,
                        "new_template_lines": dict(sorted(report.new_template_lines.items()))})
    return reports


def dump(store: Store) -> dict[str, Any]:
    """Every template row and every article body, keyed by URL (not row ids)."""
    with store.session() as s:
        urls = dict(s.execute(select(ArticleRow.id, ArticleRow.url)).all())
        articles = {r.url: {"body": r.body, "analysis_version": r.analysis_version}
                    for r in s.scalars(select(ArticleRow))}
        hosts = {r.host: r.pages for r in s.scalars(select(TemplateHostRow))}
        lines = sorted([r.host, r.line_hash, r.articles, r.first_page, r.is_template, r.text]
                       for r in s.scalars(select(TemplateLineRow)))
        pages = {urls[r.article_id]: {"host": r.host, "content_hash": r.content_hash, "hashes": r.hashes,
                                      "raw_body": r.raw_body, "removed": r.removed}
                 for r in s.scalars(select(TemplatePageRow))}
    return {"articles": dict(sorted(articles.items())), "hosts": dict(sorted(hosts.items())),
            "lines": lines, "pages": dict(sorted(pages.items()))}


def main() -> int:
    import tempfile

    templates.PRUNE_AFTER_PAGES = PRUNE_AFTER
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(f"sqlite:///{tmp}/golden.db")
        reports = run_scenario(store)
        json.dump({"reports": reports, **dump(store)}, sys.stdout, ensure_ascii=False, indent=1, sort_keys=True)
        store.close()
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
