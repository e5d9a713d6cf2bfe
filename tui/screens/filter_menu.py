"""A menu of quick filters: by state, status, owner, section, sector or group."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from tui.filters import ALL_ITEMS, STATE_FILTERS, STATUS_FILTERS, QuickFilter, fold
from tui.filters import CHOOSE_OWNER as CHOOSE_OWNER_LINE

CLEAR = ALL_ITEMS
"""Chosen to remove the quick filter (escape cancels without a change)."""
CHOOSE_OWNER = CHOOSE_OWNER_LINE
"""Chosen to pick an owner next (``OwnerFilterMenu``)."""
NO_OWNER = "(no owner)"


class FilterMenu(ModalScreen[QuickFilter | None]):
    """Pick one quick filter; escape leaves the current one as it is."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(
        self, group_filters: list[QuickFilter], owner_filters: Sequence[QuickFilter] = ()
    ) -> None:
        """``owner_filters``: "my items" when ``CICTE_OWNER`` names the user."""
        super().__init__()
        self.filters = [
            CLEAR,
            *owner_filters,
            *STATE_FILTERS,
            *STATUS_FILTERS,
            CHOOSE_OWNER,
            *group_filters,
        ]

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


class OwnerFilterMenu(ModalScreen[str | None]):
    """Whose items to show: an owner of the plan, or a name typed (empty: no owner).

    Typing narrows the list and suggests a name; enter takes what is typed,
    down goes to the list; escape leaves the filter as it is.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        Binding("down", "to_list", "Choose from the list", show=False),
    ]

    def __init__(self, owners: list[tuple[str, int]], unowned: int) -> None:
        """``owners``: each owner with how many items it holds; ``unowned``: items with none."""
        super().__init__()
        self.choices = [*owners, *([(NO_OWNER, unowned)] if unowned else [])]

    def compose(self) -> ComposeResult:
        names = [name for name, _ in self.choices if name != NO_OWNER]
        with Vertical(classes="dialog"):
            yield Static(Text("Show the items of…", style="bold"))
            yield Input(
                placeholder="a name (enter), or ↓ to choose",
                id="owner-name",
                suggester=SuggestFromList(names, case_sensitive=False),
            )
            yield OptionList(id="owner-options")

    def on_mount(self) -> None:
        self._show_choices("")
        self.query_one(Input).focus()

    def _show_choices(self, typed: str) -> None:
        options = self.query_one(OptionList)
        options.clear_options()
        wanted = fold(typed.strip())
        options.add_options(
            Option(Text(f"{name}  ({count})"), id=f"owner-{index}")
            for index, (name, count) in enumerate(self.choices)
            if wanted in fold(name)
        )

    @on(Input.Changed, "#owner-name")
    def _typed(self, event: Input.Changed) -> None:
        self._show_choices(event.value)

    @on(Input.Submitted, "#owner-name")
    def _take_typed(self, event: Input.Submitted) -> None:
        name = " ".join(event.value.split())
        if name:
            self.dismiss("" if name == NO_OWNER else name)
        else:
            self.action_to_list()

    @on(OptionList.OptionSelected, "#owner-options")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        index = int((event.option.id or "owner-0").removeprefix("owner-"))
        name = self.choices[index][0]
        self.dismiss("" if name == NO_OWNER else name)

    def action_to_list(self) -> None:
        options = self.query_one(OptionList)
        if options.option_count:
            options.focus()
            options.highlighted = 0

    def action_cancel(self) -> None:
        self.dismiss(None)
