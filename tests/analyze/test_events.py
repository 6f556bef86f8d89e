"""A pre-announcement and the launch it announced are two stories; one event told two ways is one."""

from __future__ import annotations

from datetime import datetime

from ainews.analyze import analyze_batch, cluster
from ainews.analyze.events import DONE, FUTURE, UNKNOWN, announced_then_done, status
from ainews.analyze.features import prepare
from ainews.config import Settings
from ainews.models import KST, Article

FACTS = ["일론 머스크가 이끄는 xAI의 인공지능 챗봇 그록3는 엔비디아 H100 GPU 10만 개로 학습한 모델이다.",
         "머스크는 그록3가 지구에서 가장 똑똑한 AI라고 말했다.",
         "그록3는 수학과 코딩 벤치마크에서 높은 점수를 받았다고 xAI는 설명했다.",
         "콜로서스 슈퍼컴퓨터에서 훈련된 그록3는 추론 기능도 갖췄다.",
         "업계는 그록3가 챗봇 시장의 판도를 바꿀지 주목하고 있다.",
         "머스크는 소셜미디어 X를 통해 그록3의 실시간 시연 계획을 알렸다."]
EXTRA = ["두바이 세계정부정상회의 화상 대담에서 나온 발언이다.", "투자자들은 xAI의 기업가치에 관심을 보였다.",
         "전문가들은 벤치마크 수치를 검증해야 한다고 지적했다.", "딥서치라는 검색 기능도 함께 소개됐다.",
         "유료 구독자부터 먼저 쓸 수 있다.", "앱 순위도 빠르게 올랐다."]
PRE = ["머스크, 그록3 1∼2주내 출시 예고", "xAI 그록3 17일 공개한다…추론 챗봇 예고", "머스크 야심작 그록3 17일 첫선"]
LAUNCH = ["xAI, 그록3 공개했다…경쟁 모델보다 우수", "그록3 베일을 벗었다", "xAI가 출시한 그록3, 벤치마크 1위 주장"]


def _article(i: int, title: str, day: int) -> Article:
    """Outlet i's article: three of the shared facts in its own order, and a sentence of its own."""
    facts = [FACTS[(i + k) % len(FACTS)] for k in range(3)]
    return Article(id=i, url=f"https://news{i}.example/{i}", title=title,
                   body=" ".join(facts) + "\n" + EXTRA[(i - 1) % len(EXTRA)],
                   published_at=datetime(2025, 2, day, 10, tzinfo=KST))


def test_status_reads_the_headline_and_lead() -> None:
    docs = prepare([Article(url="", title=t, body="내용") for t in (*PRE, *LAUNCH, "그록3 성능 분석")])
    assert [status(d) for d in docs] == [FUTURE] * 3 + [DONE] * 3 + [UNKNOWN]
    assert announced_then_done(FUTURE, DONE, 10.0, 40.0) and not announced_then_done(FUTURE, DONE, 10.0, 20.0)
    assert not announced_then_done(DONE, DONE, 10.0, 40.0) and not announced_then_done(FUTURE, DONE, None, 40.0)


def _stories(articles: list[Article]) -> list[set[str | None]]:
    analyses, _ = analyze_batch(articles, [], [], Settings())
    return [{analyses[i].story_id for i in (1, 2, 3)}, {analyses[i].story_id for i in (4, 5, 6)}]


def test_preannouncement_and_launch_are_separate_stories(monkeypatch) -> None:  # noqa: ANN001
    articles = [_article(i, t, 13 + i) for i, t in enumerate(PRE, start=1)]
    articles += [_article(i, t, 14 + i) for i, t in enumerate(LAUNCH, start=4)]  # 18th–20th
    pre, launch = _stories(articles)
    assert len(pre) == 1 and len(launch) == 1 and pre != launch and None not in pre | launch
    monkeypatch.setattr(cluster, "STATUS_PENALTY", 0.0)
    pre, launch = _stories(articles)
    assert pre == launch  # what main did: one story of six


def test_same_day_copies_with_mixed_markers_stay_one_story() -> None:
    articles = [_article(1, PRE[1], 17), _article(2, LAUNCH[0], 17), _article(3, LAUNCH[2], 17)]
    analyses, _ = analyze_batch(articles, [], [], Settings())
    assert analyses[1].story_id == analyses[2].story_id == analyses[3].story_id is not None
