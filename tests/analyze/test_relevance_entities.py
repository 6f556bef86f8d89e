"""Relevance, organisations, categories and topics on small hand-made texts."""

from __future__ import annotations

from ainews.analyze import category_emoji
from ainews.analyze.entities import rank_organisations
from ainews.analyze.features import prepare
from ainews.analyze.relevance import score_relevance
from ainews.analyze.taxonomy import categorize, topic_tags
from ainews.models import Article


def _doc(title: str, body: str):
    return prepare([Article(url="", title=title, body=body)])[0]


def test_category_emoji_from_taxonomy() -> None:
    assert category_emoji("정책·규제") == "🏛️"
    assert category_emoji("인프라·반도체") == "🔌"
    assert category_emoji("일반") == "📌"
    assert category_emoji("없는 분류") == "📌"


def test_ai_article_scores_high_with_reasons() -> None:
    doc = _doc("오픈AI, 새 거대언어모델 공개", "오픈AI가 생성형 AI 챗봇 챗GPT에 새 "
        "언어모델을 적용했다고 밝혔다.")
    rel = score_relevance(doc)
    assert rel.score > 0.9
    assert any("챗gpt" in r for r in rel.reasons)
    assert any("오픈AI" in r for r in rel.reasons)


def test_avian_influenza_ai_is_not_ai_news() -> None:
    doc = _doc("천안 산란계 농장서 고병원성 AI 검출", "고병원성 조류인플루엔자(AI) 항원이 확인돼 3만 "
        "마리를 살처분했다. AI 방역을 강화한다.")
    rel = score_relevance(doc)
    assert rel.score < 0.2
    assert any("조류인플루엔자" in r for r in rel.reasons)


def test_telecom_article_with_passing_ai_is_below_threshold() -> None:
    body = ("정부가 저궤도 통신위성을 띄워 6G 시대를 대비한다. 5G "
        "주파수 추가 할당과 위성통신 실증을 추진한다. "
            "이동통신 3사는 요금제 개편도 검토한다. 일부는 AI 기반의 네트워크 운영을 언급했다.")
    assert score_relevance(_doc("6G 위성통신 실증 착수", body)).score < 0.5


def test_disclaimer_footer_is_not_ai_evidence() -> None:
    body = ("T1이 롤드컵 결승에서 우승했다. 페이커는 e스포츠 역사를 "
            "새로 썼다. <저작권자 뉴스1, AI학습 이용금지>")
    assert score_relevance(_doc("T1, 롤드컵 우승", body)).score < 0.2


def test_organisations_match_on_morpheme_boundaries() -> None:
    doc = _doc("메타버스 플랫폼 확대", "오픈AI가 LG AI연구원과 손잡았다. 네이버 "
        "클라우드도 참여했다. 메타버스 기업들도 관심이다.")
    names = [n for n, _ in rank_organisations(doc)]
    assert "오픈AI" in names and "LG AI연구원" in names and "네이버클라우드" in names
    assert "메타" not in names
    assert "LG그룹" not in names


def test_aliases_map_to_canonical_names() -> None:
    doc = _doc("과기정통부, OpenAI·딥시크 점검", "과기정통부는 OpenAI와 DeepSeek 관계자를 "
        "만났다. SKT와 KAIST도 참석했다.")
    names = [n for n, _ in rank_organisations(doc)]
    for expected in ("과학기술정보통신부", "오픈AI", "딥시크", "SK텔레콤", "카이스트"):
        assert expected in names


def test_person_employer_mention_counts_less() -> None:
    doc = _doc("xAI, 그록3 공개", "xAI가 그록3를 공개했다. 일론 머스크 테슬라 CEO는 "
        "시연회에서 성능을 자랑했다. xAI는 모델을 배포한다.")
    ranked = rank_organisations(doc)
    assert ranked[0][0] == "xAI"
    assert doc.org_hits["테슬라"][3] < 1.0  # one role mention counts for less than a mention
    assert all(p < ranked[0][1] for name, p in ranked if name == "테슬라")


def test_a_name_inside_another_name_is_not_a_mention() -> None:
    doc = _doc("AI 반도체 전망", "노근창 현대차증권 리서치센터장은 AI 반도체 수요가 늘 것이라고 말했다. "
        "OpenAI Launches Full-Scale AI Industry Cooperation. 삼성전자는 HBM 생산을 늘린다.")
    assert {"현대자동차", "스케일AI"}.isdisjoint(doc.org_hits)  # main found both (증권 firm; "Full-Scale AI")
    assert {"삼성전자", "오픈AI"} <= set(doc.org_hits)


def test_unknown_org_with_suffix_is_a_candidate() -> None:
    doc = _doc("한빛로보틱스, AI 로봇 투자 유치", "한빛로보틱스가 시리즈B 투자를 유치했다. "
        "한빛로보틱스는 휴머노이드를 만든다.")
    assert "한빛로보틱스" in [n for n, _ in rank_organisations(doc)]


def test_category_and_topics_are_scored() -> None:
    doc = _doc("국회, AI 기본법 본회의 통과", "국회는 본회의에서 인공지능 기본법 제정안을 "
        "의결했다. 정부는 시행령을 마련한다.")
    assert categorize(doc)[0] == "정책·규제"
    assert "AI 정책" in topic_tags(doc)
    chip = _doc("퓨리오사AI, 2세대 NPU 양산", "AI 반도체 스타트업 퓨리오사AI가 NPU 칩 "
        "양산에 들어갔다. HBM을 탑재했다.")
    assert categorize(chip)[0] == "인프라·반도체"
    assert topic_tags(chip)[0] == "반도체"


def test_nothing_fits_gives_fallback_category() -> None:
    assert categorize(_doc("오늘의 글", "짧은 글입니다."))[0] == "일반"


def test_empty_and_junk_input_does_not_crash() -> None:
    junk = Article(url="", title="<br />", body="\x00 ![x](y) date 2024-01-01")
    docs = prepare([Article(url="", title="", body=""), junk])
    for doc in docs:
        assert 0.0 <= score_relevance(doc).score <= 1.0
        assert rank_organisations(doc) == []
