"""Seeds, duplicates, stable stories, ranking and the JSONL batch interface."""

from __future__ import annotations

import json
from datetime import timedelta

from ainews.analyze import analyze_batch, analyze_jsonl, rank_items
from ainews.models import Article, DigestItem
from tests.support.seeds import kst, seed000_items, seed_articles, with_ids


def test_seed_stories_group_across_outlets(settings) -> None:  # noqa: ANN001
    seeds = seed_articles()
    articles = with_ids([seeds[k] for k in ("001", "002", "003", "004")])
    analyses, stories = analyze_batch(articles, [], [], settings)
    a1, a2, a3, a4 = (analyses[a.id] for a in articles)
    assert all(a.is_ai for a in (a1, a2, a3, a4))
    assert a1.story_id and a1.story_id == a2.story_id
    assert a3.story_id and a3.story_id == a4.story_id
    assert a1.story_id != a3.story_id
    by_id = {s.id: s for s in stories}
    assert sorted(by_id[a1.story_id].member_ids) == [articles[0].id, articles[1].id]
    assert by_id[a3.story_id].first_seen == kst("2025-02-04")
    assert "오픈AI" in a3.companies[:3] and "카카오" in a3.companies[:3]


def test_seed000_relevance_categories_and_companies(settings) -> None:  # noqa: ANN001
    items = with_ids(seed000_items())
    assert len(items) == 6
    analyses, _ = analyze_batch(items, [], [], settings)
    by_title = {a.title: analyses[a.id] for a in items}
    satellite = next(v for t, v in by_title.items() if "NR-NTN" in t)
    assert not satellite.is_ai and satellite.relevance < settings.analysis.relevance_threshold
    others = [v for t, v in by_title.items() if "NR-NTN" not in t]
    assert all(v.is_ai for v in others)
    assert all(v.category != "일반" for v in others)
    assert sum(1 for v in others if v.companies) >= 4  # one item's captured body is page chrome only
    joined = {c for v in others for c in v.companies[:2]}
    for expected in ("모티프테크놀로지스", "오픈AI", "과학기술정보통신부", "LT Zero"):
        assert expected in joined


def _article(title: str, body: str, day: str, url: str) -> Article:
    return Article(url=url, title=title, body=body, published_at=kst(day))


FURIOSA = ("국내 인공지능(AI) 반도체 스타트업 퓨리오사AI가 메타의 1조원대 "
    "인수 제안을 거절했다. 백준호 퓨리오사AI 대표는 "
           "독자 AI 칩 개발과 양산에 집중하겠다고 밝혔다. "
               "퓨리오사AI는 2세대 NPU 레니게이드 양산을 앞두고 있다.")


def test_exact_copy_is_a_duplicate_of_the_original(settings) -> None:  # noqa: ANN001
    original = _article("퓨리오사AI, 메타 인수 제안 거절", FURIOSA, "2025-03-24", "https://www.asiatoday.co.kr/view/1")
    copy = _article("퓨리오사AI, 메타 인수 제안 거절", FURIOSA, "2025-03-24", "https://news.zum.com/articles/9")
    other = _article("메타, 새 라마 모델 공개", "메타가 오픈소스 거대언어모델 라마 신작을 "
        "공개했다. 멀티모달 기능을 갖췄다.",
                     "2025-03-24", "https://example.com/2")
    articles = with_ids([copy, original, other])
    analyses, _ = analyze_batch(articles, [], [], settings)
    assert analyses[copy.id].duplicate_of == original.id
    assert analyses[original.id].duplicate_of is None
    assert analyses[copy.id].story_id == analyses[original.id].story_id
    assert analyses[other.id].story_id != analyses[original.id].story_id


def test_story_id_is_stable_and_grows_over_days(settings) -> None:  # noqa: ANN001
    day1 = with_ids([
        _article("퓨리오사AI, 메타 인수 제안 거절", FURIOSA, "2025-03-24", "https://a.example/1"),
        _article("퓨리오사AI 메타 1조 인수 제안 "
            "거절…독자 AI 칩 개발", "AI 반도체 설계 스타트업 퓨리오사AI가 메타의 인수 "
                 "제안을 거절했다. 퓨리오사AI는 독자 AI 칩 개발을 "
                     "택했다. 메타는 AI 반도체 내재화를 추진해 왔다.",
                 "2025-03-24", "https://b.example/2"),
    ])
    first, stories = analyze_batch(day1, [], [], settings)
    again, _ = analyze_batch(day1, [], [], settings)
    sid = first[1].story_id
    assert sid and sid == first[2].story_id == again[1].story_id
    for article in day1:
        article.analysis = first[article.id]  # type: ignore[index]
    body = ("메타의 인수 제안을 거절한 AI 반도체 스타트업 퓨리오사AI가 독자 AI 칩 양산을 위해 "
            "투자 유치에 나섰다. 퓨리오사AI는 NPU를 개발한다.")
    follow = with_ids([_article("퓨리오사AI, 메타 거절 후 투자 유치 나서", body, "2025-03-26", "https://c.example/3")],
                      start=3)
    later, touched = analyze_batch(follow, day1, stories, settings)
    assert later[3].story_id == sid
    story = next(s for s in touched if s.id == sid)
    assert sorted(story.member_ids) == [1, 2, 3]
    assert story.first_seen == kst("2025-03-24") and story.last_seen == kst("2025-03-26")


