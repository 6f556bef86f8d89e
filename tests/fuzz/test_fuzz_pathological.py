"""Property tests: pathological markup (deep nesting, millions of nodes, huge attributes, entity
floods) through the extraction every run uses, under the same per-page deadline.

Each case must come back, within the deadline (its wall-clock stop) plus the time to replace a
killed worker, as an Article that is either usable or says why not. `make test` runs a few cases per generator; `make
fuzz` (AINEWS_FUZZ_EXAMPLES) runs a twentieth of its count, since each case is megabytes.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ainews.collect.extracting import DEFAULT_TIMEOUT, WALL_FACTOR, Extractor
from ainews.models import RawPage

EXAMPLES = max(3, int(os.environ.get("AINEWS_FUZZ_EXAMPLES", "60")) // 20)
FETCH_CAP = 10 * 1024 * 1024  # what the fetcher hands over at most
SLACK = 10.0  # SIGKILL and a fresh fork on a loaded machine
heavy = settings(max_examples=EXAMPLES, deadline=None, derandomize=not os.environ.get("AINEWS_FUZZ_EXAMPLES"),
                 suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                        HealthCheck.function_scoped_fixture])

HEAD = "<!doctype html><html><head><meta charset='utf-8'><title>제목</title></head><body>"
TAGS = st.sampled_from(["div", "span", "b", "p", "li", "td", "table", "a", "section", "font", "i", "article", "x-y"])
TEXT = st.sampled_from(["", "인공지능", "기사 본문입니다. ", "&amp;", " ", "<br>"])


@pytest.fixture(scope="module")
def extractor() -> Iterator[Extractor]:
    ex = Extractor(workers=1, timeout=DEFAULT_TIMEOUT)
    ex.start()
    yield ex
    ex.close()


def _bounded(extractor: Extractor, html: str) -> None:
    content = html.encode("utf-8")[:FETCH_CAP]
    start = time.monotonic()
    article = extractor.extract_sync(RawPage(url="https://example.com/news/1", content=content,
                                             content_type="text/html"))
    assert time.monotonic() - start < WALL_FACTOR * DEFAULT_TIMEOUT + SLACK, "the deadline did not hold"
    assert article.extraction_ok or article.extraction_reason


@heavy
@given(tags=st.lists(TAGS, min_size=1, max_size=3), depth=st.integers(1_000, 400_000), closed=st.booleans(),
       text=TEXT)
def test_deep_nesting(extractor: Extractor, tags: list[str], depth: int, closed: bool, text: str) -> None:
    opening = "".join(f"<{t}>" for t in tags) + text
    closing = "".join(f"</{t}>" for t in reversed(tags)) if closed else ""
    _bounded(extractor, HEAD + opening * depth + "인공지능 기사 본문" + closing * depth + "</body></html>")


@heavy
@given(element=st.sampled_from(["<p>ab</p>", "<br>", "<span>가</span>", "<a href=x>링크</a>", "<li>x", "<td>y",
                                "<div></div>", "<img src=a>", "<!-- c -->", "<p>"]),
       count=st.integers(100_000, 2_000_000))
def test_millions_of_nodes(extractor: Extractor, element: str, count: int) -> None:
    _bounded(extractor, HEAD + element * min(count, FETCH_CAP // len(element.encode())) + "</body></html>")


@heavy
@given(size=st.integers(10_000, 8_000_000), count=st.integers(1, 3), char=st.sampled_from(["a", "가", " ", "<", "'"]),
       terminated=st.booleans(), name=st.sampled_from(["class", "style", "content", "src", "data-x"]))
def test_huge_attributes(extractor: Extractor, size: int, count: int, char: str, terminated: bool, name: str) -> None:
    value = char * (size // len(char.encode()) // count)
    end = '"><p>본문</p></div>' if terminated else ""
    _bounded(extractor, HEAD + "".join(f'<div {name}="{value}{end}' for _ in range(count)) + "</body></html>")


@heavy
@given(entity=st.sampled_from(["&amp;", "&#44032;", "&#xAC00;", "&nbsp;", "&bogus;", "&#99999999;", "&", "&#x"]),
       count=st.integers(10_000, 2_000_000), where=st.sampled_from(["text", "attribute", "title"]))
def test_entity_floods(extractor: Extractor, entity: str, count: int, where: str) -> None:
    flood = entity * count
    html = {"text": HEAD + f"<p>{flood}</p>", "attribute": HEAD + f'<p title="{flood}">본문</p>',
            "title": f"<html><head><title>{flood}</title></head><body><p>본문</p>"}[where]
    _bounded(extractor, html + "</body></html>")
