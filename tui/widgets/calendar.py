"""A month grid of deadlines: weeks as rows, Monday first, today and meetings marked."""

from __future__ import annotations

import calendar as stdlib_calendar
from dataclasses import dataclass
from datetime import date, timedelta
from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from store.describe import session_dates
from store.model import MeetingSeries, Session
from store.schedule import OccurrenceState
from store.text import safe_text
from tui.labels import safe_rich
from tui.view import DueItem, TrackerView

WEEKDAYS = "Mo Tu We Th Fr Sa Su"

DAY_MARKS = (
    # Most urgent first: a day shows the mark of its most urgent occurrence.
    (OccurrenceState.OVERDUE, "!", "bold red"),
    (OccurrenceState.DUE_SOON, "~", "bold yellow"),
    (OccurrenceState.WAITING, "…", "magenta"),
    (OccurrenceState.UPCOMING, "·", "bold"),
    (OccurrenceState.DONE, "✓", "green"),
)
RECURRING_MARK = ("↻", "cyan")
SESSION_STYLE = "on dark_blue"


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

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left", "move(-1)", "Previous day", show=False),
        Binding("right", "move(1)", "Next day", show=False),
        Binding("up", "move(-7)", "Previous week", show=False),
        Binding("down", "move(7)", "Next week", show=False),
        Binding("enter", "choose", "Show the day's items", show=False),
    ]

    cursor: reactive[date] = reactive(date(2008, 1, 1))
    """The day under the cursor; the grid always shows its month."""
    pinned: reactive[date | None] = reactive(None)
    """The selected obligation's next due date, outlined in the grid."""

    @dataclass
    class DayHighlighted(Message):
        """The cursor moved to another day."""

        day: date

    @dataclass
    class DayChosen(Message):
        """Enter was pressed on a day: show and focus what is due then."""

        day: date

    def __init__(self, view: TrackerView, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.view = view
        self.set_reactive(MonthCalendar.cursor, view.today)

    @property
    def month(self) -> date:
        return first_of_month(self.cursor)

    def watch_cursor(self, old: date, new: date) -> None:
        if (old.year, old.month) != (new.year, new.month):
            self.refresh(layout=True)  # another month may have more weeks or meetings
        if old != new:
            self.post_message(self.DayHighlighted(new))

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

    def render(self) -> Text:
        month = self.month
        last = add_months(month, 1) - timedelta(days=1)
        sessions = self.view.sessions_between(month, last)
        dues = self.view.days_with_dues(month, last)
        text = Text()
        text.append(f"{stdlib_calendar.month_name[month.month]} {month.year}".center(27), "bold")
        text.append(f"\n{WEEKDAYS.replace(' ', '  ')}\n", style="dim")
        for week in stdlib_calendar.Calendar(firstweekday=0).monthdatescalendar(
            month.year, month.month
        ):
            for index, day in enumerate(week):
                if index:
                    text.append(" ")
                self._append_day(text, day, month, dues.get(day, []), sessions)
            text.append("\n")
        for series, session in sessions:
            text.append("■ ", style=SESSION_STYLE)
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
        style = ""
        if session_on(sessions, day) is not None:
            style += f" {SESSION_STYLE}"
        if day == self.view.today:
            style += " bold underline"
        if day == self.pinned:
            style += " italic on dark_green"
        if day == self.cursor:
            style += " reverse"
        glyph, glyph_style = day_mark(items)
        text.append(f"{day.day:>2}", style=style.strip())
        text.append(glyph, style=f"{glyph_style} {style}".strip())
