"""The agenda beside the calendar: the chosen day, what is overdue, the coming weeks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from rich.text import Text
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from store.model import shorten
from tui.labels import OCCURRENCE_GLYPH, OCCURRENCE_STYLE
from tui.view import AGENDA_DAYS, DueItem, TrackerView

COMPACT_BELOW = 30
"""Columns under which the agenda shows ids without titles."""
SECTION_LIMIT = 40
"""Rows per agenda section: a list is for reading, the tree's filters are for the rest."""


class Agenda(OptionList):
    """Occurrences in date order; choosing one jumps to it in the tree."""

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual's name
        super().__init__(id=id)
        self._keys: dict[str, str] = {}
        """Option id → obligation key."""
        self._shown: tuple[TrackerView, date] | None = None
        self._compact = False

    @dataclass
    class JumpTo(Message):
        """Show this obligation in the tree."""

        key: str

    def show(self, view: TrackerView, day: date) -> None:
        """Rebuild the list for the calendar's cursor day."""
        overdue, coming = view.agenda()
        on_day = view.due_on(day)
        weeks = AGENDA_DAYS // 7
        sections = (
            ("day", f"On {day.day} {day.strftime('%b')}", on_day),
            ("late", "Overdue", overdue),
            ("next", f"Next {weeks} weeks", coming),
        )
        self._shown = (view, day)
        self._keys = {}
        compact = self._compact = self.size.width < COMPACT_BELOW
        options: list[Option] = []
        for prefix, title, items in sections:
            options.append(_heading(f"{title}: {len(items) or 'none'}"))
            for index, item in enumerate(items[:SECTION_LIMIT]):
                option_id = f"{prefix}:{index}"
                self._keys[option_id] = item.key
                options.append(_item(item, option_id, compact))
            if len(items) > SECTION_LIMIT:
                hidden = len(items) - SECTION_LIMIT
                more = Text(f"… {hidden:,} more (the tree's filters show them all)", style="dim")
                options.append(Option(more, disabled=True))
        self.clear_options()
        self.add_options(options)

    def on_resize(self) -> None:
        if self._shown is not None and (self.size.width < COMPACT_BELOW) != self._compact:
            self.show(*self._shown)

    def focus_day(self) -> None:
        """Put the cursor on the first item due on the chosen day, if any."""
        if "day:0" not in self._keys:
            return
        self.highlighted = self.get_option_index("day:0")
        self.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        key = self._keys.get(event.option.id or "")
        if key:
            self.post_message(self.JumpTo(key))


def _heading(title: str) -> Option:
    return Option(Text(title, style="bold underline"), disabled=True)


def _item(item: DueItem, option_id: str, compact: bool) -> Option:
    glyph, style = OCCURRENCE_GLYPH[item.due.state], OCCURRENCE_STYLE[item.due.state]
    line = Text()
    line.append(f"{item.day.day:>2} {item.day.strftime('%b')} ", style="dim")
    line.append(glyph, style=style)
    line.append(f" {item.assessment.obligation.number}", style="bold")
    if not compact:  # a narrow agenda keeps the whole id rather than cut it
        line.append(f"  {shorten(item.assessment.obligation.short_title, 40)}")
    return Option(line, id=option_id)
