"""A real file-size limit (RLIMIT_FSIZE) under the file's size: the save fails, the file stays."""

from __future__ import annotations

import subprocess
from dataclasses import replace
from pathlib import Path

import pytest

from store.repository import Tracker
from tests.faults.conftest import CHILD_BOUND, KEY, REPOSITORY, python, snapshot, temp_files

LIMIT = 4096
"""Bytes; the seeded tracker is about 70 KB, its lock record under 200 bytes."""

LIMITED = """
import resource, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # the write fails with EFBIG instead
limit = int(sys.argv[1])
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
if sys.argv[2] == "api":
    import errno
    from dataclasses import replace
    from pathlib import Path
    from store.errors import StoreError
    from store.repository import Tracker

    path, key = Path(sys.argv[3]), sys.argv[4]
    with Tracker.open(path) as tracker:
        print("warnings:", " ".join(tracker.warnings))
        owner = tracker.find(key).owner
        try:
            tracker.save_obligation(replace(tracker.find(key), owner="too big to save"))
        except StoreError as error:
            print("errno:", errno.errorcode[error.__cause__.errno])
        print("in memory:", tracker.find(key).owner == owner)
    with Tracker.open(path, read_only=True) as tracker:
        print("on disk:", tracker.find(key).owner == owner)
else:
    from tui.launch import main
    sys.exit(main(sys.argv[2:]))
"""


def _limited(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        python(LIMITED, str(LIMIT), *argv),
        cwd=REPOSITORY,
        capture_output=True,
        text=True,
        timeout=CHILD_BOUND,
    )


@pytest.fixture
def big_tracker(tracker_file: Path) -> Path:
    """A tracker over the limit, edited since its last backup (the next open backs it up)."""
    with Tracker.open(tracker_file) as tracker:
        tracker.save_obligation(replace(tracker.find(KEY), owner="before"))  # type: ignore[type-var]
    assert tracker_file.stat().st_size > LIMIT
    return tracker_file


def test_a_save_over_the_limit_fails_with_efbig_and_changes_nothing(big_tracker: Path) -> None:
    before = snapshot(big_tracker.parent)
    done = _limited("api", str(big_tracker), KEY)
    assert done.returncode == 0, done.stderr
    assert "no backup could be written" in done.stdout
    assert "errno: EFBIG" in done.stdout
    assert "in memory: True" in done.stdout and "on disk: True" in done.stdout
    assert snapshot(big_tracker.parent) == before
    assert temp_files(big_tracker.parent) == []


def test_import_replace_over_the_limit_is_a_message_and_changes_nothing(
    big_tracker: Path, tmp_path: Path
) -> None:
    export = tmp_path / "export.json"
    subprocess.run(
        python(LIMITED, str(10**9), "export", "json", "-o", str(export), "--db", str(big_tracker)),
        cwd=REPOSITORY,
        check=True,
        capture_output=True,
        timeout=CHILD_BOUND,
    )
    before = snapshot(big_tracker.parent)
    done = _limited("import", "--replace", str(export), "--db", str(big_tracker))
    assert done.returncode == 3
    assert "Traceback" not in done.stderr
    assert f"cannot write {big_tracker}" in done.stderr and "too large" in done.stderr
    assert snapshot(big_tracker.parent) == before
    assert temp_files(big_tracker.parent) == []


def test_a_scriptable_edit_over_the_limit_leaves_the_file_and_prints_no_traceback(
    big_tracker: Path,
) -> None:
    before = snapshot(big_tracker.parent)
    done = _limited("note", KEY, "too big to save", "--db", str(big_tracker))
    assert done.returncode != 0
    assert "Traceback" not in done.stderr and done.stderr.startswith("cicte-tui: ")
    assert snapshot(big_tracker.parent) == before
    assert temp_files(big_tracker.parent) == []


def test_a_scriptable_edit_over_the_limit_says_why(big_tracker: Path) -> None:
    done = _limited("note", KEY, "too big to save", "--db", str(big_tracker))
    assert "internal error" not in done.stderr, done.stderr
    assert done.returncode == 3 and "too large" in done.stderr
