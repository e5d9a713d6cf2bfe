"""An obligation's notes, newest first: add, edit and delete them, each saved at once."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.widgets import Static
from textual.widgets.option_list import Option

from store.model import Note, shorten
from tui.saving import StoreLink
from tui.screens.dialogs import ConfirmDialog, NoteForm
from tui.screens.lists import RecordList


class NotesScreen(RecordList):
    """The notes of one obligation; the list shows each change as soon as it is saved."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "add", "Add note", id="notes-add"),
        Binding("e,enter", "edit", "Edit note", id="notes-edit"),
        Binding("d", "delete", "Delete note", id="notes-delete"),
    ]
    LIST_ID: ClassVar[str] = "note-list"

    def __init__(self, link: StoreLink, key: str) -> None:
        """``key``: the obligation's (it must be in ``link.view``)."""
        super().__init__(link)
        self.key = key
        self.number = link.view.records.obligation(key).number

    @property
    def notes(self) -> list[Note]:
        """Newest first, as listed."""
        obligation = self.view.obligation(self.key)
        notes = obligation.notes if obligation is not None else ()
        return sorted(notes, key=lambda note: note.at, reverse=True)

    def heading(self) -> Text:
        words = f"Notes on {self.number} — a add · e edit · d delete · esc close"
        return Text(words, style="bold")

    def options(self) -> list[Option]:
        return [_note_line(index, note) for index, note in enumerate(self.notes)]

    def hint(self) -> Text:
        return Text("No notes yet: press a to add one.", style="dim")

    def shown(self) -> None:
        self.query_one("#list-hint", Static).display = not self.notes

    def _chosen(self) -> Note | None:
        highlighted = self.option_list.highlighted
        notes = self.notes
        return None if highlighted is None or highlighted >= len(notes) else notes[highlighted]

    def choose(self, option: Option) -> None:
        self.action_edit()

    def action_add(self) -> None:
        self.start(self._add)

    def action_edit(self) -> None:
        if (note := self._chosen()) is not None:
            self.start(lambda: self._edit(note))

    def action_delete(self) -> None:
        if (note := self._chosen()) is not None:
            self.start(lambda: self._delete(note))

    async def _add(self) -> None:
        key, today = self.key, self.view.today
        form = NoteForm(f"New note on {self.number}")
        form.submit = self.submit(lambda text: lambda editor: editor.add_note(key, text, today))
        if await self.ask(form) is not None:
            self.show()

    async def _edit(self, note: Note) -> None:
        key = self.key
        form = NoteForm("Edit note", note.text)
        form.submit = self.submit(lambda text: lambda editor: editor.edit_note(key, note, text))
        if await self.ask(form) is not None:
            self.show()

    async def _delete(self, note: Note) -> None:
        key = self.key
        if await self.ask(ConfirmDialog("Delete this note?")):
            await self.save(lambda editor: editor.delete_note(key, note))
            self.show()


def _note_line(index: int, note: Note) -> Option:
    line = Text()
    line.append(note.at.strftime("%Y-%m-%d %H:%M  "), style="bold")
    line.append(shorten(note.text, 70))
    return Option(line, id=str(index))
