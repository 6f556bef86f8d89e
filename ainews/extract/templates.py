"""Learned site templates: body lines that repeat across many pages of one host are site chrome.

The extractor's rules catch the boilerplate they know; what is left (a host's promo line, its
"많이 본 뉴스" list, a reporter box, a recurring column's fixed intro) repeats verbatim on page after
page. This module is pure: it hashes normalized lines and decides, from counts the store keeps per
host (ainews/collect/templates.py), which lines are template and what a body looks like without them.

Guards against cutting real text (a sentence quoted by two articles):
- a line is template only when it is in >= `min_articles` distinct pages of the host AND in
  >= `min_share` of the host's pages since it first appeared (a quote shared by a few articles
  among many pages never qualifies; a rotating headline list qualifies while it is on every page);
- a template line is removed from the top or bottom run of the body (every line between it and
  the edge is template too), and in the middle only when it is not a sentence (short, no
  sentence ending: "[광고]", "▶관련기사", "많이 본 뉴스"). Repeated prose in the middle stays.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass

from ainews.text.patterns import CLOSERS, squeeze

_DIGIT = re.compile(r"\d")
_SENTENCE_END = re.compile(r"(?:[.?!。…]|다|요|까)" + CLOSERS + r"$")
MIDDLE_MAX_CHARS = 60  # longer lines in the middle of a body are prose, never cut there


@dataclass(frozen=True, slots=True)
class TemplateRules:
    """When a repeated line counts as template (defaults measured by benchmarks/template_learning.py)."""

    min_articles: int = 3
    min_share: float = 0.5


def _squash(line: str) -> str:
    return squeeze(unicodedata.normalize("NFKC", line))


def normalize(line: str) -> str:
    """Comparable form: NFKC, one space; in lines that are not sentences digits become # (dates,
    counters, ranks vary per page). Sentences keep their digits: a daily market report's figures
    are its content."""
    text = _squash(line)
    return text if _is_sentence(text) else _DIGIT.sub("#", text)


def line_hash(line: str) -> str:
    return hashlib.blake2b(normalize(line).encode("utf-8"), digest_size=12).hexdigest()


def page_lines(body: str) -> dict[str, str]:
    """Hash → normalized text of a body's distinct non-empty lines (a line counts once per page)."""
    out: dict[str, str] = {}
    for line in body.split("\n"):
        text = normalize(line)
        if text:
            out.setdefault(hashlib.blake2b(text.encode("utf-8"), digest_size=12).hexdigest(), text)
    return out


def page_hashes(body: str) -> list[str]:
    return sorted(page_lines(body))


def is_template(articles: int, first_page: int, pages: int, rules: TemplateRules) -> bool:
    """In enough distinct pages, and in enough of the host's pages since the line first appeared."""
    since = max(1, pages - first_page + 1)
    return articles >= rules.min_articles and articles / since >= rules.min_share


def is_sentence(line: str) -> bool:
    """Prose the middle of a body keeps even when it repeats."""
    return _is_sentence(_squash(line))


def _is_sentence(text: str) -> bool:
    return len(text) > MIDDLE_MAX_CHARS or bool(_SENTENCE_END.search(text))


def strip_template(body: str, template: set[str]) -> tuple[str, list[str]]:
    """(body without template lines, removed lines). See the module doc for which lines go."""
    lines = body.split("\n")
    content = [i for i, ln in enumerate(lines) if normalize(ln)]
    hit = {i for i in content if line_hash(lines[i]) in template}
    if not hit:
        return body, []
    edge = _edge_runs(content, hit)
    drop = {i for i in hit if i in edge or not is_sentence(lines[i])}
    kept = [ln for i, ln in enumerate(lines) if i not in drop]
    cleaned = re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip("\n")
    return cleaned, [lines[i].strip() for i in sorted(drop)]


def _edge_runs(content: list[int], hit: set[int]) -> set[int]:
    """Template lines at the top and the bottom of the body, up to the first line that is not."""
    edge: set[int] = set()
    for order in (content, content[::-1]):
        for i in order:
            if i not in hit:
                break
            edge.add(i)
    return edge
