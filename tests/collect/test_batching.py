"""Group commit of article writes against a real SQLite store: writes that arrive together share a
transaction, each caller gets its own answer, a bad write fails alone, nothing is stored twice."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

from ainews.collect.batching import WriteBatcher
from ainews.models import Article
from ainews.store.article_writes import ArticleWrite
from ainews.store.db import Store


def _article(n: int) -> Article:
    return Article(url=f"https://news.example.kr/a/{n}", title=f"기사 {n}", body=f"{n}번 기사 본문입니다.",
                   host="news.example.kr", content_hash=f"h{n}")


async def _write_all(store: Store, writes: list[ArticleWrite]) -> tuple[list[object], int]:
    db = ThreadPoolExecutor(max_workers=1)
    loop = asyncio.get_running_loop()
    batcher = WriteBatcher(store, lambda fn, *args: loop.run_in_executor(db, fn, *args))
    try:
        results = await asyncio.gather(*(batcher.write(w) for w in writes), return_exceptions=True)
    finally:
        db.shutdown(wait=True)
    return results, batcher.transactions


def test_writes_arriving_together_share_a_transaction_and_get_their_own_answers(any_db_url: str) -> None:
    store = Store(any_db_url)
    writes = [ArticleWrite(_article(n), [f"guid:{n}"], "src") for n in range(30)]
    writes.append(ArticleWrite(_article(3), ["guid:again"], "src"))  # the same article under a second GUID
    results, transactions = asyncio.run(_write_all(store, writes))
    assert transactions == 1
    assert [created for _id, created in results[:30]] == [True] * 30  # type: ignore[misc]
    assert results[30] == (results[3][0], False)  # type: ignore[index]
    assert store.count_articles() == 30
    assert store.known_keys(["guid:3", "guid:again", "guid:29", "guid:nope"]) == {"guid:3", "guid:again", "guid:29"}
    again, _ = asyncio.run(_write_all(store, writes))  # a re-run stores nothing twice
    assert all(created is False for _id, created in again)  # type: ignore[misc]
    assert store.count_articles() == 30


def test_a_bad_write_fails_alone(store: Store) -> None:
    bad = _article(99)
    bad.title = None  # type: ignore[assignment] - what a buggy extractor could hand over
    writes = [ArticleWrite(_article(1)), ArticleWrite(bad), ArticleWrite(_article(2))]
    results, transactions = asyncio.run(_write_all(store, writes))
    assert isinstance(results[1], TypeError)
    assert results[0][1] is True and results[2][1] is True  # type: ignore[index]
    assert transactions == 4  # the group, then each write alone
    assert sorted(a.url for a in store.iter_articles()) == [_article(1).url, _article(2).url]
