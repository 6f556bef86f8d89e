"""HTML cascade: site rule (selectors or embedded JSON) → the generic path when no rule matches or
the rule's body fails the quality gate (generic.py: DOM density, JSON-LD, trafilatura as candidates).

The DOM is parsed once with selectolax (lexbor); trafilatura runs at most once, and only on the
generic path, always on text we decoded ourselves (it mis-guesses Korean encodings).
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass, field
from datetime import datetime

import trafilatura
from selectolax.lexbor import LexborHTMLParser, LexborNode

from ainews.extract import evidence, meta, quality
from ainews.extract.blocks import is_inside
from ainews.extract.boilerplate import clean_paragraphs, normalize_line, trim_tail
from ainews.extract.rules import SiteRule, match_rule
from ainews.text.dates import parse_date
from ainews.text.patterns import CLOSERS, SENTENCE_END

BLOCK = frozenset({"p", "div", "section", "article", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "tr",
                   "table", "blockquote", "figure", "figcaption", "header", "footer", "dl", "dt", "dd", "pre",
                   "main", "aside", "center", "form", "hr", "td"})
SKIP = frozenset({"script", "style", "noscript", "iframe", "template", "svg", "button", "select", "textarea",
                  "input", "video", "audio", "object", "-comment", "head"})
MIN_RULE_BODY = 80
# trafilatura logs "discarding data: None" at WARNING for every page it finds empty; a failed
# extraction is reported through extraction_reason instead.
logging.getLogger("trafilatura").setLevel(logging.ERROR)


@dataclass(slots=True)
class Parsed:
    """What the HTML says, before the quality gate."""

    title: str = ""
    subtitles: list[str] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    publisher: str | None = None
    reporters: list[str] = field(default_factory=list)
    published_at: datetime | None = None
    canonical_url: str | None = None
    lang: str | None = None
    method: str = ""
    raw_text: str = ""
    host_hint: str | None = None


def node_lines(node: LexborNode, max_link_ratio: float = 1.0) -> list[str]:
    """Text of a node as lines: block elements and <br> end a line. Iterative (deep DOMs are fine).

    Lines whose text is mostly inside <a> (related-article lists, promos) are dropped when
    `max_link_ratio` < 1.
    """
    lines: list[str] = []
    buf: list[str] = []
    linked = [0, 0]  # open <a> depth, characters of link text in buf

    def flush() -> None:
        text = normalize_line("".join(buf))
        chars = sum(len(b) for b in buf) or 1
        if text and linked[1] / chars <= max_link_ratio:
            lines.append(text)
        buf.clear()
        linked[1] = 0

    stack: list[tuple[LexborNode | None, str]] = [(node, "open")]
    while stack:
        cur, action = stack.pop()
        if action == "close":
            flush()
            continue
        if action == "a-close":
            linked[0] -= 1
            continue
        assert cur is not None
        tag = cur.tag
        if tag == "-text":
            piece = cur.text(deep=False) or ""
            buf.append(piece)
            if linked[0] > 0:
                linked[1] += len(piece)
            continue
        if tag in SKIP:
            continue
        if tag == "br":
            flush()
            continue
        if tag in BLOCK:
            flush()
            stack.append((cur, "close"))
        elif tag == "a":
            linked[0] += 1
            stack.append((None, "a-close"))
        stack.extend((c, "open") for c in reversed(list(cur.iter(include_text=True))))
    flush()
    return lines


def select_values(tree: LexborHTMLParser | LexborNode, selectors: tuple[str, ...]) -> list[str]:
    """Values of the first selector that matches: text, or an attribute with `css@attr`."""
    for sel in selectors:
        css, _, attr = sel.partition("@")
        try:
            nodes = tree.css(css)
        except Exception:  # noqa: BLE001 - a bad selector in a data file must not break extraction
            continue
        values = []
        for n in nodes:
            value = (n.attributes.get(attr) or "") if attr else " ".join(node_lines(n))
            if value and value.strip():
                values.append(value.strip())
        if values:
            return values
    return []


def read_meta(tree: LexborHTMLParser) -> dict[str, str]:
    """<meta> name/property → content (first wins), plus canonical link and <html lang>."""
    out: dict[str, str] = {}
    for m in tree.css("meta"):
        key = (m.attributes.get("property") or m.attributes.get("name") or m.attributes.get("itemprop") or "").lower()
        value = m.attributes.get("content")
        if key and value and key not in out:
            out[key] = value.strip()
    link = tree.css_first("link[rel=canonical]")
    if link is not None and link.attributes.get("href"):
        out["canonical"] = link.attributes["href"].strip()
    html = tree.css_first("html")
    if html is not None and html.attributes.get("lang"):
        out["lang"] = (html.attributes.get("lang") or "").strip()
    title = tree.css_first("title")
    if title is not None:
        out["<title>"] = normalize_line(title.text())
    return out


def json_ld(tree: LexborHTMLParser) -> dict:
    """The NewsArticle-like JSON-LD object (lists, @graph, broken JSON tolerated), or {}."""
    return evidence.json_ld_article(tree)


def extract_html(text: str, url: str, host: str | None) -> Parsed:
    """Article parts of an HTML page."""
    tree = LexborHTMLParser(text)
    metas = read_meta(tree)
    rule = match_rule(tree, url, host)
    parsed = Parsed(method="none")
    if rule and rule.json:
        parsed = _from_json(text, rule)
    if rule and not parsed.paragraphs:
        parsed = from_rule(tree, rule)
    if not rule or not quality.check("\n\n".join(parsed.paragraphs))[0]:
        parsed = _generic_fallback(parsed, LexborHTMLParser(text) if rule else tree, text, metas)
    _fill_from_meta(parsed, tree, metas, rule, host)
    finish(parsed)
    return parsed


def _generic_fallback(ruled: Parsed, tree: LexborHTMLParser, text: str, metas: dict[str, str]) -> Parsed:
    """The generic article, keeping whatever metadata a (failed) rule did find."""
    from ainews.extract.generic import extract_generic

    generic = extract_generic(tree, text, metas)
    if not ruled.paragraphs or quality.check("\n\n".join(generic.paragraphs))[0]:
        failed_rule = f"{ruled.method}→" if ruled.method.startswith(("rule:", "json:")) else ""
        ruled.paragraphs, ruled.raw_text = generic.paragraphs, generic.raw_text
        ruled.method = failed_rule + generic.method  # `sources check` shows that a site's rule stopped working
        ruled.subtitles = ruled.subtitles or generic.subtitles
    ruled.title = ruled.title or generic.title
    ruled.published_at = ruled.published_at or generic.published_at
    ruled.reporters = ruled.reporters or generic.reporters
    ruled.publisher = ruled.publisher or generic.publisher
    return ruled


def finish(parsed: Parsed) -> None:
    """Shared tail: a closing credit line names the original outlet; leading headline-like lines
    (no sentence ending) are subtitles when the page marked none."""
    apply_credit(parsed)
    parsed.paragraphs = trim_tail(parsed.paragraphs)
    title = normalize_line(parsed.title)
    parsed.paragraphs = paragraphs = [p for p in parsed.paragraphs if p != title]
    parsed.subtitles = [s for s in parsed.subtitles if s != title]
    if not parsed.subtitles:
        lead = []
        for p in paragraphs[:5]:
            if len(p) > 90 or _SENTENCE_END.search(p):
                break
            lead.append(p)
        if lead and len(lead) < len(paragraphs):
            parsed.subtitles = lead
            parsed.paragraphs = paragraphs[len(lead):]


def apply_credit(parsed: Parsed) -> None:
    """"연합뉴스" alone (or after the last sentence) at the end: a copy of that outlet's article."""
    if not parsed.paragraphs:
        return
    last = parsed.paragraphs[-1].strip()
    credit = meta.credit_line(last)
    if not credit:
        return
    parsed.publisher = credit
    if meta.canonical_publisher(last) == credit and " " not in last.strip():
        parsed.paragraphs = parsed.paragraphs[:-1]
    else:
        parsed.paragraphs[-1] = last[: last.rfind(" ")].rstrip()


