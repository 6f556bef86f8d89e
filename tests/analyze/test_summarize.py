"""Extractive summaries: seed articles 001-004, the candidate filter, stories and the JSONL batch."""

from __future__ import annotations

import json
import re
from pathlib import Path

import lxml.html
import pytest
from hypothesis import given
from hypothesis import settings as settings_hypothesis
from hypothesis import strategies as st

from ainews.analyze.summarize import (
    body_sentences,
    clean_line,
    junk_reason,
    summarize_article,
    summarize_jsonl,
    summarize_story,
    trim,
)
from ainews.config import Settings
from ainews.models import Article

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "summarize"
# Markers of captions, bylines and boilerplate that must never reach a summary.
JUNK_MARKERS = ("기자 =", "기자]", "사진", "photo@", "@", "저작권", "무단", "재배포", "▶", "◀", "▷",
                "제공]", "DB 금지", "관련기사", "다운받기", "Copyright", "<", "MBC뉴스")


def _squash(text: str) -> str:
    """Whitespace-free text without stock codes (카카오[035720]), which summaries drop."""
    return re.sub(r"\s+|\[\d{6}\]", "", text)


def _seed_lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def _between(lines: list[str], start: str, end: str | None) -> str:
    """The article block of a captured page: from the line starting with `start` up to `end`."""
    first = next(i for i, ln in enumerate(lines) if ln.startswith(start))
    last = next((i for i, ln in enumerate(lines) if end and i > first and ln.startswith(end)), len(lines))
    return "\n".join(lines[first:last])


def seed_article(number: str, path: Path) -> Article:
    """Articles built by slicing the known article block of each seed (junk tails left in on purpose)."""
    lines = _seed_lines(path)
    if number == "001":
        html = next(ln for ln in lines if 'class="summary_view"' in ln)
        tree = lxml.html.fromstring(f"<div>{html}</div>")
        subs = [s.strip() for s in tree.xpath('//strong[@class="summary_view"]')[0].itertext() if s.strip()]
        body = "\n".join(p.text_content().strip() for p in tree.xpath('//div[@class="article_view"]//p'
                                                                         ' | //div[@class="article_view"]//div'))
        title = "[심지혜의 인사이트] '싱어게인' 같은 흥행 노렸던 K-AI, 진짜 성공하려면"
        return Article(url="seed:001", title=title, body=body, subtitles=subs)
    if number == "002":
        body = _between(lines, "카카오·NC[연합뉴스 자료사진]", None)
        return Article(url="seed:002", title="네이버 이어 카카오·NC도 독자 AI 재도전 안 한다(종합2보)", body=body,
                       subtitles=["패자부활전 불참 잇따라…KT·스타트업 참여는 미정", "정부 재공모 동력 약화"])
    if number == "003":
        return Article(url="seed:003", title=lines[0], body="\n".join(lines[2:]), subtitles=[lines[1]])
    body = _between(lines, "[뉴스데스크]", "번호 제목")
    return Article(url="seed:004", title="한국 찾은 AI 황태자‥딥시크 충격 속 AI 합종연횡 모색?", body=body)


@pytest.fixture(scope="module")
def settings() -> Settings:
    return Settings()


@pytest.mark.parametrize("number", ["001", "002", "003", "004"])
def test_seed_summary_is_two_or_three_clean_body_sentences(number: str, seeds: dict[str, Path],
                                                           settings: Settings) -> None:
    article = seed_article(number, seeds[number])
    article.subtitles = []  # body sentences only: the seed system copied the title instead
    summary = summarize_article(article, settings)
    assert summary.method == "extractive"
    assert 2 <= len(summary.sentences) <= 3, summary.sentences
    body = _squash(article.body)
    for sentence in summary.sentences:
        assert _squash(sentence.rstrip("…")) in body, sentence
        assert not any(marker in sentence for marker in JUNK_MARKERS), sentence
        assert not sentence.startswith(("(", "[", "◀")), sentence
        assert len(sentence) <= settings.summary.max_sentence_chars
    assert all(_squash(s) != _squash(article.title) for s in summary.sentences)
    assert sum(len(s) for s in summary.sentences) <= 350


def test_seed_summary_is_deterministic(seeds: dict[str, Path], settings: Settings) -> None:
    article = seed_article("002", seeds["002"])
    assert summarize_article(article, settings) == summarize_article(article, settings)


