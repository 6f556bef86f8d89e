"""One name per organisation: company forms and spacing, English/Korean pairs, one form per story."""

from __future__ import annotations

from datetime import datetime

from ainews.analyze import analyze_batch
from ainews.analyze.entities import candidates
from ainews.analyze.features import prepare
from ainews.analyze.lexicon import lexicon, norm_key
from ainews.analyze.names import identity, merge_spellings, pairs, unify_story
from ainews.config import Settings
from ainews.models import KST, Article

# Invented organisations, so no gazetteer entry is what makes these pass.
NAMES = ("한빛로직", "Hanbit Logic", "누리셀")


def test_the_invented_names_are_not_in_the_gazetteer() -> None:
    assert not {norm_key(n) for n in NAMES} & set(lexicon().org_keys)


def test_company_forms_and_spacing_give_one_identity() -> None:
    assert identity("누리셀 주식회사") == identity("㈜누리셀") == identity("(주)누리 셀") == identity("누리셀")
    assert identity("Hanbit Logic") == identity("hanbitlogic")


def test_korean_and_latin_written_together_are_paired() -> None:
    found = pairs(["AI 스타트업 한빛로직(Hanbit Logic)은 칩을 공개했다.", "Nuricell(누리셀)도 참여했다."])
    assert found == {"hanbitlogic": "한빛로직", "nuricell": "누리셀"}


def test_one_article_counts_every_spelling_of_one_organisation_once() -> None:
    doc = prepare([Article(url="", title="한빛로직, AI 칩 공개", body=(
        "스타트업 한빛로직(Hanbit Logic)은 추론 칩을 공개했다. 한빛로직(대표 김하늘)은 양산을 준비한다.\n"
        "Hanbit Logic은 이 칩을 해외에도 판다. ㈜한빛로직 관계자는 투자를 받았다고 말했다."))])[0]
    merged = merge_spellings({"한빛로직": 5.0, "Hanbit Logic": 2.0, "㈜한빛로직": 1.0}, doc)
    assert merged == {"한빛로직": 8.0}
    assert [n for n in candidates(doc) if identity(n) in ("한빛로직", "hanbitlogic")] == ["한빛로직"]


def test_a_story_shows_one_form_per_organisation() -> None:
    docs = prepare([
        Article(url="", title="a", body="스타트업 한빛로직(Hanbit Logic)은 칩을 공개했다."),
        Article(url="", title="b", body="Hanbit Logic은 칩을 공개했다."),
        Article(url="", title="c", body="OpenAI와 한빛로직이 협력한다."),
    ])
    unified = unify_story([(docs[0], ["한빛로직"]), (docs[1], ["Hanbit Logic", "오픈AI"]),
                           (docs[2], ["한빛 로직", "오픈AI"])])
    assert unified == {0: ["한빛로직"], 1: ["한빛로직", "오픈AI"], 2: ["한빛로직", "오픈AI"]}


def test_batch_analysis_keeps_names_consistent_across_a_story() -> None:
    body = ("AI 반도체 스타트업 {name}는 7일 추론 전용 칩 한빛원을 공개했다. "
            "{name}는 이 칩이 전력 효율이 높다고 밝혔다.\n{name} 관계자는 내년 양산을 목표로 한다고 말했다. "
            "한빛원은 데이터센터용 인공지능 추론 칩이다.")
    first = "한빛로직(Hanbit Logic)"
    articles = [
        Article(id=1, url="https://a.example/1", title="한빛로직, AI 추론 칩 한빛원 공개",
                body=body.format(name=first), published_at=datetime(2026, 3, 7, 9, tzinfo=KST)),
        Article(id=2, url="https://b.example/2", title="Hanbit Logic, AI 추론 칩 한빛원 공개",
                body=body.format(name="Hanbit Logic"), published_at=datetime(2026, 3, 7, 11, tzinfo=KST)),
    ]
    analyses, _ = analyze_batch(articles, [], [], Settings())
    assert analyses[1].story_id == analyses[2].story_id is not None
    assert analyses[1].companies[0] == analyses[2].companies[0] == "한빛로직"
