"""Analysis quality on the labelled dev set (../shared/corpus/labelled/analysis_dev.jsonl).

Prints relevance accuracy/precision/recall, company precision/recall/F1, story pairwise
precision/recall/F1 and adjusted Rand index, and duplicate precision/recall, for the whole set
and for two halves split by story (a held-out-style check: rules tuned on one half should hold
on the other). `--noise N` adds N articles recombined from the summary dev set's sentences, dated
within the story window of dev articles, and scores the dev articles only: the check that story
blocking in a big, dense batch keeps the quality of a small one.
`--kfold K` splits by story into K folds; per fold the organisation-salience model is fitted
(benchmarks/salience_fit.py) and the settings in `tuning_grid()` are chosen on the other K-1 folds,
then scored on the held-out one. Kiwi's work is done once and reused across grid points.
Run: `.venv/bin/python benchmarks/analysis_quality.py [--errors] [--noise N] [--kfold K]`.
"""

from __future__ import annotations

import hashlib
import json
import random
import sys
from collections import Counter
from datetime import datetime, timedelta
from itertools import combinations
from math import comb
from pathlib import Path
from typing import Any

from ainews.analyze.batch import analyze_records
from ainews.config import Settings

DEV = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus" / "labelled" / "analysis_dev.jsonl"
NOISE_SOURCE = DEV.with_name("summary_dev.jsonl")


def load() -> list[dict[str, Any]]:
    return [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines() if line.strip()]


def predict(gold: list[dict[str, Any]], noise: int = 0) -> dict[str, dict[str, Any]]:
    records = [{"id": g["id"], "text": g["text"], "url": g["url"], "published_at": g["date"]} for g in gold]
    return {out["id"]: out for out in analyze_records(records + noise_records(gold, noise), Settings())}


def noise_records(gold: list[dict[str, Any]], n: int, seed: int = 11) -> list[dict[str, Any]]:
    """n other-event articles (summary dev sentences recombined) dated within 72 h of dev articles."""
    if n <= 0 or not NOISE_SOURCE.is_file():
        return []
    rng = random.Random(seed)
    pool = [s.strip() + "." for line in NOISE_SOURCE.read_text(encoding="utf-8").splitlines() if line.strip()
            for s in json.loads(line)["body"].replace("\n", " ").split(". ") if len(s.strip()) > 20]
    dates = [datetime.fromisoformat(g["date"][:10]) for g in gold if g["date"]]
    out = []
    for i in range(n):
        when = rng.choice(dates) + timedelta(hours=12 + rng.uniform(-72, 72))
        text = rng.choice(pool)[:60] + "\n" + " ".join(rng.choice(pool) for _ in range(rng.randint(6, 14)))
        out.append({"id": f"noise{i}", "text": text, "url": f"https://noise{i % 50}.example/{i}",
                    "published_at": when.isoformat()})
    return out


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _pairs(labels: dict[str, str | None]) -> set[tuple[str, str]]:
    groups: dict[str, list[str]] = {}
    for doc, label in labels.items():
        if label is not None:
            groups.setdefault(label, []).append(doc)
    return {tuple(sorted(p)) for ids in groups.values() for p in combinations(ids, 2)}  # type: ignore[misc]


def ari(a: dict[str, str | None], b: dict[str, str | None]) -> float:
    """Adjusted Rand index; unlabelled docs are singletons."""
    docs = sorted(a)
    la = [a[d] if a[d] is not None else "_" + d for d in docs]
    lb = [b[d] if b[d] is not None else "_" + d for d in docs]
    n = len(docs)
    cont = Counter(zip(la, lb, strict=True))
    sum_ij = sum(comb(v, 2) for v in cont.values())
    sum_a = sum(comb(v, 2) for v in Counter(la).values())
    sum_b = sum(comb(v, 2) for v in Counter(lb).values())
    expected = sum_a * sum_b / comb(n, 2)
    top = (sum_a + sum_b) / 2
    return (sum_ij - expected) / (top - expected) if top != expected else 1.0


