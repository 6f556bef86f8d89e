"""Server-rendered pages: what a reader sees, and that article text is always escaped."""

from __future__ import annotations

import re

import pytest


def text_of(html: str) -> str:
    html = re.sub(r"</?mark>", "", html)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_index_shows_latest_day_with_navigation(client) -> None:
    html = client.get("/").text
    assert "AI 뉴스 - 2026년 01월 20일" in html
    assert 'href="/day/2026-01-19"' in html  # previous day
    body = text_of(html)
    assert "과기정통부, 독자 AI 파운데이션 모델 추가 공모 공고" in body
    assert "이야기 따라가기 (6건)" in body
    assert "프로축구" not in body.split("관련도 낮은 기사")[0] if "관련도 낮은 기사" in body else True


def test_day_page_and_neighbours(client) -> None:
    html = client.get("/day/2026-01-16").text
    assert 'href="/day/2026-01-15"' in html and 'href="/day/2026-01-17"' in html
    assert "네이버클라우드, 독파모 패자부활전 불참" in html
    empty = client.get("/day/2025-05-05")
    assert empty.status_code == 200 and "기사가 없습니다" in empty.text
    assert client.get("/day/not-a-day").status_code == 404


def test_archive_calendar_links_days(client) -> None:
    html = client.get("/archive").text
    assert "2026년 1월" in html
    for day in ("2026-01-12", "2026-01-20"):
        assert f'href="/day/{day}"' in html


def test_filters_combine_and_show_in_url(client) -> None:
    html = client.get("/articles", params={"topic": "LLM", "company": "카카오"}).text
    body = text_of(html)
    assert "2건" in body and "카카오톡에 챗GPT 들어온다" in body and "엑사원" not in body
    assert "주제: LLM ✕" in body and "기업: 카카오 ✕" in body
    # removing one filter keeps the other in the link
    assert re.search(r'href="/articles\?topic=LLM&amp;company="|href="/articles\?company=&amp;topic=LLM"', html) or \
        "topic=LLM" in html
    dated = text_of(client.get("/articles", params={"from": "2026-01-20", "to": "2026-01-20"}).text)
    assert "추가 공모" in dated and "패자부활전 불참" not in dated


def test_search_page(client) -> None:
    html = client.get("/search", params={"q": "카카오"}).text
    assert "<mark>카카오</mark>" in html
    assert "카카오, 4분기 영업이익 증가" in text_of(html)
    nothing = client.get("/search", params={"q": "존재하지않는단어"}).text
    assert "검색 결과가 없습니다" in nothing


def test_story_page_timeline(client) -> None:
    html = client.get("/story/story-dokpamo").text
    body = text_of(html)
    for headline in ["독파모 1차 평가 결과 발표…네이버·엔씨 탈락", "네이버클라우드, 독파모 패자부활전 불참",
                     "과기정통부, 독자 AI 파운데이션 모델 추가 공모 공고"]:
        assert headline in body
    assert body.index("1차 평가") < body.index("패자부활전 불참") < body.index("추가 공모 공고")
    for outlet in ("전자신문", "연합뉴스", "ZDNet Korea", "조선일보"):
        assert outlet in body
    assert client.get("/story/none").status_code == 404


def test_trends_page_has_chart(client) -> None:
    html = client.get("/trends", params={"weeks": 4}).text
    assert "<svg" in html and "<polyline" in html and "카카오" in html
    topic = client.get("/trends", params={"by": "topic"}).text
    assert "LLM" in topic


@pytest.mark.parametrize("path", ["/", "/day/2026-01-20", "/articles", "/search?q=해킹", "/trends",
                                  "/articles?company=<b>해커</b>"])
def test_article_html_is_escaped_everywhere(client, ids, path: str) -> None:
    html = client.get(path).text
    assert "<script>alert" not in html and "<img src=x" not in html and "<iframe" not in html
    assert "<b>악성언론</b>" not in html and "<b>해커</b>" not in html
    assert not re.search(r"(href|src)=\"\s*javascript:", html, re.I)


def test_article_page_escapes_and_drops_unsafe_link(client, ids) -> None:
    html = client.get(f"/article/{ids['xss-title']}").text
    assert "&lt;script&gt;alert(&#39;xss&#39;)&lt;/script&gt;" in html
    assert not re.search(r"(href|src)=\"\s*javascript:", html, re.I)
    assert "원문" not in text_of(html.split("<main>")[1])  # no link for a non-http(s) url
    good = client.get(f"/article/{ids['lg-exaone']}").text
    assert 'href="https://news.example.com/lg-exaone"' in good


def test_static_css_is_served_locally(client) -> None:
    css = client.get("/static/style.css")
    assert css.status_code == 200 and "Apple SD Gothic Neo" in css.text
    assert "http" not in client.get("/").text.split("<body>")[0].replace('http-equiv', '')
