"""robots.txt, fetched once per origin per run and honoured (Disallow, Crawl-delay), as RFC 9309 says.

- 2xx: the rules apply, and the body is kept as the origin's last good copy (in the store, so it
  outlives the run);
- 4xx (other than 429): there are no rules, everything is allowed (RFC 9309 §2.3.1.3);
- unreachable (5xx or 429 after retries, timeout, connection error, a redirect loop, a refused
  address): the last good copy is used if it is at most 24 h old, otherwise the whole origin is
  disallowed for this run (§2.3.1.4). Its URLs are skipped with that reason, and retried next run.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

log = logging.getLogger("ainews.collect")

MAX_ROBOTS_BYTES = 512 * 1024
MAX_CRAWL_DELAY = 10.0  # a robots.txt asking for more is honoured only up to this many seconds
MAX_COPY_AGE = timedelta(hours=24)  # how long a last good copy stands in for an unreachable robots.txt


@dataclass(slots=True)
class RobotsAnswer:
    """What fetching robots.txt gave: a final HTTP status and body, or (status None) why it failed."""

    status: int | None
    body: bytes = b""
    error: str = ""


# fetch(url) -> RobotsAnswer; never raises
RobotsFetch = Callable[[str], Awaitable[RobotsAnswer]]


class RobotsMemory(Protocol):
    """Last good robots.txt per origin: (text, when fetched, UTC-aware)."""

    def get(self, origin: str) -> tuple[str, datetime] | None: ...

    def put(self, origin: str, text: str, fetched_at: datetime) -> None: ...


class InMemoryCopies:
    """RobotsMemory for a fetcher without a store (e.g. `ainews add URL`)."""

    def __init__(self) -> None:
        self._copies: dict[str, tuple[str, datetime]] = {}

    def get(self, origin: str) -> tuple[str, datetime] | None:
        return self._copies.get(origin)

    def put(self, origin: str, text: str, fetched_at: datetime) -> None:
        self._copies[origin] = (text, fetched_at)


@dataclass(slots=True)
class RobotsRules:
    parser: RobotFileParser | None  # None: allow everything
    blocked: str | None = None  # why the whole origin is disallowed (robots.txt unreachable)

    def allows(self, agent: str, url: str) -> bool:
        if self.blocked:
            return False
        return self.parser is None or self.parser.can_fetch(agent, url)

    def crawl_delay(self, agent: str) -> float:
        if self.parser is None:
            return 0.0
        delay = self.parser.crawl_delay(agent)
        try:
            return min(float(delay or 0.0), MAX_CRAWL_DELAY)
        except (TypeError, ValueError):
            return 0.0


def agent_token(user_agent: str) -> str:
    """The product token robots.txt groups are matched against ("ainews/0.1 (...)" → "ainews")."""
    return user_agent.split("/", 1)[0].split(" ", 1)[0].strip() or "*"


def parse_robots(text: str) -> RobotFileParser:
    parser = RobotFileParser()
    parser.parse(text.splitlines())
    return parser


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


class RobotsCache:
    """Per-origin rules for one run; concurrent first requests to a host wait for one fetch."""

    def __init__(self, user_agent: str, fetch: RobotsFetch, memory: RobotsMemory | None = None,
                 now: Callable[[], datetime] | None = None) -> None:
        self.agent = agent_token(user_agent)
        self._fetch = fetch
        self._memory: RobotsMemory = memory if memory is not None else InMemoryCopies()
        self._now = now or (lambda: datetime.now(UTC))
        self._rules: dict[str, RobotsRules] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    async def rules_for(self, url: str) -> RobotsRules:
        origin = origin_of(url)
        if origin in self._rules:
            return self._rules[origin]
        lock = self._locks.setdefault(origin, asyncio.Lock())
        async with lock:
            if origin not in self._rules:
                self._rules[origin] = await self._load(origin)
        return self._rules[origin]

    async def allowed(self, url: str) -> bool:
        return (await self.rules_for(url)).allows(self.agent, url)

    async def _load(self, origin: str) -> RobotsRules:
        answer = await self._fetch(origin + "/robots.txt")
        if answer.status is not None and 200 <= answer.status < 300:
            text = answer.body.decode("utf-8", "replace")
            self._memory.put(origin, text, self._now())
            return RobotsRules(parse_robots(text))
        if answer.status is not None:
            return RobotsRules(None)  # 4xx: no robots.txt, no rules
        return self._unreachable(origin, answer.error or "no answer")

    def _unreachable(self, origin: str, why: str) -> RobotsRules:
        copy = self._memory.get(origin)
        if copy is not None:
            text, fetched_at = copy
            age = self._now() - fetched_at
            if age <= MAX_COPY_AGE:
                log.info("robots.txt of %s unreachable (%s): using the copy from %.1f h ago", origin, why,
                         age.total_seconds() / 3600)
                return RobotsRules(parse_robots(text))
        reason = (f"robots.txt of {origin} unreachable ({why}) and no copy from the last 24 h: "
                  "host treated as disallowed (RFC 9309)")
        log.warning("%s", reason)
        return RobotsRules(None, blocked=reason)
