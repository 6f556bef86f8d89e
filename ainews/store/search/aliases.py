"""Spellings that mean the same thing (`OpenAI` = `오픈AI`), so a search for one finds the others."""

from __future__ import annotations

import logging
import re
from functools import lru_cache

from ainews import catalogue

log = logging.getLogger("ainews.store.search")
COMPANIES = "data/companies.toml"

# Product names and spellings not in companies.toml (which holds organisations).
EXTRA_ALIASES: list[list[str]] = [
    ["오픈AI", "OpenAI", "오픈 AI", "오픈에이아이"],
    ["챗GPT", "ChatGPT", "챗 GPT"],
    ["하이퍼클로바X", "HyperCLOVA X", "하이퍼클로바", "HyperCLOVA"],
    ["엑사원", "EXAONE"],
    ["제미나이", "Gemini"],
    ["클로드", "Claude"],
    ["라마", "Llama"],
    ["독파모", "독자 AI 파운데이션 모델", "독자AI파운데이션모델"],
    ["카카오", "Kakao"],
    ["네이버", "NAVER", "Naver"],
]


def fold(value: str) -> str:
    """The comparison key of a spelling: no spaces, lower case."""
    return re.sub(r"\s+", "", value).lower()


def tag_key(value: str) -> str:
    """A tag as one index token (`오픈AI` → `오픈ai`), so a company tag outranks a word inside a name."""
    return fold(value).replace('"', "")


@lru_cache(maxsize=1)
def alias_groups() -> tuple[tuple[str, ...], ...]:
    """companies.toml organisations plus EXTRA_ALIASES; ambiguous organisations (`strict = true`,
    e.g. ARM/암) are not expanded."""
    groups: list[list[str]] = [list(g) for g in EXTRA_ALIASES]
    try:
        orgs = catalogue.load(COMPANIES).get("orgs", [])
    except catalogue.CatalogueError as exc:
        log.warning("search aliases: %s unreadable (%s); using built-in aliases only", COMPANIES, exc)
        orgs = []
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
