"""Every real page in ../shared/corpus/html (and the hand-made ND소프트 page) against its
hand-checked expected output in tests/fixtures/extract/expected/."""

from __future__ import annotations

from datetime import datetime

import pytest

from tests.support.extract_fixtures import expected_cases, run_case, squeeze

CASES = [c for c in expected_cases() if not c["file"].startswith("seeds/")]


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_page_matches_expected(case: dict) -> None:
    a = run_case(case)
    assert a.extraction_ok is case["ok"], a.extraction_reason
    if not case["ok"]:
        assert a.extraction_reason
        return
    assert a.title == case["title"]
    assert a.publisher == case["publisher"]
    assert a.reporters == case["reporters"]
    expected_date = datetime.fromisoformat(case["published_at"]) if case["published_at"] else None
    assert a.published_at == expected_date
    if expected_date is not None:
        assert a.published_at is not None and a.published_at.tzinfo is not None
    assert a.subtitles == case["subtitles"]
    assert a.lang == case["lang"]
    paragraphs = a.body.split("\n\n")
    assert squeeze(paragraphs[0]).startswith(squeeze(case["body_start"]))
    assert squeeze(paragraphs[-1]).endswith(squeeze(case["body_end"]))
    for junk in case["junk"]:
        assert junk not in a.body, junk
    if case.get("canonical_url"):
        assert a.canonical_url == case["canonical_url"]


FULL = [c for c in CASES if c.get("body")]


@pytest.mark.parametrize("case", FULL, ids=[c["name"] for c in FULL])
def test_full_body_matches_hand_checked_text(case: dict) -> None:
    assert run_case(case).body == case["body"]


def test_every_corpus_page_has_an_expected_fixture() -> None:
    from tests.support.extract_fixtures import SHARED

    folder = SHARED / "corpus" / "html"
    if not folder.exists():
        pytest.skip("../shared/corpus not present")
    covered = {c["file"] for c in CASES}
    missing = [p.name for p in folder.glob("*.html") if f"corpus/html/{p.name}" not in covered]
    assert missing == []


def test_rule_family_serves_any_host_on_the_ndsoft_cms() -> None:
    case = next(c for c in CASES if c["name"] == "ndsoft-aitimes")
    other = run_case(case | {"url": "https://www.example-outlet.kr/news/articleView.html?idxno=77"})
    assert other.body == case["body"]
    assert other.host == "example-outlet.kr"
    assert "로그인" not in other.body and "뉴스레터" not in other.body and "일본어" not in other.body
