"""Files kept as they are: symlinks, devices and pipes, the tracker's own files, modes, owners."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from store.backups import rotating_backups
from store.repository import Tracker
from store.storage import StoreLocked
from tests.faults.conftest import KEY, temp_files

Cli = Callable[..., tuple[int, str, str]]


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _notes(path: Path) -> list[str]:
    with Tracker.open(path, read_only=True) as tracker:
        return [note.text for note in tracker.find(KEY).notes]  # type: ignore[union-attr]


# -- symlinks ---------------------------------------------------------------------


@pytest.fixture
def linked(tracker_file: Path, tmp_path: Path) -> Path:
    """``elsewhere/link.json`` → the tracker file."""
    link = tmp_path / "elsewhere" / "link.json"
    link.parent.mkdir()
    link.symlink_to(tracker_file)
    return link


def test_an_edit_through_a_symlinked_db_writes_its_target_and_keeps_the_link(
    linked: Path, tracker_file: Path, cli: Cli
) -> None:
    code, _, err = cli("note", KEY, "through the link", db=linked)
    assert code == 0, err
    assert linked.is_symlink() and linked.readlink() == tracker_file
    assert _notes(tracker_file) == ["through the link"]
    # The tracker's own files live beside the target, nothing beside the link.
    assert sorted(os.listdir(linked.parent)) == ["link.json"]
    assert (tracker_file.parent / "tracker.json.lock").exists()
    assert temp_files(tracker_file.parent) == []


def test_import_through_a_symlinked_db_keeps_the_link(
    linked: Path, tracker_file: Path, cli: Cli, tmp_path: Path
) -> None:
    export = tmp_path / "export.json"
    assert cli("export", "json", "-o", str(export), db=linked)[0] == 0
    assert cli("note", KEY, "to be replaced", db=linked)[0] == 0
    code, _, err = cli("import", "--replace", str(export), db=linked)
    assert code == 0, err
    assert linked.is_symlink() and _notes(tracker_file) == []


def test_one_tracker_under_two_names_has_one_writer(linked: Path, tracker_file: Path) -> None:
    """Two people opening the same file by different names still exclude each other."""
    with Tracker.open(linked), pytest.raises(StoreLocked):
        Tracker.open(tracker_file)
    with Tracker.open(tracker_file), pytest.raises(StoreLocked):
        Tracker.open(linked)


# -- what an export must never replace -------------------------------------------------


@pytest.fixture
def fifo(tmp_path: Path) -> Iterator[tuple[Path, int]]:
    """A named pipe, with its reading end open (so a mistaken write cannot block the test:
    it would land in the pipe, where the test sees it)."""
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    reader = os.open(pipe, os.O_RDONLY | os.O_NONBLOCK)
    yield pipe, reader
    os.close(reader)


def _unread(reader: int) -> bytes:
    try:
        return os.read(reader, 65536)
    except BlockingIOError:
        return b""


@pytest.mark.parametrize("through_link", (False, True))
@pytest.mark.parametrize(
    "command", (["export", "json"], ["export", "csv"], ["brief", "--event", "oas-ga/2008"])
)
def test_output_onto_a_pipe_is_refused_even_with_force(
    tracker_file: Path,
    cli: Cli,
    fifo: tuple[Path, int],
    tmp_path: Path,
    command: list[str],
    through_link: bool,
) -> None:
    pipe, reader = fifo
    target = pipe
    if through_link:
        target = tmp_path / "link-to-pipe"
        target.symlink_to(pipe)
    code, out, err = cli(*command, "-o", str(target), "--force", db=tracker_file)
    assert code == 2
    assert "not a regular file" in err and "Traceback" not in err
    assert stat.S_ISFIFO(pipe.lstat().st_mode)
    assert target.is_symlink() == through_link
    assert _unread(reader) == b""
    assert temp_files(tmp_path) == []


def test_output_onto_a_folder_is_refused_even_with_force(
    tracker_file: Path, cli: Cli, tmp_path: Path
) -> None:
    folder = tmp_path / "a folder"
    folder.mkdir()
    code, _, err = cli("export", "json", "-o", str(folder), "--force", db=tracker_file)
    assert code == 2 and "folder" in err
    assert folder.is_dir() and list(folder.iterdir()) == []


def _tracker_parts(tracker_file: Path) -> dict[str, Path]:
    Tracker.open(tracker_file).close()  # a lock file, and a backup
    folder = tracker_file.parent
    alias = folder.parent / "alias.json"
    alias.symlink_to(tracker_file)
    legacy = folder / "tracker.json.bak"
    legacy.write_bytes(tracker_file.read_bytes())
    schema = folder / "tracker.json.schema-2.bak"
    schema.write_bytes(tracker_file.read_bytes())
    return {
        "tracker": tracker_file,
        "tracker by another path": folder / ".." / folder.name / "tracker.json",
        "tracker through a symlink": alias,
        "rotating backup": rotating_backups(tracker_file)[0].path,
        "backup of an older release": legacy,
        "backup before a migration": schema,
        "lock": folder / "tracker.json.lock",
    }


@pytest.mark.parametrize(
    "part",
    (
        "tracker",
        "tracker by another path",
        "tracker through a symlink",
        "rotating backup",
        "backup of an older release",
        "backup before a migration",
        "lock",
    ),
)
@pytest.mark.parametrize(
    "command", (["export", "json"], ["export", "markdown"], ["brief", "--event", "oas-ga/2008"])
)
def test_output_over_the_trackers_own_files_is_refused_even_with_force(
    tracker_file: Path, cli: Cli, part: str, command: list[str]
) -> None:
    target = _tracker_parts(tracker_file)[part]
    before = {p.name: p.read_bytes() for p in tracker_file.parent.iterdir()}
    code, _, err = cli(*command, "-o", str(target), "--force", db=tracker_file)
    assert code == 2, err
    assert "choose another output file" in err
    assert {p.name: p.read_bytes() for p in tracker_file.parent.iterdir()} == before


def test_output_over_the_tracker_named_through_a_symlinked_db_is_refused(
    linked: Path, tracker_file: Path, cli: Cli
) -> None:
    before = tracker_file.read_bytes()
    for target in (tracker_file, linked, rotating_backups(tracker_file)[0].path):
        code, _, err = cli("export", "json", "-o", str(target), "--force", db=linked)
        assert code == 2, (target, err)
    assert tracker_file.read_bytes() == before and linked.is_symlink()


# -- modes and owners ----------------------------------------------------------------


@pytest.mark.parametrize("mode", (0o640, 0o644, 0o660, 0o600))
def test_an_edit_keeps_the_trackers_mode(tracker_file: Path, cli: Cli, mode: int) -> None:
    tracker_file.chmod(mode)
    code, _, err = cli("note", KEY, "kept as it was", db=tracker_file)
    assert code == 0, err
    assert _mode(tracker_file) == mode
    assert _notes(tracker_file) == ["kept as it was"]


def test_export_force_keeps_the_replaced_files_mode(
    tracker_file: Path, cli: Cli, tmp_path: Path
) -> None:
    export = tmp_path / "shared.csv"
    export.write_text("old")
    export.chmod(0o644)
    assert cli("export", "csv", "-o", str(export), "--force", db=tracker_file)[0] == 0
    assert _mode(export) == 0o644 and export.read_text() != "old"


@pytest.mark.skipif(os.geteuid() != 0, reason="only root can give a file to another user")
@pytest.mark.parametrize("command", (["note", KEY, "root's edit"], ["import", "--replace"]))
def test_roots_edit_keeps_the_trackers_owner_and_group(
    tracker_file: Path, cli: Cli, tmp_path: Path, command: list[str]
) -> None:
    if command[0] == "import":
        export = tmp_path / "export.json"
        assert cli("export", "json", "-o", str(export), db=tracker_file)[0] == 0
        command = [*command, str(export)]
    os.chown(tracker_file, 4321, 8765)
    tracker_file.chmod(0o640)
    code, _, err = cli(*command, db=tracker_file)
    assert code == 0, err
    status = tracker_file.stat()
    assert (status.st_uid, status.st_gid) == (4321, 8765)
    assert stat.S_IMODE(status.st_mode) == 0o640


@pytest.fixture
def umask_022() -> Iterator[None]:
    """The common umask: new files would be 0644 and folders 0755 if we relied on it."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


@pytest.mark.usefixtures("umask_022")
def test_new_files_are_private_whatever_the_umask(cli: Cli, tmp_path: Path) -> None:
    db = tmp_path / "new" / "deeper" / "tracker.json"
    code, _, err = cli("note", KEY, "first", db=db)
    assert code == 0, err
    assert _mode(tmp_path / "new") == 0o700
    assert _mode(tmp_path / "new" / "deeper") == 0o700
    assert _mode(db) == 0o600
    assert _mode(db.with_name("tracker.json.lock")) == 0o600
    assert rotating_backups(db), "no backup was made"
    for backup in rotating_backups(db):
        assert _mode(backup.path) == 0o600
    for kind in ("json", "csv", "ics", "markdown"):
        export = tmp_path / f"export.{kind}"
        assert cli("export", kind, "-o", str(export), db=db)[0] == 0
        assert _mode(export) == 0o600
    brief = tmp_path / "brief.md"
    assert cli("brief", "--event", "oas-ga/2008", "-o", str(brief), db=db)[0] == 0
    assert _mode(brief) == 0o600
