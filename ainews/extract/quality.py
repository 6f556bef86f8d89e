"""Quality gate: is this body an article, or navigation / boilerplate / junk?

A failed body is kept for inspection but flagged, so the digest never prints it as the article
(seed 000 item 3 printed "www.aitimes.com / 발행일 / 로그인 / 한국어 / 일본어 ..." as text).
"""

from __future__ import annotations

import re

from ainews.text.patterns import HANGUL

_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
_SENTENCE = re.compile(r"(?:[.?!。]|다|요|까)[\"'”’」)\]]*(?:\s|$)")
_STAMP = re.compile(r"(?:\d{4}[.\-/]\s?\d{1,2}[.\-/]\s?\d{1,2}\.?|\d{1,2}[:시]\d{2}분?|\d+\s*(?:분|시간|일)\s*전)\s*$")
MIN_CHARS = 150
MIN_SENTENCES = 3


def language(body: str) -> str:
    """"ko" when Hangul dominates the letters, "en" for Latin prose, "und" otherwise."""
    hangul = len(HANGUL.findall(body))
    latin = sum(len(w) for w in _LATIN_WORD.findall(body))
    if hangul >= 0.3 * (hangul + latin) and hangul:
        return "ko"
    return "en" if latin else "und"


def check(body: str) -> tuple[bool, str | None]:
    """(ok, reason). Reasons: empty, too short, mostly navigation, not prose, mostly non-Korean."""
    text = body.strip()
    if not text:
        return False, "empty body"
    lines = [ln for ln in re.split(r"\n+", text) if ln.strip()]
    sentences = len(_SENTENCE.findall(text))
    short = sum(1 for ln in lines if len(ln.strip()) < 25)
    if len(lines) >= 4 and short / len(lines) > 0.6 and sentences < max(MIN_SENTENCES, len(lines) // 3):
        return False, f"mostly navigation: {short} of {len(lines)} lines are short, {sentences} sentences"
    stamped = sum(1 for ln in lines if _STAMP.search(ln))
    if len(lines) >= 5 and stamped / len(lines) > 0.3:
        return False, f"list of articles: {stamped} of {len(lines)} lines end with a date stamp"
    if len(text) < MIN_CHARS:
        return False, f"too short: {len(text)} characters"
    if sentences < MIN_SENTENCES:
        return False, f"not prose: {sentences} sentence endings in {len(text)} characters"
    lang = language(text)
    if lang == "und":
        return False, "mostly non-Korean: no Korean or Latin prose"
    if lang == "en" and len(_LATIN_WORD.findall(text)) < 40:
        return False, "mostly non-Korean: too little text in either language"
    return True, None


def check_body(title: str, body: str) -> tuple[bool, str | None]:
    """Gate for bodies that did not come through extract() (imported digests): same rules, plus a
    body that only repeats the title is not an article."""
    if body.strip() and title.strip() and body.strip() == title.strip():
        return False, "body only repeats the title"
    return check(body)