def evaluate(gold: list[dict[str, Any]], pred: dict[str, dict[str, Any]]) -> dict[str, float]:
    m: dict[str, float] = {}
    tp = sum(1 for g in gold if g["ai_related"] and pred[g["id"]]["is_ai"])
    fp = sum(1 for g in gold if not g["ai_related"] and pred[g["id"]]["is_ai"])
    fn = sum(1 for g in gold if g["ai_related"] and not pred[g["id"]]["is_ai"])
    m["relevance_accuracy"] = sum(1 for g in gold if g["ai_related"] == pred[g["id"]]["is_ai"]) / len(gold)
    m["relevance_precision"], m["relevance_recall"], _ = prf(tp, fp, fn)
    ctp = cfp = cfn = 0
    for g in gold:
        want, got = set(g["companies"]), set(pred[g["id"]]["companies"])
        ctp, cfp, cfn = ctp + len(want & got), cfp + len(got - want), cfn + len(want - got)
    m["company_precision"], m["company_recall"], m["company_f1"] = prf(ctp, cfp, cfn)
    gold_story = {g["id"]: g["story"] for g in gold}
    pred_story = {g["id"]: pred[g["id"]]["story_id"] for g in gold}
    gp, pp = _pairs(gold_story), _pairs(pred_story)
    m["story_pair_precision"], m["story_pair_recall"], m["story_pair_f1"] = prf(
        len(gp & pp), len(pp - gp), len(gp - pp))
    m["story_ari"] = ari(gold_story, pred_story)
    gd = {(g["id"], g["duplicate_of"]) for g in gold if g["duplicate_of"]}
    pd = {(g["id"], pred[g["id"]]["duplicate_of"]) for g in gold if pred[g["id"]]["duplicate_of"]}
    gdu = {tuple(sorted(p)) for p in gd}
    pdu = {tuple(sorted(p)) for p in pd}
    m["duplicate_precision"], m["duplicate_recall"], _ = prf(len(gdu & pdu), len(pdu - gdu), len(gdu - pdu))
    m["duplicate_primary_correct"] = len(gd & pd) / len(gd) if gd else 1.0
    return m


def fold(doc: dict[str, Any], k: int = 2) -> int:
    """Split by story (one-offs by id) so a story is never in two folds."""
    key = doc["story"] or doc["id"]
    return int(hashlib.sha1(key.encode()).hexdigest(), 16) % k


def kfold(gold: list[dict[str, Any]], k: int, noise: int) -> None:
    """Per fold: the story settings and the salience model chosen/fitted on the other folds only.

    Story settings do not change the companies, so each grid point is predicted once with the shipped
    salience model and chosen by story F1 + relevance on the training folds; then the fold is predicted
    once more at that point with a salience model fitted on the training folds, and scored.
    """
    import salience_fit  # noqa: PLC0415 - same folder, run as a script

    from ainews.analyze import salience

    grid = tuning_grid()
    examples, missed = salience_fit.examples(gold)
    keys = ["relevance_accuracy", "story_pair_precision", "story_pair_recall", "story_pair_f1",
            "company_precision", "company_recall", "company_f1"]
    print(f"{k}-fold by story, {len(grid)} grid points" + (f", among {noise} noise articles" if noise else ""))
    print(f"{'fold':6}{'docs':>6}" + "".join(f"{key.replace('_pair', '').replace('relevance_', 'rel_'):>18}"
                                        for key in keys) + "  chosen")
    held: list[dict[str, float]] = []
    shipped = salience.MODEL
    with cached_prepare():
        preds = []
        for point in grid:
            with overrides(point):
                preds.append(predict(gold, noise))
        for f in range(k):
            train = [g for g in gold if fold(g, k) != f]
            test = [g for g in gold if fold(g, k) == f]
            best = max(range(len(grid)), key=lambda i: (story_objective(evaluate(train, preds[i])), -i))
            ids = {g["id"] for g in train}
            salience.MODEL = salience_fit.fit([e for e in examples if e.doc in ids],
                                              {d: v for d, v in missed.items() if d in ids})
            with overrides(grid[best]):
                m = evaluate(test, predict(gold, noise))
            threshold, salience.MODEL = salience.MODEL.threshold, shipped
            held.append(m)
            print(f"{f:<6}{len(test):>6}" + "".join(f"{m[key]:18.3f}" for key in keys)
                  + f"  {grid[best]}, salience threshold {threshold}")
    print(f"{'mean':6}{'':6}" + "".join(f"{sum(h[key] for h in held) / k:18.3f}" for key in keys))


def story_objective(m: dict[str, float]) -> float:
    """What the fold-wise choice of story settings maximises."""
    return m["story_pair_f1"] + m["relevance_accuracy"]