_SENTENCE_END = re.compile(SENTENCE_END.pattern + r"|(?:다|요)" + CLOSERS + r"$")


def from_rule(tree: LexborHTMLParser, rule: SiteRule) -> Parsed:
    """The article as a site rule's selectors find it (also used on HTML left in text captures)."""
    parsed = Parsed(method=f"rule:{rule.name}")
    subtitles = [ln for v in _select_nodes(tree, rule.selectors("subtitle"))[:1] for ln in node_lines(v)]
    parsed.subtitles = [s for s in subtitles if len(s) <= 200]
    bodies = _select_nodes(tree, rule.selectors("body"))
    for body in bodies:
        for sel in rule.selectors("drop") + rule.selectors("subtitle"):
            css = sel.partition("@")[0]
            try:
                for junk in body.css(css):
                    junk.decompose()
            except Exception:  # noqa: BLE001,S112 - bad selector in data
                continue
    lines = [ln for b in bodies for ln in node_lines(b, max_link_ratio=0.8)]
    parsed.raw_text = "\n".join(lines)
    parsed.paragraphs = clean_paragraphs([ln for ln in lines if ln not in parsed.subtitles])
    parsed.title = _first(select_values(tree, rule.selectors("title")))
    parsed.published_at = _first_date(select_values(tree, rule.selectors("date")))
    for value in select_values(tree, rule.selectors("reporter")):
        for name in meta.clean_reporter(value):
            if name not in parsed.reporters:
                parsed.reporters.append(name)
    labels = select_values(tree, rule.selectors("publisher"))
    parsed.publisher = rule.publisher or meta.canonical_publisher(_first(labels))
    return parsed


