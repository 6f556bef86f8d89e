"""Property tests: hostile input through every stage that reads the outside world.

`make test` runs a few dozen cases per target; `make fuzz` sets AINEWS_FUZZ_EXAMPLES and runs
thousands. Every case must finish without an uncaught exception within a bounded time.
"""

from __future__ import annotations

import os
import time
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ainews.collect.feeds import parse_feed
from ainews.collect.sources import SourceError, load_sources
from ainews.config import ConfigError, load_settings
from ainews.extract import extract
from ainews.models import Article, RawPage
from ainews.publish import markdown

EXAMPLES = int(os.environ.get("AINEWS_FUZZ_EXAMPLES", "25"))
PER_CASE_SECONDS = 5.0
fuzz_settings = settings(max_examples=EXAMPLES, deadline=None, derandomize=not os.environ.get("AINEWS_FUZZ_EXAMPLES"),
                         suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

ALPHABET = list("가나다라마바사아자차카타파하인공지능뉴스기자오픈AI의는이가을를 .,\n\"'<>&#|")
KOREAN = st.text(alphabet=st.sampled_from(ALPHABET), max_size=200)
TAGS = ["div", "p", "span", "article", "section", "h1", "h2", "script", "style", "table", "td", "a", "br", "meta",
        "title", "figure", "figcaption", "ul", "li", "iframe", "noscript"]


@st.composite
def html_documents(draw: st.DrawFn) -> str:
    def element(depth: int) -> str:
        tag = draw(st.sampled_from(TAGS))
        attrs = draw(st.sampled_from(["", ' id="article-view-content-div"', ' class="article_body"', ' id="dic_area"',
                                      ' property="og:title" content="제목"', ' name="description" content="<x>"',
                                      ' href="javascript:alert(1)"']))
        children = "".join(element(depth + 1) if depth < 6 and draw(st.booleans()) else draw(KOREAN)
                           for _ in range(draw(st.integers(0, 4))))
        close = draw(st.sampled_from([f"</{tag}>", "", f"</{tag}"]))  # unclosed and broken tags too
        return f"<{tag}{attrs}>{children}{close}"

    head = draw(st.sampled_from(["", "<!doctype html>", '<meta charset="euc-kr">', '<?xml version="1.0"?>']))
    return head + "<html><head><title>" + draw(KOREAN) + "</title></head><body>" + element(0) + "</body></html>"


def _bounded(func, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202 - any callable
    start = time.perf_counter()
    result = func(*args, **kwargs)
    assert time.perf_counter() - start < PER_CASE_SECONDS, f"{func.__name__} took too long"
    return result


@fuzz_settings
@given(doc=html_documents(), cut=st.integers(0, 5000), encoding=st.sampled_from(["utf-8", "cp949", "utf-16"]))
def test_extract_html_never_raises(doc: str, cut: int, encoding: str) -> None:
    content = doc.encode(encoding, "ignore")
    truncated = content[: max(1, len(content) - cut)]
    for body in (content, truncated):
        article = _bounded(extract, RawPage(url="https://example.com/news/1", content=body, content_type="text/html"))
        assert isinstance(article, Article)
        assert article.extraction_ok or article.extraction_reason


@fuzz_settings
@given(data=st.binary(max_size=4000), content_type=st.sampled_from(["", "text/html", "text/plain", "application/xml"]))
def test_extract_random_bytes(data: bytes, content_type: str) -> None:
    article = _bounded(extract, RawPage(url="/tmp/x", content=data, content_type=content_type),
                       assume_date=date(2026, 1, 20))
    assert isinstance(article, Article)


DATES = st.sampled_from(["2026-08-09 18:00:00", "Tue, 20 Jan 2026 09:00:00 +0900", "garbage", ""])


@fuzz_settings
@given(items=st.lists(st.tuples(KOREAN, KOREAN, DATES), max_size=8),
       cut=st.integers(0, 300), declared=st.sampled_from(["utf-8", "euc-kr", "bogus"]))
def test_feeds_never_raise(items: list[tuple[str, str, str]], cut: int, declared: str) -> None:
    entries = "".join(f"<item><title>{t}</title><link>https://a.kr/news/articleView.html?idxno={i}</link>"
                      f"<description>{d}</description><pubDate>{p}</pubDate></item>"
                      for i, (t, d, p) in enumerate(items))
    xml = (f'<?xml version="1.0" encoding="{declared}"?><rss version="2.0"><channel><title>x</title>'
           f"{entries}</channel></rss>")
    content = xml.encode("cp949" if declared == "euc-kr" else "utf-8", "ignore")
    for body in (content, content[: max(1, len(content) - cut)]):
        result = _bounded(parse_feed, body, "application/rss+xml", source="fuzz", base_url="https://a.kr/")
        assert all(e.url.startswith("http") for e in result.entries)


TOML_VALUES = st.sampled_from(['"x"', "1", "0.5", "true", "[1, 2]", '{ a = 1 }', '"https://a.b/rss"', "[[", '"""'])
TOML_KEYS = st.sampled_from(["db", "output_dir", "relevance_threshold", "name", "url", "kind", "enabled",
                             "link_selector", "sentences", "method", "zzz"])
TOML_TABLES = st.sampled_from(["", "[analysis]", "[summary]", "[llm]", "[[source]]", "[http]", "[delivery.slack]",
                               "[x"])


@st.composite
def toml_documents(draw: st.DrawFn) -> str:
    lines = []
    for _ in range(draw(st.integers(0, 8))):
        lines.append(draw(TOML_TABLES))
        lines += [f"{draw(TOML_KEYS)} = {draw(TOML_VALUES)}" for _ in range(draw(st.integers(0, 3)))]
    return "\n".join(lines)


@fuzz_settings
@given(text=toml_documents())
def test_config_and_sources_fail_cleanly(text: str, tmp_path_factory: pytest.TempPathFactory) -> None:
    path = tmp_path_factory.mktemp("cfg") / "file.toml"
    path.write_text(text, encoding="utf-8")
    try:
        load_settings(path)
    except ConfigError as exc:
        assert str(exc)
    try:
        load_sources(path)
    except SourceError as exc:
        assert str(exc)


@fuzz_settings
@given(titles=st.lists(KOREAN, min_size=1, max_size=5), bodies=st.lists(KOREAN, min_size=1, max_size=5))
def test_digest_markdown_round_trips_any_text(titles: list[str], bodies: list[str]) -> None:
    from ainews.models import Digest, DigestItem

    items = [DigestItem(article=Article(url="https://a.kr/1", title=t.strip() or "제목", body=b))
             for t, b in zip(titles, bodies, strict=False)]
    text = markdown.render_digest(Digest(day=date(2026, 1, 20), items=items))
    parsed = markdown.parse_digest(text)
    assert [p.title for p in parsed] == [" ".join(i.article.title.split()) for i in items]
    assert text.count("<details>") == text.count("</details>") == len(items)
