"""One writer per tracker file, and who it is.

The lock is ``filelock``'s (``flock`` on the ``.lock`` file beside the
tracker): the kernel drops it when its process ends, however it ends. The
lock file also holds a record of its holder (user, host, process, since),
cleared on a clean release: a record found by the next writer tells that
the last one was killed, and a refused writer learns whom to ask.
"""

from __future__ import annotations

import contextlib
import errno
import getpass
import json
import os
import socket
import stat
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from store.errors import StoreError, StoreLocked
from store.files import make_private_folder

if TYPE_CHECKING:
    from filelock import BaseFileLock


def lock_path(path: Path) -> Path:
    """The lock beside the file ``path`` names: through a symlink, beside its target, so
    that every name of one tracker takes the same lock."""
    if path.is_symlink():
        path = Path(os.path.realpath(path))
    return path.with_name(path.name + ".lock")


@dataclass(frozen=True)
class Holder:
    user: str
    host: str
    pid: int
    since: str
    """ISO date and time, local."""

    @classmethod
    def me(cls) -> Holder:
        return cls(_user(), socket.gethostname(), os.getpid(), _now())

    def describe(self) -> str:
        since = self.since[:16].replace("T", " ")
        return f"{self.user} on {self.host} (process {self.pid}, since {since})"


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return f"uid {os.getuid()}"


def _now() -> str:
    return datetime.now().astimezone().isoformat(timespec="seconds")


def read_holder(lock_file: Path) -> Holder | None:
    """The holder a lock file names, or None (no record, or not one of ours)."""
    try:
        record = json.loads(lock_file.read_text("utf-8"))
        user, host, since = (str(record[name]) for name in ("user", "host", "since"))
        return Holder(user, host, int(record["pid"]), since)
    except (OSError, ValueError, KeyError, TypeError):
        return None


class WriterLock:
    """The writer lock of one tracker file."""

    def __init__(self, path: Path) -> None:
        # Beside the real file: two symlinks to one tracker share one lock.
        self.path = lock_path(Path(os.path.realpath(path)))
        self.note: str | None = None
        """Set on acquire when the last writer stopped without releasing its lock."""
        self._lock = self._file_lock()
        self._identity: tuple[int, int] | None = None

    def _file_lock(self) -> BaseFileLock:
        # Imported here: readers such as `status` take no lock and skip its import cost.
        from filelock import FileLock

        return FileLock(str(self.path), timeout=0, mode=0o600)

    def acquire(self) -> None:
        from filelock import Timeout

        make_private_folder(self.path.parent)
        with contextlib.suppress(FileNotFoundError):
            status = self.path.lstat()
            if stat.S_ISDIR(status.st_mode) or stat.S_ISFIFO(status.st_mode):
                # A pipe would block the holder record's write; a folder cannot be locked.
                raise StoreError(
                    f"the lock file {self.path} is not a regular file; remove it to edit"
                )
        try:
            self._lock.acquire()
        except Timeout:
            raise StoreLocked(self.refusal()) from None
        except OSError as error:
            if error.errno != errno.ELOOP:
                raise
            raise StoreError(
                f"the lock file {self.path} is a symbolic link; cicte-tui does not follow it"
            ) from None
        left_behind = read_holder(self.path)
        if left_behind is not None:
            self.note = (
                f"the last cicte-tui to edit this tracker, {left_behind.describe()}, "
                "stopped without closing it; its lock was released"
            )
        try:
            self._record(Holder.me())
        except BaseException:
            self._lock.release()
            raise

    def refusal(self) -> str:
        holder = read_holder(self.path)
        who = f" ({holder.describe()})" if holder else ""
        return f"another cicte-tui is editing this tracker{who}; lock file {self.path}"

    def _record(self, holder: Holder | None) -> None:
        text = "" if holder is None else json.dumps(holder.__dict__)
        descriptor = os.open(self.path, os.O_WRONLY | getattr(os, "O_NOFOLLOW", 0))
        try:
            os.ftruncate(descriptor, 0)
            os.write(descriptor, text.encode("utf-8"))
            status = os.fstat(descriptor)
        finally:
            os.close(descriptor)
        self._identity = (status.st_dev, status.st_ino)

    def still_held(self) -> bool:
        """Whether the lock file is still the one this process locked (nobody deleted it)."""
        try:
            status = self.path.stat()
        except OSError:
            return False
        return self._identity == (status.st_dev, status.st_ino)

    def ensure_held(self) -> None:
        """Before a write: the lock is ours, or is taken again, or StoreLocked.

        A deleted lock file frees the tracker for anyone; when nobody took it,
        this process locks the new file and goes on (a change made meanwhile is
        caught by the revision check).
        """
        if self.still_held():
            return
        with contextlib.suppress(Exception):
            self._lock.release(force=True)
        self._lock = self._file_lock()
        self.acquire()
        self.note = None

    def release(self) -> None:
        with contextlib.suppress(OSError):
            if self.still_held():
                self._record(None)
        self._lock.release()
