"""Editing from the keyboard: each edit shows at once, survives a restart, and can be undone."""

from __future__ import annotations

from datetime import date

import pytest
from textual.widgets import Input, Static

from store.model import Status
from store.repository import Tracker
from store.schedule import Outlook
from tests.tui.conftest import (
    clock,
    detail,
    editing_app,
    fill,
    form_errors,
    from_palette,
    header,
    notified,
    open_form,
    open_meeting,
    open_screen,
    press_and_settle,
    saved,
    select,
    settle,
)
from tui.app import CicteApp
from tui.screens.dialogs import ConfirmDialog, NoteForm
from tui.screens.meetings import SessionForm
from tui.screens.obligation_form import ObligationForm
from tui.widgets.mandate_tree import MandateTree, NodeRef

JUNE_20 = date(2008, 6, 20)


async def write_note(pilot, text: str) -> None:
    """``n``, the note, ctrl+s."""
    form = await open_screen(pilot, NoteForm, "n")
    await fill(pilot, form, note_text=text)
    await press_and_settle(pilot, "ctrl+s")


async def edit_form(pilot, **values) -> ObligationForm:
    """``e`` on the item under the cursor, and the values typed in its fields."""
    form = await open_screen(pilot, ObligationForm, "e")
    await fill(pilot, form, **values)
    return form


async def open_session(pilot, series="cicte-session", year=2008) -> SessionForm:
    """E, then the session's line in the meetings list, then enter."""
    return await open_meeting(pilot, f"session:{series}:{year}", SessionForm)


async def move_session(pilot, form: SessionForm, start: str, end: str) -> None:
    """The session's new dates, saved; back on the main screen."""
    await fill(pilot, form, start=start, end=end)
    await press_and_settle(pilot, "ctrl+s")
    await press_and_settle(pilot, "escape")


async def test_s_cycles_the_status_and_u_undoes_it(db_path):
    async with editing_app(db_path) as (app, pilot):
        await select(app, pilot, "I-1.i")
        await press_and_settle(pilot, "s")
        assert "status: in progress" in detail(app)
        assert "status: not started → in progress" in detail(app)  # history
    assert saved(db_path, "1.i").status is Status.IN_PROGRESS
    async with editing_app(db_path) as (app, pilot):
        await select(app, pilot, "I-1.i")
        await press_and_settle(pilot, "s", "u")  # undo works on what this session did
        await press_and_settle(pilot, "ctrl+y")
        assert "status: done" in detail(app)
    assert saved(db_path, "1.i").status is Status.DONE


async def test_space_completes_the_current_occurrence_and_x_the_next_one(db_path):
    async with editing_app(db_path) as (app, pilot):
        await select(app, pilot, "I-4.i")
        assert "Next due: 30 Jun 2008" in detail(app)
        assert "2 soon" in header(app)  # 4.i and 4.ii
        await press_and_settle(pilot, "space")
        assert "Next due: 31 Dec 2008" in detail(app)
        assert "30 Jun 2008  done on 20 Jun 2008" in detail(app)
        assert "1 soon" in header(app)
    assert [c.occurrence for c in saved(db_path, "4.i").completions] == ["2008-06-30"]
    async with editing_app(db_path) as (app, pilot):
        await select(app, pilot, "I-4.i")
        await press_and_settle(pilot, "x")  # the December one: x never takes a completion back
        assert "31 Dec 2008  done on 20 Jun 2008" in detail(app)
        await press_and_settle(pilot, "x")  # nothing left to complete: it says so
        assert "every occurrence of 4.i" in notified(app)
    assert [c.occurrence for c in saved(db_path, "4.i").completions] == [
        "2008-06-30",
        "2008-12-31",
    ]


async def test_an_overdue_mandate_marked_done_leaves_the_overdue_filter(db_path):
    async with editing_app(db_path) as (app, pilot):
        await pilot.press("o")
        await select(app, pilot, "I-1.vii")
        await press_and_settle(pilot, "x")
        tree = app.screen.query_one(MandateTree)
        label = tree.cursor_node.label.plain
        assert label.startswith("✓ 1.vii done")
        assert "4 overdue" in header(app)


async def test_notes_are_added_edited_and_deleted_from_the_keyboard(db_path):
    async with editing_app(db_path) as (app, pilot):
        await select(app, pilot, "I-1.ii")
        await pilot.press("n")
        assert isinstance(app.screen, NoteForm)
        await pilot.press(*"Projet envoyé")
        await pilot.press("enter")
        await pilot.press(*"à la présidence")
        await press_and_settle(pilot, "ctrl+s")
        assert "2008-06-20 09:30  Projet envoyé\nà la présidence" in detail(app)
        notes = await open_screen(pilot, NoteForm, "N", "e")  # the notes list, then its note
        await fill(pilot, notes, note_text="Projet validé")
        await press_and_settle(pilot, "ctrl+s")
        await press_and_settle(pilot, "escape")
        assert "Projet validé" in detail(app)
    assert saved(db_path, "1.ii").notes[0].text == "Projet validé"
    async with editing_app(db_path) as (app, pilot):
        await select(app, pilot, "I-1.ii")
        await open_screen(pilot, ConfirmDialog, "N", "d")
        await press_and_settle(pilot, "y")
        await press_and_settle(pilot, "escape")
        assert "No notes yet." in detail(app)
    assert saved(db_path, "1.ii").notes == ()


