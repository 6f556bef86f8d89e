"""Spellings that mean the same thing (`OpenAI` = `오픈AI`), so a search for one finds the others."""

from __future__ import annotations

import logging
import re
from functools import lru_cache

from ainews import catalogue

log = logging.getLogger("ainews.store.search")
COMPANIES = "data/companies.toml"



def fold(value: str) -> str:
    """The comparison key of a spelling: no spaces, lower case."""
    return re.sub(r"\s+", "", value).lower()


def tag_key(value: str) -> str:
    """A tag as one index token (`오픈AI` → `오픈ai`), so a company tag outranks a word inside a name."""
    return fold(value).replace('"', "")


@lru_cache(maxsize=1)
def alias_groups() -> tuple[tuple[str, ...], ...]:
    """companies.toml `search_aliases` (products, spellings) plus its organisations; ambiguous
    organisations (`strict = true`, e.g. ARM/암) are not expanded."""
    try:
        data = catalogue.load(COMPANIES)
    except catalogue.CatalogueError as exc:
        log.warning("search aliases: %s unusable (%s); searching spellings as written", COMPANIES, exc)
        data = {}
    groups: list[list[str]] = [list(g) for g in data.get("search_aliases", [])]
    orgs = data.get("orgs", [])
    for org in orgs:
        if isinstance(org, dict) and org.get("name") and not org.get("strict"):
            names = [str(org["name"]), *[str(a) for a in org.get("aliases", []) if len(fold(str(a))) >= 2]]
            groups.append(names)
    merged: dict[str, set[str]] = {}
    for names in groups:  # union groups that share a spelling (오픈AI is in both lists)
        members = set(names)
        for key in {fold(n) for n in names}:
            if key in merged:
                members |= merged[key]
        for key in {fold(n) for n in members}:
            merged[key] = members
    unique = {tuple(sorted(m)) for m in merged.values()}
    return tuple(sorted(unique))


@lru_cache(maxsize=1)
def alias_index() -> dict[str, tuple[str, ...]]:
    """fold(spelling) → every spelling of the same thing."""
    return {fold(name): group for group in alias_groups() for name in group}
