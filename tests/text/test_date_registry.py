"""The date registry: each handler on real strings from the corpus pages and feeds, the order they
are tried in, and garbage in (never an exception)."""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ainews.text.dates import (
    HANDLERS,
    KST,
    Context,
    compact,
    date_at,
    find_dates,
    find_days,
    http_date,
    iso,
    korean,
    label_pattern,
    parse_date,
    parse_stamp,
    plausible,
    rfc822,
)
from tests.conftest import shared_path

PLUS9 = timezone(timedelta(hours=9))
CTX = Context()


@pytest.mark.parametrize(("text", "expected"), [
    ("2026.01.17 10:08", datetime(2026, 1, 17, 10, 8, tzinfo=KST)),
    ("입력 2026-01-17 오전 10:08", datetime(2026, 1, 17, 10, 8, tzinfo=KST)),
    ("입력 2026-01-17 오후 3:05", datetime(2026, 1, 17, 15, 5, tzinfo=KST)),
    ("2017.04.20. 오후 12:53", datetime(2017, 4, 20, 12, 53, tzinfo=KST)),
    ("2017.04.20. 오전 12:10", datetime(2017, 4, 20, 0, 10, tzinfo=KST)),
    ("2026. 1. 17.", datetime(2026, 1, 17, tzinfo=KST)),
    ("2026-01-17 10:08:01", datetime(2026, 1, 17, 10, 8, 1, tzinfo=KST)),
    ("2018. 05. 16. 16:23", datetime(2018, 5, 16, 16, 23, tzinfo=KST)),
    ("2026년 1월 17일 10시 8분", datetime(2026, 1, 17, 10, 8, tzinfo=KST)),
    ("20180516162312", datetime(2018, 5, 16, 16, 23, 12, tzinfo=KST)),
    ("2016-09-17T14:26:51+09:00", datetime(2016, 9, 17, 14, 26, 51, tzinfo=KST)),
    ("2023-04-05T02:52:50.165Z", datetime(2023, 4, 5, 2, 52, 50, 165000, tzinfo=UTC)),
    ("2026-01-20T09:25:00", datetime(2026, 1, 20, 9, 25, tzinfo=KST)),
])
def test_parse_date_formats(text: str, expected: datetime) -> None:
    parsed = parse_date(text)
    assert parsed == expected
    assert parsed is not None and parsed.tzinfo is not None


@pytest.mark.parametrize("text", ["", "   ", "조회: 8", "2026.13.45 10:00", "no date here", "99999999999999",
                                  "Mon, 32 Foo 2026 99:99", None, 20260116])
def test_parse_date_rejects_non_dates(text: object) -> None:
    assert parse_date(text) is None
    assert parse_stamp(text) is None


# Each handler, on strings as the corpus writes them (feeds/*.xml, html/*.html).
@pytest.mark.parametrize(("text", "expected"), [
    ("Fri, 16 Sep 2016 16:35:00 +0900", datetime(2016, 9, 16, 16, 35, tzinfo=PLUS9)),  # chosun RSS
    ("Wed, 12 Oct 2005 13:53:15+0900", datetime(2005, 10, 12, 13, 53, 15, tzinfo=PLUS9)),  # zone glued on
    ("16 Jan 2026 10:30", datetime(2026, 1, 16, 10, 30, tzinfo=KST)),  # no zone: KST
])
def test_rfc822(text: str, expected: datetime) -> None:
    stamp = rfc822.parse(text, CTX)
    assert stamp is not None and stamp.at == expected and stamp.has_time


@pytest.mark.parametrize(("text", "expected"), [
    ("2016-09-16T16:31:54+09:00", datetime(2016, 9, 16, 16, 31, 54, tzinfo=PLUS9)),  # dc:date
    ("2023-04-05T01:57:54.555Z", datetime(2023, 4, 5, 1, 57, 54, 555000, tzinfo=UTC)),  # chosun Arc meta
    ("2016-09-17T11:35+09:00", datetime(2016, 9, 17, 11, 35, tzinfo=PLUS9)),
])
def test_iso8601(text: str, expected: datetime) -> None:
    stamp = iso.parse(text, CTX)
    assert stamp is not None and stamp.at == expected and stamp.has_time


@pytest.mark.parametrize(("text", "expected", "has_time"), [
    ("20100101092104", datetime(2010, 1, 1, 9, 21, 4, tzinfo=KST), True),  # daum article ids
    ("201309120006", datetime(2013, 9, 12, 0, 6, tzinfo=KST), True),
    ("20260116", datetime(2026, 1, 16, tzinfo=KST), False),
])
def test_compact(text: str, expected: datetime, has_time: bool) -> None:
    stamp = compact.parse(text, CTX)
    assert stamp is not None and (stamp.at, stamp.has_time) == (expected, has_time)
    assert compact.parse("2026011", CTX) is None and compact.parse("id 20260116", CTX) is None


