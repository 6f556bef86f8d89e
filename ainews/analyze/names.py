"""One name per organisation: spellings, English/Korean pairs, and one display form per story.

Known organisations already have one canonical name (companies.toml aliases: OpenAI → 오픈AI).
Discovered names come in several spellings: company-form words ("주식회사 모레", "딥엑스㈜", "(주)"),
spacing ("트릴리온 랩스"), and a Korean name written with its Latin one ("업스테이지(Upstage)",
"Upstage(업스테이지)") in one article and alone in another. `merge_spellings` folds one article's
variants into one candidate; `unify_story` gives every member of a story the same display form
for each organisation: the gazetteer name if there is one, else the story's most frequent form
(Hangul first on a tie).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from ainews.analyze.discovery import normalise
from ainews.analyze.features import Doc
from ainews.analyze.lexicon import lexicon, norm_key

_LATIN = r"[A-Za-z][A-Za-z0-9&.\-]*(?: [A-Za-z0-9&.\-]+){0,3}"
_KO_LATIN = re.compile(rf"([가-힣][가-힣0-9]{{1,15}})\s?\(({_LATIN})\)")
_LATIN_KO = re.compile(rf"(?<![A-Za-z0-9])({_LATIN})\s?\(([가-힣][가-힣0-9]{{1,15}})\)")
_HANGUL = re.compile(r"[가-힣]")


def identity(name: str) -> str:
    """Comparison key of a spelling: company-form words, spacing, case and punctuation dropped."""
    return norm_key(normalise(name))


def pairs(texts: Iterable[str]) -> dict[str, str]:
    """Latin/Hangul spellings written together ("업스테이지(Upstage)") → identity of the Hangul form."""
    out: dict[str, str] = {}
    for text in texts:
        for m in _KO_LATIN.finditer(text):
            out[identity(m.group(2))] = identity(m.group(1))
        for m in _LATIN_KO.finditer(text):
            out[identity(m.group(1))] = identity(m.group(2))
    return out


def _key(name: str, paired: dict[str, str]) -> str:
    key = identity(name)
    return paired.get(key, key)


def _display(forms: Counter[str]) -> str:
    """The gazetteer name if any form is one, else the most frequent form (Hangul, then shortest)."""
    orgs = lexicon().orgs
    known = [f for f in forms if f in orgs]
    if known:
        return max(known, key=lambda f: (forms[f], -len(f)))
    return max(forms, key=lambda f: (forms[f], bool(_HANGUL.search(f)), -len(f), f))


def merge_spellings(scored: dict[str, float], doc: Doc) -> dict[str, float]:
    """One candidate per organisation of one article: variant spellings' scores added up."""
    paired = pairs(doc.texts)
    groups: dict[str, Counter[str]] = {}
    totals: dict[str, float] = {}
    for name, score in scored.items():
        key = _key(name, paired)
        groups.setdefault(key, Counter())[normalise(name) if name not in lexicon().orgs else name] += 1
        totals[key] = totals.get(key, 0.0) + score
    return {_display(forms): totals[key] for key, forms in groups.items()}


def unify_story(members: list[tuple[Doc, list[str]]]) -> dict[int, list[str]]:
    """Each member's companies with one display form per organisation across the story."""
    paired: dict[str, str] = {}
    for doc, _ in members:
        paired.update(pairs(doc.texts))
    forms: dict[str, Counter[str]] = {}
    for _, names in members:
        for name in names:
            forms.setdefault(_key(name, paired), Counter())[name] += 1
    display = {key: _display(c) for key, c in forms.items()}
    out: dict[int, list[str]] = {}
    for doc, names in members:
        unified = [display[_key(n, paired)] for n in names]
        out[doc.index] = list(dict.fromkeys(unified))
    return out


def unify_groups(groups: list[list[int]], docs: dict[int, Doc], companies: dict[int, list[str]]) -> None:
    """`unify_story` over every story group of a batch, in place (`companies` by doc index)."""
    for group in groups:
        if len(group) < 2:
            continue
        members = [(docs[i], companies.get(i, [])) for i in group]
        for index, names in unify_story(members).items():
            if index in companies:
                companies[index] = names
