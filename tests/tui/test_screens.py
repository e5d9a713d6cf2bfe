"""The notes list, the meetings editor and the files, each on a bare app over an in-memory
tracker: what the user sees after each key, and what got saved."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date, datetime
from pathlib import Path

import pytest
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Static, TextArea

from store.editing import Editor
from store.model import Evidence
from store.output import OutputError
from store.repository import Tracker
from store.schedule import Outlook
from tests.tui.conftest import until
from tui.saving import StoreLink, TrackerChanged
from tui.screens import files
from tui.screens.brief_choice import BriefChoice
from tui.screens.dialogs import ConfirmDialog, NoteForm
from tui.screens.files import ExportKind, brief_for_day, write_export
from tui.screens.meetings import MeetingsScreen, SeriesForm, SessionForm
from tui.screens.notes import NotesScreen
from tui.screens.plans import NewPlanForm
from tui.view import TrackerView

JUNE_20 = date(2008, 6, 20)
STYLESHEET = Path(__file__).parents[2] / "tui" / "app.tcss"


class Host(App[None]):
    """Just enough app for a modal screen: the store link, and the view it hands on."""

    CSS_PATH = STYLESHEET

    def __init__(self, tracker: Tracker, today: date) -> None:
        super().__init__()
        editor = Editor(tracker, lambda: datetime(2008, 6, 20, 9, 30))
        view = TrackerView(tracker.snapshot(), Outlook(today))
        self.link = StoreLink(
            self, tracker, editor, view, lambda _conflict: None, lambda _view: None
        )
        self.closed_with: list[object] = []

    def on_tracker_changed(self, message: TrackerChanged) -> None:
        self.link.show(message.view)

    def open(self, screen: NotesScreen | MeetingsScreen) -> None:
        self.push_screen(screen, self.closed_with.append)


@asynccontextmanager
async def host(
    today: date = JUNE_20, tracker: Tracker | None = None
) -> AsyncIterator[tuple[Host, Pilot[None]]]:
    app = Host(tracker or Tracker.in_memory(), today)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        yield app, pilot


async def done(pilot: Pilot[None]) -> None:
    """Wait until every save and flow under way is over."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def opened(pilot: Pilot[None], kind: type) -> None:
    await until(pilot, lambda: isinstance(pilot.app.screen, kind), kind.__name__)


