"""Which session to brief for when no meeting lies ahead: a short list, the last one first."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from rich.text import Text
from textual.widgets.option_list import Option

from store.describe import session_dates, short_date
from store.model import MeetingSeries, Session, session_id
from store.report import dated_sessions
from store.schedule import Meetings
from tui.screens.lists import ListScreen


def briefable_sessions(meetings: Meetings) -> list[tuple[MeetingSeries, Session]]:
    """Every dated session, the one that ended last first."""
    return sorted(
        dated_sessions(meetings),
        key=lambda pair: (pair[1].last_day or date.min, pair[0].key),
        reverse=True,
    )


def ago(session: Session, today: date) -> str:
    """``ended 181 days ago``, ``under way``, ``in 3 days``: where the session stands today."""
    first, last = session.start, session.last_day
    assert first is not None and last is not None
    if last < today:
        days = (today - last).days
        return f"ended {days} day{'s' if days > 1 else ''} ago"
    if first <= today:
        return "under way"
    days = (first - today).days
    return f"in {days} day{'s' if days > 1 else ''}"


class BriefChoice(ListScreen[str]):
    """Pick the session to brief for: enter takes the highlighted one (at first the last
    to have ended), escape writes nothing. The answer is ``SERIES/YEAR``."""

    FRAME_CLASSES: ClassVar[str] = ""
    FRAME_ID: ClassVar[str | None] = "brief-choice"
    LIST_ID: ClassVar[str] = "brief-sessions"

    def __init__(
        self, sessions: list[tuple[MeetingSeries, Session]], today: date, after: date
    ) -> None:
        super().__init__()
        self.sessions = sessions
        self.today = today
        self.after = after
        """The calendar day from which no meeting lies ahead."""

    def heading(self) -> Text:
        question = f"No meeting has a date after {short_date(self.after)}. Brief which session?"
        return Text(question, style="bold")

    def options(self) -> list[Option]:
        return [
            Option(
                Text(
                    f"{series.name} {session.year} · {session_dates(session)} · "
                    f"{ago(session, self.today)}"
                ),
                id=session_id(series.key, session.year),
            )
            for series, session in self.sessions
        ]

    def hint(self) -> Text:
        return Text("enter: write its brief · esc: cancel", style="dim")

    def choose(self, option: Option) -> None:
        self.dismiss(option.id)
