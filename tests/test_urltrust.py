"""URL trust: registrable domains (bundled Public Suffix List), the syndication map, http(s)-only
URLs at the store boundary and in the published JSON."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from ainews.models import KST, Analysis, Article, Digest, DigestItem
from ainews.publish.jsonout import digest_to_day
from ainews.store import Store
from ainews.urltrust import page_reference, registrable_domain, trusted_canonical

AITIMES = "https://www.aitimes.com/news/articleView.html?idxno=1"


@pytest.mark.parametrize(("host", "domain"), [
    ("www.aitimes.com", "aitimes.com"), ("n.news.naver.com", "naver.com"),
    ("zdnet.co.kr", "zdnet.co.kr"), ("www.etnews.co.kr", "etnews.co.kr"), ("news.kbs.or.kr", "kbs.or.kr"),
    ("www.msit.go.kr", "msit.go.kr"), ("kaist.ac.kr", "kaist.ac.kr"), ("news.v.daum.net", "daum.net"),
    ("alice.github.io", "alice.github.io"), ("127.0.0.1", "127.0.0.1"),
])
def test_registrable_domain(host: str, domain: str) -> None:
    assert registrable_domain(host) == domain


def test_page_reference_keeps_file_paths_and_blanks_other_schemes() -> None:
    assert page_reference("/home/me/saved page.html") == "/home/me/saved page.html"
    assert page_reference("javascript:alert(1)") == "" and page_reference("/tmp/a\nb") == ""
    assert page_reference(AITIMES) == AITIMES


def test_canonical_trusted_on_the_same_registrable_domain_only() -> None:
    page = "https://m.aitimes.com/news/articleView.html?idxno=1&utm=x"
    assert trusted_canonical(AITIMES, page) == AITIMES
    assert trusted_canonical(AITIMES, "https://evil.example/copy") is None
    assert trusted_canonical(AITIMES, "https://aitimes.com.evil.example/") is None
    assert trusted_canonical("https://zdnet.co.kr/view/?no=1", "https://etnews.co.kr/1") is None  # co.kr is public
    assert trusted_canonical("javascript:alert(1)", page) is None


def test_syndication_map_lets_portals_name_the_original() -> None:
    for portal in ("https://n.news.naver.com/article/029/0002982202", "https://news.v.daum.net/v/M0MDrUFHUD"):
        assert trusted_canonical(AITIMES, portal) == AITIMES
    # the same companies' user-content hosts are not syndicators
    assert trusted_canonical(AITIMES, "https://blog.naver.com/someone/1") is None
    assert trusted_canonical(AITIMES, "https://cafe.daum.net/board/1") is None


def test_a_saved_file_keeps_its_canonical() -> None:
    assert trusted_canonical(AITIMES, "/home/me/aitimes.html") == AITIMES


def _article(**kw: object) -> Article:
    fields: dict[str, object] = dict(url=AITIMES, title="원문 제목", body="원문 본문", content_hash="h1",
                                     published_at=datetime(2026, 1, 20, 9, 0, tzinfo=KST))
    fields.update(kw)
    return Article(**fields)  # type: ignore[arg-type]


def test_store_refuses_non_http_urls_even_from_other_code(tmp_path) -> None:  # noqa: ANN001
    store = Store(f"sqlite:///{tmp_path / 'a.db'}")
    ids = [store.upsert_article(_article(url="javascript:alert(1)", canonical_url="data:text/html,x",
                                         title="첫째", body="본문 1"))[0],
           store.upsert_article(_article(url="https://a.com/1", canonical_url="https://a.com/1\r\nX: y",
                                         title="둘째", body="본문 2"))[0]]
    first, second = store.get_articles(ids)
    assert (first.url, first.canonical_url, first.title) == ("", None, "첫째")  # kept, bad links dropped
    assert (second.url, second.canonical_url) == ("https://a.com/1", None)
    store.close()


def test_portal_copy_never_overwrites_the_outlets_text(tmp_path) -> None:  # noqa: ANN001
    store = Store(f"sqlite:///{tmp_path / 'a.db'}")
    portal = "https://n.news.naver.com/article/001/1"
    original_id, _ = store.upsert_article(_article(canonical_url=AITIMES))
    copy_id, created = store.upsert_article(_article(url=portal, canonical_url=AITIMES, title="포털 제목",
                                                     body="포털 본문", content_hash="h2"))
    assert copy_id == original_id and not created and store.count_articles() == 1
    assert store.get_article(original_id).title == "원문 제목"  # type: ignore[union-attr]
    store.close()

    # the other order: the portal copy holds the row until the original arrives and replaces it
    store = Store(f"sqlite:///{tmp_path / 'b.db'}")
    copy_id, _ = store.upsert_article(_article(url=portal, canonical_url=AITIMES, title="포털 제목",
                                               body="포털 본문", content_hash="h2"))
    original_id, _ = store.upsert_article(_article(canonical_url=AITIMES))
    assert original_id == copy_id and store.get_article(copy_id).title == "원문 제목"  # type: ignore[union-attr]
    store.close()


def test_day_json_publishes_only_http_urls() -> None:
    bad = _article(id=1, url="javascript:alert(1)", canonical_url="javascript:alert(2)",
                   analysis=Analysis(relevance=0.9, is_ai=True, version="v"))
    data = digest_to_day(Digest(day=date(2026, 1, 20), items=[DigestItem(article=bad)], excluded=[])).to_json()
    assert data["items"][0]["url"] == "" and data["items"][0]["canonical_url"] is None
