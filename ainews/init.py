"""`ainews init`: a commented config.toml and a sources.toml to start from, in the user's config folder.

The templates are packaged data (`data/init_config.toml`, the bundled `data/sources.toml`), so what
`init` writes always matches what the loaders accept.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from string import Template

from ainews.collect.sources import DEFAULT_SOURCES
from ainews.errors import UserError

DEFAULT_DIR = Path("~/.config/ainews")
CONFIG_TEMPLATE = Path(__file__).resolve().parent / "data" / "init_config.toml"
SOURCES_HEADER = """\
# Your sources, written by `ainews init` from the bundled outlets. The config's `sources` setting
# points here; entries patch the bundled source of the same name (e.g. add `enabled = false`) and
# new names add sources. Delete what you do not want to change.

"""


class InitError(UserError):
    """The files exist and --force was not given; the message names them."""


@dataclass(frozen=True)
class InitResult:
    config: Path
    sources: Path
    next_commands: tuple[str, ...]


def config_text(directory: Path, output_dir: str = "ainews-out") -> str:
    """The commented config, pointing at the sources file in `directory`."""
    template = Template(CONFIG_TEMPLATE.read_text(encoding="utf-8"))
    return template.substitute(sources=_toml_str(str(directory / "sources.toml")),
                               output_dir=_toml_str(output_dir))


def _toml_str(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"')


def sources_text() -> str:
    return SOURCES_HEADER + DEFAULT_SOURCES.read_text(encoding="utf-8")


def write_init(directory: Path | None = None, force: bool = False) -> InitResult:
    """Write config.toml and sources.toml; refuse to replace either without `force`."""
    folder = (directory or DEFAULT_DIR).expanduser().resolve()
    config, sources = folder / "config.toml", folder / "sources.toml"
    existing = [str(p) for p in (config, sources) if p.exists()]
    if existing and not force:
        raise InitError(f"{', '.join(existing)} already exist(s); use --force to overwrite")
    folder.mkdir(parents=True, exist_ok=True)
    config.write_text(config_text(folder), encoding="utf-8")
    sources.write_text(sources_text(), encoding="utf-8")
    flag = "" if folder == DEFAULT_DIR.expanduser().resolve() else f" --config {config}"
    return InitResult(config, sources, (f"ainews{flag} run", f"ainews{flag} serve"))
