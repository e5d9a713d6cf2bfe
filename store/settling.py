"""An edit that meets a change made on disk meanwhile: merged, or held for the user.

``Tracker`` writes through ``transaction``; when the file changed under it
(another program, a hand edit), the edit is made on top of that change when
the two do not clash, and otherwise waits for the user's choice (``settle``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Literal

from store.backups import back_up
from store.storage import AtomicJSONStorage, Document, MemoryStorage, StoreConflict, StoreError
from store.three_way import three_way_merge

ConflictChoice = Literal["reload", "mine", "cancel"]
"""What the user makes of a clash with a change made on disk: take the file as it is
now (dropping the edit), keep my version of what clashes, or neither for now."""


@dataclass(frozen=True)
class PendingConflict:
    """An edit that clashed with a change on disk, kept until the user chooses."""

    base: Document
    conflict: StoreConflict
    clashes: list[str]
    """``obligations 2008/I-1.iv: owner``: what both sides changed differently."""


class EditConflict(StoreError):
    """An edit that clashed with a change made on disk by someone else; it was not saved."""

    def __init__(self, message: str, pending: PendingConflict) -> None:
        super().__init__(message)
        self.pending = pending


class SettlesConflicts:
    """Writes that land whole or not at all, and the settling of clashes; the tracker gives
    its storage, where its file is and how to read its records again (``_load``)."""

    _storage: AtomicJSONStorage | MemoryStorage
    path: Path | None
    notices: list[str]
    reloaded: bool

    def _load(self) -> None:
        raise NotImplementedError

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Edits inside land together in one atomic write, or not at all.

        After a failed write the records in memory are reloaded from the
        file, so what the app shows is what is saved. When someone else
        changed the file meanwhile, the edit is made on top of their version
        (``_settle``).
        """
        try:
            with self._storage.batch():
                yield
            self.notices += self._storage.news
            self._storage.news.clear()
        except StoreConflict as conflict:
            self._settle(conflict)
        except BaseException:
            self._reload_after_failure()
            raise

    def _reload_after_failure(self) -> None:
        """After a write that failed, show what is saved: the file, or, when the file can no
        longer be read (someone broke it meanwhile), the records as this process last saw them."""
        try:
            self._load()
        except StoreError:
            self._storage.keep_base()
            self._load()

    def _settle(self, conflict: StoreConflict) -> None:
        """My edit on top of their change; on a clash, the edit waits for the user's choice
        (``EditConflict.pending``, then :meth:`settle`) and the records are as they were read."""
        self.reloaded = True
        base = self._storage.base() or conflict.theirs
        merge = three_way_merge(base, conflict.mine, conflict.theirs)
        if not merge.clashes and _consistent(merge.document):
            try:
                self._storage.write_over(conflict, merge.document)
            finally:  # yet another change meanwhile: show what is saved, not my edit
                self._reload_after_failure()
            self.notices.append(
                f"{self.path} had been changed by another program; your edit was made on top "
                "of that change"
            )
            return
        self._storage.keep_base()
        self._load()
        clashes = merge.clashes or ["the two versions do not fit together"]
        raise EditConflict(
            f"{self.path} was changed by another program and your edit clashes with that "
            f"change ({'; '.join(clashes)}); your edit was not saved",
            PendingConflict(base, conflict, clashes),
        )

    def settle(self, pending: PendingConflict, choice: ConflictChoice) -> None:
        """The user's answer to a clash: keep mine where they clash, take the file as it is
        now, or leave both as they are (the next edit meets the change again)."""
        self.reloaded = True
        conflict = pending.conflict
        if choice == "mine":
            mine = three_way_merge(pending.base, conflict.mine, conflict.theirs, mine_wins=True)
            document = mine.document
            if not _consistent(document):
                # Their version and mine cannot be combined (both edited one session…):
                # mine is saved whole, theirs kept as a backup the user can restore.
                assert self.path is not None
                kept = back_up(self.path, conflict.raw, datetime.now())
                document = conflict.mine
                self.notices.append(
                    "the change made on disk could not be combined with your edit; your "
                    f"version was saved and theirs kept as {kept.name if kept else 'a backup'} "
                    "('cicte-tui restore --list')"
                )
            try:
                self._storage.write_over(conflict, document)
            finally:
                self._reload_after_failure()
        elif choice == "reload":
            self._storage.take_theirs(conflict)
            self._load()


def _consistent(document: Document) -> bool:
    """Whether a merged document holds together (no clash of keys, no missing meeting)."""
    from store.formats.exchange import ExchangeError, validate_document

    try:
        validate_document(document)
    except ExchangeError:
        return False
    return True
