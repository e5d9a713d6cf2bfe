"""Small modal dialogs: a yes/no question, the note editor, and the bulk status and owner."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Button, Input, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from store.model import Status
from store.text import clean_text
from store.validation import note_problems
from tui.screens.form import FormScreen


class ConfirmDialog(ModalScreen[bool]):
    """Asks one question; y or enter says yes, n or escape says no."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes"),
        Binding("n,escape", "answer(False)", "No"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(self.question))
            with Horizontal(classes="buttons"):
                yield Button("Yes (y)", id="yes", variant="error")
                yield Button("No (n)", id="no")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)


class NoteForm(FormScreen[str]):
    """A multi-line note; ctrl+s saves, escape cancels."""

    def __init__(self, title: str, text: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.initial = text

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Static(Text(self.title_text, style="bold"))
            yield TextArea(self.initial, id="note-text", soft_wrap=True)
            yield Static(id="form-errors")
            with Horizontal(classes="buttons"):
                yield Button("Save (ctrl+s)", id="save", variant="primary")
                yield Button("Cancel (esc)", id="cancel")

    def on_mount(self) -> None:
        self.query_one(TextArea).focus()

    def _text(self) -> str:
        return clean_text(self.query_one(TextArea).text, multiline=True)

    def errors(self) -> list[str]:
        text = self._text()
        return note_problems(text) if text else ["The note is empty."]

    def on_text_area_changed(self) -> None:
        """A note too long is said as it is typed; an empty one only when saving."""
        self.call_after_refresh(self._show_length)

    def _show_length(self) -> None:
        if self._text():
            self.show_errors()
        else:
            self.query_one("#form-errors", Static).update("")

    def result(self) -> str:
        return self.query_one(TextArea).text


class StatusChoice(ModalScreen[Status | None]):
    """One status for every marked item: choosing it is the one confirmation."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(self.question))
            yield OptionList(
                *(Option(Text(status.value), id=status.name) for status in Status),
                id="status-options",
            )
            yield Static(Text("enter: set it on all of them · escape: cancel", style="italic"))

    def on_mount(self) -> None:
        self.query_one(OptionList).highlighted = 0

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(Status[event.option.id or ""])

    def action_cancel(self) -> None:
        self.dismiss(None)


class OwnerForm(FormScreen[str]):
    """One owner for every marked item; enter saves it on all (empty: no owner)."""

    def __init__(self, question: str, owners: list[str]) -> None:
        """``owners``: the names already in the plan, suggested as the user types."""
        super().__init__()
        self.question = question
        self.owners = owners

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(self.question))
            yield Input(
                placeholder="a name; empty clears the owner",
                id="owner",
                suggester=SuggestFromList(self.owners, case_sensitive=False),
            )
            yield Static(id="form-errors")
            with Horizontal(classes="buttons"):
                yield Button("Save for all (enter)", id="save", variant="primary")
                yield Button("Cancel (esc)", id="cancel")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self) -> None:
        self.action_save()

    def result(self) -> str:
        return clean_text(self.query_one(Input).value)
