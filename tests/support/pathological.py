"""Pathological markup: the pages of issue 12's attacker test and their relatives.

Shared by tests/fuzz, tests/extract and benchmarks/pathological_pages.py. Each generator returns
bytes a hostile host could serve under the fetch cap.
"""

from __future__ import annotations

HEAD = b"<!doctype html><html><head><meta charset='utf-8'><title>\xec\xa0\x9c\xeb\xaa\xa9</title></head><body>"


def million_paragraphs(count: int = 1_000_000) -> bytes:
    """9 MB of `<p>ab</p>`: a million nodes, each a line, under the 10 MB fetch cap."""
    return HEAD + b"<p>ab</p>" * count + b"</body></html>"


def deep_unclosed(depth: int = 100_000) -> bytes:
    """`<div><span><b>` repeated without closing: 300,000 levels of nesting in 1.4 MB."""
    return HEAD + b"<div><span><b>" * depth + "인공지능 기사 본문".encode() + b"</body></html>"


def deep_closed(depth: int = 50_000) -> bytes:
    """Properly closed but absurdly deep nesting around one paragraph."""
    return HEAD + b"<div>" * depth + "<p>인공지능 기사 본문입니다.</p>".encode() + b"</div>" * depth + b"</body></html>"


def huge_attributes(size: int = 4_000_000, count: int = 2) -> bytes:
    """Attributes of megabytes (a class list, a data-URI) on otherwise ordinary elements."""
    attr = b"a" * size
    return HEAD + b"".join(b'<div class="' + attr + b'" data-x="' + attr[: size // 4] + b'"><p>text</p></div>'
                           for _ in range(count)) + b"</body></html>"


def entity_flood(count: int = 1_000_000) -> bytes:
    """A million character references in one paragraph (named, decimal, hex)."""
    return HEAD + b"<p>" + b"&amp;&#44032;&#xAC00;" * (count // 3) + b"</p></body></html>"


def many_attributes(count: int = 200_000) -> bytes:
    """One element with hundreds of thousands of attributes."""
    return HEAD + b"<div " + b" ".join(b"a%d=x" % i for i in range(count)) + b"><p>text</p></div></body></html>"


def giant_text_node(size: int = 8_000_000) -> bytes:
    """One text node of 8 MB without a single space or tag (regexes over it must stay linear)."""
    return HEAD + b"<p>" + "가".encode() * (size // 3) + b"</p></body></html>"


GENERATORS = {
    "million_paragraphs": million_paragraphs,
    "deep_unclosed": deep_unclosed,
    "deep_closed": deep_closed,
    "huge_attributes": huge_attributes,
    "entity_flood": entity_flood,
    "many_attributes": many_attributes,
    "giant_text_node": giant_text_node,
}
