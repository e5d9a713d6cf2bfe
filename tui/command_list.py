"""Every command of the main screen, declared once: keys, words, footer, palette entry, help row.

The screen's ``BINDINGS``, the command palette and the help screen are all
derived from these declarations, so a key cannot say one thing in the footer
and another in the help. Each binding has an id (the command's), so a user
keymap (``keymap`` in the settings file) can move it to other keys. A
command's id is also the name of the method that runs it (see
``MainScreen.handler_of``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from textual.binding import Binding

HelpSection = Literal["Everywhere", "Editing", "Marks and bulk edits"]
"""Where a command's row goes on the help screen."""


@dataclass(frozen=True)
class Command:
    """One thing the user can do from the main screen."""

    id: str
    """The binding's id (what a keymap names) and the name of the method that runs it."""
    keys: str
    """Textual key names, comma-separated ("": from the palette only)."""
    description: str
    """Footer and help words."""
    section: HelpSection = "Everywhere"
    footer: bool = False
    palette: str | None = None
    """The palette's entry (None: not in the palette)."""
    reached_by: str = ""
    """For the palette's help: how else the command is reached (``key: s with marks``)."""
    argument: str = ""
    """Passed to the method named ``handler`` (an export's format)."""
    handler: str = ""
    """The method that runs it, when not named like ``id``."""

    def binding(self) -> Binding:
        action = f"command('{self.id}')"
        return Binding(self.keys, action, self.description, show=self.footer, id=self.id)

    @property
    def key_words(self) -> str:
        """The keys as the palette names them: ``key: u`` (or how else to reach it)."""
        if not self.keys:
            return self.reached_by or "palette"
        keys = ",".join(KEY_WORDS.get(key, key) for key in self.keys.split(","))
        return f"key: {keys}" + (f" {self.reached_by}" if self.reached_by else "")


KEY_WORDS = {
    "slash": "/",
    "question_mark": "?",
    "left_square_bracket": "[",
    "right_square_bracket": "]",
}

# id, keys, description, palette entry ("" for none), in the footer
_EVERYWHERE = (
    ("search", "slash", "Search", "", True),
    ("clear_filter", "escape", "Clear marks, search, filter", "", False),
    ("filter_menu", "f", "Filter", "Filter: choose a filter…", False),
    ("overdue_only", "o", "Overdue only", "", False),
    ("recurring_only", "r", "Recurring only", "", False),
    ("previous_month", "left_square_bracket", "Previous month", "", False),
    ("next_month", "right_square_bracket", "Next month", "", False),
    ("today", "t", "Calendar to today", "Calendar: today", False),
    ("zoom_detail", "z", "Zoom the detail", "", False),
    ("copy_item", "c", "Copy the item (id — text (source))",
     "Copy the item (id — text (source)) to the clipboard", False),
    ("help", "question_mark", "Help", "", True),
)  # fmt: skip
_EDITING = (
    ("cycle_status", "s", "Status", True),
    ("complete", "x", "Done today", True),
    ("complete_form", "X", "Done on… (date, evidence)", False),
    ("add_note", "n", "Note", True),
    ("notes", "N", "Edit notes", False),
    ("edit", "e", "Edit", True),
    ("add", "a", "Add item", False),
    ("delete", "d", "Delete item", False),
    ("meetings", "E", "Meetings and sessions", False),
    ("undo", "u,ctrl+z", "Undo", True),
    ("redo", "ctrl+y", "Redo", False),
)  # fmt: skip
"""Their palette entries read ``Edit: <description>``."""
_MARKS = (
    ("toggle_mark", "v", "Mark", "Triage: mark or unmark the line", "", True),
    ("mark_all", "V", "Mark every item shown (again: clear the marks)",
     "Triage: mark every item shown (again: clear)", "", False),
    ("review", "R", "Reviewed today (the marked items, else this one)",
     "Triage: reviewed today (marked items, else this one)", "", False),
    ("clear_marks", "", "Clear the marks", "Triage: clear the marks", "key: escape", False),
    ("bulk_status", "", "One status for the marked items",
     "Triage: one status for the marked items", "key: s with marks", False),
    ("bulk_owner", "", "One owner for the marked items",
     "Triage: one owner for the marked items", "key: e with marks", False),
)  # fmt: skip
_EXPORTS = (
    ("ics", "iCalendar (.ics) for Outlook, Google, Thunderbird"),
    ("markdown", "Markdown report"),
    ("csv", "CSV spreadsheet"),
    ("json", "JSON (whole tracker, for import)"),
)

MAIN_COMMANDS: tuple[Command, ...] = (
    *(
        Command(id_, keys, words, "Everywhere", footer, palette or None)
        for id_, keys, words, palette, footer in _EVERYWHERE
    ),
    *(
        Command(id_, keys, words, "Editing", footer, f"Edit: {words}")
        for id_, keys, words, footer in _EDITING
    ),
    Command("brief", "b", "Meeting brief (file)", "Editing", False,
            "File: meeting brief (Markdown)"),
    *(
        Command(id_, keys, words, "Marks and bulk edits", footer, palette, reached_by)
        for id_, keys, words, palette, reached_by, footer in _MARKS
    ),
    *(
        Command(f"export_{kind}", "", f"Export {words}", palette=f"File: export {words}",
                argument=kind, handler="export")
        for kind, words in _EXPORTS
    ),
)  # fmt: skip
"""The main screen's commands, in the order the footer, the help and the palette list them."""

BY_ID = {command.id: command for command in MAIN_COMMANDS}

MARKS_HELP = (
    ("v", "Mark or unmark the line (● ; on a group: all its items)"),
    ("V", BY_ID["mark_all"].description),
    ("R", BY_ID["review"].description),
    ("s", "With marks: one status for every marked item"),
    ("e", "With marks: one owner for every marked item"),
    ("escape", "Clear the marks (pressed again: search and filter)"),
)
"""The help screen's rows for marks: ``s`` and ``e`` change meaning with marks."""


def bindings() -> list[Binding]:
    return [command.binding() for command in MAIN_COMMANDS if command.keys]


def help_rows(section: HelpSection) -> list[tuple[str, str]]:
    """(keys, what they do) for the help screen."""
    return [(c.keys, c.description) for c in MAIN_COMMANDS if c.keys and c.section == section]
