"""Editing from the keyboard: each edit shows at once, survives a restart, and can be undone."""

from __future__ import annotations

from datetime import date

import pytest
from textual.widgets import Input, Static, TextArea

from store.model import Status
from store.repository import Tracker
from store.schedule import Outlook
from tests.tui.conftest import clock, editing_app, from_palette, saved, settle
from tui.app import CicteApp
from tui.screens.dialogs import ConfirmDialog, NoteForm
from tui.screens.meetings import MeetingsScreen, SessionForm
from tui.screens.obligation_form import ObligationForm
from tui.widgets.detail import DetailPane
from tui.widgets.mandate_tree import MandateTree, NodeRef

JUNE_20 = date(2008, 6, 20)


def detail(app) -> str:
    return app.screen.query_one(DetailPane).content.plain


async def select(app, pilot, key):
    app.screen.jump_to(key)
    await pilot.pause()


async def test_s_cycles_the_status_and_u_undoes_it(db_path):
    async with editing_app(db_path) as (app, pilot):
        await select(app, pilot, "I-1.i")
        await pilot.press("s")
        await settle(pilot)
        assert "status: in progress" in detail(app)
        assert "status: not started → in progress" in detail(app)  # history
    assert saved(db_path, "1.i").status is Status.IN_PROGRESS
    async with editing_app(db_path) as (app, pilot):
        await select(app, pilot, "I-1.i")
        await pilot.press("s", "u")  # undo works on what this session did
        await settle(pilot)
        await pilot.press("ctrl+y")
        await settle(pilot)
        assert "status: done" in detail(app)
    assert saved(db_path, "1.i").status is Status.DONE


async def test_space_completes_the_current_occurrence_and_x_the_next_one(db_path):
    async with editing_app(db_path) as (app, pilot):
        await select(app, pilot, "I-4.i")
        assert "Next due: 30 Jun 2008" in detail(app)
        assert "2 soon" in str(app.screen.query_one("#header", Static).content)  # 4.i and 4.ii
        await pilot.press("space")
        await settle(pilot)
        assert "Next due: 31 Dec 2008" in detail(app)
        assert "30 Jun 2008  done on 20 Jun 2008" in detail(app)
        assert "1 soon" in str(app.screen.query_one("#header", Static).content)
    assert [c.occurrence for c in saved(db_path, "4.i").completions] == ["2008-06-30"]
    async with editing_app(db_path) as (app, pilot):
        await select(app, pilot, "I-4.i")
        await pilot.press("x")  # the December one: x never takes a completion back
        await settle(pilot)
        assert "31 Dec 2008  done on 20 Jun 2008" in detail(app)
        await pilot.press("x")  # nothing left to complete: it says so
        await settle(pilot)
        assert any("every occurrence of 4.i" in str(n.message) for n in app._notifications)
    assert [c.occurrence for c in saved(db_path, "4.i").completions] == [
        "2008-06-30",
        "2008-12-31",
    ]


async def test_an_overdue_mandate_marked_done_leaves_the_overdue_filter(db_path):
    async with editing_app(db_path) as (app, pilot):
        await pilot.press("o")
        await select(app, pilot, "I-1.vii")
        await pilot.press("x")
        await settle(pilot)
        tree = app.screen.query_one(MandateTree)
        label = tree.cursor_node.label.plain
        assert label.startswith("✓ 1.vii done")
        assert "4 overdue" in str(app.screen.query_one("#header", Static).content)


