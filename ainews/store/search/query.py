"""A reader's query as data: terms in every accepted spelling, then each backend's quoted query.

A user's query never reaches FTS5 or tsquery as syntax: it is tokenized like the documents and
every token is quoted. The tokenizer is passed in (the analysis stage's Kiwi), so the store does
not depend on analysis.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from ainews.store.search.aliases import alias_index, fold, tag_key

Tokenizer = Callable[[Sequence[str]], list[list[str]]]  # texts → index tokens per text


_LEXEME = re.compile(r"[^\W_]+")


def lexemes(token: str) -> list[str]:
    """An index token as SQLite's unicode61 tokenizer splits it: runs of letters and digits, lower-cased.
    PostgreSQL gets exactly these lexemes, so both backends match the same words."""
    return [x for x in _LEXEME.findall(token.lower()) if len(x.encode()) < 2000]


def _quote_lexeme(lexeme: str) -> str:
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def _ts_phrase(tokens: Sequence[str], weight: str) -> str:
    """Consecutive lexemes as a tsquery phrase (`'a' <-> 'b'`), optionally limited to one weight."""
    suffix = f":{weight}" if weight else ""
    return " <-> ".join(_quote_lexeme(x) + suffix for t in tokens for x in lexemes(t))


def tsvector_literal(columns: Sequence[tuple[Sequence[str], str]]) -> str:
    """A tsvector in text form from (tokens, weight) per column. Positions are counted here, with a gap
    between columns so a phrase never spans two; no PostgreSQL parser or dictionary touches it."""
    positions: dict[str, list[str]] = {}
    pos = 1
    for tokens, weight in columns:
        for lexeme in (x for t in tokens for x in lexemes(t)):
            slots = positions.setdefault(lexeme, [])
            if len(slots) < 255:  # PostgreSQL keeps at most 256 positions per lexeme
                slots.append(f"{min(pos, 16383)}{weight}")
            pos += 1
        pos += 1
    return " ".join(f"{_quote_lexeme(x)}:{','.join(p)}" for x, p in positions.items())


@dataclass(slots=True)
class Term:
    """One thing the reader asked for, in every spelling we accept."""

    word: str
    surfaces: list[str]
    phrases: list[list[str]] = field(default_factory=list)


@dataclass(slots=True)
class ParsedQuery:
    terms: list[Term]

    @staticmethod
    def _options(term: Term) -> tuple[list[str], list[str]]:
        """A term's accepted phrases (morphemes joined by spaces) and tag keys."""
        return sorted({" ".join(p) for p in term.phrases if p}), sorted({tag_key(s) for s in term.surfaces} - {""})

    def morph_match(self, any_term: bool = False) -> str | None:
        """FTS5 MATCH text: every phrase and tag quoted, so nothing the reader typed is syntax."""
        parts = []
        for term in self.terms:
            phrases, tags = self._options(term)
            options = [f'"{p}"' for p in phrases] + [f'tags : "{k}"' for k in tags]
            if options:
                parts.append("(" + " OR ".join(options) + ")")
        return (" OR " if any_term else " AND ").join(parts) or None

    def tsquery(self, any_term: bool = False) -> str | None:
        """The same query as a PostgreSQL tsquery, built from quoted lexemes (tags: weight B)."""
        parts = []
        for term in self.terms:
            phrases, tags = self._options(term)
            options = {_ts_phrase(p.split(" "), "") for p in phrases}
            # a tag that is also a plain lexeme adds nothing to the match, and weights cost a recheck
            options |= {t for t in (_ts_phrase([k], "B") for k in tags) if t.removesuffix(":B") not in options}
            options.discard("")
            if options:
                parts.append("(" + " | ".join(sorted(options)) + ")")
        return (" | " if any_term else " & ").join(parts) or None

    def substrings(self) -> list[list[str]] | None:
        """Per term, its lower-cased spellings long enough for trigrams (3+ characters); None when a term
        has none."""
        out = []
        for term in self.terms:
            options = {s.replace('"', "").lower() for s in term.surfaces if len(s.replace('"', "")) >= 3}
            if not options:
                return None
            # a spelling that contains another one (`sk하이닉스` ⊃ `하이닉스`) finds nothing more
            out.append(sorted(o for o in options if not any(x != o and x in o for x in options)))
        return out or None

    def trigram_match(self) -> str | None:
        """Substring query (FTS5 trigram) when every term is long enough for trigrams."""
        terms = self.substrings()
        if not terms:
            return None
        return " AND ".join("(" + " OR ".join(f'"{o}"' for o in options) + ")" for options in terms)

    def highlight_words(self) -> list[str]:
        """Every accepted spelling, plus the morphemes of what the reader typed (not of aliases)."""
        words = {s for t in self.terms for s in t.surfaces if s.strip()}
        for term in self.terms:
            mine = term.phrases[term.surfaces.index(term.word)] if term.word in term.surfaces else []
            words |= {tok for tok in mine if len(tok) >= 2}
        return sorted(words, key=len, reverse=True)


def parse_query(q: str, tokenize: Tokenizer) -> ParsedQuery:
    """Split on spaces, fold known aliases (`OpenAI` = `오픈AI`), tokenize like the documents."""
    q = re.sub(r"[\x00-\x1f]", " ", q or "").strip()[:200]
    if not q:
        return ParsedQuery([])
    aliases = alias_index()
    whole = aliases.get(fold(q))
    words = [q] if whole else q.split()
    surfaces_per_term = [list(aliases.get(fold(w), ())) or [w] for w in words]
    if whole:
        surfaces_per_term = [list(whole)]
    for surfaces, word in zip(surfaces_per_term, words, strict=True):
        if word not in surfaces:
            surfaces.insert(0, word)
    flat = [s for surfaces in surfaces_per_term for s in surfaces]
    tokens = dict(zip(flat, tokenize(flat), strict=True))
    terms = [Term(word=w, surfaces=s, phrases=[tokens[x] for x in s])
             for w, s in zip(words, surfaces_per_term, strict=True)]
    return ParsedQuery([t for t in terms if any(t.phrases) or any(len(s) >= 3 for s in t.surfaces)])
