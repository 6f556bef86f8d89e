"""The junk gate: navigation, too-short, list pages and non-prose bodies are flagged with a reason."""

from __future__ import annotations

import pytest

from ainews.extract import extract, quality
from ainews.models import RawPage

ARTICLE = ("정부가 독자 인공지능 모델 개발 사업의 2차 평가 기준을 공개했다. "
           "평가는 성능과 독자성, 활용성을 함께 본다. "
           "과학기술정보통신부는 참여 기업들의 의견을 반영해 기준을 구체화했다고 밝혔다. "
           "업계는 대체로 환영하는 분위기다. "
           "다만 일부 스타트업은 평가 일정이 촉박하다며 준비 기간을 늘려 달라고 요청했다.")


def test_real_article_passes() -> None:
    assert quality.check(ARTICLE) == (True, None)
    assert quality.language(ARTICLE) == "ko"


CHROME = "www.aitimes.com\n\n발행일: 2026-01-20 09:25 (화)\n\n로그인\n\n한국어\n\n일본어\n\n중국어\n\n뉴스레터 신청"


@pytest.mark.parametrize(("body", "reason"), [
    ("", "empty"),
    (CHROME, "navigation"),
    ("짧은 문장입니다.", "too short"),
    ("\n\n".join(f"제목 {i} 관련 소식..경향신문ㅣ기자ㅣ2016. 09. 26 06:0{i}" for i in range(8)), "list of articles"),
    ("ㅋ" * 400, "not prose"),
    ("@@@ ### $$$ " * 60 + ". . .", "non-Korean"),
])
def test_junk_is_flagged(body: str, reason: str) -> None:
    ok, why = quality.check(body)
    assert not ok
    assert reason in why


def test_english_article_is_kept_as_english() -> None:
    body = " ".join(["Samsung Electronics shares rose to a record as analysts forecast a memory supercycle."] * 8)
    assert quality.check(body) == (True, None)
    assert quality.language(body) == "en"


def test_list_page_html_is_not_an_article() -> None:
    items = "".join(f"<li><a href='/a/{i}'>제목 {i} 기사입니다</a> <span>2026-01-0{i % 9 + 1} 10:00</span></li>"
                    for i in range(30))
    page = f"<html><head><title>최신기사</title></head><body><ul>{items}</ul></body></html>"
    a = extract(RawPage(url="https://example.kr/list", content=page.encode(), content_type="text/html"))
    assert not a.extraction_ok
    assert a.extraction_reason


def test_check_body_for_imported_digest_items() -> None:
    assert quality.check_body("제목", ARTICLE) == (True, None)
    assert quality.check_body("제목", CHROME)[0] is False
    assert quality.check_body("같은 문장입니다.", "같은 문장입니다.") == (False, "body only repeats the title")
