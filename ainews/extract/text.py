"""Pages captured as text (copied from a browser): find the article block among menus, headline
lists, comment boxes and tickers, then split title / subtitles / body.

The block is the maximum-sum run of lines scored as prose (sentence-final Korean) versus
furniture. HTML that leaked into a capture (a board reposting Daum markup) is parsed as HTML.
"""

from __future__ import annotations

import re
from functools import lru_cache

from selectolax.lexbor import LexborHTMLParser

from ainews import catalogue
from ainews.extract import meta
from ainews.extract.boilerplate import clean_paragraphs, drop_reason, normalize_line, trim_tail
from ainews.extract.html import Parsed, apply_credit, from_rule, node_lines
from ainews.extract.rules import match_rule
from ainews.text.dates import parse_date, parse_stamp
from ainews.text.patterns import CLOSERS, HANGUL, SENTENCE_END

_TAG = re.compile(r"</?(?:p|div|br|span|strong|section|figure|img|h\d|em|b|a|ul|li)\b[^>]*>", re.I)
_LONG_END = re.compile(r"(?:다|요|까|죠)" + CLOSERS + r"$")
_DOMAIN = re.compile(r"^(?:https?://)?(?:www\.|m\.)?((?:[a-z0-9-]+\.)+[a-z]{2,6})/?$", re.I)
_DATE_ONLY = re.compile(r"^[\d\s:.\-/년월일()오전후AMP]+$")


@lru_cache(maxsize=1)
def _text_rules() -> dict:
    return catalogue.load("extract/sites/boilerplate.toml")["text"]


def extract_text(text: str, url: str = "", entry_title: str | None = None) -> Parsed:
    """Article parts of a text capture."""
    prefix = re.compile(_text_rules()["line_prefix"])
    hint = None
    lines = []
    for raw_line in text.splitlines():
        line = normalize_line(raw_line)
        m = prefix.match(line)
        if m:
            hint = hint or parse_date(m.group("date"))
            line = line[m.end():].strip()
        lines.append(line)
    lines = _drop_tickers(lines)
    frag = _leaked_html(lines)
    if frag is not None:
        start, end, parsed = frag
        region = "\n".join(_TAG.sub("\n", ln) for ln in lines[start:end + 3])
    else:
        start, end = _best_block(lines)
        parsed = Parsed(method="text")
        block = lines[start:end + 1]
        parsed.paragraphs = clean_paragraphs(block)
        region = "\n".join(lines[start:min(len(lines), end + 15)])
    header = [ln for ln in lines[:start] if ln][-20:]
    title, subtitles = _title(header, lines, entry_title)
    parsed.title = parsed.title or title
    if not parsed.subtitles:
        parsed.subtitles = subtitles
    if not parsed.title and parsed.paragraphs and _headline_like(parsed.paragraphs[0]):
        parsed.title = parsed.paragraphs.pop(0)
    parsed.paragraphs = [p for p in parsed.paragraphs if p not in parsed.subtitles and p != parsed.title]
    apply_credit(parsed)
    parsed.paragraphs = trim_tail(parsed.paragraphs)
    parsed.host_hint = next((m.group(1).lower() for ln in lines[:start] if (m := _DOMAIN.match(ln))), None)
    parsed.publisher = parsed.publisher or meta.publisher_in_text(region)
    parsed.reporters = parsed.reporters or meta.reporters_in_text(region)
    parsed.published_at = (parsed.published_at or _date(header, lines) or meta.date_in_text(region, labelled_only=True)
                           or hint)
    return parsed


def _drop_tickers(lines: list[str]) -> list[str]:
    labels = set(_text_rules()["ticker_labels"])
    out: list[str] = []
    skip = False
    for line in lines:
        if skip and line:
            skip = False
            continue
        if line in labels:
            skip = True
            continue
        out.append(line)
    return out


def _leaked_html(lines: list[str]) -> tuple[int, int, Parsed] | None:
    """(first, last line, parsed) for a run of lines that are mostly HTML markup."""
    idx = [i for i, ln in enumerate(lines) if len(_TAG.findall(ln)) >= 5]
    if not idx:
        return None
    start, end = idx[0], idx[-1]
    fragment = "\n".join(lines[start:end + 1])
    tree = LexborHTMLParser(f"<html><body>{fragment}</body></html>")
    rule = match_rule(tree, "", None)
    parsed = from_rule(tree, rule) if rule else Parsed(paragraphs=clean_paragraphs(node_lines(tree.body)))
    if sum(len(p) for p in parsed.paragraphs) < 100:
        return None
    parsed.title, parsed.published_at, parsed.method = "", None, "text+html"
    if rule and rule.portal:
        parsed.publisher = None  # a portal fragment names the press in the dateline, not in metadata
    return start, end, parsed