async def test_an_empty_note_is_refused_in_the_form(db_path):
    async with editing_app(db_path) as (app, pilot):
        await select(app, pilot, "I-1.ii")
        await pilot.press("n", "space", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, NoteForm)
        assert "The note is empty" in form_errors(app.screen)
        await pilot.press("escape")
    assert saved(db_path, "1.ii").notes == ()


async def test_the_edit_form_changes_schedule_owner_and_partners(db_path):
    async with editing_app(db_path) as (app, pilot):
        await select(app, pilot, "I-1.ii")
        form = await edit_form(
            pilot, **{"schedule-input": "2008-11-30", "owner": "Ana", "partners": "a9, B25"}
        )
        preview = str(form.query_one("#schedule-preview", Static).content)
        assert "due 30 Nov 2008" in preview and "Next due: 30 Nov 2008" in preview
        await press_and_settle(pilot, "ctrl+s")
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
        form = await edit_form(pilot, **{field: value})
        shown = form_errors(form) + str(form.query_one("#schedule-preview", Static).content)
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
        form = await edit_form(pilot, status=Status.IN_PROGRESS)
        assert "owner: needed to set the status to in progress" in form_errors(form)


async def test_add_then_delete_an_obligation_and_undo_the_delete(db_path):
    async with editing_app(db_path) as (app, pilot):
        form = await open_form(pilot, "I-1.xiii", ObligationForm, "a")
        assert form.query_one("#number", Input).value == "1.xiv"
        await fill(pilot, form, text="Suivre la mise en œuvre [DRAFT]", schedule_input="2008-10-31")
        await press_and_settle(pilot, "ctrl+s")
        tree = app.screen.query_one(MandateTree)
        assert tree.cursor_node.data == NodeRef("obligation", "I-1.xiv")
        assert "1.xiv due 31 Oct  Suivre la mise en" in tree.cursor_node.label.plain
        assert "Suivre la mise en œuvre [DRAFT]" in detail(app)
        await select(app, pilot, "I-1.v")
        await open_screen(pilot, ConfirmDialog, "d")
        await press_and_settle(pilot, "y")
        assert "I-1.v" not in tree.obligation_keys()
    assert saved(db_path, "1.xiv").rules == ("2008-10-31",)
    assert saved(db_path, "1.v") is None
    async with editing_app(db_path) as (app, pilot):
        await pilot.press("d")  # on a section line: nothing to delete
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmDialog)
    async with editing_app(db_path) as (app, pilot):
        await select(app, pilot, "I-1.iv")
        await press_and_settle(pilot, "d", "y")
        await press_and_settle(pilot, "u")
        keys = app.screen.query_one(MandateTree).obligation_keys()
        assert keys.index("I-1.iv") == keys.index("I-1.iii") + 1  # back in its place
    assert saved(db_path, "1.iv") is not None


async def test_moving_the_cicte_session_moves_anchored_deadlines(db_path):
    async with editing_app(db_path, today=date(2008, 3, 1)) as (app, pilot):
        await select(app, pilot, "I-1.viii")
        assert "Next due: 7 Mar 2008" in detail(app)
        form = await open_session(pilot)
        assert app.focused is form.query_one("#start", Input)  # it opens on the dates
        await move_session(pilot, form, "2008-03-25", "2008-03-27")
        assert "Next due: 27 Mar 2008" in detail(app)
        assert "session: CICTE regular session 2008 (Eighth Regular Session), 25–27 Mar" in detail(
            app
        )
    with Tracker.open(db_path, read_only=True) as tracker:
        assert tracker.meetings["cicte-session"].session(2008).start == date(2008, 3, 25)


async def test_a_session_ending_before_it_starts_is_refused(db_path):
    async with editing_app(db_path) as (app, pilot):
        form = await open_session(pilot)
        await fill(pilot, form, start="2008-05-02", end="2008-05-01")
        assert "last day: it is before the first day" in form_errors(form)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, SessionForm)
        await press_and_settle(pilot, "escape", "escape")
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
        await write_note(pilot, f"avant {typed} après")
        assert f"avant {typed} après" in detail(app)
        assert app.is_running
        await edit_form(pilot, owner=typed)
        await press_and_settle(pilot, "ctrl+s")
        assert f"owner: {typed}" in detail(app)
        # Searching for it puts it in the tree's border title, which Textual parses.
        await pilot.press("slash")
        await pilot.pause()
        app.screen.query_one("#search", Input).value = typed
        await press_and_settle(pilot, "enter")
        assert app.is_running
    assert saved(db_path, "1.ii").owner == typed


