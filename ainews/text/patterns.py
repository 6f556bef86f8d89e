"""Korean text patterns several stages share, each defined once: Hangul syllables, how a sentence
ends, runs of whitespace. (Stage-specific variants are built from these pieces where they agree.)"""

from __future__ import annotations

import re

HANGUL = re.compile(r"[가-힣]")
# What may close a sentence after its final mark or ending: quotes, brackets ("…했다고 말했다.”").
CLOSERS = r"[\"'”’」』)\]]*"
# A line that ends with a sentence mark (. ? ! 。 …), closers allowed after it.
SENTENCE_END = re.compile(r"[.?!。…]" + CLOSERS + r"$")
SPACES = re.compile(r"\s+")


def squeeze(text: str) -> str:
    """Runs of whitespace (newlines too) as one space, the ends trimmed."""
    return SPACES.sub(" ", text).strip()
