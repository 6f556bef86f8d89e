"""OPML import/export: nested outlines, duplicates, hostile XML, escaping and the round trip."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ainews.collect.opml import OpmlError, Outline, parse_opml, to_opml

NESTED = """<?xml version="1.0" encoding="UTF-8"?>
<opml version="1.0"><head><title>내 구독</title></head><body>
  <outline text="IT">
    <outline text="AI타임스" title="AI타임스" type="rss" xmlUrl="https://www.aitimes.com/rss/allArticle.xml"
             htmlUrl="https://www.aitimes.com/"/>
    <outline text="폴더 안의 폴더">
      <outline text="블로터" xmlUrl="https://www.bloter.net/rss"/>
    </outline>
  </outline>
  <outline text="AI타임스 (again)" xmlUrl="http://aitimes.com/rss/allArticle.xml/"/>
  <outline text="no feed here" htmlUrl="https://example.com/"/>
  <outline text="not http" xmlUrl="file:///etc/passwd"/>
  <outline XMLURL="https://example.com/feed.xml" title="  "/>
</body></opml>"""


def test_nested_outlines_flattened_and_duplicates_skipped() -> None:
    got = parse_opml(NESTED.encode())
    assert [(o.name, o.xml_url, o.html_url) for o in got] == [
        ("AI타임스", "https://www.aitimes.com/rss/allArticle.xml", "https://www.aitimes.com/"),
        ("블로터", "https://www.bloter.net/rss", None),
        ("example.com", "https://example.com/feed.xml", None),  # no title or text: the host names it
    ]


@pytest.mark.parametrize("content, message", [
    (b"<opml><body><outline xmlUrl='https://a/'", "not valid XML"),
    (b"", "not valid XML"),
    (b"<rss version='2.0'><channel/></rss>", "not an OPML file"),
])
def test_bad_files_are_one_line_errors(content: bytes, message: str) -> None:
    with pytest.raises(OpmlError, match=message) as caught:
        parse_opml(content, "subs.opml")
    assert str(caught.value).startswith("subs.opml: ") and "\n" not in str(caught.value)


def test_entities_are_never_expanded() -> None:
    """Entity declarations (billion laughs, external files) are refused before any is expanded or read."""
    laughs = b"""<?xml version="1.0"?>
<!DOCTYPE opml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>
<opml version="2.0"><body><outline text="x&c;" xmlUrl="https://example.com/rss"/></body></opml>"""
    with pytest.raises(OpmlError, match="entity declarations are not allowed"):
        parse_opml(laughs)
    with pytest.raises(OpmlError, match="entity declarations are not allowed"):
        parse_opml(laughs.decode().replace('"1.0"?>', '"1.0" encoding="UTF-16"?>', 1).encode("utf-16"))
    external = b"""<?xml version="1.0"?>
<!DOCTYPE opml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<opml version="2.0"><body><outline text="&xxe;" xmlUrl="https://example.com/rss"/></body></opml>"""
    with pytest.raises(OpmlError, match="entity declarations") as caught:
        parse_opml(external, "evil.opml")
    assert "root:" not in str(caught.value)


def test_export_escapes_and_round_trips() -> None:
    tricky = [Outline('A&B <뉴스> "따옴표"', "https://example.com/rss?a=1&b=2", "https://example.com/?x=<y>"),
              Outline("제어\x01문자", "https://example.org/feed", None)]
    xml = to_opml(tricky)
    assert xml.startswith("<?xml version='1.0' encoding='UTF-8'?>") and 'version="2.0"' in xml
    assert "<뉴스>" not in xml and "a=1&amp;b=2" in xml
    back = parse_opml(xml.encode("utf-8"))
    assert [(o.name, o.xml_url, o.html_url) for o in back] == [
        ('A&B <뉴스> "따옴표"', "https://example.com/rss?a=1&b=2", "https://example.com/?x=<y>"),
        ("제어문자", "https://example.org/feed", None),
    ]


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.binary(max_size=400),
                 st.text(max_size=200).map(lambda t: f"<opml><body><outline xmlUrl='https://a.test/{t}' "
                                                     f"text='{t}'/></body></opml>".encode("utf-8", "replace"))))
def test_any_input_parses_or_is_one_clear_error(content: bytes) -> None:
    try:
        outlines = parse_opml(content, "f.opml")
    except OpmlError as exc:
        assert str(exc).startswith("f.opml: ") and "\n" not in str(exc)
    else:
        assert all(o.xml_url.startswith("https://") and o.name for o in outlines)
        assert [(o.name, o.xml_url) for o in parse_opml(to_opml(outlines).encode())] == \
            [(o.name, o.xml_url) for o in outlines]