def _select_nodes(tree: LexborHTMLParser, selectors: tuple[str, ...]) -> list[LexborNode]:
    for sel in selectors:
        try:
            nodes = tree.css(sel.partition("@")[0])
        except Exception:  # noqa: BLE001,S112 - bad selector in data
            continue
        nodes = [n for n in nodes if not any(n is not m and is_inside(n, m) for m in nodes)]
        if nodes:
            return nodes
    return []


def _from_json(text: str, rule: SiteRule) -> Parsed:
    """Body and metadata from JSON embedded in a script (Arc/Fusion `globalContent`)."""
    spec = rule.json
    m = re.search(spec.get("marker", r"$^"), text)
    if not m:
        return Parsed()
    try:
        obj, _ = json.JSONDecoder().raw_decode(text[m.end():].lstrip())
    except ValueError:
        return Parsed()
    parsed = Parsed(method=f"json:{rule.name}")
    items = _path(obj, spec.get("body_list", "")) or []
    lines = []
    for item in items if isinstance(items, list) else []:
        if isinstance(item, dict) and item.get(spec.get("body_type_key", "type")) == spec.get("body_type", "text"):
            content = LexborHTMLParser(f"<div>{item.get(spec.get('body_text_key', 'content'), '')}</div>")
            lines.extend(node_lines(content.body) if content.body else [])
    parsed.paragraphs = clean_paragraphs(lines)
    parsed.title = normalize_line(str(_path(obj, spec.get("title", "")) or ""))
    subtitle = normalize_line(str(_path(obj, spec.get("subtitle", "")) or ""))
    parsed.subtitles = [subtitle] if subtitle else []
    parsed.published_at = parse_date(str(_path(obj, spec.get("date", "")) or ""))
    names = _path(obj, spec.get("reporters", "")) or []
    parsed.reporters = [n for v in (names if isinstance(names, list) else [names]) for n in meta.clean_reporter(str(v))]
    parsed.publisher = rule.publisher
    return parsed


