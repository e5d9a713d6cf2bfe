"""The agenda beside the calendar: the chosen day, what is overdue, due soon, and later.

One line per obligation in each section, so the Overdue and Due soon
headings are the same numbers as the header's counts (``Counts.of``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from rich.text import Text
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from store.describe import day_month
from store.model import shorten
from store.text import safe_text
from tui.labels import OCCURRENCE_GLYPH, OCCURRENCE_STYLE, safe_rich
from tui.view import AGENDA_DAYS, AgendaLine, TrackerView

COMPACT_BELOW = 30
"""Columns under which the agenda shows ids without titles."""
SECTION_LIMIT = 40
"""Rows per agenda section: a list is for reading, the tree's filters are for the rest."""


class Agenda(OptionList):
    """Obligations by date; choosing one jumps to it in the tree."""

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual's name
        super().__init__(id=id)
        self._agenda_lines: dict[str, AgendaLine] = {}
        """Option id → the line it shows."""
        self._shown: tuple[TrackerView, date] | None = None
        self._laid_out_for = -1
        """The width the lines were laid out for: a narrow agenda fits them to it."""

    @dataclass
    class JumpTo(Message):
        """Show this obligation in the tree."""

        key: str

    def show(self, view: TrackerView, day: date) -> None:
        """Rebuild the list for the calendar's cursor day."""
        today = view.today
        agenda = view.agenda()
        soon_days, weeks = view.outlook.due_soon_days, AGENDA_DAYS // 7
        self._laid_out_for = self.size.width
        compact = self.size.width < COMPACT_BELOW
        sections = (
            ("day", f"{'' if compact else 'On '}{day_month(day, today)}", view.agenda_day(day)),
            ("late", "Overdue", agenda.overdue),
            ("soon", "Due soon" if compact else f"Due soon ({soon_days} days)", agenda.due_soon),
            ("next", "Later" if compact else f"Later in the next {weeks} weeks", agenda.later),
        )
        self._shown = (view, day)
        self._agenda_lines = {}

        def label(line: AgendaLine) -> str:
            return day_month(line.day, today)  # another year's date always says its year

        width = max((len(label(line)) for _, _, lines in sections for line in lines), default=6)
        # A narrow agenda has no room for "31 Dec 2008 ! II-3.A.3 +1" on one line: such
        # a line puts its date above it rather than cut the date or the id.
        room = self.size.width - 2 if compact else None
        options: list[Option] = []
        for prefix, title, lines in sections:
            options.append(_heading(f"{title}: {len(lines) or 'none'}"))
            for index, line in enumerate(lines[:SECTION_LIMIT]):
                option_id = f"{prefix}:{index}"
                self._agenda_lines[option_id] = line
                options.append(_item(line, option_id, label(line), width, room))
            if len(lines) > SECTION_LIMIT:
                hidden = len(lines) - SECTION_LIMIT
                more = Text(f"… {hidden:,} more (the tree's filters show them all)", style="dim")
                options.append(Option(more, disabled=True))
        self.clear_options()
        self.add_options(options)

    def on_resize(self) -> None:
        # Wide lines do not depend on the width; narrow ones are fitted to it.
        width, before = self.size.width, self._laid_out_for
        if self._shown is not None and width != before and min(width, before) < COMPACT_BELOW:
            self.show(*self._shown)

    def focus_day(self) -> None:
        """Put the cursor on the first item due on the chosen day, if any."""
        if "day:0" not in self._agenda_lines:
            return
        self.highlighted = self.get_option_index("day:0")
        self.focus()

    @property
    def highlighted_line(self) -> AgendaLine | None:
        """The line under the cursor, if it is an obligation's."""
        if self.highlighted is None:
            return None
        return self._agenda_lines.get(self.get_option_at_index(self.highlighted).id or "")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        line = self._agenda_lines.get(event.option.id or "")
        if line is not None:
            self.post_message(self.JumpTo(line.key))


def _heading(title: str) -> Option:
    return Option(Text(title, style="bold underline"), disabled=True)


def _item(line: AgendaLine, option_id: str, label: str, width: int, room: int | None) -> Option:
    """``room``: the columns of a narrow agenda (None: wide, with titles)."""
    glyph, style = OCCURRENCE_GLYPH[line.state], OCCURRENCE_STYLE[line.state]
    obligation = line.obligation
    entry = Text()
    entry.append(glyph, style=style)
    entry.append(f" {obligation.number}", style="bold")
    if line.more:
        entry.append(f" +{line.more}", style=style)
    text = Text()
    if room is not None and width + 1 + len(entry) > room:
        text.append(f"{label}\n  ", style="dim")
    else:
        text.append(f"{label:>{width}} ", style="dim")
    text.append_text(entry)
    if room is None:
        text.append(f"  {shorten(safe_text(obligation.short_title), 40)}")
    return Option(safe_rich(text), id=option_id)
