"""Which DOM element holds the article: density scoring with Korean sentence evidence.

Every text run credits its block (a <div>/<td> holding <br>-separated text) or, for a <p>, the
paragraph's container and half to the next one up, as Readability does; elements whose class/id
says comment/related/footer/ad (`sites/generic.toml`) earn nothing, and link-heavy candidates lose.
"""

from __future__ import annotations

import re
from functools import lru_cache

from selectolax.lexbor import LexborHTMLParser, LexborNode

from ainews.extract import evidence
from ainews.text.patterns import HANGUL

INLINE = frozenset({"span", "b", "strong", "em", "i", "u", "font", "mark", "small", "sup", "sub", "q", "cite",
                    "s", "del", "ins", "label", "abbr", "time"})
PARAGRAPH = frozenset({"p", "li", "blockquote", "h2", "h3", "h4", "h5", "dd", "pre"})
NEVER = frozenset({"script", "style", "noscript", "template", "head", "a", "button", "select", "option",
                   "textarea", "nav", "footer", "header", "aside", "h1", "title"})
_SENTENCE = re.compile(r"(?:다|요|까|죠|니다)[.?!][\"'”’」』)]*(?:\s|$)|[.?!][\"'”’」』)]*\s")


@lru_cache(maxsize=1)
def _classes() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    dom = evidence.vocabulary()["dom"]
    return re.compile(dom["negative"], re.I), re.compile(dom["positive"], re.I), re.compile(dom["weak"], re.I)


def _bad_label(label: str) -> bool:
    """A strong furniture word, or a weak one without a body-like word beside it."""
    strong, positive, weak = _classes()
    return bool(strong.search(label) or (weak.search(label) and not positive.search(label)))


def _label(node: LexborNode) -> str:
    attrs = node.attributes
    return f"{attrs.get('class') or ''} {attrs.get('id') or ''}".strip()


def is_furniture(node: LexborNode) -> bool:
    """Inside a menu, footer, related list … by its own or an ancestor's class/id; an article's
    header (where decks sit) does not count."""
    cur: LexborNode | None = node
    for _ in range(12):
        if cur is None or cur.tag in ("html", "body"):
            return False
        label = re.sub(r"(?i)(?:^|(?<=[-_\s]))(?:header|head)(?=$|[-_\s\d])", "", _label(cur))
        if _bad_label(label) or cur.tag in ("nav", "footer", "form", "fieldset"):
            return True
        cur = cur.parent
    return False


def ranked_blocks(tree: LexborHTMLParser) -> list[LexborNode]:
    """Candidate article elements, best first (none for a page without prose); nested duplicates
    of a better candidate are left out."""
    if tree.body is None:
        return []
    scores: dict[int, float] = {}
    nodes: dict[int, LexborNode] = {}
    bad: dict[int, bool] = {}
    for node in tree.body.traverse(include_text=True):
        if node.tag != "-text":
            continue
        text = (node.text(deep=False) or "").strip()
        if len(text) < 20 or not HANGUL.search(text):
            continue
        el = node.parent
        while el is not None and el.tag in INLINE:
            el = el.parent
        if el is None or el.tag in NEVER or _negative(el, bad):
            continue
        gain = min(len(text), 500) / 100 + 2 * len(_SENTENCE.findall(text + " "))
        target = el.parent if el.tag in PARAGRAPH else el
        for share, cur in ((1.0, target), (0.5, target.parent if target is not None else None)):
            if cur is None or cur.tag in ("html", "body"):
                continue
            scores[cur.mem_id] = scores.get(cur.mem_id, 0.0) + share * gain
            nodes[cur.mem_id] = cur
    top = sorted(scores, key=scores.__getitem__, reverse=True)[:8]
    ranked = sorted(top, key=lambda k: _final(nodes[k], scores[k]), reverse=True)
    out: list[LexborNode] = []
    for key in ranked:
        node = nodes[key]
        if not any(is_inside(o, node) or is_inside(node, o) for o in out):
            out.append(node)
    return out


def is_inside(node: LexborNode, ancestor: LexborNode, max_depth: int = 64) -> bool:
    """Whether `ancestor` encloses `node` (looking up at most `max_depth` levels)."""
    cur, depth = node.parent, 0
    while cur is not None and depth < max_depth:
        if cur.mem_id == ancestor.mem_id:
            return True
        cur, depth = cur.parent, depth + 1
    return False


def _final(node: LexborNode, score: float) -> float:
    """Score after link density and a small bonus for a body-like class word."""
    text = node.text() or ""
    links = sum(len(a.text() or "") for a in node.css("a"))
    density = links / max(1, len(text))
    bonus = 1.15 if _classes()[1].search(_label(node)) else 1.0
    return score * (1 - density) ** 2 * bonus


def _negative(el: LexborNode, memo: dict[int, bool]) -> bool:
    """Inside a comment box, related list, footer, ad … (class/id word) within 6 levels up; page-wide
    wrappers further up (`gnb-news-00 wrap` around everything) say nothing about one block."""
    cur: LexborNode | None = el
    for _ in range(6):
        if cur is None or cur.tag in ("html", "body"):
            return False
        bad = memo.get(cur.mem_id)
        if bad is None:
            bad = memo[cur.mem_id] = _bad_label(_label(cur))
        if bad:
            return True
        cur = cur.parent
    return False
