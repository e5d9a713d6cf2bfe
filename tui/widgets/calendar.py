"""A month grid of deadlines: weeks as rows, Monday first, today and meetings marked."""

from __future__ import annotations

import calendar as stdlib_calendar
from dataclasses import dataclass
from datetime import date, timedelta
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.events import Click
from textual.message import Message
from textual.reactive import reactive, var
from textual.widget import Widget

from store.describe import session_dates
from store.model import MeetingSeries, Session
from store.schedule import OccurrenceState
from store.text import safe_text
from tui.labels import DONE, DUE_SOON, MUTED, OVERDUE, RECURRING, ROLES, WAITING, safe_rich
from tui.view import DueItem, TrackerView
from tui.widgets.themed import RoleStyles

WEEKDAYS = "Mo Tu We Th Fr Sa Su"

DAY_MARKS = (
    # Most urgent first: a day shows the mark of its most urgent occurrence.
    (OccurrenceState.OVERDUE, "!", OVERDUE),
    (OccurrenceState.DUE_SOON, "~", DUE_SOON),
    (OccurrenceState.WAITING, "…", WAITING),
    (OccurrenceState.UPCOMING, "·", "bold"),
    (OccurrenceState.DONE, "✓", DONE),
)
RECURRING_MARK = ("↻", RECURRING)
MEETING = "calendar--meeting"
"""A meeting's days: a band of the theme's colour; underlined when there is no colour."""
TODAY = "calendar--today"
PINNED = "calendar--pinned"
"""The selected item's next due day."""
CURSOR = "calendar--cursor"
"""The day under the cursor, the one the agenda lists (reverse video in every theme)."""


def first_of_month(day: date) -> date:
    return day.replace(day=1)


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def day_mark(items: list[DueItem]) -> tuple[str, str]:
    """The glyph and style of a day with due occurrences."""
    states = {item.due.state for item in items}
    for state, glyph, style in DAY_MARKS:
        if state in states:
            if state is OccurrenceState.UPCOMING and any(i.assessment.recurring for i in items):
                return RECURRING_MARK
            return glyph, style
    return " ", ""


def session_on(sessions: list[tuple[MeetingSeries, Session]], day: date) -> Session | None:
    for _, session in sessions:
        if session.start and session.start <= day <= (session.last_day or session.start):
            return session
    return None


