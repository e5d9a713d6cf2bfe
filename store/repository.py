"""The user's tracker file: the only module that talks to TinyDB.

The file is read and parsed once; afterwards every query is answered from
the dataclasses held here, and every edit writes one document through the
atomic storage.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

from tinydb.table import Table

from store.backups import back_up, backups
from store.documents import (
    Doc,
    change_from_doc,
    change_to_doc,
    obligation_from_doc,
    obligation_to_doc,
    plan_from_doc,
    plan_to_doc,
    reference_from_doc,
    reference_to_doc,
    series_from_doc,
    series_to_doc,
)
from store.errors import UnreadableFile
from store.files import atomic_write_bytes, remove_stale_temp_files
from store.locking import WriterLock
from store.model import Change, MeetingSeries, Obligation, PlanInfo, PlanReference
from store.plan_data import EmbeddedPlan, embedded_plan
from store.rows import RowDB
from store.settling import SettlesConflicts
from store.snapshot import ReadsRecords
from store.storage import (
    CHANGES,
    META_TABLE,
    OBLIGATIONS,
    PLANS,
    SCHEMA_VERSION,
    SERIES,
    AtomicJSONStorage,
    Document,
    MemoryStorage,
    StoreCorrupt,
    StoreError,
    StoreLocked,
    migrate,
    read_document,
    revision,
    schema_backup_path,
    set_revision,
    unused_path,
)


def seed_document(seed: EmbeddedPlan | None = None) -> Document:
    """A whole tracker file holding the embedded plan, untouched by any user."""
    seed = seed or embedded_plan()
    meta = {"schema_version": SCHEMA_VERSION, "seeded_from": seed.plan.symbol}
    year = seed.plan.year
    return {
        META_TABLE: {"1": meta},
        PLANS: {"1": plan_row(seed.plan, seed.reference)},
        OBLIGATIONS: {
            str(i): obligation_to_doc(replace(o, plan_year=year))
            for i, o in enumerate(seed.obligations, 1)
        },
        SERIES: {str(i): series_to_doc(m) for i, m in enumerate(seed.meetings, 1)},
    }


def plan_row(plan: PlanInfo, reference: PlanReference) -> Doc:
    return {"plan": plan_to_doc(plan), "reference": reference_to_doc(reference)}


class Tracker(SettlesConflicts, ReadsRecords):
    """Plans, obligations and meeting series of one tracker file, loaded once.

    A tracker holds one plan per year. One of them is *active* (``select``):
    iterating, ``find``, ``plan`` and the edits work on its obligations.
    Meeting series are shared by every year. The mappings are read by the
    queries of ``ReadsRecords``; only this class's edits change them.
    """

    plans: dict[int, PlanInfo]
    references: dict[int, PlanReference]
    by_year: dict[int, dict[str, Obligation]]
    change_log: list[Change]
    changes_by_key: dict[str, list[Change]]
    meetings: dict[str, MeetingSeries]
    """Meeting series by key, each with its sessions."""

    def __init__(
        self,
        storage: AtomicJSONStorage,
        *,
        path: Path | None = None,
        lock: WriterLock | None = None,
        read_only: bool = False,
    ) -> None:
        self.path = path
        self.read_only = read_only
        self._lock = lock
        self._storage = storage
        self.warnings: list[str] = []
        """Lasting problems to show while the tracker is open (no backup could be written)."""
        self.notices: list[str] = []
        """One-off news for the user (a stale lock released, a change on disk merged);
        whoever shows them empties the list."""
        self.reloaded = False
        """Set when an edit met a change made on disk and the records were read again: every
        view of them is stale (whoever refreshes them clears it)."""
        self._load()

    def _load(self) -> None:
        """Read everything once into dataclasses; queries never touch TinyDB again.

        Valid JSON with a record we cannot read is refused as bad JSON is, at
        open and whenever the file is read again (a change made on disk).
        """
        try:
            self._read_records()
        except (KeyError, ValueError, TypeError, AssertionError) as error:
            problem = str(error) if isinstance(error, ValueError) else repr(error)
            raise StoreCorrupt(
                f"{self.path or 'the tracker'} has a record cicte-tui cannot read ({problem}). "
                "The file was left untouched."
            ) from None

    def _read_records(self) -> None:
        """Build every record first, then swap them in at once: a file that cannot be read
        leaves the records as they were, and a reader never sees half of them."""
        storage = self._storage
        db = RowDB(storage=lambda: storage)
        # Rows are read from the document itself: TinyDB's ``all()`` copies each one.
        tables = storage.read() or {}
        plans: dict[int, PlanInfo] = {}
        references: dict[int, PlanReference] = {}
        plan_ids: dict[int, int] = {}
        for doc_id, row in _rows(tables, PLANS):
            plan = plan_from_doc(row["plan"])
            plans[plan.year] = plan
            references[plan.year] = reference_from_doc(row.get("reference", {}))
            plan_ids[plan.year] = doc_id
        if not plans:
            raise KeyError("the tracker holds no plan")
        plans = dict(sorted(plans.items()))
        by_year: dict[int, dict[str, Obligation]] = {year: {} for year in plans}
        obligation_ids: dict[tuple[int, str], int] = {}
        for doc_id, row in _rows(tables, OBLIGATIONS):
            obligation = obligation_from_doc(row)
            by_year[obligation.plan_year][obligation.key] = obligation
            obligation_ids[obligation.plan_year, obligation.key] = doc_id
        meetings: dict[str, MeetingSeries] = {}
        series_ids: dict[str, int] = {}
        for doc_id, row in _rows(tables, SERIES):
            series = series_from_doc(row)
            meetings[series.key] = series
            series_ids[series.key] = doc_id
        changes = [change_from_doc(row) for _, row in _rows(tables, CHANGES)]
        self._db = db
        self.plans, self.references, self._plan_ids = plans, references, plan_ids
        self.by_year, self._obligation_ids = by_year, obligation_ids
        self.meetings, self._series_ids = meetings, series_ids
        self.change_log = []
        self.changes_by_key = {}
        for change in changes:
            self._remember(change)
        if getattr(self, "year", None) not in self.plans:
            self.year = max(self.plans)

    # -- plan years ----------------------------------------------------------

    def select(self, year: int) -> None:
        """Make the plan of ``year`` the one queries and edits work on."""
        if year not in self.plans:
            held = ", ".join(str(y) for y in self.plans)
            raise KeyError(f"the tracker holds no {year} plan (it holds {held})")
        self.year = year

    def year_for(self, today: date) -> int:
        """The plan whose year holds ``today``, else the latest before it, else the first."""
        before = [year for year in self.plans if year <= today.year]
        return max(before) if before else min(self.plans)

    # -- opening -----------------------------------------------------------

    @classmethod
    def open(cls, path: Path, *, read_only: bool = False) -> Tracker:
        """Open a tracker file, seeding it with the embedded plan on first use.

        A writer holds the file's lock until :meth:`close` (``StoreLocked``
        when another process holds it). A reader takes no lock and never
        writes; on a file that does not exist yet it shows the embedded plan.
        """
        path = path.expanduser()
        try:
            return cls._open(path, read_only)
        except UnreadableFile as error:
            if (good := newest_loadable_backup(path)) is not None:
                raise UnreadableFile(
                    f"{error} The newest good backup is {good}: "
                    f"'cicte-tui restore {good.name} --db {path}' puts it back."
                ) from None
            raise
        except OSError as error:  # no such folder, no permission, disk full…
            reason = error.strerror or str(error)
            raise StoreError(f"cannot use the tracker file {path}: {reason}") from None

    @classmethod
    def _open(cls, path: Path, read_only: bool) -> Tracker:
        lock = None if read_only else WriterLock(path)
        if lock is not None:
            lock.acquire()
        try:
            return cls._open_locked(path, lock)
        except BaseException:
            if lock is not None:
                lock.release()
            raise

    @classmethod
    def _open_locked(cls, path: Path, lock: WriterLock | None) -> Tracker:
        read_only = lock is None
        notices = [lock.note] if lock is not None and lock.note else []
        if lock is not None and (removed := remove_stale_temp_files(path)):
            notices.append(f"removed {len(removed)} temporary file(s) left by an interrupted save")
        storage = AtomicJSONStorage(path, read_only=read_only)
        document = storage.read()
        if document is None and read_only:
            storage = MemoryStorage(seed_document())
        elif document is None:
            storage.write(seed_document())
        tracker = cls(storage, path=path, lock=lock, read_only=read_only)
        tracker.notices = notices
        if lock is not None:
            assert isinstance(storage, AtomicJSONStorage)
            tracker.warnings += _made_ready_for_writing(storage, document, path, lock)
        return tracker

    def become_writer(self) -> bool:
        """A tracker opened read-only because another cicte-tui was editing it: once that
        one has gone, take the lock and read the file again. Whether it is writable now."""
        if not self.read_only or self.path is None:
            return not self.read_only
        try:
            writer = Tracker.open(self.path)
        except StoreLocked:
            return False
        self._storage, self._lock, writer._lock = writer._storage, writer._lock, None
        self.read_only, self.warnings = False, writer.warnings
        self.notices += writer.notices
        self._load()
        self.reloaded = True
        return True

    @classmethod
    def in_memory(cls, document: Document | None = None) -> Tracker:
        """A tracker with no file behind it (tests, previews)."""
        return cls(MemoryStorage(document or seed_document()))

    def close(self) -> None:
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def __enter__(self) -> Tracker:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    # -- queries (from memory) --------------------------------------------

    def next_order(self) -> int:
        return max((o.order for o in self.obligations.values()), default=0) + 1

    # -- edits (one atomic write each) -------------------------------------

    def log_change(self, change: Change) -> None:
        with self.transaction():
            self._db.table(CHANGES).insert(change_to_doc(change))
            self._remember(change)

    def _remember(self, change: Change) -> None:
        self.change_log.append(change)
        self.changes_by_key.setdefault(change.key, []).append(change)

    def save_obligation(self, obligation: Obligation) -> None:
        """Insert or replace an obligation, by plan year and key (the active plan's when
        it has none yet)."""
        if not obligation.plan_year:
            obligation = replace(obligation, plan_year=self.year)
        year = obligation.plan_year
        with self.transaction():
            _upsert(
                self._db.table(OBLIGATIONS),
                self._obligation_ids,
                (year, obligation.key),
                obligation_to_doc(obligation),
            )
            self.by_year[year][obligation.key] = obligation

    def delete_obligation(self, key: str, year: int | None = None) -> None:
        year = self.year if year is None else year
        with self.transaction():
            self._db.table(OBLIGATIONS).remove(doc_ids=[self._obligation_ids.pop((year, key))])
            del self.by_year[year][key]

    def obligation_in(self, year: int, key: str) -> Obligation:
        return self.by_year[year][key]

    def add_plan(
        self, plan: PlanInfo, reference: PlanReference, obligations: list[Obligation]
    ) -> None:
        """A new plan year with its obligations, in one write."""
        if plan.year in self.plans:
            raise KeyError(f"the tracker already holds a {plan.year} plan")
        with self.transaction():
            self._plan_ids[plan.year] = self._db.table(PLANS).insert(plan_row(plan, reference))
            self.plans = dict(sorted({**self.plans, plan.year: plan}.items()))
            self.references[plan.year] = reference
            self.by_year[plan.year] = {}
            for obligation in obligations:
                self.save_obligation(replace(obligation, plan_year=plan.year))

    def save_plan(self, plan: PlanInfo) -> None:
        """Replace a plan's own details (symbol, title…), by year."""
        with self.transaction():
            row = plan_row(plan, self.references[plan.year])
            self._db.table(PLANS).update(_replacing(row), doc_ids=[self._plan_ids[plan.year]])
            self.plans[plan.year] = plan

    def save_series(self, series: MeetingSeries) -> None:
        with self.transaction():
            _upsert(self._db.table(SERIES), self._series_ids, series.key, series_to_doc(series))
            self.meetings[series.key] = series

    def delete_series(self, key: str) -> None:
        with self.transaction():
            self._db.table(SERIES).remove(doc_ids=[self._series_ids.pop(key)])
            del self.meetings[key]

    def replace_document(self, document: Document) -> None:
        """Swap the whole file for ``document`` (an import), in one atomic write.

        The caller validates ``document`` first; the in-memory records are
        rebuilt from it.
        """
        set_revision(document, revision(self._storage.read() or document))
        try:
            with self.transaction():
                self._storage.write(document)
        except OSError as error:
            raise StoreError(f"cannot write {self.path}: {error.strerror or error}") from None
        self._load()

    def raw_document(self) -> Document:
        """The whole stored document (for export), as TinyDB holds it."""
        document = self._storage.read()
        assert document is not None
        return document


