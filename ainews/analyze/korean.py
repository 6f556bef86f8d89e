"""The one door to Korean NLP: a single lazily built Kiwi, used in batches.

Building Kiwi costs about a second and a few hundred MB, so every caller shares this instance.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence

from kiwipiepy import Kiwi

_lock = threading.Lock()
_kiwi: Kiwi | None = None

# Parts of speech that carry content: nouns, proper nouns, verb/adjective stems, foreign words,
# numbers and hanja. Particles, endings and punctuation are dropped.
CONTENT_TAGS = frozenset({"NNG", "NNP", "NNB", "NR", "VV", "VA", "XR", "SL", "SH", "SN", "MAG"})
TOKENIZE_CHUNK = 256


def kiwi() -> Kiwi:
    global _kiwi
    if _kiwi is None:
        with _lock:
            if _kiwi is None:
                _kiwi = Kiwi(num_workers=-1)
    return _kiwi


def _form(token) -> str:  # noqa: ANN001 - kiwipiepy Token
    return token.form.lower() if token.tag == "SL" else token.form


def _tokenize(texts: Sequence[str]) -> Iterator[list]:
    """Kiwi's tokens per text, TOKENIZE_CHUNK texts per call. One call holds the GIL throughout: over
    thousands of texts that is many seconds, and an engine worker misses its heartbeats and is taken
    for dead. 256 texts hold it about a second; 3,000 benchmark texts take 11.3 s so (64: 12.4 s,
    one call: 11.7 s)."""
    for start in range(0, len(texts), TOKENIZE_CHUNK):
        yield from kiwi().tokenize(list(texts[start:start + TOKENIZE_CHUNK]))


def morphemes_batch(texts: Sequence[str], tags: frozenset[str] = CONTENT_TAGS) -> list[list[str]]:
    """Content morphemes for many texts in one Kiwi call (Latin words lower-cased)."""
    if not texts:
        return []
    return [[_form(t) for t in tokens if t.tag in tags] for tokens in _tokenize(texts)]


def morphemes(text: str, tags: frozenset[str] = CONTENT_TAGS) -> list[str]:
    return morphemes_batch([text], tags)[0]


def tagged(texts: Sequence[str]) -> list[list[tuple[str, str]]]:
    """(form, tag) pairs per text, for callers that need proper-noun candidates."""
    if not texts:
        return []
    return [[(_form(t), t.tag) for t in tokens] for tokens in _tokenize(texts)]


def split_sentences(text: str) -> list[str]:
    """Sentences of a text, paragraph breaks respected (Kiwi never joins across them)."""
    paragraphs = [p.strip() for p in text.split("\n") if p.strip()]
    if not paragraphs:
        return []
    out: list[str] = []
    for sents in kiwi().split_into_sents(paragraphs):
        out.extend(s.text.strip() for s in sents if s.text.strip())
    return out


def index_tokens(texts: Sequence[str]) -> list[list[str]]:
    """Search-index tokens: content morphemes, lower-cased, quotes removed (documents and queries alike)."""
    out = []
    for tokens in morphemes_batch([t or "" for t in texts]):
        out.append([t.lower().replace('"', "") for t in tokens if t.strip().strip('"')])
    return out
