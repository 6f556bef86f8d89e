"""Evidence for the generic path: lenient JSON-LD, visible date labels kept apart from 수정, byline
shapes, and the leave-one-site-out switch on site-tagged boilerplate."""

from __future__ import annotations

from datetime import datetime

from selectolax.lexbor import LexborHTMLParser

from ainews.extract import evidence
from ainews.extract.boilerplate import all_rules, drop_reason, held_out
from ainews.extract.rules import match_rule, rules_disabled
from ainews.models import KST


def test_json_ld_with_graph_list_and_trailing_commas_is_read() -> None:
    html = """<script type="application/ld+json">[{"@type":"BreadcrumbList"},
      {"@graph":[{"@type":"WebPage","name":"x"},{"@type":["NewsArticle"],"headline":"AI 칩 공개",
      "datePublished":"2026-03-04T09:00:00+09:00","author":[{"name":"김민수 기자"}],}]},]</script>"""
    ld = evidence.json_ld_article(LexborHTMLParser(html))
    assert ld["headline"] == "AI 칩 공개"
    assert evidence.ld_names(ld["author"]) == ["김민수 기자"]


def test_broken_json_ld_gives_nothing_rather_than_an_error() -> None:
    assert evidence.json_ld_article(LexborHTMLParser('<script type="application/ld+json">{"@type": </script>')) == {}


def test_labels_published_and_modified_kept_apart() -> None:
    text = "최종수정 2026.03.05 09:00 승인 2026.03.04 오후 2:21 등록번호 서울 아 0"
    published, modified = evidence.labelled_dates(text)
    assert published == [(datetime(2026, 3, 4, 14, 21, tzinfo=KST), True)]
    assert modified == [(datetime(2026, 3, 5, 9, 0, tzinfo=KST), True)]


def test_korean_long_date_with_label() -> None:
    published, _ = evidence.labelled_dates("게재 2019년 5월 3일 14시 21분")
    assert published[0][0] == datetime(2019, 5, 3, 14, 21, tzinfo=KST)


def test_byline_shapes() -> None:
    assert evidence.reporters_in_lines(["(서울=뉴스1) 김민수 이하늘 기자 = 본문이다."]) == ["김민수", "이하늘"]
    assert evidence.reporters_in_lines(["[머니투데이방송 MTN = 유찬 기자]"]) == ["유찬"]
    assert evidence.reporters_in_lines(["글·사진 송민재 기자", "본문이다."]) == ["송민재"]
    assert evidence.reporters_in_lines(["본문이다.", "x", "y", "z", "박지훈 선임기자 jh@example.kr"]) == ["박지훈"]
    assert evidence.reporters_in_lines(["본문이다.", "워싱턴=김경수 특파원"]) == ["김경수"]


def test_held_out_site_switches_off_only_its_tagged_entries() -> None:
    tagged = [r for r in all_rules()[1] if r.site]
    assert tagged, "boilerplate.toml has site-tagged entries"
    line = "기사 섹션 분류 가이드"
    assert drop_reason(line)
    with held_out("naver"):
        assert drop_reason(line) is None
        assert drop_reason("무단전재 및 재배포 금지") == "copyright"
    assert drop_reason(line)


def test_rules_disabled_matches_no_rule() -> None:
    tree = LexborHTMLParser("<div id='article-view-content-div'></div>")
    url = "https://www.aitimes.com/news/articleView.html?idxno=1"
    assert match_rule(tree, url, "aitimes.com") is not None
    with rules_disabled():
        assert match_rule(tree, url, "aitimes.com") is None
    assert match_rule(tree, url, "aitimes.com") is not None
