"""Every edit a user makes: validated, saved atomically, logged, undoable.

The editor turns an intention ("mark this occurrence done", "add a note")
into a new record, saves it and its change-log entry in one atomic write,
and keeps the session's undo and redo stacks.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime
from typing import Any

from store.documents import (
    event_from_doc,
    event_to_doc,
    obligation_from_doc,
    obligation_to_doc,
)
from store.model import Change, Completion, Event, Note, Obligation, Status
from store.repository import Tracker
from store.rules import EVENT_KEY, EventRelative
from store.schedule import Assessment, parsed_rules
from store.text import clean_text

STATUS_CYCLE = (
    Status.NOT_STARTED,
    Status.IN_PROGRESS,
    Status.DONE,
    Status.BLOCKED,
    Status.ONGOING,
)

Clock = Callable[[], datetime]


class EditError(ValueError):
    """An edit that cannot be made; the message says why, nothing was saved."""


FIELD_WORDS = {
    "rules": "schedule",
    "last_reviewed": "last reviewed",
    "completions": "completed occurrences",
    "activity_bulleted": "activity layout",
    "schedule_text": "printed schedule",
    "start": "first day",
    "end": "last day",
}
"""Stored field names as users read them in the history and in messages."""


def _summary(before: dict[str, Any] | None, after: dict[str, Any] | None) -> str:
    """What changed between two stored records, in words."""
    if before is None:
        return "added"
    if after is None:
        return "deleted"
    parts = []
    for name, new in after.items():
        old = before.get(name)
        if old == new or name == "order":
            continue
        field = FIELD_WORDS.get(name, name)
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


class Editor:
    """Edits to one tracker, with undo and redo for the session."""

    def __init__(self, tracker: Tracker, clock: Clock = datetime.now) -> None:
        self.tracker = tracker
        self.clock = clock
        self._undo: list[Change] = []
        self._redo: list[Change] = []
        self._completion: Change | None = None
        """The last completion made by toggle_occurrence, which a second press takes back."""

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)

    def forget_completion(self) -> None:
        """After the user moves on, a second press completes the next occurrence."""
        self._completion = None

    @property
    def last_change(self) -> Change | None:
        return self._undo[-1] if self._undo else None

    # -- the one way records change -------------------------------------------

    def _record(
        self,
        target: str,
        key: str,
        before: dict[str, Any] | None,
        after: dict[str, Any] | None,
        action: str,
        summary: str | None = None,
    ) -> Change:
        change = Change(
            at=self.clock().replace(microsecond=0),
            target=target,
            key=key,
            action=action,
            summary=summary or _summary(before, after),
            before=before,
            after=after,
        )
        tracker = self.tracker
        with tracker.transaction():
            _apply(tracker, target, key, after)
            tracker.log_change(change)
        return change

    def _edit(
        self,
        target: str,
        key: str,
        before: Any,
        after: Any,
        action: str = "edit",
        summary: str | None = None,
    ) -> Change:
        """Save a new edit: it can be undone, and what could be redone is forgotten."""
        change = self._record(target, key, before, after, action, summary)
        self._undo.append(change)
        self._redo.clear()
        return change

    # -- obligations ---------------------------------------------------------

    def save_obligation(self, obligation: Obligation) -> Change:
        """Replace an obligation with an edited copy (same key)."""
        old = self.tracker.obligation(obligation.key)
        obligation = _cleaned(obligation)
        if obligation == old:
            raise EditError("nothing changed")
        return self._edit(
            "obligation",
            obligation.key,
            obligation_to_doc(old),
            obligation_to_doc(obligation),
            "edit",
        )

    def add_obligation(self, obligation: Obligation) -> Change:
        obligation = _cleaned(obligation)
        key = obligation.key
        if not key:
            raise EditError("the id is empty")
        if self.tracker.get(key) is not None:
            raise EditError(f"{key} already exists")
        if not obligation.text:
            raise EditError("the text is empty")
        if not obligation.order:
            obligation = replace(obligation, order=self.tracker.next_order())
        return self._edit("obligation", key, None, obligation_to_doc(obligation), "add")

    def delete_obligation(self, key: str) -> Change:
        before = obligation_to_doc(self.tracker.obligation(key))
        return self._edit("obligation", key, before, None, "delete")

    def set_status(self, key: str, status: Status, today: date) -> Change:
        obligation = self.tracker.obligation(key)
        return self.save_obligation(replace(obligation, status=status, last_reviewed=today))

    def cycle_status(self, key: str, today: date) -> Change:
        current = self.tracker.obligation(key).status
        following = STATUS_CYCLE[(STATUS_CYCLE.index(current) + 1) % len(STATUS_CYCLE)]
        return self.set_status(key, following, today)

    def toggle_occurrence(self, assessment: Assessment, today: date) -> Change:
        """Complete the current occurrence; pressed again at once, take it back.

        "Again at once" means the last edit of the session completed an
        occurrence of this same obligation: that completion is undone.
        """
        key = assessment.key
        last = self.last_change
        if last is not None and last is self._completion and last.key == key:
            undone = self.undo()
            assert undone is not None
            return undone
        current = assessment.current
        if current is None and not assessment.occurrences:
            raise EditError(
                f"{assessment.obligation.number} never falls due ({assessment.state.value}); "
                "add a note (n) or change its status (s) to record a review"
            )
        if current is None:
            raise EditError("every occurrence in this plan year is already done")
        obligation = self.tracker.obligation(key)
        completion = Completion(current.occurrence.key, today)
        updated = replace(
            obligation, completions=(*obligation.completions, completion), last_reviewed=today
        )
        due = current.due.isoformat() if current.due else current.occurrence.key
        self._completion = self._record_edit(
            obligation, updated, f"completed the occurrence due {due}"
        )
        return self._completion

    def _record_edit(self, old: Obligation, new: Obligation, summary: str) -> Change:
        before, after = obligation_to_doc(old), obligation_to_doc(new)
        return self._edit("obligation", new.key, before, after, summary=summary)

    # -- notes ---------------------------------------------------------------

    def add_note(self, key: str, text: str, today: date) -> Change:
        text = clean_text(text, multiline=True)
        if not text:
            raise EditError("the note is empty")
        obligation = self.tracker.obligation(key)
        note = Note(datetime.combine(today, self.clock().time()).replace(microsecond=0), text)
        updated = replace(obligation, notes=(*obligation.notes, note), last_reviewed=today)
        return self._record_edit(obligation, updated, "note added")

    def edit_note(self, key: str, note: Note, text: str) -> Change:
        text = clean_text(text, multiline=True)
        if not text:
            raise EditError("the note is empty; delete it instead")
        obligation = self.tracker.obligation(key)
        notes = tuple(replace(n, text=text) if n == note else n for n in obligation.notes)
        return self._record_edit(obligation, replace(obligation, notes=notes), "note edited")

    def delete_note(self, key: str, note: Note) -> Change:
        obligation = self.tracker.obligation(key)
        notes = tuple(n for n in obligation.notes if n != note)
        return self._record_edit(obligation, replace(obligation, notes=notes), "note deleted")

    # -- events --------------------------------------------------------------

    def save_event(self, event: Event) -> Change:
        event = replace(
            event,
            name=clean_text(event.name),
            place=clean_text(event.place),
            note=clean_text(event.note, multiline=True),
        )
        if not EVENT_KEY.fullmatch(event.key):
            raise EditError("a meeting key is lower-case letters, figures and dashes")
        if not event.name:
            raise EditError("a meeting needs a name")
        if event.start and event.end and event.end < event.start:
            raise EditError("the event ends before it starts")
        old = self.tracker.events.get(event.key)
        before = event_to_doc(old) if old else None
        if old == event:
            raise EditError("nothing changed")
        return self._edit(
            "event", event.key, before, event_to_doc(event), "add" if old is None else "edit"
        )

    def delete_event(self, key: str) -> Change:
        """Remove a meeting no schedule names (clearing its dates makes them wait instead)."""
        users = anchored_to(self.tracker, key)
        if users:
            raise EditError(
                f"{len(users)} schedule(s) name {key} ({', '.join(users[:3])}…): "
                "clear its dates instead, and they wait for a new date"
            )
        before = event_to_doc(self.tracker.events[key])
        return self._edit("event", key, before, None, "delete")

    # -- undo / redo ---------------------------------------------------------

    def undo(self) -> Change | None:
        """Put back the record as it was before the last edit; None when nothing is left."""
        if not self._undo:
            return None
        change = self._undo[-1]
        reverted = self._record(
            change.target, change.key, change.after, change.before, "undo",
            f"undo: {change.summary}",
        )  # fmt: skip
        self._redo.append(self._undo.pop())  # only once the write has landed
        return reverted

    def redo(self) -> Change | None:
        if not self._redo:
            return None
        change = self._redo[-1]
        redone = self._record(
            change.target, change.key, change.before, change.after, "redo",
            f"redo: {change.summary}",
        )  # fmt: skip
        self._undo.append(self._redo.pop())
        return redone


def anchored_to(tracker: Tracker, event_key: str) -> list[str]:
    """Numbers of the obligations whose schedule hangs on a meeting."""
    return [
        obligation.number
        for obligation in tracker
        if any(
            isinstance(rule, EventRelative) and event_key in rule.events
            for rule in parsed_rules(obligation.rules)
        )
    ]


def _apply(tracker: Tracker, target: str, key: str, after: dict[str, Any] | None) -> None:
    """Make the stored record ``key`` be ``after`` (None: remove it)."""
    if target == "obligation":
        if after is None:
            tracker.delete_obligation(key)
        else:
            tracker.save_obligation(obligation_from_doc(after))
    elif after is None:
        tracker.delete_event(key)
    else:
        tracker.save_event(event_from_doc(after))


def _cleaned(obligation: Obligation) -> Obligation:
    """User-typed fields without control characters or escape sequences."""
    return replace(
        obligation,
        key=clean_text(obligation.key),
        number=clean_text(obligation.number),
        text=clean_text(obligation.text, multiline=True),
        owner=clean_text(obligation.owner),
        sources=tuple(s for s in (clean_text(s) for s in obligation.sources) if s),
        activity=tuple(
            a for a in (clean_text(a, multiline=True) for a in obligation.activity) if a
        ),
        partners=tuple(clean_text(p) for p in obligation.partners),
    )


_ROMAN = (
    (1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
    (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"),
)  # fmt: skip


def to_roman(number: int) -> str:
    out = ""
    for value, letters in _ROMAN:
        while number >= value:
            out += letters
            number -= value
    return out


def from_roman(text: str) -> int | None:
    """The value of a lower-case roman numeral, or None when it is not one."""
    if not text or any(c not in "mdclxvi" for c in text):
        return None
    total, index = 0, 0
    for value, letters in _ROMAN:
        while text.startswith(letters, index):
            total += value
            index += len(letters)
    return total if index == len(text) and to_roman(total) == text else None


def next_identity(tracker: Tracker, group_key: str) -> tuple[str, str]:
    """(key, number) for a new item of a group, numbered in that group's style.

    Section I groups 1–4 count in roman numerals (``1.xiv``); groups 5–8 and
    programmes count in figures (``7.4``, ``II-3.B.4``).
    """
    members = [o for o in tracker if o.group == group_key]
    if group_key.startswith("I-"):
        group = group_key[2:]
        suffixes = [o.number.partition(".")[2] for o in members]
        romans = [value for s in suffixes if (value := from_roman(s)) is not None]
        if romans or group in "1234":
            number = f"{group}.{to_roman(max(romans, default=0) + 1)}"
        else:
            figures = [int(s) for s in suffixes if s.isdigit()]
            number = f"{group}.{max(figures, default=0) + 1}"
        key = f"I-{number}"
    else:
        prefix = group_key.removesuffix("._")  # sector 6's programme has no letter
        figures = [int(tail) for o in members if (tail := o.key[len(prefix) + 1 :]).isdigit()]
        key = number = f"{prefix}.{max(figures, default=len(members)) + 1}"
    while tracker.get(key) is not None:  # an id the user typed earlier may be taken
        key, number = f"{key}-new", f"{number}-new"
    return key, number
