"""Organisation salience: who the news is about, as opposed to who is named in passing.

Every candidate organisation of an article (known or discovered) gets features from where and how
it is mentioned: zone counts (title > subtitles > lead > body), first position, its share of the
article's organisation mentions, grammatical-subject frames ("X는 …", "X가 …" at a clause start)
and the passing-mention frames of data/salience.toml (comparison "X처럼/X와 달리/X 대비/X 같은", lists
"X 등", platforms "허깅페이스에 공개", sources "로이터에 따르면/… 등 외신", former employers "X 출신/…을
거친", places "국회 본청", editorial note lines "※ 본 기사는"), a person's employer ("테슬라 CEO") and
whether that sentence looks back ("당시 … 장관이"), its kind, and whether a more specific unit of it is
also named (LG그룹 beside LG AI연구원). Rules in the same file drop what is named in passing only: a
group beside its unit, a news agency quoted as a source, a name outside the headline whose every
mention is in a passing frame. For the rest a logistic model (weights in the same file, fitted by
benchmarks/salience_fit.py) turns them into a probability; the article's companies are those at or
above the threshold, most salient first.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

from ainews import catalogue
from ainews.analyze.features import Doc, params
from ainews.analyze.lexicon import Org, lexicon, norm_key

FEATURES = ("title", "lead", "body", "first", "share", "subject", "comparison", "list", "platform", "source",
            "former", "place", "note", "role", "role_background", "group_unit", "gov", "political", "media",
            "discovered")
_FRAME_KINDS = ("comparison", "platform", "source", "former", "place", "note")
_KIND_FEATURE = {"gov": "gov", "party": "political", "assembly": "political", "media": "media"}
_CONTEXT = 14
_LIST_CONTEXT = 80
_WITHIN = 24
_QUOTES = "'\"’”」』"
_QUOTED = re.compile(r"“[^”]*”?|\"[^\"]*\"?")


@dataclass(frozen=True, slots=True)
class Frames:
    # (kind, view, pattern); the view a pattern reads: 0 the text right after the name, 1 right before
    # it, 2 the rest of the clause (up to _WITHIN characters), 3 the start of the mention's line.
    checks: tuple[tuple[str, int, re.Pattern[str]], ...]
    subject: re.Pattern[str]
    clause_break: re.Pattern[str]
    subject_window: int
    list_tail: re.Pattern[str]
    list_end: re.Pattern[str]
    background: re.Pattern[str]
    passing: frozenset[str]
    single_passing: frozenset[str]
    drop_media_sources: bool
    drop_group_beside_unit: bool


@dataclass(slots=True)
class Model:
    """Logistic weights per feature, a bias and the listing threshold."""

    weights: dict[str, float]
    bias: float
    threshold: float

    def probability(self, feats: dict[str, float]) -> float:
        z = self.bias + sum(self.weights.get(k, 0.0) * v for k, v in feats.items())
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def _phrases(words: list[str], at_end: bool, pattern: str = "") -> re.Pattern[str]:
    """One regex for a frame's phrases (a space in a phrase matches any spacing, or none), or `pattern`."""
    alts = sorted({r"\s*".join(re.escape(part) for part in w.split(" ")) if w.strip() else re.escape(w)
                   for w in words}, key=len, reverse=True)
    body = "|".join(alts) or "(?!)"
    phrases = f"(?:{body})$" if at_end else rf"^\s*(?:{body})"
    return re.compile(f"{phrases}|{pattern}" if pattern else phrases)


@lru_cache(maxsize=1)
def _data() -> dict:
    return catalogue.load("data/salience.toml")


@lru_cache(maxsize=1)
def frames() -> Frames:
    f, rules = _data()["frames"], _data()["rules"]
    checks = [(k, 0, _phrases(f.get(k + "_after", []), at_end=False, pattern=f.get(k + "_pattern", "")))
              for k in _FRAME_KINDS if k + "_after" in f or k + "_pattern" in f]
    checks += [(k, 1, _phrases(f[k + "_before"], at_end=True)) for k in _FRAME_KINDS if k + "_before" in f]
    checks += [(k, 2, re.compile("|".join(re.escape(w) for w in f[k + "_within"]))) for k in _FRAME_KINDS
               if k + "_within" in f]
    checks += [(k, 3, re.compile("^(?:" + f[k + "_line"] + ")")) for k in _FRAME_KINDS if k + "_line" in f]
    particles = "|".join(re.escape(p) for p in f["subject_particles"])
    breaks = "|".join(re.escape(b) for b in f["clause_breaks"])
    return Frames(tuple(checks), re.compile(rf"^(?:{particles})(?=[\s,])"), re.compile(breaks),
                  int(f.get("subject_window", 12)), re.compile(f["list_tail"]), re.compile(f["list_end"]),
                  re.compile("|".join(f["background"])),
                  frozenset(rules["passing_frames"]), frozenset(rules["single_passing_frames"]),
                  bool(rules["drop_media_sources"]), bool(rules["drop_group_beside_unit"]))


