"""The headline names the actors: organisations in the title rank above busier body mentions."""

from __future__ import annotations

from datetime import datetime

from ainews.analyze import analyze_batch
from ainews.config import Settings
from ainews.models import KST, Article


def test_title_organisations_lead_the_company_list() -> None:
    body = "\n".join(
        ["딥시크 쇼크 이후 국내 AI 업계가 바빠졌다. 딥시크는 저비용 모델로 주목받았다."] * 4
        + ["카카오는 오픈AI와 함께 새 서비스를 만든다고 밝혔다. 딥시크 R1 이후 경쟁이 치열하다."]
    )
    article = Article(id=1, url="https://news.example/1", title="카카오, 오픈AI와 협업 방안 공개", body=body,
                      published_at=datetime(2025, 2, 5, 9, tzinfo=KST))
    analyses, _ = analyze_batch([article], [], [], Settings())
    assert set(analyses[1].companies[:2]) == {"카카오", "오픈AI"}
    assert "딥시크" in analyses[1].companies
