"""Synthetic pages of one host where the truth is known: chrome on every page, a quote shared by two."""

from __future__ import annotations

from ainews.models import Article

PROMO = "▶ AI 뉴스 구독하고 매일 아침 받아보세요"
MOST_READ = ["많이 본 뉴스", "1 삼성전자, 새 AI 칩 공개", "2 카카오 AI 비서 출시", "3 네이버 하이퍼클로바X 업데이트"]
COPYRIGHT = "Copyright ⓒ 예시일보. 무단 전재 및 재배포 금지."
QUOTE = "“인공지능은 결국 사람을 돕는 도구가 돼야 한다”고 김 교수는 말했다."
COLUMN_INTRO = "[AI 칼럼] 매주 월요일 인공지능 업계의 흐름을 짚어 봅니다."


def prose(n: int) -> list[str]:
    """Three article-specific paragraphs (sentences that pass the quality gate)."""
    return [f"{n}번째 기사의 첫 문단입니다. 회사는 {n}일 새로운 인공지능 모델을 발표했다고 밝혔다.",
            f"업계는 이번 발표가 시장에 큰 영향을 줄 것으로 본다. 경쟁사 {n}곳도 비슷한 제품을 준비하고 있다.",
            f"전문가들은 규제와 안전성 논의가 함께 필요하다고 지적했다. 후속 발표는 {n}주 뒤로 예정돼 있다."]


def body(n: int, quote: bool = False, column: bool = False) -> str:
    paragraphs = ([COLUMN_INTRO] if column else []) + [PROMO] + prose(n)
    if quote:
        paragraphs.insert(2 + column, QUOTE)
    return "\n\n".join([*paragraphs, *MOST_READ, COPYRIGHT])


def article(n: int, host: str = "news.example.kr", **kw: bool) -> Article:
    text = body(n, **kw)
    return Article(url=f"https://{host}/article/{n}", title=f"기사 {n}", body=text, host=host,
                   content_hash=f"hash-{host}-{n}-{len(text)}")