def _load_model() -> Model:
    m = _data()["model"]
    return Model({k: float(v) for k, v in m["weights"].items()}, float(m["bias"]), float(m["threshold"]))


MODEL = _load_model()  # module attribute so the quality benchmark can swap in fold-fitted models


@lru_cache(maxsize=4096)
def _mention_regex(name: str) -> re.Pattern[str] | None:
    """Every spelling of an organisation (its aliases, any spacing), as one case-insensitive regex."""
    org = lexicon().orgs.get(name)
    spellings = {name, *(org.aliases if org else ())}
    alts = sorted({r"\s?".join(re.escape(ch) for ch in s.replace(" ", "")) for s in spellings
                   if len(s.replace(" ", "")) >= 2}, key=len, reverse=True)
    if not alts:
        return None
    affiliates = "|".join(re.escape(w) for w in sorted(params().affiliate_words, key=len, reverse=True))
    not_affiliate = f"(?!{affiliates})" if affiliates else ""
    return re.compile(r"(?<![A-Za-z0-9\-])(?:" + "|".join(alts) + ")" + not_affiliate, re.IGNORECASE)


def _mentions(doc: Doc, names: list[str]) -> dict[str, list[tuple[int, int, int]]]:
    """(zone, start, end) of every mention of every candidate."""
    out: dict[str, list[tuple[int, int, int]]] = {}
    for name in names:
        regex = _mention_regex(name)
        out[name] = [] if regex is None else [(zone, m.start(), m.end()) for zone, text in enumerate(doc.texts)
                                              for m in regex.finditer(text)]
    return out


def _frame_counts(doc: Doc, name: str, mentions: dict[str, list[tuple[int, int, int]]]
                  ) -> tuple[dict[str, float], int, float]:
    """Per-frame mention counts, the number of mentions found and the first position in [0, 1]."""
    fr = frames()
    counts = dict.fromkeys((*_FRAME_KINDS, "list", "subject", "role", "role_background", "passing"), 0.0)
    first = 1.0
    for zone, start, end in mentions[name]:
        text = doc.texts[zone]
        first = min(first, _position(zone, start, len(text)))
        window = text[end:end + _LIST_CONTEXT].lstrip(_QUOTES)
        after = fr.list_tail.sub("", window, count=1)[:_CONTEXT]  # past the rest of an enumeration
        counts["list"] += 1 if fr.list_end.search(window) else 0
        before = text[max(0, start - _CONTEXT):start].rstrip()
        line_start = text.rfind("\n", 0, start) + 1
        views = (after, before, fr.clause_break.split(window[:_WITHIN], maxsplit=1)[0],
                 text[line_start:line_start + _CONTEXT])
        kinds = {kind for kind, view, pattern in fr.checks if pattern.search(views[view])}
        for kind in kinds:
            counts[kind] += 1
        counts["passing"] += 1 if kinds & fr.passing else 0
        counts["subject"] += 1 if fr.subject.search(after) and _clause_start(text, start, fr) else 0
        if _is_role(text[end:end + _CONTEXT]) or _is_role(_past_name(window)):
            counts["role"] += 1
            counts["role_background"] += 1 if fr.background.search(_sentence(text, start)) else 0
    return counts, len(mentions[name]), first


def _passing(org: Org | None, has_unit: bool, zones: list[float], frame: dict[str, float], found: int) -> bool:
    """Named in passing only, whatever the model says (the rules of salience.toml)."""
    fr = frames()
    if fr.drop_group_beside_unit and org and org.group and has_unit:
        return True  # "LG" beside LG AI연구원: the most specific organisation named is the actor
    if zones[0] > 0:
        return False  # the headline names it
    if fr.drop_media_sources and org and org.kind == "media" and frame["source"] > 0:
        return True  # "로이터에 따르면": a source
    if found == 1 and any(frame[kind] for kind in fr.single_passing):
        return True  # named once, as a person's employer ("일론 머스크 테슬라 CEO")
    return found > 0 and frame["passing"] >= found  # every mention is a comparison, a platform, a former employer


