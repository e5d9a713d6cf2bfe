"""The meetings editor (E): series and their sessions by year, the forms that edit them, and
the questions asked before a deletion; each edit is saved at once and shown in the list."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from contextlib import suppress
from dataclasses import dataclass, replace
from datetime import date
from functools import partial
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Input, Label, Select, Static
from textual.widgets.option_list import Option, OptionDoesNotExist

from store.describe import session_dates
from store.editing import Editor, anchored_to, completed_in, session_edit_problems
from store.model import Change, MeetingSeries, Session, session_id
from store.text import clean_text
from store.validation import series_problems, session_warnings
from tui.saving import StoreLink
from tui.screens.dialogs import ConfirmDialog
from tui.screens.form import LiveFormScreen, cell, row
from tui.screens.lists import RecordList


@dataclass(frozen=True)
class MeetingLine:
    """A line of the meetings list: a series, or one of its sessions."""

    series: str
    year: int | None = None
    """The session's year; None for the series' own line."""

    @property
    def option_id(self) -> str:
        if self.year is None:
            return f"series:{self.series}"
        return f"session:{self.series}:{self.year}"


def series_option_id(key: str) -> str:
    return MeetingLine(key).option_id


def session_option_id(key: str, year: int) -> str:
    return MeetingLine(key, year).option_id


class MeetingsScreen(RecordList):
    """Every meeting series with its sessions by year, and how many schedules hang on it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "add_session", "Next year's session", id="meetings-add-session"),
        Binding("e,enter", "edit", "Edit series or session", id="meetings-edit"),
        Binding("a", "add_series", "Add a meeting series", id="meetings-add-series"),
        Binding("d", "delete", "Delete series or session", id="meetings-delete"),
    ]
    FRAME_ID: ClassVar[str | None] = "meetings"
    LIST_ID: ClassVar[str] = "meeting-list"

    def __init__(self, link: StoreLink, focus: str | None = None) -> None:
        """``focus``: the option id of the line to start on (``series_option_id``…)."""
        super().__init__(link)
        self.focus_id = focus

    def heading(self) -> Text:
        words = "Meetings — n next year's session · e edit · a add series · d delete · esc close"
        return Text(words, style="bold")

    def options(self) -> list[Option]:
        meetings = self.view.meetings
        options: list[Option] = []
        for series in meetings.values():
            options.append(Option(self._series_line(series), id=series_option_id(series.key)))
            host = meetings.get(series.alongside or "")
            if host is not None:
                basis = f" ({series.alongside_basis})" if series.alongside_basis else ""
                options.append(_aside(f"alongside the {host.name}{basis}: takes its dates"))
            for session in series.sessions:
                line_id = session_option_id(series.key, session.year)
                options.append(Option(_session_line(session), id=line_id))
            if not series.sessions and host is None:
                options.append(_aside("no sessions yet: n adds one"))
        return options

    def _series_line(self, series: MeetingSeries) -> Text:
        line = Text()
        line.append(series.name, style="bold")
        count = len(anchored_to(self.view.records, series.key))
        line.append(f"  {series.key} · {count} obligation{'s' if count != 1 else ''}", style="dim")
        return line

    def first_highlight(self) -> int:
        if self.focus_id is not None:
            with suppress(OptionDoesNotExist):  # the line may be gone
                return self.option_list.get_option_index(self.focus_id)
        return 0

    def _line(self) -> MeetingLine | None:
        """The series or session under the cursor."""
        chosen = self.highlighted_id()
        return self._lines().get(chosen) if chosen is not None else None

    def _lines(self) -> dict[str, MeetingLine]:
        lines = {}
        for series in self.view.meetings.values():
            for year in (None, *(session.year for session in series.sessions)):
                line = MeetingLine(series.key, year)
                lines[line.option_id] = line
        return lines

    # -- keys --------------------------------------------------------------------

    def choose(self, option: Option) -> None:
        self.action_edit()

    def action_add_series(self) -> None:
        self.start(lambda: self._edit_series(None))

    def action_add_session(self) -> None:
        if (line := self._line()) is not None:
            self.start(lambda: self._edit_session(line.series, None))

    def action_edit(self) -> None:
        line = self._line()
        if line is not None and line.year is None:
            self.start(lambda: self._edit_series(line.series))
        elif line is not None:
            self.start(lambda: self._edit_session(line.series, line.year))

    def action_delete(self) -> None:
        line = self._line()
        if line is not None and line.year is None:
            self.start(lambda: self._delete_series(line.series))
        elif line is not None and line.year is not None:
            year = line.year
            self.start(lambda: self._delete_session(line.series, year))

    # -- flows ---------------------------------------------------------------------

    async def _edit_series(self, key: str | None) -> None:
        """Add a series (``key`` None) or edit one; the cursor then rests on it."""
        meetings = self.view.meetings
        form = SeriesForm(meetings.get(key) if key else None, meetings)
        form.submit = self.submit(lambda series: lambda editor: editor.save_series(series))
        edited = await self.ask(form)
        if edited is not None:
            self.show(series_option_id(edited.key))

    async def _edit_session(self, key: str, year: int | None) -> None:
        """Edit the session of ``year``, or add the year after the latest (``year`` None)."""
        series = self.view.meetings[key]
        session = series.session(year) if year is not None else None
        latest = max((s.year for s in series.sessions), default=self.view.plan.year - 1)
        check = partial(
            session_edit_problems,
            self.view.records,
            key,
            replaces=session.year if session else None,
            adding=session is None,
        )
        form = SessionForm(series, session, session.year if session else latest + 1, check)
        form.submit = self.submit(
            lambda edit: lambda editor: editor.save_session(key, edit.session, year=edit.replaces)
        )
        edit = await self.ask(form)
        if edit is not None:
            self.show(session_option_id(key, edit.session.year))

    async def _delete_series(self, key: str) -> None:
        """Refused outright, with the reason, while a schedule of any plan year names it."""
        delete = partial(_delete_series, key=key)
        if anchored_to(self.view.records, key, every_plan=True):
            await self.save(delete)  # the editor says why not
        elif (
            await self.ask(ConfirmDialog(f"Delete the meeting {key}?"))
            and await self.save(delete) is not None
        ):
            self.show()  # its line is gone: the cursor goes back to the top

    async def _delete_session(self, key: str, year: int) -> None:
        """Refused outright while an item's completion hangs on it; else asked, then the
        cursor rests on its series."""
        delete = partial(_delete_session, key=key, year=year)
        if completed_in(self.view.records, session_id(key, year)):
            await self.save(delete)  # the editor says why not
            return
        name = self.view.meetings[key].name
        question = (
            f"Delete the {year} session of the {name}? Once this list is closed, u undoes it."
        )
        if await self.ask(ConfirmDialog(question)) and await self.save(delete) is not None:
            self.show(series_option_id(key))


