"""The rules catalogue: every bundled file validates; a broken copy fails naming the file and key."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ainews import catalogue
from ainews.catalogue import CatalogueError
from ainews.catalogue.files import SCHEMAS, SITE_RULE
from ainews.catalogue.schema import check
from ainews.errors import UserError

ROOT = Path(__file__).resolve().parents[2]


def bundled(name: str) -> str:
    return resources.files("ainews").joinpath(name).read_text(encoding="utf-8")


def test_every_bundled_file_is_known_and_validates() -> None:
    on_disk = {str(p.relative_to(ROOT / "ainews")) for d in ("data", "extract/sites")
               for p in (ROOT / "ainews" / d).glob("*.toml")}
    on_disk.discard("data/init_config.toml")  # a text template for `ainews init`, not TOML data
    assert on_disk == set(catalogue.bundled_names())
    for name in catalogue.bundled_names():
        assert isinstance(catalogue.load(name), dict), name


def test_site_rule_files_are_the_ones_with_a_match_table() -> None:
    names = catalogue.site_rule_names()
    assert "extract/sites/naver.toml" in names and "extract/sites/generic.toml" not in names
    assert all("match" in catalogue.load(n) for n in names)
    assert list(names) == sorted(names)


def test_no_module_reads_toml_itself() -> None:
    """Ten loaders became one: only the catalogue calls tomllib."""
    readers = [str(p.relative_to(ROOT)) for p in (ROOT / "ainews").rglob("*.py")
               if "tomllib" in p.read_text(encoding="utf-8")]
    assert readers == ["ainews/catalogue/__init__.py"]


def test_no_rule_name_is_tested_in_code() -> None:
    offenders = [str(p) for p in (ROOT / "ainews").rglob("*.py")
                 if re.search(r"rule\.name\s*(?:in|==)", p.read_text(encoding="utf-8"))]
    assert offenders == []


@pytest.mark.parametrize(("name", "old", "new", "message"), [
    # the brief's example: a typo in the third [[drop]] rule
    ("extract/sites/boilerplate.toml", None, None,
     "ainews/extract/sites/boilerplate.toml: [[drop]] #3: unknown key 'patern'"),
    ("data/taxonomy.toml", "bias = 3.2", 'bias = "high"',
     "ainews/data/taxonomy.toml: [relevance] bias: must be a number, got str"),
    ("data/taxonomy.toml", "bias = 3.2\n", "",
     "ainews/data/taxonomy.toml: [relevance]: missing key 'bias'"),
    ("extract/sites/naver.toml", "hosts = [", "host = [",
     "ainews/extract/sites/naver.toml: [match]: unknown key 'host'"),
    ("extract/sites/naver.toml", "portal = true", 'portal = "yes"',
     "ainews/extract/sites/naver.toml: portal: must be true or false, got str"),
    ("data/discovery.toml", "weight = 1.5", "wieght = 1.5",
     "ainews/data/discovery.toml: [[pattern]] #2: unknown key 'wieght'"),
    ("data/outlets.toml", 'name = "연합뉴스"', 'nmae = "연합뉴스"',
     "ainews/data/outlets.toml: [[outlet]] #2: unknown key 'nmae'"),
    ("data/companies.toml", 'ai = 2.0 }', 'ai = "2" }',
     "ainews/data/companies.toml: [[orgs]] #1 ai: must be a number, got str"),
    ("data/feed_paths.toml", '"/rss",', '3,', "ainews/data/feed_paths.toml: paths #4: must be a string, got int"),
])
def test_a_broken_copy_names_the_file_and_key(name: str, old: str | None, new: str | None, message: str) -> None:
    text = bundled(name)
    if old is None:  # rename `pattern` in the third [[drop]] table
        start = [m.start() for m in re.finditer(r"^\[\[drop\]\]", text, re.M)][2]
        end = text.index("\npattern", start)
        text = text[:end] + "\npatern" + text[end + len("\npattern"):]
    else:
        assert old in text
        text = text.replace(old, new, 1)
    with pytest.raises(CatalogueError) as err:
        catalogue.validate_text(name, text)
    assert str(err.value) == message
    assert isinstance(err.value, UserError)  # the CLI prints one line, no traceback


def test_a_bad_regex_is_reported_with_its_key() -> None:
    head = "kind = \"copyright\"\npattern = '("
    text = bundled("extract/sites/boilerplate.toml").replace(head, head + "(", 1)
    with pytest.raises(CatalogueError, match=r"^ainews/extract/sites/boilerplate\.toml: \[\[drop\]\] #1 pattern: "
                                             r"must be a regex string, not a valid regex"):
        catalogue.validate_text("extract/sites/boilerplate.toml", text)


def test_not_toml_and_not_utf8() -> None:
    with pytest.raises(CatalogueError, match=r"^ainews/data/feed_paths\.toml: not valid TOML"):
        catalogue.validate_text("data/feed_paths.toml", "paths = [")
    with pytest.raises(CatalogueError, match="not valid TOML"):
        catalogue.validate_text("data/feed_paths.toml", b"paths = ['\xff']")
    with pytest.raises(CatalogueError, match="not a bundled rule file"):
        catalogue.load("data/nope.toml")


def test_user_files_share_the_reader_but_keep_their_error_class(tmp_path: Path) -> None:
    from ainews.config import ConfigError, load_settings

    bad = tmp_path / "config.toml"
    bad.write_text("[output\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=rf"^{re.escape(str(bad))}: not valid TOML \("):
        load_settings(bad)


def test_an_outlet_spelling_or_host_belongs_to_one_outlet() -> None:
    for extra, message in [('aliases = ["연합"]', "aliases: '연합' already belongs to '연합뉴스'"),
                           ('hosts = ["YNA.co.kr"]', "hosts: 'yna.co.kr' already belongs to '연합뉴스'")]:
        text = bundled("data/outlets.toml") + f'\n[[outlet]]\nname = "짝퉁"\n{extra}\n'
        where = r"^ainews/data/outlets\.toml: \[\[outlet\]\] #\d+ "
        with pytest.raises(CatalogueError, match=where + re.escape(message)):
            catalogue.validate_text("data/outlets.toml", text)


# -- any text at all: the loader's error or a dict, never anything else --------------------------

EDITS = st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 40),
                           st.text(alphabet=st.sampled_from(list("=[]{}\"'#.,\n 0123abc가\\x")), max_size=12)),
                 min_size=1, max_size=6)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.sampled_from(sorted(SCHEMAS) + ["extract/sites/naver.toml"]), edits=EDITS)
def test_mangled_files_only_raise_the_catalogue_error(name: str, edits: list[tuple[int, int, str]]) -> None:
    text = bundled(name)
    for at, cut, insert in edits:
        at %= len(text) + 1
        text = text[:at] + insert + text[at + cut:]
    try:
        data = catalogue.validate_text(name, text)
    except CatalogueError as exc:
        assert str(exc).startswith(f"ainews/{name}: ")
    else:
        assert isinstance(data, dict)


@settings(max_examples=200, deadline=None)
@given(blob=st.binary(max_size=300))
def test_random_bytes_only_raise_the_catalogue_error(blob: bytes) -> None:
    try:
        catalogue.validate_text("data/taxonomy.toml", blob)
    except CatalogueError as exc:
        assert str(exc).startswith("ainews/data/taxonomy.toml: ")


SCALARS = st.one_of(st.text(max_size=8), st.integers(), st.floats(allow_nan=False), st.booleans())
KEYS = st.sampled_from(["pattern", "kind", "name", "hosts", "match", "drop", "outlet", "relevance", "bias", "item",
                        "terms", "x", "AI", "max_len", "flags", "byline", "head"])
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                      st.dictionaries(KEYS, inner, max_size=5)), max_leaves=20)


@settings(max_examples=300, deadline=None)
@given(name=st.sampled_from(sorted(SCHEMAS) + ["extract/sites/naver.toml"]),
       data=st.dictionaries(KEYS, VALUES, max_size=6))
def test_any_structure_is_accepted_or_refused_with_the_catalogue_error(name: str, data: dict) -> None:
    """What a TOML file can hold, of any shape, against every schema: the checker never crashes."""
    spec = SCHEMAS.get(name, SITE_RULE)
    try:
        check(data, spec, f"ainews/{name}")
    except CatalogueError as exc:
        assert str(exc).startswith(f"ainews/{name}: ")
