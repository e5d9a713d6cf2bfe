"""Someone else changes the file while a writer has it open: never a silent overwrite.

Process A is this test (a writer, ``Tracker.open``); process B is a child that
deletes the lock file and runs ``import --replace``, or edits the JSON as a
text editor would (in place).
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from store.formats.exchange import export_json
from store.model import Status
from store.repository import Tracker
from store.settling import EditConflict, PendingConflict
from store.storage import StoreError
from tests.faults.conftest import CHILD_BOUND, KEY, OTHER_KEY, REPOSITORY, python

EDIT_JSON = """
import json, sys
path, changes = sys.argv[1], json.loads(sys.argv[2])
with open(path, encoding="utf-8") as stream:
    document = json.load(stream)
for row in document["obligations"].values():
    row.update(changes.get(row["key"], {}))
with open(path, "w", encoding="utf-8") as stream:  # in place, as an editor saves
    json.dump(document, stream, ensure_ascii=False)
"""

SAME_SIZE_EDIT = """
import sys
path, old, new = sys.argv[1], sys.argv[2].encode(), sys.argv[3].encode()
with open(path, "r+b") as stream:  # in place: same file, same size
    content = stream.read()
    assert content.count(old) == 1 and len(old) == len(new)
    stream.seek(0)
    stream.write(content.replace(old, new))