def _delete_series(editor: Editor, *, key: str) -> Change:
    return editor.delete_series(key)


def _delete_session(editor: Editor, *, key: str, year: int) -> Change:
    return editor.delete_session(key, year)


def _aside(words: str) -> Option:
    """A line that says something of the series above it; the cursor passes it by."""
    return Option(Text(f"        {words}", style="dim italic"), disabled=True)


def _session_line(session: Session) -> Text:
    line = Text()
    line.append(f"    {session.year}  ", style="bold")
    line.append(f"{session_dates(session):<18}")
    details = [part for part in (session.title, session.place) if part]
    line.append(" · ".join(details), style="dim")
    return line


# -- the forms -----------------------------------------------------------------------


@dataclass(frozen=True)
class SessionEdit:
    """A session as the form leaves it, and the year of the session it replaces."""

    session: Session
    replaces: int | None
    """None when adding."""


class SessionForm(LiveFormScreen[SessionEdit]):
    """One year's session of a series; it opens on the dates.

    First day ≤ last day and the other checks come from ``check`` (the store's
    ``session_edit_problems``); a session longer than ``MAX_MEETING_DAYS`` asks
    before it is saved.
    """

    FRAME_ID: ClassVar[str | None] = "session-form"
    ERROR_FIELDS: ClassVar[dict[str, str]] = {"first day": "#start", "last day": "#end"}

    def __init__(
        self,
        series: MeetingSeries,
        session: Session | None,
        year: int,
        check: Callable[[Session], list[str]],
    ) -> None:
        """``year``: the year a new session serves (a session edited keeps its own)."""
        super().__init__()
        self.series = series
        self.session = session
        self.year = session.year if session else year
        self.check = check

    def heading(self) -> Text:
        s = self.session
        which = f"the {s.year} session" if s else "new session"
        return Text(f"{self.series.name}: {which}", style="bold")

    def fields(self) -> ComposeResult:
        s = self.session
        yield row(
            cell("First day (YYYY-MM-DD)", Input(_iso(s.start if s else None), id="start")),
            cell("Last day (blank: one day)", Input(_iso(s.end if s else None), id="end")),
            cell("Plan year it serves", Input(str(self.year), id="year")),
        )
        yield row(
            cell("Title or ordinal", Input(s.title if s else "", id="title")),
            cell("Place", Input(s.place if s else "", id="place")),
        )
        yield row(
            cell("Document that records it", Input(s.document if s else "", id="document")),
            cell("Note", Input(s.note if s else "", id="note")),
        )

    def after_errors(self) -> ComposeResult:
        yield Static(id="form-warnings")

    def on_mount(self) -> None:
        self.query_one("#start", Input).focus()
        self.show_errors()

    def _check(self) -> tuple[Session | None, list[str]]:
        found: list[str] = []
        year_text = self.typed("year").strip()
        if not year_text.isdigit():
            found.append(f"year: {year_text!r} is not a year; write it as YYYY")
        start = self.typed_date("start", "first day", found)
        end = self.typed_date("end", "last day", found)
        if found:
            return None, found
        session = Session(
            year=int(year_text),
            start=start,
            end=end or start,
            title=clean_text(self.typed("title")),
            place=clean_text(self.typed("place")),
            note=clean_text(self.typed("note")),
            document=clean_text(self.typed("document")),
        )
        found += self.check(session)
        return (None if found else session), found

    def errors(self) -> list[str]:
        return self._check()[1]

    def warnings(self) -> list[str]:
        session, _ = self._check()
        return session_warnings(session) if session else []

    def show_errors(self) -> list[str]:
        found = super().show_errors()
        shown = Text()
        for warning in self.warnings():
            shown.append(f"⚠ {warning}: saving asks to confirm\n")
        self.query_one("#form-warnings", Static).update(shown)
        return found

    def result(self) -> SessionEdit:
        session, _ = self._check()
        assert session is not None  # only called once errors() is empty
        return SessionEdit(session, self.session.year if self.session else None)

    def action_save(self) -> None:
        if self.refused():
            return
        warnings = self.warnings()
        if not warnings:
            self.finish(self.result())
            return
        edit = self.result()

        def answered(yes: bool | None) -> None:
            if yes:
                self.finish(edit)

        question = f"{'; '.join(warnings).capitalize()}. Save it anyway?"
        self.app.push_screen(ConfirmDialog(question), answered)


