"""The main screen's editing keys: each edit goes to the store, then the panes refresh.

Kept apart from navigation so each file stays readable; ``MainScreen``
mixes this in. Forms are modal screens awaited in a worker.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from textual import work
from textual.binding import Binding, BindingType
from textual.notifications import SeverityLevel
from textual.screen import Screen

from store.bulk import listed
from store.editing import (
    EditError,
    Editor,
    anchored_to,
    completed_in,
    next_identity,
    session_edit_problems,
)
from store.model import Change, Note, Obligation, session_id
from store.repository import EditConflict
from store.storage import StoreError
from tui.screens.completion_form import CompletionForm
from tui.screens.dialogs import ConfirmDialog, NoteForm
from tui.screens.form import FormScreen
from tui.screens.meetings import (
    MeetingsScreen,
    SeriesForm,
    SessionEdit,
    SessionForm,
    series_option_id,
    session_option_id,
)
from tui.screens.notes import NotesScreen
from tui.screens.obligation_form import OWNER_NEEDED, ObligationForm
from tui.widgets.agenda import Agenda
from tui.widgets.calendar import MonthCalendar

if TYPE_CHECKING:
    from tui.app import CicteApp
    from tui.view import TrackerView
    from tui.widgets.mandate_tree import NodeRef

READ_ONLY = "Read-only: another cicte-tui is editing this file; nothing was changed."

T = TypeVar("T")


@dataclass(frozen=True)
class Refusal:
    """Why an edit was not saved, and how loudly to say it."""

    words: str
    severity: SeverityLevel


class EditingActions(Screen[None]):
    """Status, occurrences, notes, the edit form, add/delete, meetings, undo/redo."""

    EDIT_BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "cycle_status", "Status", id="cycle-status"),
        Binding("x", "complete", "Done today", id="complete"),
        Binding("X", "complete_form", "Done on… (date, evidence)", id="complete-form", show=False),
        Binding("n", "add_note", "Note", id="add-note"),
        Binding("N", "notes", "Edit notes", id="notes", show=False),
        Binding("e", "edit", "Edit", id="edit"),
        Binding("a", "add", "Add item", id="add", show=False),
        Binding("d", "delete", "Delete item", id="delete", show=False),
        Binding("E", "meetings", "Meetings and sessions", id="meetings", show=False),
        Binding("u,ctrl+z", "undo", "Undo", id="undo"),
        Binding("ctrl+y", "redo", "Redo", id="redo", show=False),
        Binding("b", "brief", "Meeting brief (file)", id="brief", show=False),
    ]

    view: TrackerView

    if TYPE_CHECKING:  # provided by MainScreen, which mixes this class in

        def selected(self) -> NodeRef | None: ...

        def after_edit(self, change: Change) -> None: ...

        def cursor_day(self) -> date: ...

        def jump_to(self, key: str) -> None: ...

    @property
    def cicte(self) -> CicteApp:
        from tui.app import CicteApp

        assert isinstance(self.app, CicteApp)
        return self.app

    def edit_commands(self) -> list[tuple[str, Callable[[], Any], str]]:
        """Palette entries for the editing keys and the files the app writes."""
        entries: list[tuple[str, Callable[[], Any], str]] = [
            (f"Edit: {binding.description}", partial(self.run_action, binding.action), binding.key)
            for binding in self.EDIT_BINDINGS
            if isinstance(binding, Binding) and binding.action != "brief"
        ]
        entries.append(("File: meeting brief (Markdown)", partial(self.write_file, "brief"), "b"))
        for kind, words in (
            ("ics", "iCalendar (.ics) for Outlook, Google, Thunderbird"),
            ("markdown", "Markdown report"),
            ("csv", "CSV spreadsheet"),
            ("json", "JSON (whole tracker, for import)"),
        ):
            entries.append((f"File: export {words}", partial(self.write_file, kind), "palette"))
        return entries

    # -- plumbing --------------------------------------------------------------

    def _selected_obligation(self) -> Obligation | None:
        ref = self.selected()
        if ref is None or ref.kind != "obligation":
            self.notify("Select an obligation in the tree first.", severity="warning")
            return None
        return self.view.tracker.obligation(ref.key)

    def _writable(self) -> bool:
        tracker = self.view.tracker
        if not tracker.read_only:
            return True
        try:
            writable = tracker.become_writer()  # the other cicte-tui may have closed by now
        except StoreError as error:
            self.notify(f"Read-only: {error}", severity="error", markup=False)
            return False
        if not writable:
            self.notify(READ_ONLY, severity="error", markup=False)
            return False
        self.notify("The other cicte-tui has closed: this one edits the tracker now.")
        self.cicte.tracker_reopened()
        return True

    async def save(
        self, operation: Callable[..., Change | None], *args: Any, said: str | None = None
    ) -> Change | None:
        """Run one editor operation on the store thread; refresh the panes, then report.

        ``said``: the report (by default, what the change did, in words).
        """
        change, problem = await self._store(operation, *args, said=said)
        if problem is not None:
            timeout = 10 if problem.severity == "error" else None
            self.notify(problem.words, severity=problem.severity, markup=False, timeout=timeout)
        return change

    async def _store(
        self, operation: Callable[..., Change | None], *args: Any, said: str | None = None
    ) -> tuple[Change | None, Refusal | None]:
        """Save, show and report the change; or say why it was not saved (not reported)."""
        if not self._writable():
            return None, None  # said already
        try:
            change = await self.cicte.in_store(operation, *args)
        except EditError as error:
            return None, Refusal(str(error), "warning")
        except EditConflict as error:  # the dialog that settles it has the edit now
            self.notify(f"Not saved: {error}", severity="error", markup=False, timeout=10)
            return None, None
        except (StoreError, OSError) as error:
            self.view.refresh()
            return None, Refusal(f"Not saved: {error}", "error")
        if change is not None:
            self.after_edit(change)
            self.notify(said or self._said(change), markup=False, timeout=4)
        return change, None

    def saving(
        self, form: FormScreen[T], operation: Callable[[T], Callable[[], Change | None]]
    ) -> FormScreen[T]:
        """``form``, saving its result with ``operation(result)`` before it closes: a save
        that fails keeps the form open, with what was typed, and says why at its top."""

        async def submit(result: T) -> str | None:
            _, problem = await self._store(operation(result))
            return None if problem is None else problem.words

        form.submit = submit
        return form

    def _said(self, change: Change) -> str:
        touched = self.cicte.editor.last_touched
        if len(touched) > 1 and change.key in touched:  # a bulk edit, undone or redone
            numbers = [o.number if (o := self.view.obligation(k)) else k for k in touched]
            return f"{change.action}: {len(touched)} items ({listed(numbers)})"
        return f"{self._name_of(change)}: {change.summary}"

    def _name_of(self, change: Change) -> str:
        """How the user knows the record: ``1.iv`` rather than ``I-1.iv``.

        An edit's log keeps only the fields that changed, so the number comes
        from the record itself (or from the whole record, for a deletion).
        """
        if change.target == "obligation":
            obligation = self.view.obligation(change.key)
            if obligation is not None:
                return obligation.number
            record = change.before or change.after or {}
            return str(record.get("number") or change.key)
        return change.key

    # -- quick edits -----------------------------------------------------------

    async def action_cycle_status(self) -> None:
        if (obligation := self._selected_obligation()) is None:
            return
        change = await self.save(self.cicte.editor.cycle_status, obligation.key, self.view.today)
        updated = self.view.tracker.get(obligation.key)
        if change and updated and updated.status in OWNER_NEEDED and not updated.owner:
            self.notify(f"{updated.number} has no owner yet: press e to name one.", markup=False)

    def _completion_target(self) -> tuple[Obligation, date | None] | None:
        """The obligation to mark done, and the due date under the cursor if there is one.

        The agenda's line when the agenda has focus; else the tree's item, with
        the calendar's cursor day when the calendar has focus and it falls due then.
        """
        focused = self.focused
        if isinstance(focused, Agenda) and (line := focused.highlighted_line) is not None:
            obligation = self.view.obligation(line.key)
            if obligation is not None:
                return obligation, line.day
        obligation = self._selected_obligation()
        if obligation is None:
            return None
        if isinstance(focused, MonthCalendar):
            return obligation, focused.cursor
        return obligation, None

    async def action_complete(self) -> None:
        """Mark the earliest open occurrence done today; pressed again, the next one."""
        if (target := self._completion_target()) is not None:
            await self.save(self.cicte.editor.complete, target[0].key, self.view.today)

    @work(group="dialog")
    async def action_complete_form(self) -> None:
        """Mark an occurrence done on a given day, with the document that shows it."""
        target = self._completion_target()
        if target is None or not self._writable():
            return
        obligation, chosen = target
        today = self.view.today
        editor = self.cicte.editor
        open_ones = self.view.assessments[obligation.key].open_occurrences
        if not open_ones:  # the editor says why (never due, waiting, all done)
            await self.save(editor.complete, obligation.key, today)
            return
        form = CompletionForm(obligation, open_ones, chosen, today, self.view.meetings)
        await self.app.push_screen_wait(
            self.saving(
                form,
                lambda request: partial(
                    editor.complete,
                    obligation.key,
                    today,
                    done_on=request.done_on,
                    due=request.due,
                    evidence=request.evidence,
                ),
            )
        )

    async def action_undo(self) -> None:
        if not self.cicte.editor.can_undo:
            self.notify("Nothing to undo.")
            return
        await self.save(self.cicte.editor.undo)

    async def action_redo(self) -> None:
        if not self.cicte.editor.can_redo:
            self.notify("Nothing to redo.")
            return
        await self.save(self.cicte.editor.redo)

    # -- forms -----------------------------------------------------------------

    @work(group="dialog")
    async def action_add_note(self) -> None:
        obligation = self._selected_obligation()
        if obligation is None or not self._writable():
            return
        add = partial(self.cicte.editor.add_note, obligation.key)
        form = NoteForm(f"New note on {obligation.number}")
        await self.app.push_screen_wait(
            self.saving(form, lambda text: partial(add, text, self.view.today))
        )

    @work(group="dialog")
    async def action_notes(self) -> None:
        obligation = self._selected_obligation()
        if obligation is None or not self._writable():
            return
        key = obligation.key
        while True:
            notes = self.view.tracker.obligation(key).notes
            request = await self.app.push_screen_wait(
                NotesScreen(f"Notes on {obligation.number}", notes)
            )
            if request is None:
                return
            what, note = request
            editor = self.cicte.editor
            if what == "add":
                form = NoteForm(f"New note on {obligation.number}")
                await self.app.push_screen_wait(
                    self.saving(form, partial(_note_added, editor, key, self.view.today))
                )
            elif what == "edit" and note is not None:
                form = NoteForm("Edit note", note.text)
                await self.app.push_screen_wait(
                    self.saving(form, partial(_note_edited, editor, key, note))
                )
            elif note is not None and await self.app.push_screen_wait(
                ConfirmDialog("Delete this note?")
            ):
                await self.save(editor.delete_note, key, note)

    @work(group="dialog")
    async def action_edit(self) -> None:
        obligation = self._selected_obligation()
        if obligation is None or not self._writable():
            return
        form = ObligationForm(obligation, self.view)
        save = self.cicte.editor.save_obligation
        # An unchanged record is not saved (no log entry, no "saved" message).
        await self.app.push_screen_wait(
            self.saving(form, lambda edited: partial(_unless_same, save, obligation, edited))
        )

    @work(group="dialog")
    async def action_add(self) -> None:
        group_key = self._group_for_new_item()
        if group_key is None or not self._writable():
            return
        group = self.view.groups[group_key]
        key, number = next_identity(self.view.tracker, group_key)
        template = Obligation(
            key, number, group.section, group_key, "", "", ("tbd",), last_reviewed=self.view.today
        )
        form = ObligationForm(template, self.view, adding=True)
        add = _with_result(self.cicte.editor.add_obligation)
        added = await self.app.push_screen_wait(self.saving(form, add))
        if added is not None:
            self.jump_to(added.key)

    def _group_for_new_item(self) -> str | None:
        ref = self.selected()
        if ref is not None and ref.kind == "obligation":
            return self.view.tracker.obligation(ref.key).group
        if ref is not None and ref.kind == "group" and not self.view.child_groups(ref.key):
            return ref.key
        self.notify("Select a group or programme (or an item in it) to add to.", severity="warning")
        return None

    @work(group="dialog")
    async def action_delete(self) -> None:
        obligation = self._selected_obligation()
        if obligation is None or not self._writable():
            return
        question = f"Delete {obligation.number} ({obligation.short_title})? u undoes it."
        if await self.app.push_screen_wait(ConfirmDialog(question)):
            await self.save(self.cicte.editor.delete_obligation, obligation.key)

    @work(group="dialog")
    async def action_meetings(self) -> None:
        """The meetings editor: series and their sessions; each edit saves at once."""
        focus: str | None = None
        while True:
            meetings = dict(self.view.meetings)
            request = await self.app.push_screen_wait(
                MeetingsScreen(meetings, self._anchored_counts(), focus)
            )
            if request is None:
                return
            key, year = request.series, request.year
            focus = _meetings_focus(key, year)
            if not self._writable():
                continue
            series = meetings.get(key) if key else None
            if request.what == "delete" and series is not None:
                if year is None:
                    await self._delete_series(series.key)
                elif await self._delete_session(series.key, year):
                    focus = series_option_id(series.key)
            elif request.what in ("add-session", "edit-session") and series is not None:
                session = series.session(year) if year is not None else None
                latest = max((s.year for s in series.sessions), default=self.view.plan.year - 1)
                check = partial(
                    session_edit_problems,
                    self.view.tracker,
                    series.key,
                    replaces=session.year if session else None,
                    adding=session is None,
                )
                form = SessionForm(series, session, year if session else latest + 1, check)
                edit = await self.app.push_screen_wait(
                    self.saving(form, partial(_session_saved, self.cicte.editor, series.key))
                )
                if edit is not None:
                    focus = session_option_id(series.key, edit.session.year)
            elif request.what in ("add-series", "edit-series"):
                form = SeriesForm(series, meetings)
                edited = await self.app.push_screen_wait(
                    self.saving(form, _with_result(self.cicte.editor.save_series))
                )
                if edited is not None:
                    focus = series_option_id(edited.key)

    async def _delete_series(self, key: str) -> None:
        editor = self.cicte.editor
        if anchored_to(self.view.tracker, key, every_plan=True):
            await self.save(editor.delete_series, key)  # refused, with the reason
        elif await self.app.push_screen_wait(ConfirmDialog(f"Delete the meeting {key}?")):
            await self.save(editor.delete_series, key)

    async def _delete_session(self, key: str, year: int) -> bool:
        """True when the session was deleted."""
        editor = self.cicte.editor
        name = self.view.meetings[key].name
        if completed_in(self.view.tracker, session_id(key, year)):
            await self.save(editor.delete_session, key, year)  # refused, with the reason
            return False
        question = (
            f"Delete the {year} session of the {name}? Once this list is closed, u undoes it."
        )
        if await self.app.push_screen_wait(ConfirmDialog(question)):
            return await self.save(editor.delete_session, key, year) is not None
        return False

    def _anchored_counts(self) -> dict[str, int]:
        return {key: len(anchored_to(self.view.tracker, key)) for key in self.view.meetings}

    # -- files -------------------------------------------------------------------

    async def write_file(self, kind: str, event: str | None = None) -> Path | None:
        """Write the brief (for ``event``, ``SERIES/YEAR``) or an export into the current
        folder, and say where.

        The file is built on the store thread: it reads the records that the
        store thread writes, and a large export should not freeze the screen.
        """
        from store.formats.brief import brief_markdown
        from store.formats.export import OutputError, export_bytes, write_output

        if kind == "brief" and event is None:
            # The palette's entry and the key choose the meeting alike (and may ask).
            self.action_brief()
            return None
        tracker, outlook = self.view.tracker, self.view.outlook
        suffix = {"ics": "ics", "csv": "csv", "markdown": "md", "json": "json", "brief": "md"}[kind]

        def build_and_write() -> Path | None:
            if kind == "brief":
                content = brief_markdown(tracker, outlook, event).encode("utf-8")
                series = (event or "").partition("/")[0]
                stem = f"cicte-brief-{series}-{outlook.today.isoformat()}"
            else:
                content = export_bytes(kind, tracker, outlook)
                stem = f"cicte-tracker-{outlook.today.isoformat()}"
            target = _free_name(Path.cwd(), stem, suffix)
            return write_output(str(target), content, protect=tracker.path)

        try:
            path = await self.cicte.in_store(build_and_write)
        except (OutputError, ValueError, OSError) as error:
            self.notify(f"Not written: {error}", severity="error", markup=False, timeout=10)
            return None
        self.notify(f"Wrote {path}", markup=False, timeout=10)
        return path

    def _event_for_brief(self) -> str | None:
        """The session on the calendar's cursor day, else the next one after it: ``SERIES/YEAR``.

        None when no dated meeting follows.
        """
        day = self.cursor_day()
        following = [
            (session.start, series.key, session.year)
            for series in self.view.meetings.values()
            for session in series.sessions
            if session.start is not None and (session.last_day or session.start) >= day
        ]
        if not following:
            return None
        _, key, year = min(following)
        return session_id(key, year)

    @work(group="dialog")
    async def action_brief(self) -> None:
        """Write the brief for the meeting on the calendar's day, else the next one.

        With no meeting ahead, ask which session: a short list, the last one first.
        """
        from tui.screens.brief_choice import BriefChoice, briefable_sessions

        event = self._event_for_brief()
        if event is None:
            sessions = briefable_sessions(self.view.meetings)
            if not sessions:
                self.notify("No meeting has a date yet: press E to give a session its dates.")
                return
            event = await self.app.push_screen_wait(
                BriefChoice(sessions, self.view.today, self.cursor_day())
            )
            if event is None:
                return
        await self.write_file("brief", event)


def _with_result(
    operation: Callable[[T], Change | None],
) -> Callable[[T], Callable[[], Change | None]]:
    """What saves a form's result with ``operation``."""
    return lambda result: partial(operation, result)


def _session_saved(editor: Editor, key: str, edit: SessionEdit) -> Callable[[], Change | None]:
    return partial(editor.save_session, key, edit.session, year=edit.replaces)


def _note_added(editor: Editor, key: str, today: date, text: str) -> Callable[[], Change | None]:
    return partial(editor.add_note, key, text, today)


def _note_edited(editor: Editor, key: str, note: Note, text: str) -> Callable[[], Change | None]:
    return partial(editor.edit_note, key, note, text)


def _unless_same(
    save: Callable[[Obligation], Change | None], before: Obligation, edited: Obligation
) -> Change | None:
    """Save ``edited`` unless the form changed nothing."""
    return None if edited == before else save(edited)


def _meetings_focus(key: str | None, year: int | None) -> str | None:
    """The line of the meetings list to come back to after an edit."""
    if key is None:
        return None
    return series_option_id(key) if year is None else session_option_id(key, year)


def _free_name(folder: Path, stem: str, suffix: str) -> Path:
    """``stem.suffix`` in ``folder``, or ``stem-2.suffix``… when taken."""
    path = folder / f"{stem}.{suffix}"
    index = 2
    while path.exists():
        path = folder / f"{stem}-{index}.{suffix}"
        index += 1
    return path
