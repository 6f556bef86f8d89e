"""The daily digest in the seed-000 Markdown format, and its inverse (old digest files → Articles).

Everything that came from the web is escaped so no article text can break the structure:
`</details>`, headings, tables, code fences and raw HTML all render as plain text.
"""

from __future__ import annotations

import contextlib
import html
import re
import unicodedata
from collections.abc import Callable
from datetime import date, datetime

from ainews.models import KST, Article, Digest, DigestItem, Imported
from ainews.publish.records import OverviewEntry, PublishedItem
from ainews.sanitize import TITLE_CHARS, clean_line, clean_text
from ainews.text.urls import clean_web_url, is_web_url

TOC_START, TOC_END = "<!-- TOC_START -->", "<!-- TOC_END -->"
TOC_TITLE_CHARS = 60
NO_BODY = "본문을 추출하지 못했습니다"
DEFAULT_EMOJI = "📌"
METHOD_LABELS = {"extractive": "추출 요약", "llm": "LLM 요약"}
OVERVIEW_TITLE = "**📰 오늘의 요약**"
OVERVIEW_LINE_CHARS = 90
UPDATE_MARK = "🔄 후속"


# --- escaping ---------------------------------------------------------------------------------

# CommonMark punctuation that can start a link, image, emphasis, code, heading, table or strike;
# `<`, `>` and `&` become entities (raw HTML and autolinks are then impossible).
_MD_SPECIALS = re.compile(r"([\\`*_\[\]()!|#~])")
_MD_ESCAPED = re.compile(r"\\([\\`*_\[\]()!|#~])")


def escape_md(text: str) -> str:
    """The one escaping of web-sourced text for Markdown: control/bidi characters stripped, HTML
    inert, and every character that could make a link, image or other syntax backslash-escaped."""
    return _MD_SPECIALS.sub(r"\\\1", html.escape(clean_text(text), quote=False))


def unescape_md(text: str) -> str:
    return html.unescape(_MD_ESCAPED.sub(r"\1", text))


def escape_inline(text: str) -> str:
    """One line of web text safe for a heading, link label or table-like meta line."""
    return escape_md(re.sub(r"\s+", " ", text).strip())


def unescape_inline(text: str) -> str:
    return unescape_md(text).strip()


def escape_block(text: str) -> str:
    """Multi-line web text for inside <details>: inert, and no line starts Markdown block syntax."""
    lines = []
    for line in text.splitlines():
        line = escape_md(line.strip()).replace("\\`", "&#96;").replace("\\|", "&#124;")
        line = re.sub(r"^([=+*-])", r"\\\1", line)
        line = re.sub(r"^(\d+)([.)])", r"\1\\\2", line)
        lines.append(line)
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def unescape_block(text: str) -> str:
    text = re.sub(r"(?m)^\\([=+*-])", r"\1", text)
    text = re.sub(r"(?m)^(\d+)\\([.)])", r"\1\2", text)
    return unescape_md(text).strip()


def anchor(title: str) -> str:
    """GitHub's heading anchor: lower-case, punctuation and symbols dropped, spaces → hyphens."""
    kept = []
    for ch in title.strip().lower():
        cat = unicodedata.category(ch)
        if cat[0] in "LMN" or cat == "Pc" or ch in " -":
            kept.append(ch)
    return "".join(kept).replace(" ", "-")


