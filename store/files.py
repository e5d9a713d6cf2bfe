"""Files on disk as the user keeps them: written whole, private, never replaced by mistake.

Every file cicte-tui writes (the tracker, its backups, exports, logs) goes
through :func:`atomic_write_bytes`: a temporary file beside the target,
fsync, rename. Before the rename it takes the mode and owner of the file it
replaces, so a tracker shared at 0640 stays 0640; new files are 0600 and
new folders 0700. A symlink is written through (its target changes, the link
stays); anything that is not a regular file is refused.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import tempfile
from pathlib import Path

TEMP_SUFFIX = ".tmp"


class NotARegularFile(OSError):
    """The path names a device, a folder, a pipe…: never replaced, even with --force."""


def write_target(path: Path) -> Path:
    """The file a write to ``path`` really changes: a symlink's final target.

    Refuses (``NotARegularFile``) a target that exists and is not a regular file.
    """
    target = Path(os.path.realpath(path)) if path.is_symlink() else path
    try:
        status = target.stat()
    except FileNotFoundError:
        return target
    if not stat.S_ISREG(status.st_mode):
        raise NotARegularFile(f"{path} is not a regular file; cicte-tui will not replace it")
    return target


def make_private_folder(folder: Path) -> None:
    """``folder`` and any missing parent, each created 0700 (existing ones are left as they are)."""
    missing = []
    while not folder.exists():
        missing.append(folder)
        if folder.parent == folder:
            break
        folder = folder.parent
    for level in reversed(missing):
        with contextlib.suppress(FileExistsError):
            level.mkdir(mode=0o700)


def atomic_write_bytes(path: Path, content: bytes, *, make_folder: bool = False) -> os.stat_result:
    """Replace ``path`` with ``content``: the old file or the new, never half.

    ``make_folder``: create a missing folder (0700) rather than fail. Returns
    the status of the file as written (to notice a later change by someone else).
    """
    target = write_target(path)
    if make_folder:
        make_private_folder(target.parent)
    kept = _status_or_none(target)
    handle, temporary = tempfile.mkstemp(
        dir=target.parent, prefix=temp_prefix(target), suffix=TEMP_SUFFIX
    )
    try:
        with os.fdopen(handle, "wb") as stream:
            if kept is not None:
                _keep_mode_and_owner(stream.fileno(), kept)
            stream.write(content)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, target)
        written = target.stat()  # after the rename, which changes its ctime
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    fsync_folder(target.parent)
    return written


def temp_prefix(target: Path) -> str:
    return f".{target.name}."


def _status_or_none(path: Path) -> os.stat_result | None:
    try:
        return path.stat()
    except FileNotFoundError:
        return None


def _keep_mode_and_owner(descriptor: int, kept: os.stat_result) -> None:
    os.fchmod(descriptor, stat.S_IMODE(kept.st_mode))
    if (kept.st_uid, kept.st_gid) != (os.getuid(), os.getgid()):
        # Only root (or the owner, for a group it belongs to) may give a file away;
        # anyone else keeps the new file as their own, which is all they could do.
        with contextlib.suppress(PermissionError):
            os.fchown(descriptor, kept.st_uid, kept.st_gid)


def fsync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable (a crash after it cannot undo it)."""
    with contextlib.suppress(OSError):
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def stale_temp_files(path: Path) -> list[Path]:
    """This program's own temporary files beside ``path`` (left by a kill mid-write).

    Only names :func:`atomic_write_bytes` makes for ``path`` and its backups
    (``.tracker.json.<random>.tmp``, ``.tracker.json.<stamp>.bak.<random>.tmp``)
    and the older release's ``tracker.json.bak.tmp``.
    """
    target = write_target(path)
    pattern = re.compile(
        re.escape(temp_prefix(target))
        + r"(?:[^/]*\.bak\.)?[A-Za-z0-9_]{8}"
        + re.escape(TEMP_SUFFIX)
    )
    try:
        names = os.listdir(target.parent)
    except OSError:
        return []
    legacy = f"{target.name}.bak.tmp"  # the single backup's temporary name in earlier releases
    return [target.parent / n for n in names if pattern.fullmatch(n) or n == legacy]


def remove_stale_temp_files(path: Path) -> list[Path]:
    """Remove what :func:`stale_temp_files` finds; the caller holds the writer lock."""
    removed = []
    for temporary in stale_temp_files(path):
        with contextlib.suppress(FileNotFoundError):
            if temporary.is_file() and not temporary.is_symlink():
                temporary.unlink()
                removed.append(temporary)
    return removed
