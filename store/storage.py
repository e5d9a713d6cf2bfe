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
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from store.errors import StoreCorrupt, StoreError, StoreLocked, StoreTooNew, UnreadableFile
from store.files import atomic_write_bytes
from store.rows import EncodedRows, encode_value
from store.text import may_hold_controls, scrub_tree

__all__ = ["StoreCorrupt", "StoreError", "StoreLocked", "StoreTooNew"]

SCHEMA_VERSION = 3
META_TABLE = "meta"
PLANS = "plans"
"""One row per plan year: the plan document and its reference material."""
OBLIGATIONS = "obligations"
SERIES = "series"
"""Meeting series, each with its dated sessions (schema 1 had ``events``)."""
CHANGES = "changes"

Document = dict[str, dict[str, Any]]


class StoreConflict(StoreError):
    """The file changed on disk since this process read it: someone else wrote it.

    Carries both sides, so the tracker can re-apply the edit on top of theirs.
    """

    def __init__(
        self, path: Path, mine: Document, theirs: Document, seen: FileState, raw: bytes
    ) -> None:
        super().__init__(f"{path} was changed by another program since it was read")
        self.mine = mine
        self.theirs = theirs
        self.seen = seen
        self.raw = raw
        """Their file as it is on disk."""


@dataclass(frozen=True)
class FileState:
    """What tells one version of a file from another without reading it.

    The change time counts: no tool can set it back (``cp -p`` and ``rsync -t``
    restore the modification time of a file they rewrite, not its ctime).
    """

    device: int
    inode: int
    size: int
    modified_ns: int
    changed_ns: int

    @classmethod
    def of(cls, status: os.stat_result) -> FileState:
        return cls(
            status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns, status.st_ctime_ns
        )


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


def load_document(path: Path) -> Document | None:
    """The parsed file, migrated to this schema, or None when it does not exist yet."""
    document = read_document(path)
    return None if document is None else migrate(path, document)


def read_document(path: Path) -> Document | None:
    """The parsed file as it is on disk (any schema), or None when it does not exist yet."""
    try:
        raw = read_bytes_within_limit(path)
    except FileNotFoundError:
        return None
    except OSError as error:
        raise StoreError(f"cannot read {path}: {error.strerror or error}") from None
    return _parse_tracker(path, raw)


def read_bytes_within_limit(path: Path) -> bytes:
    """A tracker file's bytes (see :func:`read_limited`). It must be a regular file:
    reading a pipe would wait for a writer that never comes."""
    if not stat.S_ISREG(path.stat().st_mode):
        raise StoreError(f"{path} is not a regular file; a tracker is a file")
    return read_limited(path)


def read_limited(path: Path) -> bytes:
    """At most one byte more than the size limit (parse_json refuses those), in one
    bounded read: a stream that never ends (``/dev/zero``) cannot fill the memory."""
    with path.open("rb") as stream:
        return stream.read(MAX_FILE_BYTES + 1)


MAX_FILE_BYTES = 64 * 1024 * 1024
"""Ten thousand items take about 10 MB; a bigger file is not a tracker (or export)."""


def parse_json(raw: bytes, refuse: Callable[[str], Exception]) -> Any:
    """The JSON value of a tracker or export file, with every string safe to print.

    ``refuse`` turns what is wrong (``line 3, column 7: …``) into the error to raise.
    A hand-edited file can carry terminal escapes: they are removed here, on the
    way in, whatever the file's origin.
    """
    if len(raw) > MAX_FILE_BYTES:
        raise refuse(f"it is over {MAX_FILE_BYTES // 2**20} MB, the most cicte-tui reads")
    try:
        value = _loads(raw)
        text = raw.decode("utf-8")  # after: orjson's working copy is gone by then
    except UnicodeDecodeError as error:
        raise refuse(f"byte {error.start} is not UTF-8") from None
    except json.JSONDecodeError as error:
        raise refuse(f"line {error.lineno}, column {error.colno}: {error.msg}") from None
    except RecursionError:
        raise refuse("it is nested too deeply to be a tracker") from None
    if may_hold_controls(text):
        try:
            value = scrub_tree(value)
        except RecursionError:
            raise refuse("it is nested too deeply to be a tracker") from None
    return value


