"""Rendered pages and API answers cached by the store's change fingerprint, with ETag and
Last-Modified so a browser that already has the answer gets a bodiless 304.

The fingerprint (store/changes.py) moves with every write transaction of any process (`run`, `add`,
`analyze`, the search index catching up), so a cached answer is never older than the store. The
key also holds the KST date, because `/` shows today's digest once the day turns. Pure ASGI: a hit
never reaches the route, the thread pool or the template engine.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from typing import Any

from ainews.models import now_kst
from ainews.store import Store
from ainews.store.changes import fingerprint

Scope = dict[str, Any]
Message = dict[str, Any]
ASGIApp = Callable[..., Any]

MAX_ENTRIES = 2000
MAX_BYTES = 64 * 1024 * 1024
MAX_BODY = 2 * 1024 * 1024  # bigger answers are served fresh each time
SKIP_PREFIXES = ("/static/",)
CACHE_CONTROL = b"no-cache"  # keep it, but ask again each time (a 304 is cheap)


@dataclass(frozen=True)
class Entry:
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes


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
            self._bytes -= len(old.body) if old else 0
            self._entries[key] = entry
            self._bytes += len(entry.body)
            while self._entries and (len(self._entries) > self.max_entries or self._bytes > self.max_bytes):
                _key, dropped = self._entries.popitem(last=False)
                self._bytes -= len(dropped.body)


def etag_for(mark: tuple[Any, ...], path: str, query: bytes) -> str:
    digest = hashlib.sha256(repr((mark, path, query)).encode()).hexdigest()[:24]
    return f'W/"{digest}"'


def http_date(moment: datetime | None) -> str | None:
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


class CacheMiddleware:
    """Serve GET answers of `app` from a PageCache; answer 304 to a matching conditional request."""

    def __init__(self, app: ASGIApp, store: Store, cache: PageCache | None = None) -> None:
        self.app, self.store = app, store
        self.cache = cache or PageCache()

    async def __call__(self, scope: Scope, receive: Callable[..., Any], send: Callable[..., Any]) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD") or \
                scope["path"].startswith(SKIP_PREFIXES):
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        if b"authorization" in headers:
            await self.app(scope, receive, send)
            return
        counter, changed = fingerprint(self.store.engine)
        mark = (counter, changed, now_kst().date())
        path, query = scope.get("root_path", "") + scope["path"], scope.get("query_string", b"")
        etag = etag_for(mark, path, query)
        validators = [(b"etag", etag.encode()), (b"cache-control", CACHE_CONTROL)]
        if (modified := http_date(changed)) is not None:
            validators.append((b"last-modified", modified.encode()))
        if not_modified(headers, etag, changed):  # the client holds this very answer: no need to render it
            await _send(send, 304, validators, b"")
            return
        key = (mark, path, query)
        entry = self.cache.get(key)
        if entry is not None:
            await _send(send, entry.status, entry.headers, b"" if scope["method"] == "HEAD" else entry.body)
            return
        await self._fill(scope, receive, send, key, validators)

    async def _fill(self, scope: Scope, receive: Callable[..., Any], send: Callable[..., Any],
                    key: tuple[Any, ...], validators: list[tuple[bytes, bytes]]) -> None:
        """Run the route; keep a 200 answer (and stamp validators on it) for the next request."""
        start: Message = {}
        chunks: list[bytes] = []
        size = 0

        async def capture(message: Message) -> None:
            nonlocal size
            if message["type"] == "http.response.start":
                start.update(message)
                if message["status"] == 200:
                    message = message | {"headers": _merge(message.get("headers") or [], validators)}
            elif message["type"] == "http.response.body" and start.get("status") == 200 and size <= MAX_BODY:
                chunks.append(message.get("body", b""))
                size += len(chunks[-1])
                if not message.get("more_body") and size <= MAX_BODY and scope["method"] == "GET":
                    self.cache.put(key, Entry(200, _merge(start.get("headers") or [], validators), b"".join(chunks)))
            await send(message)

        await self.app(scope, receive, capture)


def _merge(headers: list[tuple[bytes, bytes]], extra: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    names = {name.lower() for name, _ in extra}
    return [(n, v) for n, v in headers if n.lower() not in names] + extra


async def _send(send: Callable[..., Any], status: int, headers: list[tuple[bytes, bytes]], body: bytes) -> None:
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
