"""The tracker file on disk: atomic writes, one writer at a time, schema version.

TinyDB's stock JSONStorage rewrites its file in place, so a crash mid-write
can leave half a file. This storage writes a temporary file beside the real
one, fsyncs it and renames it over the original, so the file on disk is
always either the old or the new version. It also keeps the parsed document
in memory: TinyDB asks its storage for the whole document on every query.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

SCHEMA_VERSION = 3
META_TABLE = "meta"

Document = dict[str, dict[str, Any]]


class StoreError(Exception):
    """A tracker file that cannot be used; the message is meant for the user."""


class StoreCorrupt(StoreError):
    """The file is not valid JSON, or not a tracker; it is left untouched."""


class StoreTooNew(StoreError):
    """The file was written by a newer cicte-tui."""


class StoreLocked(StoreError):
    """Another process is editing the file."""


def backup_path(path: Path) -> Path:
    return path.with_name(path.name + ".bak")


def schema_backup_path(path: Path, version: int) -> Path:
    """Where a file of an older schema is kept, as it was, before it is migrated."""
    return path.with_name(f"{path.name}.schema-{version}.bak")


def unused_path(path: Path) -> Path:
    """``path``, or ``NAME.2.bak``… when it exists: an earlier copy is never replaced."""
    candidate, number = path, 2
    while candidate.exists():
        candidate = path.with_name(f"{path.stem}.{number}{path.suffix}")
        number += 1
    return candidate


def lock_path(path: Path) -> Path:
    return path.with_name(path.name + ".lock")


def load_document(path: Path) -> Document | None:
    """The parsed file, migrated to this schema, or None when it does not exist yet."""
    document = read_document(path)
    return None if document is None else migrate(path, document)


def read_document(path: Path) -> Document | None:
    """The parsed file as it is on disk (any schema), or None when it does not exist yet."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as error:
        raise StoreError(f"cannot read {path}: {error.strerror or error}") from None
    if not raw.strip():
        # Our writes never leave an empty file: something else emptied it. Seeding
        # over it (and over its backup) would hide that the user's data is gone.
        raise StoreCorrupt(_corrupt(path, "the file is empty"))
    try:
        document = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as error:
        raise StoreCorrupt(_corrupt(path, f"byte {error.start} is not UTF-8")) from None
    except json.JSONDecodeError as error:
        where = f"line {error.lineno}, column {error.colno}: {error.msg}"
        raise StoreCorrupt(_corrupt(path, where)) from None
    _check_shape(path, document)
    return document  # type: ignore[no-any-return]


def _corrupt(path: Path, where: str) -> str:
    message = f"{path} is not a readable tracker ({where}). The file was left untouched."
    backup = backup_path(path)
    if backup.exists():
        message += f" The last good copy is {backup}."
    return message


def _check_shape(path: Path, document: object) -> None:
    tables_ok = isinstance(document, dict) and all(
        isinstance(table, dict) and all(isinstance(row, dict) for row in table.values())
        for table in document.values()
    )
    if not tables_ok or META_TABLE not in document:  # type: ignore[operator]
        raise StoreCorrupt(
            f"{path} is JSON but not a cicte-tui tracker file. The file was left untouched."
        )


def schema_version(document: Document) -> int:
    meta: dict[str, Any] = next(iter(document[META_TABLE].values()), {})
    version = meta.get("schema_version")
    return version if isinstance(version, int) else 0


def migrate(path: Path, document: Document) -> Document:
    version = schema_version(document)
    if version > SCHEMA_VERSION:
        raise StoreTooNew(
            f"{path} was written by a newer cicte-tui (schema {version}; this one reads "
            f"up to {SCHEMA_VERSION}). Upgrade cicte-tui; the file was left untouched."
        )
    if version < 1:
        raise StoreCorrupt(f"{path} has no schema version. The file was left untouched.")
    from store.migrations import MIGRATIONS  # only files of an older release pay for it

    while version < SCHEMA_VERSION:
        try:
            document = MIGRATIONS[version](document)
        except (KeyError, ValueError, TypeError, AttributeError, StopIteration) as error:
            raise StoreCorrupt(
                f"{path} (schema {version}) has a record cicte-tui cannot migrate "
                f"({type(error).__name__}: {error}). The file was left untouched."
            ) from None
        version += 1
    return document