class MonthCalendar(Widget, can_focus=True):
    """Deadlines of one month; the cursor day shows what is due in the agenda."""

    DEFAULT_CSS = """
    MonthCalendar { height: auto; width: 28; }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {*ROLES, MEETING, TODAY, PINNED, CURSOR}
    """The day marks' roles (their colours are the theme's, set in app.tcss)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *(
            Binding(key, f"move({days})", words, show=False)
            for key, days, words in (
                ("left", -1, "Previous day"),
                ("right", 1, "Next day"),
                ("up", -7, "Previous week"),
                ("down", 7, "Next week"),
            )
        ),
        Binding("enter", "choose", "Show the day's items", show=False),
    ]

    cursor: reactive[date] = reactive(date(2008, 1, 1))
    """The day under the cursor; the grid always shows its month."""
    pinned: reactive[date | None] = reactive(None, always_update=True)
    """The selected obligation's next due date, outlined in the grid; the cursor goes
    there each time an item is selected."""
    view: var[TrackerView | None] = var(None)
    """The deadlines and meetings to show (handed down by the screen)."""

    @dataclass
    class DayHighlighted(Message):
        """The cursor moved to another day."""

        day: date

    @dataclass
    class DayChosen(Message):
        """Enter was pressed on a day: show and focus what is due then."""

        day: date

    def __init__(self, today: date, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.today = today
        self.set_reactive(MonthCalendar.cursor, today)
        self.roles = RoleStyles(self)

    def on_mount(self) -> None:
        self.roles.follow_theme(self.refresh)

    @property
    def month(self) -> date:
        return first_of_month(self.cursor)

    def watch_view(self, old: TrackerView | None, new: TrackerView | None) -> None:
        # A meeting's caption may come or go: the grid may change height.
        self.refresh(layout=old is None or new is None or old.meetings != new.meetings)

    def watch_pinned(self, pinned: date | None) -> None:
        if pinned is not None:
            self.cursor = pinned
        self.refresh()

    def watch_cursor(self, old: date, new: date) -> None:
        if (old.year, old.month) != (new.year, new.month):
            # Another month may have more weeks or meetings: only then is the screen laid
            # out again (a layout draws every pane anew).
            self.refresh(layout=self._shape(old) != self._shape(new))
        if old != new:
            self.post_message(self.DayHighlighted(new))

    def _shape(self, day: date) -> tuple[int, list[tuple[MeetingSeries, Session]]]:
        """What sets the grid's height in ``day``'s month: its weeks, and its meetings'
        captions (a long name takes two lines)."""
        month = first_of_month(day)
        weeks = stdlib_calendar.Calendar(firstweekday=0).monthdatescalendar(month.year, month.month)
        last = add_months(month, 1) - timedelta(days=1)
        return len(weeks), [] if self.view is None else self.view.sessions_between(month, last)

    def action_move(self, days: int) -> None:
        self.cursor = self.cursor + timedelta(days=days)

    def action_choose(self) -> None:
        self.post_message(self.DayChosen(self.cursor))

    def change_month(self, months: int) -> None:
        target = add_months(self.month, months)
        last_day = stdlib_calendar.monthrange(target.year, target.month)[1]
        self.cursor = target.replace(day=min(self.cursor.day, last_day))

    def go_to(self, day: date) -> None:
        self.cursor = day

    # -- the mouse -------------------------------------------------------------

    @dataclass
    class DayClicked(Message):
        """A day was clicked: it is the cursor day now; list it in the agenda at once."""

        day: date

    def day_at(self, x: int, y: int) -> date | None:
        """The day drawn at column ``x`` of line ``y`` of the grid (None: no day there)."""
        # The month's name and the weekdays come first; a day is "dd" and its mark, then a
        # space: a click on that space counts for the day before it.
        week_index, column = y - 2, x // 4
        if week_index < 0 or x < 0 or column > 6:
            return None
        weeks = stdlib_calendar.Calendar(firstweekday=0).monthdatescalendar(
            self.month.year, self.month.month
        )
        if week_index >= len(weeks):
            return None
        day = weeks[week_index][column]
        return day if day.month == self.month.month else None

    def on_click(self, event: Click) -> None:
        offset = event.get_content_offset(self)
        day = None if offset is None else self.day_at(offset.x, offset.y)
        if day is not None:
            self.focus()
            self.cursor = day
            self.post_message(self.DayClicked(day))

    def render(self) -> Text:
        if self.view is None:
            return Text()
        month = self.month
        last = add_months(month, 1) - timedelta(days=1)
        sessions = self.view.sessions_between(month, last)
        dues = self.view.days_with_dues(month, last)
        text = Text()
        text.append(f"{stdlib_calendar.month_name[month.month]} {month.year}".center(27), "bold")
        text.append(f"\n{WEEKDAYS.replace(' ', '  ')}\n", style=self.roles(MUTED))
        for week in stdlib_calendar.Calendar(firstweekday=0).monthdatescalendar(
            month.year, month.month
        ):
            for index, day in enumerate(week):
                if index:
                    text.append(" ")
                self._append_day(text, day, month, dues.get(day, []), sessions)
            text.append("\n")
        for series, session in sessions:
            text.append("■", style=self.roles(MEETING))
            text.append(" ")
            text.append(f"{session_dates(session)} ")
            text.append(safe_text(series.name))
            text.append("\n")
        text.rstrip()
        return safe_rich(text)

    def _append_day(
        self,
        text: Text,
        day: date,
        month: date,
        items: list[DueItem],
        sessions: list[tuple[MeetingSeries, Session]],
    ) -> None:
        if day.month != month.month:
            text.append("   ")
            return
        roles = [
            role
            for role, applies in (
                (MEETING, session_on(sessions, day) is not None),
                (TODAY, day == self.today),
                (PINNED, day == self.pinned),
                (CURSOR, day == self.cursor),
            )
            if applies
        ]
        style = sum((self.roles(role) for role in roles), Style())
        glyph, glyph_role = day_mark(items)
        glyph_style = self.roles(glyph_role) if glyph_role in ROLES else Style.parse(glyph_role)
        text.append(f"{day.day:>2}", style=style)
        text.append(glyph, style=glyph_style + style)
