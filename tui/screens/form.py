"""What every modal form shares: ctrl+s saves when valid, escape cancels, errors listed."""

from __future__ import annotations

from typing import ClassVar, Generic, TypeVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.screen import ModalScreen
from textual.widgets import Button, Static

Result = TypeVar("Result")


class FormScreen(ModalScreen[Result | None], Generic[Result]):
    """A form with a ``#form-errors`` Static and ``#save`` / ``#cancel`` buttons.

    Subclasses say what is wrong (``errors``) and what to return (``result``).
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save"),
        Binding("escape", "cancel", "Cancel"),
    ]

    def errors(self) -> list[str]:
        return []

    def result(self) -> Result:
        raise NotImplementedError  # every form returns its own record

    def show_errors(self) -> list[str]:
        """List the current errors under the fields; Save works only without any."""
        found = self.errors()
        message = Text()
        for error in found:
            message.append(f"✗ {error}\n", style="bold red")
        self.query_one("#form-errors", Static).update(message)
        return found

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        else:
            self.action_cancel()

    def refused(self) -> bool:
        """Show what stops a save; on a small screen, scroll the list into view."""
        found = self.show_errors()
        if found:
            self.query_one("#form-errors", Static).scroll_visible(animate=False)
        return bool(found)

    def action_save(self) -> None:
        if not self.refused():
            self.dismiss(self.result())

    def action_cancel(self) -> None:
        self.dismiss(None)


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
