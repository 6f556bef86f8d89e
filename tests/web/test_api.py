"""The JSON API with FastAPI's test client over a real store filled from the corpus (SQLite and PostgreSQL)."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from ainews.web.app import create_app


@pytest.fixture(scope="module")
def client(any_corpus):  # noqa: ANN001, ANN201 - the same API on both databases
    store, _ids, index = any_corpus
    return TestClient(create_app(store, index=index), raise_server_exceptions=False)


@pytest.fixture(scope="module")
def ids(any_corpus) -> dict[str, int]:  # noqa: ANN001
    return any_corpus[1]


ARTICLE_KEYS = {"id", "title", "url", "publisher", "published_at", "summary"}


def test_articles_by_day_and_filters(client) -> None:
    day = client.get("/api/articles", params={"date": "2026-01-16"}).json()
    assert day and all(a["day"] == "2026-01-16" for a in day)
    assert set(day[0]) >= ARTICLE_KEYS
    titles = {a["title"] for a in day}
    assert {"네이버클라우드, 독파모 패자부활전 불참", "삼성전자, 엔비디아에 HBM4 공급 확정"} <= titles
    both = client.get("/api/articles", params={"topic": "LLM", "company": "카카오"}).json()
    assert {a["title"] for a in both} == {"카카오톡에 챗GPT 들어온다…카카오·오픈AI 협력 본격화",
                                          "카카오의 AI 승부수, OpenAI 모델 품은 '카나나'"}
    assert all("LLM" in a["topics"] and "카카오" in a["companies"] for a in both)
    outlet = client.get("/api/articles", params={"outlet": "조선일보", "category": "정책·규제"}).json()
    assert [a["publisher"] for a in outlet] == ["조선일보"]
    ranged = client.get("/api/articles", params={"from": "2026-01-19", "to": "2026-01-20"}).json()
    assert ranged and all("2026-01-19" <= a["day"] <= "2026-01-20" for a in ranged)
    times = [a["published_at"] for a in ranged]
    assert times == sorted(times, reverse=True)


def test_articles_bad_input(client) -> None:
    assert client.get("/api/articles", params={"date": "yesterday"}).status_code == 422
    assert client.get("/api/articles", params={"limit": 0}).status_code == 422
    assert client.get("/api/articles", params={"company": "없는회사"}).json() == []
    assert client.get("/api/articles/999999").status_code == 404


def test_article_detail(client, ids) -> None:
    a = client.get(f"/api/articles/{ids['lg-exaone']}").json()
    assert a["title"] == "LG AI연구원, 엑사원 4.0 오픈소스 공개" and "EXAONE 4.0" in a["body"]


def test_search_api(client) -> None:
    hits = client.get("/api/search", params={"q": "OpenAI", "limit": 5}).json()
    assert len(hits) == 5 and set(hits[0]) >= ARTICLE_KEYS
    assert all(re.search("오픈AI|OpenAI", h["title"] + h["summary"]) for h in hits), hits
    assert "<mark>" in hits[0]["snippet"]
    assert client.get("/api/search", params={"q": "카카오", "limit": 2}).json()[0]["title"].startswith("카카오")
    assert client.get("/api/search", params={"q": ""}).json() == []


@pytest.mark.parametrize("q", ['"', "*", "NEAR(", "'; drop table articles; --", "a OR b NOT c", "{title}:x"])
def test_search_api_hostile_syntax_is_never_a_500(client, q: str) -> None:
    response = client.get("/api/search", params={"q": q})
    assert response.status_code == 200 and isinstance(response.json(), list)


def test_story_api(client, ids) -> None:
    story = client.get("/api/stories/story-dokpamo").json()
    assert {"id", "title", "members", "first_seen", "last_seen"} <= set(story)
    assert [m["id"] for m in story["members"]] == [ids[s] for s in (
        "dokpamo-eval-etnews", "dokpamo-eval-yna", "dokpamo-naver-zdnet", "dokpamo-naver-chosun",
        "dokpamo-call-yna", "dokpamo-motif-etnews")]
    assert story["days"] == ["2026-01-15", "2026-01-16", "2026-01-20"]
    assert story["first_seen"].startswith("2026-01-15") and story["last_seen"].startswith("2026-01-20")
    listed = client.get("/api/stories").json()
    assert {s["id"] for s in listed} == {"story-dokpamo", "story-kakao-openai"}
    assert client.get("/api/stories/nope").status_code == 404


def test_trends_api(client) -> None:
    rows = client.get("/api/trends", params={"by": "company", "weeks": 2}).json()
    by_name = {r["name"]: r for r in rows}
    assert by_name["카카오"]["total"] == 3
    assert [w["week"] for w in by_name["카카오"]["weeks"]] == ["2026-01-12", "2026-01-19"]
    assert sum(w["count"] for w in by_name["오픈AI"]["weeks"]) == by_name["오픈AI"]["total"] == 4
    topics = client.get("/api/trends", params={"by": "topic", "weeks": 3}).json()
    assert topics[0]["name"] == "LLM"
    assert client.get("/api/trends", params={"by": "color"}).status_code == 422


def test_openapi_schema_lists_endpoints(client) -> None:
    schema = client.get("/api/openapi.json").json()
    assert {"/api/search", "/api/articles", "/api/stories/{story_id}", "/api/trends"} <= set(schema["paths"])
    assert client.get("/docs").status_code == 404  # Swagger UI would need a CDN


def test_read_only(client) -> None:
    assert client.post("/api/articles", json={}).status_code == 405
    assert client.delete("/api/articles/1").status_code == 405
