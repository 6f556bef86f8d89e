"""A real Chromium (Debian's) against a real uvicorn server: what a reader sees and clicks."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.browser


@pytest.fixture
def page(browser, tmp_path: Path):  # noqa: ANN201 - playwright Page
    context = browser.new_context(viewport={"width": 1100, "height": 900}, locale="ko-KR")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def test_index_search_story_and_tag_filter(page, live_server: str, tmp_path: Path) -> None:
    page.goto(live_server + "/")
    assert "AI 뉴스 - 2026년 01월 20일" in page.locator("h1").inner_text()
    assert page.get_by_text("과기정통부, 독자 AI 파운데이션 모델 추가 공모 공고").is_visible()
    page.screenshot(path=str(tmp_path / "index.png"), full_page=True)

    # search 카카오 from the header form
    page.fill("input[name=q]", "카카오")
    page.press("input[name=q]", "Enter")
    page.wait_for_url("**/search?q=*")
    first = page.locator("ol.hits li h3").first
    assert "카카오" in first.inner_text()
    assert page.locator("ol.hits mark").first.inner_text().startswith("카카오")
    assert page.get_by_text("카카오, 4분기 영업이익 증가…AI 투자 확대").is_visible()
    page.screenshot(path=str(tmp_path / "search.png"), full_page=True)

    # open a story: from the front page's "follow" link to the timeline
    page.goto(live_server + "/")
    page.get_by_text("이야기 따라가기 (6건)").click()
    page.wait_for_url("**/story/story-dokpamo")
    days = page.locator(".tl-day h2").all_inner_texts()
    assert [d[:10] for d in days] == ["2026-01-15", "2026-01-16", "2026-01-20"]
    timeline = page.locator("ol.timeline").inner_text()
    assert "네이버클라우드, 독파모 패자부활전 불참" in timeline and "ZDNet Korea" in timeline
    page.screenshot(path=str(tmp_path / "story.png"), full_page=True)

    # apply a tag filter by clicking a topic chip, then narrow by company: both stay in the URL
    page.goto(live_server + "/articles")
    page.locator("a.chip.topic", has_text="#LLM").first.click()
    page.wait_for_url("**/articles?topic=LLM")
    page.select_option("select[name=company]", "카카오")
    page.get_by_role("button", name="적용").click()
    page.wait_for_url("**company=*")
    assert "topic=LLM" in page.url
    cards = page.locator("article.card h3").all_inner_texts()
    assert sorted(cards) == sorted(["카카오톡에 챗GPT 들어온다…카카오·오픈AI 협력 본격화",
                                    "카카오의 AI 승부수, OpenAI 모델 품은 '카나나'"])
    page.screenshot(path=str(tmp_path / "filtered.png"), full_page=True)
    for name in ("index", "search", "story", "filtered"):
        assert (tmp_path / f"{name}.png").stat().st_size > 5_000


def test_hostile_article_is_shown_as_text(page, live_server: str, ids: dict[str, int]) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(f"{live_server}/article/{ids['xss-title']}")
    assert "<script>alert('xss')</script> 해킹 보안 점검" in page.locator("h1").inner_text()
    page.goto(f"{live_server}/search?q=해킹")
    assert page.locator("ol.hits li").count() >= 1
    assert dialogs == []  # no injected script ran


def test_trends_chart_renders(page, live_server: str, tmp_path: Path) -> None:
    page.goto(live_server + "/trends?by=company&weeks=4")
    assert page.locator("svg.chart polyline").count() >= 3
    assert "카카오" in page.locator("table.trend-table").inner_text()
    box = page.locator("svg.chart").bounding_box()
    assert box and box["width"] > 300
    page.set_viewport_size({"width": 390, "height": 800})  # a phone: still readable, no overflow
    page.goto(live_server + "/")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 400
    page.screenshot(path=str(tmp_path / "mobile.png"))
