"""The help screen: every key, gathered from the bindings themselves so it never drifts."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.dom import DOMNode
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.labels import LEGEND

FIXED_KEYS = {
    # Keys that come from Textual's own widgets rather than from our bindings.
    "Tree": (
        ("↑ ↓", "move up and down"),
        ("enter", "open or close a group"),
    ),
    "Panes": (
        ("tab / shift+tab", "next / previous pane: tree, detail, calendar, agenda"),
        ("ctrl+p", "command palette: jump to an item, filters, months, meetings, edits, files"),
    ),
    "Agenda (when focused)": (
        ("↑ ↓, enter", "choose an item; enter shows it in the tree"),
        ("x / X", "mark the chosen item done (X: that occurrence, on a date, with evidence)"),
    ),
    "Calendar (when focused)": (
        ("X", "mark done the selected item's occurrence due on the cursor day"),
    ),
    "Forms": (
        ("tab", "next field"),
        ("ctrl+s", "save (refused with the reasons while a field is wrong)"),
        ("escape", "cancel: nothing changes"),
    ),
}


HelpRow = Binding | tuple[str, str]
"""A row of the help: a binding, or (Textual key names, comma-separated; what they do)."""

HelpSection = tuple[str, Sequence[HelpRow]]
"""A titled part of the help and its rows."""


def bindings_of(node_class: type[DOMNode]) -> list[Binding]:
    """The bindings of a screen or widget class, its own first, then those it inherits
    (Textual merges them; the class's ``BINDINGS`` alone lacks the inherited ones)."""
    found: list[Binding] = []
    for cls in node_class.__mro__:
        for binding in cls.__dict__.get("BINDINGS", ()):
            if isinstance(binding, Binding) and binding.key not in {b.key for b in found}:
                found.append(binding)
    return found


class HelpScreen(ModalScreen[None]):
    """Lists every key of the app, by where it works."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "dismiss", "Close help"),
    ]

    def __init__(self, sections: Sequence[HelpSection]) -> None:
        super().__init__()
        self.sections = sections

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body"):
            yield Static(self._table(), id="help-table")

    def _keys(self, keys: str) -> str:
        """Keys as the footer shows them (``[`` not ``left_square_bracket``)."""
        shown = (Binding(key.strip(), "") for key in keys.split(","))
        return "  ".join(self.app.get_key_display(key) for key in shown)

    def _row(self, row: HelpRow) -> tuple[str, str] | None:
        """(keys, words) of a row; None for a binding that says nothing."""
        if isinstance(row, Binding):
            return (row.key, row.description) if row.description else None
        return row

    def _table(self) -> Table:
        table = Table(title="cicte-tui keys", show_header=True, header_style="bold", expand=True)
        table.add_column("Key", no_wrap=True)
        table.add_column("What it does")
        titles = [title for title, _ in self.sections]
        titles += [title for title in FIXED_KEYS if title not in titles]
        rows_of = dict(self.sections)
        for title in titles:
            table.add_row(Text(title, style="bold underline"), Text(""))
            for keys, words in FIXED_KEYS.get(title, ()):
                table.add_row(Text(keys), Text(words))
            for row in rows_of.get(title, ()):
                if (shown := self._row(row)) is not None:
                    table.add_row(Text(self._keys(shown[0])), Text(shown[1]))
        table.add_row(Text("Glyphs", style="bold underline"), Text(LEGEND))
        return table
