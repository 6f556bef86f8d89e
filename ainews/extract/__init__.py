"""Extraction: raw bytes (HTML page or text capture) → one clean Article with metadata.

Public interface: `extract(raw, assume_date=None) -> Article`. It never raises on bad input:
junk comes back with `extraction_ok = False` and a reason.
"""

from __future__ import annotations

from ainews.extract.core import extract

__all__ = ["extract"]
