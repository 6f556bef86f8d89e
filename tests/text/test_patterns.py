"""The shared Korean text patterns, on lines as Korean news writes them."""

from __future__ import annotations

import re

from ainews.text.patterns import CLOSERS, HANGUL, SENTENCE_END, squeeze


def test_hangul_counts_syllables_only() -> None:
    assert len(HANGUL.findall("AI 반도체 ㅋㅋ 2026")) == 3  # jamo are not syllables


def test_sentence_end_allows_closers() -> None:
    for line in ("정부는 이날 발표했다.", "“그렇게 하겠다.”", "무엇이 문제인가?", "(사진=연합뉴스)…", "「끝。」"):
        assert SENTENCE_END.search(line), line
    for line in ("AI타임스 홍길동 기자", "발표했다. 그리고", "2026.01.16"):
        assert not SENTENCE_END.search(line), line
    assert re.fullmatch(CLOSERS, "”’」』)]")


def test_squeeze() -> None:
    assert squeeze("  제목\n\n 본문\t끝 ") == "제목 본문 끝"
    assert squeeze("") == ""