def test_seed_002_summary_leads_with_the_news(seeds: dict[str, Path], settings: Settings) -> None:
    """The lead of 002 (Kakao won't re-enter) is the fact a reader needs; the byline is stripped."""
    article = seed_article("002", seeds["002"])
    article.subtitles = []
    first = summarize_article(article, settings).sentences[0]
    assert first.startswith("국내 포털 1위 기업인 네이버가")


def test_subtitles_are_strong_candidates_but_body_facts_stay(seeds: dict[str, Path],
                                                            settings: Settings) -> None:
    article = seed_article("001", seeds["001"])
    assert len(article.subtitles) == 4
    sentences = summarize_article(article, settings).sentences
    assert sentences[0] in article.subtitles
    assert any(s not in article.subtitles for s in sentences)


def test_fixture_filter_drops_captions_bylines_quotes_and_cut_off_tail() -> None:
    body = (FIXTURES / "article_ko.txt").read_text(encoding="utf-8")
    sentences = body_sentences(body)
    joined = "\n".join(sentences)
    assert sentences[0].startswith("한빛전자가 10일 자체 개발한")  # byline prefix stripped
    for junk in ("[사진=", "소개하고 있다", "모델 구조", "다운받기", "@", "저작권", "관련기사",
                 "세계 최고가 될 것입니다", "미래가 여기에 있습니다", "본격화될 것으로"):
        assert junk not in joined, junk
    assert any(s.startswith("박서연 센터장은") for s in sentences)  # quote with attribution is kept


def test_fixture_summary_has_the_key_facts(settings: Settings) -> None:
    body = (FIXTURES / "article_ko.txt").read_text(encoding="utf-8")
    article = Article(url="fixture", title="한빛전자, 초거대 AI '한빛-2' 공개", body=body)
    sentences = summarize_article(article, settings).sentences
    assert len(sentences) == 3
    assert "한빛-2" in sentences[0]
    assert sentences == sorted(sentences, key=lambda s: _squash(body).index(_squash(s.rstrip("…"))))


@pytest.mark.parametrize(("line", "reason"), [
    ("정신아 카카오 의장 2026.1.8 [카카오 제공. 재판매 및 DB 금지] photo@yna.co.kr", "photo"),
    ("SK텔레콤이 500B 규모의 초거대 AI 모델 'A.X K1'을 공개한다./SK텔레콤", "credit_tail"),
    ("<저작권자(c) 연합뉴스, 무단 전재-재배포, AI 학습 및 활용 금지>", "copyright"),
    ("▶제보는 카카오톡 okjebo", "promo"),
    ("gogo213@yna.co.kr", "email_only"),
    ("◀ 앵커 ▶", "tv_marker"),
    ("[샘 올트먼/오픈AI 최고경영자]", "tv_marker"),
    ("MBC뉴스 김윤미입니다.", "tv_signoff"),
])
def test_junk_lines_are_recognised(line: str, reason: str) -> None:
    assert junk_reason(line) == reason


def test_prose_is_not_junk() -> None:
    assert junk_reason("카카오 고위 관계자는 16일 연합뉴스와 통화에서 계획이 없다고 말했다.") is None


@pytest.mark.parametrize(("raw", "clean"), [
    ("[서울=뉴시스] 심지혜 기자 = # 얼마 전 종료된 프로그램이다.", "얼마 전 종료된 프로그램이다."),
    ("(서울=연합뉴스) 한상용 박형빈 오지은 기자 = 네이버가 밝혔다.", "네이버가 밝혔다."),
    ("[SRT(에스알 타임스) 윤서연 기자] 삼성전자가 재촉하고 있다.", "삼성전자가 재촉하고 있다."),
    ("| 스마트에프엔 = 양대규 기자 | 샘 올트먼이 방한했다.", "샘 올트먼이 방한했다."),
    ("홍길동 기자 = 회사는 모델을 공개했다(사진=회사 제공).", "회사는 모델을 공개했다."),
    ("카카오[035720]도 밝혔다.", "카카오도 밝혔다."),
])
def test_bylines_and_inline_credits_are_stripped(raw: str, clean: str) -> None:
    assert clean_line(raw) == clean


def test_kiwi_split_after_quoted_name_is_repaired() -> None:
    text = ("삼성전자는 지난 21일 개발자 콘퍼런스에서 ‘삼성 가우스2’를 공개했다. '가우스2'는 지난해 첫 선을 보인 "
            "‘가우스1’의 후속작으로 다양한 데이터를 처리하는 모델이다.")
    sentences = body_sentences(text)
    assert sentences[1].startswith("'가우스2'는 지난해")
    assert sentences[0].endswith("공개했다.")