async def test_escape_sequences_and_control_characters_are_stripped_on_input(db_path):
    async with editing_app(db_path) as (app, pilot):
        await select(app, pilot, "I-1.ii")
        await write_note(pilot, "a\x1b]0;title\x07b\x1b[2Jc\x9b31md\x00e")
    assert saved(db_path, "1.ii").notes[0].text == "abcde"


async def test_a_read_only_instance_refuses_edits_with_a_message(db_path):
    with Tracker.open(db_path):  # the other instance
        reader = Tracker.open(db_path, read_only=True)
        app = CicteApp(reader, Outlook(JUNE_20), "--today", clock)
        async with app.run_test(size=(120, 40)) as pilot:
            await select(app, pilot, "I-1.i")
            await press_and_settle(pilot, "s", "n")
            assert not isinstance(app.screen, NoteForm)
            assert "Read-only" in notified(app)
        assert reader.obligation("I-1.i").status is Status.NOT_STARTED


async def test_b_writes_the_brief_for_the_meeting_under_the_calendar_cursor(
    db_path, tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    async with editing_app(db_path, today=date(2008, 2, 20)) as (app, pilot):
        app.screen.show_day(date(2008, 3, 6))  # inside the CICTE session
        await press_and_settle(pilot, "b")
        written = tmp_path / "cicte-brief-cicte-session-2008-02-20.md"
        assert written.exists()
        assert "CICTE regular session" in written.read_text("utf-8")
        assert str(written) in notified(app)
        await press_and_settle(pilot, "b")  # again: a new file, the first one is kept
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
        await press_and_settle(pilot, "x")  # complete an occurrence
        await write_note(pilot, "à annuler")
        await move_session(pilot, await open_session(pilot), "2008-04-01", "2008-04-02")
        await press_and_settle(pilot, "u", "u")  # the meeting, then the note
    with Tracker.open(db_path, read_only=True) as tracker:
        assert tracker.meetings["cicte-session"].session(2008).start == date(2008, 3, 5)
        assert tracker.find("4.ii").notes == ()
        assert len(tracker.find("4.ii").completions) == 1
    async with editing_app(db_path) as (app, pilot):
        await select(app, pilot, "I-4.ii")
        await press_and_settle(pilot, "s", "u", "ctrl+y", "u")
        assert "status: not started" in detail(app)
        actions = [c.action for c in app.tracker.changes("I-4.ii")]
        assert actions[-4:] == ["edit", "undo", "redo", "undo"]


async def test_user_text_with_markup_shows_in_tree_agenda_and_palette(db_path):
    typed = "[DRAFT] close[/bold] [@click=app.quit]x"
    async with editing_app(db_path) as (app, pilot):
        form = await open_form(pilot, "II-6.2", ObligationForm, "a")
        await fill(pilot, form, text=typed, schedule_input="2008-06-20")
        await press_and_settle(pilot, "ctrl+s")
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
        form = await edit_form(pilot, schedule_input="2008-03-01")
        preview = str(form.query_one("#schedule-preview", Static).content)
        assert "Next due: none after today" in preview
        assert "1 Mar 2008 is already past: it will show as overdue (111d late)" in preview


async def test_an_item_moved_in_progress_by_s_can_still_be_edited_without_an_owner(db_path):
    async with editing_app(db_path) as (app, pilot):
        await select(app, pilot, "I-1.ii")
        await press_and_settle(pilot, "s")
        form = await edit_form(pilot, schedule_input="2008-11-30")
        assert form_errors(form) == ""
        await press_and_settle(pilot, "ctrl+s")
    assert saved(db_path, "1.ii").rules == ("2008-11-30",)


async def test_b_briefs_the_next_meeting_after_the_calendar_day(db_path, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    async with editing_app(db_path, today=date(2008, 6, 15)) as (app, pilot):
        app.screen.show_day(date(2008, 3, 15))  # after the CICTE session: the Assembly is next
        await press_and_settle(pilot, "b")
        assert (tmp_path / "cicte-brief-oas-ga-2008-06-15.md").exists()


async def test_the_add_form_shows_the_stores_own_messages(db_path):
    async with editing_app(db_path) as (app, pilot):
        form = await open_form(pilot, "I-1.xiii", ObligationForm, "a")
        await fill(pilot, form, number="")
        shown = form_errors(form)
        assert "id: it cannot be empty" in shown and "text: it cannot be empty" in shown
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ObligationForm)
