"""DNS rebinding: the fetcher connects to the address it checked, never to a later DNS answer.

The injected resolver plays the attacker's DNS: the first answer is the "public" address, every
later answer is the internal one. Both are loopback servers listening on the same port, so a
second resolution by the HTTP library would reach the internal one. The old fetcher had no
resolver to inject and let httpx resolve the name again at connect time.
"""

from __future__ import annotations

import asyncio
import http.server
import shutil
import ssl
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from pytest_httpserver import HTTPServer

from ainews.collect.http import Fetcher, FetchError
from ainews.collect.pinned import PerHostTransport, Pins
from tests.support.httpserver import Response, TestServer

NAME = "news.rebind.test"


class RebindingResolver:
    """First answer `first`, every later one `later` (what a short-TTL attacker's DNS does)."""

    def __init__(self, first: list[str], later: list[str]) -> None:
        self.first, self.later, self.calls = first, later, 0

    async def __call__(self, host: str) -> list[str]:
        self.calls += 1
        return self.first if self.calls == 1 else self.later


@pytest.fixture
def two_servers() -> Iterator[tuple[TestServer, HTTPServer]]:
    """127.0.0.2 ("public", TestServer) and 127.0.0.1 ("internal", pytest-httpserver) on one port."""
    with TestServer(hosts=["127.0.0.2"]) as public:
        internal = HTTPServer(host="127.0.0.1", port=public.ports["127.0.0.2"])
        internal.expect_request("/page").respond_with_data("INTERNAL SECRET")
        internal.expect_request("/robots.txt").respond_with_data("")
        internal.start()
        try:
            yield public, internal
        finally:
            internal.clear()
            internal.stop()


def _fetch(settings, urls: list[str], resolver, allow_private: bool = True) -> list[object]:  # noqa: ANN001
    async def go() -> list[object]:
        async with Fetcher(settings, allow_private=allow_private, resolver=resolver) as fetcher:
            return [await _safe(fetcher.fetch(u)) for u in urls]
    return asyncio.run(go())


async def _safe(coro):  # noqa: ANN001, ANN202
    try:
        return await coro
    except FetchError as exc:
        return exc


def test_connection_goes_to_the_checked_address_with_the_original_host(two_servers, settings) -> None:
    public, internal = two_servers
    public.routes["/page"] = public.routes["/page2"] = Response(body=b"public page")
    public.routes["/robots.txt"] = Response(404)
    port = public.ports["127.0.0.2"]
    resolver = RebindingResolver(first=["127.0.0.2"], later=["127.0.0.1"])
    url = f"http://{NAME}:{port}/page"
    results = _fetch(settings, [url, url + "2", url], resolver)

    assert [r.page.content for r in results] == [b"public page"] * 3, results  # type: ignore[union-attr]
    assert resolver.calls == 1  # resolved once; the later (internal) answer was never asked for
    assert len(internal.log) == 0  # nothing reached the internal server
    assert {r.headers["host"] for r in public.log} == {f"{NAME}:{port}"}  # Host is the name, not the IP
    assert [r.path for r in public.log] == ["/robots.txt", "/page", "/page2", "/page"]


def test_redirect_to_a_new_name_is_checked_and_pinned_too(two_servers, settings) -> None:
    public, internal = two_servers
    port = public.ports["127.0.0.2"]
    public.routes["/robots.txt"] = Response(404)
    public.routes["/go"] = Response(302, headers={"Location": f"http://other.rebind.test:{port}/page"})
    public.routes["/page"] = Response(body=b"public page")
    answers = {NAME: RebindingResolver(["127.0.0.2"], ["127.0.0.1"]),
               "other.rebind.test": RebindingResolver(["127.0.0.2"], ["127.0.0.1"])}

    async def resolver(host: str) -> list[str]:
        return await answers[host](host)

    [result] = _fetch(settings, [f"http://{NAME}:{port}/go"], resolver)
    assert result.page.content == b"public page"  # type: ignore[union-attr]
    assert len(internal.log) == 0 and all(r.calls == 1 for r in answers.values())


def test_guard_refuses_any_private_answer_before_connecting(two_servers, settings) -> None:
    public, internal = two_servers
    port = public.ports["127.0.0.2"]
    for first in (["127.0.0.1"], ["93.184.216.34", "127.0.0.1"], ["169.254.169.254"], ["::ffff:10.0.0.1"]):
        resolver = RebindingResolver(first=first, later=["127.0.0.2"])
        [result] = _fetch(settings, [f"http://{NAME}:{port}/page"], resolver, allow_private=False)
        assert isinstance(result, FetchError) and "non-public address" in result.reason, first
    assert len(internal.log) == 0 and public.log == []


def test_transport_never_connects_to_an_unchecked_host(two_servers) -> None:
    public, _internal = two_servers
    port = public.ports["127.0.0.2"]

    async def go() -> None:
        async with httpx.AsyncClient(transport=PerHostTransport(1, Pins())) as client:
            await client.get(f"http://127.0.0.2:{port}/page")

    with pytest.raises(httpx.ConnectError, match="no checked address"):
        asyncio.run(go())
    assert public.log == []


# --- TLS: SNI and certificate verification are for the name, while the socket goes to the pinned IP --

TLS_NAME = "news.pinned.test"


@pytest.fixture
def tls_server(tmp_path: Path) -> Iterator[tuple[int, Path, dict[str, list[str]]]]:
    if shutil.which("openssl") is None:
        pytest.skip("openssl command not found: needed to make a throwaway certificate")
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                    "-nodes", "-keyout", str(key), "-out", str(cert), "-days", "1", "-subj", f"/CN={TLS_NAME}",
                    "-addext", f"subjectAltName=DNS:{TLS_NAME}"], check=True, capture_output=True)
    seen: dict[str, list[str]] = {"sni": [], "host": []}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            seen["host"].append(self.headers.get("Host", ""))
            body = b"tls ok" if self.path == "/page" else b""
            self.send_response(200 if self.path == "/page" else 404)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    context.sni_callback = lambda _sock, name, _ctx: seen["sni"].append(name or "")  # type: ignore[assignment,func-returns-value]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1], cert, seen
    finally:
        server.shutdown()
        server.server_close()


def test_tls_uses_the_hostname_for_sni_and_certificate(tls_server, settings) -> None:
    port, cert, seen = tls_server
    trust = ssl.create_default_context(cafile=str(cert))
    resolver = RebindingResolver(first=["127.0.0.1"], later=["127.0.0.9"])

    async def go() -> object:
        async with Fetcher(settings, allow_private=True, resolver=resolver, ssl_context=trust) as fetcher:
            return await fetcher.fetch(f"https://{TLS_NAME}:{port}/page")

    result = asyncio.run(go())
    assert result.page.content == b"tls ok"  # type: ignore[attr-defined]  # the cert for the name verified
    assert set(seen["sni"]) == {TLS_NAME} and set(seen["host"]) == {f"{TLS_NAME}:{port}"}
    assert resolver.calls == 1