NO_HOST = ""
"""The Select value for a series that sits alongside no other."""


class SeriesForm(LiveFormScreen[MeetingSeries]):
    """A series' name, the series it sits alongside and why; the key is set once, when adding."""

    FRAME_ID: ClassVar[str | None] = "series-form"

    def __init__(self, series: MeetingSeries | None, meetings: Mapping[str, MeetingSeries]) -> None:
        super().__init__()
        self.series = series
        self.meetings = meetings

    def heading(self) -> Text:
        s = self.series
        return Text(f"Edit {s.key}" if s else "New meeting series", style="bold")

    def fields(self) -> ComposeResult:
        s = self.series
        hosts = [
            (f"{m.name} ({m.key})", m.key)
            for m in self.meetings.values()
            if s is None or m.key != s.key
        ]
        yield Label("Key (used in schedules, e.g. before cicte-session)")
        yield Input(s.key if s else "", id="key", disabled=s is not None)
        yield Label("Name")
        yield Input(s.name if s else "", id="name")
        yield Label("Alongside (takes that meeting's dates when it has none of its own)")
        yield Select(
            [("— none —", NO_HOST), *hosts],
            value=(s.alongside or NO_HOST) if s else NO_HOST,
            allow_blank=False,
            id="alongside",
        )
        yield Label("Why alongside (e.g. footnote 4)")
        yield Input(s.alongside_basis if s else "", id="basis")
        yield Label("Note")
        yield Input(s.note if s else "", id="note")

    def on_mount(self) -> None:
        self.query_one("#name" if self.series else "#key", Input).focus()
        self.show_errors()

    def _candidate(self) -> MeetingSeries:
        host = self.query_one("#alongside", Select).value
        alongside = host if isinstance(host, str) and host != NO_HOST else None
        base = self.series or MeetingSeries(clean_text(self.typed("key")).lower(), "")
        return replace(
            base,
            name=clean_text(self.typed("name")),
            alongside=alongside,
            alongside_basis=clean_text(self.typed("basis")) if alongside else "",
            note=clean_text(self.typed("note")),
        )

    def errors(self) -> list[str]:
        candidate = self._candidate()
        found = []
        if self.series is None and candidate.key in self.meetings:
            found.append(f"key: {candidate.key} already exists")
        return found + series_problems(candidate, self.meetings)

    def result(self) -> MeetingSeries:
        return self._candidate()


def _iso(day: date | None) -> str:
    return day.isoformat() if day else ""
