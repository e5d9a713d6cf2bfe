"""What every modal form shares: its frame, ctrl+s saves when valid, escape cancels, errors listed.

A form says its heading and yields its fields; the frame adds the
``#form-errors`` line and the Save / Cancel buttons. A save refused for
errors says so in one line at the top of the form and puts the cursor in the
first field that is wrong. A form given ``submit`` saves while it is still
open: a save that fails leaves it open, with what the user typed, and says
why at the top.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from typing import ClassVar, Generic, TypeVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.css.query import NoMatches, QueryError
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Input, Label, Static

from store.rules import RuleError, parse_iso_date

Result = TypeVar("Result")

Submit = Callable[[Result], Awaitable[str | None]]
"""Saves a form's result; returns why it was not saved (None: saved)."""


def cell(label: str, field: Widget) -> Vertical:
    """One labelled field of a row."""
    return Vertical(Label(label), field, classes="cell")


def row(*cells: Widget) -> Horizontal:
    """Fields side by side, each as wide as the others."""
    return Horizontal(*cells, classes="row")


class FormScreen(ModalScreen[Result | None], Generic[Result]):
    """A form in a frame: its heading, its fields, a ``#form-errors`` Static, ``#save`` and
    ``#cancel`` buttons.

    Subclasses say what to show (``heading``, ``fields``), what is wrong
    (``errors``) and what to return (``result``).
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save"),
        Binding("escape", "cancel", "Cancel"),
    ]

    FRAME: ClassVar[type[Widget]] = VerticalScroll
    """The container: forms scroll, short dialogs need not."""
    FRAME_CLASSES: ClassVar[str] = "dialog wide form"
    FRAME_ID: ClassVar[str | None] = None
    SAVE_LABEL: ClassVar[str] = "Save (ctrl+s)"

    ERROR_FIELDS: ClassVar[dict[str, str]] = {}
    """An error's field (the words before its first colon) → the selector of the widget
    to put the cursor in; a field not listed here is looked for as ``#field``."""

    submit: Submit[Result] | None = None
    """Set by the caller: save the result before the form closes (see the module)."""
    _saving = False
    """A save is under way (``submit``): another ctrl+s waits for it."""

    # -- what a form says --------------------------------------------------------

    def heading(self) -> Text:
        """The form's first line (user text in it is never markup)."""
        raise NotImplementedError

    def fields(self) -> ComposeResult:
        """The widgets between the heading and the errors."""
        raise NotImplementedError

    def after_errors(self) -> ComposeResult:
        """Lines between the errors and the buttons (none by default)."""
        return iter(())

    def errors(self) -> list[str]:
        return []

    def result(self) -> Result:
        raise NotImplementedError  # every form returns its own record

    def compose(self) -> ComposeResult:
        with self.FRAME(classes=self.FRAME_CLASSES, id=self.FRAME_ID):
            yield Static(self.heading())
            yield from self.fields()
            yield Static(id="form-errors")
            yield from self.after_errors()
            with Horizontal(classes="buttons"):
                yield Button(self.SAVE_LABEL, id="save", variant="primary")
                yield Button("Cancel (esc)", id="cancel")

    # -- what the user typed -------------------------------------------------------

    def typed(self, field_id: str) -> str:
        """The text of the input ``#field_id``, as typed."""
        return self.query_one(f"#{field_id}", Input).value

    def typed_date(
        self, field_id: str, words: str, found: list[str], *, required: bool = False
    ) -> date | None:
        """The date typed in ``#field_id`` (None when blank and not ``required``); what is
        wrong with it goes to ``found`` as ``words: why``, in the store's words."""
        text = self.typed(field_id).strip()
        if not text and not required:
            return None
        try:
            return parse_iso_date(text)
        except RuleError as error:
            found.append(f"{words}: {error}")
            return None

    # -- errors --------------------------------------------------------------------

    def show_errors(self) -> list[str]:
        """List the current errors under the fields; Save works only without any."""
        found = self.errors()
        message = Text()
        for error in found:
            message.append(f"✗ {error}\n")
        self.query_one("#form-errors", Static).update(message)
        summary = self._summary()
        if summary is not None and summary.display:
            if found:
                summary.update(_summary_line(found))
            else:
                summary.display = False
        return found

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        else:
            self.action_cancel()

    def refused(self) -> bool:
        """Show what stops a save: a line at the top, the cursor in the first wrong field
        (scrolled into view), every error listed under the fields."""
        found = self.show_errors()
        if found:
            self.say(_summary_line(found))
            field = self.error_field(found[0])
            if field is not None and field.focusable:
                field.focus()
                field.scroll_visible(animate=False)
            else:
                self.query_one("#form-errors", Static).scroll_visible(animate=False)
        return bool(found)

    def error_field(self, error: str) -> Widget | None:
        """The widget an error is about, if the form knows it."""
        name, colon, _ = error.partition(":")
        if not colon:
            return None
        name = name.strip().lower()
        selector = self.ERROR_FIELDS.get(name, "#" + "-".join(name.split()))
        try:
            return self.query_one(selector)
        except (QueryError, ValueError):  # none there, or words that make no selector
            return None

    def say(self, line: str | Text) -> None:
        """One line at the top of the form (made on first use)."""
        summary = self._summary()
        if summary is None:
            summary = Static(id="form-summary", markup=False)
            dialog = self.query_one(".dialog")
            dialog.mount(summary, before=0)
        summary.update(line)
        summary.display = True
        summary.scroll_visible(animate=False, top=True)

    def _summary(self) -> Static | None:
        try:
            return self.query_one("#form-summary", Static)
        except NoMatches:
            return None

    # -- saving --------------------------------------------------------------------

    def action_save(self) -> None:
        if not self.refused():
            self.finish(self.result())

    def finish(self, result: Result) -> None:
        """Close with ``result`` (saved first when the form was given ``submit``)."""
        if self.submit is None:
            self.dismiss(result)
        elif not self._saving:  # one save at a time: ctrl+s again waits for the first
            self._saving = True
            self.run_worker(self._submit(result), group="form-submit")

    async def _submit(self, result: Result) -> None:
        """Save while the form stays open; close it only once saved."""
        assert self.submit is not None
        save = self.query_one("#save", Button)
        save.disabled = True  # one save at a time
        try:
            problem = await self.submit(result)
        finally:
            self._saving = False
            save.disabled = False
        if not self.is_attached:
            return  # closed while it saved (escape): the save went on; nothing to show here
        if problem is None:
            self.dismiss(result)
        else:
            self.say(Text(f"✗ Not saved: {problem}"))

    def action_cancel(self) -> None:
        self.dismiss(None)


def _summary_line(found: list[str]) -> Text:
    count = "1 problem" if len(found) == 1 else f"{len(found)} problems"
    return Text(f"✗ Not saved: {count} — {found[0]}", no_wrap=True, overflow="ellipsis")


class LiveFormScreen(FormScreen[Result]):
    """A form that checks every change as it is typed and greys out Save meanwhile."""

    def show_errors(self) -> list[str]:
        found = super().show_errors()
        self.query_one("#save", Button).disabled = bool(found)
        return found

    def on_input_changed(self) -> None:
        self.call_after_refresh(self.show_errors)

    def on_text_area_changed(self) -> None:
        self.call_after_refresh(self.show_errors)

    def on_select_changed(self) -> None:
        self.call_after_refresh(self.show_errors)