def test_korean_labelled_needs_a_leading_label() -> None:
    ctx = Context(labels=label_pattern(["기사입력", "입력", "등록", "승인", "송고", "게재", "수정"]))
    for text, expected in [("기사입력 2017.05.12. 오후 02:09", datetime(2017, 5, 12, 14, 9, tzinfo=KST)),
                           ("등록 :2016-09-17 14:26", datetime(2016, 9, 17, 14, 26, tzinfo=KST)),
                           ("입력 2010. 01. 01. 09:21", datetime(2010, 1, 1, 9, 21, tzinfo=KST)),
                           ("송고시간 2026-01-16 10:30", datetime(2026, 1, 16, 10, 30, tzinfo=KST))]:
        stamp = korean.labelled(text, ctx)
        assert stamp is not None and stamp.at == expected
    assert korean.labelled("2016-09-17 14:26", ctx) is None
    assert korean.labelled("입력 2016-09-17", Context()) is None  # no labels given: nothing is a label


@pytest.mark.parametrize(("text", "expected", "has_time"), [
    ("2022년 07월 03일(일) 01시00분 ~", datetime(2022, 7, 3, 1, 0, tzinfo=KST), True),
    ("Copyright 2009년 1월16일 | 발행·편집인", datetime(2009, 1, 16, tzinfo=KST), False),
    ("2017.04.20. 오후 3:53", datetime(2017, 4, 20, 15, 53, tzinfo=KST), True),
])
def test_korean_free_text(text: str, expected: datetime, has_time: bool) -> None:
    stamp = korean.free_text(text, CTX)
    assert stamp is not None and (stamp.at, stamp.has_time) == (expected, has_time)


def test_handlers_are_tried_in_order() -> None:
    assert [name for name, _ in HANDLERS] == ["rfc822", "iso8601", "compact", "korean-labelled", "korean-text"]
    # An ISO date-time keeps its zone (the ISO handler runs before the Korean one, which would drop it).
    assert parse_date("2016-09-17T14:26:51+00:00") == datetime(2016, 9, 17, 14, 26, 51, tzinfo=UTC)
    # Labels passed in win only when they lead; the first date anywhere otherwise.
    assert parse_date("수정 2026.01.17 입력 2026.01.16", labels=["입력"]) == datetime(2026, 1, 17, tzinfo=KST)
    # The caller's zone for zoneless text.
    assert parse_date("2026-01-16 10:30", tz=UTC) == datetime(2026, 1, 16, 10, 30, tzinfo=UTC)


def test_date_at_find_and_days() -> None:
    assert date_at("  2019.05.03 14:21 사진") is not None and date_at("사진 2019.05.03") is None
    text = "사진=2026.1.8 / 입력 2026.01.09 10:30 / 12026.01.10 / 2026.02.30"
    assert [(s.at.day, s.has_time) for _, s in find_dates(text)] == [(8, False), (9, True)]
    assert [d.day for d in find_days(text)] == [8, 9]


def test_plausible() -> None:
    assert plausible(datetime(2026, 1, 1, tzinfo=KST))
    assert not plausible(datetime(1990, 1, 1, tzinfo=KST))
    assert not plausible(datetime.now(KST) + timedelta(days=30))


def test_every_corpus_feed_date_reads() -> None:
    """Every <pubDate>/<dc:date> in the corpus feeds reads, except the one misspelt month ("Sept")."""
    found = 0
    for feed in sorted(shared_path("corpus", "feeds").glob("*.xml")):
        text = feed.read_bytes().decode("utf-8", "replace")
        for raw in re.findall(r"<(?:pubDate|dc:date|updated|published)>([^<]{5,40})<", text):
            found += 1
            assert parse_date(raw) is not None or "Sept" in raw, raw
    assert found > 20


@settings(max_examples=int(os.environ.get("AINEWS_FUZZ_EXAMPLES", "300")), deadline=None,
          derandomize=not os.environ.get("AINEWS_FUZZ_EXAMPLES"))
@given(st.text(alphabet=st.sampled_from(list("0123456789 .:-/+TZ년월일시분오전후입력()금,JanFriSep")), max_size=60)
       | st.text(max_size=60))
def test_parse_date_never_raises(text: str) -> None:
    """Any text, date-like or not: a Stamp with a zone, or None (AINEWS_FUZZ_EXAMPLES=N raises the case count)."""
    stamp = parse_stamp(text, labels=["입력"])
    assert stamp is None or stamp.at.tzinfo is not None


def test_http_date_reads_rfc822_only() -> None:
    assert http_date("Wed, 21 Oct 2026 07:28:00 GMT") == datetime(2026, 10, 21, 7, 28, tzinfo=UTC)
    assert http_date("Wed, 21 Oct 2026 07:28:00 -0000") == datetime(2026, 10, 21, 7, 28, tzinfo=UTC)
    for value in ("soon", "120", "2026-10-21T07:28:00Z", "", None):
        assert http_date(value) is None
