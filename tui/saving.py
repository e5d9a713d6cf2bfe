"""The app's one way to the tracker file: each job runs in a Textual thread worker, in order.

``Tracker`` and ``Editor`` are not thread-safe, so only the store's jobs touch
them, one at a time, on a worker thread. After each job the worker takes a
snapshot, builds the next ``TrackerView`` from it and posts ``TrackerChanged``;
the UI thread reads views only. Jobs start in the order they were asked for
(an ``asyncio.Lock`` is first come, first served), so ``x`` then ``u`` undoes
that ``x``; a thread lock keeps two jobs apart even if a waiter was cancelled.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Generic, Literal, TypeVar

from textual.app import App
from textual.message import Message
from textual.worker import WorkerCancelled, WorkerFailed

from store.bulk import listed
from store.editing import EditError, Editor
from store.errors import StoreError
from store.model import Change, ChangeTarget
from store.repository import Tracker
from store.settling import EditConflict, PendingConflict
from tui.view import TrackerView

T = TypeVar("T")

READ_ONLY = "Read-only: another cicte-tui is editing this file; nothing was changed."

Refresh = Literal["touched", "all", "none"]
"""What a job may have changed: the items its change touched, anything, or nothing."""


class StillReadOnly(StoreError):
    """Another cicte-tui still edits the file: this one cannot save."""


@dataclass(frozen=True)
class Refusal:
    """Why a job did not save, and how loudly to say it."""

    words: str
    severity: Literal["warning", "error"]


@dataclass(frozen=True)
class Outcome(Generic[T]):
    """What one job did: its value, or why it did not save."""

    value: T | None = None
    refusal: Refusal | None = None
    conflict: PendingConflict | None = None
    """An edit that clashes with a change saved meanwhile: the dialog settles it."""
    notices: tuple[str, ...] = field(default=())
    """One-off news from the store (a change on disk merged, a lock taken back)."""
    view: TrackerView | None = None
    """The view built after the job (None: it changed nothing)."""
    touched: tuple[str, ...] = ()
    """The items the edit changed, in plan order (several for a bulk edit or its undo)."""


class TrackerChanged(Message):
    """Posted after a job that may have changed the records: every pane shows ``view``."""

    def __init__(self, view: TrackerView, change: Change | None) -> None:
        super().__init__()
        self.view = view
        self.change = change


class StoreLink:
    """Runs the store's jobs for the app and keeps the latest view for the UI thread."""

    def __init__(
        self,
        app: App[Any],
        tracker: Tracker,
        editor: Editor,
        view: TrackerView,
        on_conflict: Callable[[PendingConflict], object],
        on_view: Callable[[TrackerView], object],
    ) -> None:
        """``on_conflict``: opens the dialog that settles an edit that clashed;
        ``on_view``: shows a newer view on every screen."""
        self._app = app
        self._on_conflict = on_conflict
        self._on_view = on_view
        self._tracker = tracker
        self._editor = editor
        self.view = view
        """The latest view the UI thread has been given (set as ``TrackerChanged`` lands)."""
        self._turn = asyncio.Lock()
        self._one_job = threading.Lock()
        self._built = view
        """The latest view a worker built (read and written under ``_one_job`` only)."""

    def show(self, view: TrackerView) -> None:
        """Give the screens ``view`` unless they already have it or a newer one: as soon as
        a job's caller resumes, and again (a no-op) when its ``TrackerChanged`` lands."""
        if view.serial > self.view.serial:
            self.view = view
            self._on_view(view)

    def finish(self) -> None:
        """Wait for the job under way, if any (the app is closing)."""
        with self._one_job:
            pass

    @property
    def path(self) -> str:
        return str(self._tracker.path or "the tracker")

    async def edit(self, operation: Callable[[Editor], Change | None]) -> Outcome[Change | None]:
        """Run one editor operation; the items it touched are assessed again.

        A tracker opened read-only first tries to become the writer (the other
        cicte-tui may have closed); while it cannot, the edit is refused.
        """

        def job(tracker: Tracker, editor: Editor) -> Change | None:
            if tracker.read_only and not tracker.become_writer():
                raise StillReadOnly(READ_ONLY)
            return operation(editor)

        return await self.run(job, refresh="touched")

    async def save(
        self, operation: Callable[[Editor], Change | None], *, said: str | None = None
    ) -> Change | None:
        """``edit``, then say what it did (``said``, else the change in words) or why not."""
        outcome = await self.edit(operation)
        self.report(outcome, said)
        return outcome.value

    def submit(
        self, operation: Callable[[T], Callable[[Editor], Change | None]]
    ) -> Callable[[T], Awaitable[str | None]]:
        """What a form calls to save its result: None once saved (and said), else why not."""

        async def submit(result: T) -> str | None:
            outcome = await self.edit(operation(result))
            if outcome.refusal is None or outcome.conflict is not None:
                # A clash: the dialog that settles it has the edit now; the form closes.
                self.report(outcome)
                return None
            return outcome.refusal.words.removeprefix("Not saved: ")

        return submit

    def report(self, outcome: Outcome[Change | None], said: str | None = None) -> None:
        """Say what an edit did, or why it was not saved (the store's news is said by
        ``run``)."""
        notify = self._app.notify
        if outcome.refusal is not None and outcome.conflict is None:
            timeout = 10 if outcome.refusal.severity == "error" else None
            notify(
                outcome.refusal.words,
                severity=outcome.refusal.severity,
                markup=False,
                timeout=timeout,
            )
        elif outcome.conflict is not None:
            notify(
                outcome.refusal.words if outcome.refusal else "Not saved.",
                severity="error",
                markup=False,
                timeout=10,
            )
        elif outcome.value is not None and outcome.view is not None:
            words = said or said_of(outcome.value, outcome.view, outcome.touched)
            notify(words, markup=False, timeout=4)

    async def run(
        self, job: Callable[[Tracker, Editor], T], *, refresh: Refresh = "all"
    ) -> Outcome[T]:
        """Run ``job`` on the worker thread after the jobs asked for before it."""
        async with self._turn:
            worker = self._app.run_worker(
                partial(self._in_thread, job, refresh),
                name="store",
                group="store",
                thread=True,
                exit_on_error=False,
            )
            try:
                outcome = await worker.wait()
            except WorkerCancelled:  # the app is closing: the thread still finishes its job
                return Outcome(refusal=Refusal("Not saved: the app was closing.", "error"))
            except WorkerFailed as failed:
                raise failed.error from None
        for notice in outcome.notices:
            self._app.notify(notice, markup=False, timeout=10)
        if outcome.view is not None:
            self.show(outcome.view)
        if outcome.conflict is not None:
            self._on_conflict(outcome.conflict)
        return outcome

    def _in_thread(self, job: Callable[[Tracker, Editor], T], refresh: Refresh) -> Outcome[T]:
        tracker, editor = self._tracker, self._editor
        with self._one_job:
            value: T | None = None
            refusal = conflict = None
            try:
                value = job(tracker, editor)
            except EditError as error:
                refusal, refresh = Refusal(str(error), "warning"), "none"
            except StillReadOnly as error:
                refusal, refresh = Refusal(str(error), "error"), "none"
            except EditConflict as clash:
                conflict = clash.pending
                refusal = Refusal(f"Not saved: {clash}", "error")
            except (StoreError, OSError) as error:
                refusal, refresh = Refusal(f"Not saved: {error}", "error"), "all"
            if tracker.reloaded:  # a change made on disk was read: everything may differ
                tracker.reloaded, refresh = False, "all"
            notices = tuple(tracker.notices)
            tracker.notices.clear()
            change = value if isinstance(value, Change) else None
            touched = tuple(editor.last_touched)
            if refresh == "touched" and change is None:
                refresh = "none"  # an edit that changed nothing (an unchanged form)
            view = None
            if refresh != "none":
                keys = _touched_keys(change, touched) if refresh == "touched" else None
                view = self._built = self._built.updated(tracker.snapshot(), keys)
                self._app.post_message(TrackerChanged(view, change))
        return Outcome(value, refusal, conflict, notices, view, touched)