def _score(line: str) -> float:
    if not line:
        return 0.0
    reason = drop_reason(line)
    if reason == "caption":
        return 0.0
    if reason:
        return -10.0
    hangul = len(HANGUL.findall(line))
    if hangul >= 5 and len(line) >= 10 and (SENTENCE_END.search(line) or (len(line) > 80 and _LONG_END.search(line))):
        return float(len(line))
    return -(8.0 + 0.2 * len(line))


def _best_block(lines: list[str]) -> tuple[int, int]:
    """Maximum-sum run of line scores (Kadane)."""
    best, best_span = float("-inf"), (0, -1)
    total, start = 0.0, 0
    for i, line in enumerate(lines):
        score = _score(line)
        if total <= 0:
            total, start = score, i
        else:
            total += score
        if total > best and score > 0:
            best, best_span = total, (start, i)
    s, e = best_span
    while s <= e and _score(lines[s]) <= 0:
        s += 1
    return s, e


def _title(header: list[str], lines: list[str], entry_title: str | None) -> tuple[str, list[str]]:
    """Title and subtitles from the lines above the article block.

    Order: the current row of a board list; a line repeated in the header (captures often show
    the headline twice); the feed entry's title; the first headline-like line.
    """
    cfg = _text_rules()
    board = re.compile(cfg["board_prefix"])
    candidates = _candidates(header)
    title = ""
    row = re.compile(cfg["current_row"])
    for line in lines:
        m = row.match(line)
        if m:
            title = m.group("title").strip()
            break
    if not title:
        repeated = [ln for ln in candidates if candidates.count(ln) > 1]
        if repeated:
            title = repeated[0]
        elif entry_title:
            title = normalize_line(entry_title)
        else:
            title = next((ln for ln in candidates if len(ln) >= 14), candidates[0] if candidates else "")
    last = max((i for i, ln in enumerate(candidates) if ln == title), default=-1)
    subtitles = [ln for ln in dict.fromkeys(candidates[last + 1:]) if ln != title and not _caption_like(ln, lines)]
    while True:
        stripped = board.sub("", title, count=1)
        outlet = re.match(r"^\s*\[(?P<tag>[^\[\]]{1,12})\]\s*", stripped)
        if outlet and meta.canonical_publisher(outlet.group("tag")) in meta.known_publishers():
            stripped = stripped[outlet.end():]
        if stripped == title:
            break
        title = stripped
    return title.strip(), subtitles[:5]


def _candidates(header: list[str]) -> list[str]:
    """Header lines that could be a title or subtitle: not furniture, widgets, list items or boilerplate."""
    cfg = _text_rules()
    furniture, widget, label = re.compile(cfg["furniture"]), re.compile(cfg["widget"]), re.compile(cfg["list_label"])
    out = []
    for i, line in enumerate(header):
        if furniture.match(line) or widget.match(line) or not _title_like(line) or drop_reason(line):
            continue
        if i > 0 and label.match(header[i - 1]):
            continue
        out.append(line)
    return out


def _title_like(line: str) -> bool:
    """Could be a headline: 8-200 characters, words (Korean, or 4+ Latin words), no full sentence inside."""
    words = HANGUL.search(line) or len(re.findall(r"[A-Za-z]{2,}", line)) >= 4
    return 8 <= len(line) <= 200 and bool(words) and not (
        _DATE_ONLY.match(line) or "@" in line or _menu_like(line) or re.search(r"다\.(?:\s|$)", line))


def _menu_like(line: str) -> bool:
    """A run of short menu words without punctuation ("엔터경제 연예 스포츠 라이프& 피플 포토·영상")."""
    tokens = line.split()
    particles = sum(1 for t in tokens if t[-1] in "의과와을를이가은는에도로서만한된할고며")
    return (len(tokens) >= 5 and all(len(t) <= 6 or t.isascii() for t in tokens) and particles == 0
            and not re.search(r"[,'\"‘’“”…?!:()\[\]]", line))


def _headline_like(line: str) -> bool:
    """A first body line that is really the headline: short, no full stop, not a dateline."""
    return 8 <= len(line) <= 100 and not line.endswith((".", "다", "요")) and _title_like(line)


def _caption_like(line: str, lines: list[str]) -> bool:
    """A short line that starts a longer caption line elsewhere ("카카오·NC" / "카카오·NC[연합뉴스 자료사진]")."""
    return any(other != line and other.startswith(line) and drop_reason(other) for other in lines if other)


def _date(header: list[str], lines: list[str]):  # noqa: ANN202 - datetime | None
    for line in reversed(header):
        stamp = parse_stamp(line) if re.search(r"\d{4}", line) else None
        if stamp and (stamp.has_time or _DATE_ONLY.match(line)):
            return stamp.at
    row = re.compile(_text_rules()["current_row"])
    for line in lines:
        m = row.match(line)
        if m:
            return parse_date(m.group("date"))
    return meta.date_in_text("\n".join(header))
