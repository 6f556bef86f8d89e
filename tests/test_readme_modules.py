"""README's package table names every module (issue 15: "README's package table lists every module")."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_package_table_names_every_module() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index("| package | modules (every one) |")
    table = readme[start:readme.index("\n\n", start)]
    missing = [str(path.relative_to(ROOT)) for path in sorted((ROOT / "ainews").rglob("*.py"))
               if path.name != "__init__.py" and "migrations" not in path.parts
               and not re.search(rf"(?<![\w-]){re.escape(path.stem)}(?![\w-])", table)]
    assert not missing, f"add these to README's package table: {missing}"
