"""Learned site templates: how many pages they need, what they remove, and that no page gets worse.

Real pages: every corpus host with several article pages (donga 6, chosun 5, daum 4, hani 4,
naver 3) is learned page by page in a real SQLite store (`refresh_templates` after each page,
as a collection would). Two extractions are measured:
- "ainews": the extractor as shipped (site rules already drop known chrome);
- "no rule": plain trafilatura (favor_precision) + the boilerplate rules, i.e. what an outlet
  without a site rule gets;
- "whole page": every text line of the page's <body> + the boilerplate rules (no article
  detection at all): real Korean site chrome (menus, footers, most-read boxes) that only the
  templates can remove, the hardest test that no article text is lost.
Reference body per page: the hand-checked full body in tests/fixtures/extract/expected/ where
there is one, else ainews' own body (its bodies match those fixtures at F1 1.000 and pass their
body_start/body_end/junk checks). Reported per host: lines removed, of them real text (in the
reference body), body F1 before → after (character bigrams, as extraction_quality.py) and the
page count at which cleaning starts. Exit 1 if any page's F1 drops.

Synthetic host (truth known): 20 pages with a promo line, a copyright line and a "많이 본 뉴스" box
whose headlines change every 5 pages; quotes that two or three articles share (at the top edge, mid-body,
next to the closing chrome). Swept over min_articles × min_share to justify the defaults.

Speed: 2,000 articles on 20 hosts stored, then one refresh (learn + clean), then an idle refresh.

Run: `.venv/bin/python benchmarks/template_learning.py`.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import trafilatura
from selectolax.lexbor import LexborHTMLParser

from ainews.collect.templates import refresh_templates
from ainews.config import TemplateSettings
from ainews.extract import extract
from ainews.extract.boilerplate import clean_paragraphs
from ainews.extract.html import node_lines
from ainews.models import Article, RawPage
from ainews.store.db import Store
from ainews.text.encoding import decode

sys.path.insert(0, str(Path(__file__).parent))
from extraction_quality import prf, source  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
FAMILIES = ("donga", "chosun", "daum", "hani", "naver")


def corpus_pages() -> dict[str, list[tuple[str, str, str, str]]]:
    """family → [(name, url, ainews body, no-rule body, reference)] for article pages on one host."""
    out: dict[str, list] = defaultdict(list)
    for path in sorted((ROOT / "tests" / "fixtures" / "extract" / "expected").glob("*.json")):
        case = json.loads(path.read_text(encoding="utf-8"))
        file = source(case["file"])
        if case["family"] not in FAMILIES or not case["ok"] or file is None:
            continue
        data = file.read_bytes()
        art = extract(RawPage(url=case["url"], content=data, content_type=case["content_type"]))
        if not art.extraction_ok:
            continue
        text = decode(data, case["content_type"])
        plain = trafilatura.extract(text, favor_precision=True) or ""
        no_rule = "\n\n".join(clean_paragraphs(plain.split("\n")))
        tree = LexborHTMLParser(text).body
        whole = "\n\n".join(clean_paragraphs(node_lines(tree))) if tree is not None else ""
        out[case["family"]].append((path.stem, case["url"], art.body, no_rule, whole, case.get("body") or art.body))
    return out


def learn_incrementally(bodies: list[str], host: str, settings: TemplateSettings) -> list[list[str]]:
    """After each new page: every stored page's body (index k: the bodies after k+1 pages)."""
    history = []
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(f"sqlite:///{tmp}/t.db")
        for k, body in enumerate(bodies):
            store.upsert_article(Article(url=f"https://{host}/a/{k}", title=f"t{k}", body=body, host=host,
                                         content_hash=f"h{k}"))
            refresh_templates(store, settings)
            history.append([a.body for a in store.iter_articles()])
        store.close()
    return history


def removed_lines(before: str, after: str) -> list[str]:
    kept = {ln.strip() for ln in after.split("\n")}
    return [ln.strip() for ln in before.split("\n") if ln.strip() and ln.strip() not in kept]


def corpus_report(settings: TemplateSettings) -> bool:
    print("## Real pages (corpus hosts), learned page by page\n")
    print("| host | mode | pages | lines removed | of them in the reference | F1 before → after (mean) "
          "| worst page ΔF1 | cleaning starts at page |")
    print("|---|---|---|---|---|---|---|---|")
    never_worse = True
    for family, pages in corpus_pages().items():
        for mode, col in (("ainews", 2), ("no rule", 3), ("whole page", 4)):
            bodies = [p[col] for p in pages]
            final = learn_incrementally(bodies, f"{family}.example", settings)
            start = next((k + 1 for k, snap in enumerate(final) if snap != bodies[:k + 1]), None)
            after = final[-1]
            removed = [ln for b, a in zip(bodies, after, strict=True) for ln in removed_lines(b, a)]
            reference = {ln.strip() for p in pages for ln in p[5].split("\n")}
            real = [ln for ln in removed if ln in reference]
            f_before = [prf(b, p[5])[2] for b, p in zip(bodies, pages, strict=True)]
            f_after = [prf(a, p[5])[2] for a, p in zip(after, pages, strict=True)]
            worst = min(a - b for a, b in zip(f_after, f_before, strict=True))
            never_worse &= worst >= -1e-9
            print(f"| {family} | {mode} | {len(pages)} | {len(removed)} | {len(real)} | "
                  f"{sum(f_before) / len(pages):.3f} → {sum(f_after) / len(pages):.3f} | {worst:+.3f} | "
                  f"{start or '—'} |")
    return never_worse