def unique_anchors(titles: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for title in titles:
        base = anchor(title)
        count = seen.get(base, 0)
        out.append(base if count == 0 else f"{base}-{count}")
        seen[base] = count + 1
    return out


def item_title(item: DigestItem) -> str:
    """The heading's title: cleaned, one line, capped (the store does this too; defence in depth)."""
    return clean_line(item.article.title, TITLE_CHARS) or "(제목 없음)"


def digest_anchors(items: list[DigestItem]) -> list[str]:
    """Each item's anchor as GitHub computes it from the rendered heading, marker text included."""
    return unique_anchors([item_title(it) + (f" {UPDATE_MARK}" if it.is_update else "") for it in items])


# --- rendering --------------------------------------------------------------------------------

def korean_date(day: date) -> str:
    return f"{day.year}년 {day.month:02d}월 {day.day:02d}일"


def clip(text: str, limit: int) -> str:
    """Cut long text at a paragraph or sentence end near the limit, marked with '...'."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    for sep in ("\n\n", ". ", "다. ", "\n"):
        pos = cut.rfind(sep)
        if pos > limit * 0.6:
            return cut[: pos + len(sep)].rstrip() + "..."
    return cut.rstrip() + "..."


def _toc_label(title: str) -> str:
    return title if len(title) <= TOC_TITLE_CHARS else title[:TOC_TITLE_CHARS] + "..."


def render_digest(
    digest: Digest,
    emoji_for: Callable[[str], str] | None = None,
    body_chars: int = 1500,
    preface: list[str] | None = None,
) -> str:
    """Markdown for one day. `preface` lines (e.g. 오늘의 요약) go between the title and the TOC."""
    emoji_for = emoji_for or (lambda _name: DEFAULT_EMOJI)
    titles = [item_title(it) for it in digest.items]
    anchors = digest_anchors(digest.items)
    out = [f"# 🤖 AI 뉴스 - {korean_date(digest.day)}", ""]
    if preface:
        out += [*preface, ""]
    out += ["## 📑 목차", "", TOC_START]
    pairs = enumerate(zip(titles, anchors, strict=True), 1)
    out += [f"{i}. [{escape_inline(_toc_label(t))}](#{a})" for i, (t, a) in pairs]
    out += [TOC_END, "", "---", ""]
    for item, title in zip(digest.items, titles, strict=True):
        out += render_item(item, title, emoji_for, body_chars)
    return "\n".join(out).rstrip() + "\n"


def _meta_fields(item: DigestItem, emoji_for: Callable[[str], str]) -> tuple[str, str, str, str, list[str]]:
    a = item.article
    an = a.analysis
    day = a.day.isoformat() if a.day else ""
    category = an.category if an else (a.imported.category if a.imported else "일반")
    companies = an.companies[:2] if an else ([a.imported.company] if a.imported else [])
    tags = an.topics if an else (a.imported.tags if a.imported else [])
    company = ", ".join(c for c in companies if c) or "기타"
    source = a.publisher or (a.imported.source if a.imported else "") or a.host or "출처 미상"
    return day, f"{emoji_for(category)} {category}", company, source, tags


def render_item(item: DigestItem, title: str, emoji_for: Callable[[str], str], body_chars: int) -> list[str]:
    a = item.article
    day, category, company, source, tags = _meta_fields(item, emoji_for)
    summary, method = item_summary(item)
    label = "**💡 요약**" + (f" <sub>{METHOD_LABELS[method]}</sub>" if method in METHOD_LABELS else "")
    heading = escape_inline(title) + (f" <sub>{UPDATE_MARK}</sub>" if item.is_update else "")
    lines = [
        f"### {heading}",
        "",
        f"> 📅 **{day}** | **{escape_inline(category)}** | {escape_inline(company)} | {escape_inline(source)}"
        + (f" | {FEED_BODY_MARK}" if a.body_source == "feed" else ""),
        f"> 🏷️ {escape_inline(', '.join(tags) or '기타')}",
        "",
        label,
    ]
    lines += [escape_block(summary[0])] if len(summary) == 1 else [f"- {escape_block(s)}" for s in summary]
    lines += ["", "<details>", "<summary><b>📄 원문 보기</b></summary>", "", _details_body(a, body_chars), "",
              "</details>", "", _source_link(a)]
    if item.others:
        outlets = {x.publisher or x.host or x.url for x in (a, *item.others)}
        lines += ["", f"📰 함께 보도 ({len(outlets)}개 매체)"]
        lines += [f"- [{escape_inline(_other_label(o))}]({safe_url(o.url)})" for o in item.others]
    return [*lines, "", "---", ""]


def _source_link(a: Article) -> str:
    """The link line; a document added from a file has no web address to link to."""
    url = safe_url(a.canonical_url if a.url and not is_web_url(a.url) and a.canonical_url else a.url)
    return f"🔗 [원문 보기]({url})" if url != "#" else "🔗 원문 링크 없음 (파일로 추가된 문서)"


def _other_label(article: Article, title_chars: int = 40) -> str:
    title = article.title if len(article.title) <= title_chars else article.title[:title_chars] + "…"
    outlet = article.publisher or article.host or "기사"
    return f"{outlet} · {title}" if title else outlet


def item_summary(item: DigestItem) -> tuple[list[str], str]:
    """The sentences shown under 💡 요약 and the method that produced them: for a story other
    outlets covered too, the multi-document story summary drawn from all of them."""
    summary, method = _summary(item.article)
    if item.others and item.story and item.story.summary and method in METHOD_LABELS:
        return item.story.summary, method
    return summary, method


def one_line(item: PublishedItem) -> str:
    """A story's gist in one plain-text line (for 오늘의 요약, chat messages): summary head, outlets."""
    title = re.sub(r"\s+", " ", item.title).strip()
    sentences = [] if item.summary_method == "none" else item.summary
    first = next((re.sub(r"\s+", " ", s).strip() for s in sentences if s.strip()), "")
    gist = "" if not first or first == title else clip(first, OVERVIEW_LINE_CHARS)
    outlets = len(item.others) + 1
    return gist + (f" ({outlets}개 매체)" if outlets > 1 else "")


def render_overview(overview: list[OverviewEntry], anchors: dict[int, str]) -> list[str]:
    """The 오늘의 요약 preface: each top story as one line linking to its item below."""
    if not overview:
        return []
    lines = [OVERVIEW_TITLE, ""]
    for entry in overview:
        title = escape_inline(_toc_label(entry.title or "(제목 없음)"))
        link = f"[{title}](#{anchors[entry.rank]})" if entry.rank in anchors else title
        gist = escape_inline(entry.line)
        lines.append(f"- **{link}**" + (f" — {gist}" if gist else ""))
    return lines


FEED_BODY_MARK = "📡 피드 본문"  # the text shown is the feed item's: the page itself could not be used
NO_SUMMARY = "본문을 가져오지 못해 요약하지 못했습니다. 원문 링크에서 기사를 확인하세요."


def _summary(a: Article) -> tuple[list[str], str]:
    """Never the title again (the old digests' failure): an imported summary only when it says more."""
    if a.analysis and a.analysis.summary:
        return a.analysis.summary, a.analysis.summary_method
    if a.imported and any(_squeeze(s) not in _squeeze(a.title) for s in a.imported.summary):
        return a.imported.summary, "imported"
    if not a.extraction_ok or not a.body.strip():
        return [NO_SUMMARY], "none"
    return [a.title or NO_BODY], "title"


def _squeeze(text: str) -> str:
    return re.sub(r"\W+", "", text)


def _details_body(a: Article, body_chars: int) -> str:
    if not a.extraction_ok or not a.body.strip():
        reason = f" ({a.extraction_reason})" if a.extraction_reason else ""
        return escape_block(f"{NO_BODY}{reason}. 원문 링크에서 기사를 확인하세요.")
    return escape_block(clip(a.body, body_chars))


LINK_ESCAPES = str.maketrans({" ": "%20", "(": "%28", ")": "%29", "<": "%3C", ">": "%3E", '"': "%22"})


def safe_url(url: str) -> str:
    """Only clean http(s) links (urltrust's one check), with the characters that could end the
    Markdown link percent-encoded first."""
    encoded = (url or "").strip().translate(LINK_ESCAPES)
    return clean_web_url(encoded) or "#"


# --- parsing (old digest files back into Articles) ---------------------------------------------

_TITLE = re.compile(r"^# 🤖 AI 뉴스 - (\d{4})년 (\d{1,2})월 (\d{1,2})일\s*$", re.M)
_META = re.compile(r"^> 📅 \*\*(?P<date>[^*]*)\*\* \| \*\*(?P<cat>.*?)\*\* \| (?P<rest>.*)$", re.M)
_TAGS = re.compile(r"^> 🏷️ (?P<tags>.*)$", re.M)
_DETAILS = re.compile(r"<details>\s*<summary>.*?</summary>\s*(?P<body>.*?)\s*</details>", re.S)
_LINK = re.compile(r"^🔗 \[원문 보기\]\((?P<url>[^)\s]*)\)", re.M)
_SUMMARY = re.compile(r"^\*\*💡 요약\*\*.*?\n(?P<summary>.*?)(?=\n\s*\n|\n<details>)", re.S | re.M)


def is_digest(text: str) -> bool:
    return TOC_START in text and bool(_TITLE.search(text))


def digest_day(text: str) -> date | None:
    m = _TITLE.search(text)
    return date(int(m.group(1)), int(m.group(2)), int(m.group(3))) if m else None


def parse_digest(text: str, url: str = "") -> list[Article]:
    """Items of a seed-000-format digest as Articles carrying their old metadata in `imported`."""
    day = digest_day(text)
    toc_end = text.find(TOC_END)
    sections = re.split(r"(?m)^---\s*$", text[toc_end:] if toc_end >= 0 else text)
    return [a for a in (_parse_item(s, day, url) for s in sections) if a is not None]


def _split_meta(rest: str) -> list[str]:
    return [unescape_inline(p) for p in re.split(r"(?<!\\) \| ", rest)]


def _parse_item(section: str, day: date | None, origin: str) -> Article | None:
    heading = re.search(r"^### (.+)$", section, re.M)
    if not heading:
        return None
    title = unescape_inline(re.sub(r"\s*<sub>.*?</sub>", "", heading.group(1)))
    meta, tags, body, link = _META.search(section), _TAGS.search(section), _DETAILS.search(section), \
        _LINK.search(section)
    company, source = "", ""
    category = ""
    item_day, dated = day, False
    if meta:
        rest = _split_meta(meta.group("rest"))
        company, source = (rest + ["", ""])[:2]
        category = unescape_inline(meta.group("cat")).split(" ", 1)[-1]
        with contextlib.suppress(ValueError):
            item_day, dated = date.fromisoformat(meta.group("date").strip()), True
    summary_match = _SUMMARY.search(section)
    summary = []
    if summary_match:
        summary = [unescape_block(re.sub(r"^- ", "", ln)) for ln in summary_match.group("summary").splitlines()
                   if ln.strip()]
    tag_list = [t.strip() for t in unescape_inline(tags.group("tags")).split(",")] if tags else []
    url = link.group("url") if link else origin
    published = datetime(item_day.year, item_day.month, item_day.day, tzinfo=KST) if item_day else None
    return Article(
        url=url, title=title, body=unescape_block(body.group("body")) if body else "",
        publisher=source or None, published_at=published, date_assumed=not dated, canonical_url=url or None,
        imported=Imported(category=category, company=company, source=source,
                          tags=[t for t in tag_list if t and t != "기타"], summary=summary),
    )
