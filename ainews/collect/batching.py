"""Article writes of one collection run gathered into store transactions (group commit).

Dozens of article fetches finish at about the same time; each used to pay for its own store
transaction. Here each write waits for a transaction that holds every write queued meanwhile
(up to `MAX_BATCH`), run by the caller's store thread. Each caller still gets its own answer, and
only after its transaction committed: what a caller was told is stored is stored, and a crash
before a commit loses only writes nobody was told about (the next run fetches them again).
A failing group is retried one write per transaction, so one bad article fails alone.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from ainews.store.article_writes import ArticleWrite
from ainews.store.db import Store

log = logging.getLogger("ainews.collect")
MAX_BATCH = 200  # writes per transaction at most: keeps a transaction (and a lost group) small

InDb = Callable[..., Awaitable[Any]]  # runs a store call off the event loop, in order
Outcome = tuple[int, bool] | Exception


class WriteBatcher:
    """`await batcher.write(ArticleWrite(...))` → (article id, created), in a shared transaction."""

    def __init__(self, store: Store, in_db: InDb) -> None:
        self.store = store
        self._in_db = in_db
        self._pending: list[tuple[ArticleWrite, asyncio.Future[tuple[int, bool]]]] = []
        self._drain: asyncio.Task[None] | None = None
        self.transactions = 0

    async def write(self, write: ArticleWrite) -> tuple[int, bool]:
        future: asyncio.Future[tuple[int, bool]] = asyncio.get_running_loop().create_future()
        self._pending.append((write, future))
        if self._drain is None or self._drain.done():
            self._drain = asyncio.create_task(self._drain_pending())
        return await future

    async def _drain_pending(self) -> None:
        while self._pending:
            batch, self._pending = self._pending[:MAX_BATCH], self._pending[MAX_BATCH:]
            try:
                outcomes: list[Outcome] = await self._in_db(self._write_group, [write for write, _ in batch])
            except Exception as exc:  # noqa: BLE001 - the store thread is gone: every waiter hears why
                outcomes = [exc] * len(batch)
            except BaseException:  # cancelled: the waiters are told, the cancellation goes on
                for _write, future in batch:
                    if not future.done():
                        future.set_exception(RuntimeError("collection stopped before the article was stored"))
                raise
            for (_write, future), outcome in zip(batch, outcomes, strict=True):
                if future.done():
                    continue  # its caller was cancelled; the article is stored all the same
                if isinstance(outcome, Exception):
                    future.set_exception(outcome)
                else:
                    future.set_result(outcome)

    def _write_group(self, writes: list[ArticleWrite]) -> list[Outcome]:
        """In the store thread: the group in one transaction, else each write alone."""
        self.transactions += 1
        try:
            return list(self.store.store_articles(writes))
        except Exception as exc:  # noqa: BLE001 - handed back to the writes' callers
            if len(writes) == 1:
                return [exc]
            log.info("a group of %d article writes failed (%s); writing them one by one", len(writes), exc)
        return [self._write_group([write])[0] for write in writes]
