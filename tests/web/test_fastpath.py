"""The fast path in front of FastAPI, over a real uvicorn server: cached answers carry the security
headers, 304 on If-None-Match, one render for concurrent misses, gzip, one entry per decoded query,
and a search answer that changes as soon as `ainews add` (another process) changes the store."""

from __future__ import annotations

import asyncio
import gzip
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from ainews.analyze.korean import index_tokens
from ainews.store.search import SearchIndex
from ainews.web import guards
from ainews.web.app import create_app
from tests.support import pgserver as pg
from tests.support.web_store import build_store

ROOT = Path(__file__).resolve().parents[2]
WORD = "펭귄로봇"  # in no corpus article until the test adds one
CAPTURE = f"""{WORD} 스타트업, 남극 탐사용 인공지능 로봇 공개

국내 스타트업이 20일 남극 탐사에 쓰는 인공지능 로봇 {WORD}을 공개했다.
회사는 이 로봇이 얼음 위에서도 스스로 길을 찾는다고 밝혔다.
회사는 내년부터 연구기관과 함께 현장 시험을 시작하고 해외 탐사대에도 공급하겠다고 설명했다.
업계에서는 극지 탐사 로봇 시장이 커질 것이라는 평가가 나온다.
"""


class Server:
    """The app under uvicorn on a free loopback port, in a background thread."""

    def __init__(self, app: Any) -> None:
        import uvicorn

        self.app, self.port = app, pg.free_port()
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning",
                                                    lifespan="off"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        deadline = time.monotonic() + 15
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.05)
        return f"http://127.0.0.1:{self.port}"

    def __exit__(self, *_exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Any, Path]]:
    path = tmp_path_factory.mktemp("fastpath") / "ainews.db"
    store, _ids = build_store(path, hostile=False)
    index = SearchIndex(store, index_tokens)
    index.sync()
    app = create_app(store, index=index)
    with Server(app) as base:
        yield base, app, path
    store.close()


