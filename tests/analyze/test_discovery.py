"""Organisations missing from companies.toml are found in the text; passing mentions are not listed."""

from __future__ import annotations

from ainews.analyze.discovery import discover, normalise
from ainews.analyze.entities import rank_organisations
from ainews.analyze.features import prepare
from ainews.analyze.lexicon import lexicon, norm_key
from ainews.models import Article

# Names invented for the test, so no gazetteer entry can be what finds them.
TITLE = "과기정통부, AI 반도체 스타트업 5곳 선정…다온로직·새벽칩스 포함"
BODY = """과학기술정보통신부는 7일 AI 반도체 스타트업 지원 사업에 5개 팀을 선정했다고 밝혔다.
선정된 스타트업 다온로직은 추론 전용 칩을 만드는 회사로, 다온로직(대표 김하늘)은 이번 지원으로 양산을 준비한다.
또 다른 스타트업 새벽칩스는 엣지 NPU를 선보였다. ㈜누리셀도 함께 뽑혔다.
과기정통부는 다온로직과 새벽칩스에 각각 30억원을 지원한다. 업계는 오픈AI보다 작은 모델에 맞는 칩이 필요하다고 본다."""


def companies(title: str, body: str) -> list[str]:
    return [name for name, _ in rank_organisations(prepare([Article(url="", title=title, body=body)])[0])]


def test_unknown_startups_are_discovered_from_context() -> None:
    for name in ("다온로직", "새벽칩스", "누리셀"):
        assert norm_key(name) not in lexicon().org_keys  # really not in the gazetteer
    found = companies(TITLE, BODY)
    assert set(found[:3]) == {"다온로직", "과학기술정보통신부", "새벽칩스"}
    assert "누리셀" not in found or found.index("누리셀") > 2  # named once: listed last if at all


def test_a_comparison_is_a_passing_mention() -> None:
    assert "오픈AI" not in companies(TITLE, BODY)


def test_products_persons_and_generic_subjects_are_not_organisations() -> None:
    body = ("일론 머스크 테슬라 CEO는 새 모델을 공개했다. 머스크는 그록이 가장 똑똑하다고 말했다.\n"
            "회사는 모델을 개발했다. 업체 관계자는 제품을 출시했다고 밝혔다.")
    doc = prepare([Article(url="", title="머스크, 새 모델 공개", body=body)])[0]
    assert not {"머스크", "회사", "관계자", "그록"} & set(discover(doc))


def test_company_forms_are_normalised() -> None:
    assert normalise("누리셀 주식회사") == normalise("㈜누리셀") == normalise("(주)누리셀") == "누리셀"