class cached_prepare:  # noqa: N801 - used as a context manager
    """Reuse the prepared documents (the Kiwi pass) of identical article lists across predictions."""

    def __enter__(self) -> None:
        import ainews.analyze as analyze

        self.module, self.original = analyze, analyze.prepare
        cache: dict[tuple, list] = {}

        def prepare(articles: list) -> list:
            key = tuple((a.title, a.body, a.published_at) for a in articles)
            if key not in cache:
                cache.clear()
                cache[key] = self.original(articles)
            docs = cache[key]
            for doc, article in zip(docs, articles, strict=True):
                doc.article = article
            return docs

        analyze.prepare = prepare

    def __exit__(self, *exc: object) -> None:
        self.module.prepare = self.original


def tuning_grid() -> list[dict[str, float]]:
    """Grid points: module attributes of ainews.analyze to try (the first is the shipped setting)."""
    from itertools import product

    from ainews.analyze import attach, cluster
    axes = {"cluster.LINK_THRESHOLD": [cluster.LINK_THRESHOLD + d for d in (0.0, -0.02, 0.03)],
            "attach.ATTACH_AVG": [attach.ATTACH_AVG, attach.ATTACH_AVG - 0.02, attach.ATTACH_AVG + 0.03, 9.0],
            "cluster.STATUS_PENALTY": [cluster.STATUS_PENALTY, 0.0],
            "attach.ENTITY_BONUS": [attach.ENTITY_BONUS, 0.0]}
    return [dict(zip(axes, values, strict=True)) for values in product(*axes.values())]


class overrides:  # noqa: N801 - used as a context manager
    """Set `module.ATTR` values of ainews.analyze for the duration of a block."""

    def __init__(self, point: dict[str, float]) -> None:
        import importlib
        self.items = [(importlib.import_module("ainews.analyze." + k.split(".")[0]), k.split(".")[1], v)
                      for k, v in point.items()]  # attach.ATTACH_AVG 9.0 = second pass off
        self.saved: list[tuple[Any, str, Any]] = []

    def __enter__(self) -> None:
        for module, attr, value in self.items:
            self.saved.append((module, attr, getattr(module, attr)))
            setattr(module, attr, value)

    def __exit__(self, *exc: object) -> None:
        for module, attr, value in reversed(self.saved):
            setattr(module, attr, value)


def errors(gold: list[dict[str, Any]], pred: dict[str, dict[str, Any]]) -> None:
    for g in gold:
        p = pred[g["id"]]
        if g["ai_related"] != p["is_ai"]:
            print(f"REL {g['id']} gold={g['ai_related']} score={p['relevance']} {p['reasons'][:6]}")
    for g in gold:
        p = pred[g["id"]]
        want, got = set(g["companies"]), set(p["companies"])
        if want != got:
            print(f"ORG {g['id']} missing={sorted(want - got)} extra={sorted(got - want)}")
    by_pred: dict[str, list[str]] = {}
    for g in gold:
        if pred[g["id"]]["story_id"]:
            by_pred.setdefault(pred[g["id"]]["story_id"], []).append(f"{g['id']}:{g['story']}")
    for sid, members in by_pred.items():
        mixed = len({m.split(":", 1)[1] for m in members}) > 1 or any(m.endswith(":None") for m in members)
        if mixed and len(members) > 1:
            print(f"STORY {sid} mixes {members}")
    gold_groups: dict[str, set[str | None]] = {}
    for g in gold:
        if g["story"]:
            gold_groups.setdefault(g["story"], set()).add(pred[g["id"]]["story_id"])
    for story, sids in gold_groups.items():
        if len(sids) > 1:
            print(f"SPLIT {story} into {len(sids)}")


def main() -> None:
    if not DEV.is_file():
        print(f"skip: {DEV} not present")
        return
    gold = load()
    noise = int(sys.argv[sys.argv.index("--noise") + 1]) if "--noise" in sys.argv else 0
    if "--kfold" in sys.argv:
        kfold(gold, int(sys.argv[sys.argv.index("--kfold") + 1]), noise)
        return
    pred = predict(gold, noise)
    if noise:
        print(f"dev articles scored among {noise} noise articles")
    rows = [("all", gold)] + [(f"half {h}", [g for g in gold if fold(g) == h]) for h in (0, 1)]
    results = {name: evaluate(docs, pred) for name, docs in rows}
    names = list(results["all"])
    print(f"{'metric':28}" + "".join(f"{n:>10}" for n, _ in rows))
    for metric in names:
        print(f"{metric:28}" + "".join(f"{results[n][metric]:10.3f}" for n, _ in rows))
    if "--errors" in sys.argv:
        errors(gold, pred)


if __name__ == "__main__":
    main()
