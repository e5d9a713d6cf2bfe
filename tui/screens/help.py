"""The help screen: every key, gathered from the bindings themselves so it never drifts."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.labels import LEGEND

TREE_KEYS = (
    ("↑ ↓  j k", "move up and down"),
    ("→ l  ← h", "expand / collapse (or go to the parent)"),
    ("enter", "open or close a group"),
)


class HelpScreen(ModalScreen[None]):
    """Lists every key of the app, by where it works."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "dismiss", "Close help"),
    ]

    def __init__(self, sections: list[tuple[str, list[BindingType]]]) -> None:
        super().__init__()
        self.sections = sections

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body"):
            yield Static(self._table(), id="help-table")

    def _keys(self, binding: Binding) -> str:
        """All keys of a binding as the footer shows them (``[`` not ``left_square_bracket``)."""
        keys = (Binding(key.strip(), binding.action) for key in binding.key.split(","))
        return "  ".join(self.app.get_key_display(key) for key in keys)

    def _table(self) -> Table:
        table = Table(title="cicte-tui keys", show_header=True, header_style="bold", expand=True)
        table.add_column("Key", no_wrap=True)
        table.add_column("What it does")
        table.add_row(Text("Tree", style="bold underline"), Text(""))
        for keys, words in TREE_KEYS:
            table.add_row(Text(keys), Text(words))
        for title, bindings in self.sections:
            table.add_row(Text(title, style="bold underline"), Text(""))
            for binding in bindings:
                if isinstance(binding, Binding) and binding.description:
                    table.add_row(Text(self._keys(binding)), Text(binding.description))
        table.add_row(Text("ctrl+p"), Text("command palette: jump to an item, filters, months"))
        table.add_row(Text("Glyphs", style="bold underline"), Text(LEGEND))
        return table
