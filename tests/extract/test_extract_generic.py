"""The generic path on synthetic pages of outlets that are NOT in ../shared/corpus, written from how
Korean news CMSs look (ND소프트, ZDNet-like, 전자신문-like, MTN, 뉴스1-like, JSON-LD only, visible
date labels). Each page runs through extract() as a user meets it (no rule matches these hosts, or
a family rule does) and again with every site rule switched off."""

from __future__ import annotations

from datetime import datetime

import pytest

from ainews.extract import extract
from ainews.models import KST, RawPage
from tests.support.extract_fixtures import FIXTURES

PAGES = FIXTURES / "generic"

CASES = [
    {"file": "ndsoft-aitimes-like.html", "url": "https://www.aimaeil.kr/news/articleView.html?idxno=4521",
     "title": "엔씨, 게임 특화 LLM '바르코 2' 공개", "published_at": "2026-03-04T14:21:00+09:00",
     "reporters": ["박지훈"],
     "subtitles": ["한국어·영어 동시 학습으로 대화 품질 높여", "다음 달부터 외부 개발사에 API 제공"],
     "first": "엔씨소프트가 게임 개발에 특화한 대규모 언어모델 '바르코 2'를 4일 공개했다.",
     "last": "회사 관계자는 \"게임 제작 기간을 줄이는 도구가 될 것\"이라고 말했다.",
     "junk": ["인공지능매일 = 박지훈", "jhpark@", "저작권자", "관련기사", "고충처리인", "사진=엔씨"]},
    {"file": "zdnet-like.html", "url": "https://techdaily.example.kr/view/?no=20260304100500",
     "title": "삼성전자, 온디바이스 AI 칩 양산 돌입", "published_at": "2026-03-04T10:05:00+09:00",
     "reporters": ["김서연"], "subtitles": ["\"스마트폰 두 대 중 한 대에 탑재 목표\""],
     "first": "삼성전자가 스마트폰용 온디바이스 AI 칩의 양산을 시작했다고 4일 밝혔다.",
     "last": "한 업계 관계자는 \"온디바이스 AI가 스마트폰 교체 수요를 다시 끌어올릴 수 있다\"고 말했다.",
     "junk": ["관련 기사", "SK하이닉스", "사진=삼성전자", "많이 본 뉴스", "고충처리인", "무단전재"]},
    {"file": "etnews-like.html", "url": "https://www.dinews.example.kr/news/article.html?id=20260304000123",
     "title": "정부, AI 반도체 예산 1조원 투입", "published_at": "2026-03-04T17:00:00+09:00",
     "reporters": ["이준호"], "subtitles": ["- 2030년까지 국산 NPU 데이터센터 적용", "- 팹리스 30곳에 설계 지원"],
     "first": "정부가 인공지능(AI) 반도체 산업에 내년부터 5년간 1조원을 투입한다.",
     "last": "정부는 이를 통해 세계 시장 점유율을 10%까지 끌어올리겠다고 밝혔다.",
     "junk": ["이준호기자", "구독하고", "관련기사", "고충처리인", "Copyright"]},
    {"file": "mtn-like.html", "url": "https://news.mtn.example.kr/news-detail/2026030409311234567",
     "title": "카카오, AI 에이전트 '카나나' 정식 출시", "published_at": "2026-03-04T09:31:12+09:00",
     "reporters": ["유찬"], "subtitles": [],
     "first": "카카오가 인공지능(AI) 에이전트 서비스 '카나나'를 4일 정식 출시했다.",
     "last": "증권가에서는 광고 매출에도 긍정적인 영향을 줄 것으로 보고 있다.",
     "junk": ["[머니투데이방송 MTN = 유찬 기자]", "유찬 머니투데이방송 기자", "저작권자", "많이 본 뉴스",
              "고충처리인"]},
    {"file": "news1-like.html", "url": "https://www.news1korea.example.kr/it-science/5733120",
     "title": "LG AI연구원, 엑사원 4.0 공개…\"추론 성능 세계 상위권\"", "published_at": "2026-03-04T15:00:00+09:00",
     "reporters": ["정해진", "최다은"],
     "subtitles": ["수학·코딩 벤치마크서 해외 모델 앞서", "기업 고객에 무료 시범 제공"],
     "first": "LG AI연구원이 차세대 언어모델 '엑사원 4.0'을 4일 공개했다.",
     "last": "LG는 기업 고객에게 석 달간 무료 시범 서비스를 제공한 뒤 유료로 전환할 예정이다.",
     "junk": ["(서울=뉴스원코리아)", "jhj@", "#AI", "댓글을 입력", "고충처리인", "무단 전재"]},
    {"file": "jsonld-only.html", "url": "https://techfocus.example.kr/articles/8812",
     "title": "네이버, 초거대 AI '하이퍼클로바X' 오픈소스로 공개", "published_at": "2026-03-04T16:45:00+09:00",
     "reporters": ["최민지"], "subtitles": [],
     "first": "네이버가 초거대 인공지능 하이퍼클로바X의 경량 모델을 오픈소스로 공개했다.",
     "last": "다만 해외 빅테크와의 성능 격차는 여전히 과제로 꼽힌다.",
     "junk": ["자바스크립트", "© 테크포커스"]},
    {"file": "labels.html", "url": "https://www.hanbit.example.kr/news/view.php?idx=99120",
     "title": "SK텔레콤, AI 데이터센터 울산에 짓는다", "published_at": "2026-03-04T14:21:00+09:00",
     "reporters": ["송민재"], "subtitles": ["▶ 2027년 가동 목표…100MW 규모", "▶ 아마존웹서비스와 공동 투자"],
     "first": "SK텔레콤이 울산에 대규모 인공지능(AI) 데이터센터를 짓는다.",
     "last": "시 관계자는 \"지역 산업 구조를 바꿀 기회\"라고 말했다.",
     "junk": ["글·사진", "mjsong@", "제보하기", "고충처리인", "Copyright", "승인 2026"]},
    {"file": "pm-label.html", "url": "https://www.miraeilbo.example.kr/article/20260304142100",
     "title": "[단독] 업스테이지, 일본 법인 설립", "published_at": "2026-03-04T14:21:00+09:00",
     "reporters": ["정하늘"], "subtitles": [],
     "first": "업스테이지가 일본 도쿄에 현지 법인을 세우고 일본어 언어모델 사업을 시작한다.",
     "last": "김성훈 대표는 \"일본은 한국 다음으로 중요한 시장\"이라고 말했다.",
     "junk": ["sky@", "ⓒ 미래일보", "기사입력"]},
]