def counting(app: Any) -> tuple[Callable[..., Any], list[str]]:
    """`app` wrapped so each request that reaches the full app (a render) is noted."""
    seen: list[str] = []

    async def wrapped(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            seen.append(scope["path"])
        await app(scope, receive, send)

    return wrapped, seen


def assert_security_headers(response: httpx.Response) -> None:
    for name, value in guards.HEADERS:
        assert response.headers.get(name.decode()) == value.decode(), (response.status_code, name)


def test_cached_answers_and_304s_carry_the_security_headers(served: tuple[str, Any, Path]) -> None:
    base, app, _path = served
    cache = app.state.page_cache
    with httpx.Client(base_url=base) as client:
        first = client.get("/archive")
        hits = cache.hits
        second = client.get("/archive")
        assert cache.hits == hits + 1  # answered by the fast path
        assert second.status_code == 200 and second.content == first.content
        assert_security_headers(second)
        head = client.head("/archive")
        assert head.status_code == 200 and head.content == b"" and head.headers["etag"] == first.headers["etag"]
        assert_security_headers(head)
        again = client.get("/archive", headers={"If-None-Match": first.headers["etag"]})
        assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == first.headers["etag"]
        assert_security_headers(again)
        assert client.get("/archive", headers={"If-None-Match": 'W/"stale"'}).status_code == 200


def test_concurrent_misses_render_once(served: tuple[str, Any, Path]) -> None:
    base, app, _path = served
    fast = app.fast_path
    inner = fast.app
    fast.app, seen = counting(inner)
    try:
        async def burst() -> list[httpx.Response]:
            async with httpx.AsyncClient(base_url=base, limits=httpx.Limits(max_connections=30)) as client:
                return await asyncio.gather(*(client.get("/trends?weeks=13") for _ in range(30)))

        answers = asyncio.run(burst())
    finally:
        fast.app = inner
    assert {r.status_code for r in answers} == {200} and len({r.content for r in answers}) == 1
    assert seen.count("/trends") == 1, seen


def test_gzip_is_kept_for_clients_that_accept_it(served: tuple[str, Any, Path]) -> None:
    base, _app, _path = served
    with httpx.Client(base_url=base) as client:
        plain = client.get("/archive", headers={"Accept-Encoding": "identity"})
        raw = [client.stream("GET", "/archive", headers={"Accept-Encoding": "gzip"}) for _ in range(2)]
        packed = []
        for stream in raw:
            with stream as response:
                packed.append((response.headers.get("content-encoding"), b"".join(response.iter_raw()),
                               response.headers.get("vary")))
        refused = client.get("/archive", headers={"Accept-Encoding": "gzip;q=0, identity"})
    assert "content-encoding" not in plain.headers and plain.headers["vary"] == "Accept-Encoding"
    encoding, body, vary = packed[-1]
    assert encoding == "gzip" and vary == "Accept-Encoding"
    assert gzip.decompress(body) == plain.content and len(body) < len(plain.content)
    assert "content-encoding" not in refused.headers and refused.content == plain.content


def test_one_entry_per_query_as_the_routes_read_it(served: tuple[str, Any, Path]) -> None:
    base, app, _path = served
    cache = app.state.page_cache
    with httpx.Client(base_url=base) as client:
        first = client.get("/search?q=%EC%B9%B4%EC%B9%B4%EC%98%A4+AI")
        hits = cache.hits
        second = client.get("/search?q=%EC%B9%B4%EC%B9%B4%EC%98%A4%20AI")  # "+" and "%20" are one space
        assert second.content == first.content and cache.hits == hits + 1
        assert second.headers["etag"] == first.headers["etag"]


def test_a_cached_search_sees_an_article_added_by_another_process(served: tuple[str, Any, Path],
                                                                    tmp_path: Path) -> None:
    base, app, path = served
    url = f"/api/search?q={WORD}"
    with httpx.Client(base_url=base) as client:
        before = client.get(url)
        assert before.status_code == 200 and before.json() == []
        hits = app.state.page_cache.hits
        assert client.get(url).json() == [] and app.state.page_cache.hits == hits + 1  # cached
        capture = tmp_path / "capture.txt"
        capture.write_text(CAPTURE, encoding="utf-8")
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        done = subprocess.run([sys.executable, "-m", "ainews.cli", "--db", str(path), "add", str(capture),
                               "--date", "2026-01-20"], capture_output=True, text=True, env=env, timeout=300)
        assert done.returncode == 0, done.stderr
        after = client.get(url, headers={"If-None-Match": before.headers["etag"]})  # at once, no waiting
        assert after.status_code == 200 and after.headers["etag"] != before.headers["etag"]
        assert [WORD in hit["title"] for hit in after.json()] == [True]
        page = client.get(f"/search?q={WORD}")
        assert WORD in page.text and "남극" in page.text


def test_serve_with_two_workers(tmp_path: Path) -> None:
    store, _ids = build_store(tmp_path / "ainews.db", hostile=False)
    store.close()
    port = pg.free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    (tmp_path / "config.toml").write_text("", encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "ainews.cli", "--db", str(tmp_path / "ainews.db"), "--config",
                             str(tmp_path / "config.toml"), "serve", "--port", str(port), "--workers", "2"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env)
    try:
        deadline, answer = time.monotonic() + 120, None
        while answer is None and time.monotonic() < deadline and proc.poll() is None:
            try:
                answer = httpx.get(f"http://127.0.0.1:{port}/api/days", timeout=10)
            except httpx.HTTPError:
                time.sleep(0.3)
        assert answer is not None and answer.status_code == 200 and answer.json(), proc.poll()
        assert_security_headers(answer)
    finally:
        proc.terminate()
        output = proc.communicate(timeout=30)[0].decode(errors="replace")
    assert output.count("Started server process") >= 2, output


def test_an_answer_too_big_to_keep_goes_out_whole_and_tagged(served: tuple[str, Any, Path],
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    base, app, _path = served
    monkeypatch.setattr("ainews.web.fastpath.MAX_BODY", 100)  # every page is "too big" now
    cache = app.state.page_cache
    with httpx.Client(base_url=base) as client:
        kept = len(cache)
        answers = [client.get("/trends?weeks=20") for _ in range(2)]
    assert len(cache) == kept  # not kept: each request rendered and streamed it
    assert answers[0].status_code == 200 and len(answers[0].content) > 100
    assert answers[0].content == answers[1].content and "</html>" in answers[0].text
    assert answers[0].headers["etag"] and answers[0].headers["vary"] == "Accept-Encoding"
    assert_security_headers(answers[0])
