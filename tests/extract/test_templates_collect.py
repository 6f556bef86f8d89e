"""Template learning in a real collection: a loopback outlet whose every page carries the same
promo and "많이 본 뉴스" box; after the run the stored bodies are the articles alone."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from ainews.collect.run import collect
from ainews.collect.sources import Source
from ainews.config import HttpSettings, Settings
from ainews.extract import extract
from ainews.models import RawPage
from ainews.store.db import Store
from tests.support.httpserver import Response, TestServer

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "collect"))
from tests.support.collect_pages import rss  # noqa: E402

CHROME_TOP = "<p>[테크브리핑] 구독하고 매일 아침 AI 소식을 받아보세요</p>"
CHROME_BOTTOM = ("<h3>많이 본 뉴스</h3><ul><li>삼성전자, 새 AI 칩 공개</li><li>카카오 AI 비서 출시</li>"
                 "<li>네이버 하이퍼클로바X 업데이트</li></ul>"
                 "<p>이 기사는 예시일보 AI 뉴스레터 테크브리핑에도 실렸습니다. "
                 "지난 호는 홈페이지에서 볼 수 있습니다.</p>")
CHROME = ("구독하고", "테크브리핑에도", "많이 본 뉴스")


def page(n: int) -> bytes:
    prose = "".join(
        f"<p>{n}번 회사가 새 인공지능 모델 {n}-{i}을 공개했다. 업계는 이번 발표가 시장에 큰 영향을 줄 것으로 "
        f"본다고 밝혔다. 전문가들은 안전성 논의도 함께 필요하다고 지적했다.</p>" for i in range(3))
    return (f"<!doctype html><html lang='ko'><head><meta charset='utf-8'><title>AI 기사 {n}</title></head>"
            f"<body><article><h1>AI 기사 {n}</h1>{CHROME_TOP}{prose}{CHROME_BOTTOM}</article></body></html>"
            ).encode()


def test_collected_pages_lose_their_repeated_chrome(tmp_path: Path) -> None:
    alone = extract(RawPage(url="http://127.0.0.1/news/1.html", content=page(1), content_type="text/html"))
    assert "구독하고" in alone.body  # the extractor's rules alone keep (some of) the chrome
    settings = Settings(db=str(tmp_path / "t.db"), http=HttpSettings(per_host_delay=0.0, timeout=2.0, retries=0))
    store = Store(f"sqlite:///{tmp_path / 'ainews.db'}")
    with TestServer() as server:
        urls = []
        for n in range(4):
            server.routes[f"/news/{n}.html"] = Response(body=page(n), headers={"Content-Type": "text/html"})
            urls.append(server.url(f"/news/{n}.html"))
        server.routes["/rss.xml"] = Response(body=rss([(f"AI 기사 {n}", u) for n, u in enumerate(urls)]))
        source = Source(name="예시일보", url=server.url("/rss.xml"), kind="feed")
        report = asyncio.run(collect(settings, store, [source], allow_private=True))
    assert report.articles_new == 4
    bodies = [a.body for a in store.iter_articles()]
    assert all(not any(c in b for c in CHROME) for b in bodies)
    assert all(b.count("인공지능 모델") == 3 for b in bodies)  # the articles themselves are whole
    store.close()