_NAME = re.compile(r"^의\s?[가-힣]{2,5}(?:\s[가-힣]{1,5})?(?=\s)")


def _past_name(window: str) -> str:
    """After "X의 홍길동" (a person of X), or "" when no name follows."""
    m = _NAME.match(window)
    return window[m.end():m.end() + _CONTEXT] if m else ""


def _is_role(after: str) -> bool:
    """"테슬라 CEO", "테슬라 최고경영자(CEO)": the name is a person's employer."""
    key = norm_key(after)
    return any(key.startswith(word) for word in params().role_words) if after[:1].isspace() else False


def _sentence(text: str, start: int) -> str:
    """The sentence around a mention (from the previous sentence end or line break to the next), without
    what it quotes: "장관은 “당시 …”라고 밝혔다" looks back in the quote, not in the report."""
    left = max(text.rfind("\n", 0, start), text.rfind(". ", 0, start))
    right = min((i for i in (text.find("\n", start), text.find(". ", start)) if i >= 0), default=len(text))
    return _QUOTED.sub(" ", text[left + 1:right])


def _position(zone: int, start: int, size: int) -> float:
    """Title 0, subtitles 0.1, lead 0.2–0.5, body 0.5–1 by where the mention starts."""
    rel = start / max(1, size)
    return (0.0, 0.1, 0.2 + 0.3 * rel, 0.5 + 0.5 * rel)[zone]


def _clause_start(text: str, start: int, fr: Frames) -> bool:
    head = text[max(0, start - fr.subject_window - 2):start]
    if start <= fr.subject_window:
        return True
    last = max((m.end() for m in fr.clause_break.finditer(head)), default=-1)
    return last >= 0 and len(head) - last <= fr.subject_window


def candidate_features(doc: Doc, scored: dict[str, float]) -> dict[str, dict[str, float]]:
    """Feature values of every candidate organisation (name → feature → value)."""
    lex = lexicon()
    top = max(scored.values(), default=1.0) or 1.0
    units_of = {lex.orgs[n].parent for n in scored if n in lex.orgs and lex.orgs[n].parent}
    mentions = _mentions(doc, list(scored))
    out: dict[str, dict[str, float]] = {}
    for name, score in scored.items():
        org = lex.orgs.get(name)
        frame, found, first = _frame_counts(doc, name, mentions)
        zones = doc.org_hits.get(name) or [float(min(text.count(name), 4)) for text in doc.texts]
        if _passing(org, name in units_of, zones, frame, found):
            continue
        n = max(1, found)
        feats = {"title": math.log1p(zones[0]), "lead": math.log1p(zones[1] + zones[2]),
                 "body": math.log1p(min(zones[3], 6.0)), "first": first, "share": score / top,
                 "subject": math.log1p(frame["subject"]), "role": frame["role"] / n,
                 "role_background": frame["role_background"] / n,
                 "group_unit": 1.0 if org and org.group and name in units_of else 0.0,
                 "discovered": 0.0 if org else 1.0}
        feats.update({kind: frame[kind] / n for kind in (*_FRAME_KINDS, "list")})
        feats.update(dict.fromkeys(("gov", "political", "media"), 0.0))
        if org and org.kind in _KIND_FEATURE:
            feats[_KIND_FEATURE[org.kind]] = 1.0
        out[name] = feats
    return out


def salient(doc: Doc, scored: dict[str, float], model: Model | None = None) -> list[tuple[str, float]]:
    """(name, probability) of the organisations the article is about: those in the headline, then the
    others, each most salient first (equally likely ones, to 0.1, by their mention score)."""
    model = model or MODEL
    probs = {name: model.probability(f) for name, f in candidate_features(doc, scored).items()}
    in_title = {name for name in probs if (doc.org_hits.get(name) or [0.0])[0] > 0}  # the headline names the actors
    ranked = sorted(probs.items(), key=lambda kv: (kv[0] not in in_title, -round(kv[1], 1), -scored[kv[0]],
                                                   doc.org_first.get(kv[0], 10**6)))
    return [(name, p) for name, p in ranked if p >= model.threshold]
