"""URL facts every stage needs: is it a web address, the form we deduplicate on, the absolute form
of a link, the host. Which URLs a page may *claim* (canonicals, registrable domains) is
`ainews.urltrust`, built on these."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

MAX_URL_CHARS = 4096
_WEB = re.compile(r"^https?://", re.I)
_BAD_CHARS = re.compile(r"[\x00-\x20\x7f-\x9f\\\s<>\"`]")  # controls, spaces, and what no URL may hold
_WWW = re.compile(r"^(www|m)\.")


def is_web_url(url: str | None) -> bool:
    """Written as an http(s) address (the only kind we fetch or link to); `clean_web_url` also vets it."""
    return bool(url) and _WEB.match(url or "") is not None


def clean_web_url(url: str | None) -> str | None:
    """`url` (outer whitespace stripped) when it is an http(s) address safe to store and link, else None:
    no `javascript:`/`data:`, no CR/LF, whitespace or control characters inside, no `<>"` or backquote,
    no user:password@, a real host and port."""
    if not isinstance(url, str):
        return None
    url = url.strip()
    if not url or len(url) > MAX_URL_CHARS or _BAD_CHARS.search(url):
        return None
    try:
        parts = urlsplit(url)
        _ = parts.port  # raises on a bad port
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname or "@" in parts.netloc:
        return None
    return url


def normalize_url(url: str) -> str:
    """Scheme-, `www.`/`m.`- and trailing-slash-insensitive form of a URL, fragment dropped (the
    dedupe key: the same article reached over http, https, www. or m. is one article)."""
    url = url.strip().split("#", 1)[0]
    url = re.sub(r"^https?://", "", url, flags=re.I)
    host, _, rest = url.partition("/")
    host = _WWW.sub("", host.lower())
    rest = rest.rstrip("/")
    return f"{host}/{rest}" if rest else host


def absolute_url(base: str, href: str | None) -> str | None:
    """A link as found on a page or in a feed, resolved against `base`, fragment dropped; None unless
    it is then an http(s) URL with a host."""
    if not href:
        return None
    try:
        url = urljoin(base, href.strip()).split("#", 1)[0]
        parts = urlsplit(url)
        return url if parts.scheme in ("http", "https") and parts.hostname else None
    except ValueError:
        return None


def hostname(url: str) -> str:
    """Lower-case host of a URL without a trailing dot ("" when there is none or it is malformed)."""
    try:
        return (urlsplit(url).hostname or "").rstrip(".").lower()
    except ValueError:
        return ""


def site_host(url: str | None) -> str | None:
    """The site of an http(s) URL without `www.`/`m.`; None for local paths and malformed URLs."""
    if not url or not url.startswith(("http://", "https://")):
        return None
    try:
        host = (urlsplit(url).hostname or "").lower()
    except ValueError:
        return None
    return _WWW.sub("", host) or None
