"""Extraction quality: ainews `extract()` vs plain trafilatura on every page with an expected output.

Body metric: precision/recall/F1 over character bigrams (whitespace removed; multiset overlap), on
the hand-checked full bodies in tests/fixtures/extract/expected/*.json, per site family.
Metadata: title exact match, date accuracy (ainews: exact instant; both: same KST day) and
publisher accuracy over every expected page the gate should pass. Trafilatura gets the text we
decoded (given raw bytes it mis-guesses Korean encodings) and default settings; its metadata comes
from `trafilatura.extract_metadata` (sitename as publisher).
Run: `.venv/bin/python benchmarks/extraction_quality.py`; `--generic` adds every fixture check per
field for ainews with rules, the generic path (rules off), leave-one-site-out and trafilatura
(benchmarks/extraction_checks.py); `--misses` lists the failed checks.
"""

from __future__ import annotations

import json
import sys
from collections import Counter, defaultdict
from datetime import datetime
from pathlib import Path

import trafilatura

from ainews.extract import extract
from ainews.models import KST, RawPage
from ainews.text.encoding import decode

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
FIXTURES = ROOT / "tests" / "fixtures" / "extract"


def bigrams(text: str) -> Counter[str]:
    s = "".join(text.split())
    return Counter(s[i:i + 2] for i in range(len(s) - 1))


def prf(pred: str, gold: str) -> tuple[float, float, float]:
    p, g = bigrams(pred), bigrams(gold)
    overlap = sum((p & g).values())
    precision = overlap / max(1, sum(p.values()))
    recall = overlap / max(1, sum(g.values()))
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def source(rel: str) -> Path | None:
    path = FIXTURES / rel.split(":", 1)[1] if rel.startswith("fixture:") else SHARED / rel
    return path if path.exists() else None


def trafilatura_run(text: str) -> tuple[str, str, str | None, str | None]:
    body = trafilatura.extract(text) or ""
    meta = trafilatura.extract_metadata(text)
    return (body, (meta.title or "") if meta else "", (meta.date if meta else None),
            (meta.sitename if meta else None))


def main() -> int:
    cases = [json.loads(p.read_text(encoding="utf-8")) | {"name": p.stem}
             for p in sorted((FIXTURES / "expected").glob("*.json"))]
    if "--generic" in sys.argv:
        return generic_mode(cases)
    fam_scores: dict[str, dict[str, list[tuple[float, float, float]]]] = defaultdict(lambda: defaultdict(list))
    counts: Counter[str] = Counter()
    gate = Counter()
    for case in cases:
        path = source(case["file"])
        if path is None:
            continue
        data = path.read_bytes()
        art = extract(RawPage(url=case["url"] or str(path), content=data, content_type=case["content_type"]))
        gate["right" if art.extraction_ok == case["ok"] else "wrong"] += 1
        t_body, t_title, t_date, t_site = trafilatura_run(decode(data, case["content_type"]))
        if case.get("body"):
            fam = case["family"]
            fam_scores[fam]["ainews"].append(prf(art.body, case["body"]))
            fam_scores[fam]["trafilatura"].append(prf(t_body, case["body"]))
        if not case["ok"]:
            continue
        counts["pages"] += 1
        counts["title_ainews"] += art.title == case["title"]
        counts["title_traf"] += t_title.strip() == case["title"]
        counts["pub_ainews"] += art.publisher == case["publisher"]
        counts["pub_traf"] += (t_site or "").strip() == case["publisher"]
        if case["published_at"]:
            gold = datetime.fromisoformat(case["published_at"])
            counts["dated"] += 1
            counts["date_exact_ainews"] += art.published_at == gold
            counts["date_day_ainews"] += bool(art.published_at) and art.published_at.astimezone(KST).date() == \
                gold.astimezone(KST).date()
            counts["date_day_traf"] += (t_date or "") == gold.astimezone(KST).date().isoformat()
    print("## Extraction quality (body: character-bigram P/R/F1 on hand-checked full bodies)\n")
    print("| family | pages | ainews P | ainews R | ainews F1 | trafilatura P | trafilatura R | trafilatura F1 |")
    print("|---|---|---|---|---|---|---|---|")
    all_scores: dict[str, list[tuple[float, float, float]]] = defaultdict(list)
    for fam in sorted(fam_scores):
        row = [fam, str(len(fam_scores[fam]["ainews"]))]
        for who in ("ainews", "trafilatura"):
            scores = fam_scores[fam][who]
            all_scores[who].extend(scores)
            row += [f"{sum(s[i] for s in scores) / len(scores):.3f}" for i in range(3)]
        print("| " + " | ".join(row) + " |")
    row = ["**all**", str(len(all_scores["ainews"]))]
    for who in ("ainews", "trafilatura"):
        row += [f"**{sum(s[i] for s in all_scores[who]) / max(1, len(all_scores[who])):.3f}**" for i in range(3)]
    print("| " + " | ".join(row) + " |")
    n, d = counts["pages"], max(1, counts["dated"])
    print(f"\n| metadata ({n} article pages, {counts['dated']} with a date) | ainews | trafilatura |")
    print("|---|---|---|")
    print(f"| title exact match | {counts['title_ainews'] / n:.3f} | {counts['title_traf'] / n:.3f} |")
    print(f"| date: same KST day | {counts['date_day_ainews'] / d:.3f} | {counts['date_day_traf'] / d:.3f} |")
    print(f"| date: exact instant | {counts['date_exact_ainews'] / d:.3f} | n/a (day only) |")
    print(f"| publisher (original outlet) | {counts['pub_ainews'] / n:.3f} | {counts['pub_traf'] / n:.3f} |")
    total = gate["right"] + gate["wrong"]
    print(f"\nquality gate agrees with the expected ok/junk label on {gate['right']}/{total} pages")
    dev_set()
    return 0


def generic_mode(cases: list[dict]) -> int:
    """Per-field checks: with rules vs generic vs leave-one-site-out vs trafilatura."""
    sys.path.insert(0, str(ROOT))
    from benchmarks.extraction_checks import report, run_all

    pages = []
    for case in cases:
        path = source(case["file"])
        if path is not None:
            pages.append((case, RawPage(url=case["url"] or str(path), content=path.read_bytes(),
                                        content_type=case["content_type"])))
    report(run_all(pages, prf), verbose="--misses" in sys.argv)
    return 0


def dev_set() -> None:
    """Text captures labelled by someone else: ../shared/corpus/labelled/analysis_dev.jsonl (excerpts
    of real pages, often cut mid-article). Title and outlet labels are independent of this code."""
    path = SHARED / "corpus" / "labelled" / "analysis_dev.jsonl"
    if not path.exists():
        return
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    n = Counter()
    for row in rows:
        art = extract(RawPage(url=row["url"], content=row["text"].encode(), content_type="text/plain"))
        n["docs"] += 1
        n["ok"] += art.extraction_ok
        if row.get("title"):
            n["titled"] += 1
            n["title"] += art.title.strip() == row["title"].strip()
        if art.extraction_ok:
            n["publisher"] += art.publisher == row.get("outlet")
    print(f"\n| labelled dev set: {n['docs']} text captures (independent labels) | ainews |")
    print("|---|---|")
    print(f"| passed the gate | {n['ok']}/{n['docs']} |")
    print(f"| title exact match (docs with a labelled title) | {n['title']}/{n['titled']} |")
    print(f"| publisher = labelled outlet (gated docs; labels include blogs/reposts) | {n['publisher']}/{n['ok']} |")


if __name__ == "__main__":
    sys.exit(main())
