"""How every edit lands: one atomic write of the record and its change-log entry, undoable.

``Editor`` (``store.editing``) decides what an edit is and checks it; this
base class saves it, logs it and keeps the session's undo and redo stacks.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from store import changes
from store.documents import (
    obligation_from_doc,
    obligation_to_doc,
    series_from_doc,
    series_to_doc,
)
from store.fields import declared_fields
from store.model import Change, ChangeAction, ChangeTarget, MeetingSeries, Obligation
from store.repository import Tracker

Clock = Callable[[], datetime]

OBLIGATION, SERIES = ChangeTarget.OBLIGATION, ChangeTarget.SERIES
EDIT, ADD, DELETE = ChangeAction.EDIT, ChangeAction.ADD, ChangeAction.DELETE
RECORD_TYPES: dict[ChangeTarget, type] = {OBLIGATION: Obligation, SERIES: MeetingSeries}


def _summary(
    target: ChangeTarget, before: dict[str, Any] | None, after: dict[str, Any] | None
) -> str:
    """What changed between two stored records, in words (each field's declared label)."""
    if before is None:
        return "added"
    if after is None:
        return "deleted"
    words = {field.name: field.label for field in declared_fields(RECORD_TYPES[target])}
    parts = []
    for name, new in after.items():
        old = before.get(name)
        if old == new or name == "order":
            continue
        field = words.get(name, name)
        if name == "rules" and isinstance(new, list) and isinstance(old, list):
            parts.append(f"{field}: {' + '.join(old) or '—'} → {' + '.join(new) or '—'}")
        elif isinstance(new, list) and isinstance(old, list):
            delta = len(new) - len(old)
            parts.append(
                f"{field}: {'+' if delta > 0 else ''}{delta}" if delta else f"{field} edited"
            )
        elif isinstance(new, str | None) and len(str(old or "")) + len(str(new or "")) <= 60:
            parts.append(f"{field}: {old or '—'} → {new or '—'}")
        else:
            parts.append(f"{field} edited")
    return "; ".join(parts) or "no change"


class EditLog:
    """Saves, logs and undoes the edits to one tracker, for the session."""

    def __init__(self, tracker: Tracker, clock: Clock = datetime.now) -> None:
        self.tracker = tracker
        self.clock = clock
        self._undo: list[tuple[Change, ...]] = []
        self._redo: list[tuple[Change, ...]] = []
        self._group: list[Change] | None = None
        """Changes of the bulk action under way: one undo step for all of them."""
        self.last_touched: tuple[str, ...] = ()
        """Keys of the records the last edit, undo or redo changed (a bulk one: many)."""

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)

    @property
    def last_change(self) -> Change | None:
        return self._undo[-1][-1] if self._undo else None

    @contextmanager
    def grouped(self) -> Iterator[None]:
        """Edits made inside are one write and one undo step (each keeps its log entry).

        On an error nothing of the group is saved (the tracker reloads from the file).
        """
        if self._group is not None:  # nested: the outer group collects
            yield
            return
        self._group = []
        try:
            with self.tracker.transaction():
                yield
        except BaseException:
            self._group = None
            raise
        group, self._group = tuple(self._group), None
        if group:
            self._undo.append(group)
            self._redo.clear()
            self.last_touched = tuple(dict.fromkeys(c.key for c in group))

    # -- the one way records change -------------------------------------------

    def _record(
        self,
        target: ChangeTarget,
        key: str,
        record: dict[str, Any] | None,
        change: tuple[dict[str, Any] | None, dict[str, Any] | None],
        action: ChangeAction,
        summary: str,
        plan: int | None = None,
    ) -> Change:
        """Store ``record`` (None: remove it) and log ``change`` with it, in one write.

        ``plan``: the plan year of the obligation (default: the active plan's)."""
        before, after = change
        if target != OBLIGATION:
            plan = None  # a meeting series belongs to no plan year
        elif plan is None:
            plan = self.tracker.year
        at = self.clock().replace(microsecond=0)
        logged = Change(at, target, key, action, summary, before, after, plan)
        tracker = self.tracker
        with tracker.transaction():
            _apply(tracker, target, key, record, plan)
            tracker.log_change(logged)
        return logged

    def _edit(
        self,
        target: ChangeTarget,
        key: str,
        before: dict[str, Any] | None,
        after: dict[str, Any] | None,
        action: ChangeAction = EDIT,
        summary: str | None = None,
        plan: int | None = None,
    ) -> Change:
        """Save a new edit: it can be undone, and what could be redone is forgotten.

        The log keeps whole records only for additions and deletions; an
        edit keeps the fields that changed (see ``store.changes``). ``plan``:
        the obligation's plan year, when it is not the active plan's.
        """
        logged = (before, after) if before is None or after is None else changes.diff(before, after)
        change = self._record(
            target, key, after, logged, action, summary or _summary(target, before, after), plan
        )
        if self._group is not None:
            self._group.append(change)
            return change
        self._undo.append((change,))
        self._redo.clear()
        self.last_touched = (key,)
        return change

    def _replay(self, change: Change, *, backwards: bool, action: ChangeAction) -> Change:
        """Make ``change`` again (redo) or take it back (undo), from the record as it is now."""
        old, new = (change.after, change.before) if backwards else (change.before, change.after)
        if old is None or new is None:  # an addition or a deletion: whole records
            record = new
        else:
            record = changes.apply(self._stored(change), old, new)
        summary = f"{action}: {change.summary}"
        return self._record(
            change.target, change.key, record, (old, new), action, summary, change.plan
        )

    def _stored(self, change: Change) -> dict[str, Any]:
        """The record a change was made to, as it is now (in its own plan year)."""
        if change.target == OBLIGATION:
            year = self.tracker.year if change.plan is None else change.plan
            return obligation_to_doc(self.tracker.obligation_in(year, change.key))
        return series_to_doc(self.tracker.meetings[change.key])

    # -- undo / redo ---------------------------------------------------------

    def undo(self) -> Change | None:
        """Put back the record as it was before the last edit; None when nothing is left."""
        if not self._undo:
            return None
        group = self._undo[-1]
        with self.tracker.transaction():  # a bulk edit comes back in one write
            reverted = [
                self._replay(c, backwards=True, action=ChangeAction.UNDO) for c in reversed(group)
            ]
        self._redo.append(self._undo.pop())  # only once the write has landed
        self.last_touched = tuple(dict.fromkeys(c.key for c in group))
        return reverted[-1]

    def redo(self) -> Change | None:
        if not self._redo:
            return None
        group = self._redo[-1]
        with self.tracker.transaction():
            redone = [self._replay(c, backwards=False, action=ChangeAction.REDO) for c in group]
        self._undo.append(self._redo.pop())
        self.last_touched = tuple(dict.fromkeys(c.key for c in group))
        return redone[-1]


def _apply(
    tracker: Tracker,
    target: ChangeTarget,
    key: str,
    record: dict[str, Any] | None,
    plan: int | None,
) -> None:
    """Make the stored record ``key`` be ``record`` (None: remove it)."""
    if target == OBLIGATION:
        if record is None:
            tracker.delete_obligation(key, plan)
        else:
            tracker.save_obligation(obligation_from_doc(record))
    elif record is None:
        tracker.delete_series(key)
    else:
        tracker.save_series(series_from_doc(record))
