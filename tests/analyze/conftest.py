"""Fixtures for analysis tests."""

from __future__ import annotations

import pytest

from ainews.config import Settings


@pytest.fixture()
def settings() -> Settings:
    return Settings()
