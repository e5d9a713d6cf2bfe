"""Rotating backups of the tracker, each a copy of a file that had just loaded.

A backup is written from the bytes the tracker was read from, after they
parsed and built a tracker, never by copying the file again (it could have
changed in between). The copy is read back and compared before an older
backup is dropped, so a bad disk or a full one never leaves fewer good
backups than before. ``tracker.json.20081103-091500.bak``: the name sorts by
time; the newest five are kept.
"""

from __future__ import annotations

import contextlib
import os
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from store.files import atomic_write_bytes, write_target

KEEP = 5
_STAMP = "%Y%m%d-%H%M%S"


@dataclass(frozen=True)
class Backup:
    path: Path
    taken: datetime | None
    """When it was written (from its name); None for the older release's ``.bak``."""
    kind: str
    """``rotating``, ``single`` (``tracker.json.bak`` of earlier releases) or
    ``schema-N`` (the file as it was before a migration)."""


def _pattern(target: Path) -> re.Pattern[str]:
    return re.compile(re.escape(target.name) + r"\.(\d{8}-\d{6})(?:-(\d+))?\.bak")


def backups(path: Path) -> list[Backup]:
    """Every backup of the tracker at ``path``, newest first (rotating ones by time)."""
    target = Path(os.path.realpath(path))  # the tracker itself may be anything, even a pipe
    try:
        names = sorted(p.name for p in target.parent.iterdir())
    except OSError:
        return []
    pattern = _pattern(target)
    rotating = []
    for name in names:
        if match := pattern.fullmatch(name):
            try:
                taken = datetime.strptime(match[1], _STAMP)
            except ValueError:  # a name like ours but no date: not one of our backups
                continue
            rotating.append(
                (taken, int(match[2] or 1), Backup(target.parent / name, taken, "rotating"))
            )
    found = [backup for *_, backup in sorted(rotating, key=lambda r: r[:2], reverse=True)]
    if (single := target.with_name(target.name + ".bak")).name in names:
        found.append(Backup(single, None, "single"))
    schema = re.compile(re.escape(target.name) + r"\.schema-(\d+)(?:\.\d+)?\.bak")
    found += [
        Backup(target.parent / n, None, f"schema-{m[1]}")
        for n in names
        if (m := schema.fullmatch(n))
    ]
    return found


def rotating_backups(path: Path) -> list[Backup]:
    return [backup for backup in backups(path) if backup.kind == "rotating"]


def back_up(path: Path, content: bytes, now: datetime, *, spare: Path | None = None) -> Path | None:
    """Keep ``content`` (the bytes the tracker just loaded from) as the newest backup.

    Nothing is written when the newest backup already holds these bytes.
    Returns the new backup, or None. Raises OSError when it cannot be
    written or does not read back the same; older backups are then untouched.
    """
    existing = rotating_backups(path)
    if existing and _holds(existing[0].path, content):
        return None
    backup = _new_name(write_target(path), now)
    atomic_write_bytes(backup, content)
    if not _holds(backup, content):
        with contextlib.suppress(OSError):
            backup.unlink()
        raise OSError(f"the backup {backup} did not read back as written")
    for old in rotating_backups(path)[KEEP:]:
        if spare is not None and old.path.resolve() == spare.resolve():
            continue  # the backup being restored: kept until the next backup
        with contextlib.suppress(OSError):
            old.path.unlink()
    return backup


def tracker_part(candidate: Path, tracker: Path) -> str | None:
    """What ``candidate`` is to the tracker at ``tracker``, which an export must never replace
    (``the tracker file itself``, ``a backup of the tracker``…), or None."""
    try:
        target, other = write_target(tracker), candidate.expanduser().resolve()
    except OSError:
        return None
    if other.parent != target.parent.resolve():
        return None
    name, own = other.name, target.name
    if name == own:
        return "the tracker file itself"
    if name == f"{own}.lock":
        return "the tracker's lock file"
    if name.startswith(f"{own}.") and name.endswith(".bak"):
        return "a backup of the tracker"
    if name.startswith(f"{own}.unreadable-"):
        return "the copy restore kept of an unreadable tracker"
    return None


def _holds(path: Path, content: bytes) -> bool:
    try:
        return path.stat().st_size == len(content) and path.read_bytes() == content
    except OSError:
        return False


def _new_name(target: Path, now: datetime) -> Path:
    """A name that sorts after every backup there is, so rotation never drops the new one.

    Within one second the names go ``…-2``, ``…-3``; when the newest backup is stamped
    later than ``now`` (a clock set back, the repeated hour of a change of time) the
    new one takes its stamp and the next number.
    """
    stamp, number = now.replace(microsecond=0), 1
    newest = next(iter(rotating_backups(target)), None)
    if newest is not None and newest.taken is not None and newest.taken >= stamp:
        match = _pattern(target).fullmatch(newest.path.name)
        stamp, number = newest.taken, (int(match[2] or 1) + 1 if match else 2)
    while True:
        suffix = "" if number == 1 else f"-{number}"
        candidate = target.with_name(f"{target.name}.{stamp:{_STAMP}}{suffix}.bak")
        # lexists: a dangling symlink planted under the name would be written through.
        if not os.path.lexists(candidate):
            return candidate
        number += 1