def run(case: dict, content: bytes | None = None) -> object:
    data = content if content is not None else (PAGES / case["file"]).read_bytes()
    return extract(RawPage(url=case["url"], content=data, content_type="text/html"))


def check(article: object, case: dict) -> None:
    assert article.extraction_ok, article.extraction_reason
    assert article.title == case["title"]
    assert article.published_at == datetime.fromisoformat(case["published_at"])
    assert article.published_at.tzinfo is not None
    assert article.reporters == case["reporters"]
    assert article.subtitles == case["subtitles"]
    paragraphs = article.body.split("\n\n")
    assert paragraphs[0].startswith(case["first"])
    assert paragraphs[-1].endswith(case["last"])
    for junk in case["junk"]:
        assert junk not in article.body, junk


@pytest.mark.parametrize("case", CASES, ids=[c["file"] for c in CASES])
def test_unseen_outlet(case: dict) -> None:
    check(run(case), case)


@pytest.mark.parametrize("case", CASES, ids=[c["file"] for c in CASES])
def test_unseen_outlet_with_site_rules_off(case: dict) -> None:
    from ainews.extract.rules import rules_disabled

    with rules_disabled():
        check(run(case), case)


def test_page_declaring_euc_kr_but_written_in_utf8_is_read_as_utf8() -> None:
    case = CASES[4]
    html = (PAGES / case["file"]).read_text(encoding="utf-8").replace(
        '<meta charset="utf-8">', '<meta http-equiv="Content-Type" content="text/html; charset=euc-kr">')
    article = run(case, html.encode("utf-8"))
    check(article, case)
    assert article.published_at.astimezone(KST).hour == 15


def test_modified_label_is_not_the_publication_time() -> None:
    """수정 comes first on the page, 입력 second: published_at is the 입력 time."""
    html = ("<html><head><title>t</title></head><body><h1>카카오 새 모델 공개</h1>"
            "<p class='d'>최종수정 2026.03.05 09:00 · 입력 2026.03.04 08:30</p><div class='article_body'>"
            + "<p>카카오가 새 언어모델을 공개했다. 회사는 성능이 좋아졌다고 밝혔다. 업계는 반긴다.</p>" * 3
            + "</div></body></html>")
    article = extract(RawPage(url="https://kakao-news.example.kr/a/1", content=html.encode(), content_type="text/html"))
    assert article.published_at == datetime(2026, 3, 4, 8, 30, tzinfo=KST)


def test_rule_whose_body_fails_the_gate_falls_through_to_generic() -> None:
    """An ND소프트 page whose #article-view-content-div holds only a teaser: the generic path finds the article."""
    body = "".join(f"<p>네이버가 새 검색 서비스를 공개했다. 이번 개편은 {i}번째다. 반응이 좋다.</p>" for i in range(4))
    html = ("<html><head><meta property='og:title' content='네이버 검색 개편'></head><body>"
            "<div id='article-view-content-div'><p>로그인</p></div>"
            f"<div class='article-text'>{body}</div></body></html>")
    article = extract(RawPage(url="https://x.example.kr/news/articleView.html?idxno=5", content=html.encode(),
                              content_type="text/html"))
    assert article.extraction_ok, article.extraction_reason
    assert article.body.startswith("네이버가 새 검색 서비스를 공개했다.")


def test_byline_box_inside_the_body_names_the_reporter_but_stays_out_of_the_text() -> None:
    paragraphs = "".join(f"<p>카카오가 새 모델을 공개했다. {i}단계 개편이다. 반응이 좋다.</p>" for i in range(4))
    html = ("<html><head><meta property='og:title' content='카카오 새 모델'></head><body><div class='article_body'>"
            f"{paragraphs}<div class='reporter_info'><span>한지우 기자</span> <a href='/r/1'>다른 기사 보기</a></div>"
            "</div></body></html>")
    article = extract(RawPage(url="https://kakao-news.example.kr/a/2", content=html.encode(), content_type="text/html"))
    assert article.reporters == ["한지우"]
    assert "한지우" not in article.body