def _made_ready_for_writing(
    storage: AtomicJSONStorage, document: Document | None, path: Path, lock: WriterLock
) -> list[str]:
    """A file just opened for writing: migrated for good (the older release's file kept
    first), backed up, its writes guarded by the lock. Returns what stays worth saying."""
    warnings = []
    if storage.migrated_from is not None:
        # Only a migration that reads back whole is written, after the older
        # release's file is kept as it was; then one atomic write replaces it.
        assert document is not None and storage.raw is not None
        atomic_write_bytes(
            unused_path(schema_backup_path(path, storage.migrated_from)), storage.raw
        )
        storage.write(document)
    assert storage.raw is not None
    try:
        back_up(path, storage.raw, datetime.now())
    except OSError as error:
        warnings.append(
            f"no backup could be written ({error.strerror or error}); your edits are saved, "
            "but there is no fresh copy to go back to"
        )
    storage.before_write = lock.ensure_held
    return warnings


def _rows(tables: Document, name: str) -> Iterable[tuple[int, Doc]]:
    """(row id, row) of a table, in the order TinyDB keeps them.

    A hand-edited id such as ``"02"`` is stored again as TinyDB writes it (``"2"``):
    edits find a row by that form, and would otherwise miss it. (TinyDB's own
    tables renumbered the whole table on their first write, the last row of an id
    winning; so does this.)
    """
    table = tables.get(name, {})
    ids = [int(row_id) for row_id in table]
    if any(str(doc_id) != row_id for doc_id, row_id in zip(ids, table, strict=True)):
        table = tables[name] = {str(i): row for i, row in zip(ids, table.values(), strict=True)}
        ids = [int(row_id) for row_id in table]
    return zip(ids, table.values(), strict=True)


