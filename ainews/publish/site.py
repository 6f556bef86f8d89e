"""The static HTML site (`site/`): latest digest as index, one page per day, per tag, per company,
and story pages that follow one story across days.

Built from the days' JSON documents with Jinja2 (autoescape on: web text is always text). Links
are relative, so the folder works from file:// and from GitHub Pages; no script, no CDN, and a CSP
meta tag forbids scripts outright. Incremental: `.manifest.json` keeps a hash of each page's
inputs, so a page whose inputs did not change is not rendered again; pages that no longer exist
(a tag that vanished) are removed. Nothing in a page depends on the time of the run.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from ainews.publish.jsonout import DayDoc
from ainews.publish.markdown import clip, korean_date, safe_url
from ainews.publish.records import PublishedArticleRef, PublishedDay, PublishedItem, PublishedStory

TEMPLATES = Path(__file__).parent / "templates"
SITE_VERSION = "1"
MANIFEST = ".manifest.json"
STORY_INDEX_LIMIT = 300
GROUP_PAGE_ENTRIES = 100


@dataclass
class SiteResult:
    written: list[Path] = field(default_factory=list)
    unchanged: int = 0
    removed: list[Path] = field(default_factory=list)


def slug(name: str) -> str:
    """A file name for a tag/company/story: its letters and digits, plus a short hash when the
    name had anything else (case, spaces, punctuation), so names never collide or escape."""
    cleaned = re.sub(r"[^\w-]+", "-", name.lower()).strip("-_")[:40]
    if not cleaned or cleaned != name:
        cleaned = (cleaned + "-" if cleaned else "") + hashlib.sha1(name.encode("utf-8")).hexdigest()[:6]
    return cleaned


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["slug"] = slug
    env.filters["safe_url"] = safe_url
    env.filters["clip"] = clip
    return env


@lru_cache(maxsize=1)
def templates_hash() -> str:
    digest = hashlib.sha1(SITE_VERSION.encode())
    for path in sorted(TEMPLATES.iterdir()):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()


class _Writer:
    """Renders pages whose inputs changed since the last build and remembers what it wrote."""

    def __init__(self, site_dir: Path) -> None:
        self.site_dir = site_dir
        self.old: dict[str, str] = {}
        try:
            loaded = json.loads((site_dir / MANIFEST).read_text(encoding="utf-8"))
            self.old = loaded if isinstance(loaded, dict) else {}
        except (OSError, ValueError):
            self.old = {}
        self.new: dict[str, str] = {}
        self.result = SiteResult()

    def page(self, rel: str, template: str, context: dict[str, Any] | Callable[[], dict[str, Any]],
             key: Any = None) -> None:
        """Render `template` to `rel` unless its inputs (`key`, else the context itself) are unchanged.
        A callable context is only built when the page is really rendered."""
        digest = hashlib.sha1((templates_hash() + template).encode())
        basis = key if key is not None else context
        digest.update(json.dumps(basis, sort_keys=True, ensure_ascii=False, default=str).encode("utf-8"))
        fingerprint = digest.hexdigest()
        self.new[rel] = fingerprint
        path = self.site_dir / rel
        if self.old.get(rel) == fingerprint and path.exists():
            self.result.unchanged += 1
            return
        values = context() if callable(context) else context
        root = "../" * rel.count("/")
        self.write(path, environment().get_template(template).render(root=root, **values))

    def write(self, path: Path, text: str) -> None:
        if _write_if_changed(path, text):
            self.result.written.append(path)
        else:
            self.result.unchanged += 1

    def finish(self) -> SiteResult:
        for rel in sorted(set(self.old) - set(self.new)):
            path = self.site_dir / rel
            if path.is_file() and ".." not in Path(rel).parts:
                path.unlink()
                self.result.removed.append(path)
        manifest = json.dumps(self.new, sort_keys=True, indent=0, ensure_ascii=False) + "\n"
        _write_if_changed(self.site_dir / MANIFEST, manifest)
        return self.result


def _write_if_changed(path: Path, text: str) -> bool:
    """Atomic write, skipped when the content is already there (keeps re-runs byte-identical)."""
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
    return True


# --- aggregation over days ------------------------------------------------------------------------

def _entry(day: str, item: PublishedItem) -> dict[str, Any]:
    return {"day": day, "rank": item.rank, "title": item.title, "url": item.url,
            "publisher": item.publisher or item.host, "line": _gist(item)}


def _gist(item: PublishedItem) -> str:
    summary = [s for s in item.summary if s.strip()]
    first = summary[0].strip() if summary else ""
    return "" if first == item.title else clip(first, 120)


@dataclass
class _Index:
    tags: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    companies: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    stories: dict[str, dict[str, Any]] = field(default_factory=dict)


def _index(days: list[PublishedDay]) -> _Index:
    """Tags, companies and stories across every day, newest day first within each."""
    index = _Index()
    for data in sorted(days, key=lambda d: d.day, reverse=True):
        for item in data.items:
            entry = _entry(data.day, item)
            for tag in dict.fromkeys(t for t in item.topics if t.strip()):
                index.tags[tag].append(entry)
            for company in dict.fromkeys(c for c in item.companies if c.strip()):
                index.companies[company].append(entry)
            if item.story is not None and item.story.id:
                _add_story(index, item.story, data.day, item)
    return index


def _add_story(index: _Index, story: PublishedStory, day: str, item: PublishedItem) -> None:
    record = index.stories.setdefault(story.id, {"id": story.id, "title": story.title or item.title,
                                                 "summary": list(story.summary), "days": []})
    refs: list[PublishedItem | PublishedArticleRef] = [item, *item.others]
    articles = [{"title": a.title, "url": a.url, "publisher": a.publisher, "host": a.host} for a in refs]
    record["days"].append({"day": day, "rank": item.rank, "articles": articles})


def _story_context(record: dict[str, Any]) -> dict[str, Any]:
    days = sorted(record["days"], key=lambda d: d["day"])
    return {**record, "days": days, "first_day": days[0]["day"], "last_day": days[-1]["day"],
            "count": sum(len(d["articles"]) for d in days)}


def _catalog(groups: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    names = [{"name": name, "label": None, "count": len(entries)} for name, entries in groups.items()]
    return sorted(names, key=lambda n: (-n["count"], n["name"]))


# --- the build ------------------------------------------------------------------------------------

def build_site(site_dir: Path, docs: Iterable[DayDoc], site_title: str = "AI 뉴스",
               body_chars: int = 1500) -> SiteResult:
    """Write (or refresh) the whole site for these days; only pages whose inputs changed are rendered.

    Day pages are keyed by their JSON's hash, so old days are neither parsed nor rendered again."""
    docs = sorted(docs, key=lambda d: d.day)
    days = [d.lite for d in docs]
    site_dir.mkdir(parents=True, exist_ok=True)
    writer = _Writer(site_dir)
    writer.write(site_dir / "style.css", (TEMPLATES / "style.css").read_text(encoding="utf-8"))
    index = _index(days)
    followable = {sid for sid, rec in index.stories.items() if _followable(rec)}
    base = {"site_title": site_title, "body_chars": body_chars}
    names = [d.day for d in docs]
    for i, doc in enumerate(docs):
        around = {"prev_day": names[i - 1] if i else None, "next_day": names[i + 1] if i + 1 < len(names) else None,
                  "story_pages": _story_ids(doc.lite, followable)}
        writer.page(f"days/{doc.day}.html", "day.html", _day_context(base, doc, around),
                    key={**base, **around, "sha": doc.sha})
    latest = {"prev_day": names[-2] if len(names) > 1 else None, "next_day": None,
              "story_pages": _story_ids(docs[-1].lite, followable) if docs else []}
    if docs:
        writer.page("index.html", "index.html", _day_context(base, docs[-1], latest),
                    key={**base, **latest, "sha": docs[-1].sha})
    else:
        writer.page("index.html", "index.html", {**base, **latest, "day": PublishedDay.from_json(EMPTY_DAY)},
                    key={**base, **latest, "day": EMPTY_DAY})
    writer.page("archive.html", "archive.html", {**base, "archive": _archive(days)})
    _group_pages(writer, base, "tags", "태그", index.tags, lambda n: f"#{n}")
    _group_pages(writer, base, "companies", "기업", index.companies, lambda n: n)
    _story_pages(writer, base, index, sorted(followable))
    return writer.finish()


