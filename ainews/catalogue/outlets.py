"""Outlet knowledge from data/outlets.toml, as the lookup tables its readers need.

One entry per outlet keyed by its canonical name holds its hosts, the spellings its pages use, its
ranking weight and whether it is a portal (republishes others) or an aggregator (copies).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from ainews.catalogue import load

FILE = "data/outlets.toml"


@dataclass(frozen=True, slots=True)
class Syndication:
    """A portal whose pages may name another site's article as their canonical."""

    name: str
    hosts: tuple[str, ...]
    outlets: tuple[str, ...]  # registrable domains, or "*"


def _outlets() -> list[dict[str, Any]]:
    return load(FILE)["outlet"]


def _is_copy(outlet: dict[str, Any]) -> bool:
    return bool(outlet.get("portal") or outlet.get("aggregator"))


@cache
def aliases() -> dict[str, str]:
    """Spelling → canonical outlet name (in file order)."""
    return {alias: o["name"] for o in _outlets() for alias in o.get("aliases", [])}


@cache
def owned_hosts() -> dict[str, str]:
    """Host suffix → the outlet that publishes there (portals and aggregators own none)."""
    return {host: o["name"] for o in _outlets() if not _is_copy(o) for host in o.get("hosts", [])}


@cache
def portal_hosts() -> tuple[str, ...]:
    """Hosts of portals: their own name is never an article's publisher."""
    return tuple(h for o in _outlets() if o.get("portal") for h in o.get("hosts", []))


@cache
def copy_hosts() -> tuple[str, ...]:
    """Hosts whose pages are copies (portals, aggregators, blog platforms, AMP mirrors)."""
    out: list[str] = []
    for o in _outlets():
        out += [*(o.get("hosts", []) if _is_copy(o) else []), *o.get("copy_hosts", [])]
    return tuple(out)


@cache
def syndications() -> tuple[Syndication, ...]:
    return tuple(Syndication(o["name"], tuple(h.lower() for h in o.get("hosts", [])),
                             tuple(s.lower() for s in o["syndicates"]))
                 for o in _outlets() if "syndicates" in o)


@cache
def portal_labels() -> tuple[str, ...]:
    """What portals append to an outlet's name ("디지털타임스 | 네이버"), in file order."""
    return tuple(label for o in _outlets() if o.get("portal") for label in o.get("labels", []))


@cache
def weights() -> dict[str, float]:
    """Outlet name or spelling → ranking weight (outlets with a `weight`)."""
    out: dict[str, float] = {}
    for o in _outlets():
        if "weight" in o:
            for name in (o["name"], *o.get("aliases", [])):
                out[name] = float(o["weight"])
    return out


def default_weight() -> float:
    return float(load(FILE).get("default_weight", 1.0))
