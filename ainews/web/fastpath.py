"""The fast path in front of FastAPI: a cached GET is answered before routing, validation and the
middleware stack, in a few dozen microseconds.

Answers are keyed by (store fingerprint, KST day, path, decoded query), the fingerprint coming from
a ChangeWatch (a file stat per request, not a query), so `run`/`add` in any process invalidates them.
A miss runs the whole app once: concurrent misses for the same key wait for that one render instead
of each rendering it (a cold story page under 50 clients was otherwise rendered ~13 times). Cached
answers were rendered through the app's SecurityHeaders, and the 304s made here get the same
headers, so every response carries them. A body asked for twice is kept gzipped too, for clients
that accept it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import replace
from typing import Any
from urllib.parse import parse_qsl

from fastapi import FastAPI

from ainews.models import now_kst
from ainews.store import Store
from ainews.store.changes import ChangeWatch
from ainews.web import guards
from ainews.web.cache import (
    CACHE_CONTROL,
    MAX_BODY,
    SKIP_PREFIXES,
    Entry,
    PageCache,
    etag_for,
    last_modified_header,
    merge_headers,
    not_modified,
    wants_gzip,
    with_gzip,
)

Scope = dict[str, Any]
Message = dict[str, Any]
ASGIApp = Callable[..., Any]
VARY = (b"vary", b"Accept-Encoding")
RENDERS = 4  # misses rendered at once; more only queue on the GIL and the store's connection pool


class FastPath:
    """Serve GET/HEAD answers of `app` from a PageCache; 304 to a matching conditional request."""

    def __init__(self, app: ASGIApp, store: Store, watch: ChangeWatch | None = None, renders: int = RENDERS) -> None:
        self.app, self.cache, self.watch = app, PageCache(), watch or ChangeWatch(store.engine)
        self.renders = asyncio.Semaphore(renders)
        self._filling: dict[tuple[Any, ...], asyncio.Event] = {}
        self._modified: tuple[Any, bytes | None] = (object(), None)

    async def __call__(self, scope: Scope, receive: Callable[..., Any], send: Callable[..., Any]) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD") or \
                scope["path"].startswith(SKIP_PREFIXES):
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        if b"authorization" in headers:
            await self.app(scope, receive, send)
            return
        key = self.key(scope)
        changed = key[0][1]
        entry = self.cache.get(key)
        etag = entry.etag if entry else etag_for(*key).encode()
        if not_modified(headers, etag.decode(), changed):  # the client holds this very answer
            await send_answer(send, 304, [*guards.HEADERS, *self.validators(etag, changed)], b"")
            return
        fresh = entry is None
        if entry is None and scope["method"] == "GET":
            entry = await self.fill_once(scope, receive, send, key, etag, changed)
            if entry is None:  # not cacheable: already answered
                return
        if entry is None:
            await self.app(scope, receive, send)
            return
        await self.send_entry(send, key, entry, gzip_ok=not fresh and wants_gzip(headers.get(b"accept-encoding", b"")),
                              head=scope["method"] == "HEAD")

    def key(self, scope: Scope) -> tuple[Any, ...]:
        """((counter, changed, KST day), path, query as the routes decode it: %-forms share an entry)."""
        counter, changed = self.watch.current()
        raw = scope.get("query_string", b"")
        query = tuple(parse_qsl(raw.decode("latin-1"), keep_blank_values=True)) if raw else ()
        return (counter, changed, now_kst().date()), scope.get("root_path", "") + scope["path"], query

    async def send_entry(self, send: Callable[..., Any], key: tuple[Any, ...], entry: Entry, gzip_ok: bool,
                         head: bool) -> None:
        """The kept answer, gzipped when the client takes it (compressed on the page's second request,
        so a page asked for once never pays)."""
        variant = (entry.status, entry.headers, entry.body)
        if gzip_ok:
            if not entry.gzip_checked:
                entry = replace(entry, gzipped=with_gzip(entry.status, entry.headers, entry.body), gzip_checked=True)
                self.cache.put(key, entry)
            variant = entry.gzipped or variant
        status, out, body = variant
        await send_answer(send, status, out, b"" if head else body)

    def validators(self, etag: bytes, changed: Any) -> list[tuple[bytes, bytes]]:
        if self._modified[0] != changed:
            stamp = last_modified_header(changed)
            self._modified = (changed, stamp.encode() if stamp else None)
        out = [(b"etag", etag), (b"cache-control", CACHE_CONTROL), VARY]
        return out + [(b"last-modified", self._modified[1])] if self._modified[1] else out

    async def fill_once(self, scope: Scope, receive: Callable[..., Any], send: Callable[..., Any],
                        key: tuple[Any, ...], etag: bytes, changed: Any) -> Entry | None:
        """Render the answer, or wait for the render already under way: the entry to send, or None
        when the answer was not cacheable and this call already sent it."""
        waiting = self._filling.get(key)
        if waiting is not None:
            await waiting.wait()
            entry = self.cache.get(key)
            # that render was not kept (an error page): render for ourselves
            return entry if entry is not None else await self.fill(scope, receive, send, key, etag, changed)
        done = self._filling[key] = asyncio.Event()
        try:
            return await self.fill(scope, receive, send, key, etag, changed)
        finally:
            del self._filling[key]
            done.set()

    async def fill(self, scope: Scope, receive: Callable[..., Any], send: Callable[..., Any],
                   key: tuple[Any, ...], etag: bytes, changed: Any) -> Entry | None:
        """Run the whole app. A 200 answer up to MAX_BODY is held back, kept and returned unsent, so
        neither a render slot nor the requests waiting for it wait on a slow reader; anything else
        goes out as the app sends it."""
        held: list[Message] = []
        size, passing = 0, False

        def tagged(message: Message) -> Message:  # a 200 not kept still carries its validators
            if message["type"] != "http.response.start":
                return message
            return message | {"headers": merge_headers(message.get("headers") or [], self.validators(etag, changed))}

        async def capture(message: Message) -> None:
            nonlocal size, passing
            if not passing and message["type"] not in ("http.response.start", "http.response.body"):
                await send(message)  # e.g. the test client's template debug message: nothing to keep
                return
            if not passing:
                if message["type"] == "http.response.start" and message["status"] == 200 and not held:
                    held.append(message)
                    return
                if held and message["type"] == "http.response.body":
                    held.append(message)
                    size += len(message.get("body", b""))
                    if size <= MAX_BODY:
                        return
                    message = held.pop()
                passing = True  # not a 200, or too big to keep: out it goes, as it comes
                for early in held:
                    await send(tagged(early))
                held.clear()
            await send(message)

        async with self.renders:  # waiting here costs nothing; 40 threads fighting over 2 cores do
            await self.app(scope, receive, capture)
        if passing or not held or held[-1]["type"] != "http.response.body" or held[-1].get("more_body"):
            for message in held:  # the app stopped before its last body message: pass on what it sent
                await send(tagged(message))
            return None
        headers = merge_headers(held[0].get("headers") or [], self.validators(etag, changed))
        entry = Entry(200, headers, b"".join(m.get("body", b"") for m in held[1:]), etag)
        self.cache.put(key, entry)
        return entry


class CachedFastAPI(FastAPI):
    """FastAPI behind a FastPath: `fast_path.cache` holds the answers, `full` is the whole app."""

    def __init__(self, store: Store, watch: ChangeWatch | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.fast_path = FastPath(self.full, store, watch)

    async def __call__(self, scope: Scope, receive: Callable[..., Any], send: Callable[..., Any]) -> None:
        await self.fast_path(scope, receive, send)

    async def full(self, scope: Scope, receive: Callable[..., Any], send: Callable[..., Any]) -> None:
        await super().__call__(scope, receive, send)


async def send_answer(send: Callable[..., Any], status: int, headers: list[tuple[bytes, bytes]], body: bytes) -> None:
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
