"""Polite asynchronous HTTP: one client per run, limits per host, robots.txt, conditional GET.

What "polite" means here, all from `[http]` settings:
- at most `concurrency` requests in flight, at most `per_host_concurrency` per host, and no two
  requests to one host starting closer than `per_host_delay` seconds (or robots.txt Crawl-delay,
  capped at 10 s, when larger);
- an honest User-Agent; robots.txt honoured per RFC 9309 (robots.py: disallowed URLs are never
  requested; an unreachable robots.txt disallows its host unless a copy younger than 24 h is kept);
- conditional GET: the caller passes a URL's stored ETag/Last-Modified (`Validators`) and gets the
  response's back on the result to store, so an unchanged feed costs a 304 (the fetcher holds no
  store: it is network only; robots.txt copies come through a `RobotsMemory`);
- retries with exponential backoff and jitter on timeouts, connection errors, 5xx and 429, never
  on other 4xx; Retry-After honoured up to `MAX_RETRY_AFTER` seconds.
Safety: only http/https, at most `max_redirects` hops (each checked like the first), bodies cut at
`max_bytes` (RawPage.truncated), a total deadline of `timeout` seconds per attempt (a slow-drip
body cannot hold a slot forever), and no private/loopback/link-local addresses unless
`allow_private`: each host is resolved once and connected to at exactly the checked addresses
(pinned.py), so a DNS answer that changes after the check is never used.
Bytes are not decoded here: RawPage carries them with the Content-Type header.
"""

from __future__ import annotations

import asyncio
import logging
import random
import ssl
import time
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager, nullcontext, suppress
from dataclasses import dataclass, field
from typing import Protocol
from urllib.parse import urljoin, urlsplit

import httpx

from ainews.collect.pinned import PerHostTransport, Pins, Resolver, url_host
from ainews.collect.robots import MAX_ROBOTS_BYTES, RobotsAnswer, RobotsCache, RobotsMemory
from ainews.config import HttpSettings, Settings
from ainews.errors import UserError
from ainews.models import RawPage, Validators
from ainews.text.dates import http_date

log = logging.getLogger("ainews.collect")

MAX_RETRY_AFTER = 30.0
_REDIRECTS = {301, 302, 303, 307, 308}
BASE_HEADERS = {"Accept": "*/*", "Accept-Encoding": "gzip, deflate", "Connection": "keep-alive",
                "Accept-Language": "ko,en;q=0.5"}
TRANSIENT_REASONS = ("timed out", "HTTP 5", "HTTP 429", "connection ", "server closed")


class FetchError(UserError):
    """A URL that could not be fetched; str() is one line for the user (no traceback needed)."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"{reason}: {url}")
        self.url = url
        self.reason = reason


    @property
    def transient(self) -> bool:
        """Worth another try later (timeouts, connection trouble, 5xx, 429); 4xx and robots are not."""
        return self.reason.startswith(TRANSIENT_REASONS) and not isinstance(self, RobotsDisallowed)


class RobotsDisallowed(FetchError):
    """robots.txt forbids this URL for our user agent: skipped, never requested."""


class RobotsUnreachable(FetchError):
    """The host's robots.txt could not be fetched and no copy is recent: skipped now, retried next run."""


class Pacer(Protocol):
    """Per-host turns shared beyond this process (store/pacing.py); None = this process only."""

    async def turn(self, host: str, delay: float) -> None: ...

    async def sent(self, host: str, delay: float, ago: float) -> None: ...

    async def hold(self, host: str, seconds: float) -> None: ...

    def slot(self, host: str, slots: int) -> AbstractAsyncContextManager[None]: ...


@dataclass(slots=True)
class FetchResult:
    """Outcome of one fetch. `page` is None when the server said 304 Not Modified.
    `validators`: the response's ETag/Last-Modified (on a 304, the ones that were sent)."""

    url: str
    status: int
    page: RawPage | None
    validators: Validators = Validators()

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def to_remember(self) -> Validators | None:
        """What to store for the next conditional GET: a complete 200's validators (maybe empty)."""
        if self.status != 200 or (self.page is not None and self.page.truncated):
            return None
        return self.validators


