"""Extraction speed: pages/second of ainews `extract()` vs trafilatura alone, in one run.

Both get the same pages (../shared/corpus/html, seeds 001-004, the hand-made ND소프트 page);
trafilatura gets text we decoded (default settings), ainews gets the raw bytes (it decodes itself).
Each engine runs every page REPEAT times after one warm-up pass; the best of ROUNDS is reported.
Goal: ainews ≤ 1.5× trafilatura's time per page. Run: `.venv/bin/python benchmarks/extraction_speed.py`.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

import trafilatura

from ainews.extract import extract
from ainews.extract.rules import rules_disabled
from ainews.models import RawPage
from ainews.text.encoding import decode

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
REPEAT, ROUNDS = 3, 3


def pages() -> list[tuple[str, bytes, str]]:
    out = [(p.name, p.read_bytes(), "") for p in sorted((SHARED / "corpus" / "html").glob("*.html"))]
    out += [(p.name, p.read_bytes(), "text/plain") for p in sorted((SHARED / "seeds").glob("00[1-9]_*.txt"))]
    out.append(("ndsoft", (ROOT / "tests/fixtures/extract/html/ndsoft-aitimes.html").read_bytes(), "text/html"))
    return out


def best_time(fn: Callable[[], object]) -> float:
    fn()
    best = float("inf")
    for _ in range(ROUNDS):
        start = time.perf_counter()
        for _ in range(REPEAT):
            fn()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> int:
    items = pages()
    if len(items) < 2:
        print("../shared corpus not present: nothing to time")
        return 0
    decoded = [(decode(data, ctype)) for _, data, ctype in items]
    raws = [RawPage(url=name, content=data, content_type=ctype) for name, data, ctype in items]
    t_ainews = best_time(lambda: [extract(r) for r in raws])
    with rules_disabled():
        t_generic = best_time(lambda: [extract(r) for r in raws])
    t_traf = best_time(lambda: [trafilatura.extract(t) for t in decoded])
    t_decode = best_time(lambda: [decode(data, ctype) for _, data, ctype in items])
    n = len(items) * REPEAT
    mb = sum(len(d) for _, d, _ in items) / 1e6
    print(f"## Extraction speed ({len(items)} pages, {mb:.1f} MB, x{REPEAT}, best of {ROUNDS})\n")
    print("| engine | ms/page | pages/s |")
    print("|---|---|---|")
    print(f"| ainews extract() (bytes → Article, incl. decoding) | {t_ainews / n * 1000:.1f} | {n / t_ainews:.1f} |")
    print(f"| ainews, site rules off (every HTML page on the generic path) | {t_generic / n * 1000:.1f} | "
          f"{n / t_generic:.1f} |")
    print(f"| trafilatura.extract (decoded text → body) | {t_traf / n * 1000:.1f} | {n / t_traf:.1f} |")
    print(f"| (decoding alone) | {t_decode / n * 1000:.1f} | {n / t_decode:.1f} |")
    print(f"\nainews / trafilatura time per page: {t_ainews / t_traf:.2f}x (goal ≤ 1.5x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
