"""Summary quality on ../shared/corpus/labelled/summary_dev.jsonl: ROUGE against editor subtitles (부제).

Each article is summarized without its reference lines; ROUGE-1/2/L recall and F1 are computed on
Kiwi content morphemes. Systems: title-as-summary (the seed system), lead-3, plain TextRank and
ainews' extractive summarizer. Prints a Markdown table, the average length and the speed.

Usage: .venv/bin/python benchmarks/summary_quality.py [--dev PATH] [--per-doc]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ainews.analyze import korean
from ainews.analyze.summarize import extractive_summary, similarity_matrix, textrank, tfidf_vectors
from ainews.models import Article

DEV = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus" / "labelled" / "summary_dev.jsonl"
ROUGE_TAGS = korean.CONTENT_TAGS


def rouge_n(ref: Sequence[str], hyp: Sequence[str], n: int) -> tuple[float, float]:
    """(recall, F1) of n-gram overlap."""
    r = Counter(tuple(ref[i:i + n]) for i in range(len(ref) - n + 1))
    h = Counter(tuple(hyp[i:i + n]) for i in range(len(hyp) - n + 1))
    hit = sum((r & h).values())
    rec = hit / max(1, sum(r.values()))
    prec = hit / max(1, sum(h.values()))
    return rec, (2 * rec * prec / (rec + prec) if hit else 0.0)


def lcs(a: Sequence[str], b: Sequence[str]) -> int:
    prev = [0] * (len(b) + 1)
    for x in a:
        cur = [0]
        for j, y in enumerate(b):
            cur.append(prev[j] + 1 if x == y else max(prev[j + 1], cur[j]))
        prev = cur
    return prev[-1]


def rouge_l(ref: Sequence[str], hyp: Sequence[str]) -> tuple[float, float]:
    hit = lcs(ref, hyp)
    rec, prec = hit / max(1, len(ref)), hit / max(1, len(hyp))
    return rec, (2 * rec * prec / (rec + prec) if hit else 0.0)


@dataclass
class Scores:
    values: dict[str, list[float]] = field(default_factory=dict)
    chars: list[int] = field(default_factory=list)
    seconds: float = 0.0

    def add(self, ref: list[str], hyp: list[str], chars: int) -> None:
        pairs = {"R1": rouge_n(ref, hyp, 1), "R2": rouge_n(ref, hyp, 2), "RL": rouge_l(ref, hyp)}
        for name, (rec, f1) in pairs.items():
            self.values.setdefault(name + " rec", []).append(rec)
            self.values.setdefault(name + " F1", []).append(f1)
        self.chars.append(chars)

    def mean(self, key: str) -> float:
        vals = self.values.get(key, [])
        return sum(vals) / max(1, len(vals))


def title_system(doc: dict) -> list[str]:
    return [doc["title"]] if doc.get("title") else []


def lead3_system(doc: dict) -> list[str]:
    return korean.split_sentences(doc["body"])[:3]


def textrank_system(doc: dict) -> list[str]:
    """Plain TextRank: all Kiwi sentences, morpheme TF-IDF cosine graph, top 3 in original order."""
    sents = korean.split_sentences(doc["body"])
    if not sents:
        return []
    scores = textrank(similarity_matrix(tfidf_vectors(korean.morphemes_batch(sents))))
    top = sorted(sorted(range(len(sents)), key=lambda i: (-scores[i], i))[:3])
    return [sents[i] for i in top]


def ainews_system(doc: dict) -> list[str]:
    article = Article(url=doc.get("url") or doc["id"], title=doc.get("title") or "", body=doc["body"])
    return extractive_summary(article, 3, 160)


SYSTEMS: dict[str, Callable[[dict], list[str]]] = {
    "title (seed system)": title_system,
    "lead-3": lead3_system,
    "TextRank": textrank_system,
    "ainews extractive": ainews_system,
}


def evaluate(docs: list[dict], per_doc: bool = False) -> dict[str, Scores]:
    refs = korean.morphemes_batch([" ".join(d["reference"]) for d in docs], ROUGE_TAGS)
    results: dict[str, Scores] = {}
    for name, system in SYSTEMS.items():
        scores = Scores()
        start = time.perf_counter()
        outputs = [system(d) for d in docs]
        scores.seconds = time.perf_counter() - start
        hyps = korean.morphemes_batch([" ".join(o) for o in outputs], ROUGE_TAGS)
        for doc, ref, hyp, out in zip(docs, refs, hyps, outputs, strict=True):
            scores.add(ref, hyp, sum(len(s) for s in out))
            if per_doc and name == "ainews extractive":
                print(f"{doc['id']} RL={rouge_l(ref, hyp)[0]:.2f} ref={doc['reference']} hyp={out}")
        results[name] = scores
    return results


def table(results: dict[str, Scores], label: str, n: int) -> str:
    cols = ["R1 rec", "R1 F1", "R2 rec", "R2 F1", "RL rec", "RL F1"]
    lines = [f"\n{label} ({n} articles)\n",
             "| system | " + " | ".join(cols) + " | avg chars | articles/s |",
             "|---" * (len(cols) + 3) + "|"]
    for name, s in results.items():
        speed = n / s.seconds if s.seconds else float("inf")
        lines.append(f"| {name} | " + " | ".join(f"{s.mean(c):.3f}" for c in cols)
                     + f" | {sum(s.chars) / max(1, len(s.chars)):.0f} | {speed:.0f} |")
    return "\n".join(lines)


def goal(results: dict[str, Scores]) -> str:
    ours = results["ainews extractive"]
    rl = ours.mean("RL rec")
    avg = sum(ours.chars) / max(1, len(ours.chars))
    checks = {
        "avg length <= 350": avg <= 350,
        "RL rec > lead-3": rl > results["lead-3"].mean("RL rec"),
        "RL rec > TextRank": rl > results["TextRank"].mean("RL rec"),
        "RL rec >= 2 x title": rl >= 2 * results["title (seed system)"].mean("RL rec"),
    }
    return "  ".join(f"{k}: {'PASS' if v else 'FAIL'}" for k, v in checks.items())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dev", type=Path, default=DEV)
    parser.add_argument("--per-doc", action="store_true")
    args = parser.parse_args(argv)
    if not args.dev.is_file():
        print(f"summary_quality: {args.dev} not present, skipped")
        return 0
    docs = [json.loads(line) for line in args.dev.read_text(encoding="utf-8").splitlines() if line.strip()]
    korean.kiwi()  # build Kiwi before timing
    results = evaluate(docs, args.per_doc)
    print(table(results, "All articles (title-as-summary scores 0 where the excerpt has no title)", len(docs)))
    print("goal (all):", goal(results))
    titled = [d for d in docs if d.get("title")]
    results_t = evaluate(titled)
    print(table(results_t, "Articles whose title is known", len(titled)))
    print("goal (titled):", goal(results_t))
    return 0


if __name__ == "__main__":
    sys.exit(main())
