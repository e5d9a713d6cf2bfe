"""Each command is declared once: its key, footer, palette entry and help row agree, and a
user keymap moves it."""

from __future__ import annotations

import json

from textual.widgets import Footer

from store.model import Status
from tests.tui.conftest import from_palette, make_app, until
from tui.app import CicteApp
from tui.command_list import MAIN_COMMANDS
from tui.config import Settings
from tui.screens.help import HelpScreen
from tui.screens.main import MainScreen


async def test_every_command_has_what_runs_it_and_a_binding_with_its_id():
    app = make_app()
    async with app.run_test(size=(120, 40)):
        screen = app.screen
        assert isinstance(screen, MainScreen)
        missing = [c.id for c in MAIN_COMMANDS if screen.handler_of(c) is None]
        assert not missing, f"commands nothing runs: {missing}"
        bound = {binding.id for binding in screen.BINDINGS}
        assert {c.id for c in MAIN_COMMANDS if c.keys} <= bound


async def test_the_footer_and_the_help_use_the_declared_words():
    app = make_app()
    async with app.run_test(size=(160, 40)) as pilot:
        footer = app.screen.query_one(Footer)
        await pilot.pause()
        shown = " ".join(str(key.render()) for key in footer.query("FooterKey"))
        for command in MAIN_COMMANDS:
            if command.footer:
                assert command.description in shown
        await pilot.press("question_mark")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen), "the help")
        rows = {row[1] for _, rows in app.screen.sections for row in rows if isinstance(row, tuple)}
        assert {"Meeting brief (file)", "Done on… (date, evidence)", "Undo"} <= rows


async def test_a_palette_entry_runs_the_same_command_as_its_key(tmp_path):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        app.screen.jump_to("I-1.i")
        await from_palette(pilot, "Edit: Status")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await until(pilot, lambda: app.view.obligation("I-1.i").status is not Status.NOT_STARTED)


async def test_a_keymap_in_the_settings_file_moves_a_command_to_another_key(tmp_path):
    config = tmp_path / "config.json"
    config.write_text(json.dumps({"keymap": {"cycle_status": "S"}}), "utf-8")
    app = CicteApp(make_app().tracker, make_app().view.outlook, "--today",
                   settings=Settings.load(config))  # fmt: skip
    async with app.run_test(size=(120, 40)) as pilot:
        app.screen.jump_to("I-1.i")
        await pilot.press("s")  # no longer bound
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.view.obligation("I-1.i").status is Status.NOT_STARTED
        await pilot.press("S")
        await until(pilot, lambda: app.view.obligation("I-1.i").status is not Status.NOT_STARTED)


def test_a_keymap_that_is_not_ids_to_keys_is_said_not_used(tmp_path):
    config = tmp_path / "config.json"
    config.write_text(json.dumps({"keymap": ["s"]}), "utf-8")
    settings = Settings.load(config)
    assert settings.keymap == {} and "keymap" in (settings.problem or "")
