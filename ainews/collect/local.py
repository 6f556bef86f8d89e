"""Reading what a user hands us on disk into RawPages, refusing what cannot be an article."""

from __future__ import annotations

import os
from pathlib import Path

from ainews.errors import UserError
from ainews.models import RawPage

MAX_FILE_BYTES = 20 * 1024 * 1024
_HTML_SUFFIXES = {".html", ".htm", ".xhtml", ".mhtml"}


class InputError(UserError):
    """An input that cannot be read as a document; the message is one line for the user."""


def printable_name(path: str | Path) -> str:
    """A file name as text that can be printed and stored: bytes that are not UTF-8 as \\xNN."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def read_path(path: str | Path, max_bytes: int = MAX_FILE_BYTES) -> RawPage:
    if printable_name(path) != os.fspath(path):
        raise InputError(f"{printable_name(path)}: file name is not valid UTF-8 (rename the file to add it)")
    file = Path(path).expanduser()
    if not file.exists():
        raise InputError(f"{path}: no such file")
    if file.is_dir():
        raise InputError(f"{path}: is a directory (give the files inside it)")
    size = file.stat().st_size
    if size == 0:
        raise InputError(f"{path}: empty file")
    if size > max_bytes:
        raise InputError(f"{path}: {size / 1e6:.1f} MB is over the {max_bytes / 1e6:.0f} MB limit for one page")
    content = file.read_bytes()
    if looks_binary(content):
        raise InputError(f"{path}: binary file, not an HTML page or text")
    return RawPage(url=str(file), content=content, content_type=guess_content_type(file, content),
                   source="file")


def looks_binary(content: bytes) -> bool:
    """NUL bytes or many control characters in the head: not a page (text may be any encoding)."""
    head = content[:8192]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 with a BOM: NULs are half of ASCII text
        return _not_utf16(head)
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    return controls > len(head) * 0.05


def _not_utf16(head: bytes) -> bool:
    text = head[: len(head) // 2 * 2].decode("utf-16", "replace")
    return sum(1 for ch in text if ord(ch) < 9 or 13 < ord(ch) < 32) > len(text) * 0.05


def guess_content_type(file: Path, content: bytes) -> str:
    if file.suffix.lower() in _HTML_SUFFIXES:
        return "text/html"
    head = content[:2048]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = head[: len(head) // 2 * 2].decode("utf-16", "replace").encode("utf-8")
    head = head.lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html")) or b"<head" in head or b"<body" in head:
        return "text/html"
    return "text/plain"