def _loads(raw: bytes) -> Any:
    """orjson parses a tracker in half the time. What it refuses (bytes that are not
    UTF-8, a lone surrogate escape, NaN, deep nesting, any syntax error) goes to the
    standard parser, so what loads and how an error reads stay as they were. One
    difference is left: an integer past 64 bits reads as a float (no field of ours
    holds one; a year that large is refused either way)."""
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError:
        return json.loads(raw.decode("utf-8"))


def _corrupt(path: Path, where: str) -> UnreadableFile:
    # Which backup would restore it is added by ``Tracker.open``: it takes a tracker to know.
    return UnreadableFile(
        f"{path} is not a readable tracker ({where}). The file was left untouched."
    )


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


def atomic_write_json(path: Path, document: object) -> os.stat_result:
    """Replace ``path`` with ``document`` so that a crash leaves old or new, never half."""
    return atomic_write_bytes(path, encode(document), make_folder=True)


def encode(document: object) -> bytes:
    """The file's bytes for ``document``: compact UTF-8 JSON (see ``encode_value``)."""
    return encode_value(document)


def pretty(value: object) -> str:
    """Indented JSON for people and scripts: what ``json.dumps(value, ensure_ascii=False,
    indent=2)`` gives, in a fraction of the time (a 10,000-item export or status)."""
    try:
        return orjson.dumps(value, option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS).decode()
    except (orjson.JSONEncodeError, TypeError):  # a lone surrogate, an integer past 64 bits
        return json.dumps(value, ensure_ascii=False, indent=2)


def revision(document: Document) -> int:
    """How many times cicte-tui has written the file (0 for a file of an earlier release)."""
    meta: dict[str, Any] = next(iter(document[META_TABLE].values()), {})
    value = meta.get("revision", 0)
    return value if isinstance(value, int) else 0


def set_revision(document: Document, value: int) -> None:
    meta = next(iter(document[META_TABLE].values()), None)
    if meta is not None:
        meta["revision"] = value


