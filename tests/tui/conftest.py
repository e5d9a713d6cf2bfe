"""Fixtures for app tests: the app on an in-memory tracker, as of a fixed day."""

from __future__ import annotations

from datetime import date

import pytest

from store.repository import Tracker
from store.schedule import Outlook
from tui.app import CicteApp

JUNE_15 = date(2008, 6, 15)


def make_app(today: date = JUNE_15, tracker: Tracker | None = None) -> CicteApp:
    return CicteApp(tracker or Tracker.in_memory(), Outlook(today), "--today")


@pytest.fixture
def app() -> CicteApp:
    return make_app()
