"""Rotating backups: five kept, each loadable, never fewer good ones after a failure."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest

from store.backups import KEEP, back_up, rotating_backups
from store.repository import Tracker
from store.storage import StoreCorrupt, read_document
from tests.faults.conftest import KEY, FaultyOS, snapshot, temp_files


def _edit(path: Path, owner: str) -> None:
    with Tracker.open(path) as tracker:
        tracker.save_obligation(replace(tracker.find(KEY), owner=owner))  # type: ignore[type-var]


def _backup_bytes(path: Path) -> dict[str, bytes]:
    return {backup.path.name: backup.path.read_bytes() for backup in rotating_backups(path)}


def test_rotation_keeps_the_five_newest_each_loadable(tracker_file: Path) -> None:
    """Eight opens within a second or two: the newest backup is the file as last opened."""
    opened = []
    for number in range(8):
        _edit(tracker_file, f"owner {number}")
        opened.append(tracker_file.read_bytes())
        Tracker.open(tracker_file).close()  # backs up the file as it now is
    kept = rotating_backups(tracker_file)
    assert len(kept) == KEEP
    assert [backup.path.read_bytes() for backup in kept] == opened[::-1][:KEEP]
    for backup in kept:
        assert read_document(backup.path) is not None


def test_backups_of_one_second_keep_their_order(tmp_path: Path) -> None:
    path = tmp_path / "tracker.json"
    now = datetime(2008, 6, 15, 9, 0, 0)
    for number in range(KEEP + 3):
        assert back_up(path, f"version {number}".encode(), now) is not None
        assert rotating_backups(path)[0].path.read_bytes() == f"version {number}".encode()
    kept = [backup.path.read_bytes() for backup in rotating_backups(path)]
    assert kept == [f"version {n}".encode() for n in range(KEEP + 2, 2, -1)]


def test_a_clock_set_back_does_not_make_the_new_backup_the_oldest(tmp_path: Path) -> None:
    """After the autumn change of hour the local clock repeats an hour; backups go on."""
    path = tmp_path / "tracker.json"
    for minute in range(KEEP):
        back_up(path, f"before {minute}".encode(), datetime(2008, 11, 2, 1, 50 + minute))
    assert back_up(path, b"after the change", datetime(2008, 11, 2, 1, 5)) is not None
    kept = rotating_backups(path)
    assert len(kept) == KEEP
    assert kept[0].path.read_bytes() == b"after the change"


def test_the_same_bytes_are_not_backed_up_twice(tmp_path: Path) -> None:
    path = tmp_path / "tracker.json"
    assert back_up(path, b"one", datetime(2008, 6, 15, 9)) is not None
    assert back_up(path, b"one", datetime(2008, 6, 15, 10)) is None
    assert len(rotating_backups(path)) == 1


@pytest.mark.parametrize("fail", ("write", "fsync", "replace", "corrupt"))
def test_a_failed_backup_keeps_the_older_ones_and_the_tracker_opens_read_write(
    tracker_file: Path, inject: Callable[[str], FaultyOS], fail: str
) -> None:
    """A full disk (write, fsync, rename fail) or a bad one (the copy reads back wrong)."""
    _edit(tracker_file, "backed up")
    _edit(tracker_file, "not backed up yet")
    before = snapshot(tracker_file.parent)
    older = _backup_bytes(tracker_file)
    fault = inject(fail)
    with Tracker.open(tracker_file) as tracker:
        assert fault.fired
        assert not tracker.read_only
        assert any("no backup could be written" in warning for warning in tracker.warnings)
        assert _backup_bytes(tracker_file) == older
        assert snapshot(tracker_file.parent) == before
        assert temp_files(tracker_file.parent) == []
        inject("")
        tracker.save_obligation(replace(tracker.find(KEY), owner="still editable"))  # type: ignore[type-var]
    with Tracker.open(tracker_file) as tracker:
        assert tracker.warnings == []
        assert tracker.find(KEY).owner == "still editable"  # type: ignore[union-attr]


def _corrupt_newer_backup(path: Path) -> Path:
    newest = rotating_backups(path)[0].path
    later = path.with_name(f"{path.name}.20991231-235959.bak")
    later.write_bytes(newest.read_bytes()[:1000])
    return later


def test_a_corrupt_tracker_names_the_newest_good_backup(
    tracker_file: Path, cli: Callable[..., tuple[int, str, str]]
) -> None:
    _edit(tracker_file, "good")
    Tracker.open(tracker_file).close()
    good = rotating_backups(tracker_file)[0].path
    broken = _corrupt_newer_backup(tracker_file)
    tracker_file.write_bytes(tracker_file.read_bytes()[:-10])
    before = snapshot(tracker_file.parent)

    with pytest.raises(StoreCorrupt) as caught:
        Tracker.open(tracker_file)
    message = str(caught.value)
    assert good.name in message and broken.name not in message
    code, _, err = cli("status", db=tracker_file)
    assert code == 3 and good.name in err and "Traceback" not in err
    code, _, err = cli("note", KEY, "x", db=tracker_file)
    assert code == 3 and good.name in err
    # Nothing was written: not the tracker, and no backup of the broken file.
    assert snapshot(tracker_file.parent) == before


def test_a_corrupt_tracker_skips_a_backup_with_an_unreadable_record(tracker_file: Path) -> None:
    import json

    _edit(tracker_file, "good")
    Tracker.open(tracker_file).close()
    good = rotating_backups(tracker_file)[0].path
    document = json.loads(good.read_text("utf-8"))
    next(iter(document["obligations"].values()))["status"] = "no such status"
    later = tracker_file.with_name(f"{tracker_file.name}.20991231-235959.bak")
    later.write_text(json.dumps(document), "utf-8")
    tracker_file.write_bytes(b"{")
    with pytest.raises(StoreCorrupt) as caught:
        Tracker.open(tracker_file)
    assert good.name in str(caught.value)
