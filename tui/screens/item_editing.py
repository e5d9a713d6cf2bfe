"""The main screen's edits of one item: status, done, notes, the edit form, add, delete, undo.

Each handler asks the store link to save (on its worker thread) and says
what happened; the panes follow through ``TrackerChanged``. Notes, meetings
and files have screens of their own, opened from here.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial

from store.editing import EditError, Editor, next_identity
from store.model import Change, Obligation
from store.validation import OWNER_NEEDED
from tui.nodes import NodeKind
from tui.screens.completion_form import CompletionForm
from tui.screens.dialogs import ConfirmDialog, NoteForm
from tui.screens.files import brief_for_day
from tui.screens.host import Later, MainHost, open_then, selected_obligation
from tui.screens.meetings import MeetingsScreen
from tui.screens.notes import NotesScreen
from tui.screens.obligation_form import ObligationForm

Handler = Callable[[], object]
"""Runs a command; a coroutine it returns is run as a worker."""


class ItemEditing:
    """Edits of the selected item; each method runs the command of the same id.

    A method reads what it acts on (the selected item, the agenda's line, the
    calendar's day) and opens its form at once, when the key is pressed; the
    save is left to a worker. So keys typed quickly act on the lines they were
    typed on, and the keys typed after a form's key go into the form.
    """

    def __init__(self, host: MainHost) -> None:
        self.host = host

    @property
    def _today(self) -> date:
        return self.host.view.today

    def _save(self, operation: Callable[[Editor], Change | None]) -> Later:
        return self.host.link.save(operation)

    # -- quick edits -------------------------------------------------------------

    def cycle_status(self) -> Later:
        if (obligation := selected_obligation(self.host)) is None:
            return None
        key, today = obligation.key, self._today
        return self._cycle_status(key, today)

    async def _cycle_status(self, key: str, today: date) -> None:
        if await self.host.link.save(lambda editor: editor.cycle_status(key, today)) is None:
            return
        updated = self.host.link.view.obligation(key)
        if updated and updated.status in OWNER_NEEDED and not updated.owner:
            self.host.notify(
                f"{updated.number} has no owner yet: press e to name one.", markup=False
            )

    def _completion_target(self) -> tuple[Obligation, date | None] | None:
        """The obligation to mark done, and the due date under the cursor if there is one.

        The agenda's line when the agenda has focus; else the tree's item, with
        the calendar's cursor day when the calendar has focus.
        """
        line = self.host.focused_agenda_line()
        if line is not None and (obligation := self.host.view.obligation(line.key)) is not None:
            return obligation, line.day
        obligation = selected_obligation(self.host)
        if obligation is None:
            return None
        return obligation, self.host.calendar_day(focused_only=True)

    def complete(self) -> Later:
        """Mark the earliest open occurrence done today; pressed again, the next one."""
        if (target := self._completion_target()) is None:
            return None
        key, today = target[0].key, self._today
        return self._save(lambda editor: editor.complete(key, today))

    def complete_form(self) -> Later:
        """Mark an occurrence done on a given day, with the document that shows it."""
        if (target := self._completion_target()) is None:
            return None
        obligation, chosen = target
        key, today, view = obligation.key, self._today, self.host.view
        open_ones = view.assessments[key].open_occurrences
        if not open_ones:  # the editor says why (never due, waiting, all done)
            return self._save(lambda editor: editor.complete(key, today))
        form = CompletionForm(obligation, open_ones, chosen, today, view.meetings)
        form.submit = self.host.link.submit(
            lambda request: (
                lambda editor: editor.complete(
                    key, today, done_on=request.done_on, due=request.due, evidence=request.evidence
                )
            )
        )
        return open_then(self.host, form, _nothing)

    def undo(self) -> Later:
        return self._save(_undo)

    def redo(self) -> Later:
        return self._save(_redo)

    # -- forms and screens ---------------------------------------------------------

    def add_note(self) -> Later:
        if (obligation := selected_obligation(self.host)) is None:
            return None
        key, today = obligation.key, self._today
        form = NoteForm(f"New note on {obligation.number}")
        form.submit = self.host.link.submit(
            lambda text: lambda editor: editor.add_note(key, text, today)
        )
        return open_then(self.host, form, _nothing)

    def notes(self) -> Later:
        if (obligation := selected_obligation(self.host)) is None:
            return None
        return open_then(self.host, NotesScreen(self.host.link, obligation.key), _nothing)

    def edit(self) -> Later:
        if (obligation := selected_obligation(self.host)) is None:
            return None
        form = ObligationForm(obligation, self.host.view)
        # An unchanged record is not saved (no log entry, no "saved" message).
        form.submit = self.host.link.submit(
            lambda edited: partial(_save_unless_same, obligation, edited)
        )
        return open_then(self.host, form, _nothing)

    def add(self) -> Later:
        if (group_key := self._group_for_new_item()) is None:
            return None
        view = self.host.view
        group = view.groups[group_key]
        key, number = next_identity(view.records, group_key)
        template = Obligation(
            key, number, group.section, group_key, "", "", ("tbd",), last_reviewed=view.today
        )
        form = ObligationForm(template, view, adding=True)
        form.submit = self.host.link.submit(
            lambda added: lambda editor: editor.add_obligation(added)
        )
        return open_then(self.host, form, self._show_added)

    def _show_added(self, added: Obligation | None) -> None:
        if added is not None:
            self.host.jump_to(added.key)

    def _group_for_new_item(self) -> str | None:
        ref, view = self.host.selected_ref(), self.host.view
        if ref is not None and ref.kind is NodeKind.OBLIGATION:
            obligation = view.obligation(ref.key)
            if obligation is not None:
                return obligation.group
        if ref is not None and ref.kind is NodeKind.GROUP and not view.child_groups(ref.key):
            return ref.key
        self.host.notify(
            "Select a group or programme (or an item in it) to add to.", severity="warning"
        )
        return None

    def delete(self) -> Later:
        if (obligation := selected_obligation(self.host)) is None:
            return None
        key = obligation.key
        question = f"Delete {obligation.number} ({obligation.short_title})? u undoes it."
        return open_then(
            self.host,
            ConfirmDialog(question),
            lambda _yes: self._save(lambda editor: editor.delete_obligation(key)),
        )

    def meetings(self) -> Later:
        """The meetings editor: series and their sessions; each edit saves at once."""
        self.host.app.push_screen(MeetingsScreen(self.host.link))
        return None

    def brief(self) -> Later:
        """Write the brief for the meeting on the calendar's day, else the next one."""
        day = self.host.calendar_day() or self._today
        return brief_for_day(self.host.app.screen, self.host.link, day)


def _nothing(_result: object) -> None:
    """A form that saves by itself: nothing more to do with what it returns."""


def _undo(editor: Editor) -> Change | None:
    # Checked in the store's job, in turn: keys typed quickly undo what came before them.
    if not editor.can_undo:
        raise EditError("Nothing to undo.")
    return editor.undo()


def _redo(editor: Editor) -> Change | None:
    if not editor.can_redo:
        raise EditError("Nothing to redo.")
    return editor.redo()


def _save_unless_same(before: Obligation, edited: Obligation, editor: Editor) -> Change | None:
    """Save ``edited`` unless the form changed nothing."""
    return None if edited == before else editor.save_obligation(edited)
