"""Triage in bulk, shared by the app and the command line: many items, one grouped edit.

A bulk action is worked out first (which items it changes, which already
are so), then saved in one ``Editor.grouped()`` edit: one write, one undo
step, one change-log entry per item, and nothing saved if any item fails.
No Textual here: the one-shot commands import this module.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING

from store.text import clean_text

if TYPE_CHECKING:
    from store.editing import Editor
    from store.model import Change, Obligation, Status
    from store.schedule import Outlook
    from store.snapshot import TrackerRecords

LISTED = 8
"""How many ids a message names before it says how many more."""


@dataclass(frozen=True)
class Bulk:
    """One bulk action, worked out before anything is saved."""

    what: str
    """What it does to each item, in words: ``reviewed 2008-06-15``, ``owner: Ana``."""
    targets: tuple[Obligation, ...]
    """The items it changes, in plan order."""
    unchanged: tuple[Obligation, ...]
    """Items it was asked to change that already are so: left alone."""
    edit: Callable[[Editor, str], Change]
    """The editor operation for one item (by key)."""

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(o.key for o in self.targets)

    def run(self, editor: Editor) -> Change | None:
        """Save every change as one grouped edit; the last change (None: nothing to do)."""
        last = None
        with editor.grouped():
            for key in self.keys:
                last = self.edit(editor, key)
        return last


def in_plan_order(obligations: Iterable[Obligation]) -> list[Obligation]:
    """Each item once, in plan order (``1.i`` and ``I-1.i`` given together count once)."""
    unique = {o.key: o for o in obligations}
    return sorted(unique.values(), key=lambda o: o.order)


def review(obligations: Iterable[Obligation], today: date) -> Bulk:
    """Mark items reviewed ``today``; those already reviewed that day are left alone."""
    items = in_plan_order(obligations)
    return Bulk(
        f"reviewed {today.isoformat()}",
        tuple(o for o in items if o.last_reviewed != today),
        tuple(o for o in items if o.last_reviewed == today),
        lambda editor, key: editor.mark_reviewed(key, today),
    )


def set_status(obligations: Iterable[Obligation], status: Status, today: date) -> Bulk:
    """One status for every item (a status change counts as a review, as with ``s``)."""
    items = in_plan_order(obligations)
    return Bulk(
        f"status: {status.value}",
        tuple(o for o in items if o.status is not status),
        tuple(o for o in items if o.status is status),
        lambda editor, key: editor.set_status(key, status, today),
    )


def set_owner(obligations: Iterable[Obligation], owner: str) -> Bulk:
    """One owner for every item; an empty name clears the owner."""
    owner = clean_text(owner)
    return edited(
        f"owner: {owner or '(none)'}",
        [(o, replace(o, owner=owner)) for o in obligations],
    )


def edited(what: str, pairs: Sequence[tuple[Obligation, Obligation]]) -> Bulk:
    """Save edited copies (``(record, edited copy)`` pairs); identical copies are skipped."""
    new_of = {old.key: new for old, new in pairs}
    items = in_plan_order(old for old, _ in pairs)
    return Bulk(
        what,
        tuple(o for o in items if new_of[o.key] != o),
        tuple(o for o in items if new_of[o.key] == o),
        lambda editor, key: editor.save_obligation(new_of[key]),
    )


def stale(tracker: TrackerRecords, outlook: Outlook) -> list[Obligation]:
    """The items not reviewed within the review period, as of the outlook's *today*."""
    from store.schedule import assess

    return [o for o in tracker if assess(o, tracker.plan, tracker.meetings, outlook).stale]


def listed(numbers: Sequence[str], limit: int = LISTED) -> str:
    """``1.i, 1.iii, 2.iv`` — or the first few and ``and 40 more``."""
    if len(numbers) <= limit:
        return ", ".join(numbers)
    return f"{', '.join(numbers[:limit])} and {len(numbers) - limit} more"


def items(count: int) -> str:
    return f"{count} item{'' if count == 1 else 's'}"
