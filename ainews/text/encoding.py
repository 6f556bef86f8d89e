"""Bytes → text. Decide the encoding ourselves (header, BOM, <meta>/XML declaration, then
charset-normalizer), because trafilatura and feedparser guess badly on Korean pages.
An EUC-KR label is decoded as CP949, its superset, as browsers do."""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

_ALIASES = {"euc-kr": "cp949", "euc_kr": "cp949", "ks_c_5601-1987": "cp949", "ksc5601": "cp949",
            "x-windows-949": "cp949", "windows-949": "cp949", "iso-8859-1": "cp1252",
            "us-ascii": "utf-8", "ascii": "utf-8"}
_META = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w:.-]+)""", re.I)
_XML = re.compile(rb"""<\?xml[^>]*encoding\s*=\s*["']([\w.-]+)["']""", re.I)
_HEADER = re.compile(r"charset\s*=\s*[\"']?([\w:.-]+)", re.I)


def _normalize(label: str | None) -> str | None:
    if not label:
        return None
    label = label.strip().lower()
    label = _ALIASES.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def _strict(content: bytes, encoding: str | None) -> str | None:
    if not encoding:
        return None
    try:
        return content.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def detect_declared(content: bytes, content_type: str = "") -> list[str]:
    """Declared encodings in order of authority: BOM, HTTP header, <meta>/XML declaration."""
    found: list[str | None] = []
    if content.startswith(codecs.BOM_UTF8):
        found.append("utf-8")
    match = _HEADER.search(content_type or "")
    found.append(_normalize(match.group(1)) if match else None)
    head = content[:4096]
    for pattern in (_XML, _META):
        for m in pattern.finditer(head):
            found.append(_normalize(m.group(1).decode("ascii", "ignore")))
    return [e for e in dict.fromkeys(found) if e]


def decode(content: bytes, content_type: str = "") -> str:
    """Decode page bytes to text without mojibake; never raises.

    Valid UTF-8 wins even against a contrary declaration (pages transcoded by a save tool keep
    their old `<meta charset=euc-kr>`); then declarations; then detection; finally lossy UTF-8.
    """
    if content.startswith(codecs.BOM_UTF8):
        content = content[len(codecs.BOM_UTF8):]
    elif content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):  # the BOM decides (Windows saves)
        text = _strict(content, "utf-16")
        if text is not None:
            return text
    text = _strict(content, "utf-8")
    if text is not None:
        return text
    for encoding in detect_declared(content, content_type):
        text = _strict(content, encoding)
        if text is not None:
            return text
    best = from_bytes(content[:200_000]).best()
    if best is not None and best.encoding:
        encoding = _normalize(best.encoding) or best.encoding
        text = _strict(content, encoding)
        if text is not None:
            return text
    for fallback in ("cp949", "utf-8"):
        text = _strict(content, fallback)
        if text is not None:
            return text
    return content.decode("utf-8", "replace")
