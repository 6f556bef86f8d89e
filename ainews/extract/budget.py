"""Budgets on markup before any parser sees it, so a hostile page costs what a normal one does.

The parsers and heuristics after this step (lexbor, lxml/trafilatura, the line judges) are fast on
real pages but superlinear on pathological ones: a million sibling `<p>` or 300,000 unclosed
`<div><span><b>` took minutes and a gigabyte. One cheap pass over the tags (C-speed `find`s, one
Python step per tag) enforces four budgets:

- tags: markup after the `max_tags`-th tag is cut (an article sits well inside the first 20,000);
- depth: opening tags nested deeper than `max_depth` are dropped with their closing tags (flattened,
  the text stays);
- tag size: a tag longer than `max_tag_chars` (megabyte attributes) keeps only its name;
- text: characters outside tags (and outside scripts and styles) beyond `max_text_chars` are cut.

What was cut is returned as a reason, recorded on the Article. The per-page deadline in
ainews/collect/extracting.py is the backstop for what these budgets do not foresee.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import accumulate
from operator import sub

# Raw-text elements: their content is not markup; the scan jumps to their end tag.
RAW_TEXT = frozenset({"script", "style", "textarea", "title", "xmp", "noscript", "plaintext"})
# Elements that never hold children, or whose end tag the parser implies: no depth of their own.
NO_DEPTH = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
                      "track", "wbr", "param", "keygen", "p", "li", "dt", "dd", "tr", "td", "th", "option",
                      "optgroup", "rp", "rt", "tbody", "thead", "tfoot", "colgroup", "!doctype", "?xml"})
_TAG = re.compile(r"<!--|<(/?)([A-Za-z!?][^\s/>]*)[^>]*>?")
_TAG_NAME = re.compile(r"<(/?)([A-Za-z][^\s/>]*)")


@dataclass(frozen=True, slots=True)
class Budget:
    """Limits well above any real article page (corpus maxima: 5,017 tags, depth 23, 320,000 characters
    of text); the parsers' cost grows with depth × text, so both stay small."""

    max_tags: int = 20_000
    max_depth: int = 64
    max_tag_chars: int = 100_000
    max_text_chars: int = 600_000  # outside script/style (those are bounded by the 5 MB input cap)
    max_scanned_tags: int = 100_000  # tags looked at, dropped ones included: bounds the scan itself


DEFAULT = Budget()


@dataclass(slots=True)
class _Scan:
    text: str
    budget: Budget
    pieces: list[str]
    kept_from: int = 0  # start of the not-yet-copied part of text
    tags: int = 0
    scanned: int = 0
    depth: int = 0
    open_dropped: int = 0  # opening tags dropped and not yet matched by a dropped closing tag
    flattened: int = 0
    shrunk: int = 0
    text_chars: int = 0

    def drop(self, start: int, end: int, replacement: str = "") -> None:
        self.pieces.append(self.text[self.kept_from:start])
        if replacement:
            self.pieces.append(replacement)
        self.kept_from = end


def bound_markup(text: str, budget: Budget = DEFAULT) -> tuple[str, str | None]:
    """`text` within the budget, and what was cut ("" → None when nothing was)."""
    if _surely_within(text, budget):
        return text, None
    scan = _Scan(text=text, budget=budget, pieces=[])
    cut = _walk(scan)
    if cut is None and not (scan.flattened or scan.shrunk):
        return text, None
    scan.pieces.append(text[scan.kept_from:cut])
    return "".join(scan.pieces), _reason(scan, cut)


def _surely_within(text: str, budget: Budget) -> bool:
    """C-speed upper bounds (every tag counted, scripts and comments too): True proves that the
    scan would change nothing, so real pages skip the per-tag Python loop."""
    if len(text) > budget.max_text_chars or text.count("<") > budget.max_tags:
        return False
    if len(text) > budget.max_tag_chars and max(map(len, text.split(">"))) >= budget.max_tag_chars:
        return False
    deltas = [0 if name.lower() in NO_DEPTH else -1 if slash else 1 for slash, name in _TAG_NAME.findall(text)]
    if len(deltas) <= budget.max_depth:
        return True
    levels = list(accumulate(deltas, initial=0))  # depth without the floor at 0 ...
    floors = accumulate(levels, min)  # ... so the depth with it is the rise above the lowest level so far
    return max(map(sub, levels, floors)) <= budget.max_depth


def _walk(scan: _Scan) -> int | None:
    """Visit the tags in order; the position where the markup must be cut, or None."""
    text, budget = scan.text, scan.budget
    pos = 0
    search = _TAG.search
    while (m := search(text, pos)) is not None:
        start = m.start()
        scan.text_chars += start - pos
        if scan.text_chars > budget.max_text_chars:
            return start - (scan.text_chars - budget.max_text_chars)
        if m.group(2) is None:  # a comment
            close = text.find("-->", start + 4)
            pos = len(text) if close < 0 else close + 3
            continue
        scan.scanned += 1
        if scan.tags >= budget.max_tags or scan.scanned > budget.max_scanned_tags:
            return start
        pos = _visit(scan, start, m.end(), m.group(2).lower(), bool(m.group(1)))
    scan.text_chars += len(text) - pos
    if scan.text_chars > budget.max_text_chars:
        return len(text) - (scan.text_chars - budget.max_text_chars)
    return None


def _visit(scan: _Scan, start: int, end: int, name: str, closing: bool) -> int:
    """Account for one tag (drop, shrink or keep it); where the scan goes on."""
    text, budget = scan.text, scan.budget
    nests = name not in NO_DEPTH and name[:1] not in "!?"
    if not closing and nests and not text.startswith("/>", end - 2):
        if scan.depth >= budget.max_depth:
            scan.open_dropped += 1
            scan.flattened += 1
            scan.drop(start, end)
            return end
        scan.depth += 1
    elif closing and nests:
        if scan.open_dropped:
            scan.open_dropped -= 1
            scan.drop(start, end)
            return end
        scan.depth = max(0, scan.depth - 1)
    scan.tags += 1
    if end - start > budget.max_tag_chars:
        scan.shrunk += 1
        scan.drop(start, end, f"</{name}>" if closing else f"<{name}>")
    if not closing and name in RAW_TEXT:
        close = re.compile(rf"</{re.escape(name)}\b", re.I).search(text, end)
        resume = len(text) if close is None else close.start()
        scan.text_chars -= resume - end  # script/style content is not text: _walk adds it back below
        return resume
    return end


def _reason(scan: _Scan, cut: int | None) -> str:
    budget, parts = scan.budget, []
    if cut is not None:
        if scan.text_chars > budget.max_text_chars:
            parts.append(f"text over {budget.max_text_chars:,} characters was cut")
        elif scan.scanned > budget.max_scanned_tags:
            parts.append(f"markup over {budget.max_scanned_tags:,} tags was cut")
        else:
            parts.append(f"markup after {budget.max_tags:,} tags was cut")
    if scan.flattened:
        parts.append(f"nesting deeper than {budget.max_depth} was flattened")
    if scan.shrunk:
        parts.append(f"{scan.shrunk} tag(s) over {budget.max_tag_chars:,} characters lost their attributes")
    return "; ".join(parts)
