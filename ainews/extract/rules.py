"""Per-site extraction rules, loaded from `sites/*.toml` (files with a [match] table; catalogue).

A rule matches a page by host suffix, by URL pattern, or by a marker element present in the DOM,
so one file serves a whole CMS family (ND소프트's `articleView.html?idxno=` sites) on any host.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import lru_cache

from selectolax.lexbor import LexborHTMLParser

from ainews import catalogue


@dataclass(frozen=True, slots=True)
class SiteRule:
    name: str
    hosts: tuple[str, ...] = ()
    url_patterns: tuple[re.Pattern[str], ...] = ()
    markers: tuple[str, ...] = ()
    publisher: str | None = None
    portal: bool = False  # a portal's page: the publisher is the outlet it credits, never the portal
    select: dict[str, tuple[str, ...]] = field(default_factory=dict)
    json: dict[str, str] = field(default_factory=dict)

    def selectors(self, key: str) -> tuple[str, ...]:
        return self.select.get(key, ())


@lru_cache(maxsize=1)
def site_rules() -> tuple[SiteRule, ...]:
    """All site rules, in file-name order."""
    out = []
    for file in catalogue.site_rule_names():
        data = catalogue.load(file)
        match = data["match"]
        out.append(SiteRule(
            name=data.get("name", file.rsplit("/", 1)[-1].removesuffix(".toml")),
            hosts=tuple(match.get("hosts", [])),
            url_patterns=tuple(re.compile(p) for p in match.get("url_patterns", [])),
            markers=tuple(match.get("markers", [])),
            publisher=data.get("publisher"),
            portal=bool(data.get("portal", False)),
            select={k: tuple(v) for k, v in data.get("select", {}).items()},
            json=dict(data.get("json", {})),
        ))
    return tuple(out)


RULES_OFF: ContextVar[bool] = ContextVar("RULES_OFF", default=False)


@contextmanager
def rules_disabled() -> Iterator[None]:
    """Run extraction as on an outlet nobody wrote a rule for (the generic path's benchmark)."""
    token = RULES_OFF.set(True)
    try:
        yield
    finally:
        RULES_OFF.reset(token)


def match_rule(tree: LexborHTMLParser, url: str, host: str | None) -> SiteRule | None:
    """The rule for this page: host first, then URL pattern, then a marker element in the DOM."""
    if RULES_OFF.get():
        return None
    rules = site_rules()
    if host:
        for rule in rules:
            if any(host == h or host.endswith("." + h) for h in rule.hosts):
                return rule
    for rule in rules:
        if any(p.search(url or "") for p in rule.url_patterns):
            return rule
    for rule in rules:
        if any(tree.css_first(m) is not None for m in rule.markers):
            return rule
    return None
