"""Shared fixtures: an in-memory tracker and a temporary tracker file."""

from __future__ import annotations

from pathlib import Path

import pytest

from store.repository import Tracker


@pytest.fixture
def tracker() -> Tracker:
    return Tracker.in_memory()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "tracker.json"
