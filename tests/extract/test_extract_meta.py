"""Korean dates, reporters and outlet names."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from ainews.extract import meta
from ainews.models import KST
from ainews.text.urls import site_host


def test_date_in_text_prefers_labelled_date_and_ignores_future() -> None:
    text = "관련 2015.01.01 기사\n입력 2026.01.17 10:08 수정 2026.01.17 11:00"
    assert meta.date_in_text(text) == datetime(2026, 1, 17, 10, 8, tzinfo=KST)
    future = (datetime.now(KST) + timedelta(days=30)).strftime("%Y.%m.%d %H:%M")
    assert meta.date_in_text(f"입력 {future}") is None


@pytest.mark.parametrize(("text", "names", "publisher"), [
    ("[서울=뉴시스] 심지혜 기자 = # 얼마 전 종료된", ["심지혜"], "뉴시스"),
    ("(서울=연합뉴스) 한상용 박형빈 오지은 기자 = 국내 포털", ["한상용", "박형빈", "오지은"], "연합뉴스"),
    ("[미디어펜=이승규 기자] 미국과 중국에", ["이승규"], "미디어펜"),
    ("(브뤼셀=연합뉴스) 김병수 특파원 = 유럽연합(EU)은", ["김병수"], "연합뉴스"),
    ("| 스마트에프엔 = 양대규 기자 | 샘 올트먼", ["양대규"], "스마트에프엔"),
    ("본문 문장입니다.\n\nMBC뉴스 김윤미입니다.", ["김윤미"], "MBC"),
    ("본문 문장입니다.\n\n워싱턴에서 KBS 뉴스 김경수입니다.", ["김경수"], "KBS"),
    ("본문 문장입니다.\n홍정수 기자 hong@donga.com", ["홍정수"], None),
])
def test_reporters_and_publisher_from_text(text: str, names: list[str], publisher: str | None) -> None:
    assert meta.reporters_in_text(text) == names
    assert meta.publisher_in_text(text) == publisher


@pytest.mark.parametrize(("label", "expected"), [
    ("디지털타임스 | 네이버", "디지털타임스"), ("네이버 스포츠 | 스포티비뉴스", "스포티비뉴스"),
    ("ⓒ 공감언론 뉴시스통신사", "뉴시스"), ("공감언론 뉴시스통신사", "뉴시스"), ("CBS노컷뉴스", "노컷뉴스"), ("", None),
])
def test_canonical_publisher(label: str, expected: str | None) -> None:
    assert meta.canonical_publisher(label) == expected


def test_copyright_line_names_the_outlet() -> None:
    assert meta.publisher_in_text("본문.\nCopyright © 뉴시스. 무단전재 및 재배포 금지.") == "뉴시스"
    assert meta.publisher_in_text("본문.\n<저작권자(c) 연합뉴스, 무단 전재-재배포, AI 학습 및 활용 금지>") == "연합뉴스"


@pytest.mark.parametrize(("url", "host", "publisher"), [
    ("https://www.aitimes.com/news/articleView.html?idxno=1", "aitimes.com", "AI타임스"),
    ("https://m.news.naver.com/article/001/1", "news.naver.com", None),
    ("https://biz.chosun.com/x", "biz.chosun.com", "조선비즈"),
    ("/tmp/page.html", None, None),
])
def test_host_table(url: str, host: str | None, publisher: str | None) -> None:
    assert site_host(url) == host
    assert meta.publisher_for_host(host) == publisher


@pytest.mark.parametrize(("label", "names"), [
    ("김광태 기자(ktkim@dt.co.kr)", ["김광태"]), ("박건형 기자", ["박건형"]), ("상은 권", ["권상은"]),
    ("CBS 김현정의 뉴스쇼", []), ("입력 2018. 05. 16.", []),
])
def test_clean_reporter(label: str, names: list[str]) -> None:
    assert meta.clean_reporter(label) == names