def _day_context(base: dict[str, Any], doc: DayDoc, around: dict[str, Any]) -> Callable[[], dict[str, Any]]:
    return lambda: {**base, **around, "day": doc.full()}


def _followable(record: dict[str, Any]) -> bool:
    """A story gets its own page once there is something to follow: several days or outlets."""
    return len(record["days"]) > 1 or sum(len(d["articles"]) for d in record["days"]) > 1


def _story_ids(data: PublishedDay, followable: set[str]) -> list[str]:
    ids = {it.story.id for it in data.items if it.story is not None}
    return sorted(ids & followable)


# the front page before anything was published (as JSON: it is also the page's manifest key)
EMPTY_DAY = {"day": "", "title": "아직 발행된 다이제스트가 없습니다", "overview": [], "items": [],
             "counts": {"items": 0, "excluded": 0}}


def _archive(days: list[PublishedDay]) -> list[dict[str, Any]]:
    out = []
    for data in reversed(days):
        out.append({"day": data.day, "label": korean_date(date.fromisoformat(data.day)),
                    "count": len(data.items), "top": (data.items[0].title if data.items else "")})
    return out


def _group_pages(writer: _Writer, base: dict[str, Any], folder: str, kind: str,
                 groups: dict[str, list[dict[str, Any]]], label: Callable[[str], str]) -> None:
    """An index of names; per name its newest entries and one page per month (so a new day
    re-renders only the name's first page and its current month)."""
    catalog = _catalog(groups)
    for entry in catalog:
        entry["label"] = label(entry["name"])
    writer.page(f"{folder}/index.html", "catalog.html", {**base, "heading": kind, "names": catalog})
    for name, entries in groups.items():
        name_slug = slug(name)
        months: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for entry in entries:
            months[entry["day"][:7]].append(entry)
        month_list = [{"month": m, "count": len(v), "href": f"{name_slug}.{m}.html"}
                      for m, v in sorted(months.items(), reverse=True)]
        common = {**base, "heading": label(name), "kind_label": kind, "first_page": f"{name_slug}.html"}
        writer.page(f"{folder}/{name_slug}.html", "list.html",
                    {**common, "entries": entries[:GROUP_PAGE_ENTRIES], "month": None, "months": month_list,
                     "total": len(entries)})
        for month, month_entries in months.items():  # nothing here depends on other months
            writer.page(f"{folder}/{name_slug}.{month}.html", "list.html",
                        {**common, "entries": month_entries, "month": month, "months": [],
                         "total": len(month_entries)})


def _story_pages(writer: _Writer, base: dict[str, Any], index: _Index, story_ids: list[str]) -> None:
    listed = []
    for sid in story_ids:
        context = _story_context(index.stories[sid])
        writer.page(f"stories/{slug(sid)}.html", "story.html", {**base, "story": context})
        listed.append({"name": sid, "label": f"{context['title']} ({context['first_day']}~{context['last_day']})",
                           "count": context["count"], "last": context["last_day"]})
    listed.sort(key=lambda s: (s["last"], s["count"], s["name"]), reverse=True)
    writer.page("stories/index.html", "catalog.html",
                {**base, "heading": "이어지는 이야기", "names": listed[:STORY_INDEX_LIMIT]})
