"""Organisation salience: the companies are who the news is about, most salient first; passing
mentions (a group beside its unit, a platform, a quoted news agency, a comparison) are not listed."""

from __future__ import annotations

from ainews.analyze import salience
from ainews.analyze.entities import candidates, rank_organisations
from ainews.analyze.features import prepare
from ainews.models import Article


def companies(title: str, body: str) -> list[str]:
    return [name for name, _ in rank_organisations(prepare([Article(url="", title=title, body=body)])[0])]


def test_the_unit_not_its_group_and_not_the_download_site() -> None:
    found = companies(
        "LG AI연구원, 추론 모델 엑사원 딥 공개",
        "LG AI연구원은 18일 추론 모델 엑사원 딥을 공개했다. "
        "LG AI연구원은 이 모델이 수학에서 높은 점수를 냈다고 밝혔다.\n"
        "LG는 그룹 차원에서 AI에 투자하고 있다. LG 관계자는 연구 인력을 늘린다고 말했다.\n"
        "LG AI연구원은 모델을 허깅페이스에 공개했다.")
    assert found == ["LG AI연구원"]  # main listed LG그룹 and 허깅페이스 too


def test_a_quoted_agency_and_competitors_in_a_comparison_are_passing() -> None:
    found = companies(
        "xAI, 그록3 공개",
        "xAI는 18일 그록3를 공개했다. 로이터에 따르면 xAI는 이 모델을 엔비디아 GPU 10만 개로 학습했다.\n"
        "xAI는 그록3가 오픈AI, 구글, 딥시크 등 경쟁사 모델을 앞선다고 주장했다. "
        "로이터는 xAI가 투자를 추진 중이라고 보도했다.")
    assert found[0] == "xAI"
    assert not {"로이터", "오픈AI", "구글", "딥시크"} & set(found)  # main listed all four


def test_order_is_by_salience_after_the_headline() -> None:
    doc = prepare([Article(url="", title="카카오, 새 AI 서비스 공개", body=(
        "카카오는 새 AI 서비스를 공개했다. 네이버는 이에 맞서 검색 기능을 개선한다고 밝혔다. 네이버는 연내 출시한다.\n"
        "삼성전자도 관련 기기를 준비 중이다."))])[0]
    ranked = rank_organisations(doc)
    names = [n for n, _ in ranked]
    assert names[0] == "카카오"  # the headline names the actor
    assert names.index("네이버") < names.index("삼성전자")  # subject twice vs one body mention
    rest = [p for n, p in ranked if n != "카카오"]
    assert rest == sorted(rest, reverse=True)


def test_frames_are_data_and_the_model_threshold_decides() -> None:
    doc = prepare([Article(url="", title="업스테이지, 솔라 공개",
                           body="업스테이지는 솔라를 공개했다. 네이버는 관련 서비스를 준비한다.")])[0]
    feats = salience.candidate_features(doc, candidates(doc))
    assert feats["업스테이지"]["title"] > 0 and feats["업스테이지"]["subject"] > 0
    assert set(feats["네이버"]) == set(salience.FEATURES)
    strict = salience.Model(dict(salience.MODEL.weights), salience.MODEL.bias, threshold=0.999)
    assert [n for n, _ in salience.salient(doc, candidates(doc), strict)] == []
    assert "comparison" in salience.frames().after and salience.frames().passing


def test_an_employer_named_before_a_persons_name_is_passing() -> None:
    found = companies(
        "xAI, 그록3 공개",
        "xAI는 18일 그록3를 공개했다. xAI는 이 모델이 추론에서 앞선다고 밝혔다.\n"
        "그동안 회의적이었던 AI 스타트업 코히어의 에이단 고메즈 CEO조차 그록3를 높이 평가했다.")
    assert found == ["xAI"]  # main listed 코히어: "코히어의 에이단 고메즈 CEO" was not read as a role


def test_competitors_listed_as_the_main_big_tech_are_passing() -> None:
    found = companies(
        "xAI, 그록3 공개",
        "xAI는 18일 그록3를 공개했다. xAI는 이 모델이 추론에서 앞선다고 밝혔다.\n"
        "업계에 따르면 AI 시장에서 오픈AI, 구글, 메타 등 주요 빅테크 기업들이 치열한 경쟁을 벌이고 있다.")
    assert found == ["xAI"]  # main listed 구글 and 메타 ("등 주요 빅테크" was not a comparison frame)
