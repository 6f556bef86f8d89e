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
    assert ("comparison", 0) in {(kind, view) for kind, view, _ in salience.frames().checks}
    assert salience.frames().passing


def features(title: str, body: str) -> dict[str, dict[str, float]]:
    doc = prepare([Article(url="", title=title, body=body)])[0]
    return salience.candidate_features(doc, candidates(doc))


def test_an_employer_named_before_a_persons_name_is_a_role() -> None:
    feats = features(
        "xAI, 그록3 공개",
        "xAI는 18일 그록3를 공개했다. xAI는 이 모델이 추론에서 앞선다고 밝혔다.\n"
        "그동안 회의적이었던 AI 스타트업 코히어의 에이단 고메즈 CEO조차 그록3를 높이 평가했다.")
    assert feats["코히어"]["role"] == 1.0  # "코히어의 에이단 고메즈 CEO": a person of 코히어
    assert feats["xAI"]["role"] == 0.0


def test_an_employer_in_a_look_back_sentence_is_background() -> None:
    title, body = ("AI 교과서 법안 국회 통과", "AI 교과서를 교육자료로 규정하는 법안이 국회 본회의를 통과했다. "
                   "교육부는 후속 조치를 마련하겠다고 밝혔다.\n이 법안은 지난해 말 국회를 통과했으나, "
                   "당시 최상목 부총리 겸 기획재정부 장관이 재의요구권을 행사하며 폐기됐다.")
    feats = features(title, body)
    assert feats["기획재정부"]["role"] == 1.0 and feats["기획재정부"]["role_background"] == 1.0
    assert feats["교육부"]["role_background"] == 0.0
    found = companies(title, body)
    assert "교육부" in found and "기획재정부" not in found  # a person's employer, named looking back


def test_a_quote_that_looks_back_is_not_background() -> None:
    feats = features("독자 AI 모델 1년", "배경훈 부총리 겸 과학기술정보통신부 장관은 20일 “당시 대한민국은 자체 추론 "
                     "모델이 없었다”고 밝혔다. 정부는 AI 모델 개발을 지원한다.")
    assert feats["과학기술정보통신부"]["role"] == 1.0
    assert feats["과학기술정보통신부"]["role_background"] == 0.0  # "당시" is the minister's, inside the quote


def test_a_former_employer_a_few_words_on_is_passing() -> None:
    found = companies(
        "퓨리오사AI, 메타 인수 제안 거절",
        "퓨리오사AI가 메타의 인수 제안을 거절했다. 퓨리오사AI는 메타와 협상을 벌였다.\n"
        "퓨리오사AI는 미국 반도체 기업 AMD와 삼성전자 메모리사업부 등을 거친 백준호 대표가 설립했다.")
    assert found[:2] == ["퓨리오사AI", "메타"]
    assert not {"AMD", "삼성전자"} & set(found)  # main listed both: "등을 거친" is past the frame's first words


def test_a_place_a_source_among_foreign_press_and_a_note_line_are_passing() -> None:
    found = companies(
        "오픈AI, 한국 법인 설립",
        "오픈AI가 한국 법인을 설립했다. 오픈AI는 국회 본청에서 간담회를 열었다.\n"
        "로이터통신 등 외신에 따르면 오픈AI는 서울에 사무실을 연다. 오픈AI는 카카오와 협력한다고 밝혔다. "
        "카카오는 서비스를 준비 중이다. '블룸버그', '더버지' 등 외신들도 이를 비중 있게 소개했다.\n"
        "※ 본 기사는 한국경제TV와 네이버클라우드가 개발한 AI 모델이 작성했습니다.")
    assert found[0] == "오픈AI" and "카카오" in found
    assert not {"국회", "로이터", "블룸버그", "네이버클라우드"} & set(found)


def test_examples_of_a_kind_are_a_comparison() -> None:
    found = companies("삼성전자, 생성 AI 개발 인력 모집",
                      "삼성전자는 생성 AI 개발 인력을 모집한다. 삼성전자는 '미드저니'와 '스테이블 디퓨전' 같은 "
                      "이미지 모델을 개발한다. 삼성전자는 연내 모델을 공개한다.")
    assert found == ["삼성전자"]  # main listed 미드저니: the quote hid "와", and "같은" came words later
