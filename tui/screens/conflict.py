"""The question asked when an edit clashes with a change someone else saved to the file."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from store.settling import ConflictChoice

MOST_CLASHES_SHOWN = 8
CHOICES: dict[str, ConflictChoice] = {"reload": "reload", "mine": "mine", "cancel": "cancel"}
"""A key's or button's word → the choice it makes (anything else cancels)."""


class ConflictDialog(ModalScreen[ConflictChoice]):
    """Reload (r), keep mine (m) or cancel (c, escape): never a silent overwrite."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "choose('reload')", "Reload"),
        Binding("m", "choose('mine')", "Keep mine"),
        Binding("c,escape", "choose('cancel')", "Cancel"),
    ]

    def __init__(self, path: str, clashes: list[str]) -> None:
        super().__init__()
        self.path = path
        self.clashes = clashes

    def compose(self) -> ComposeResult:
        shown = [f"  • {clash}" for clash in self.clashes[:MOST_CLASHES_SHOWN]]
        if (more := len(self.clashes) - MOST_CLASHES_SHOWN) > 0:
            shown.append(f"  … and {more} more")
        question = "\n".join(
            [
                f"{self.path} was changed by another program since you opened it, "
                "and your edit changes the same things:",
                *shown,
                "",
                "Reload: drop your edit and show the file as it is now.",
                "Keep mine: your edit wins where they clash; their other changes stay.",
                "Cancel: save nothing now; an edit that clashes again will ask again.",
            ]
        )
        with Vertical(classes="dialog wide"):
            yield Static(Text(question))
            with Horizontal(classes="buttons"):
                yield Button("Reload (r)", id="reload", variant="primary")
                yield Button("Keep mine (m)", id="mine", variant="error")
                yield Button("Cancel (c)", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#reload", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_choose(event.button.id or "cancel")

    def action_choose(self, choice: str) -> None:
        self.dismiss(CHOICES.get(choice, "cancel"))