def atomic_write_json(path: Path, document: object) -> None:
    """Replace ``path`` with ``document`` so that a crash leaves old or new, never half."""
    # No indent: only then does json use its C encoder (several times faster on big files).
    text = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_bytes(path: Path, content: bytes) -> None:
    """Temporary file beside ``path``, fsync, rename: the old file or the new, never half."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    _fsync_directory(path.parent)


def _fsync_directory(folder: Path) -> None:
    with contextlib.suppress(OSError):
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def write_backup(path: Path, backup: Path | None = None) -> None:
    """Keep a copy of a file that just parsed, as the last good version."""
    backup = backup or backup_path(path)
    temporary = backup.with_name(backup.name + ".tmp")
    shutil.copyfile(path, temporary)
    os.replace(temporary, backup)


class AtomicJSONStorage:
    """A TinyDB storage (duck-typed) over one JSON file, cached in memory."""

    def __init__(self, path: Path, *, read_only: bool = False) -> None:
        self.path = path
        self.read_only = read_only
        self._cache: Document | None = None
        self._loaded = False
        self._deferring = False
        self._pending = False
        self.migrated_from: int | None = None
        """The schema the file on disk has, when it was older than this release's."""

    @contextlib.contextmanager
    def batch(self) -> Iterator[None]:
        """Several TinyDB operations, one atomic write: all of them land or none.

        On an error inside the batch nothing is written and the cached
        document is dropped, so the next read sees the file as it is.
        """
        if self._deferring:  # nested: the outer batch writes
            yield
            return
        self._deferring, self._pending = True, False
        try:
            yield
        except BaseException:
            self._loaded = False
            raise
        finally:
            self._deferring = False
        if self._pending:
            assert self._cache is not None
            self.write(self._cache)

    def read(self) -> Document | None:
        if not self._loaded:
            document = read_document(self.path)
            if document is not None and schema_version(document) < SCHEMA_VERSION:
                self.migrated_from = schema_version(document)
            self._cache = None if document is None else migrate(self.path, document)
            self._loaded = True
        return self._cache

    def write(self, data: Document) -> None:
        if self.read_only:
            raise StoreLocked(f"{self.path} is open read-only; the change was not saved.")
        if self._deferring:
            self._cache, self._pending = data, True
            return
        try:
            atomic_write_json(self.path, data)
        except BaseException:
            # TinyDB mutated the cached document before writing: forget it,
            # so the next read sees what is really on disk.
            self._loaded = False
            raise
        self._cache = data

    def close(self) -> None:
        pass


class MemoryStorage(AtomicJSONStorage):
    """The same storage with nothing on disk, for tests and read-only seeds.

    Unlike the file storage it cannot roll a failed batch back (there is no
    file to reread) and it accepts writes even for a read-only tracker.
    """

    def __init__(self, document: Document | None = None) -> None:
        super().__init__(Path("<memory>"))
        self._cache = document
        self._loaded = True

    def read(self) -> Document | None:
        return self._cache

    def write(self, data: Document) -> None:
        self._cache = data


class WriterLock:
    """One writer per tracker file, across processes."""

    def __init__(self, path: Path) -> None:
        # Imported here: readers such as `status` take no lock and skip its import cost.
        from filelock import FileLock

        self.path = lock_path(path)
        self._lock = FileLock(str(self.path), timeout=0)

    def acquire(self) -> None:
        from filelock import Timeout

        try:
            self._lock.acquire()
        except Timeout:
            raise StoreLocked(
                f"another cicte-tui is editing this tracker (lock file {self.path})"
            ) from None

    def release(self) -> None:
        self._lock.release()
