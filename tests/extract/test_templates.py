"""Pure template logic: normalization, the template rule and what a body loses."""

from __future__ import annotations

from ainews.extract.templates import (
    TemplateRules,
    is_template,
    line_hash,
    page_hashes,
    strip_template,
)
from tests.support.template_pages import COPYRIGHT, MOST_READ, PROMO, QUOTE, body, prose


def test_lines_differing_only_in_digits_and_spaces_hash_alike() -> None:
    assert line_hash("조회수 1,234  | 2026.01.17") == line_hash("조회수 9,876 | 2025.12.01")
    assert line_hash("많이 본 뉴스") != line_hash("많이 읽은 뉴스")
    # a sentence keeps its figures: two market reports differing only in numbers are two texts
    assert line_hash("코스피는 2,512.3에 장을 마쳤다.") != line_hash("코스피는 2,498.1에 장을 마쳤다.")
    assert len(page_hashes("a\n\na\n\nb")) == 2  # a line counts once per page


def test_template_needs_enough_pages_and_share_since_first_seen() -> None:
    rules = TemplateRules(min_articles=3, min_share=0.5)
    assert not is_template(2, 1, 2, rules)  # a quote shared by two articles
    assert is_template(3, 1, 4, rules)
    assert not is_template(3, 1, 20, rules)  # 3 of 20 pages: article text, not chrome
    assert is_template(3, 18, 20, rules)  # a new promo, on every page since it appeared


def test_strip_removes_edge_runs_and_short_middle_lines_but_keeps_prose() -> None:
    text = body(1, quote=True)
    template = {line_hash(x) for x in [PROMO, *MOST_READ, COPYRIGHT, QUOTE]}
    cleaned, removed = strip_template(text, template)
    assert cleaned == "\n\n".join([prose(1)[0], QUOTE, *prose(1)[1:]])
    assert removed == [PROMO, *MOST_READ, COPYRIGHT]  # the quote is prose in the middle: kept


def test_short_template_line_in_the_middle_goes_and_nothing_else_changes() -> None:
    text = "\n\n".join([prose(1)[0], "[광고]", prose(1)[1]])
    cleaned, removed = strip_template(text, {line_hash("[광고]")})
    assert (cleaned, removed) == ("\n\n".join(prose(1)[:2]), ["[광고]"])
    assert strip_template(text, set()) == (text, [])
