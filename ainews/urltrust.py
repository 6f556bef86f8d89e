"""Which URLs a page may claim, and which URLs we ever store or publish.

Two decisions, used by extraction, the store and the publishers:
- `ainews.text.urls.clean_web_url`: only plain http(s) addresses are stored or linked;
  `page_reference` here adds local file paths for pages handed over as files.
- `trusted_canonical`: a page's canonical URL (`<link rel=canonical>`, `og:url`) becomes the
  article's identity only when it is on the page's own registrable domain, or when the page's
  host is a syndicator in `data/outlets.toml` (`syndicates`) (a portal that reposts outlets' articles).
  Otherwise any site could name another site's article as its canonical and overwrite that row.

Registrable domains come from the Public Suffix List that the `publicsuffixlist` package ships
(read from the package's own file; nothing is downloaded), so `news.naver.com` and
`n.news.naver.com` are both `naver.com`, and `zdnet.co.kr` is not `co.kr`.
"""

from __future__ import annotations

import ipaddress
import logging
import re
from dataclasses import dataclass
from functools import lru_cache

from publicsuffixlist import PublicSuffixList

from ainews.catalogue import outlets
from ainews.text.urls import clean_web_url, hostname

log = logging.getLogger(__name__)

_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)


def page_reference(url: str | None) -> str:
    """An article's `url` as stored and published: a clean http(s) address, a local file path
    (a page handed over as a file), or "" for anything else (`javascript:`, `data:`, CR/LF)."""
    web = clean_web_url(url)
    if web is not None:
        return web
    if not url or _SCHEME.match(url) or re.search(r"[\x00-\x1f\x7f]", url):
        return ""
    return url


def registrable_domain(host: str) -> str:
    """The part of `host` one owner registered (PSL); an IP address or a bare name is itself."""
    host = host.rstrip(".").lower()
    try:
        ipaddress.ip_address(host)
        return host
    except ValueError:
        pass
    return _psl().privatesuffix(host) or host


def same_site(url_a: str, url_b: str) -> bool:
    """Both http(s) URLs on one registrable domain."""
    host_a, host_b = hostname(url_a), hostname(url_b)
    return bool(host_a) and registrable_domain(host_a) == registrable_domain(host_b)


def is_repost(url: str | None, canonical_url: str | None) -> bool:
    """A page whose accepted canonical is on another site: a syndicated copy of that article."""
    page, canonical = clean_web_url(url), clean_web_url(canonical_url)
    if page is None or canonical is None:
        return False
    return not same_site(page, canonical)


def trusted_canonical(canonical_url: str | None, page_url: str) -> str | None:
    """The canonical URL the page may claim, or None (the page is then keyed by its own URL).

    A page handed over as a file has no host to compare with; its canonical is its only address.
    """
    canonical = clean_web_url(canonical_url)
    if canonical is None:
        return None
    page = clean_web_url(page_url)
    if page is None:
        return None if _SCHEME.match(page_url or "") else canonical
    if same_site(page, canonical) or _syndicates(hostname(page), hostname(canonical)):
        return canonical
    log.info("ignoring canonical %s of %s: another site, not a listed syndicator", canonical[:200], page[:200])
    return None


@dataclass(frozen=True, slots=True)
class Syndicator:
    name: str
    hosts: tuple[str, ...]
    outlets: tuple[str, ...]  # registrable domains, or "*"

    def covers(self, host: str) -> bool:
        return any(host == h or host.endswith("." + h) for h in self.hosts)

    def may_name(self, canonical_host: str) -> bool:
        return "*" in self.outlets or registrable_domain(canonical_host) in self.outlets


@lru_cache(maxsize=1)
def syndicators() -> tuple[Syndicator, ...]:
    return tuple(Syndicator(name=s.name, hosts=s.hosts, outlets=s.outlets) for s in outlets.syndications())


def _syndicates(page_host: str, canonical_host: str) -> bool:
    return any(s.covers(page_host) and s.may_name(canonical_host) for s in syndicators())


@lru_cache(maxsize=1)
def _psl() -> PublicSuffixList:
    return PublicSuffixList()
