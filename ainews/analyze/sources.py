"""Outlet knowledge for ranking (data/outlets.toml): which copies are aggregated, and outlet weights."""

from __future__ import annotations

import re

from ainews.catalogue import outlets
from ainews.models import Article
from ainews.text.urls import hostname

_SLUG = re.compile(r"%[eE][a-fA-F0-9]%[89abAB][a-fA-F0-9]%[89abAB][a-fA-F0-9]")


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
    return any(host == h or host.endswith("." + h) for h in outlets.copy_hosts())


def source_weight(article: Article) -> float:
    return outlets.weights().get(article.publisher or "", outlets.default_weight())
