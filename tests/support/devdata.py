"""Development data for the web app: a small hand-written Korean corpus (tests, search quality) and
a generator for large synthetic stores (speed benchmarks). Never used by the running app.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from ainews.models import KST, Analysis, Article, Story
from ainews.store.article_writes import article_values
from ainews.store.db import Store, _utcnow
from ainews.store.schema import ArticleRow

VERSION = "fixture-1"


@dataclass(frozen=True, slots=True)
class Doc:
    slug: str
    when: str  # "YYYY-MM-DD HH:MM" KST
    publisher: str
    category: str
    topics: tuple[str, ...]
    companies: tuple[str, ...]
    story: str | None
    title: str
    summary: tuple[str, ...]
    body: str


def _split(value: str) -> tuple[str, ...]:
    return tuple(x for x in value.split(",") if x)


def _d(slug: str, when: str, publisher: str, category: str, topics: str, companies: str, story: str | None,
       title: str, summary: str, body: str) -> Doc:
    return Doc(slug, when, publisher, category, _split(topics), _split(companies), story, title,
               tuple(s.strip() for s in summary.split("|")), body)


CORPUS: list[Doc] = [
    # --- story: 독자 AI 파운데이션 모델 (독파모) across three days and several outlets
    _d("dokpamo-eval-etnews", "2026-01-15 09:10", "전자신문", "정책·규제", "소버린 AI,LLM",
       "과학기술정보통신부,네이버클라우드,엔씨소프트,LG AI연구원,SK텔레콤,업스테이지", "story-dokpamo",
       "독파모 1차 평가 결과 발표…네이버·엔씨 탈락",
       "과기정통부가 독자 AI 파운데이션 모델 1차 평가 결과를 발표했다.|"
       "LG AI연구원, SK텔레콤, 업스테이지가 2차로 진출했다.",
       "과학기술정보통신부는 15일 독자 AI 파운데이션 모델(독파모) 프로젝트 1차 평가 결과를 발표했다. "
       "LG AI연구원, SK텔레콤, 업스테이지 컨소시엄이 2차 단계에 진출했고 네이버클라우드와 엔씨소프트는 탈락했다. "
       "정부는 국가대표 AI 모델을 확보하기 위해 평가를 이어갈 계획이다."),
    _d("dokpamo-eval-yna", "2026-01-15 11:30", "연합뉴스", "정책·규제", "소버린 AI",
       "과학기술정보통신부,LG AI연구원,SK텔레콤,업스테이지", "story-dokpamo",
       "'국가대표 AI' 1차 관문 통과한 LG·SKT·업스테이지",
       "독자 AI 파운데이션 모델 1차 평가에서 세 컨소시엄이 통과했다.|탈락 기업을 위한 패자부활전이 예고됐다.",
       "정부의 독자 AI 파운데이션 모델 사업 1차 평가에서 LG, SKT, 업스테이지가 살아남았다. "
       "과기정통부는 탈락한 팀에게 다시 기회를 주는 패자부활전 형식의 추가 선정을 예고했다."),
    _d("dokpamo-naver-zdnet", "2026-01-16 14:00", "ZDNet Korea", "정책·규제", "소버린 AI",
       "네이버클라우드,네이버", "story-dokpamo",
       "네이버클라우드, 독파모 패자부활전 불참",
       "네이버클라우드가 독자 AI 파운데이션 모델 패자부활전에 참여하지 않기로 했다.|"
       "자체 하이퍼클로바X 고도화에 집중한다는 방침이다.",
       "네이버클라우드는 16일 독자 AI 파운데이션 모델 프로젝트의 패자부활전에 불참한다고 밝혔다. "
       "회사는 하이퍼클로바X 고도화와 글로벌 사업에 집중하겠다고 설명했다."),
    _d("dokpamo-naver-chosun", "2026-01-16 18:20", "조선일보", "정책·규제", "소버린 AI",
       "네이버", "story-dokpamo",
       "네이버 \"패자부활전 안 나간다\"…정부 AI 사업 재도전 포기",
       "네이버가 정부 독자 AI 모델 사업 재도전을 포기했다.",
       "네이버가 정부의 독자 AI 파운데이션 모델 사업 패자부활전에 나가지 않기로 했다. "
       "업계에서는 네이버의 불참으로 추가 공모 경쟁 구도가 바뀔 것으로 본다."),
    _d("dokpamo-call-yna", "2026-01-20 10:00", "연합뉴스", "정책·규제", "소버린 AI",
       "과학기술정보통신부", "story-dokpamo",
       "과기정통부, 독자 AI 파운데이션 모델 추가 공모 공고",
       "과기정통부가 독자 AI 파운데이션 모델 추가 공모를 공고했다.|한 개 팀을 추가로 선발한다.",
       "과학기술정보통신부는 20일 독자 AI 파운데이션 모델 프로젝트 추가 공모를 공고했다. "
       "1차 평가에서 탈락한 기업과 새로운 컨소시엄 모두 지원할 수 있으며 한 개 팀을 뽑는다."),
    _d("dokpamo-motif-etnews", "2026-01-20 15:40", "전자신문", "정책·규제", "소버린 AI,LLM",
       "모티프테크놀로지스", "story-dokpamo",
       "모티프 \"독자 AI 파운데이션 모델 추가 공모 참여\"",
       "모티프테크놀로지스가 독파모 추가 공모에 참여하겠다고 밝혔다.",
       "모티프테크놀로지스는 독자 AI 파운데이션 모델 추가 공모에 컨소시엄을 꾸려 참여한다고 20일 밝혔다. "
       "회사는 자체 개발한 언어모델 성능을 앞세울 계획이다."),
    # --- story: 카카오 × 오픈AI
    _d("kakao-openai-hankyoreh", "2026-01-14 08:30", "한겨레", "제휴·협력", "LLM,에이전트",
       "카카오,오픈AI", "story-kakao-openai",
       "카카오톡에 챗GPT 들어온다…카카오·오픈AI 협력 본격화",
       "카카오가 오픈AI와 손잡고 카카오톡 안에서 챗GPT를 쓸 수 있게 한다.",
       "카카오는 오픈AI와의 전략적 제휴에 따라 카카오톡에서 챗GPT 기능을 제공한다고 14일 밝혔다. "
       "이용자는 대화방을 떠나지 않고 AI 에이전트에게 일정을 맡길 수 있다."),
    _d("kakao-openai-digitaldaily", "2026-01-15 13:00", "디지털데일리", "제휴·협력", "LLM",
       "카카오,오픈AI", "story-kakao-openai",
       "카카오의 AI 승부수, OpenAI 모델 품은 '카나나'",
       "카카오의 AI 서비스 카나나에 OpenAI 모델이 적용됐다.",
       "카카오의 AI 에이전트 카나나가 OpenAI의 최신 모델을 품었다. "
       "카카오는 자체 모델과 오픈AI 모델을 함께 쓰는 전략을 택했다."),
    _d("kakao-earnings", "2026-01-19 16:00", "아이뉴스24", "투자·비즈니스", "",
       "카카오", None,
       "카카오, 4분기 영업이익 증가…AI 투자 확대",
       "카카오의 4분기 영업이익이 늘었다.|회사는 AI 투자를 확대한다.",
       "카카오는 지난해 4분기 매출과 영업이익이 모두 증가했다고 발표했다. "
       "카카오는 올해 AI 인프라와 서비스에 대한 투자를 늘릴 계획이다."),
    _d("kakaobank-ai", "2026-01-13 10:10", "전자신문", "제품·서비스", "에이전트",
       "카카오뱅크", None,
       "카카오뱅크, AI 상담사 도입…대기시간 절반으로",
       "카카오뱅크가 AI 상담사를 도입했다.",
       "카카오뱅크는 생성형 AI 기반 상담사를 도입해 고객 대기시간을 절반으로 줄였다고 13일 밝혔다."),
    _d("kakaopay-fraud", "2026-01-12 09:00", "아이뉴스24", "제품·서비스", "AI 안전·보안",
       "카카오페이", None,
       "카카오페이, AI로 보이스피싱 이상거래 잡는다",
       "카카오페이가 AI 이상거래 탐지 시스템을 고도화했다.",
       "카카오페이는 머신러닝 기반 이상거래 탐지 시스템으로 보이스피싱 피해를 줄였다고 밝혔다."),
    # --- OpenAI / global labs
    _d("openai-gpt5", "2026-01-13 07:00", "ZDNet Korea", "연구·모델", "LLM,추론 AI",
       "오픈AI", None,
       "오픈AI, GPT-5.2 공개…추론 성능 대폭 향상",
       "오픈AI가 새 모델 GPT-5.2를 공개했다.|수학과 코딩 추론 성능이 크게 향상됐다.",
       "오픈AI가 13일 차세대 언어모델 GPT-5.2를 공개했다. "
       "회사는 수학과 코딩 벤치마크에서 이전 모델보다 높은 추론 성능을 보였다고 설명했다."),
    _d("openai-altman-korea", "2026-01-19 11:00", "조선일보", "인물·행사", "",
       "오픈AI,삼성전자,SK그룹", None,
       "샘 올트먼 방한…삼성·SK 총수와 연쇄 회동",
       "OpenAI 최고경영자 샘 올트먼이 방한했다.",
       "OpenAI CEO 샘 올트먼이 19일 방한해 삼성전자와 SK그룹 경영진을 잇달아 만났다. "
       "스타게이트 데이터센터 협력이 논의된 것으로 알려졌다."),
    _d("anthropic-claude", "2026-01-16 08:00", "ZDNet Korea", "연구·모델", "LLM,에이전트",
       "앤트로픽", None,
       "앤트로픽, 클로드 새 버전 출시…코딩 에이전트 강화",
       "앤트로픽이 클로드 새 버전을 내놨다.",
       "앤트로픽은 코딩 에이전트 기능을 강화한 클로드 새 버전을 출시했다. Anthropic은 기업 고객 확대를 노린다."),
    _d("google-gemini3", "2026-01-14 06:30", "연합뉴스", "연구·모델", "LLM,멀티모달",
       "구글", None,
       "구글, 제미나이 3 공개…멀티모달 성능 경쟁 가열",
       "구글이 제미나이 3를 공개했다.",
       "구글은 텍스트, 이미지, 음성을 함께 이해하는 멀티모달 모델 제미나이 3를 공개했다."),
    _d("deepseek-r2", "2026-01-17 12:00", "한겨레", "연구·모델", "오픈소스,추론 AI",
       "딥시크", None,
       "딥시크, 새 추론 모델 오픈소스로 공개",
       "중국 딥시크가 추론 모델을 오픈소스로 공개했다.",
       "중국 AI 스타트업 딥시크가 새 추론 모델을 오픈소스로 공개하며 저비용 경쟁에 다시 불을 붙였다."),
    # --- Korean companies and models
    _d("naver-hcx", "2026-01-12 15:00", "디지털데일리", "제품·서비스", "LLM,에이전트",
       "네이버", None,
       "네이버, 하이퍼클로바X 기반 AI 검색 에이전트 출시",
       "네이버가 하이퍼클로바X 기반 검색 에이전트를 출시했다.",
       "네이버는 하이퍼클로바X를 바탕으로 한 AI 검색 에이전트를 출시했다. "
       "네이버의 검색 서비스에 대화형 기능이 더해진다."),
    _d("lg-exaone", "2026-01-13 14:00", "전자신문", "연구·모델", "LLM,오픈소스",
       "LG AI연구원", None,
       "LG AI연구원, 엑사원 4.0 오픈소스 공개",
       "LG AI연구원이 엑사원 4.0을 오픈소스로 공개했다.",
       "LG AI연구원은 추론 능력을 강화한 EXAONE 4.0을 오픈소스로 공개했다."),
    _d("skt-adot", "2026-01-14 10:00", "아이뉴스24", "제품·서비스", "에이전트,음성",
       "SK텔레콤", None,
       "SK텔레콤, 에이닷 전화 통역 기능 강화",
       "SK텔레콤이 에이닷의 실시간 통역 기능을 강화했다.",
       "SK텔레콤은 AI 비서 에이닷에 실시간 전화 통역 기능을 추가했다."),
    _d("upstage-solar", "2026-01-18 09:30", "ZDNet Korea", "연구·모델", "LLM",
       "업스테이지", None,
       "업스테이지, 솔라 프로 3 공개…한국어 성능 1위",
       "업스테이지가 솔라 프로 3를 공개했다.",
       "업스테이지는 한국어 벤치마크에서 최고 성능을 기록한 솔라 프로 3를 공개했다."),
    _d("rebellions-invest", "2026-01-15 07:30", "한겨레", "투자·비즈니스", "반도체",
       "리벨리온", None,
       "리벨리온, 3천억원 투자 유치…기업가치 2조",
       "리벨리온이 대규모 투자를 유치했다.",
       "AI 반도체 스타트업 리벨리온이 3천억원 규모의 시리즈C 투자 유치에 성공했다."),
    _d("furiosa-rngd", "2026-01-19 08:00", "전자신문", "인프라·반도체", "반도체,데이터센터",
       "퓨리오사AI", None,
       "퓨리오사AI, 레니게이드 양산 돌입",
       "퓨리오사AI가 2세대 NPU 레니게이드 양산을 시작했다.",
       "퓨리오사AI는 추론용 NPU 레니게이드의 양산을 시작해 데이터센터 고객에 공급한다."),
    _d("samsung-hbm4", "2026-01-16 09:00", "조선일보", "인프라·반도체", "반도체",
       "삼성전자,엔비디아", None,
       "삼성전자, 엔비디아에 HBM4 공급 확정",
       "삼성전자가 엔비디아에 HBM4를 공급한다.",
       "삼성전자가 엔비디아의 차세대 GPU에 들어갈 HBM4 공급을 확정했다. 고대역폭메모리 경쟁이 치열해졌다."),
    _d("skhynix-hbm", "2026-01-20 08:30", "연합뉴스", "인프라·반도체", "반도체",
       "SK하이닉스", None,
       "SK하이닉스, HBM 생산능력 두 배로",
       "SK하이닉스가 HBM 생산능력을 확대한다.",
       "SK하이닉스는 AI 수요에 대응해 고대역폭메모리 HBM 생산능력을 내년까지 두 배로 늘린다."),
    _d("nvidia-jensen", "2026-01-18 13:00", "디지털데일리", "인물·행사", "반도체,피지컬 AI·로봇",
       "엔비디아", None,
       "젠슨 황 엔비디아 CEO \"피지컬 AI가 다음 물결\"",
       "엔비디아 젠슨 황 CEO가 피지컬 AI를 강조했다.",
       "NVIDIA 젠슨 황 최고경영자는 로봇과 자율주행 같은 피지컬 AI가 다음 성장 동력이라고 말했다."),
    # --- policy, sectors
    _d("ai-basic-law", "2026-01-17 10:00", "연합뉴스", "정책·규제", "AI 정책",
       "과학기술정보통신부", None,
       "AI 기본법 시행령 확정…고영향 AI 사업자 의무 구체화",
       "AI 기본법 시행령이 확정됐다.",
       "정부가 인공지능 기본법 시행령을 확정했다. 고영향 AI를 운영하는 사업자는 위험 관리 의무를 진다."),
    _d("datacenter-power", "2026-01-18 16:00", "한겨레", "인프라·반도체", "데이터센터",
       "", None,
       "AI 데이터센터 전력 수요 급증…수도권 송전망 비상",
       "AI 데이터센터 전력 수요가 급증하고 있다.",
       "AI 데이터센터가 늘면서 수도권 전력 수요가 급증해 송전망 확충이 시급하다는 지적이 나온다."),
    _d("lunit-medical", "2026-01-12 11:00", "전자신문", "제품·서비스", "의료",
       "루닛", None,
       "루닛, 의료 AI 흉부 엑스레이 판독 솔루션 美 승인",
       "루닛의 의료 AI 솔루션이 미국 승인을 받았다.",
       "루닛은 흉부 엑스레이를 판독하는 의료 AI 솔루션이 미국 식품의약국 승인을 받았다고 밝혔다."),
    _d("autonomous-hyundai", "2026-01-17 15:00", "조선일보", "제품·서비스", "자율주행",
       "현대자동차", None,
       "현대차, 레벨4 자율주행 로보택시 서울 시범 운행",
       "현대차가 서울에서 자율주행 로보택시를 시범 운행한다.",
       "현대자동차는 서울 강남 일대에서 레벨4 자율주행 로보택시 시범 운행을 시작했다."),
    _d("ai-textbook", "2026-01-19 09:00", "한겨레", "정책·규제", "교육",
       "교육부", None,
       "AI 디지털교과서 지위 논란 재점화",
       "AI 디지털교과서의 교과서 지위를 두고 논란이 다시 일고 있다.",
       "교육부의 AI 디지털교과서 정책을 두고 교육 현장의 논란이 다시 커지고 있다."),
    _d("openai-ko-office", "2026-01-20 13:00", "디지털데일리", "투자·비즈니스", "",
       "오픈AI코리아", None,
       "오픈AI코리아 공식 출범…국내 기업 고객 공략",
       "오픈AI코리아가 공식 출범했다.",
       "오픈AI의 한국 법인 오픈AI코리아가 공식 출범하고 국내 기업 고객을 상대로 영업을 시작했다."),
    _d("soccer", "2026-01-18 21:00", "연합뉴스", "일반", "", "", None,
       "프로축구 개막전 매진…관중 3만명",
       "프로축구 개막전이 매진됐다.",
       "프로축구 개막전 입장권이 모두 팔려 3만명의 관중이 경기장을 찾았다."),
]

# 20 queries a reader would type, with the articles that should come first.
QUALITY_QUERIES: dict[str, set[str]] = {
    "카카오": {"kakao-openai-hankyoreh", "kakao-openai-digitaldaily", "kakao-earnings"},
    "카카오의": {"kakao-openai-hankyoreh", "kakao-openai-digitaldaily", "kakao-earnings"},
    "오픈AI": {"openai-gpt5", "kakao-openai-hankyoreh", "kakao-openai-digitaldaily", "openai-altman-korea",
              "openai-ko-office"},
    "OpenAI": {"openai-gpt5", "kakao-openai-hankyoreh", "kakao-openai-digitaldaily", "openai-altman-korea",
               "openai-ko-office"},
    "독파모": {"dokpamo-eval-etnews", "dokpamo-eval-yna", "dokpamo-naver-zdnet", "dokpamo-naver-chosun",
            "dokpamo-call-yna", "dokpamo-motif-etnews"},
    "패자부활전": {"dokpamo-naver-zdnet", "dokpamo-naver-chosun", "dokpamo-eval-yna"},
    "추가 공모": {"dokpamo-call-yna", "dokpamo-motif-etnews"},
    "하이퍼클로바X": {"naver-hcx", "dokpamo-naver-zdnet"},
    "네이버": {"naver-hcx", "dokpamo-naver-zdnet", "dokpamo-naver-chosun"},
    "엑사원": {"lg-exaone"},
    "HBM": {"samsung-hbm4", "skhynix-hbm"},
    "엔비디아": {"samsung-hbm4", "nvidia-jensen"},
    "AI 기본법": {"ai-basic-law"},
    "제미나이": {"google-gemini3"},
    "Claude": {"anthropic-claude"},
    "딥시크 오픈소스": {"deepseek-r2"},
    "자율주행": {"autonomous-hyundai", "nvidia-jensen"},
    "의료 AI": {"lunit-medical"},
    "투자 유치": {"rebellions-invest"},
    "데이터센터 전력": {"datacenter-power"},
}


@dataclass(frozen=True, slots=True)
class QueryResult:
    query: str
    precision: float  # relevant in the top 5 / min(5, number relevant)
    hit_at_1: bool
    reciprocal_rank: float
    top: list[str]  # slugs of the top 5


def evaluate_search(search: Callable[[str, int], list[int]], ids: dict[str, int]) -> list[QueryResult]:
    """QUALITY_QUERIES through `search(query, limit) -> article ids`, scored against the expected slugs."""
    slug_of = {v: k for k, v in ids.items()}
    out = []
    for query, relevant in QUALITY_QUERIES.items():
        top = [slug_of.get(i, "?") for i in search(query, 5)]
        rank = next((n + 1 for n, s in enumerate(top) if s in relevant), None)
        out.append(QueryResult(query, sum(s in relevant for s in top) / min(5, len(relevant)),
                               bool(top) and top[0] in relevant, 1 / rank if rank else 0.0, top))
    return out


def _when(value: str) -> datetime:
    return datetime.strptime(value, "%Y-%m-%d %H:%M").replace(tzinfo=KST)


def to_article(doc: Doc, version: str = VERSION) -> Article:
    analysis = Analysis(
        relevance=0.1 if doc.category == "일반" else 0.9, is_ai=doc.category != "일반", category=doc.category,
        topics=list(doc.topics), companies=list(doc.companies), story_id=doc.story,
        summary=list(doc.summary), summary_method="extractive", version=version,
    )
    return Article(
        url=f"https://news.example.com/{doc.slug}", title=doc.title, body=doc.body, publisher=doc.publisher,
        published_at=_when(doc.when), content_hash=doc.slug, analysis=analysis,
    )


def load_corpus(store: Store, docs: list[Doc] | None = None) -> dict[str, int]:
    """Store the corpus (articles with analysis, then stories); returns article id per slug."""
    docs = CORPUS if docs is None else docs
    ids: dict[str, int] = {}
    for doc in docs:
        article = to_article(doc)
        ids[doc.slug], _ = store.upsert_article(article)
        assert article.analysis is not None
        store.save_analysis(ids[doc.slug], article.analysis)
    for story_id in sorted({d.story for d in docs if d.story}):
        members = sorted((d for d in docs if d.story == story_id), key=lambda d: d.when)
        store.save_story(Story(
            id=story_id, title=members[0].title, representative_id=ids[members[0].slug],
            member_ids=[ids[d.slug] for d in members], first_seen=_when(members[0].when),
            last_seen=_when(members[-1].when), summary=list(members[0].summary),
        ))
    return ids


# --- large synthetic stores -------------------------------------------------------------------

_SUBJECTS = ["카카오", "네이버", "오픈AI", "OpenAI", "구글", "엔비디아", "삼성전자", "SK하이닉스", "LG AI연구원",
             "업스테이지", "앤트로픽", "메타", "마이크로소프트", "리벨리온", "퓨리오사AI", "SK텔레콤", "KT", "딥시크"]
_OBJECTS = ["생성형 AI 서비스", "언어모델", "AI 반도체", "데이터센터", "AI 에이전트", "멀티모달 모델",
            "클라우드 플랫폼", "로봇 플랫폼", "오픈소스 모델", "AI 검색", "의료 AI 솔루션", "자율주행 소프트웨어"]
_VERBS = ["공개", "출시", "투자 유치", "협력 발표", "양산 돌입", "성능 개선", "해외 진출", "가격 인하"]
_SENTENCES = [
    "{s}는 {d}일 {o} {v} 계획을 밝혔다.",
    "업계에서는 이번 {v}이 {o} 시장의 경쟁 구도를 바꿀 것으로 보고 있다.",
    "{s} 관계자는 \"고객이 체감할 수 있는 성능 향상이 목표\"라고 말했다.",
    "회사는 올해 {o} 분야 매출을 두 배로 늘릴 계획이다.",
    "정부도 {o} 생태계 육성을 위한 지원 방안을 검토하고 있다.",
    "전문가들은 데이터 확보와 전력 비용이 관건이라고 지적했다.",
    "{s}의 {o}은 국내외 기업 고객을 중심으로 빠르게 확산되고 있다.",
    "이번 발표는 글로벌 빅테크와의 기술 격차를 좁히기 위한 행보로 풀이된다.",
]
_OUTLETS = ["전자신문", "연합뉴스", "ZDNet Korea", "조선일보", "한겨레", "디지털데일리", "아이뉴스24", "중앙일보"]
_CATEGORIES = ["정책·규제", "투자·비즈니스", "연구·모델", "제품·서비스", "인프라·반도체", "제휴·협력", "인물·행사"]
_TOPICS = ["LLM", "멀티모달", "에이전트", "반도체", "데이터센터", "오픈소스", "의료", "자율주행", "AI 정책", "음성"]


def generate_articles(n: int, seed: int = 7, days: int = 365, end: date = date(2026, 1, 20)) -> list[Article]:
    """`n` plausible analyzed Korean articles spread over `days` days (for speed benchmarks)."""
    rng = random.Random(seed)
    start = datetime.combine(end - timedelta(days=days - 1), datetime.min.time(), tzinfo=KST)
    out = []
    for i in range(n):
        s, o, v = rng.choice(_SUBJECTS), rng.choice(_OBJECTS), rng.choice(_VERBS)
        when = start + timedelta(minutes=rng.randrange(days * 24 * 60))
        fill = {"s": s, "o": o, "v": v, "d": when.day}
        body = " ".join(t.format(**fill) for t in rng.sample(_SENTENCES, 5))
        analysis = Analysis(
            relevance=rng.random(), is_ai=True, category=rng.choice(_CATEGORIES),
            topics=rng.sample(_TOPICS, 2), companies=[s], summary=[body.split(". ")[0] + "."],
            summary_method="extractive", version=VERSION,
        )
        out.append(Article(
            url=f"https://news.example.com/gen/{i}", title=f"{s}, {o} {v} #{i}", body=body,
            publisher=rng.choice(_OUTLETS), published_at=when, content_hash=str(i), analysis=analysis,
        ))
    return out


def bulk_insert(store: Store, articles: list[Article], batch: int = 5000) -> None:
    """Insert many new articles fast (one transaction per batch), mapped exactly like Store does."""
    now = _utcnow()
    for start in range(0, len(articles), batch):
        with store.session() as s:
            for article in articles[start:start + batch]:
                s.add(ArticleRow(key=article.key, created_at=now, updated_at=now, **article_values(article)))
