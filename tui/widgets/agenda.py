"""The agenda beside the calendar: the chosen day, what is overdue, due soon, and later.

One line per obligation in each section, so the Overdue and Due soon
headings are the same numbers as the header's counts (``Counts.of``). A
click on a line jumps to its item; a drag selects words to copy.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from rich.text import Text
from textual.events import Click, MouseDown
from textual.geometry import Offset, Region
from textual.message import Message
from textual.reactive import var
from textual.selection import Selection
from textual.strip import Strip
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from store.describe import day_month
from store.model import shorten
from store.text import safe_text
from tui.labels import MUTED, OCCURRENCE_GLYPH, OCCURRENCE_STYLE, ROLES, safe_rich
from tui.view import AGENDA_DAYS, AgendaLine, TrackerView
from tui.widgets.selection import with_selection
from tui.widgets.themed import RoleStyles

COMPACT_BELOW = 30
"""Columns under which the agenda shows ids without titles."""
SECTION_LIMIT = 40
"""Rows per agenda section: a list is for reading, the tree's filters are for the rest."""


class Agenda(OptionList):
    """Obligations by date; choosing one jumps to it in the tree."""

    ALLOW_SELECT = True
    """OptionList turns text selection off; the agenda's words can be copied."""

    COMPONENT_CLASSES: ClassVar[set[str]] = set(ROLES)

    view: var[TrackerView | None] = var(None)
    """The deadlines to list (handed down by the screen)."""
    day: var[date | None] = var(None)
    """The calendar's chosen day, listed first."""

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual's name
        super().__init__(id=id)
        self._agenda_lines: dict[str, AgendaLine] = {}
        """Option id → the line it shows."""
        self._laid_out_for = -1
        """The width the lines were laid out for: a narrow agenda fits them to it."""
        self._pressed_at: Offset | None = None
        """Where the mouse went down: a click ends there, a drag elsewhere."""
        self.roles = RoleStyles(self)

    def on_mount(self) -> None:
        self.roles.follow_theme(self._theme_changed)

    def _theme_changed(self) -> None:
        highlighted = self.highlighted
        self._rebuild()
        self.highlighted = highlighted

    def watch_view(self) -> None:
        self._rebuild()

    def watch_day(self) -> None:
        self._rebuild()

    @dataclass
    class JumpTo(Message):
        """Show this obligation in the tree."""

        key: str

    def _rebuild(self) -> None:
        """List the chosen day, then the coming weeks."""
        view, day = self.view, self.day
        if view is None or day is None:
            return
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
        self._agenda_lines = {}

        def label(line: AgendaLine) -> str:
            return day_month(line.day, today)  # another year's date always says its year

        shown = [line for _, _, lines in sections for line in lines[:SECTION_LIMIT]]
        width = max((len(label(line)) for line in shown), default=6)
        # A narrow agenda has no room for "31 Dec 2008 ! II-3.A.3 +1" on one line: such
        # a line puts its date above it rather than cut the date or the id.
        room = self.size.width - 2 if compact else None
        options: list[Option] = []
        for prefix, title, lines in sections:
            options.append(_heading(f"{title}: {len(lines) or 'none'}"))
            for index, line in enumerate(lines[:SECTION_LIMIT]):
                option_id = f"{prefix}:{index}"
                self._agenda_lines[option_id] = line
                item = _item(line, label(line), width, room)
                options.append(Option(self.roles.apply(item), id=option_id))
            if len(lines) > SECTION_LIMIT:
                hidden = len(lines) - SECTION_LIMIT
                more = Text(f"… {hidden:,} more (the tree's filters show them all)", style=MUTED)
                options.append(Option(more, disabled=True))
        self.set_options(options)  # in one go: clearing first would lay the screen out twice

    def render_lines(self, crop: Region) -> list[Strip]:
        # Wide lines do not depend on the width; narrow ones are fitted to it: as the first
        # layout gives it, before they are drawn (the resize that follows would draw the
        # screen a second time), and after a resize.
        width, before = self.size.width, self._laid_out_for
        if width and width != before and min(width, before) < COMPACT_BELOW:
            highlighted = self.highlighted
            self._rebuild()
            self.highlighted = highlighted
        return super().render_lines(crop)

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

    # -- the mouse: a click jumps, a drag selects words ------------------------

    def on_mouse_down(self, event: MouseDown) -> None:
        self._pressed_at = event.screen_offset

    async def _on_click(self, event: Click) -> None:
        if self._pressed_at is not None and event.screen_offset != self._pressed_at:
            event.prevent_default()  # the end of a drag that selected words: no jump

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        index = self.scroll_offset.y + y
        strip = with_selection(self, strip, index)
        return strip.apply_offsets(0, index)

    def get_selection(self, selection: Selection) -> tuple[str, str] | None:
        """The selected words, line by line as the agenda lists them."""
        indent = " " * self.get_component_styles("option-list--option").padding.left
        lines = [
            indent + line for option in self.options for line in _plain(option.prompt).split("\n")
        ]
        return selection.extract("\n".join(lines)), "\n"

    def selection_updated(self, selection: Selection | None) -> None:
        self.refresh()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        line = self._agenda_lines.get(event.option.id or "")
        if line is not None:
            self.post_message(self.JumpTo(line.key))


def _plain(prompt: object) -> str:
    return prompt.plain if isinstance(prompt, Text) else str(prompt)


def _heading(title: str) -> Option:
    return Option(Text(title, style="bold underline"), disabled=True)


def _item(line: AgendaLine, label: str, width: int, room: int | None) -> Text:
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
        text.append(f"{label}\n  ", style=MUTED)
    else:
        text.append(f"{label:>{width}} ", style=MUTED)
    text.append_text(entry)
    if room is None:
        text.append(f"  {shorten(safe_text(obligation.short_title), 40)}")
    return safe_rich(text)