async def test_notes_are_added_edited_and_deleted_from_the_keyboard(db_path):
    async with editing_app(db_path) as (app, pilot):
        await select(app, pilot, "I-1.ii")
        await pilot.press("n")
        assert isinstance(app.screen, NoteForm)
        await pilot.press(*"Projet envoyé")
        await pilot.press("enter")
        await pilot.press(*"à la présidence")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "2008-06-20 09:30  Projet envoyé\nà la présidence" in detail(app)
        await pilot.press("N")  # the notes list
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one(TextArea).load_text("Projet validé")
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert "Projet validé" in detail(app)
    assert saved(db_path, "1.ii").notes[0].text == "Projet validé"
    async with editing_app(db_path) as (app, pilot):
        await select(app, pilot, "I-1.ii")
        await pilot.press("N", "d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert "No notes yet." in detail(app)
    assert saved(db_path, "1.ii").notes == ()


async def test_an_empty_note_is_refused_in_the_form(db_path):
    async with editing_app(db_path) as (app, pilot):
        await select(app, pilot, "I-1.ii")
        await pilot.press("n", "space", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, NoteForm)
        assert "The note is empty" in str(app.screen.query_one("#form-errors", Static).content)
        await pilot.press("escape")
    assert saved(db_path, "1.ii").notes == ()


async def edit_form(app, pilot, **values):
    await pilot.press("e")
    await pilot.pause()
    form = app.screen
    assert isinstance(form, ObligationForm)
    for field, value in values.items():
        form.query_one(f"#{field}", Input).value = value
    await settle(pilot)
    return form


async def test_the_edit_form_changes_schedule_owner_and_partners(db_path):
    async with editing_app(db_path) as (app, pilot):
        await select(app, pilot, "I-1.ii")
        form = await edit_form(
            app, pilot, **{"schedule-input": "2008-11-30", "owner": "Ana", "partners": "a9, B25"}
        )
        preview = str(form.query_one("#schedule-preview", Static).content)
        assert "due 30 Nov 2008" in preview and "Next due: 30 Nov 2008" in preview
        await pilot.press("ctrl+s")
        await settle(pilot)
        text = detail(app)
        assert "Next due: 30 Nov 2008" in text and "owner: Ana" in text
        assert "Printed: Une fois par an - en septembre" in text  # the French text stays
        assert "A9 Commission interaméricaine de lutte contre l'abus des drogues" in text
    stored = saved(db_path, "1.ii")
    assert stored.rules == ("2008-11-30",) and stored.partners == ("A9", "B25")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("schedule-input", "2008-02-30", "2008-02-30 is not a real date"),
        ("schedule-input", "before board-meeting", "unknown event 'board-meeting'"),
        ("reviewed", "2008-13-01", "last reviewed: 2008-13-01 is not a real date"),
        ("partners", "Z9", "partners: Z9 not in Appendix II"),
    ],
)
async def test_the_edit_form_refuses_bad_input_inline(db_path, field, value, message):
    async with editing_app(db_path) as (app, pilot):
        await select(app, pilot, "I-1.ii")
        form = await edit_form(app, pilot, **{field: value})
        shown = str(form.query_one("#form-errors", Static).content) + str(
            form.query_one("#schedule-preview", Static).content
        )
        assert message in shown
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ObligationForm)  # refused: the form stays open
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ObligationForm)
    assert saved(db_path, "1.ii").rules == ("yearly in september",)


async def test_an_owner_is_needed_for_work_in_progress(db_path):
    async with editing_app(db_path) as (app, pilot):
        await select(app, pilot, "I-1.ii")
        form = await edit_form(app, pilot)
        form.query_one("#status").value = Status.IN_PROGRESS
        await settle(pilot)
        assert "owner: needed to set the status to in progress" in str(
            form.query_one("#form-errors", Static).content
        )


async def test_add_then_delete_an_obligation_and_undo_the_delete(db_path):
    async with editing_app(db_path) as (app, pilot):
        await select(app, pilot, "I-1.xiii")
        await pilot.press("a")
        await pilot.pause()
        form = app.screen
        assert form.query_one("#number", Input).value == "1.xiv"
        form.query_one("#text", TextArea).load_text("Suivre la mise en œuvre [DRAFT]")
        form.query_one("#schedule-input", Input).value = "2008-10-31"
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        tree = app.screen.query_one(MandateTree)
        assert tree.cursor_node.data == NodeRef("obligation", "I-1.xiv")
        assert "1.xiv due 31 Oct  Suivre la mise en" in tree.cursor_node.label.plain
        assert "Suivre la mise en œuvre [DRAFT]" in detail(app)
        await select(app, pilot, "I-1.v")
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        assert "I-1.v" not in tree.obligation_keys()
    assert saved(db_path, "1.xiv").rules == ("2008-10-31",)
    assert saved(db_path, "1.v") is None
    async with editing_app(db_path) as (app, pilot):
        await pilot.press("d")  # on a section line: nothing to delete
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmDialog)
    async with editing_app(db_path) as (app, pilot):
        await select(app, pilot, "I-1.iv")
        await pilot.press("d", "y")
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        keys = app.screen.query_one(MandateTree).obligation_keys()
        assert keys.index("I-1.iv") == keys.index("I-1.iii") + 1  # back in its place
    assert saved(db_path, "1.iv") is not None


async def open_session(app, pilot, series="cicte-session", year=2008):
    """E, then the session's line in the meetings list, then enter."""
    await pilot.press("E")
    await pilot.pause()
    meetings = app.screen
    assert isinstance(meetings, MeetingsScreen)
    options = meetings.query_one("#meeting-list")
    options.highlighted = options.get_option_index(f"session:{series}:{year}")
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(app.screen, SessionForm)
    return app.screen