def test_events_far_apart_are_separate_stories(settings) -> None:  # noqa: ANN001
    a = _article("퓨리오사AI, 메타 인수 제안 거절", FURIOSA, "2025-03-24", "https://a.example/1")
    body = ("AI 반도체 스타트업 퓨리오사AI가 메타의 인수 제안을 거절한 뒤 독자 AI 칩 개발을 이어가고 있다. "
            "퓨리오사AI는 NPU 양산 일정을 공개했다. 메타는 다른 AI 반도체 기업을 찾고 있다.")
    b = _article("퓨리오사AI, 메타 제안 거절 두 달…NPU 양산 일정 공개", body, "2025-05-24", "https://b.example/1")
    analyses, _ = analyze_batch(with_ids([a, b]), [], [], settings)
    assert analyses[2].duplicate_of is None
    assert analyses[1].story_id != analyses[2].story_id


def test_rank_drops_repeats_and_marks_updates(settings) -> None:  # noqa: ANN001
    arts = with_ids([_article("퓨리오사AI, 메타 인수 제안 거절", FURIOSA, "2025-03-24", "https://a.example/1"),
                     _article("오픈AI, 새 모델 공개", "오픈AI가 새 거대언어모델을 공개했다.", "2025-03-25",
                              "https://b.example/2"),
                     _article("리벨리온 투자 유치", "AI 반도체 리벨리온이 투자를 유치했다.", "2025-03-25",
                              "https://c.example/3")])
    analyses, stories = analyze_batch(arts, [], [], settings)
    for article in arts:
        article.analysis = analyses[article.id]  # type: ignore[index]
    story = {s.id: s for s in stories}
    old = DigestItem(arts[0], story[analyses[1].story_id])
    newer = DigestItem(arts[1], story[analyses[2].story_id])
    fresh = DigestItem(arts[2], story[analyses[3].story_id])
    newer.story.first_seen = arts[1].published_at - timedelta(days=1)  # type: ignore[union-attr,operator]
    ranked = rank_items([old, newer, fresh], {old.story.id, newer.story.id})  # type: ignore[union-attr]
    assert old not in ranked
    assert newer in ranked and newer.is_update
    assert fresh in ranked and not fresh.is_update


def test_rank_prefers_bigger_stories() -> None:
    small = DigestItem(_article("A", "b", "2025-03-25", "https://a.example/1"))
    big = DigestItem(_article("B", "b", "2025-03-25", "https://b.example/1"),
                     others=[_article("B", "b", "2025-03-25", f"https://o{i}.example/1") for i in range(4)])
    assert rank_items([small, big], set())[0] is big


def test_analyze_jsonl_fields_duplicates_and_bad_lines(settings) -> None:  # noqa: ANN001
    lines = [
        json.dumps({"id": "x1", "text": "퓨리오사AI, 메타 인수 제안 거절\n" + FURIOSA, "url": "https://www.asiatoday.co.kr/1",
                    "published_at": "2025-03-24"}, ensure_ascii=False),
        json.dumps({"id": "x2", "text": "퓨리오사AI, 메타 인수 제안 거절\n" + FURIOSA, "url": "https://news.zum.com/a/2",
                    "published_at": "2025-03-24"}, ensure_ascii=False),
        "{not json",
        json.dumps({"id": "x3", "url": "https://x.example"}),
        json.dumps({"id": "x4", "text": "오늘 서울 낮 기온 영하 3도, 한파 특보", "published_at": "bad-date"},
                   ensure_ascii=False),
    ]
    out = [json.loads(line) for line in analyze_jsonl(lines, settings)]
    by_id = {o.get("id"): o for o in out}
    assert any("invalid JSON" in o.get("error", "") for o in out)
    assert "error" in by_id["x3"]
    x1, x2, x4 = by_id["x1"], by_id["x2"], by_id["x4"]
    keys = {"id", "relevance", "is_ai", "reasons", "category", "topics", "companies", "story_id", "duplicate_of"}
    assert keys <= set(x1)
    assert x1["is_ai"] and x2["duplicate_of"] == "x1" and x1["story_id"] == x2["story_id"]
    assert x1["companies"][0] == "퓨리오사AI"
    assert not x4["is_ai"] and x4["story_id"] is None
