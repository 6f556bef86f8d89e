"""Outlet knowledge from taxonomy.toml [sources]: aggregator hosts and ranking weights."""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from importlib import resources
from typing import Any

from ainews.models import Article
from ainews.text.urls import hostname

_SLUG = re.compile(r"%[eE][a-fA-F0-9]%[89abAB][a-fA-F0-9]%[89abAB][a-fA-F0-9]")


@lru_cache(maxsize=1)
def _sources() -> dict[str, Any]:
    text = resources.files("ainews.data").joinpath("taxonomy.toml").read_text(encoding="utf-8")
    return tomllib.loads(text).get("sources", {})


def is_aggregator(article: Article) -> bool:
    """A copy on a portal, aggregator, blog platform or AMP mirror (not the original page).

    A path made of a percent-encoded Korean title (WordPress-style slug) is the mark of SEO copy
    sites; news outlets use article numbers.
    """
    url = article.url or ""
    host = article.host or hostname(url)
    if "/amp" in url or host.startswith("amp.") or ".amp." in host:
        return True
    if len(_SLUG.findall(url)) >= 6:
        return True
    return any(host == h or host.endswith("." + h) for h in _sources().get("aggregator_hosts", []))


def source_weight(article: Article) -> float:
    data = _sources()
    weights: dict[str, float] = data.get("weights", {})
    return float(weights.get(article.publisher or "", data.get("default_weight", 1.0)))
