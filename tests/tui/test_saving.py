"""Saves run in a thread worker, in the order asked, and each one reaches every pane through
one TrackerChanged message; what the screen reads never changes under it."""

from __future__ import annotations

import threading

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


async def test_keys_pressed_quickly_are_saved_in_their_order():
    """x then u: the undo undoes that x, whatever the threads do."""
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        app.screen.jump_to("I-1.iv")
        await pilot.press("x", "u", "x")
        await app.workers.wait_for_complete()
        await pilot.pause()
        actions = [c.action for c in app.tracker.changes("I-1.iv")]
        assert actions == ["edit", "undo", "edit"]
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
