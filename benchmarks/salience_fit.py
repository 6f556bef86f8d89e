"""Fit the organisation-salience model (analyze/salience.py) on the labelled dev set.

Every candidate organisation of every dev article becomes one example (its features; label: is it
in the article's gold `companies`). An L2-regularised logistic regression (Newton steps, numpy)
gives the weights; the threshold is the one with the best company F1 on the same training
documents. `benchmarks/analysis_quality.py --kfold K` fits one model per fold on the other folds
only and scores the held-out fold with it.
Run: `.venv/bin/python benchmarks/salience_fit.py [--write]` (`--write` stores the model fitted on
the whole dev set in ainews/data/salience.toml).
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ainews.analyze import salience
from ainews.analyze.batch import article_from_text, parse_date
from ainews.analyze.entities import MAX_ORGS, candidates
from ainews.analyze.features import prepare
from ainews.analyze.lexicon import norm_key

L2 = 3.0
DATA = Path(salience.__file__).resolve().parents[1] / "data" / "salience.toml"


@dataclass(slots=True)
class Example:
    doc: str
    name: str
    feats: dict[str, float]
    label: bool


def examples(gold: list[dict[str, Any]]) -> tuple[list[Example], dict[str, int]]:
    """Candidate examples of the dev articles, and per article the gold names no candidate covers."""
    docs = prepare([article_from_text(g["text"], g["url"], parse_date(g["date"])) for g in gold])
    out: list[Example] = []
    missed: dict[str, int] = {}
    for g, doc in zip(gold, docs, strict=True):
        want = {norm_key(c) for c in g["companies"]}
        feats = salience.candidate_features(doc, candidates(doc))
        out.extend(Example(g["id"], name, f, norm_key(name) in want) for name, f in feats.items())
        missed[g["id"]] = len(want - {norm_key(n) for n in feats})
    return out, missed


def fit(train: list[Example], missed: dict[str, int], l2: float = L2) -> salience.Model:
    """Logistic weights (Newton's method with an L2 penalty), then the best-F1 threshold."""
    names = salience.FEATURES
    x = np.array([[e.feats.get(k, 0.0) for k in names] + [1.0] for e in train])
    y = np.array([1.0 if e.label else 0.0 for e in train])
    w = np.zeros(x.shape[1])
    penalty = np.eye(x.shape[1]) * l2
    penalty[-1, -1] = 0.0  # the bias is not shrunk
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-np.clip(x @ w, -30, 30)))
        grad = x.T @ (p - y) + penalty @ w
        hess = (x.T * (p * (1 - p))) @ x + penalty
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-6:
            break
    model = salience.Model({k: round(float(v), 4) for k, v in zip(names, w[:-1], strict=True)},
                           round(float(w[-1]), 4), 0.5)
    model.threshold = best_threshold(train, missed, model)
    return model


def best_threshold(train: list[Example], missed: dict[str, int], model: salience.Model) -> float:
    docs = {e.doc for e in train}
    fn0 = sum(v for d, v in missed.items() if d in docs)
    scored = [(model.probability(e.feats), e) for e in train]
    best = (-1.0, 0.5)
    for t in [i / 100 for i in range(10, 91, 2)]:
        kept = _top(scored, t)
        tp = sum(1 for e in kept if e.label)
        fp = len(kept) - tp
        fn = fn0 + sum(1 for _, e in scored if e.label) - tp
        f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
        best = max(best, (f1, t))
    return best[1]


def _top(scored: list[tuple[float, Example]], threshold: float) -> list[Example]:
    per_doc: dict[str, list[tuple[float, Example]]] = {}
    for p, e in scored:
        if p >= threshold:
            per_doc.setdefault(e.doc, []).append((p, e))
    return [e for items in per_doc.values() for _, e in sorted(items, key=lambda pe: -pe[0])[:MAX_ORGS]]


def write(model: salience.Model) -> None:
    """Store the model in salience.toml's [model] table (the rest of the file is kept)."""
    text = DATA.read_text(encoding="utf-8")
    weights = ", ".join(f"{k} = {v}" for k, v in model.weights.items())
    text = re.sub(r"(?m)^threshold = .*$", f"threshold = {model.threshold}", text)
    text = re.sub(r"(?m)^bias = .*$", f"bias = {model.bias}", text)
    text = re.sub(r"(?m)^weights = .*$", f"weights = {{ {weights} }}", text)
    DATA.write_text(text, encoding="utf-8")


def main() -> None:
    from analysis_quality import DEV, load  # noqa: PLC0415 - same folder, run as a script

    if not DEV.is_file():
        print(f"skip: {DEV} not present")
        return
    ex, missed = examples(load())
    model = fit(ex, missed)
    print(f"{len(ex)} candidates, {sum(e.label for e in ex)} gold; threshold {model.threshold}, bias {model.bias}")
    for k, v in sorted(model.weights.items(), key=lambda kv: -abs(kv[1])):
        print(f"  {k:14} {v:+.3f}")
    if "--write" in sys.argv:
        write(model)
        print(f"written to {DATA}")


if __name__ == "__main__":
    main()