@dataclass(slots=True)
class _Host:
    """Per-host pacing: a semaphore for concurrency and the start time of the last request."""

    slots: asyncio.Semaphore
    delay: float
    gate: asyncio.Lock = field(default_factory=asyncio.Lock)
    last_start: float = float("-inf")
    requests: int = 0


@dataclass(slots=True)
class _Body:
    status: int
    headers: httpx.Headers
    content: bytes = b""
    truncated: bool = False
    retry_after: float | None = field(default=None)


def _http_settings(settings: Settings | HttpSettings) -> HttpSettings:
    return settings.http if isinstance(settings, Settings) else settings


class Fetcher:
    """Fetch URLs politely for one run. Use as `async with Fetcher(settings) as f:`.

    `robots_copies` keeps each origin's last good robots.txt beyond the run (default: this run
    only); `resolver` (host → addresses) replaces the system resolver, `ssl_context` the CA bundle;
    a custom `transport` replaces the pinned one and with it the connect-to-the-checked-address rule.
    """

    def __init__(self, settings: Settings | HttpSettings, *, robots_copies: RobotsMemory | None = None,
                 allow_private: bool = False, transport: httpx.AsyncBaseTransport | None = None,
                 resolver: Resolver | None = None, ssl_context: ssl.SSLContext | None = None,
                 pacer: Pacer | None = None) -> None:
        self.http = _http_settings(settings)
        self.pacer = pacer
        self.allow_private = allow_private
        self.requests = 0
        self._transport = transport
        self._wire: httpx.AsyncBaseTransport | None = None  # the transport in use, between enter and exit
        self._headers = httpx.Headers({**BASE_HEADERS, "User-Agent": self.http.user_agent})
        self._cookies = httpx.Cookies()  # what a site set is sent back to it, as a browser (and httpx) would
        self._timeouts = httpx.Timeout(self.http.timeout).as_dict()
        self._global = asyncio.Semaphore(max(1, self.http.concurrency))
        self._hosts: dict[str, _Host] = {}
        self._pins = Pins(resolver, allow_private)
        self._ssl = ssl_context
        self._robots = RobotsCache(self.http.user_agent, self._fetch_robots, robots_copies)

    async def __aenter__(self) -> Fetcher:
        self._wire = self._transport or PerHostTransport(max(1, self.http.per_host_concurrency), self._pins,
                                                           self._ssl)
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._wire is not None:
            await self._wire.aclose()
            self._wire = None

    # --- public ---------------------------------------------------------------------------

    async def fetch(self, url: str, validators: Validators | None = None) -> FetchResult:
        """GET `url` following redirects; with `validators` (a URL's stored ETag/Last-Modified) the
        request is conditional and a 304 comes back without a page.

        Raises FetchError (RobotsDisallowed for robots.txt) with a one-line reason.
        """
        headers: dict[str, str] = {}
        if validators is not None:
            if validators.etag:
                headers["If-None-Match"] = validators.etag
            if validators.last_modified:
                headers["If-Modified-Since"] = validators.last_modified
        http = self.http
        final_url, body = await self._follow(url, headers, http.max_bytes, http.retries, robots=True)
        if body.status == 304 and headers:
            return FetchResult(final_url, 304, None, validators or Validators())
        if not 200 <= body.status < 300:
            raise FetchError(url, f"HTTP {body.status}")
        page = RawPage(url=final_url, content=body.content, content_type=body.headers.get("content-type", ""),
                       truncated=body.truncated)
        if body.truncated:
            log.warning("body cut at %d bytes: %s", self.http.max_bytes, final_url)
        return FetchResult(final_url, body.status, page,
                           Validators(body.headers.get("etag"), body.headers.get("last-modified")))

    def host_requests(self) -> dict[str, int]:
        return {name: host.requests for name, host in self._hosts.items()}

    # --- redirects, robots, address guard -------------------------------------------------

    async def _follow(self, url: str, headers: dict[str, str], max_bytes: int, retries: int,
                      *, robots: bool) -> tuple[str, _Body]:
        seen: set[str] = set()
        for _hop in range(self.http.max_redirects + 1):
            await self._check_url(url)
            if robots and self.http.respect_robots:
                await self._obey_robots(url)
            body = await self._with_retries(url, headers, max_bytes, retries)
            if body.status not in _REDIRECTS:
                return url, body
            location = body.headers.get("location")
            if not location:
                raise FetchError(url, f"HTTP {body.status} without Location")
            seen.add(url)
            url = urljoin(url, location.strip())
            if url in seen:
                raise FetchError(url, "redirect loop")
            headers = {}  # validators belong to the first URL only
        raise FetchError(url, f"more than {self.http.max_redirects} redirects")

    async def _check_url(self, url: str) -> None:
        """Scheme and host, then the address guard: the host is resolved once per run and the
        connection goes to the very addresses checked here (see pinned.py), never to a later answer."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            raise FetchError(url, f"unsupported scheme '{parts.scheme}' (only http/https)")
        try:
            host = url_host(url) if parts.hostname else ""
            _ = parts.port
        except (ValueError, httpx.InvalidURL, UnicodeError) as exc:
            raise FetchError(url, f"bad host or port ({exc})") from exc
        if not host:
            raise FetchError(url, "no host in URL")
        problem = await self._pins.check(host)
        if problem:
            raise FetchError(url, problem)

    async def _fetch_robots(self, url: str) -> RobotsAnswer:
        """robots.txt with the usual retries: a 5xx/429 left after them is "unreachable", like a timeout."""
        try:
            _final, body = await self._follow(url, {}, MAX_ROBOTS_BYTES, self.http.retries, robots=False)
        except FetchError as exc:
            return RobotsAnswer(None, error=exc.reason)
        return RobotsAnswer(body.status, body.content)

    async def _obey_robots(self, url: str) -> None:
        """Refuse what robots.txt disallows; slow the host down to its Crawl-delay (capped)."""
        rules = await self._robots.rules_for(url)
        if rules.blocked:
            raise RobotsUnreachable(url, f"skipped: {rules.blocked}")
        host = self._host(url)
        host.delay = max(host.delay, rules.crawl_delay(self._robots.agent))
        if not rules.allows(self._robots.agent, url):
            raise RobotsDisallowed(url, "disallowed by robots.txt")

    # --- one request with retries and pacing ----------------------------------------------

    async def _with_retries(self, url: str, headers: dict[str, str], max_bytes: int, retries: int) -> _Body:
        attempt = 0
        while True:
            try:
                body = await self._attempt(url, headers, max_bytes)
            except FetchError:
                if attempt >= retries:
                    raise
            else:
                retryable = body.status >= 500 or body.status == 429
                if not retryable or attempt >= retries:
                    if retryable:
                        raise FetchError(url, f"HTTP {body.status} after {attempt + 1} attempts")
                    return body
                if body.retry_after is not None:
                    if self.pacer is not None:
                        await self.pacer.hold(url_host(url), min(body.retry_after, MAX_RETRY_AFTER))
                    await asyncio.sleep(min(body.retry_after, MAX_RETRY_AFTER))
                    attempt += 1
                    continue
            await asyncio.sleep(self.http.backoff * (2 ** attempt) * (0.5 + random.random()))
            attempt += 1

    def _host(self, url: str) -> _Host:
        name = url_host(url)
        host = self._hosts.get(name)
        if host is None:
            host = _Host(asyncio.Semaphore(max(1, self.http.per_host_concurrency)), self.http.per_host_delay)
            self._hosts[name] = host
        return host

    async def _attempt(self, url: str, headers: dict[str, str], max_bytes: int) -> _Body:
        """One request under the limits. Pacing counts from when request headers hit the socket:
        the host's gate stays closed from the pacing check until then, so a slow connect or a busy
        loop cannot bunch two requests together on the wire."""
        host = self._host(url)
        loop = asyncio.get_running_loop()
        async with host.slots, self._shared_slot(url):
            while (wait := host.last_start + host.delay - loop.time()) > 0:
                await asyncio.sleep(wait)
            async with self._global:
                await host.gate.acquire()
                opened = False

                def open_gate() -> None:
                    nonlocal opened
                    if not opened:
                        opened = True
                        host.last_start = loop.time()
                        host.gate.release()

                async def trace(event: str, _info: dict) -> None:
                    if event.endswith("send_request_headers.complete"):
                        open_gate()

                try:
                    while (wait := host.last_start + host.delay - loop.time()) > 0:
                        await asyncio.sleep(wait)
                    if self.pacer is not None:
                        await self.pacer.turn(url_host(url), host.delay)
                    host.last_start = loop.time()
                    host.requests += 1
                    self.requests += 1
                    return await self._send(url, headers, max_bytes, trace)
                finally:
                    open_gate()
                    if self.pacer is not None:  # still holding the shared slot: the next turn waits for this
                        with suppress(Exception):  # bookkeeping never masks the request's outcome
                            await self.pacer.sent(url_host(url), host.delay, loop.time() - host.last_start)

    def _shared_slot(self, url: str) -> AbstractAsyncContextManager[None]:
        if self.pacer is None:
            return nullcontext()
        return self.pacer.slot(url_host(url), self.http.per_host_concurrency)

    async def _send(self, url: str, headers: dict[str, str], max_bytes: int, trace: Callable) -> _Body:
        assert self._wire is not None, "use Fetcher inside 'async with'"
        try:
            async with asyncio.timeout(self.http.timeout):
                request = self._request(url, headers, trace)
                response = await self._wire.handle_async_request(request)
                try:
                    if "set-cookie" in response.headers:
                        response.request = request
                        self._cookies.extract_cookies(response)
                    body = _Body(response.status_code, response.headers)
                    if 200 <= response.status_code < 300:
                        body.content, body.truncated = await _read_capped(response, max_bytes)
                    body.retry_after = _retry_after(response.headers.get("retry-after"))
                    log.debug("GET %s: HTTP %d", url, response.status_code)
                    return body
                finally:
                    await response.aclose()
        except TimeoutError as exc:
            raise FetchError(url, f"timed out after {self.http.timeout:g} s") from exc
        except httpx.TimeoutException as exc:
            raise FetchError(url, f"timed out ({type(exc).__name__})") from exc
        except httpx.HTTPError as exc:
            raise FetchError(url, _describe(exc)) from exc

    def _request(self, url: str, headers: dict[str, str], trace: Callable) -> httpx.Request:
        """What httpx.AsyncClient would send (its default headers, our User-Agent, stored cookies),
        built without the client: its auth/redirect/hook layers cost CPU on every request and the
        fetcher does its own redirects."""
        merged = self._headers.copy()
        merged.update(headers)
        request = httpx.Request("GET", url, headers=merged,
                                extensions={"timeout": self._timeouts, "trace": trace})
        if self._cookies:
            self._cookies.set_cookie_header(request)
        return request


async def _read_capped(response: httpx.Response, max_bytes: int) -> tuple[bytes, bool]:
    """Read at most `max_bytes` of the (decompressed) body; the rest is never downloaded."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.aiter_bytes():
        if size + len(chunk) > max_bytes:
            chunks.append(chunk[: max_bytes - size])
            return b"".join(chunks), True
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks), False


def _retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or HTTP date); None when absent/bad."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    when = http_date(value)
    if when is None:
        return None
    return max(0.0, when.timestamp() - time.time())


def _describe(exc: httpx.HTTPError) -> str:
    text = str(exc).splitlines()[0] if str(exc) else ""
    kind = {
        httpx.ConnectError: "connection failed",
        httpx.ReadError: "connection broken while reading",
        httpx.RemoteProtocolError: "server closed or broke the connection",
        httpx.WriteError: "connection broken while sending",
        httpx.UnsupportedProtocol: "unsupported protocol",
        httpx.InvalidURL: "invalid URL",
    }
    for cls, label in kind.items():
        if isinstance(exc, cls):
            return f"{label} ({text})" if text else label
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


async def fetch_one(url: str, settings: Settings | HttpSettings, *, allow_private: bool = False) -> RawPage:
    """Fetch a single page politely (robots, limits, guard) for `ainews add/extract URL`."""
    async with Fetcher(settings, allow_private=allow_private) as fetcher:
        result = await fetcher.fetch(url)
    assert result.page is not None  # no validators were sent, so no 304
    return result.page
