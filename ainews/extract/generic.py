"""The generic path: an article from a page no site rule knows (or whose rule yielded junk).

Candidates for the body: the DOM block with the most Korean sentence evidence (density scoring,
link-heavy and furniture-classed elements penalised), JSON-LD `articleBody`, and trafilatura's
text; the quality gate and the sentence count choose. Metadata comes from independent evidence
(evidence.py). The vocabulary (class words, labels, byline shapes) is `sites/generic.toml`.
"""

from __future__ import annotations

import re
from functools import lru_cache

from selectolax.lexbor import LexborHTMLParser, LexborNode

from ainews.extract import evidence, meta, quality
from ainews.extract.blocks import is_furniture, ranked_blocks
from ainews.extract.boilerplate import clean_paragraphs, normalize_line, strip_line
from ainews.extract.html import Parsed, from_trafilatura, node_lines


@lru_cache(maxsize=1)
def _patterns() -> dict[str, re.Pattern[str]]:
    cfg = evidence.vocabulary()
    return {"end": re.compile(cfg["body"]["end_markers"], re.I), "head": re.compile(cfg["body"]["head_junk"], re.I),
            "mark": re.compile(cfg["subtitle"]["marks"])}


def extract_generic(tree: LexborHTMLParser, text: str, metas: dict[str, str]) -> Parsed:
    """Body, subtitles, date and reporters from evidence; title/publisher are left to the meta fill."""
    ld = evidence.json_ld_article(tree)
    visible = "\n".join(node_lines(tree.body)) if tree.body else ""
    parsed = Parsed(method="generic")
    parsed.published_at = evidence.published_at(tree, metas, ld, visible)
    subtitles = marked_subtitles(tree) or heading_decks(tree, metas)
    element_names = evidence.byline_names(tree)  # before _body cleans byline boxes out of the block
    blocks = ranked_blocks(tree)[:3]
    decks = preceding_decks(blocks[0]) if blocks else []  # before _body cleans the blocks
    raw_lines, paragraphs, method = _body(blocks, text, ld)
    if not subtitles:
        subtitles = decks or leading_decks(raw_lines)
    parsed.subtitles = subtitles
    parsed.paragraphs = [p for p in paragraphs if p not in subtitles]
    parsed.raw_text, parsed.method = "\n".join(raw_lines), method
    parsed.reporters = evidence.reporters(element_names, metas, ld, raw_lines)
    publishers = evidence.ld_names(ld.get("publisher"))
    if publishers and not metas.get("og:site_name"):
        parsed.publisher = meta.canonical_publisher(publishers[0])
    return parsed


def _body(blocks: list[LexborNode], text: str, ld: dict) -> tuple[list[str], list[str], str]:
    """(raw lines, clean paragraphs, method) of the first candidate that passes the gate, else the
    longest. trafilatura (the slowest) runs only when the DOM and JSON-LD candidates failed."""
    candidates: list[tuple[str, list[str], list[str]]] = []
    for rank, block in enumerate(blocks):
        raw = cut_at_end([ln for part in split_parts(block) for ln in block_lines(part)])
        paragraphs = trim(clean_paragraphs(raw))
        if rank == 0 or quality.check("\n\n".join(paragraphs))[0]:
            candidates.append(("generic:dom", raw, paragraphs))
    body = str(ld.get("articleBody") or "")
    if len(body) >= 100:
        raw = [ln for ln in re.split(r"\n+|(?<=다\.)\s+(?=\S)", normalize_br(body)) if ln.strip()]
        candidates.append(("generic:json-ld", raw, trim(clean_paragraphs(raw))))
    for candidate in candidates:
        if quality.check("\n\n".join(candidate[2]))[0]:
            return candidate[1], candidate[2], candidate[0]
    traf = from_trafilatura(text)
    candidates.append(("generic:trafilatura", traf.raw_text.splitlines(), trim(traf.paragraphs)))
    name, raw, paragraphs = next((c for c in candidates[-1:] if quality.check("\n\n".join(c[2]))[0]),
                                 max(candidates, key=lambda c: sum(len(p) for p in c[2])))
    return raw, paragraphs, name


def split_parts(block: LexborNode) -> list[LexborNode]:
    """An article split into sibling blocks of one class around ads and photos (`div.par` × 3): all
    of them, in page order; else the block alone."""
    cls = block.attributes.get("class")
    if not cls or block.parent is None:
        return [block]
    parts = [c for c in block.parent.iter() if c.tag == block.tag and c.attributes.get("class") == cls]
    return parts if len(parts) > 1 else [block]


