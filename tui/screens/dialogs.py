"""Small modal dialogs: a yes/no question, the note editor, and the bulk status and owner."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widget import Widget
from textual.widgets import Button, Input, Static, TextArea
from textual.widgets.option_list import Option

from store.model import Status
from store.text import clean_text
from store.validation import note_problems
from tui.screens.form import FormScreen
from tui.screens.lists import ListScreen


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

    FRAME: ClassVar[type[Widget]] = Vertical
    FRAME_CLASSES: ClassVar[str] = "dialog wide"

    def __init__(self, title: str, text: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.initial = text

    def heading(self) -> Text:
        return Text(self.title_text, style="bold")

    def fields(self) -> ComposeResult:
        yield TextArea(self.initial, id="note-text", soft_wrap=True)

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


class StatusChoice(ListScreen[Status]):
    """One status for every marked item: choosing it is the one confirmation."""

    FRAME_CLASSES: ClassVar[str] = "dialog"
    LIST_ID: ClassVar[str] = "status-options"

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def heading(self) -> Text:
        return Text(self.question)

    def options(self) -> list[Option]:
        return [Option(Text(status.value), id=status.name) for status in Status]

    def hint(self) -> Text:
        return Text("enter: set it on all of them · escape: cancel", style="italic")

    def choose(self, option: Option) -> None:
        self.dismiss(Status[option.id or ""])


class OwnerForm(FormScreen[str]):
    """One owner for every marked item; enter saves it on all (empty: no owner)."""

    FRAME: ClassVar[type[Widget]] = Vertical
    FRAME_CLASSES: ClassVar[str] = "dialog"
    SAVE_LABEL: ClassVar[str] = "Save for all (enter)"

    def __init__(self, question: str, owners: list[str]) -> None:
        """``owners``: the names already in the plan, suggested as the user types."""
        super().__init__()
        self.question = question
        self.owners = owners

    def heading(self) -> Text:
        return Text(self.question)

    def fields(self) -> ComposeResult:
        yield Input(
            placeholder="a name; empty clears the owner",
            id="owner",
            suggester=SuggestFromList(self.owners, case_sensitive=False),
        )

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self) -> None:
        self.action_save()

    def result(self) -> str:
        return clean_text(self.query_one(Input).value)