class AtomicJSONStorage:
    """A TinyDB storage (duck-typed) over one JSON file, cached in memory.

    It remembers the bytes it last read or wrote and the file's state then:
    before each write it checks that the file is still that one, so a change
    made by someone else is never silently overwritten (``StoreConflict``).
    """

    def __init__(self, path: Path, *, read_only: bool = False) -> None:
        self.path = path
        self.read_only = read_only
        self._cache: Document | None = None
        self._loaded = False
        self._deferring = False
        self._pending = False
        self.migrated_from: int | None = None
        """The schema the file on disk has, when it was older than this release's."""
        self.raw: bytes | None = None
        """The file as last read or written: what a backup keeps, the base of a merge."""
        self._seen: FileState | None = None
        self._encoded = EncodedRows(lambda table: table == META_TABLE)
        self.news: list[str] = []
        """What the user should hear about a write (the file had vanished); the tracker
        passes it on."""
        self.before_write: Callable[[], None] = lambda: None
        """Checks the writer still holds its lock (set by the tracker that holds it)."""

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
            self.write_touched(self._cache)  # a plain write in the batch forgot the rows

    def read(self) -> Document | None:
        if not self._loaded:
            self._cache = self._read_file()
            self._loaded = True
        return self._cache

    def _read_file(self) -> Document | None:
        try:
            state = FileState.of(self.path.stat())
            raw = read_bytes_within_limit(self.path)
        except FileNotFoundError:
            self.raw, self._seen = None, None
            return None
        except OSError as error:
            raise StoreError(f"cannot read {self.path}: {error.strerror or error}") from None
        document = _parse_tracker(self.path, raw)
        if schema_version(document) < SCHEMA_VERSION:
            self.migrated_from = schema_version(document)
        document = migrate(self.path, document)
        self.raw, self._seen = raw, state
        return document

    def base(self) -> Document | None:
        """The document as this process last read or wrote it."""
        return None if self.raw is None else migrate(self.path, _parse_tracker(self.path, self.raw))

    def touch(self, table: str, row_id: str) -> None:
        """A table's write changed this row (see ``store.rows``)."""
        self._encoded.touch(table, row_id)

    def write(self, data: Document) -> None:
        """Write ``data``, changed in any way: it is encoded whole."""
        self._encoded.forget()
        self.write_touched(data)

    def write_touched(self, data: Document) -> None:
        """Write ``data``, changed only in the rows reported by :meth:`touch`."""
        if self.read_only:
            raise StoreLocked(f"{self.path} is open read-only; the change was not saved.")
        if self._deferring:
            self._cache, self._pending = data, True
            return
        try:
            self.before_write()
            self._check_unchanged(data)
            self._write_now(data)
        except OSError as error:
            self._loaded = False
            raise StoreError(
                f"cannot write {self.path}: {error.strerror or error}; "
                "the file was left as it was and the change was not saved"
            ) from error
        except BaseException:
            # TinyDB mutated the cached document before writing: forget it,
            # so the next read sees what is really on disk.
            self._loaded = False
            raise

    def _check_unchanged(self, mine: Document) -> None:
        try:
            state: FileState | None = FileState.of(self.path.stat())
        except FileNotFoundError:
            state = None  # deleted or moved away: writing puts the tracker back
        if state is None and self._seen is not None:
            self.news.append(
                f"{self.path} had been deleted or moved away; it was written again "
                "from the records this cicte-tui holds"
            )
        if state is None or state == self._seen:
            return
        raw = read_bytes_within_limit(self.path)
        if raw == self.raw:  # touched, or copied over with the same content
            self._seen = state
            return
        theirs = migrate(self.path, _parse_tracker(self.path, raw))
        raise StoreConflict(self.path, mine, theirs, state, raw)

    def _write_now(self, data: Document) -> None:
        set_revision(data, revision(data) + 1)
        content = self._encoded.encode(data)
        if len(content) > MAX_FILE_BYTES:
            # Saved, it would not open again: refuse the edit that would cross the limit.
            raise StoreError(
                f"the tracker would grow to {len(content) / 2**20:.0f} MB, over the "
                f"{MAX_FILE_BYTES // 2**20} MB cicte-tui reads; the change was not saved"
            )
        self._seen = FileState.of(atomic_write_bytes(self.path, content, make_folder=True))
        self.raw, self._cache, self._loaded = content, data, True

    def write_over(self, conflict: StoreConflict, document: Document) -> None:
        """Write ``document`` (mine merged with theirs) over the version the conflict found."""
        set_revision(document, revision(conflict.theirs))
        self._seen = conflict.seen
        self.raw = encode(conflict.theirs)
        self._loaded = False
        self.write(document)

    def take_theirs(self, conflict: StoreConflict) -> None:
        """Drop my edit: what is on disk is what this process shows and writes over next."""
        self._cache, self._loaded = conflict.theirs, True
        self._seen, self.raw = conflict.seen, encode(conflict.theirs)

    def keep_base(self) -> None:
        """Drop my edit but keep showing the file as it was read; the next write asks again."""
        self._cache, self._loaded = self.base(), True

    def close(self) -> None:
        pass


def _parse_tracker(path: Path, raw: bytes) -> Document:
    if not raw.strip():
        # Our writes never leave an empty file: something else emptied it. Seeding
        # over it (and over its backup) would hide that the user's data is gone.
        raise _corrupt(path, "the file is empty")
    document = parse_json(raw, lambda where: _corrupt(path, where))
    _check_shape(path, document)
    return document  # type: ignore[no-any-return]


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

    def write_touched(self, data: Document) -> None:
        self._cache = data
