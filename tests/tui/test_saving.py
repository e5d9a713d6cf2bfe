"""Saves run in a thread worker, in the order asked, and each one reaches every pane through
one TrackerChanged message; what the screen reads never changes under it."""

from __future__ import annotations

import threading

import pytest

from store.model import Status
from tests.tui.conftest import make_app, until
from tui.saving import TrackerChanged
from tui.widgets.mandate_tree import MandateTree


async def test_an_edit_runs_on_a_worker_thread_and_one_message_refreshes_the_panes():
    app = make_app()
    threads: list[str] = []
    changed: list[TrackerChanged] = []

    async with app.run_test(size=(120, 40), message_hook=_collect(changed)) as pilot:
        app.screen.jump_to("I-1.i")
        editor_complete = app.editor.cycle_status

        def spy(*args, **kwargs):
            threads.append(threading.current_thread().name)
            return editor_complete(*args, **kwargs)

        app.editor.cycle_status = spy
        before = app.view
        await pilot.press("s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert threads and threads[0] != threading.main_thread().name
        assert len(changed) == 1 and changed[0].view is app.view is app.screen.view
        assert before.obligation("I-1.i").status is Status.NOT_STARTED  # never changed
        assert app.view.obligation("I-1.i").status is Status.IN_PROGRESS
        tree = app.screen.query_one(MandateTree)
        assert tree.view is app.view  # bound, not pushed by hand


@pytest.mark.parametrize(
    ("keys", "together", "logged"),
    [
        (("x", "u", "x"), False, ["edit", "undo", "edit"]),
        (("x", "u", "ctrl+y"), True, ["edit", "undo", "redo"]),
    ],
)
async def test_keys_pressed_quickly_are_saved_in_their_order(keys, together, logged):
    """x then u: the undo undoes that x, whatever the threads do; a redo typed at once
    after an undo is not refused as "nothing to redo"."""
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        app.screen.jump_to("I-1.iv")
        await (burst(pilot, *keys) if together else pilot.press(*keys))
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert [c.action for c in app.tracker.changes("I-1.iv")] == logged
        assert len(app.view.obligation("I-1.iv").completions) == 1


async def test_a_refused_edit_changes_nothing_and_says_why():
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        app.screen.jump_to("I-1.i")
        before = app.view
        await pilot.press("u")  # nothing to undo
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.view is before
        await until(
            pilot, lambda: any("Nothing to undo" in str(n.message) for n in app._notifications)
        )


def _collect(changed: list[TrackerChanged]):
    def hook(message) -> None:
        if isinstance(message, TrackerChanged):
            changed.append(message)

    return hook


async def burst(pilot, *keys: str) -> None:
    """Keys that reach the app together (a paste, a slow link), with no pause between."""
    from textual import events

    app = pilot.app
    for key in keys:
        character = key if len(key) == 1 else None
        app.post_message(events.Key(key, character))
    await pilot.pause()


async def test_keys_in_a_burst_act_on_the_lines_they_were_typed_on(tmp_path):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        app.screen.jump_to("I-1.iv")
        await burst(pilot, "s", "j", "s")  # 1.iv, then the line below it (1.v)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.view.obligation("I-1.iv").status is Status.IN_PROGRESS
        assert app.view.obligation("I-1.v").status is Status.IN_PROGRESS


async def test_keys_typed_right_after_a_form_key_never_reach_the_main_screen():
    """``n`` then "qu…" at once: the form is open before the next key, so ``q`` does not
    quit and ``u`` does not undo (keys that come before the form can take them are lost)."""
    from tui.screens.dialogs import NoteForm

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        app.screen.jump_to("I-1.iv")
        await pilot.press("x")
        await app.workers.wait_for_complete()
        await burst(pilot, "n", "q", "u", "i", "t")
        assert isinstance(app.screen, NoteForm) and app.is_running
        await pilot.press(*"noted", "ctrl+s")
        await app.workers.wait_for_complete()
        await until(pilot, lambda: bool(app.view.obligation("I-1.iv").notes), "the note saved")
        assert app.view.obligation("I-1.iv").notes[-1].text.endswith("noted")
        assert [c.action for c in app.tracker.changes("I-1.iv")] == ["edit", "edit"]


async def test_quitting_right_after_edits_saves_them_first(tmp_path):
    from store.repository import Tracker
    from store.schedule import Outlook
    from tests.tui.conftest import JUNE_15
    from tui.app import CicteApp

    db = tmp_path / "tracker.json"
    tracker = Tracker.open(db)
    app = CicteApp(tracker, Outlook(JUNE_15), "--today")
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            app.screen.jump_to("I-1.iv")
            await burst(pilot, "x", "j", "s", "q")
    finally:
        tracker.close()
    with Tracker.open(db, read_only=True) as saved:
        assert len(saved.find("1.iv").completions) == 1
        assert saved.find("1.v").status is Status.IN_PROGRESS


async def test_a_form_closed_while_it_saves_does_not_crash_and_the_save_lands():
    """escape while the disk is slow: the note is still saved, and said."""
    from tui.screens.dialogs import NoteForm

    app = make_app()
    release = threading.Event()
    async with app.run_test(size=(120, 40)) as pilot:
        app.screen.jump_to("I-1.iv")
        adding = app.editor.add_note

        def slow_add_note(*args, **kwargs):
            release.wait(timeout=30)  # the test lets it go once escape is pressed
            return adding(*args, **kwargs)

        app.editor.add_note = slow_add_note
        await pilot.press("n")
        await until(pilot, lambda: isinstance(app.screen, NoteForm), "the note form")
        await pilot.press(*"late", "ctrl+s", "ctrl+s", "escape")
        release.set()
        await app.workers.wait_for_complete()
        await until(pilot, lambda: bool(app.view.obligation("I-1.iv").notes), "the note")
        assert app.is_running and len(app.view.obligation("I-1.iv").notes) == 1  # saved once


async def test_a_form_saved_unchanged_changes_nothing_and_reassesses_nothing():
    changed: list[TrackerChanged] = []
    app = make_app()
    async with app.run_test(size=(120, 40), message_hook=_collect(changed)) as pilot:
        app.screen.jump_to("I-1.iv")
        before = app.view
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.view is before and changed == []
        assert app.tracker.changes("I-1.iv") == []
