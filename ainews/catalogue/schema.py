"""A small schema language for the bundled rule files, and the checker that names file and key.

A schema is data: `Table` (known keys, required keys, optionally a spec for free keys), `ListOf`,
and scalar specs (`STR`, `INT`, `NUM`, `BOOL`, `REGEX`). Unknown keys are errors, so a typo in a
rule file ("patern") fails loudly at load time instead of silently switching a rule off.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ainews.errors import UserError


class CatalogueError(UserError):
    """A rule or data file that cannot be used; str() names the file and the key."""


@dataclass(frozen=True, slots=True)
class Scalar:
    name: str
    check: Callable[[Any], str | None]  # None when the value is fine, else what is wrong


@dataclass(frozen=True, slots=True)
class ListOf:
    item: Spec


@dataclass(frozen=True, slots=True)
class Table:
    fields: Mapping[str, Spec] = field(default_factory=dict)
    required: tuple[str, ...] = ()
    rest: Spec | None = None  # the spec of keys not in `fields` (a free map); None = unknown keys are errors


Spec = Scalar | ListOf | Table


def _typed(*types: type) -> Callable[[Any], str | None]:
    def check(value: Any) -> str | None:
        ok = isinstance(value, types) and not (isinstance(value, bool) and bool not in types)
        return None if ok else f"got {type(value).__name__}"
    return check


def _regex(value: Any) -> str | None:
    if not isinstance(value, str):
        return f"got {type(value).__name__}"
    try:
        re.compile(value)
    except re.error as exc:
        return f"not a valid regex ({exc})"
    return None


STR = Scalar("a string", _typed(str))
INT = Scalar("an integer", _typed(int))
NUM = Scalar("a number", _typed(int, float))
BOOL = Scalar("true or false", _typed(bool))
REGEX = Scalar("a regex string", _regex)
STRS = ListOf(STR)
REGEXES = ListOf(REGEX)


def one_of(*values: str) -> Scalar:
    """A string from a fixed set."""
    def check(value: Any) -> str | None:
        return None if value in values else f"got {value!r}"
    return Scalar("one of " + ", ".join(repr(v) for v in values), check)


def check(data: Any, spec: Spec, origin: str) -> None:
    """Raise CatalogueError "origin: where: what" at the first value that does not fit `spec`."""
    _check(data, spec, origin, "", "")


def _fail(origin: str, where: str, what: str) -> CatalogueError:
    return CatalogueError(f"{origin}: {where}: {what}" if where else f"{origin}: {what}")


def _check(value: Any, spec: Spec, origin: str, where: str, dotted: str) -> None:
    if isinstance(spec, Table):
        _check_table(value, spec, origin, where, dotted)
    elif isinstance(spec, ListOf):
        _check_list(value, spec, origin, where, dotted)
    else:
        problem = spec.check(value)
        if problem:
            raise _fail(origin, where, f"must be {spec.name}, {problem}")


def _check_table(value: Any, spec: Table, origin: str, where: str, dotted: str) -> None:
    if not isinstance(value, dict):
        raise _fail(origin, where, f"must be a table, got {type(value).__name__}")
    unknown = [k for k in value if k not in spec.fields and spec.rest is None]
    if unknown:  # before missing keys: a typo ("patern") is both, and the typo is the news
        raise _fail(origin, where, f"unknown key '{unknown[0]}'")
    for key in spec.required:
        if key not in value:
            raise _fail(origin, where, f"missing key '{key}'")
    for key, item in value.items():
        sub = spec.fields.get(key, spec.rest)
        assert sub is not None
        _check(item, sub, origin, *_enter(where, dotted, key, sub))


def _check_list(value: Any, spec: ListOf, origin: str, where: str, dotted: str) -> None:
    if not isinstance(value, list):
        raise _fail(origin, where, f"must be a list, got {type(value).__name__}")
    for i, item in enumerate(value, 1):
        if isinstance(spec.item, Table):
            _check(item, spec.item, origin, f"[[{dotted}]] #{i}", dotted)
        else:
            _check(item, spec.item, origin, f"{where} #{i}", dotted)


def _enter(where: str, dotted: str, key: str, sub: Spec) -> tuple[str, str]:
    """(where, dotted) for a key: `[a.b]` for a table reached through tables, `where key` otherwise."""
    name = key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else f'"{key}"'
    path = f"{dotted}.{name}" if dotted else name
    if isinstance(sub, Table) or (isinstance(sub, ListOf) and isinstance(sub.item, Table)):
        if not where or where.startswith("[") and not where.startswith("[["):
            return f"[{path}]", path
        return f"{where} [{name}]", path
    return (f"{where} {name}" if where else name), path
