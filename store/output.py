"""Output files of the one-shot commands and the app: written whole, never over the tracker.

A format (``store.formats``) turns records into bytes; this module puts them
in a file (atomically, refusing anything but a regular file, and never the
tracker, its backups or its lock) or on standard output.
"""

from __future__ import annotations

import sys
from pathlib import Path

from store.backups import tracker_part
from store.files import NotARegularFile, atomic_write_bytes, write_target

STDOUT = "-"
"""The output name that means standard output."""


class OutputError(ValueError):
    """An output file that cannot or must not be written; the message says which and why."""


def write_output(
    target: str, content: bytes, *, force: bool = False, protect: Path | None = None
) -> Path | None:
    """Write ``content`` to the file ``target`` (atomically), or to stdout for ``-``.

    An existing file is kept unless ``force``. Never replaced, even with
    ``force``: anything but a regular file (a device, a folder…), and the
    tracker ``protect``, its backups and its lock. A symlink is written
    through. Returns the path written, or None for stdout.
    """
    if target == STDOUT:
        _write_stdout(content)
        return None
    path = Path(target).expanduser()
    if path.is_dir():
        raise OutputError(f"{path} is a folder; give a file name")
    if protect is not None and (part := tracker_part(path, protect)) is not None:
        raise OutputError(f"{path} is {part}; choose another output file")
    try:
        write_target(path)
    except NotARegularFile as error:
        raise OutputError(str(error)) from None
    if path.exists() and not force:
        raise OutputError(f"{path} already exists; add --force to overwrite it")
    try:
        atomic_write_bytes(path, content)
    except OSError as error:
        raise OutputError(f"cannot write {path}: {error.strerror or error}") from None
    return path


def _write_stdout(content: bytes) -> None:
    # Bytes, not text: standard output carries the same UTF-8 as a file
    # would, whatever the terminal's locale.
    sys.stdout.flush()
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:
        sys.stdout.write(content.decode("utf-8"))
    else:
        buffer.write(content)
        buffer.flush()