def test_trim_cuts_at_a_clause_boundary() -> None:
    sentence = "가" * 90 + ", " + "나" * 100 + "다."
    out = trim(sentence, 160)
    assert len(out) <= 160 and out.endswith("…") and "," not in out
    assert trim("짧은 문장이다.", 160) == "짧은 문장이다."
    ending = trim("가" * 100 + "했으며 " + "나" * 100 + "다.", 160)
    assert ending == "가" * 100 + "했으며…"


def test_bad_input_gives_empty_summary(settings: Settings) -> None:
    for body in ("", "   \n\n", "<<<>>>", "사진=연합뉴스"):
        summary = summarize_article(Article(url="x", title="제목", body=body), settings)
        assert summary.sentences == [] and summary.method == "extractive"


def test_story_summary_draws_from_several_outlets(seeds: dict[str, Path], settings: Settings) -> None:
    mbc = seed_article("004", seeds["004"])
    mediapen = seed_article("003", seeds["003"])
    mediapen.subtitles = []
    mbc.publisher, mbc.url = "MBC", "https://imnews.imbc.com/a"
    mediapen.publisher, mediapen.url = "미디어펜", "https://www.mediapen.com/b"
    sentences = summarize_story([mbc, mediapen], settings)
    assert 2 <= len(sentences) <= 3
    sources = {"mbc" if _squash(s.rstrip("…")) in _squash(mbc.body) else "mediapen" for s in sentences}
    assert all(_squash(s.rstrip("…")) in _squash(mbc.body + mediapen.body) for s in sentences)
    assert sources  # drawn from the members, none invented


def test_story_summary_skips_repeated_facts(settings: Settings) -> None:
    body = (FIXTURES / "article_ko.txt").read_text(encoding="utf-8")
    a = Article(url="https://a.example/1", title="한빛전자, 초거대 AI '한빛-2' 공개", body=body, publisher="A")
    b = Article(url="https://b.example/2", title="한빛-2 공개", body=body, publisher="B")
    sentences = summarize_story([a, b], settings)
    assert len(sentences) == len(set(sentences)) == 3
    assert summarize_story([], settings) == []


def test_jsonl_batch_keeps_names_and_flags_bad_lines(tmp_path: Path, settings: Settings) -> None:
    body = (FIXTURES / "article_ko.txt").read_text(encoding="utf-8")
    page = tmp_path / "page.html"
    paragraphs = "".join(f"<p>{ln}</p>" for ln in body.splitlines())
    page.write_text(f"<html><head><title>한빛-2 공개</title></head><body><article><h1>한빛-2 공개</h1>"
                    f"{paragraphs}</article></body></html>", encoding="utf-8")
    lines = [
        json.dumps({"id": "a", "text": body, "title": "한빛-2 공개"}, ensure_ascii=False),
        "not json",
        json.dumps({"id": "b"}),
        json.dumps({"id": "c", "path": str(page)}),
        json.dumps({"id": "d", "html": page.read_text(encoding="utf-8")}, ensure_ascii=False),
        json.dumps({"id": "e", "path": str(tmp_path / "missing.html")}),
        "",
    ]
    out = [json.loads(line) for line in summarize_jsonl(lines, settings, "extractive")]
    assert [o["id"] for o in out] == ["a", 2, "b", "c", "d", "e"]  # a bad record keeps its id; bad JSON gets its line
    assert all(set(o) >= {"id", "summary", "method"} for o in out)
    assert len(out[0]["summary"]) == 3 and out[0]["method"] == "extractive"
    assert "error" in out[1] and "error" in out[2] and "error" in out[5]
    assert out[1]["summary"] == [] and "error" not in out[0]
    assert out[3]["method"] == out[4]["method"] == "extractive"


@settings_hypothesis(max_examples=40, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("가나다라 기자=[]()“”\"'.\n사진다요?!…0123AI/@▶")), max_size=300),
       st.lists(st.text(max_size=40), max_size=3))
def test_any_text_gives_a_bounded_summary_without_crashing(body: str, subtitles: list[str]) -> None:
    config = Settings()
    summary = summarize_article(Article(url="x", title="제목", body=body, subtitles=subtitles), config)
    assert len(summary.sentences) <= config.summary.sentences
    assert all(0 < len(s) <= config.summary.max_sentence_chars for s in summary.sentences)
