"""The declared shape of every bundled rule and data file (what `catalogue.load` validates).

Keys are paths inside the `ainews` package. Site rule files (`extract/sites/<site>.toml` with a
[match] table) share SITE_RULE; every other bundled file has its own entry here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ainews.catalogue.schema import (
    BOOL,
    INT,
    NUM,
    REGEX,
    REGEXES,
    STR,
    STRS,
    CatalogueError,
    ListOf,
    Spec,
    Table,
    one_of,
)

NUM_MAP = Table(rest=NUM)  # term → weight
STR_MAP = Table(rest=STR)

_LINE_RULE = Table({"kind": STR, "pattern": REGEX, "flags": one_of("", "i"), "max_len": INT, "site": STR,
                    "byline": one_of("tail")}, required=("kind", "pattern"))
_BYLINE = Table({"pattern": REGEX, "multiline": BOOL, "note": STR}, required=("pattern",))

BOILERPLATE = Table({
    "strip": ListOf(_LINE_RULE),
    "drop": ListOf(_LINE_RULE),
    "byline": Table({"head": ListOf(_BYLINE), "tail": ListOf(_BYLINE), "places": STRS, "not_names": STRS},
                    required=("head", "tail", "places", "not_names")),
    "summary": Table({"drop": Table(rest=REGEX), "strip_prefix": REGEXES, "inline_remove": REGEXES,
                      "complete_sentence": REGEX, "quote_spans": REGEX}, required=(
        "drop", "strip_prefix", "inline_remove", "complete_sentence", "quote_spans")),
    "junk": Table({"lines": STRS}, required=("lines",)),
    "text": Table({"board_prefix": REGEX, "current_row": REGEX, "line_prefix": REGEX, "ticker_labels": STRS,
                   "widget": REGEX, "list_label": REGEX, "furniture": REGEX}, required=(
        "board_prefix", "current_row", "line_prefix", "ticker_labels", "widget", "list_label", "furniture")),
}, required=("strip", "drop", "byline", "summary", "text", "junk"))

GENERIC = Table({
    "dom": Table({"negative": REGEX, "weak": REGEX, "positive": REGEX, "drop": STRS},
                 required=("negative", "weak", "positive", "drop")),
    "subtitle": Table({"selectors": STRS, "max_len": INT, "marks": REGEX, "max_lines": INT},
                      required=("selectors", "max_len", "marks", "max_lines")),
    "byline": Table({"selectors": STRS, "head": REGEXES, "tail": REGEXES}, required=("selectors", "head", "tail")),
    "date": Table({"published": STRS, "modified": STRS, "meta_published": STRS, "meta_modified": STRS,
                   "attributes": STRS}, required=("published", "modified", "meta_published", "meta_modified",
                                                  "attributes")),
    "body": Table({"end_markers": REGEX, "head_junk": REGEX, "photo_caption_max": INT, "min_chars": INT},
                  required=("end_markers", "head_junk", "photo_caption_max", "min_chars")),
}, required=("dom", "subtitle", "byline", "date", "body"))

SITE_RULE = Table({
    "name": STR,
    "publisher": STR,
    "portal": BOOL,
    "match": Table({"hosts": STRS, "url_patterns": REGEXES, "markers": STRS}),
    "select": Table({k: STRS for k in ("body", "title", "subtitle", "date", "reporter", "publisher", "drop")}),
    "json": Table({k: STR for k in ("marker", "title", "subtitle", "date", "reporters", "body_list",
                                     "body_type_key", "body_type", "body_text_key", "canonical")}),
}, required=("match",))

OUTLETS = Table({"outlet": ListOf(Table({
    "name": STR, "hosts": STRS, "aliases": STRS, "weight": NUM, "portal": BOOL, "syndicates": STRS,
    "aggregator": BOOL, "copy_hosts": STRS, "labels": STRS,
}, required=("name",))), "default_weight": NUM}, required=("outlet",))

_TERMS_ITEM = Table({"name": STR, "emoji": STR, "terms": NUM_MAP}, required=("name",))

TAXONOMY = Table({
    "zones": Table({"title": NUM, "subtitles": NUM, "lead": NUM, "body": NUM}),
    "relevance": Table({
        "bias": NUM, "scale": NUM, "body_cap": NUM, "negative_scale": NUM, "negative_body_cap": NUM,
        "evidence_all": NUM, "evidence_head": NUM, "avian_ignores": STRS, "disclaimer_discounts": STR,
        "positive": NUM_MAP, "negative": NUM_MAP,
        "negative_context": Table({"avian": STRS, "disclaimer": STRS}),
    }, required=("bias", "scale", "body_cap", "negative_scale", "negative_body_cap", "evidence_all",
                 "evidence_head", "avian_ignores", "disclaimer_discounts")),
    "categories": Table({"min_score": NUM, "fallback": STR, "fallback_emoji": STR, "item": ListOf(_TERMS_ITEM)},
                        required=("item",)),
    "topics": Table({"min_score": NUM, "max_tags": INT, "item": ListOf(_TERMS_ITEM)}, required=("item",)),
    "features": Table({"lead_chars": INT, "body_chars": INT, "max_join": INT, "role_words": STRS, "role_weight": NUM,
                       "comparison_words": STRS, "comparison_weight": NUM, "affiliate_words": STRS}, required=(
        "lead_chars", "body_chars", "max_join", "role_words", "role_weight", "comparison_words", "comparison_weight",
        "affiliate_words")),
}, required=("relevance", "categories", "topics"))

COMPANIES = Table({"search_aliases": ListOf(STRS), "orgs": ListOf(Table({
    "name": STR, "aliases": STRS, "kind": STR, "ai": NUM, "parent": STR, "strict": BOOL, "display": STR,
    "group": BOOL,
}, required=("name",)))})

DISCOVERY = Table({
    "generic": STRS, "strip": STRS,
    "pattern": ListOf(Table({"regex": REGEX, "weight": NUM, "proper": BOOL}, required=("regex",))),
}, required=("pattern",))

SOURCES = Table({"source": ListOf(Table({
    "name": STR, "url": STR, "kind": one_of("feed", "list", "sitemap"), "link_selector": STR, "enabled": BOOL,
    "max_items": INT,
}, required=("name", "url")))})

_FRAME_KINDS = ("comparison", "platform", "source", "former", "place", "note")
SALIENCE = Table({
    "frames": Table({**{f"{k}_{side}": STRS for k in _FRAME_KINDS for side in ("after", "before", "within")},
                     **{f"{k}_{side}": REGEX for k in _FRAME_KINDS for side in ("pattern", "line")},
                     "list_tail": REGEX, "list_end": REGEX, "background": REGEXES,
                     "subject_particles": STRS, "clause_breaks": STRS,
                     "subject_window": INT},
                    required=("list_tail", "list_end", "background", "subject_particles", "clause_breaks")),
    "rules": Table({"passing_frames": STRS, "single_passing_frames": STRS, "drop_media_sources": BOOL,
                    "drop_group_beside_unit": BOOL}, required=(
        "passing_frames", "single_passing_frames", "drop_media_sources", "drop_group_beside_unit")),
    "model": Table({"threshold": NUM, "bias": NUM, "weights": NUM_MAP}, required=("threshold", "bias", "weights")),
}, required=("frames", "rules", "model"))

EVENTS = Table({"lead_chars": INT, "future": REGEXES, "done": REGEXES}, required=("future", "done"))


def unique_outlets(data: dict[str, Any], origin: str) -> None:
    """No name, spelling or host belongs to two outlets (what a schema cannot say)."""
    seen: dict[tuple[str, str], str] = {}
    for i, outlet in enumerate(data["outlet"], 1):
        keys = [("name", outlet["name"])] + [("aliases", a) for a in outlet.get("aliases", [])]
        keys += [("hosts", h.lower()) for h in outlet.get("hosts", [])]
        for kind, value in keys:
            other = seen.setdefault(("host" if kind == "hosts" else "name", value), outlet["name"])
            if other != outlet["name"]:
                raise CatalogueError(f"{origin}: [[outlet]] #{i} {kind}: '{value}' already belongs to '{other}'")


SCHEMAS: dict[str, Spec] = {
    "extract/sites/boilerplate.toml": BOILERPLATE,
    "extract/sites/generic.toml": GENERIC,
    "data/outlets.toml": OUTLETS,
    "data/taxonomy.toml": TAXONOMY,
    "data/companies.toml": COMPANIES,
    "data/discovery.toml": DISCOVERY,
    "data/feed_paths.toml": Table({"paths": STRS}, required=("paths",)),
    "data/sources.toml": SOURCES,
    "data/salience.toml": SALIENCE,
    "data/events.toml": EVENTS,
}
# Checks beyond the schema, run after it.
CHECKS: dict[str, Callable[[dict[str, Any], str], None]] = {"data/outlets.toml": unique_outlets}
SITES_DIR = "extract/sites"
