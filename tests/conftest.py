"""Shared test fixtures. Real data lives in ../shared (never copied into the project)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support import pgserver as pg

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def shared_path(*parts: str) -> Path:
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"../shared/{'/'.join(parts)} not present: the shared seeds/corpus sit beside the repo in CI")
    return path


@pytest.fixture
def seeds() -> dict[str, Path]:
    """Seed files by their number prefix: '000' … '004'."""
    folder = shared_path("seeds")
    return {p.name[:3]: p for p in sorted(folder.glob("*.txt"))}


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'ainews.db'}"


@pytest.fixture(scope="session")
def pg_admin_url() -> Iterator[str]:
    reason = pg.unavailable_reason()
    if reason:
        pytest.skip(reason)
    with pg.server() as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def any_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The same test on a SQLite file and on a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'ainews.db'}"
    return pg.create_database(request.getfixturevalue("pg_admin_url"))
