"""Publication dates for pages that print none: inferred from the text and the pages around it.

Korean news names its own day as a bare day of the month in the lead ("16일 업계에 따르면"); the
month and year come from an anchor: a full date elsewhere on the page (photo captions "2026.1.8",
which are never later than the article), or a dated article of the same story among the pages
ingested together. How a date was settled is recorded in `Article.date_method`:

- "page": printed on the page (the extractor found it); "feed": the feed entry's date;
  "digest": an imported old digest's day;
- "--date": the user's `--date` (wins over inference, never over a printed date);
- "body-day+caption", "body-day+story": a lead day anchored to a page date / a story member;
- "caption": only a full date elsewhere on the page; "story": only the story's date;
- "assumed-today" (or "assumed-default" for a caller's default day): no evidence at all.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from ainews.analyze.features import Doc, prepare
from ainews.models import KST, Article, RawPage, now_kst
from ainews.text.dates import find_days
from ainews.text.encoding import decode

LEAD_CHARS = 1200
ANCHOR_SPAN = timedelta(days=31)  # a lead day is at most a month after a caption's date
STORY_SPAN = timedelta(days=7)  # ... and within a week of a story member's date
STORY_MIN_SHARED = 3  # organisations / proper nouns a story member must share
MAX_STORY_CANDIDATES = 3000
INFERRED = ("body-day+caption", "body-day+story", "caption", "story")

# A day the lead reports on: not "지난 7일" (earlier), "오는 7일" (later), "7일까지"/"7일간" (spans).
_LEAD_DAY = re.compile(r"(?<![\d.월])(?<!지난 )(?<!오는 )(?<!지난)(?<!오는)(\d{1,2})일"
                       r"(?!\s*(?:까지|부터|간|째|동안|만에|전|후))")
_NOT_TEXT = re.compile(r"<(script|style)\b.*?</\1\s*>|<[^>]{0,2000}>", re.S | re.I)


@dataclass(slots=True)
class Pending:
    """An article whose date is to be settled, with the page text its evidence comes from."""

    article: Article
    page_text: str
    feed_date: datetime | None = None

    @classmethod
    def of(cls, article: Article, raw: RawPage) -> Pending:
        """The article with its page's visible text (captions are not in the extracted body)."""
        feed = raw.entry.published_at if raw.entry else None
        if article.published_at is not None:
            return cls(article, "", feed)  # dated: no evidence needed, none kept (big batches)
        text = decode(raw.content[:2_000_000], raw.content_type)
        return cls(article, _NOT_TEXT.sub(" ", text), feed)


def lead_day(body: str) -> int | None:
    """The day of the month the lead reports on ("5일 업계에 따르면" → 5), if any."""
    for m in _LEAD_DAY.finditer(body[:LEAD_CHARS]):
        day = int(m.group(1))
        if 1 <= day <= 31:
            return day
    return None


def page_dates(text: str, today: date) -> list[date]:
    """Full dates printed anywhere on the page (captions, bylines of photos), plausible ones only."""
    return [d for d in find_days(text) if date(2000, 1, 1) <= d <= today]


def day_after(anchor: date, day: int, span: timedelta) -> date | None:
    """The first date on or after `anchor` whose day of the month is `day`, within `span`."""
    d = anchor
    while d <= anchor + span:
        if d.day == day:
            return d
        d += timedelta(days=1)
    return None


def day_near(anchor: date, day: int, span: timedelta) -> date | None:
    """The date nearest to `anchor` whose day of the month is `day`, within `span` either side."""
    best = None
    for offset in range(-span.days, span.days + 1):
        d = anchor + timedelta(days=offset)
        if d.day == day and (best is None or abs(offset) < abs((best - anchor).days)):
            best = d
    return best


def from_page(article: Article, page_text: str, today: date) -> tuple[date | None, str]:
    """A date from the page alone: the lead day after the latest page date, else that date."""
    anchors = page_dates(page_text, today)
    if not anchors:
        return None, ""
    anchor = max(anchors)
    day = lead_day(article.body)
    if day is not None and (found := day_after(anchor, day, ANCHOR_SPAN)) and found <= today:
        return found, "body-day+caption"
    return anchor, "caption"


def signature(doc: Doc) -> set[str]:
    """Who and what a page is about: its organisations and the proper nouns of headline and lead."""
    return set(doc.org_hits) | {"nnp:" + w for w in doc.proper}


def from_story(doc: Doc, dated: Sequence[Doc]) -> tuple[date | None, str]:
    """A date from the dated page sharing most entities whose date agrees with the lead day."""
    mine = signature(doc)
    day = lead_day(doc.article.body)
    best: tuple[int, date, str] | None = None
    for other in dated:
        stamp = other.article.published_at
        shared = len(mine & signature(other))
        if stamp is None or shared < STORY_MIN_SHARED or (best is not None and shared <= best[0]):
            continue
        anchor = stamp.astimezone(KST).date()
        found = day_near(anchor, day, STORY_SPAN) if day is not None else anchor
        if found is not None:
            best = (shared, found, "body-day+story" if day is not None else "story")
    return (best[1], best[2]) if best else (None, "")


def _set(article: Article, day: date, method: str) -> None:
    article.published_at = datetime(day.year, day.month, day.day, tzinfo=KST)
    article.date_assumed = method not in ("page", "feed")
    article.date_method = method


def settle(pending: Sequence[Pending], user_date: date | None = None, default_date: date | None = None,
           fallback: bool = True) -> None:
    """Give every article a filing day and say how: printed > --date > inferred > default/today.

    Articles that already carry a date keep it ("page"/"feed"/"digest"); they are also the story
    anchors for the undated ones of the same batch. `fallback=False` leaves pages without evidence
    undated (`ainews extract` shows what the page says, not where it would be filed).
    """
    today = now_kst().date()
    todo = [p for p in pending if p.article.published_at is None]
    for p in pending:
        if p.article.published_at is not None and not p.article.date_method:
            feed = p.feed_date is not None and p.article.published_at == p.feed_date
            p.article.date_method = "digest" if p.article.imported is not None else "feed" if feed else "page"
    if user_date is not None:
        for p in todo:
            _set(p.article, user_date, "--date")
        return
    found_on_page = {id(p): from_page(p.article, p.page_text, today) for p in todo}
    unsure = [p.article for p in todo if found_on_page[id(p)][1] != "body-day+caption"]
    dated = [q.article for q in pending if q.article.date_method in ("page", "feed")][:MAX_STORY_CANDIDATES]
    docs = prepare(unsure + dated) if unsure and dated else []
    story_docs = {id(d.article): d for d in docs}
    for p in todo:
        found, method = found_on_page[id(p)]
        if id(p.article) in story_docs:
            story_found, story_method = from_story(story_docs[id(p.article)], docs[len(unsure):])
            if story_found is not None and (found is None or story_method == "body-day+story"):
                found, method = story_found, story_method
        if found is not None:
            _set(p.article, found, method)
        elif fallback:
            _set(p.article, default_date or today, "assumed-default" if default_date else "assumed-today")