def _path(obj: object, path: str) -> object:
    """Dotted path with `[]` to map over a list: "credits.by[].name"."""
    if not path:
        return None
    cur: object = obj
    for part in path.split("."):
        if part.endswith("[]"):
            cur = cur.get(part[:-2]) if isinstance(cur, dict) else None
            if not isinstance(cur, list):
                return None
            rest = path.split(part + ".", 1)[1] if part + "." in path else ""
            return [_path(x, rest) if rest else x for x in cur]
        cur = cur.get(part) if isinstance(cur, dict) else None
        if cur is None:
            return None
    return cur


def from_trafilatura(text: str) -> Parsed:
    try:
        out = trafilatura.extract(text, include_comments=False, include_tables=False, favor_precision=True,
                                  deduplicate=False) or ""
    except Exception:  # noqa: BLE001 - trafilatura failures are a failed extraction, not a crash
        out = ""
    return Parsed(paragraphs=clean_paragraphs(out.splitlines()), method="trafilatura", raw_text=out)


def _fill_from_meta(parsed: Parsed, tree: LexborHTMLParser, metas: dict[str, str], rule: SiteRule | None,
                    host: str | None) -> None:
    ld = json_ld(tree) if not (parsed.title and parsed.published_at) else {}
    if not parsed.title:
        parsed.title = (metas.get("og:title") or metas.get("twitter:title") or str(ld.get("headline") or "")
                        or _first(select_values(tree, ("h1",))) or metas.get("<title>", ""))
    parsed.title = clean_title(parsed.title, metas.get("og:site_name"))
    if parsed.published_at is None:
        for key in ("article:published_time", "dd:published_time", "og:regdate", "datepublished",
                    "pubdate", "publishdate", "date", "og:published_time"):
            if metas.get(key):
                parsed.published_at = parse_date(metas[key])
                if parsed.published_at:
                    break
    if parsed.published_at is None and ld.get("datePublished"):
        parsed.published_at = parse_date(str(ld["datePublished"]))
    if not parsed.reporters:
        for key in ("dable:author", "author", "article:author"):
            names = meta.clean_reporter(metas.get(key, ""))
            if names:
                parsed.reporters = names
                break
    if not parsed.publisher and not (rule and rule.portal):
        parsed.publisher = meta.canonical_publisher(metas.get("og:site_name")) if not meta.is_portal(host) else None
    if not parsed.publisher:
        parsed.publisher = meta.canonical_publisher(metas.get("og:article:author"))
    parsed.canonical_url = parsed.canonical_url or metas.get("canonical") or metas.get("og:url")
    parsed.lang = (metas.get("lang") or "").split("-")[0].lower() or None


def clean_title(title: str, site_name: str | None = None) -> str:
    """Drop a trailing site name (" : 네이버 뉴스", " - AI타임스", " : 뉴스 : 동아닷컴")."""
    title = normalize_line(title)
    for _ in range(3):
        m = re.match(r"^(?P<head>.+?)\s+[|:\-–—]\s+(?P<tail>[^|:\-–—]{1,25})$", title)
        if not m:
            break
        tail = m.group("tail").strip()
        if (site_name and tail == site_name.strip()) or meta.canonical_publisher(tail) in _known() or re.search(
                r"뉴스|닷컴|일보|신문|news|\.com|\.kr", tail, re.I):
            title = m.group("head").strip()
        else:
            break
    return title


def _known() -> set[str]:
    return meta.publisher_aliases()


def _first(values: list[str]) -> str:
    return values[0] if values else ""


def _first_date(values: list[str]) -> datetime | None:
    for value in values:
        dt = parse_date(value)
        if dt:
            return dt
    return None
