"""Putting a backup back as the tracker, after keeping the file it replaces."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from store.backups import Backup, back_up, backups
from store.errors import StoreError
from store.files import atomic_write_bytes, write_target
from store.locking import WriterLock
from store.repository import loadable
from store.storage import (
    encode,
    revision,
    set_revision,
)


@dataclass(frozen=True)
class BackupState:
    backup: Backup
    size: int
    problem: str | None
    """Why it does not load; None when it does."""
    plans: int = 0
    items: int = 0


def survey(path: Path) -> list[BackupState]:
    """Every backup of the tracker at ``path``, newest first, each tried for loading."""
    return [_state(backup) for backup in backups(path)]


def _state(backup: Backup) -> BackupState:
    try:
        size = backup.path.stat().st_size
        document = loadable(backup.path)
    except (StoreError, OSError) as error:
        return BackupState(backup, 0, str(error))
    plans = len(document.get("plans", {}))
    return BackupState(backup, size, None, plans, len(document.get("obligations", {})))


def find_backup(path: Path, which: str) -> Path:
    """``which``: a number from ``restore --list`` (1 is the newest), a backup's name
    beside the tracker, or a path."""
    found = backups(path)
    if which.isdigit() and 1 <= int(which) <= len(found):
        return found[int(which) - 1].path
    if os.sep not in which:  # a name: beside the tracker, never in the current folder
        beside = Path(os.path.realpath(path)).parent / which
        if beside.exists():
            return beside
    elif (candidate := Path(which).expanduser()).exists():
        return candidate
    raise LookupError(f"no backup {which!r}; 'cicte-tui restore --list' shows them")


@dataclass(frozen=True)
class Restored:
    source: Path
    kept: Path | None
    """Where the file it replaced is now (a backup, or a copy of an unreadable file)."""
    plans: int
    items: int


def restore(path: Path, source: Path, now: datetime) -> Restored:
    """Make ``source`` the tracker at ``path``. The current file is kept first: as a
    backup when it loads, else as ``NAME.unreadable-STAMP``. Holds the writer lock."""
    document = loadable(source)
    lock = WriterLock(path)
    lock.acquire()
    try:
        kept, current_revision = _keep_current(path, now, spare=source)
        set_revision(document, max(revision(document), current_revision) + 1)
        atomic_write_bytes(path, encode(document), make_folder=True)
    finally:
        lock.release()
    return Restored(source, kept, len(document.get("plans", {})), len(document["obligations"]))


def _keep_current(path: Path, now: datetime, spare: Path) -> tuple[Path | None, int]:
    target = write_target(path)
    try:
        raw = target.read_bytes()
    except FileNotFoundError:
        return None, 0
    try:
        current = loadable(target)
    except StoreError:
        unreadable = target.with_name(f"{target.name}.unreadable-{now:%Y%m%d-%H%M%S}")
        atomic_write_bytes(unreadable, raw)
        return unreadable, 0
    kept = back_up(path, raw, now, spare=spare) or backups(path)[0].path
    return kept, revision(current)
