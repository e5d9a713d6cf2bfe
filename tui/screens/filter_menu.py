"""A menu of quick filters: by state, status, section, sector or group."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import ModalScreen
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tui.filters import STATE_FILTERS, STATUS_FILTERS, QuickFilter

CLEAR = QuickFilter("all", "all items")
"""Chosen to remove the quick filter (escape cancels without a change)."""


class FilterMenu(ModalScreen[QuickFilter | None]):
    """Pick one quick filter; escape leaves the current one as it is."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, group_filters: list[QuickFilter]) -> None:
        super().__init__()
        self.filters = [CLEAR, *STATE_FILTERS, *STATUS_FILTERS, *group_filters]

    def compose(self) -> ComposeResult:
        options = [Option(Text(f.label), id=f.key) for f in self.filters]
        yield OptionList(*options, id="filter-options")

    def on_mount(self) -> None:
        self.query_one(OptionList).border_title = "Show only…"

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        chosen = next(f for f in self.filters if f.key == event.option.id)
        self.dismiss(chosen)

    def action_cancel(self) -> None:
        self.dismiss(None)
