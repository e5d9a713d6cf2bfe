"""An obligation's notes, newest first, to pick one to edit or delete."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from store.model import Note, shorten

NoteRequest = tuple[str, Note | None]
"""(``add`` | ``edit`` | ``delete``, the note chosen)."""


class NotesScreen(ModalScreen[NoteRequest | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "request('add')", "Add note"),
        Binding("e,enter", "request('edit')", "Edit note"),
        Binding("d", "request('delete')", "Delete note"),
        Binding("escape", "close", "Close"),
    ]

    def __init__(self, title: str, notes: tuple[Note, ...]) -> None:
        super().__init__()
        self.title_text = title
        self.notes = sorted(notes, key=lambda n: n.at, reverse=True)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Static(
                Text(f"{self.title_text} — a add · e edit · d delete · esc close", style="bold")
            )
            options = [self._option(index, note) for index, note in enumerate(self.notes)]
            yield OptionList(*options, id="note-list")
            if not self.notes:
                yield Static(Text("No notes yet: press a to add one.", style="dim"))

    def _option(self, index: int, note: Note) -> Option:
        line = Text()
        line.append(note.at.strftime("%Y-%m-%d %H:%M  "), style="bold")
        line.append(shorten(note.text, 70))
        return Option(line, id=str(index))

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def _chosen(self) -> Note | None:
        highlighted = self.query_one(OptionList).highlighted
        return None if highlighted is None else self.notes[highlighted]

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(("edit", self._chosen()))

    def action_request(self, what: str) -> None:
        note = None if what == "add" else self._chosen()
        if what != "add" and note is None:
            return
        self.dismiss((what, note))

    def action_close(self) -> None:
        self.dismiss(None)
