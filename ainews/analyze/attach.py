"""Second story pass: pieces of a story that the average-link pass left alone join it.

Different headlines and leads for one event are the normal case in Korean news, so one or two
outlets' copies often fall just under the pairwise link threshold. A small cluster (a singleton or
a pair) joins a larger one (or a pair, when it is a singleton or an earlier pair) when it agrees on
the core entities (organisations and headline/lead proper nouns that most members share, all of a
pair's; an undated piece on one more), lies inside the story window
of the members, and is similar enough to them on average and to its closest member. Agreement on
more core entities than required raises its similarities (ENTITY_BONUS): word similarity falls when
a busy window shares the story's vocabulary, entity agreement does not.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from statistics import median

from ainews.analyze.features import Doc

SMALL = 2  # clusters of at most this many members may join a larger one
TARGET_MIN = 2  # members a cluster needs to be joined (a pair may join a pair of the same event)
ATTACH_AVG = 0.10  # mean cosine to the cluster's members
ATTACH_MAX = 0.15  # cosine to its most similar member
ATTACH_SHARED = 2  # core entities it shares with the cluster
ENTITY_BONUS = 0.02  # added to its similarities per core entity it shares beyond ATTACH_SHARED
ENTITY_BONUS_CAP = 3  # extra entities that count
CORE_PROPER = 4


def core_entities(doc: Doc, orgs: list[str]) -> set[str]:
    """Who and what a document is about: its top organisations and headline/lead proper nouns."""
    proper = [w for w, _ in doc.proper.most_common(CORE_PROPER)]
    return {"org:" + o for o in orgs[:3]} | {"nnp:" + p.lower() for p in proper}


def attach_small(groups: list[list[int]], sims: dict[tuple[int, int], float], core: dict[int, set[str]],
                 hours: dict[int, float], window: float) -> list[list[int]]:
    """Groups after small clusters joined the larger cluster they best agree with (if any)."""
    group_of = {i: g for g, members in enumerate(groups) for i in members}
    small = {i for members in groups if len(members) <= SMALL for i in members}
    linked: dict[int, dict[int, float]] = defaultdict(dict)
    for (a, b), sim in sims.items():  # only the small clusters' links are ever looked at
        if a in small or b in small:
            linked[a][b] = linked[b][a] = sim
    cores = {g: _group_core(members, core) for g, members in enumerate(groups) if len(members) >= TARGET_MIN}
    moves: dict[int, int] = {}
    for g, members in enumerate(groups):
        if len(members) > SMALL:
            continue
        best: tuple[float, int] | None = None
        for target in {group_of[o] for i in members for o in linked[i]} - {g}:
            if target not in cores or (len(groups[target]), -target) <= (len(members), -g):
                continue  # only into a bigger cluster (or an earlier one of the same size): no cycles
            fit = _fit(members, groups[target], linked, core, cores[target], hours, window)
            if fit is not None and (best is None or fit > best[0]):
                best = (fit, target)
        if best:
            moves[g] = best[1]
    out = [list(m) for m in groups]
    for g in moves:
        target = g
        while target in moves:  # a pair that joined a pair which joined a larger cluster
            target = moves[target]
        out[target].extend(groups[g])
        out[g] = []
    return [m for m in out if m]


def _group_core(members: list[int], core: dict[int, set[str]]) -> set[str]:
    """Entities most members share (every member of a pair: a pair is weak evidence of its core)."""
    counts = Counter(e for i in members for e in core.get(i, ()))
    need = len(members) if len(members) <= SMALL else (len(members) + 1) // 2
    return {e for e, c in counts.items() if c >= need}


def _fit(small: list[int], big: list[int], linked: dict[int, dict[int, float]], core: dict[int, set[str]],
         big_core: set[str], hours: dict[int, float], window: float) -> float | None:
    """Mean similarity of the small cluster to the big one, or None when they do not agree."""
    dated = [hours[i] for i in big if i in hours]
    if any(i in hours for i in small) and not dated:
        return None  # the day cannot be confirmed: a dated piece never joins an undated cluster
    if dated and any(i in hours and abs(hours[i] - median(dated)) > window for i in small):
        return None
    need = ATTACH_SHARED + (0 if all(i in hours for i in small) else 1)  # undated: stricter agreement
    shared = {i: len(core.get(i, set()) & big_core) for i in small}
    if any(n < need for n in shared.values()):
        return None
    bonus = {i: ENTITY_BONUS * min(ENTITY_BONUS_CAP, n - need) for i, n in shared.items()}
    values = [linked[i].get(j, 0.0) + bonus[i] for i in small for j in big]
    avg = sum(values) / len(values)
    return avg if avg >= ATTACH_AVG and max(values) >= ATTACH_MAX else None
