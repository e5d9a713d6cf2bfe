"""The app when the disk fails under an edit: a message, the file as it was, the app runs on."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from store.model import Status
from tests.faults.conftest import FaultyOS, temp_files
from tests.tui.conftest import editing_app, saved, settle


def _notified(app: object) -> str:
    return " ".join(str(n.message) for n in app._notifications)  # type: ignore[attr-defined]


@pytest.mark.parametrize("fail", ("write", "fsync", "replace"))
async def test_a_failed_save_in_the_app_is_a_message_and_the_file_is_kept(
    tracker_file: Path, inject: Callable[[str], FaultyOS], fail: str
) -> None:
    async with editing_app(tracker_file) as (app, pilot):
        before = tracker_file.read_bytes()
        app.screen.jump_to("I-1.i")  # type: ignore[attr-defined]
        await pilot.pause()
        fault = inject(fail)
        await pilot.press("s")
        await settle(pilot)
        assert fault.fired
        assert "No space left on device" in _notified(app) or "Input/output" in _notified(app)
        assert tracker_file.read_bytes() == before
        assert temp_files(tracker_file.parent) == []
        assert app.tracker.find("1.i").status is Status.NOT_STARTED  # type: ignore[attr-defined]
        # The disk works again: the same key saves.
        inject("")
        await pilot.press("s")
        await settle(pilot)
        assert app.is_running
    assert saved(tracker_file, "1.i").status is Status.IN_PROGRESS  # type: ignore[union-attr]
