"""URL facts: web or not, the dedupe key, absolute links, hosts. Malformed URLs (a bad IPv6 host,
a bad port) give None or "", never an exception."""

from __future__ import annotations

import pytest

from ainews.text.urls import absolute_url, clean_web_url, hostname, is_web_url, normalize_url, site_host

AITIMES = "https://www.aitimes.com/news/articleView.html?idxno=1"


@pytest.mark.parametrize("url", [
    "javascript:alert(1)", "JAVASCRIPT:alert(1)", "data:text/html,<script>x</script>", "vbscript:x",
    "file:///etc/passwd", "ftp://example.com/x", "https://a.com/x\r\nSet-Cookie: a=b", "https://a.com/x\ny",
    "https://a.com/x y", "https://a.com/\x00", "https://user:pw@a.com/", "https:///nohost", "https://a.com:99999/",
    "https://a.com\\@b.com/", 'https://a.com/"><script>', "https://a.com/<x>", "https://a.com/`x`",
    "", None, "https://a.com/" + "x" * 5000,
])
def test_only_plain_http_urls_are_clean(url: str | None) -> None:
    assert clean_web_url(url) is None


def test_clean_urls_pass_unchanged() -> None:
    for url in (AITIMES, "http://news.example.co.kr/기사/1", "https://a.com:8443/p?q=1#top"):
        assert clean_web_url(url) == url
    assert clean_web_url("  https://a.com/x\r\n") == "https://a.com/x"  # outer whitespace only


def test_is_web_url_is_the_scheme_check() -> None:
    assert is_web_url("HTTPS://a.com") and is_web_url("http://x")
    assert not is_web_url("/tmp/page.html") and not is_web_url("") and not is_web_url(None)
    assert not is_web_url("javascript:alert(1)") and not is_web_url("ftp://a.com")


@pytest.mark.parametrize(("url", "key"), [
    ("https://www.aitimes.com/news/articleView.html?idxno=1#top", "aitimes.com/news/articleView.html?idxno=1"),
    ("http://m.AITIMES.com/news/", "aitimes.com/news"),
    ("  https://zdnet.co.kr/  ", "zdnet.co.kr"),
    ("https://news.naver.com/a?b=C", "news.naver.com/a?b=C"),  # the path keeps its case
])
def test_normalize_url_is_the_dedupe_key(url: str, key: str) -> None:
    assert normalize_url(url) == key


@pytest.mark.parametrize(("base", "href", "expected"), [
    ("https://a.com/list/", "../news/1.html#c", "https://a.com/news/1.html"),
    ("https://a.com/list/", " //cdn.a.com/x ", "https://cdn.a.com/x"),
    ("https://a.com/", "https://b.com/y", "https://b.com/y"),
    ("https://a.com/", "javascript:void(0)", None),
    ("https://a.com/", "mailto:x@a.com", None),
    ("https://a.com/", "", None),
    ("https://a.com/", None, None),
    ("https://a.com/", "http://[::1/x", None),  # malformed: None, not ValueError
])
def test_absolute_url(base: str, href: str | None, expected: str | None) -> None:
    assert absolute_url(base, href) == expected


def test_hosts() -> None:
    assert hostname("https://News.Example.co.kr./x") == "news.example.co.kr"
    assert hostname("/tmp/x.html") == "" and hostname("http://[::1/x") == ""
    assert site_host("https://www.aitimes.com/x") == "aitimes.com"
    assert site_host("https://m.news.naver.com/x") == "news.naver.com"
    assert site_host("/tmp/page.html") is None and site_host(None) is None
    assert site_host("http://[::1/x") is None  # extract.meta.host_of raised ValueError here
