"""The meetings editor (E): series and their sessions by year, and the forms that edit them."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from contextlib import suppress
from dataclasses import dataclass, replace
from datetime import date
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Select, Static
from textual.widgets.option_list import Option, OptionDoesNotExist

from store.describe import session_dates
from store.model import MeetingSeries, Session
from store.rules import RuleError, parse_iso_date
from store.text import clean_text
from store.validation import series_problems, session_warnings
from tui.screens.dialogs import ConfirmDialog
from tui.screens.form import LiveFormScreen


@dataclass(frozen=True)
class MeetingRequest:
    """What the user chose in the meetings list."""

    what: str
    """``add-series``, ``edit-series``, ``add-session``, ``edit-session`` or ``delete``."""
    series: str | None = None
    year: int | None = None
    """The session's year, for a session line."""


def series_option_id(key: str) -> str:
    return f"series:{key}"


def session_option_id(key: str, year: int) -> str:
    return f"session:{key}:{year}"


class MeetingsScreen(ModalScreen[MeetingRequest | None]):
    """Every meeting series with its sessions by year, and how many schedules hang on it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "request('add-session')", "Next year's session"),
        Binding("e,enter", "request('edit')", "Edit series or session"),
        Binding("a", "request('add-series')", "Add a meeting series"),
        Binding("d", "request('delete')", "Delete series or session"),
        Binding("escape", "close", "Close"),
    ]

    def __init__(
        self,
        meetings: Mapping[str, MeetingSeries],
        anchored: Mapping[str, int],
        focus: str | None = None,
    ) -> None:
        super().__init__()
        self.meetings = meetings
        self.anchored = anchored
        self.focus_id = focus

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide", id="meetings"):
            yield Static(
                Text(
                    "Meetings — n next year's session · e edit · a add series · d delete · "
                    "esc close",
                    style="bold",
                )
            )
            yield OptionList(*self._options(), id="meeting-list")

    def _options(self) -> list[Option]:
        options: list[Option] = []
        for series in self.meetings.values():
            options.append(Option(self._series_line(series), id=series_option_id(series.key)))
            host = self.meetings.get(series.alongside or "")
            if host is not None:
                basis = f" ({series.alongside_basis})" if series.alongside_basis else ""
                words = f"alongside the {host.name}{basis}: takes its dates"
                options.append(Option(Text(f"        {words}", style="dim italic"), disabled=True))
            for session in series.sessions:
                options.append(
                    Option(
                        self._session_line(session), id=session_option_id(series.key, session.year)
                    )
                )
            if not series.sessions and host is None:
                words = "no sessions yet: n adds one"
                options.append(Option(Text(f"        {words}", style="dim italic"), disabled=True))
        return options

    def _series_line(self, series: MeetingSeries) -> Text:
        line = Text()
        line.append(series.name, style="bold")
        count = self.anchored.get(series.key, 0)
        line.append(f"  {series.key} · {count} obligation{'s' if count != 1 else ''}", style="dim")
        return line

    def _session_line(self, session: Session) -> Text:
        line = Text()
        line.append(f"    {session.year}  ", style="bold")
        line.append(f"{session_dates(session):<18}")
        details = [part for part in (session.title, session.place) if part]
        line.append(" · ".join(details), style="dim")
        return line

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.focus()
        options.highlighted = 0
        if self.focus_id is not None:
            with suppress(OptionDoesNotExist):  # the line may be gone (deleted meanwhile)
                options.highlighted = options.get_option_index(self.focus_id)

    def _highlighted(self) -> tuple[str, str | None, int | None] | None:
        """(``series`` | ``session``, series key, year) of the line under the cursor."""
        options = self.query_one(OptionList)
        if options.highlighted is None:
            return None
        option_id = options.get_option_at_index(options.highlighted).id or ""
        kind, _, rest = option_id.partition(":")
        if kind == "series":
            return kind, rest, None
        if kind == "session":
            key, _, year = rest.rpartition(":")
            return kind, key, int(year)
        return None

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_request("edit")

    def action_request(self, what: str) -> None:
        if what == "add-series":
            self.dismiss(MeetingRequest(what))
            return
        line = self._highlighted()
        if line is None:
            return
        kind, key, year = line
        if what == "add-session":
            self.dismiss(MeetingRequest(what, key))
        elif what == "edit":
            self.dismiss(MeetingRequest(f"edit-{kind}", key, year))
        else:
            self.dismiss(MeetingRequest(what, key, year))

    def action_close(self) -> None:
        self.dismiss(None)


@dataclass(frozen=True)
class SessionEdit:
    """A session as the form leaves it, and the year of the session it replaces."""

    session: Session
    replaces: int | None
    """None when adding."""


class SessionForm(LiveFormScreen[SessionEdit]):
    """One year's session of a series; it opens on the dates.

    First day ≤ last day and the other checks come from ``session_problems``;
    a session longer than ``MAX_MEETING_DAYS`` asks before it is saved.
    """

    ERROR_FIELDS: ClassVar[dict[str, str]] = {"first day": "#start", "last day": "#end"}

    def __init__(
        self,
        series: MeetingSeries,
        session: Session | None,
        year: int,
        check: Callable[[Session], list[str]],
    ) -> None:
        """``check``: the store's own problems with saving a session (``session_edit_problems``)."""
        super().__init__()
        self.series = series
        self.session = session
        self.year = session.year if session else year
        self.check = check

    def compose(self) -> ComposeResult:
        s = self.session
        title = (
            f"{self.series.name}: the {s.year} session" if s else f"{self.series.name}: new session"
        )
        with VerticalScroll(classes="dialog wide form", id="session-form"):
            yield Static(Text(title, style="bold"))
            with Horizontal(classes="row"):
                with Vertical(classes="cell"):
                    yield Label("First day (YYYY-MM-DD)")
                    yield Input(_iso(s.start if s else None), id="start")
                with Vertical(classes="cell"):
                    yield Label("Last day (blank: one day)")
                    yield Input(_iso(s.end if s else None), id="end")
                with Vertical(classes="cell"):
                    yield Label("Plan year it serves")
                    yield Input(str(self.year), id="year")
            with Horizontal(classes="row"):
                with Vertical(classes="cell"):
                    yield Label("Title or ordinal")
                    yield Input(s.title if s else "", id="title")
                with Vertical(classes="cell"):
                    yield Label("Place")
                    yield Input(s.place if s else "", id="place")
            with Horizontal(classes="row"):
                with Vertical(classes="cell"):
                    yield Label("Document that records it")
                    yield Input(s.document if s else "", id="document")
                with Vertical(classes="cell"):
                    yield Label("Note")
                    yield Input(s.note if s else "", id="note")
            yield Static(id="form-errors")
            yield Static(id="form-warnings")
            with Horizontal(classes="buttons"):
                yield Button("Save (ctrl+s)", id="save", variant="primary")
                yield Button("Cancel (esc)", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#start", Input).focus()
        self.show_errors()

    def _value(self, name: str) -> str:
        return self.query_one(f"#{name}", Input).value

    def _date(self, name: str, words: str, found: list[str]) -> date | None:
        text = self._value(name).strip()
        if not text:
            return None
        try:
            return parse_iso_date(text)
        except RuleError as error:
            found.append(f"{words}: {error}")
            return None

    def _check(self) -> tuple[Session | None, list[str]]:
        found: list[str] = []
        year_text = self._value("year").strip()
        if not year_text.isdigit():
            found.append(f"year: {year_text!r} is not a year; write it as YYYY")
        start = self._date("start", "first day", found)
        end = self._date("end", "last day", found)
        if found:
            return None, found
        session = Session(
            year=int(year_text),
            start=start,
            end=end or start,
            title=clean_text(self._value("title")),
            place=clean_text(self._value("place")),
            note=clean_text(self._value("note")),
            document=clean_text(self._value("document")),
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

    def __init__(self, series: MeetingSeries | None, meetings: Mapping[str, MeetingSeries]) -> None:
        super().__init__()
        self.series = series
        self.meetings = meetings

    def compose(self) -> ComposeResult:
        s = self.series
        hosts = [
            (f"{m.name} ({m.key})", m.key)
            for m in self.meetings.values()
            if s is None or m.key != s.key
        ]
        with VerticalScroll(classes="dialog wide form", id="series-form"):
            yield Static(Text(f"Edit {s.key}" if s else "New meeting series", style="bold"))
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
            yield Static(id="form-errors")
            with Horizontal(classes="buttons"):
                yield Button("Save (ctrl+s)", id="save", variant="primary")
                yield Button("Cancel (esc)", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#name" if self.series else "#key", Input).focus()
        self.show_errors()

    def _value(self, name: str) -> str:
        return self.query_one(f"#{name}", Input).value

    def _candidate(self) -> MeetingSeries:
        host = self.query_one("#alongside", Select).value
        alongside = host if isinstance(host, str) and host != NO_HOST else None
        base = self.series or MeetingSeries(clean_text(self._value("key")).lower(), "")
        return replace(
            base,
            name=clean_text(self._value("name")),
            alongside=alongside,
            alongside_basis=clean_text(self._value("basis")) if alongside else "",
            note=clean_text(self._value("note")),
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
