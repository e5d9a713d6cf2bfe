"""Which session to brief for when no meeting lies ahead: a short list, the last one first."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from store.describe import session_dates, short_date
from store.model import MeetingSeries, Session, session_id
from store.report import dated_sessions
from store.schedule import Meetings


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


class BriefChoice(ModalScreen[str | None]):
    """Pick the session to brief for: enter takes the highlighted one (at first the last
    to have ended), escape writes nothing. The answer is ``SERIES/YEAR``."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(
        self, sessions: list[tuple[MeetingSeries, Session]], today: date, after: date
    ) -> None:
        super().__init__()
        self.sessions = sessions
        self.today = today
        self.after = after
        """The calendar day from which no meeting lies ahead."""

    def compose(self) -> ComposeResult:
        question = f"No meeting has a date after {short_date(self.after)}. Brief which session?"
        options = [
            Option(
                Text(
                    f"{series.name} {session.year} · {session_dates(session)} · "
                    f"{ago(session, self.today)}"
                ),
                id=session_id(series.key, session.year),
            )
            for series, session in self.sessions
        ]
        with Vertical(id="brief-choice"):
            yield Static(Text(question, style="bold"))
            yield OptionList(*options, id="brief-sessions")
            yield Static(Text("enter: write its brief · esc: cancel", style="dim"))

    def on_mount(self) -> None:
        sessions = self.query_one(OptionList)
        sessions.highlighted = 0
        sessions.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
