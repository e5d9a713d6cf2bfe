"""Injected failures in write, fsync and rename: the file and the tracker stay as they were."""

from __future__ import annotations

import errno
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from store.editing import Editor
from store.errors import StoreError
from store.repository import Tracker
from tests.faults.conftest import KEY, FaultyOS, cli_process, snapshot, temp_files

FAULTS = ("write", "fsync", "replace")


def _on_disk(path: Path) -> Tracker:
    return Tracker.open(path, read_only=True)


@pytest.mark.parametrize("fail", FAULTS)
def test_a_failed_save_leaves_the_file_and_the_tracker_as_they_were(
    tracker_file: Path, inject: Callable[[str], FaultyOS], fail: str
) -> None:
    with Tracker.open(tracker_file) as tracker:
        folder = snapshot(tracker_file.parent)
        owner = tracker.find(KEY).owner  # type: ignore[union-attr]
        fault = inject(fail)
        with pytest.raises(StoreError, match="cannot write .*left as it was") as caught:
            tracker.save_obligation(replace(tracker.find(KEY), owner="never saved"))  # type: ignore[type-var]
        assert fault.fired
        assert caught.value.__cause__.errno in (errno.ENOSPC, errno.EIO)  # type: ignore[union-attr]
        assert snapshot(tracker_file.parent) == folder  # the tracker byte for byte, no temp file
        assert temp_files(tracker_file.parent) == []
        # What the tracker shows is what is saved.
        assert tracker.find(KEY).owner == owner  # type: ignore[union-attr]
        assert list(tracker) == list(_on_disk(tracker_file))

        # Once the disk works again, the next edit saves (no false "changed by someone else").
        inject("")
        tracker.save_obligation(replace(tracker.find(KEY), owner="saved"))  # type: ignore[type-var]
        assert tracker.notices == []
    assert _on_disk(tracker_file).find(KEY).owner == "saved"  # type: ignore[union-attr]


@pytest.mark.parametrize("fail", FAULTS)
def test_a_failed_edit_is_not_in_the_undo_history_nor_the_change_log(
    tracker_file: Path, inject: Callable[[str], FaultyOS], fail: str
) -> None:
    with Tracker.open(tracker_file) as tracker:
        editor = Editor(tracker)
        before = tracker_file.read_bytes()
        notes, changes = tracker.find(KEY).notes, tracker.changes()  # type: ignore[union-attr]
        inject(fail)
        with pytest.raises(StoreError):
            editor.add_note(KEY, "lost with the disk", date(2008, 6, 15))
        assert tracker_file.read_bytes() == before
        assert temp_files(tracker_file.parent) == []
        assert tracker.find(KEY).notes == notes  # type: ignore[union-attr]
        assert tracker.changes() == changes
        assert not editor.can_undo


@pytest.mark.parametrize("fail", FAULTS)
def test_a_failed_import_replace_is_a_store_error_and_the_file_is_kept(
    tracker_file: Path,
    inject: Callable[[str], FaultyOS],
    cli: Callable[..., tuple[int, str, str]],
    tmp_path: Path,
    fail: str,
) -> None:
    export = tmp_path / "export.json"
    assert cli("export", "json", "-o", str(export), db=tracker_file)[0] == 0
    before = tracker_file.read_bytes()
    inject(fail)
    code, _, err = cli("import", "--replace", str(export), db=tracker_file)
    assert code == 3
    assert f"cannot write {tracker_file}" in err
    assert tracker_file.read_bytes() == before
    assert temp_files(tracker_file.parent) == []


@pytest.mark.parametrize("fail", FAULTS)
def test_a_failed_scriptable_edit_says_the_file_was_not_written(
    tracker_file: Path, fail: str
) -> None:
    before = tracker_file.read_bytes()
    done = cli_process("note", KEY, "lost with the disk", "--db", str(tracker_file), fault=fail)
    assert tracker_file.read_bytes() == before
    assert temp_files(tracker_file.parent) == []
    assert "Traceback" not in done.stderr
    assert "internal error" not in done.stderr, done.stderr
    assert done.returncode == 3 and str(tracker_file) in done.stderr
