"""Summaries that say what happened: extractive by default (offline, deterministic), an LLM when set.

Interface used by the pipeline and the CLI:
- `summarize_article(article, settings, store=None) -> Summary(sentences, method)`
- `summarize_articles(articles, settings, store=None) -> list[Summary]` (one call per run: LLM budget,
  concurrency limit and cache shared across the batch)
- `summarize_story(members, settings) -> list[str]` (members: representative first)
- `summarize_jsonl(lines, settings, method, store=None)` for `ainews summarize INPUT.jsonl`

Extractive: Kiwi sentences → candidate filter (captions, bylines, boilerplate, quote-only and cut-off
fragments out) → TextRank on morpheme TF-IDF cosine, blended with lead position and title-term
coverage → redundancy removal under a character budget → original order, trimmed.
LLM: OpenAI-compatible chat completions (see llm.py), cached in the store, checked for faithfulness
against the source's morphemes, and replaced by the extractive summary on any failure.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import copy
import functools
import hashlib
import json
import logging
import math
import re
from collections import Counter
from collections.abc import Coroutine, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from ainews import catalogue
from ainews.analyze import korean
from ainews.analyze.llm import (
    PROMPT_VERSION,
    ChatClient,
    LlmBudget,
    LlmError,
    build_messages,
    llm_configured,
    parse_lines,
)
from ainews.collect.records import raw_page, read_jsonl
from ainews.config import Settings
from ainews.errors import UserError
from ainews.models import Article
from ainews.store import Store
from ainews.text.patterns import HANGUL

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass(slots=True)
class Summary:
    sentences: list[str]
    method: str  # "extractive" | "llm" | "imported"


# --- rules as data -------------------------------------------------------------------------------

# Line rules live with the extractor's in extract/sites/boilerplate.toml [summary]: whole lines that
# are never prose (captions, credits, copyright, TV-script markers, share-bar junk), byline prefixes,
# inline credits, what a complete sentence ends with, quoted spans.
@dataclass(frozen=True, slots=True)
class LineRules:
    drop: tuple[tuple[str, re.Pattern[str]], ...]  # (name, case-insensitive pattern), in order
    prefix: tuple[re.Pattern[str], ...]
    inline: tuple[re.Pattern[str], ...]
    complete: re.Pattern[str]
    quotes: re.Pattern[str]


@functools.cache
def line_rules() -> LineRules:
    data = catalogue.load("extract/sites/boilerplate.toml")["summary"]
    return LineRules(
        drop=tuple((name, re.compile(p, re.I)) for name, p in data["drop"].items()),
        prefix=tuple(re.compile(p) for p in data["strip_prefix"]),
        inline=tuple(re.compile(p) for p in data["inline_remove"]),
        complete=re.compile(data["complete_sentence"]),
        quotes=re.compile(data["quote_spans"]),
    )

_PARTICLE_START = re.compile(r"^(?:은|는|을|를|의|와|과|로|으로|에서|에게|가)\s")
_TAIL_AFTER_END = re.compile(r"^(.*[.!?][\"'”’]?)\s+(\S[^.!?]*)$", re.S)

# Ranking weights (tuned on ../shared/corpus/labelled/summary_dev.jsonl; see benchmarks/).
W_CENTRAL, W_POSITION, W_TITLE = 0.35, 0.45, 0.20
SUBTITLE_BONUS = 0.6
LENGTH_NORM, LENGTH_POWER = 100, 0.5  # short sentences carry fewer facts: a gentle length prior
MIN_CHARS, MAX_CHARS = 25, 400
COVERAGE = 0.2  # weight of not-yet-covered topical words in the greedy choice
REDUNDANCY = 0.3  # cosine above which a candidate repeats an already chosen sentence
CHARS_PER_SENTENCE = 115  # summary budget = sentences × this (3 → 345 characters)
SIM_TAGS = frozenset({"NNG", "NNP", "SL", "SH", "SN", "VV", "VA", "XR"})
FAITH_TAGS = frozenset({"NNG", "NNP", "SL", "SH", "SN"})
FAITH_MIN_SUPPORT = 0.6  # share of a summary sentence's content words that must occur in the source


# --- candidates ----------------------------------------------------------------------------------


@dataclass(slots=True)
class Candidate:
    text: str
    index: int  # order in the article (subtitles first)
    subtitle: bool = False
    quote_ratio: float = 0.0
    doc: int = 0  # member index in a story


def junk_reason(line: str) -> str | None:
    """Why a line is not article prose (caption, byline, boilerplate...), or None."""
    for name, pattern in line_rules().drop:
        if pattern.search(line):
            return name
    return None


def clean_line(line: str) -> str:
    for _ in range(2):  # "(서울=연합뉴스) 홍길동 기자 = " needs two prefixes removed
        for pattern in line_rules().prefix:
            line = pattern.sub("", line, count=1)
    for pattern in line_rules().inline:
        line = pattern.sub("", line)
    return re.sub(r"\s{2,}", " ", line).strip()


def quote_ratio(text: str) -> float:
    quoted = sum(len(m.group()) for m in line_rules().quotes.finditer(text))
    return quoted / max(1, len(text))


def body_sentences(body: str) -> list[str]:
    """Prose sentences of a body: junk lines dropped, bylines stripped, fragments and cut-offs out."""
    lines = [clean_line(ln) for ln in body.split("\n") if ln.strip() and junk_reason(ln) is None]
    sentences = _repair_splits(korean.split_sentences("\n".join(ln for ln in lines if ln)))
    return [s for s in (clean_line(s) for s in sentences) if _is_prose(s)]


def _repair_splits(sentences: list[str]) -> list[str]:
    """Kiwi sometimes splits after a quoted name ("...했다. '가우스2'" + "는 ..."): move the name back."""
    out: list[str] = []
    for sentence in sentences:
        if out and _PARTICLE_START.match(sentence):
            match = _TAIL_AFTER_END.match(out[-1])
            if match:
                out[-1], sentence = match.group(1), match.group(2) + sentence
            else:
                out[-1], sentence = out[-1] + sentence, ""
        if sentence:
            out.append(sentence)
    return out


def _is_prose(sentence: str) -> bool:
    return (
        MIN_CHARS <= len(sentence) <= MAX_CHARS
        and bool(line_rules().complete.search(sentence))
        and len(HANGUL.findall(sentence)) >= 8
        and junk_reason(sentence) is None
        and quote_ratio(sentence) < 0.85
        and sentence.count("“") == sentence.count("”")  # else a piece of a multi-sentence quote
        and sentence.count('"') % 2 == 0
    )


def candidates(article: Article) -> list[Candidate]:
    subs = [clean_line(s) for s in article.subtitles if s.strip()]
    subs = [s for s in subs if len(s) >= 8 and junk_reason(s) is None and s != article.title.strip()]
    out = [Candidate(s, i, subtitle=True) for i, s in enumerate(subs)]
    for sentence in body_sentences(article.body):
        out.append(Candidate(sentence, len(out), quote_ratio=quote_ratio(sentence)))
    return out


# --- ranking -------------------------------------------------------------------------------------


def tfidf_vectors(token_lists: Sequence[Sequence[str]]) -> list[dict[str, float]]:
    """L2-normalised TF-IDF vectors; IDF over the sentences themselves (no outside model)."""
    n = len(token_lists)
    df = Counter(t for tokens in token_lists for t in set(tokens))
    vectors = []
    for tokens in token_lists:
        tf = Counter(tokens)
        vec = {t: (1 + math.log(c)) * (math.log((n + 1) / (df[t] + 1)) + 1) for t, c in tf.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        vectors.append({t: v / norm for t, v in vec.items()})
    return vectors


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(t, 0.0) for t, v in a.items())


def similarity_matrix(vectors: Sequence[dict[str, float]]) -> list[list[float]]:
    n = len(vectors)
    sim = [[0.0] * n for _ in range(n)]
    for i in range(n):
        for j in range(i + 1, n):
            sim[i][j] = sim[j][i] = cosine(vectors[i], vectors[j])
    return sim


def textrank(sim: Sequence[Sequence[float]], damping: float = 0.85, iterations: int = 50) -> list[float]:
    """PageRank over the weighted sentence graph: central sentences share words with many others."""
    n = len(sim)
    if n == 0:
        return []
    out_weight = [sum(row) or 1.0 for row in sim]
    scores = [1.0 / n] * n
    for _ in range(iterations):
        new = [(1 - damping) / n + damping * sum(sim[j][i] * scores[j] / out_weight[j] for j in range(n))
               for i in range(n)]
        if max(abs(a - b) for a, b in zip(new, scores, strict=True)) < 1e-6:
            scores = new
            break
        scores = new
    top = max(scores) or 1.0
    return [s / top for s in scores]


def _scores(cands: Sequence[Candidate], tokens: Sequence[Sequence[str]], title_terms: set[str],
            sim: Sequence[Sequence[float]]) -> list[float]:
    central = textrank(sim)
    w_title = W_TITLE if title_terms else 0.0
    w_pos = W_POSITION + (W_TITLE - w_title)
    body_rank: dict[int, int] = {}
    scores = []
    for i, cand in enumerate(cands):
        rank = body_rank.setdefault(cand.doc, 0)
        if not cand.subtitle:
            body_rank[cand.doc] = rank + 1
        position = 1.0 / math.sqrt(1 + rank)
        cover = len(title_terms & set(tokens[i])) / len(title_terms) if title_terms else 0.0
        score = W_CENTRAL * central[i] + w_pos * position + w_title * cover
        score *= 1.0 - 0.5 * cand.quote_ratio
        if cand.text.rstrip("\"'”’ ").endswith("?"):
            score *= 0.6
        score *= (min(len(cand.text), LENGTH_NORM) / LENGTH_NORM) ** LENGTH_POWER
        scores.append(score + (SUBTITLE_BONUS if cand.subtitle else 0.0))
    return scores


def trim(sentence: str, limit: int) -> str:
    """Shorten an over-long sentence at a clause boundary so it still reads; mark the cut with '…'."""
    if len(sentence) <= limit:
        return sentence
    head = sentence[: limit - 1]
    ends = [head.rfind(sep) + len(sep) - 1 for sep in (", ", "며 ", "고 ", "해 ", "서 ", "… ", "· ")
            if head.rfind(sep) >= 0]  # cut after the connective ending, before the space
    cut = max(ends, default=-1)
    if cut < limit * 0.5:
        cut = head.rfind(" ")
    if cut < limit * 0.4:
        cut = len(head)
    return head[:cut].rstrip(" ,·…") + "…"


def select(cands: Sequence[Candidate], scores: Sequence[float], sim: Sequence[Sequence[float]], n: int,
           max_chars: int, budget: int, max_subtitles: int,
           words: Sequence[set[str]] | None = None, weights: dict[str, float] | None = None) -> list[int]:
    """Greedy choice: score plus coverage of not-yet-covered topical words, no repeats, under a
    character budget (coverage makes the 2nd and 3rd sentence add facts the 1st lacks)."""
    chosen: list[int] = []
    covered: set[str] = set()
    used = subs = 0
    weights = weights or {}
    while len(chosen) < n:
        best, best_gain = -1, -1.0
        gains = [sum(weights.get(w, 0.0) for w in words[i] - covered) if words else 0.0
                 for i in range(len(cands))]
        top_gain = max(gains, default=0.0) or 1.0
        for i, cand in enumerate(cands):
            length = min(len(cand.text), max_chars)
            if i in chosen or any(sim[i][j] > REDUNDANCY for j in chosen):
                continue
            if (cand.subtitle and subs >= max_subtitles) or (chosen and used + length > budget):
                continue
            gain = scores[i] + COVERAGE * gains[i] / top_gain
            if gain > best_gain:
                best, best_gain = i, gain
        if best < 0:
            break
        chosen.append(best)
        covered |= words[best] if words else set()
        used += min(len(cands[best].text), max_chars)
        subs += cands[best].subtitle
    return sorted(chosen, key=lambda k: (cands[k].doc, cands[k].index))


def topical_weights(tokens: Sequence[Sequence[str]]) -> dict[str, float]:
    """Words repeated across sentences are what the article is about; one-off words weigh nothing."""
    df = Counter(t for toks in tokens for t in set(toks) if len(t) > 1 or t.isdigit())
    return {t: float(c - 1) for t, c in df.items()}


def rank_and_select(cands: list[Candidate], title: str, n: int, max_chars: int,
                    budget: int | None = None) -> list[str]:
    """The extractive core shared by article and story summaries (one Kiwi batch per call)."""
    if not cands or n <= 0:
        return []
    tokens = korean.morphemes_batch([c.text for c in cands] + [title], SIM_TAGS)
    title_terms = {t for t in tokens.pop() if len(t) > 1 or t.isdigit()}
    sim = similarity_matrix(tfidf_vectors(tokens))
    scores = _scores(cands, tokens, title_terms, sim)
    has_body = any(not c.subtitle for c in cands)
    max_subs = max(1, n - 1) if has_body else n
    picked = select(cands, scores, sim, n, max_chars, budget or n * CHARS_PER_SENTENCE, max_subs,
                    [set(t) for t in tokens], topical_weights(tokens))
    return [trim(cands[i].text, max_chars) for i in picked]


def extractive_summary(article: Article, n: int = 3, max_chars: int = 160) -> list[str]:
    return rank_and_select(candidates(article), article.title, n, max_chars)


# --- LLM path ------------------------------------------------------------------------------------


def text_hash(article: Article) -> str:
    if article.content_hash:
        return article.content_hash
    return hashlib.sha256(f"{article.title}\n{article.body}".encode()).hexdigest()


def cache_key(article: Article, model: str) -> str:
    return "summary:" + hashlib.sha256(f"{text_hash(article)}|{model}|{PROMPT_VERSION}".encode()).hexdigest()


def faithfulness_problem(sentences: Sequence[str], source: str) -> str | None:
    """Why an LLM summary is not supported by its source, or None: every sentence must share enough
    content morphemes with the source, and every number it states must occur there."""
    if not sentences:
        return "no sentences"
    tokens = korean.morphemes_batch([source, *sentences], FAITH_TAGS)
    vocab = set(tokens[0])
    for sentence, words in zip(sentences, tokens[1:], strict=True):
        if not words:
            return f"no content words: {sentence[:40]!r}"
        support = sum(w in vocab for w in words) / len(words)
        if support < FAITH_MIN_SUPPORT:
            return f"support {support:.2f} < {FAITH_MIN_SUPPORT}: {sentence[:40]!r}"
        numbers = [w for w in words if w.isdigit() and w not in vocab]
        if numbers:
            return f"numbers not in source {numbers}: {sentence[:40]!r}"
    return None


async def _llm_one(article: Article, settings: Settings, client: ChatClient, budget: LlmBudget,
                   limit: asyncio.Semaphore, store: Store | None) -> Summary:
    n, max_chars = settings.summary.sentences, settings.summary.max_sentence_chars
    key = cache_key(article, settings.llm.model)
    cached = store.llm_cache_get(key) if store is not None else None
    if cached:
        return Summary([trim(s, max_chars) for s in cached], "llm")
    reason: str
    try:
        if not budget.take():
            raise LlmError(f"per-run budget of {budget.max_calls} calls used up")
        async with limit:
            answer = await client.complete(build_messages(article.title, article.body, n))
        lines = parse_lines(answer, n)
        problem = faithfulness_problem(lines, f"{article.title}\n" + "\n".join(article.subtitles)
                                       + f"\n{article.body}")
        if problem is None:
            if store is not None:
                store.llm_cache_put(key, lines)
            return Summary([trim(s, max_chars) for s in lines], "llm")
        reason = f"rejected by faithfulness check ({problem})"
    except LlmError as exc:
        reason = str(exc)
    log.warning("LLM summary for %s fell back to extractive: %s", article.url, reason)
    return Summary(extractive_summary(article, n, max_chars), "extractive")


async def summarize_articles_async(articles: Sequence[Article], settings: Settings,
                                   store: Store | None = None) -> list[Summary]:
    """All summaries of a run; with an LLM configured: shared budget, concurrency limit and cache."""
    if settings.summary.method != "llm" or not llm_configured(settings.llm):
        if settings.summary.method == "llm":
            log.warning("summary.method = 'llm' but [llm] base_url/model are not set: using extractive")
        return [_extractive(a, settings) for a in articles]
    budget = LlmBudget(settings.llm.max_calls)
    limit = asyncio.Semaphore(max(1, settings.llm.concurrency))
    async with ChatClient(settings.llm) as client:
        return list(await asyncio.gather(*(_llm_one(a, settings, client, budget, limit, store)
                                           for a in articles)))


def _extractive(article: Article, settings: Settings) -> Summary:
    n, max_chars = settings.summary.sentences, settings.summary.max_sentence_chars
    return Summary(extractive_summary(article, n, max_chars), "extractive")


def _run(coro: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine from sync code, also when the caller already has an event loop running."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()


def summarize_articles(articles: Sequence[Article], settings: Settings,
                       store: Store | None = None) -> list[Summary]:
    return _run(summarize_articles_async(list(articles), settings, store))


def summarize_article(article: Article, settings: Settings, store: Store | None = None) -> Summary:
    return summarize_articles([article], settings, store)[0]


# --- stories -------------------------------------------------------------------------------------


def summarize_story(members: list[Article], settings: Settings) -> list[str]:
    """Multi-document summary: central, non-redundant sentences across outlets (representative first)."""
    if not members:
        return []
    cands: list[Candidate] = []
    for doc, article in enumerate(members):
        for cand in candidates(article):
            cand.doc = doc
            cands.append(cand)
    return rank_and_select(cands, members[0].title, settings.summary.sentences,
                           settings.summary.max_sentence_chars)


# --- batch interface (`ainews summarize INPUT.jsonl --format jsonl`) ------------------------------


def _article_from_record(record: dict[str, Any]) -> Article:
    """An Article from `{id, text | html | path, title?}`; html and files go through extraction."""
    title = str(record.get("title") or "")
    if record.get("text") is not None:
        return Article(url=f"jsonl:{record.get('id')}", title=title, body=str(record["text"]))
    from ainews.extract import extract  # extraction is heavy; only load it when a record needs it

    article = extract(raw_page(record, "" if record.get("path") else f"jsonl:{record.get('id')}"))
    if title:
        article.title = title
    return article


def summarize_jsonl(lines: Iterable[str], settings: Settings, method: str | None = None,
                    store: Store | None = None) -> Iterator[str]:
    """Output lines `{id, summary: [sentences], method}`; a bad line yields `{id, error}`, never a crash."""
    if method:
        settings = copy.deepcopy(settings)
        settings.summary.method = method
    records: list[tuple[Any, Article | None, str | None]] = []
    for number, record, error in read_jsonl(lines):
        if record is None:
            records.append((number, None, error))
            continue
        try:
            if all(record.get(k) is None for k in ("text", "html", "path")):
                raise ValueError("needs one of text, html, path")
            records.append((record.get("id", number), _article_from_record(record), None))
        except (UserError, ValueError, OSError, TypeError) as exc:
            records.append((record.get("id", number), None, f"line {number}: {type(exc).__name__}: {exc}"))
    summaries = iter(summarize_articles([a for _, a, _ in records if a is not None], settings, store))
    for rid, article, error in records:
        if article is None:
            yield json.dumps({"id": rid, "summary": [], "method": "", "error": error}, ensure_ascii=False)
        else:
            summary = next(summaries)
            yield json.dumps({"id": rid, "summary": summary.sentences, "method": summary.method},
                             ensure_ascii=False)