async def test_moving_the_cicte_session_moves_anchored_deadlines(db_path):
    async with editing_app(db_path, today=date(2008, 3, 1)) as (app, pilot):
        await select(app, pilot, "I-1.viii")
        assert "Next due: 7 Mar 2008" in detail(app)
        form = await open_session(app, pilot)
        assert app.focused is form.query_one("#start", Input)  # it opens on the dates
        form.query_one("#start", Input).value = "2008-03-25"
        form.query_one("#end", Input).value = "2008-03-27"
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert "Next due: 27 Mar 2008" in detail(app)
        assert "session: CICTE regular session 2008 (Eighth Regular Session), 25–27 Mar" in detail(
            app
        )
    with Tracker.open(db_path, read_only=True) as tracker:
        assert tracker.meetings["cicte-session"].session(2008).start == date(2008, 3, 25)


async def test_a_session_ending_before_it_starts_is_refused(db_path):
    async with editing_app(db_path) as (app, pilot):
        form = await open_session(app, pilot)
        form.query_one("#start", Input).value = "2008-05-02"
        form.query_one("#end", Input).value = "2008-05-01"
        await settle(pilot)
        assert "last day: it is before the first day" in str(
            form.query_one("#form-errors", Static).content
        )
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, SessionForm)
        await pilot.press("escape", "escape")
        await settle(pilot)
    with Tracker.open(db_path, read_only=True) as tracker:
        assert tracker.meetings["cicte-session"].session(2008).start == date(2008, 3, 5)


MARKUP = [
    "[bold]",
    "[/]",
    "close[/bold]",
    "[DRAFT]",
    "[@click=app.quit]x",
    "[link=file:///etc/passwd]x",
]


@pytest.mark.parametrize("typed", MARKUP)
async def test_markup_in_user_text_is_shown_exactly_and_never_runs(db_path, typed):
    async with editing_app(db_path) as (app, pilot):
        await select(app, pilot, "I-1.ii")
        await pilot.press("n")
        await pilot.pause()
        app.screen.query_one(TextArea).load_text(f"avant {typed} après")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert f"avant {typed} après" in detail(app)
        assert app.is_running
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one("#owner", Input).value = typed
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert f"owner: {typed}" in detail(app)
        # Searching for it puts it in the tree's border title, which Textual parses.
        await pilot.press("slash")
        await pilot.pause()
        app.screen.query_one("#search", Input).value = typed
        await pilot.press("enter")
        await settle(pilot)
        assert app.is_running
    assert saved(db_path, "1.ii").owner == typed


async def test_escape_sequences_and_control_characters_are_stripped_on_input(db_path):
    async with editing_app(db_path) as (app, pilot):
        await select(app, pilot, "I-1.ii")
        await pilot.press("n")
        await pilot.pause()
        app.screen.query_one(TextArea).load_text("a\x1b]0;title\x07b\x1b[2Jc\x9b31md\x00e")
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert saved(db_path, "1.ii").notes[0].text == "abcde"


async def test_a_read_only_instance_refuses_edits_with_a_message(db_path):
    with Tracker.open(db_path):  # the other instance
        reader = Tracker.open(db_path, read_only=True)
        app = CicteApp(reader, Outlook(JUNE_20), "--today", clock)
        async with app.run_test(size=(120, 40)) as pilot:
            await select(app, pilot, "I-1.i")
            await pilot.press("s", "n")
            await settle(pilot)
            assert not isinstance(app.screen, NoteForm)
            assert any("Read-only" in str(n.message) for n in app._notifications)
        assert reader.obligation("I-1.i").status is Status.NOT_STARTED


