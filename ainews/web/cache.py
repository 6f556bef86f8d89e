"""Rendered pages and API answers cached by the store's change fingerprint, with ETag and
Last-Modified so a browser that already has the answer gets a bodiless 304.

The fingerprint (store/changes.py) moves with every write transaction of any process (`run`, `add`,
`analyze`, the search index catching up), so a cached answer is never older than the store. The
key also holds the KST date, because `/` shows today's digest once the day turns. The ASGI side that
serves from it sits in front of FastAPI (web/fastpath.py).
"""

from __future__ import annotations

import gzip
import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from typing import Any

MAX_ENTRIES = 2000
MAX_BYTES = 64 * 1024 * 1024
MAX_BODY = 2 * 1024 * 1024  # bigger answers are served fresh each time
SKIP_PREFIXES = ("/static/",)
CACHE_CONTROL = b"no-cache"  # keep it, but ask again each time (a 304 is cheap)
GZIP_MIN = 1024  # smaller answers gain too little from compression
GZIP_TYPES = (b"text/", b"application/json", b"application/xml", b"image/svg+xml")


@dataclass(frozen=True)
class Entry:
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes
    etag: bytes = b""
    gzipped: tuple[int, list[tuple[bytes, bytes]], bytes] | None = None  # (status, headers, body)
    gzip_checked: bool = False  # gzipped was computed (None then means: not worth compressing)


class PageCache:
    """A bounded LRU of answers keyed by (fingerprint, KST day, path, query)."""

    def __init__(self, max_entries: int = MAX_ENTRIES, max_bytes: int = MAX_BYTES) -> None:
        self._entries: OrderedDict[tuple[Any, ...], Entry] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.max_entries, self.max_bytes = max_entries, max_bytes
        self.hits = self.misses = 0

    def get(self, key: tuple[Any, ...]) -> Entry | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
                self.hits += 1
            else:
                self.misses += 1
            return entry

    def put(self, key: tuple[Any, ...], entry: Entry) -> None:
        with self._lock:
            old = self._entries.pop(key, None)
            self._bytes -= entry_size(old) if old else 0
            self._entries[key] = entry
            self._bytes += entry_size(entry)
            while self._entries and (len(self._entries) > self.max_entries or self._bytes > self.max_bytes):
                _key, dropped = self._entries.popitem(last=False)
                self._bytes -= entry_size(dropped)

    def __len__(self) -> int:
        return len(self._entries)


def entry_size(entry: Entry) -> int:
    return len(entry.body) + (len(entry.gzipped[2]) if entry.gzipped else 0)


def etag_for(mark: tuple[Any, ...], path: str, query: Any) -> str:
    digest = hashlib.sha256(repr((mark, path, query)).encode()).hexdigest()[:24]
    return f'W/"{digest}"'


def last_modified_header(moment: datetime | None) -> str | None:
    return format_datetime(moment.replace(tzinfo=UTC), usegmt=True) if moment else None


def not_modified(headers: dict[bytes, bytes], etag: str, modified: datetime | None) -> bool:
    """If-None-Match wins over If-Modified-Since (RFC 9110 13.2.2)."""
    if b"if-none-match" in headers:
        tags = [t.strip() for t in headers[b"if-none-match"].decode("latin-1").split(",")]
        return "*" in tags or etag in tags or etag.removeprefix("W/") in tags
    since = headers.get(b"if-modified-since")
    if since and modified:
        try:
            return modified.replace(tzinfo=UTC, microsecond=0) <= parsedate_to_datetime(since.decode("latin-1"))
        except (TypeError, ValueError):
            return False
    return False


def merge_headers(headers: list[tuple[bytes, bytes]], extra: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    names = {name.lower() for name, _ in extra}
    return [(n, v) for n, v in headers if n.lower() not in names] + extra


def wants_gzip(accept_encoding: bytes) -> bool:
    """True when the client lists gzip without refusing it (`gzip;q=0`)."""
    for part in accept_encoding.lower().split(b","):
        name, _, params = part.strip().partition(b";")
        if name.strip() == b"gzip":
            return params.replace(b" ", b"") not in (b"q=0", b"q=0.0", b"q=0.00", b"q=0.000")
    return False


def with_gzip(status: int, headers: list[tuple[bytes, bytes]], body: bytes
              ) -> tuple[int, list[tuple[bytes, bytes]], bytes] | None:
    """The gzipped variant of a text answer worth compressing, made once when it is cached."""
    kind = dict((n.lower(), v) for n, v in headers).get(b"content-type", b"")
    if len(body) < GZIP_MIN or not kind.startswith(GZIP_TYPES) or \
            any(n.lower() == b"content-encoding" for n, _ in headers):
        return None
    packed = gzip.compress(body, compresslevel=6, mtime=0)
    out = [(n, v) for n, v in headers if n.lower() != b"content-length"]
    return status, [*out, (b"content-length", str(len(packed)).encode()), (b"content-encoding", b"gzip")], packed