PROMO = "▶ 예시일보 AI 뉴스레터 구독하기"
COPYRIGHT = "Copyright ⓒ 예시일보. 무단 전재 및 재배포 금지."
LEAD_QUOTE = "“인공지능은 결국 사람을 돕는 도구가 돼야 한다.”"
MID_QUOTE = "정부는 “AI 기본법 시행령을 연내에 확정하겠다”고 밝혔다."
END_QUOTE = "“앞으로도 AI 안전 연구에 투자를 늘리겠다”고 그는 말했다."
QUOTES = ((LEAD_QUOTE, (4, 5)), (MID_QUOTE, (9, 10, 11)), (END_QUOTE, (2, 10, 18)))


def synthetic_pages(n: int = 20) -> tuple[list[str], list[set[str]]]:
    """Bodies and, per page, its junk lines (the truth)."""
    bodies, junk = [], []
    for k in range(1, n + 1):
        prose = [f"{k}번째 기사 본문 {i}문단. 기업 {k}-{i}이 새 인공지능 모델을 공개했다고 밝혔다. "
                 f"업계는 이번 발표가 시장에 영향을 줄 것으로 본다." for i in range(3)]
        if k in QUOTES[0][1]:
            prose.insert(0, LEAD_QUOTE)  # two same-day articles open with one quote: at the top edge
        if k in QUOTES[1][1]:
            prose.insert(2, MID_QUOTE)  # three articles in a row quote it, mid-body
        if k in QUOTES[2][1]:
            prose.append(END_QUOTE)  # three articles far apart close with it, next to the chrome
        day = (k - 1) // 5
        box = ["많이 본 뉴스", *[f"{r}. 오늘의 헤드라인 {day}-{r}" for r in range(1, 4)]]
        lines = [PROMO, *prose, *box, COPYRIGHT]
        bodies.append("\n\n".join(lines))
        junk.append({PROMO, COPYRIGHT, *box})
    return bodies, junk


def synthetic_report() -> None:
    bodies, junk = synthetic_pages()
    total_junk = sum(len(j) for j in junk)
    print("\n## Synthetic host: 20 pages, chrome on every page, rotating headlines, shared quotes\n")
    print("| min_articles | min_share | junk removed | real lines removed | quotes kept | cleaning starts at page |")
    print("|---|---|---|---|---|---|")
    for min_articles in (2, 3, 4):
        for min_share in (0.1, 0.3, 0.5, 0.8):
            history = learn_incrementally(bodies, "synthetic.example",
                                          TemplateSettings(min_articles=min_articles, min_share=min_share))
            final = history[-1]
            gone = [set(removed_lines(b, a)) for b, a in zip(bodies, final, strict=True)]
            junk_removed = sum(len(g & j) for g, j in zip(gone, junk, strict=True))
            real_removed = sum(len(g - j) for g, j in zip(gone, junk, strict=True))
            quotes = sum(q in final[k - 1] for q, pages in QUOTES for k in pages)
            start = next((k + 1 for k, snap in enumerate(history) if snap != bodies[:k + 1]), None)
            mark = " (default)" if (min_articles, min_share) == (3, 0.5) else ""
            print(f"| {min_articles}{mark} | {min_share} | {junk_removed}/{total_junk} | {real_removed} | "
                  f"{quotes}/{sum(len(p) for _, p in QUOTES)} | {start or '—'} |")


def speed_report(hosts: int = 20, per_host: int = 100) -> None:
    """Cost of the refresh a collection ends with: storing vs learning + cleaning, per article."""
    bodies, _ = synthetic_pages(per_host)
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(f"sqlite:///{tmp}/t.db")
        started = time.perf_counter()
        for h in range(hosts):
            for k, body in enumerate(bodies):
                store.upsert_article(Article(url=f"https://h{h}.example/a/{k}", title=f"t{k}", body=body,
                                             host=f"h{h}.example", content_hash=f"h{h}-{k}"))
        stored = time.perf_counter()
        report = refresh_templates(store)
        learned = time.perf_counter()
        refresh_templates(store)
        idle = time.perf_counter()
        store.close()
    n = hosts * per_host
    print(f"\n## Speed: {n} articles on {hosts} hosts (SQLite)\n")
    print(f"storing {1000 * (stored - started) / n:.1f} ms/article; first refresh (learn + clean "
          f"{report.articles_cleaned}) {1000 * (learned - stored) / n:.1f} ms/article; "
          f"refresh with nothing new {1000 * (idle - learned):.0f} ms; load average {os.getloadavg()[0]:.1f}")


def main() -> int:
    never_worse = corpus_report(TemplateSettings())
    synthetic_report()
    speed_report()
    print(f"\nno corpus page worse after learning: {'yes' if never_worse else 'NO'}")
    return 0 if never_worse else 1


if __name__ == "__main__":
    sys.exit(main())