async def test_b_writes_the_brief_for_the_meeting_under_the_calendar_cursor(
    db_path, tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    async with editing_app(db_path, today=date(2008, 2, 20)) as (app, pilot):
        app.screen.show_day(date(2008, 3, 6))  # inside the CICTE session
        await pilot.press("b")
        await settle(pilot)
        written = tmp_path / "cicte-brief-cicte-session-2008-02-20.md"
        assert written.exists()
        assert "CICTE regular session" in written.read_text("utf-8")
        assert any(str(written) in str(n.message) for n in app._notifications)
        await pilot.press("b")  # again: a new file, the first one is kept
        await settle(pilot)
        assert (tmp_path / "cicte-brief-cicte-session-2008-02-20-2.md").exists()


async def test_the_palette_exports_the_calendar_file(db_path, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    async with editing_app(db_path) as (app, pilot):
        await from_palette(pilot, "export icalendar")
        await settle(pilot)
        ics = tmp_path / "cicte-tracker-2008-06-20.ics"
        assert ics.read_text("utf-8").startswith("BEGIN:VCALENDAR")


async def test_undo_and_redo_each_kind_of_edit_and_restart(db_path):
    async with editing_app(db_path) as (app, pilot):
        await select(app, pilot, "I-4.ii")
        await pilot.press("x")  # complete an occurrence
        await settle(pilot)
        await pilot.press("n")
        await pilot.pause()
        app.screen.query_one(TextArea).load_text("à annuler")
        await pilot.press("ctrl+s")
        await settle(pilot)
        await open_session(app, pilot)  # move the CICTE session
        app.screen.query_one("#start", Input).value = "2008-04-01"
        app.screen.query_one("#end", Input).value = "2008-04-02"
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("u", "u")  # the meeting, then the note
        await settle(pilot)
    with Tracker.open(db_path, read_only=True) as tracker:
        assert tracker.meetings["cicte-session"].session(2008).start == date(2008, 3, 5)
        assert tracker.find("4.ii").notes == ()
        assert len(tracker.find("4.ii").completions) == 1
    async with editing_app(db_path) as (app, pilot):
        await select(app, pilot, "I-4.ii")
        await pilot.press("s", "u", "ctrl+y", "u")
        await settle(pilot)
        assert "status: not started" in detail(app)
        actions = [c.action for c in app.tracker.changes("I-4.ii")]
        assert actions[-4:] == ["edit", "undo", "redo", "undo"]


async def test_user_text_with_markup_shows_in_tree_agenda_and_palette(db_path):
    typed = "[DRAFT] close[/bold] [@click=app.quit]x"
    async with editing_app(db_path) as (app, pilot):
        await select(app, pilot, "II-6.2")
        await pilot.press("a")
        await pilot.pause()
        app.screen.query_one("#text", TextArea).load_text(typed)
        app.screen.query_one("#schedule-input", Input).value = "2008-06-20"
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        tree = app.screen.query_one(MandateTree)
        assert "[DRAFT] close[/bold]" in tree.cursor_node.label.plain
        agenda = app.screen.query_one("#agenda")
        prompts = [str(agenda.get_option_at_index(i).prompt) for i in range(agenda.option_count)]
        assert any(typed[:30] in prompt for prompt in prompts)
        await from_palette(pilot, "II-6.3")
        await settle(pilot)
        assert app.is_running and typed in detail(app)


async def test_the_preview_warns_when_a_date_is_already_past(db_path):
    async with editing_app(db_path) as (app, pilot):
        await select(app, pilot, "I-1.ii")
        form = await edit_form(app, pilot, **{"schedule-input": "2008-03-01"})
        preview = str(form.query_one("#schedule-preview", Static).content)
        assert "Next due: none after today" in preview
        assert "1 Mar 2008 is already past: it will show as overdue (111d late)" in preview


async def test_an_item_moved_in_progress_by_s_can_still_be_edited_without_an_owner(db_path):
    async with editing_app(db_path) as (app, pilot):
        await select(app, pilot, "I-1.ii")
        await pilot.press("s")
        await settle(pilot)
        form = await edit_form(app, pilot, **{"schedule-input": "2008-11-30"})
        assert str(form.query_one("#form-errors", Static).content) == ""
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert saved(db_path, "1.ii").rules == ("2008-11-30",)


async def test_b_briefs_the_next_meeting_after_the_calendar_day(db_path, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    async with editing_app(db_path, today=date(2008, 6, 15)) as (app, pilot):
        app.screen.show_day(date(2008, 3, 15))  # after the CICTE session: the Assembly is next
        await pilot.press("b")
        await settle(pilot)
        assert (tmp_path / "cicte-brief-oas-ga-2008-06-15.md").exists()


async def test_the_add_form_shows_the_stores_own_messages(db_path):
    async with editing_app(db_path) as (app, pilot):
        await select(app, pilot, "I-1.xiii")
        await pilot.press("a")
        await pilot.pause()
        form = app.screen
        form.query_one("#number", Input).value = ""
        await settle(pilot)
        shown = str(form.query_one("#form-errors", Static).content)
        assert "id: it cannot be empty" in shown and "text: it cannot be empty" in shown
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ObligationForm)