def lines(app: App[None]) -> list[str]:
    options = app.screen.query_one(OptionList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


def cursor_id(app: App[None]) -> str | None:
    options = app.screen.query_one(OptionList)
    assert options.highlighted is not None
    return options.get_option_at_index(options.highlighted).id


def messages(app: App[None]) -> str:
    return " | ".join(str(n.message) for n in app._notifications)


# -- notes ---------------------------------------------------------------------------------


async def test_notes_are_added_edited_and_deleted_in_the_list():
    async with host() as (app, pilot):
        app.open(NotesScreen(app.link, "I-1.ii"))
        await pilot.pause()
        assert app.screen.query_one("#list-hint", Static).display  # no notes yet
        await pilot.press("a")
        await opened(pilot, NoteForm)
        await pilot.press(*"Projet envoyé", "ctrl+s")
        await done(pilot)
        assert isinstance(app.screen, NotesScreen)  # back in the list, which shows it
        assert lines(app) == ["2008-06-20 09:30  Projet envoyé"]
        assert not app.screen.query_one("#list-hint", Static).display
        assert "1.ii: note added" in messages(app)

        await pilot.press("e")
        await opened(pilot, NoteForm)
        assert app.screen.query_one(TextArea).text == "Projet envoyé"
        app.screen.query_one(TextArea).load_text("Projet validé")
        await pilot.press("ctrl+s")
        await done(pilot)
        assert lines(app) == ["2008-06-20 09:30  Projet validé"]

        await pilot.press("d")
        await opened(pilot, ConfirmDialog)
        await pilot.press("n")
        await done(pilot)
        assert lines(app) == ["2008-06-20 09:30  Projet validé"]  # kept
        await pilot.press("d")
        await opened(pilot, ConfirmDialog)
        await pilot.press("y")
        await done(pilot)
        assert lines(app) == []
        assert app.screen.query_one("#list-hint", Static).display

        await pilot.press("escape")
        await pilot.pause()
        assert app.closed_with == [None]
    assert app.link.view.obligation("I-1.ii").notes == ()


async def test_a_note_in_markup_is_shown_as_typed_and_an_empty_one_is_refused():
    async with host() as (app, pilot):
        app.open(NotesScreen(app.link, "I-1.ii"))
        await pilot.press("a")
        await opened(pilot, NoteForm)
        await pilot.press("space", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, NoteForm)  # refused: still open
        assert "The note is empty" in str(app.screen.query_one("#form-errors", Static).content)
        app.screen.query_one(TextArea).load_text("[/foo] [b]bold?[/b]")
        await pilot.press("ctrl+s")
        await done(pilot)
        assert lines(app) == ["2008-06-20 09:30  [/foo] [b]bold?[/b]"]


# -- meetings ------------------------------------------------------------------------------


async def open_meetings(app: Host, pilot: Pilot[None], line: str) -> None:
    app.open(MeetingsScreen(app.link))
    await pilot.pause()
    options = app.screen.query_one(OptionList)
    options.highlighted = options.get_option_index(line)


async def test_next_years_session_is_added_and_the_cursor_rests_on_it():
    async with host(date(2009, 3, 1)) as (app, pilot):
        await open_meetings(app, pilot, "series:cicte-session")
        assert "CICTE regular session  cicte-session · 4 obligations" in lines(app)[0]
        await pilot.press("n")
        await opened(pilot, SessionForm)
        assert app.screen.query_one("#year", Input).value == "2009"
        await pilot.press(*"2009-03-04", "tab", *"2009-03-06", "ctrl+s")
        await done(pilot)
        assert isinstance(app.screen, MeetingsScreen)
        assert cursor_id(app) == "session:cicte-session:2009"
        assert any("2009  4–6 Mar 2009" in line for line in lines(app))
    assert app.link.view.meetings["cicte-session"].session(2009).end == date(2009, 3, 6)


async def test_the_meetings_list_opens_on_the_line_it_is_given():
    async with host() as (app, pilot):
        app.open(MeetingsScreen(app.link, "session:oas-ga:2008"))
        await pilot.pause()
        assert cursor_id(app) == "session:oas-ga:2008"


async def test_a_session_is_edited_from_its_line():
    async with host() as (app, pilot):
        await open_meetings(app, pilot, "session:cicte-session:2008")
        await pilot.press("enter")
        await opened(pilot, SessionForm)
        app.screen.query_one("#start", Input).value = "2008-03-10"
        app.screen.query_one("#end", Input).value = "2008-03-12"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await done(pilot)
        assert cursor_id(app) == "session:cicte-session:2008"
        assert any("2008  10–12 Mar 2008" in line for line in lines(app))
    assert app.link.view.meetings["cicte-session"].session(2008).start == date(2008, 3, 10)


async def test_a_session_that_holds_a_completion_is_refused_and_another_is_deleted_on_yes():
    tracker = Tracker.in_memory()
    Editor(tracker).complete("I-1.iv", JUNE_20, evidence=Evidence())
    async with host(tracker=tracker) as (app, pilot):
        await open_meetings(app, pilot, "session:cicte-session:2008")
        await pilot.press("d")
        await done(pilot)
        assert isinstance(app.screen, MeetingsScreen)  # refused outright, no question
        assert "the 2008 session holds completed occurrences (1.iv)" in messages(app)

        app.screen.query_one(OptionList).highlighted = app.screen.query_one(
            OptionList
        ).get_option_index("session:oas-ga:2008")
        await pilot.press("d")
        await opened(pilot, ConfirmDialog)
        await pilot.press("y")
        await done(pilot)
        assert cursor_id(app) == "series:oas-ga"  # its series, now without sessions
        assert not any(line.startswith("    2008  1–3 Jun") for line in lines(app))
    assert app.link.view.meetings["oas-ga"].session(2008) is None


async def test_a_series_is_added_edited_and_deleted_unless_a_schedule_names_it():
    async with host() as (app, pilot):
        await open_meetings(app, pilot, "series:oas-ga")
        await pilot.press("d")
        await done(pilot)
        assert "the schedule of 1.vii names oas-ga" in messages(app)

        await pilot.press("a")
        await opened(pilot, SeriesForm)
        await pilot.press(*"board-meeting", "tab", *"Board meeting", "ctrl+s")
        await done(pilot)
        assert cursor_id(app) == "series:board-meeting"
        assert "Board meeting  board-meeting · 0 obligations" in lines(app)[cursor_index(app)]

        await pilot.press("enter")
        await opened(pilot, SeriesForm)
        app.screen.query_one("#name", Input).value = "Board"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await done(pilot)
        assert lines(app)[cursor_index(app)].startswith("Board  board-meeting")

        await pilot.press("d")
        await opened(pilot, ConfirmDialog)
        await pilot.press("y")
        await done(pilot)
        assert cursor_id(app) == "series:cicte-session"  # the line is gone: the top
    assert "board-meeting" not in app.link.view.meetings


def cursor_index(app: App[None]) -> int:
    highlighted = app.screen.query_one(OptionList).highlighted
    assert highlighted is not None
    return highlighted


async def test_a_save_the_store_refuses_keeps_the_form_open_and_says_why():
    async with host() as (app, pilot):
        await open_meetings(app, pilot, "series:pcn-meeting")
        await pilot.press("enter")
        await opened(pilot, SeriesForm)
        form = app.screen
        await pilot.press("ctrl+s")  # nothing changed: the editor says so
        # The list's flow still waits for this form, so wait for the form's save alone.
        await until(pilot, lambda: bool(form.query("#form-summary")), "the refusal")
        assert app.screen is form
        assert "✗ Not saved: nothing changed" in str(
            form.query_one("#form-summary", Static).content
        )


# -- forms -----------------------------------------------------------------------------------


async def test_a_wrong_date_in_the_new_plan_form_puts_the_cursor_on_it():
    async with host(date(2009, 3, 1)) as (app, pilot):
        view = app.link.view
        app.push_screen(
            NewPlanForm(view.plans, view.meetings, ["cicte-session", "oas-ga"], "Work plan 2009")
        )
        await pilot.pause()
        app.screen.query_one("#start-oas-ga", Input).value = "2009-13-01"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.focused is app.screen.query_one("#start-oas-ga", Input)
        summary = str(app.screen.query_one("#form-summary", Static).content)
        assert "OAS General Assembly, first day: 2009-13-01 is not a real date" in summary


# -- files -----------------------------------------------------------------------------------


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize(
    ("kind", "name", "start"),
    [
        (ExportKind.ICS, "cicte-tracker-2008-06-20.ics", b"BEGIN:VCALENDAR"),
        (ExportKind.MARKDOWN, "cicte-tracker-2008-06-20.md", b"# "),
        (ExportKind.CSV, "cicte-tracker-2008-06-20.csv", b"\xef\xbb\xbf"),
        (ExportKind.JSON, "cicte-tracker-2008-06-20.json", b"{"),
    ],
)
async def test_each_export_is_written_under_a_free_name(in_tmp, kind, name, start):
    async with host() as (app, pilot):
        first = await write_export(app.screen, app.link, kind)
        second = await write_export(app.screen, app.link, kind)
        await done(pilot)
        assert first == in_tmp / name
        stem, suffix = name.rsplit(".", 1)
        assert second == in_tmp / f"{stem}-2.{suffix}"
        assert first.read_bytes().startswith(start)
        assert f"Wrote {first}" in messages(app)


async def test_a_file_that_cannot_be_written_is_said(in_tmp, monkeypatch):
    def refuse(target: str, content: bytes, **_: object) -> Path:
        raise OutputError(f"{target} is a folder; give a file name")

    monkeypatch.setattr(files, "write_output", refuse)
    async with host() as (app, pilot):
        assert await write_export(app.screen, app.link, ExportKind.CSV) is None
        await done(pilot)
        assert "Not written: " in messages(app) and "is a folder" in messages(app)
    assert list(in_tmp.iterdir()) == []


async def test_the_brief_is_for_the_next_meeting_without_asking(in_tmp):
    async with host(date(2008, 5, 20)) as (app, pilot):
        writing = brief_for_day(app.screen, app.link, date(2008, 5, 20))
        assert writing is not None and not isinstance(app.screen, BriefChoice)
        written = await writing
        await done(pilot)
        assert written == in_tmp / "cicte-brief-oas-ga-2008-05-20.md"
        assert written.read_text("utf-8").startswith("# Brief: OAS General Assembly")


async def test_with_no_meeting_ahead_the_brief_asks_which_session(in_tmp):
    async with host(date(2008, 12, 1)) as (app, pilot):
        assert brief_for_day(app.screen, app.link, date(2008, 12, 1)) is None
        assert isinstance(app.screen, BriefChoice)  # at once: the next keys answer it
        await pilot.press("escape")
        await done(pilot)
        assert list(in_tmp.iterdir()) == []

        brief_for_day(app.screen, app.link, date(2008, 12, 1))
        await pilot.press("down", "enter")
        await done(pilot)
        written = in_tmp / "cicte-brief-cicte-session-2008-12-01.md"
        assert written.exists() and "Wrote" in messages(app)


async def test_with_no_dated_meeting_the_brief_says_how_to_give_one(in_tmp):
    tracker = Tracker.in_memory()
    editor = Editor(tracker)
    for key, series in tracker.meetings.items():
        for session in series.sessions:
            editor.delete_session(key, session.year)
    async with host(tracker=tracker) as (app, pilot):
        assert brief_for_day(app.screen, app.link, JUNE_20) is None
        await pilot.pause()
        assert "No meeting has a date yet: press E" in messages(app)