"""

IMPORT_WITHOUT_LOCK = """
import os, sys
from tui.cli.parser import main
os.unlink(sys.argv[1] + ".lock")  # the lock of the writer still running: gone
sys.exit(main(["import", "--replace", sys.argv[2], "--db", sys.argv[1]]))
"""


def _b(script: str, *argv: str) -> None:
    """Process B, run to its end."""
    done = subprocess.run(
        python(script, *argv), cwd=REPOSITORY, capture_output=True, text=True, timeout=CHILD_BOUND
    )
    assert done.returncode == 0, done.stderr


def _b_edits(path: Path, changes: dict[str, dict[str, str]]) -> bytes:
    _b(EDIT_JSON, str(path), json.dumps(changes))
    return path.read_bytes()


def _b_imports(path: Path, tmp_path: Path, changes: dict[str, dict[str, str]]) -> bytes:
    """B imports an export of the file as it is, with ``changes`` made to it."""
    document = json.loads(path.read_bytes())
    for row in document["obligations"].values():
        row.update(changes.get(row["key"], {}))
    export = tmp_path / "theirs.json"
    export.write_text(export_json(document), "utf-8")
    _b(IMPORT_WITHOUT_LOCK, str(path), str(export))
    return path.read_bytes()


def _set_owner(tracker: Tracker, key: str, owner: str) -> None:
    tracker.save_obligation(replace(tracker.find(key), owner=owner))  # type: ignore[type-var]


def _on_disk(path: Path) -> Tracker:
    return Tracker.open(path, read_only=True)


BChange = Callable[[Path, Path, dict[str, dict[str, str]]], bytes]
B_CHANGES: dict[str, BChange] = {
    "import --replace without the lock": lambda path, tmp, changes: _b_imports(path, tmp, changes),
    "editor": lambda path, tmp, changes: _b_edits(path, changes),
}


@pytest.mark.parametrize("how", B_CHANGES)
def test_an_edit_of_another_field_is_made_on_top_of_their_change(
    tracker_file: Path, tmp_path: Path, how: str
) -> None:
    with Tracker.open(tracker_file) as tracker:
        B_CHANGES[how](tracker_file, tmp_path, {OTHER_KEY: {"owner": "Bea"}})
        _set_owner(tracker, KEY, "Ana")
        assert any("changed by another program" in notice for notice in tracker.notices)
        assert tracker.find(OTHER_KEY).owner == "Bea"  # type: ignore[union-attr]
    with _on_disk(tracker_file) as saved:
        assert saved.find(KEY).owner == "Ana"  # type: ignore[union-attr]
        assert saved.find(OTHER_KEY).owner == "Bea"  # type: ignore[union-attr]


@pytest.mark.parametrize("how", B_CHANGES)
def test_a_clash_is_refused_and_their_file_kept_byte_for_byte(
    tracker_file: Path, tmp_path: Path, how: str
) -> None:
    with Tracker.open(tracker_file) as tracker:
        theirs = B_CHANGES[how](tracker_file, tmp_path, {KEY: {"owner": "Bea"}})
        with pytest.raises(EditConflict) as caught:
            _set_owner(tracker, KEY, "Ana")
        assert "owner" in str(caught.value)
        assert tracker_file.read_bytes() == theirs
        assert tracker.find(KEY).owner == ""  # type: ignore[union-attr]
        # Asked again, the edit still clashes: it is never written over theirs.
        with pytest.raises(EditConflict):
            _set_owner(tracker, KEY, "Ana")
        assert tracker_file.read_bytes() == theirs


def _clash(tracker: Tracker, path: Path) -> tuple[PendingConflict, bytes]:
    """B changes my item's owner and another item's status; my owner edit clashes."""
    theirs = _b_edits(path, {KEY: {"owner": "Bea"}, OTHER_KEY: {"status": "blocked"}})
    with pytest.raises(EditConflict) as caught:
        _set_owner(tracker, KEY, "Ana")
    assert "owner" in " ".join(caught.value.pending.clashes)
    assert path.read_bytes() == theirs
    return caught.value.pending, theirs


def test_keep_mine_wins_the_clash_and_keeps_their_other_changes(tracker_file: Path) -> None:
    with Tracker.open(tracker_file) as tracker:
        pending, _ = _clash(tracker, tracker_file)
        tracker.settle(pending, "mine")
        assert tracker.find(KEY).owner == "Ana"  # type: ignore[union-attr]
    with _on_disk(tracker_file) as saved:
        assert saved.find(KEY).owner == "Ana"  # type: ignore[union-attr]
        assert saved.find(OTHER_KEY).status is Status.BLOCKED  # type: ignore[union-attr]


def test_reload_drops_my_edit_and_shows_their_file(tracker_file: Path) -> None:
    with Tracker.open(tracker_file) as tracker:
        pending, theirs = _clash(tracker, tracker_file)
        tracker.settle(pending, "reload")
        assert tracker_file.read_bytes() == theirs
        assert tracker.find(KEY).owner == "Bea"  # type: ignore[union-attr]
        assert tracker.find(OTHER_KEY).status is Status.BLOCKED  # type: ignore[union-attr]
        # Their version is now the one this writer builds on: no clash, no merge needed.
        _set_owner(tracker, OTHER_KEY, "Ana")
    with _on_disk(tracker_file) as saved:
        assert saved.find(KEY).owner == "Bea"  # type: ignore[union-attr]
        assert saved.find(OTHER_KEY).owner == "Ana"  # type: ignore[union-attr]


def test_cancel_leaves_their_file_and_the_next_edit_meets_the_clash_again(
    tracker_file: Path,
) -> None:
    with Tracker.open(tracker_file) as tracker:
        pending, theirs = _clash(tracker, tracker_file)
        tracker.settle(pending, "cancel")
        assert tracker_file.read_bytes() == theirs
        with pytest.raises(EditConflict):
            _set_owner(tracker, KEY, "Ana")
        assert tracker_file.read_bytes() == theirs


def test_a_file_broken_by_someone_else_is_not_written_over(tracker_file: Path) -> None:
    with Tracker.open(tracker_file) as tracker:
        tracker_file.write_bytes(tracker_file.read_bytes()[:-100])  # B saved half a file
        broken = tracker_file.read_bytes()
        with pytest.raises(StoreError):
            _set_owner(tracker, KEY, "Ana")
        assert tracker_file.read_bytes() == broken


def test_a_same_size_change_with_the_same_mtime_is_not_overwritten(tracker_file: Path) -> None:
    with Tracker.open(tracker_file) as tracker:
        _set_owner(tracker, KEY, "Ann")
        seen = tracker_file.stat()
        _b(SAME_SIZE_EDIT, str(tracker_file), '"owner":"Ann"', '"owner":"Bea"')
        theirs = tracker_file.read_bytes()
        os.utime(tracker_file, ns=(seen.st_atime_ns, seen.st_mtime_ns))
        assert len(theirs) == seen.st_size
        with pytest.raises(EditConflict):
            _set_owner(tracker, KEY, "Ana")
        assert tracker_file.read_bytes() == theirs
