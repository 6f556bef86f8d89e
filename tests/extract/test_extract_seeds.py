"""Seeds 001-004: pages captured as text. The body must start and end at the real article's first and
last sentences, hold none of the page furniture around it, and carry the right metadata."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from ainews.extract import extract
from ainews.models import KST, RawPage
from tests.support.extract_fixtures import SHARED


def seed(prefix: str) -> Path:
    folder = SHARED / "seeds"
    if not folder.exists():
        pytest.skip("../shared/seeds not present: the shared seeds sit beside the repo")
    return next(folder.glob(f"{prefix}_*.txt"))


def run(prefix: str, assume: date | None = None):
    path = seed(prefix)
    return extract(RawPage(url=str(path), content=path.read_bytes(), content_type="text/plain"), assume_date=assume)


def paragraphs(body: str) -> list[str]:
    return body.split("\n\n")


def test_seed_001_newsis_column_reposted_on_a_board_with_leaked_daum_markup() -> None:
    a = run("001")
    assert a.extraction_ok, a.extraction_reason
    assert a.title == "[심지혜의 인사이트] '싱어게인' 같은 흥행 노렸던 K-AI, 진짜 성공하려면"
    assert a.subtitles[0] == "K-AI 프로젝트 서바이벌 구조로 출발…독자성 기준 논란 속 1차 평가"
    assert len(a.subtitles) == 4
    assert a.publisher == "뉴시스"
    assert a.reporters == ["심지혜"]
    assert a.published_at == datetime(2026, 1, 17, 10, 8, 1, tzinfo=KST)
    assert paragraphs(a.body)[0].startswith("얼마 전 종료된 무명가수 오디션 프로그램 '싱어게인'.")
    assert a.body.endswith("‘무엇을 남겼는가’를 증명하는 사업으로 완주할 수 있을지, 이제 그 시험대에 올라 있습니다.")
    for junk in ("<", ">", "contents-hash", "dmcf-", "data-", "class=", "토토", "카지노", "siming@newsis.com",
                 "무단전재", "Copyright", "공감언론", "[서울=뉴시스]", "심지혜 기자 =", "댓글", "IT뉴스",
                 "K-AI 프로젝트 서바이벌 구조로 출발"):
        assert junk not in a.body, junk
    assert "'싱어게인' 닮아있는 'K-AI' 프로젝트" in paragraphs(a.body)  # in-article heading is kept


def test_seed_002_naver_capture_of_yonhap_story() -> None:
    a = run("002", assume=date(2026, 1, 16))
    assert a.extraction_ok, a.extraction_reason
    assert a.title == "네이버 이어 카카오·NC도 독자 AI 재도전 안 한다(종합2보)"
    assert a.subtitles == ["패자부활전 불참 잇따라…KT·스타트업 참여는 미정", "정부 재공모 동력 약화"]
    assert a.publisher == "연합뉴스"
    assert a.reporters == ["한상용", "박형빈", "오지은"]
    assert a.published_at == datetime(2026, 1, 16, tzinfo=KST) and a.date_assumed  # the page shows no date
    assert a.body.startswith("국내 포털 1위 기업인 네이버가 독자 AI 파운데이션 모델(독파모)")
    assert a.body.endswith("루닛, 바이오넥서스, 사이오닉AI, 정션메드, 파이온코퍼레이션이 탈락한 바 있다.")
    for junk in ("컨텐츠로 건너뛰기", "원문보기", "속보", "징역 5년", "[연합뉴스 자료사진]", "photo@yna.co.kr",
                 "mjkang@yna.co.kr", "gogo213@yna.co.kr", "▶", "okjebo", "다운받기", "저작권자", "AI 학습",
                 "의장과의 대화", "NC AI 부스", "(서울=연합뉴스)", "기자 ="):
        assert junk not in a.body, junk
    assert "카카오·NC" not in paragraphs(a.body)


def test_seed_003_mediapen_body_capture() -> None:
    a = run("003")
    assert a.extraction_ok, a.extraction_reason
    assert a.title == "카카오, 오픈AI와 협업 방안 공개"
    assert a.subtitles == ["빅테크 기업, 기술격차로 영향력 확대 나선다"]
    assert a.publisher == "미디어펜"
    assert a.reporters == ["이승규"]
    assert a.published_at is None and not a.date_assumed
    assert a.body.startswith("미국과 중국에 AI 사업에서 밀렸다고 평가 받는 국내 IT 기업들이")
    assert a.body.endswith("사업자들이 수익화 방안을 발굴해내야 AI 수익 창출이 가능해질 것\"이라고 밝혔다.")
    for junk in ("[미디어펜=", "다른기사보기", "▲", "/사진=카카오 제공", "사진="):
        assert junk not in a.body, junk


def test_seed_004_mbc_report_on_a_community_board() -> None:
    a = run("004")
    assert a.extraction_ok, a.extraction_reason
    assert a.title == "한국 찾은 AI 황태자‥딥시크 충격 속 AI 합종연횡 모색?"
    assert a.publisher == "MBC"
    assert a.reporters == ["김윤미"]
    assert a.published_at == datetime(2025, 2, 4, tzinfo=KST)
    assert a.body.startswith("딥시크 충격 이후 AI 기술 패권을 둘러싼 경쟁은 더 뜨거워졌습니다.")
    assert a.body.endswith("AI 패권을 놓고 글로벌 기업들의 합종연횡이 본격화되고 있습니다.")
    for junk in ("메뉴 건너뛰기", "[뉴스데스크]", "◀ 앵커 ▶", "◀ 리포트 ▶", "MBC뉴스 김윤미입니다", "영상취재",
                 "영상편집", "제보를 기다립니다", "02-784-4000", "@mbc제보", "랭크뉴스", "47141", "의대 증원"):
        assert junk not in a.body, junk


def test_seed_000_chrome_only_body_is_flagged() -> None:
    chrome = "\n\n".join(["www.aitimes.com", "발행일: 2026-01-20 09:25 (화)", "로그인", "한국어", "일본어", "중국어",
                          "뉴스레터 신청"])
    a = extract(RawPage(url="https://www.aitimes.com/news/articleView.html?idxno=205731",
                        content=chrome.encode(), content_type="text/plain"))
    assert not a.extraction_ok
    assert a.extraction_reason


def test_host_comes_from_the_page_when_the_url_is_a_local_file() -> None:
    sentence = "국내 스타트업이 매개변수 30억개 규모의 소형 언어모델을 공개하고 높은 점수를 받았다고 밝혔다."
    text = "www.aitimes.com\n로그인\n국산 소형 언어모델, 추론 벤치마크서 해외 모델 앞서\n" + "\n".join([sentence] * 4)
    a = extract(RawPage(url="/tmp/capture.txt", content=text.encode(), content_type="text/plain"))
    assert a.host == "aitimes.com"
    assert a.publisher == "AI타임스"
    assert a.title == "국산 소형 언어모델, 추론 벤치마크서 해외 모델 앞서"
