"""Every check a corpus fixture makes, counted per field, for three extractors: ainews with its site
rules, the generic path alone (rules off), the generic path leave-one-site-out (rules off and the
boilerplate entries tagged with the page's own site switched off), and plain trafilatura.

Run: `.venv/bin/python benchmarks/extraction_quality.py --generic` (or this file; benchmarks/run_all.py
runs it).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

import trafilatura

from ainews.extract import extract
from ainews.extract.boilerplate import held_out
from ainews.extract.meta import clean_reporter
from ainews.extract.rules import rules_disabled
from ainews.models import Article, RawPage
from ainews.text.dates import parse_date
from ainews.text.encoding import decode

FIELDS = ("gate", "title", "date/time", "publisher", "reporters", "subtitles", "body start", "body end",
          "must-exclude")


@dataclass
class Tally:
    """Passed / total per field, plus body F1 over the pages with a hand-checked full body."""

    passed: Counter[str] = field(default_factory=Counter)
    total: Counter[str] = field(default_factory=Counter)
    f1: list[float] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)

    def add(self, name: str, key: str, ok: bool) -> None:
        self.total[key] += 1
        self.passed[key] += bool(ok)
        if not ok:
            self.misses.append(f"{name}: {key}")

    def share(self, key: str | None = None) -> float:
        if key is None:
            return sum(self.passed.values()) / max(1, sum(self.total.values()))
        return self.passed[key] / max(1, self.total[key])


def squeeze(text: str) -> str:
    return "".join(text.split())


def site_of(case: dict) -> str:
    """The site a fixture belongs to, for leave-one-site-out ("hani-list" and "hani" are one site)."""
    fam = case["family"]
    return {"text-capture": "seeds", "chardet-cp949-nocharset": "chardet"}.get(fam, fam.split("-")[0])


def score(tally: Tally, case: dict, art: Article, prf: Callable[[str, str], tuple[float, float, float]]) -> None:
    """Add one page's checks (the same ones tests/extract/test_extract_corpus.py asserts)."""
    name = case["name"]
    tally.add(name, "gate", art.extraction_ok is case["ok"])
    if not case["ok"]:
        return
    gold = datetime.fromisoformat(case["published_at"]) if case["published_at"] else None
    tally.add(name, "title", art.title == case["title"])
    tally.add(name, "date/time", art.published_at == gold)
    tally.add(name, "publisher", art.publisher == case["publisher"])
    tally.add(name, "reporters", art.reporters == case["reporters"])
    tally.add(name, "subtitles", art.subtitles == case["subtitles"])
    paragraphs = art.body.split("\n\n")
    tally.add(name, "body start", squeeze(paragraphs[0]).startswith(squeeze(case["body_start"])))
    tally.add(name, "body end", squeeze(paragraphs[-1]).endswith(squeeze(case["body_end"])))
    for junk in case["junk"]:
        tally.add(name, "must-exclude", junk not in art.body)
    if case.get("body"):
        tally.f1.append(prf(art.body, case["body"])[2])


def trafilatura_article(raw: RawPage) -> Article:
    """What plain trafilatura says, in Article form (sitename as publisher, author as reporters)."""
    text = decode(raw.content, raw.content_type)
    body = trafilatura.extract(text) or ""
    meta = trafilatura.extract_metadata(text)
    when = parse_date(meta.date) if meta and meta.date else None
    paragraphs = [p.strip() for p in body.splitlines() if p.strip()]
    return Article(url=raw.url, title=(meta.title or "") if meta else "", body="\n\n".join(paragraphs),
                   publisher=(meta.sitename if meta else None),
                   reporters=clean_reporter(meta.author or "") if meta else [], published_at=when,
                   extraction_ok=len(body) >= 150)


def run_all(cases: list[tuple[dict, RawPage]], prf: Callable[[str, str], tuple[float, float, float]]
            ) -> dict[str, Tally]:
    tallies = {k: Tally() for k in ("with rules", "generic", "generic, leave-one-site-out", "trafilatura")}
    for case, raw in cases:
        score(tallies["with rules"], case, extract(raw), prf)
        with rules_disabled():
            score(tallies["generic"], case, extract(raw), prf)
            with held_out(site_of(case)):
                score(tallies["generic, leave-one-site-out"], case, extract(raw), prf)
        score(tallies["trafilatura"], case, trafilatura_article(raw), prf)
    return tallies


def report(tallies: dict[str, Tally], verbose: bool = False) -> None:
    names = list(tallies)
    print("\n## Every corpus fixture check, per field (generic = site rules switched off)\n")
    print("| field | checks | " + " | ".join(names) + " |")
    print("|---|---|" + "---|" * len(names))
    first = tallies[names[0]]
    for key in FIELDS:
        row = [key, str(first.total[key])] + [f"{t.share(key):.3f}" for t in tallies.values()]
        print("| " + " | ".join(row) + " |")
    row = ["**all checks**", str(sum(first.total.values()))] + [f"**{t.share():.3f}**" for t in tallies.values()]
    print("| " + " | ".join(row) + " |")
    row = ["body F1 (full bodies)", str(len(first.f1))] + [
        f"{sum(t.f1) / max(1, len(t.f1)):.3f}" for t in tallies.values()]
    print("| " + " | ".join(row) + " |")
    if verbose:
        for name, t in tallies.items():
            print(f"\nmisses, {name}: " + ", ".join(t.misses))


if __name__ == "__main__":
    import subprocess
    import sys
    from pathlib import Path

    script = Path(__file__).with_name("extraction_quality.py")
    sys.exit(subprocess.call([sys.executable, str(script), "--generic"]))
