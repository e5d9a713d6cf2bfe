"""Temporary files left by a kill: only ours are removed, only by a writer holding the lock;
files planted under our names are never followed."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

import pytest

from store.backups import back_up, rotating_backups
from store.repository import Tracker
from store.storage import StoreError, StoreLocked
from tests.faults.conftest import Child, python
from tests.faults.test_stale_lock import HOLDER

OURS = (
    ".tracker.json.k3v_9xq2.tmp",  # a save of the tracker
    ".tracker.json.20081103-091500.bak.a1b2c3d4.tmp",  # a rotating backup
    ".tracker.json.20081103-091500-2.bak.a1b2c3d4.tmp",
    ".tracker.json.schema-2.bak.zzzzzzzz.tmp",  # the copy kept before a migration
    "tracker.json.bak.tmp",  # the single backup of earlier releases
)
NOT_OURS = (
    ".tracker.json.short.tmp",
    ".other.json.k3v_9xq2.tmp",
    "tracker.json.k3v_9xq2.tmp",
    ".tracker.json.k3v_9xq2.tmp.keep",
    ".tracker.json.k3v_9xq2.TMP",
    "notes.tmp",
)


def _plant(folder: Path, names: tuple[str, ...]) -> None:
    for name in names:
        (folder / name).write_bytes(b'{"half": ')


def test_a_writer_removes_only_our_temporary_files(tracker_file: Path) -> None:
    folder = tracker_file.parent
    _plant(folder, OURS + NOT_OURS)
    (folder / ".tracker.json.folderxx.tmp").mkdir()
    victim = folder.parent / "victim"
    victim.write_text("precious")
    (folder / ".tracker.json.linkedxx.tmp").symlink_to(victim)
    with Tracker.open(tracker_file) as tracker:
        assert f"removed {len(OURS)} temporary file(s)" in " ".join(tracker.notices)
    left = set(os.listdir(folder))
    assert not left & set(OURS)
    assert set(NOT_OURS) <= left
    assert {".tracker.json.folderxx.tmp", ".tracker.json.linkedxx.tmp"} <= left
    assert victim.read_text() == "precious"


def test_through_a_symlinked_db_the_files_beside_the_target_are_removed(
    tracker_file: Path, tmp_path: Path
) -> None:
    link = tmp_path / "link.json"
    link.symlink_to(tracker_file)
    _plant(tracker_file.parent, OURS)
    Tracker.open(link).close()
    assert not set(os.listdir(tracker_file.parent)) & set(OURS)


def test_a_reader_removes_nothing(tracker_file: Path) -> None:
    _plant(tracker_file.parent, OURS)
    Tracker.open(tracker_file, read_only=True).close()
    assert set(OURS) <= set(os.listdir(tracker_file.parent))


def test_nothing_is_removed_while_another_writer_holds_the_lock(tracker_file: Path) -> None:
    writer = Child(python(HOLDER, str(tracker_file)), stdin=True)
    writer.expect("held")
    try:
        _plant(tracker_file.parent, OURS)  # as if the live writer were saving
        with pytest.raises(StoreLocked):
            Tracker.open(tracker_file)
        assert set(OURS) <= set(os.listdir(tracker_file.parent))
    finally:
        assert writer.finish() == 0, writer.stderr


def test_a_symlink_planted_as_the_lock_is_refused_and_not_followed(tracker_file: Path) -> None:
    lock = tracker_file.with_name("tracker.json.lock")
    lock.unlink()
    victim = tracker_file.parent.parent / "victim"
    victim.write_text("precious")
    lock.symlink_to(victim)
    with pytest.raises(StoreError) as caught:
        Tracker.open(tracker_file)
    assert str(lock) in str(caught.value)
    assert victim.read_text() == "precious"


def test_a_dangling_symlink_under_the_next_backups_name_is_not_written_through(
    tmp_path: Path,
) -> None:
    path = tmp_path / "data" / "tracker.json"
    path.parent.mkdir()
    now = datetime(2008, 6, 15, 9, 0, 0)
    elsewhere = tmp_path / "outside" / "stolen"
    (tmp_path / "outside").mkdir()
    path.with_name("tracker.json.20080615-090000.bak").symlink_to(elsewhere)
    made = back_up(path, b"the tracker", now)
    assert made is not None and not made.is_symlink()
    assert made.read_bytes() == b"the tracker"
    assert not elsewhere.exists()
    assert rotating_backups(path)[0].path == made
