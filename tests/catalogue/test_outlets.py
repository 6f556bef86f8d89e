"""Outlet knowledge from the one outlets file: the lookups its readers (extract, urltrust, ranking) use."""

from __future__ import annotations

from ainews.analyze.sources import is_aggregator, source_weight
from ainews.catalogue import outlets
from ainews.extract import meta
from ainews.extract.rules import site_rules
from ainews.models import Article
from ainews.urltrust import trusted_canonical


def article(url: str, publisher: str | None = None) -> Article:
    return Article(url=url, title="t", body="b", publisher=publisher)


def test_one_entry_per_outlet_feeds_publisher_lookups() -> None:
    assert meta.publisher_for_host("news.yna.co.kr") == "연합뉴스"
    assert meta.publisher_for_host("it.chosun.com") == "IT조선"  # the longest suffix wins over chosun.com
    assert meta.canonical_publisher("공감언론 뉴시스통신사") == "뉴시스"
    assert meta.credit_line("…말했다. 연합") == "연합뉴스"
    assert "네이버 뉴스" not in meta.known_publishers() and "줌" not in meta.known_publishers()


def test_portals_are_never_publishers_and_may_name_the_original() -> None:
    for host in ("n.news.naver.com", "sports.news.naver.com", "v.daum.net", "news.nate.com"):
        assert meta.is_portal(host) and meta.publisher_for_host(host) is None
    assert not meta.is_portal("blog.naver.com")
    page = "https://n.news.naver.com/mnews/article/001/0015000000"
    original = "https://www.yna.co.kr/view/AKR20260120000100017"
    assert trusted_canonical(original, page) == original
    assert trusted_canonical(original, "https://blog.naver.com/someone/1") is None


def test_copies_and_weights_for_ranking() -> None:
    for url in ("https://n.news.naver.com/a/1", "https://blog.naver.com/x/1", "https://news.daum.net/v/1",
                "https://zum.com/a", "https://x.tistory.com/1", "https://news.nate.com/view/1"):
        assert is_aggregator(article(url)), url
    assert not is_aggregator(article("https://www.yna.co.kr/view/AKR1"))
    assert source_weight(article("https://www.yna.co.kr/view/1", "연합뉴스")) == 1.3
    assert source_weight(article("https://zdnet.co.kr/view/1", "ZDNet Korea")) == 1.2  # a spelling of 지디넷코리아
    assert source_weight(article("https://example.kr/1", "모르는신문")) == outlets.default_weight() == 1.0


def test_the_portal_flag_comes_from_the_site_rule_files() -> None:
    portals = {rule.name for rule in site_rules() if rule.portal}
    assert portals == {"naver", "daum"}


def test_portal_labels_are_cut_off_outlet_names() -> None:
    assert outlets.portal_labels()[:3] == ("네이버", "네이버 스포츠", "NAVER")
    assert meta.canonical_publisher("디지털타임스 | 네이버") == "디지털타임스"
    assert meta.canonical_publisher("ZDNet Korea | 다음") == "지디넷코리아"
