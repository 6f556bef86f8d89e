"""One loader for every bundled rule and data file (`ainews/data/*.toml`, `ainews/extract/sites/*.toml`).

`load("data/taxonomy.toml")` reads the file from the installed package, checks it against its
declared schema (catalogue/files.py) and caches it, so a typo in a rule file is one clear
`CatalogueError` naming the file and the key ("ainews/extract/sites/boilerplate.toml: [[drop]] #3:
unknown key 'patern'") instead of a rule silently switched off. `parse` is the same TOML reader for
user files (config, sources), which keep their own checks. Callers must not mutate what they get.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Any

from ainews.catalogue.files import CHECKS, SCHEMAS, SITE_RULE, SITES_DIR
from ainews.catalogue.schema import CatalogueError, Spec, check

__all__ = ["CatalogueError", "bundled_names", "check_all", "load", "parse", "site_rule_names", "validate_text"]


def parse(text: str | bytes, origin: str, error: type[Exception] = CatalogueError) -> dict[str, Any]:
    """TOML text → dict; `error(f"{origin}: not valid TOML (…)")` when it is not TOML or not UTF-8.

    Bytes are decoded with universal newlines, as `Path.read_text` would.
    """
    try:
        if isinstance(text, bytes):
            text = text.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
        return tomllib.loads(text)
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise error(f"{origin}: not valid TOML ({exc})") from exc


def site_rule_names() -> tuple[str, ...]:
    """Site rule files, in file-name order (the order rules are tried)."""
    folder = resources.files("ainews").joinpath(SITES_DIR)
    names = sorted(f"{SITES_DIR}/{item.name}" for item in folder.iterdir() if item.name.endswith(".toml"))
    return tuple(n for n in names if n not in SCHEMAS)


def bundled_names() -> tuple[str, ...]:
    """Every bundled file the catalogue knows."""
    return (*SCHEMAS, *site_rule_names())


def _schema(name: str) -> Spec:
    if name in SCHEMAS:
        return SCHEMAS[name]
    if name.startswith(SITES_DIR + "/") and name.endswith(".toml") and "/" not in name[len(SITES_DIR) + 1:]:
        return SITE_RULE
    raise CatalogueError(f"ainews/{name}: not a bundled rule file (known: {', '.join(SCHEMAS)})")


def validate_text(name: str, text: str | bytes) -> dict[str, Any]:
    """Parse and check `text` as the bundled file `name` would be (used by `load` and the tests)."""
    spec = _schema(name)
    origin = f"ainews/{name}"
    data = parse(text, origin)
    check(data, spec, origin)
    if name in CHECKS:
        CHECKS[name](data, origin)
    return data


def check_all() -> None:
    """Load every bundled file: the CLI calls this first, so a broken rule file stops a command before
    any article is touched (and is one line on stderr, not an article marked failed)."""
    for name in bundled_names():
        load(name)


@cache
def load(name: str) -> dict[str, Any]:
    """The validated contents of a bundled file, e.g. `load("extract/sites/boilerplate.toml")`."""
    _schema(name)
    try:
        raw = resources.files("ainews").joinpath(name).read_bytes()
    except OSError as exc:
        raise CatalogueError(f"ainews/{name}: cannot be read ({exc})") from exc
    return validate_text(name, raw)
