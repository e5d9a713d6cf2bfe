"""The main screen's edits of one item: status, done, notes, the edit form, add, delete, undo.

Each handler asks the store link to save (on its worker thread) and says
what happened; the panes follow through ``TrackerChanged``. Notes, meetings
and files have screens of their own, opened from here.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial

from store.editing import Editor, next_identity
from store.model import Change, Obligation
from store.validation import OWNER_NEEDED
from tui.nodes import NodeKind
from tui.screens.completion_form import CompletionForm
from tui.screens.dialogs import ConfirmDialog, NoteForm
from tui.screens.files import write_brief
from tui.screens.host import MainHost, ensure_writable, selected_obligation
from tui.screens.meetings import MeetingsScreen
from tui.screens.notes import NotesScreen
from tui.screens.obligation_form import ObligationForm

Handler = Callable[[], object]
"""Runs a command; a coroutine it returns is run as a worker."""


class ItemEditing:
    """Edits of the selected item; each method runs the command of the same id."""

    def __init__(self, host: MainHost) -> None:
        self.host = host

    @property
    def _today(self) -> date:
        return self.host.view.today

    # -- quick edits -------------------------------------------------------------

    async def cycle_status(self) -> None:
        if (obligation := selected_obligation(self.host)) is None:
            return
        if not await ensure_writable(self.host):
            return
        key, today = obligation.key, self._today
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

    async def complete(self) -> None:
        """Mark the earliest open occurrence done today; pressed again, the next one."""
        target = self._completion_target()
        if target is None or not await ensure_writable(self.host):
            return
        key, today = target[0].key, self._today
        await self.host.link.save(lambda editor: editor.complete(key, today))

    async def complete_form(self) -> None:
        """Mark an occurrence done on a given day, with the document that shows it."""
        target = self._completion_target()
        if target is None or not await ensure_writable(self.host):
            return
        obligation, chosen = target
        key, today, view = obligation.key, self._today, self.host.view
        open_ones = view.assessments[key].open_occurrences
        if not open_ones:  # the editor says why (never due, waiting, all done)
            await self.host.link.save(lambda editor: editor.complete(key, today))
            return
        form = CompletionForm(obligation, open_ones, chosen, today, view.meetings)
        form.submit = self.host.link.submit(
            lambda request: (
                lambda editor: editor.complete(
                    key, today, done_on=request.done_on, due=request.due, evidence=request.evidence
                )
            )
        )
        await self.host.app.push_screen_wait(form)

    async def undo(self) -> None:
        if not self.host.link.editor_state.can_undo:
            self.host.notify("Nothing to undo.")
            return
        await self.host.link.save(Editor.undo)

    async def redo(self) -> None:
        if not self.host.link.editor_state.can_redo:
            self.host.notify("Nothing to redo.")
            return
        await self.host.link.save(Editor.redo)

    # -- forms and screens ---------------------------------------------------------

    async def add_note(self) -> None:
        obligation = selected_obligation(self.host)
        if obligation is None or not await ensure_writable(self.host):
            return
        key, today = obligation.key, self._today
        form = NoteForm(f"New note on {obligation.number}")
        form.submit = self.host.link.submit(
            lambda text: lambda editor: editor.add_note(key, text, today)
        )
        await self.host.app.push_screen_wait(form)

    async def notes(self) -> None:
        obligation = selected_obligation(self.host)
        if obligation is None or not await ensure_writable(self.host):
            return
        await self.host.app.push_screen_wait(NotesScreen(self.host.link, obligation.key))

    async def edit(self) -> None:
        obligation = selected_obligation(self.host)
        if obligation is None or not await ensure_writable(self.host):
            return
        form = ObligationForm(obligation, self.host.view)
        # An unchanged record is not saved (no log entry, no "saved" message).
        form.submit = self.host.link.submit(
            lambda edited: partial(_save_unless_same, obligation, edited)
        )
        await self.host.app.push_screen_wait(form)

    async def add(self) -> None:
        group_key = self._group_for_new_item()
        if group_key is None or not await ensure_writable(self.host):
            return
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
        added = await self.host.app.push_screen_wait(form)
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

    async def delete(self) -> None:
        obligation = selected_obligation(self.host)
        if obligation is None or not await ensure_writable(self.host):
            return
        question = f"Delete {obligation.number} ({obligation.short_title})? u undoes it."
        if await self.host.app.push_screen_wait(ConfirmDialog(question)):
            key = obligation.key
            await self.host.link.save(lambda editor: editor.delete_obligation(key))

    async def meetings(self) -> None:
        """The meetings editor: series and their sessions; each edit saves at once."""
        await self.host.app.push_screen_wait(MeetingsScreen(self.host.link))

    async def brief(self) -> None:
        """Write the brief for the meeting on the calendar's day, else the next one."""
        day = self.host.calendar_day() or self._today
        await write_brief(self.host.app.screen, self.host.link, day)


def _save_unless_same(before: Obligation, edited: Obligation, editor: Editor) -> Change | None:
    """Save ``edited`` unless the form changed nothing."""
    return None if edited == before else editor.save_obligation(edited)
