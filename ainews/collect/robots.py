"""robots.txt, fetched once per origin per run and honoured (Disallow, Crawl-delay).

A robots.txt that cannot be fetched (error, 4xx, 5xx, timeout) allows everything: we would
rather be told no explicitly than guess, and a dead robots.txt must not stop collection.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

log = logging.getLogger("ainews.collect")

MAX_ROBOTS_BYTES = 512 * 1024
MAX_CRAWL_DELAY = 10.0  # a robots.txt asking for more is honoured only up to this many seconds

# fetch(url) -> (status, body) or None when the request failed altogether
RobotsFetch = Callable[[str], Awaitable[tuple[int, bytes] | None]]


@dataclass(slots=True)
class RobotsRules:
    parser: RobotFileParser | None  # None: allow everything

    def allows(self, agent: str, url: str) -> bool:
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


def parse_robots(body: bytes) -> RobotFileParser:
    parser = RobotFileParser()
    parser.parse(body.decode("utf-8", "replace").splitlines())
    return parser


class RobotsCache:
    """Per-origin rules for one run; concurrent first requests to a host wait for one fetch."""

    def __init__(self, user_agent: str, fetch: RobotsFetch) -> None:
        self.agent = agent_token(user_agent)
        self._fetch = fetch
        self._rules: dict[str, RobotsRules] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    async def rules_for(self, url: str) -> RobotsRules:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}".lower()
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
        result = await self._fetch(origin + "/robots.txt")
        if result is None:
            log.info("robots.txt of %s unavailable: allowing all", origin)
            return RobotsRules(None)
        status, body = result
        if status != 200:
            return RobotsRules(None)
        return RobotsRules(parse_robots(body))
