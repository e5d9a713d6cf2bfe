"""Every edit a user makes: validated, saved atomically, logged, undoable.

The editor turns an intention ("mark this occurrence done", "add a note")
into a new record, saves it and its change-log entry in one atomic write,
and keeps the session's undo and redo stacks.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

from store.describe import session_dates
from store.documents import (
    obligation_to_doc,
    series_to_doc,
)
from store.edit_log import ADD, DELETE, EDIT, OBLIGATION, SERIES, EditLog
from store.gate import cleaned
from store.model import (
    Change,
    Completion,
    Evidence,
    MeetingSeries,
    Note,
    Obligation,
    Session,
    Status,
    session_id,
)
from store.rules import EventRelative
from store.schedule import DueOccurrence, Outlook, assess, parsed_rules
from store.snapshot import TrackerRecords
from store.text import clean_text
from store.validation import (
    completion_problems,
    note_problems,
    obligation_problems,
    series_problems,
    session_problems,
)

STATUS_CYCLE = (
    Status.NOT_STARTED,
    Status.IN_PROGRESS,
    Status.DONE,
    Status.BLOCKED,
    Status.ONGOING,
)


class EditError(ValueError):
    """An edit that cannot be made; the message says why, nothing was saved."""


class Editor(EditLog):
    """Edits to one tracker, each checked first, with undo and redo for the session (the
    saving, logging and undoing are ``EditLog``'s)."""

    # -- obligations ---------------------------------------------------------

    def save_obligation(self, obligation: Obligation) -> Change:
        """Replace an obligation with an edited copy (same key)."""
        old = self.tracker.obligation(obligation.key)
        obligation = cleaned(obligation)
        if obligation == old:
            raise EditError("nothing changed")
        self._check(obligation_edit_problems(self.tracker, obligation, old))
        return self._edit(
            OBLIGATION, obligation.key, obligation_to_doc(old), obligation_to_doc(obligation)
        )

    def add_obligation(self, obligation: Obligation) -> Change:
        obligation = cleaned(obligation)
        key = obligation.key
        if not key:
            raise EditError("the id is empty")
        if self.tracker.get(key) is not None:
            raise EditError(f"{key} already exists")
        self._check(obligation_edit_problems(self.tracker, obligation))
        if not obligation.order:
            obligation = replace(obligation, order=self.tracker.next_order())
        obligation = replace(obligation, plan_year=self.tracker.year)
        return self._edit(OBLIGATION, key, None, obligation_to_doc(obligation), ADD)

    def delete_obligation(self, key: str) -> Change:
        before = obligation_to_doc(self.tracker.obligation(key))
        return self._edit(OBLIGATION, key, before, None, DELETE)

    def set_status(self, key: str, status: Status, today: date) -> Change:
        obligation = self.tracker.obligation(key)
        return self.save_obligation(replace(obligation, status=status, last_reviewed=today))

    def mark_reviewed(self, key: str, today: date) -> Change:
        """Record that a continuous item was looked at today (it is no longer stale)."""
        obligation = self.tracker.obligation(key)
        if obligation.last_reviewed == today:
            raise EditError(f"{obligation.number} was already reviewed today")
        return self._record_edit(obligation, replace(obligation, last_reviewed=today), "reviewed")

    def cycle_status(self, key: str, today: date) -> Change:
        current = self.tracker.obligation(key).status
        following = STATUS_CYCLE[(STATUS_CYCLE.index(current) + 1) % len(STATUS_CYCLE)]
        return self.set_status(key, following, today)

    def complete(
        self,
        key: str,
        today: date,
        *,
        done_on: date | None = None,
        due: date | None = None,
        evidence: Evidence | None = None,
    ) -> Change:
        """Mark an occurrence done: the one due on ``due``, else the earliest open one.

        ``done_on`` (default ``today``) may be set back, never after today.
        """
        obligation = self.tracker.obligation(key)
        occurrence = self._open_occurrence(obligation, today, due)
        completion = Completion(
            occurrence=occurrence.occurrence.key,
            done_on=done_on or today,
            due=occurrence.due,
            session=occurrence.occurrence.session,
            evidence=cleaned(evidence or Evidence()),
        )
        self._check(completion_problems(completion, today))
        when = occurrence.due.isoformat() if occurrence.due else occurrence.occurrence.key
        summary = f"completed the occurrence due {when} (done {completion.done_on})"
        with self.grouped():
            for record in (obligation, *self._twins(obligation, occurrence.due)):
                if record.completion_of(completion.occurrence) is None:
                    updated = replace(
                        record, completions=(*record.completions, completion), last_reviewed=today
                    )
                    change = self._record_edit(record, updated, summary)
        return change

    def _open_occurrence(
        self, obligation: Obligation, today: date, due: date | None
    ) -> DueOccurrence:
        tracker = self.tracker
        assessment = assess(obligation, tracker.plan, tracker.meetings, Outlook(today))
        # Reviewing as of an earlier day, work recorded later still counts as recorded.
        recorded = {c.occurrence for c in obligation.completions}
        open_ones = [o for o in assessment.open_occurrences if o.occurrence.key not in recorded]
        if due is not None:
            chosen = [o for o in open_ones if o.due == due]
            if chosen:
                return chosen[0]
            dues = ", ".join(o.due.isoformat() for o in open_ones if o.due) or "none"
            raise EditError(
                f"{obligation.number} has no open occurrence due {due.isoformat()} (open: {dues})"
            )
        if open_ones:
            return open_ones[0]
        if not assessment.occurrences:
            raise EditError(
                f"{obligation.number} never falls due ({assessment.state.value}); "
                "add a note or change its status to record a review"
            )
        if assessment.waiting and not any(o.completion for o in assessment.occurrences):
            raise EditError(
                f"{obligation.number} waits for a meeting date: give the session its dates first"
            )
        raise EditError(f"every occurrence of {obligation.number} in this plan year is done")

    def uncomplete(self, key: str, due: date) -> Change:
        """Take back the completion of the occurrence due on ``due``."""
        obligation = self.tracker.obligation(key)
        matching = [i for i, c in enumerate(obligation.completions) if _due_of(c) == due]
        if not matching:
            done = ", ".join(d.isoformat() for c in obligation.completions if (d := _due_of(c)))
            raise EditError(
                f"{obligation.number} has no completed occurrence due {due.isoformat()} "
                f"(completed: {done or 'none'})"
            )
        # One completion only: another rule's occurrence due the same day stays done.
        taken = obligation.completions[matching[0]]
        summary = f"took back the completion of the occurrence due {due}"
        with self.grouped():
            for record in (obligation, *self._twins(obligation, due)):
                if taken in record.completions:
                    kept = list(record.completions)
                    kept.remove(taken)
                    updated = replace(record, completions=tuple(kept))
                    change = self._record_edit(record, updated, summary)
        return change

    def _check(self, problems: list[str]) -> None:
        if problems:
            raise EditError("; ".join(problems))

    def _record_edit(self, old: Obligation, new: Obligation, summary: str) -> Change:
        before, after = obligation_to_doc(old), obligation_to_doc(new)
        plan = new.plan_year or None
        return self._edit(OBLIGATION, new.key, before, after, summary=summary, plan=plan)

    def _twins(self, obligation: Obligation, due: date | None) -> list[Obligation]:
        """The item's records in other plan years that track the same deadline.

        A deadline missed in 2008 is carried into the 2009 plan with its item: it is
        one deadline, so doing it (or taking that back) in either plan shows in both.
        """
        tracker = self.tracker
        if due is None or not obligation.plan_year:
            return []
        year, twins = obligation.plan_year, []
        if obligation.carried_from is not None and due < tracker.plans[year].period_start:
            earlier = tracker.obligations_of(obligation.carried_from).get(obligation.key)
            twins += [earlier] if earlier is not None else []
        for later_year, plan in tracker.plans.items():
            later = tracker.obligations_of(later_year).get(obligation.key)
            if later_year > year and later is not None and later.carried_from == year:
                twins += [later] if due < plan.period_start else []
        return twins

    # -- notes ---------------------------------------------------------------

    def _note_text(self, text: str, if_empty: str) -> str:
        text = clean_text(text, multiline=True)
        if not text:
            raise EditError(if_empty)
        self._check(note_problems(text))
        return text

    def add_note(self, key: str, text: str, today: date) -> Change:
        text = self._note_text(text, "the note is empty")
        obligation = self.tracker.obligation(key)
        note = Note(datetime.combine(today, self.clock().time()).replace(microsecond=0), text)
        updated = replace(obligation, notes=(*obligation.notes, note), last_reviewed=today)
        return self._record_edit(obligation, updated, "note added")

    def edit_note(self, key: str, note: Note, text: str) -> Change:
        text = self._note_text(text, "the note is empty; delete it instead")
        obligation = self.tracker.obligation(key)
        notes = list(obligation.notes)
        notes[_index_of(notes, note)] = replace(note, text=text)
        return self._record_edit(obligation, replace(obligation, notes=tuple(notes)), "note edited")

    def delete_note(self, key: str, note: Note) -> Change:
        obligation = self.tracker.obligation(key)
        notes = list(obligation.notes)
        del notes[_index_of(notes, note)]  # one note: an identical twin stays
        return self._record_edit(
            obligation, replace(obligation, notes=tuple(notes)), "note deleted"
        )

    # -- meetings ------------------------------------------------------------

    def save_series(self, series: MeetingSeries, summary: str | None = None) -> Change:
        """Add a meeting series, or replace one (same key) with an edited copy."""
        series = cleaned(series)
        old = self.tracker.meetings.get(series.key)
        if old == series:
            raise EditError("nothing changed")
        self._check(series_problems(series, self.tracker.meetings))
        self._check(_sessions_in_use_removed(self.tracker, old, series))
        before = series_to_doc(old) if old else None
        action = ADD if old is None else EDIT
        return self._edit(SERIES, series.key, before, series_to_doc(series), action, summary)

    def save_session(self, series_key: str, session: Session, *, year: int | None = None) -> Change:
        """Add or replace the session of ``session.year`` (``year``: the one it replaces)."""
        series = self.tracker.meetings[series_key]
        replaced = session.year if year is None else year
        self._check(session_edit_problems(self.tracker, series_key, session, year))
        others = tuple(s for s in series.sessions if s.year != replaced)
        old = series.session(replaced)
        if old is None:
            summary = f"session {session.year} added: {session_dates(session)}"
        else:
            summary = f"session {replaced}: {session_dates(old)} → {session_dates(session)}"
            if replaced != session.year:
                summary += f" (now {session.year})"
        return self.save_series(replace(series, sessions=(*others, session)), summary)

    def delete_session(self, series_key: str, year: int) -> Change:
        series = self.tracker.meetings[series_key]
        if series.session(year) is None:
            raise EditError(f"{series.name} has no session in {year}")
        others = tuple(s for s in series.sessions if s.year != year)
        summary = f"session {year} deleted ({session_dates(series.session(year))})"
        return self.save_series(replace(series, sessions=others), summary)

    def delete_series(self, key: str) -> Change:
        """Remove a meeting no schedule names (its sessions can be deleted instead)."""
        users = anchored_to(self.tracker, key, every_plan=True)
        if users:
            listed = ", ".join(users[:3]) + ("…" if len(users) > 3 else "")
            raise EditError(
                f"the schedule of {listed} names {key}: change those rules first "
                "(without a session, their deadlines just wait)"
            )
        hosted = [m.key for m in self.tracker.meetings.values() if m.alongside == key]
        if hosted:
            raise EditError(f"{', '.join(hosted)} sits alongside {key}: change that first")
        series = self.tracker.meetings[key]
        self._check(_sessions_in_use_removed(self.tracker, series, replace(series, sessions=())))
        return self._edit(SERIES, key, series_to_doc(series), None, DELETE)


def anchored_to(tracker: TrackerRecords, event_key: str, *, every_plan: bool = False) -> list[str]:
    """Numbers of the obligations whose schedule hangs on a meeting (in the active plan,
    or in every plan year: what a deletion must not orphan)."""
    obligations = tracker.every_obligation() if every_plan else tracker
    return [
        obligation.number
        for obligation in obligations
        if any(
            isinstance(rule, EventRelative) and event_key in rule.events
            for rule in parsed_rules(obligation.rules)
        )
    ]


def obligation_edit_problems(
    records: TrackerRecords, obligation: Obligation, old: Obligation | None = None
) -> list[str]:
    """What is wrong with saving ``obligation`` into the active plan, replacing ``old``
    (None: adding it). The item form shows the same list as it is typed; import says
    the same of a file's record.

    Its group is checked when it is added or moved: an item the tracker already
    holds in a group the plan does not list can still be edited.
    """
    problems = []
    if old is None and records.get(obligation.key) is not None:
        problems.append(f"id: {obligation.number} already exists")
    groups = {group.key for group in records.reference.groups} or None
    if old is not None and old.group == obligation.group:
        groups = None
    return problems + obligation_problems(obligation, records.meetings, groups)


def _index_of(notes: list[Note], note: Note) -> int:
    try:
        return notes.index(note)
    except ValueError:
        raise EditError("that note is no longer there (it was changed or deleted)") from None


def session_edit_problems(
    tracker: TrackerRecords,
    series_key: str,
    session: Session,
    replaces: int | None = None,
    *,
    adding: bool = False,
) -> list[str]:
    """What is wrong with saving ``session`` into a series: ``replaces`` is the year of
    the session it replaces (default: its own); ``adding`` refuses a year already held.
    The session form shows the same list as it is typed."""
    series = tracker.meetings[series_key]
    problems = session_problems(session)
    replaced = session.year if replaces is None else replaces
    if (adding or replaced != session.year) and series.session(session.year) is not None:
        problems.append(f"year: {series.name} already has a session in {session.year}")
    edited = replace(
        series, sessions=(*(s for s in series.sessions if s.year != replaced), session)
    )
    return problems + _sessions_in_use_removed(tracker, series, edited)


def _sessions_in_use_removed(
    tracker: TrackerRecords, old: MeetingSeries | None, new: MeetingSeries
) -> list[str]:
    """A session that holds completed occurrences keeps its year: history hangs on it."""
    if old is None:
        return []
    kept = {s.year for s in new.sessions}
    problems = []
    for session in old.sessions:
        if session.year in kept:
            continue
        holders = completed_in(tracker, session_id(old.key, session.year))
        if holders:
            listed = ", ".join(holders[:3]) + ("…" if len(holders) > 3 else "")
            problems.append(
                f"the {session.year} session holds completed occurrences ({listed}); "
                "take those back first, or edit its dates instead"
            )
    return problems


def completed_in(tracker: TrackerRecords, session: str) -> list[str]:
    """Numbers of the obligations, in any plan year, with a completed occurrence
    hanging on ``session``."""
    return [
        obligation.number
        for obligation in tracker.every_obligation()
        if any(c.session == session for c in obligation.completions)
    ]


def _due_of(completion: Completion) -> date | None:
    if completion.due is not None:
        return completion.due
    try:  # a dated occurrence's key is its due date
        return date.fromisoformat(completion.occurrence)
    except ValueError:
        return None


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


def next_identity(tracker: TrackerRecords, group_key: str) -> tuple[str, str]:
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
