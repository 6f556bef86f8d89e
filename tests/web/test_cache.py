"""Cached pages and API answers: ETag/Last-Modified, 304 on a matching conditional request, and a
fresh answer (new ETag) as soon as another process writes to the store."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from ainews.analyze.korean import index_tokens
from ainews.models import Story
from ainews.store import Store
from ainews.store.changes import fingerprint
from ainews.store.search import SearchIndex
from ainews.web.app import create_app
from tests.support.web_store import build_store

ROOT = Path(__file__).resolve().parents[2]
CAPTURE = """인공지능 스타트업 새 모델 공개

국내 인공지능 스타트업이 20일 새 거대언어모델을 공개했다. 이 모델은 한국어 이해 능력이 크게 좋아졌다고 회사는 밝혔다.
회사는 올해 안에 기업용 서비스를 시작하고 공공기관과 협력해 인공지능 활용 사례를 넓히겠다고 설명했다.
업계에서는 국산 모델의 경쟁력이 높아지고 있다는 평가가 나온다.
"""


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, Path, Store]]:
    path = tmp_path_factory.mktemp("cache") / "ainews.db"
    store, _ids = build_store(path, hostile=False)
    index = SearchIndex(store, index_tokens)
    index.sync()
    yield TestClient(create_app(store, index=index)), path, store
    store.close()


def test_second_request_is_304_with_the_etag(setup: tuple[TestClient, Path, Store]) -> None:
    client, _path, _store = setup
    first = client.get("/")
    assert first.status_code == 200 and first.text
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    assert etag.startswith('W/"') and modified.endswith("GMT")
    again = client.get("/", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag
    assert client.get("/", headers={"If-Modified-Since": modified}).status_code == 304
    assert client.get("/", headers={"If-None-Match": 'W/"other"'}).status_code == 200
    assert client.get("/?x=1").headers["etag"] != etag  # the URL is part of the tag


def test_repeat_answers_come_from_the_cache(setup: tuple[TestClient, Path, Store]) -> None:
    client, _path, _store = setup
    cache = client.app.state.page_cache
    for url in ("/archive", "/api/days", "/search?q=%EC%B9%B4%EC%B9%B4%EC%98%A4", "/trends"):
        first = client.get(url)
        hits = cache.hits
        second = client.get(url)
        assert second.status_code == 200 and second.content == first.content, url
        assert cache.hits == hits + 1, url
        assert second.headers["etag"] == first.headers["etag"]
    assert "etag" not in client.get("/day/not-a-day").headers  # errors are not cached or tagged


def test_a_write_by_another_process_gives_new_content(setup: tuple[TestClient, Path, Store], tmp_path: Path) -> None:
    client, path, _store = setup
    before = client.get("/api/days")
    counts = {row["day"]: row["count"] for row in before.json()}
    capture = tmp_path / "capture.txt"
    capture.write_text(CAPTURE, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "ainews.cli", "--db", str(path), "add", str(capture),
                           "--date", "2026-01-20"], capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    after = client.get("/api/days", headers={"If-None-Match": before.headers["etag"]})
    assert after.status_code == 200 and after.headers["etag"] != before.headers["etag"]
    assert {row["day"]: row["count"] for row in after.json()}["2026-01-20"] == counts.get("2026-01-20", 0) + 1


def test_fingerprint_moves_with_writes_only(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'f.db'}")
    start = fingerprint(store.engine)
    store.days()  # reads change nothing
    assert fingerprint(store.engine) == start
    with store.engine.begin() as conn:  # Core writes count too (the search index writes this way)
        conn.execute(text("INSERT INTO stories (id, title, representative_id, member_ids, summary) "
                          "VALUES ('s', 't', 1, '[]', '[]')"))
    moved = fingerprint(store.engine)
    assert moved[0] == start[0] + 1 and moved[1] is not None
    with pytest.raises(RuntimeError), store.session() as s:
        s.execute(text("DELETE FROM stories"))
        raise RuntimeError("rolled back")
    assert fingerprint(store.engine) == moved
    store.llm_cache_put("k", ["a"])  # bookkeeping no page shows (cache, queue, delivery log) is not a change
    assert fingerprint(store.engine) == moved
    store.save_story(Story(id="s2", title="두 번째", representative_id=1))
    assert fingerprint(store.engine)[0] == moved[0] + 1
    store.close()
