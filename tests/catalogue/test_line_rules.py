"""Boilerplate and byline rules live in one file (extract/sites/boilerplate.toml) that the extractor,
its metadata reader, the analysis and the summarizer all read."""

from __future__ import annotations

from ainews import catalogue
from ainews.analyze import summarize
from ainews.analyze.lexicon import lexicon
from ainews.extract import meta
from ainews.extract.boilerplate import all_rules, drop_reason

SIGN_OFF = "워싱턴에서 KBS 뉴스 김경수입니다."


def test_the_broadcast_sign_off_is_written_once_and_read_twice() -> None:
    rules = catalogue.load("extract/sites/boilerplate.toml")
    marked = [r for r in rules["drop"] if r.get("byline") == "tail"]
    assert len(marked) == 1
    drop = next(r for r in all_rules()[1] if r.pattern.pattern == marked[0]["pattern"])
    tails = meta.byline_patterns()[1]
    assert tails[0].pattern == drop.pattern.pattern  # the same rule, not a copy
    assert drop_reason(SIGN_OFF) == drop.kind == "sign-off"
    text = "첫 문장입니다. 본문이 이어집니다.\n" + SIGN_OFF
    assert meta.publisher_in_text(text) == "KBS"
    assert meta.reporters_in_text(text) == ["김경수"]


def test_metadata_bylines_come_from_the_rule_file() -> None:
    heads, tails = meta.byline_patterns()
    data = catalogue.load("extract/sites/boilerplate.toml")["byline"]
    assert [p.pattern for p in heads] == [i["pattern"] for i in data["head"]]
    assert len(tails) == 1 + len(data["tail"])
    assert meta.publisher_in_text("[서울=뉴시스] 심지혜 기자 = 정부가 발표했다.") == "뉴시스"
    assert meta.reporters_in_text("[서울=뉴시스] 심지혜 기자 = 정부가 발표했다.") == ["심지혜"]


def test_summarizer_and_analysis_read_their_sections() -> None:
    data = catalogue.load("extract/sites/boilerplate.toml")
    assert [name for name, _ in summarize.line_rules().drop] == list(data["summary"]["drop"])
    assert summarize.junk_reason("MBC뉴스 김윤미입니다.") == "tv_signoff"
    assert summarize.clean_line("(서울=연합뉴스) 홍길동 기자 = 정부가 발표했다.") == "정부가 발표했다."
    assert "기사듣기중지" in lexicon().junk_lines
    assert "junk" not in catalogue.load("data/taxonomy.toml")
