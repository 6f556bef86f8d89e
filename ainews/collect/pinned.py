"""Resolve a host once, check the addresses, and connect only to what was checked (no DNS rebinding).

A guard that resolves a name, finds it public, and then lets the HTTP library resolve it again can be
fooled: the second answer (a short-TTL record an attacker controls) may be 127.0.0.1 or a cloud
metadata address. Here the `Pins` resolve each host once per run through an injectable resolver
(host → addresses), refuse it if any address is private/loopback/link-local/multicast (unless
`allow_private`), and remember the checked addresses. The transport's network backend then opens
TCP connections to those addresses only; the URL keeps its hostname, so the Host header, TLS SNI
and certificate verification are all for the name, not the IP. A host with no checked address is
never connected to.
"""

from __future__ import annotations

import asyncio
import functools
import ipaddress
import socket
import ssl
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

import httpcore
import httpx

from ainews.collect.asyncio_net import AsyncioBackend

Resolver = Callable[[str], Awaitable[list[str]]]


async def system_resolve(host: str) -> list[str]:
    """The host's addresses from the system resolver, in its order, without duplicates."""
    infos = await asyncio.get_running_loop().getaddrinfo(host, None, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def address_problem(host: str, addresses: Iterable[str]) -> str | None:
    """Why `host` at these addresses must not be contacted (private, loopback, ...), or None."""
    for text in addresses:
        try:
            address = ipaddress.ip_address(text.split("%", 1)[0])
        except ValueError:
            return f"resolver gave '{text}' for '{host}', not an IP address"
        address = getattr(address, "ipv4_mapped", None) or address
        if not address.is_global or address.is_multicast:
            return f"refusing non-public address {address} of '{host}' (--allow-private permits it)"
    return None


@functools.lru_cache(maxsize=4096)
def url_host(url: str) -> str:
    """The host as the connection sees it (lower case, IDNA-encoded, IPv6 without brackets).
    Cached: the fetcher asks several times per request (guard, robots, pacing), parsing is not free."""
    return httpx.URL(url).raw_host.decode("ascii")


class Pins:
    """Checked addresses per host for one run; `check` resolves each host once (concurrent callers wait)."""

    def __init__(self, resolver: Resolver | None = None, allow_private: bool = False) -> None:
        self.resolver = resolver or system_resolve
        self.allow_private = allow_private
        self._addresses: dict[str, list[str]] = {}
        self._problems: dict[str, str] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    async def check(self, host: str) -> str | None:
        """None when `host` may be contacted (its addresses are now pinned), else the reason it may not."""
        if host not in self._addresses and host not in self._problems:
            async with self._locks.setdefault(host, asyncio.Lock()):
                if host not in self._addresses and host not in self._problems:
                    await self._resolve(host)
        return self._problems.get(host)

    def addresses(self, host: str) -> list[str] | None:
        return self._addresses.get(host)

    async def _resolve(self, host: str) -> None:
        try:
            addresses = [str(ipaddress.ip_address(host))]
        except ValueError:
            try:
                addresses = list(await self.resolver(host))
            except (OSError, UnicodeError) as exc:
                self._problems[host] = f"cannot resolve host '{host}' ({exc})"
                return
        problem = None if addresses else f"cannot resolve host '{host}' (no addresses)"
        if problem is None and not self.allow_private:
            problem = address_problem(host, addresses)
        if problem:
            self._problems[host] = problem
        else:
            self._addresses[host] = addresses


class PinnedBackend(httpcore.AsyncNetworkBackend):
    """httpcore network backend that connects a hostname only to its pinned, checked addresses."""

    def __init__(self, pins: Pins) -> None:
        self.pins = pins
        self._inner = AsyncioBackend()  # not httpcore's AnyIO backend: see asyncio_net.py

    async def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                          local_address: str | None = None,
                          socket_options: Iterable[Any] | None = None) -> httpcore.AsyncNetworkStream:
        addresses = self.pins.addresses(host)
        if not addresses:
            raise httpcore.ConnectError(f"no checked address for '{host}': not connecting")
        error: Exception | None = None
        for address in addresses:
            try:
                return await self._inner.connect_tcp(address, port, timeout=timeout, local_address=local_address,
                                                     socket_options=socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                error = exc
        assert error is not None
        raise error

    async def connect_unix_socket(self, path: str, timeout: float | None = None,
                                  socket_options: Iterable[Any] | None = None) -> httpcore.AsyncNetworkStream:
        raise httpcore.ConnectError("unix sockets are not used by the fetcher")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


class PinnedTransport(httpx.AsyncHTTPTransport):
    """httpx's own transport (request/response mapping, errors) over a pool that uses PinnedBackend."""

    def __init__(self, pins: Pins, limits: httpx.Limits, ssl_context: ssl.SSLContext) -> None:
        super().__init__(limits=limits, trust_env=False, verify=ssl_context)
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=ssl_context, max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry, network_backend=PinnedBackend(pins),
        )


class PerHostTransport(httpx.AsyncBaseTransport):
    """One small pinned connection pool per host behind one client.

    httpcore scans every pooled connection on each request; with one shared pool over dozens of
    hosts that scan dominated the CPU time of a run. Per-host pools keep it to a couple of
    connections, matching the per-host concurrency limit the Fetcher enforces anyway.
    """

    def __init__(self, per_host: int, pins: Pins | None = None,
                 ssl_context: ssl.SSLContext | None = None) -> None:
        self.per_host = per_host
        self.pins = pins or Pins()
        self._pools: dict[tuple[str, str, int | None], httpx.AsyncHTTPTransport] = {}
        self._ssl = ssl_context  # one CA bundle load per run, not per host

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        key = (request.url.scheme, request.url.host, request.url.port)
        pool = self._pools.get(key)
        if pool is None:
            limits = httpx.Limits(max_connections=self.per_host, max_keepalive_connections=self.per_host)
            if self._ssl is None:
                self._ssl = httpx.create_ssl_context()
            pool = self._pools[key] = PinnedTransport(self.pins, limits, self._ssl)
        return await pool.handle_async_request(request)

    async def aclose(self) -> None:
        for pool in self._pools.values():
            await pool.aclose()
        self._pools.clear()
