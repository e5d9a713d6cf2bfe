"""What the main screen shows besides its panes: its help sections and an item to copy."""

from __future__ import annotations

from textual.binding import Binding, BindingType

from store.text import safe_text
from tui import command_list as commands
from tui.nodes import NodeKind, NodeRef
from tui.screens.help import HelpRow, HelpSection, bindings_of
from tui.screens.meetings import MeetingsScreen
from tui.view import TrackerView
from tui.widgets.calendar import MonthCalendar
from tui.widgets.mandate_tree import MandateTree


def main_help(app_bindings: list[BindingType]) -> list[HelpSection]:
    """The help screen's sections: the app's keys, then the commands, then each pane's."""
    app_keys: list[HelpRow] = [b for b in app_bindings if isinstance(b, Binding)]
    return [
        ("Everywhere", [*app_keys, *commands.help_rows("Everywhere")]),
        ("Editing", commands.help_rows("Editing")),
        ("Tree", bindings_of(MandateTree)),
        ("Marks and bulk edits", commands.MARKS_HELP),
        ("Calendar (when focused)", bindings_of(MonthCalendar)),
        ("Meetings editor (E)", bindings_of(MeetingsScreen)),
    ]


def clipboard_text(view: TrackerView, ref: NodeRef) -> tuple[str, str] | None:
    """(the item's id, the text to copy: "id — full text (source)") for a line of the tree."""
    if ref.kind is NodeKind.OBLIGATION and (obligation := view.obligation(ref.key)):
        words = "\n".join(part for part in (obligation.title, obligation.text) if part)
        text = f"{obligation.number} — {' '.join(words.split())}"
        if obligation.sources:
            text += f" ({'; '.join(obligation.sources)})"
        return obligation.number, safe_text(text)
    if ref.kind is NodeKind.GROUP and (group := view.groups.get(ref.key)) is not None:
        return group.key, safe_text(f"{group.key} — {group.title}")
    return None