def _touched_keys(change: Change | None, touched: Iterable[str]) -> list[str] | None:
    """The items to assess again after ``change`` (None: all of them)."""
    if change is None or change.target is not ChangeTarget.OBLIGATION:
        return None  # a meeting moved, or a plan changed: any deadline may move
    # A bulk edit (or its undo) changed every item it touched, not only the last one.
    return list(touched) if change.key in touched else [change.key]


def said_of(change: Change, view: TrackerView, touched: tuple[str, ...]) -> str:
    """What an edit did, in the words the user knows its items by."""
    if len(touched) > 1 and change.key in touched:  # a bulk edit, undone or redone
        numbers = [o.number if (o := view.obligation(k)) else k for k in touched]
        return f"{change.action}: {len(touched)} items ({listed(numbers)})"
    return f"{name_of(change, view)}: {change.summary}"


def name_of(change: Change, view: TrackerView) -> str:
    """How the user knows the record: ``1.iv`` rather than ``I-1.iv``.

    An edit's log keeps only the fields that changed, so the number comes
    from the record itself (or from the whole record, for a deletion).
    """
    if change.target is ChangeTarget.OBLIGATION:
        obligation = view.obligation(change.key)
        if obligation is not None:
            return obligation.number
        record = change.before or change.after or {}
        return str(record.get("number") or change.key)
    return change.key
