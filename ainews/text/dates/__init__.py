"""Dates in the shapes Korean news and feeds write them: one registry of ordered handlers
(`registry.HANDLERS`: RFC 822, ISO 8601, compact stamps, Korean labelled, Korean free text)."""

from ainews.text.dates.korean import at_start as date_at
from ainews.text.dates.korean import find as find_dates
from ainews.text.dates.korean import find_days
from ainews.text.dates.registry import HANDLERS, http_date, parse_date, parse_stamp, plausible
from ainews.text.dates.stamp import Context, Stamp, label_pattern
from ainews.text.dates.zone import KST

__all__ = ["HANDLERS", "KST", "Context", "Stamp", "date_at", "find_dates", "find_days", "http_date",
           "label_pattern", "parse_date", "parse_stamp", "plausible"]