def preceding_decks(block: LexborNode) -> list[str]:
    """A heading (h2–h4) right before the body block, holding short lines: the decks."""
    cfg = evidence.vocabulary()["subtitle"]
    first = split_parts(block)[0]
    prev = first.prev
    while prev is not None and prev.tag in ("-text", "-comment", "script", "style"):
        prev = prev.prev
    if prev is None or prev.tag not in ("h2", "h3", "h4"):
        return []
    lines = node_lines(prev)
    return lines[: cfg["max_lines"]] if all(len(ln) <= cfg["max_len"] for ln in lines) else []


def normalize_br(body: str) -> str:
    """articleBody sometimes carries markup (<br>, <p>): read it as lines."""
    if "<" not in body:
        return body
    doc = LexborHTMLParser(f"<div>{body}</div>")
    return "\n".join(node_lines(doc.body)) if doc.body else body


def block_lines(block: LexborNode) -> list[str]:
    """Lines of the chosen block after dropping captions, bylines boxes, share bars and the like."""
    for sel in evidence.vocabulary()["dom"]["drop"]:
        try:
            junk = block.css(sel)
        except Exception:  # noqa: BLE001,S112 - a bad selector in data must not break extraction
            continue
        for node in junk:
            if node.mem_id != block.mem_id:
                node.decompose()
    limit = evidence.vocabulary()["body"]["photo_caption_max"]
    for box in block.css("div, dl, table, span"):
        if box.mem_id != block.mem_id and box.css_first("img") is not None and len(box.text() or "") <= limit \
                and box.css_first("p") is None:
            box.decompose()
    return node_lines(block, max_link_ratio=0.8)


def cut_at_end(lines: list[str]) -> list[str]:
    """Stop at the first end marker (관련기사, copyright) once two lines of article have passed."""
    end = _patterns()["end"]
    for i, line in enumerate(lines):
        if i >= 2 and end.search(line):
            return lines[:i]
    return lines


def trim(paragraphs: list[str]) -> list[str]:
    """The body starts at the article (not a date line, byline or share bar) and stops before the
    first end marker (관련기사, copyright) once it has begun."""
    pats = _patterns()
    out = list(paragraphs)
    while out and (pats["head"].search(out[0]) or not strip_line(out[0]) or out[0] in meta.known_publishers()):
        out.pop(0)
    for i, line in enumerate(out):
        if i >= 2 and pats["end"].search(line):
            return out[:i]
    return out


def marked_subtitles(tree: LexborHTMLParser) -> list[str]:
    """Decks the page marks by class (`.subtitle`, `.sub_tit`, `.subheading` …)."""
    cfg = evidence.vocabulary()["subtitle"]
    for sel in cfg["selectors"]:
        try:
            nodes = tree.css(sel)
        except Exception:  # noqa: BLE001,S112 - a bad selector in data
            continue
        nodes = [n for n in nodes if not is_furniture(n) and "header" not in (n.attributes.get("class") or "")][:2]
        lines = [normalize_line(ln) for n in nodes for ln in node_lines(n, max_link_ratio=0.3)]
        lines = [ln for ln in lines if ln and len(ln) <= cfg["max_len"]]
        if lines:
            return lines[:cfg["max_lines"]]
    return []


def heading_decks(tree: LexborHTMLParser, metas: dict[str, str]) -> list[str]:
    """Short h2–h4 lines beside the headline element (same container) are its decks."""
    cfg = evidence.vocabulary()["subtitle"]
    title = normalize_line(metas.get("og:title") or "")
    for node in tree.css("h1, h2, h3"):
        text = normalize_line(node.text() or "")
        if not text or (title and text != title) or node.parent is None:
            continue
        decks = [normalize_line(h.text() or "") for h in node.parent.css("h2, h3, h4")
                 if h.mem_id != node.mem_id and h.parent is not None and h.parent.mem_id == node.parent.mem_id]
        return [d for d in decks if d and len(d) <= cfg["max_len"]][: cfg["max_lines"]]
    return []


def leading_decks(lines: list[str]) -> list[str]:
    """Lines starting with a deck mark (`-`, `▶`, `■`) at the very top of the block are subtitles."""
    pats = _patterns()
    decks: list[str] = []
    for line in lines[: 2 * evidence.vocabulary()["subtitle"]["max_lines"]]:
        if pats["head"].search(line) and not decks:
            continue
        if not pats["mark"].match(line) or len(line) > 120:
            break
        decks.append(normalize_line(line))
    return decks if len(decks) < len(lines) else []