def _upsert(table: Table, doc_ids: dict[Any, int], key: Any, doc: Doc) -> None:
    """Replace the document stored under ``key``, or insert it."""
    doc_id = doc_ids.get(key)
    if doc_id is None:
        doc_ids[key] = table.insert(doc)
    else:
        table.update(_replacing(doc), doc_ids=[doc_id])


def _replacing(doc: Doc) -> Any:
    """A TinyDB update that makes the stored document exactly ``doc``."""

    def replace(stored: dict[str, Any]) -> None:
        stored.clear()
        stored.update(doc)

    return replace


def newest_loadable_backup(path: Path) -> Path | None:
    """The newest backup of ``path`` that loads whole (``restore`` would take it), or None."""
    for backup in backups(path):
        try:
            loadable(backup.path)
        except (StoreError, OSError):
            continue
        return backup.path
    return None


def loadable(path: Path) -> Document:
    """The document in ``path``, once a whole tracker has been built from it."""
    document = read_document(path)
    if document is None:
        raise StoreError(f"{path} does not exist")
    document = migrate(path, document)
    try:
        Tracker.in_memory(document)
    except (KeyError, ValueError, TypeError, AssertionError) as error:
        raise StoreCorrupt(f"{path} has a record cicte-tui cannot read ({error!r})") from None
    return document
