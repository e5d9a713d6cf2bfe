"""Themes: colours from the theme, readable in each of Textual's, kept for the next start,
and a cue besides colour when there is none (NO_COLOR)."""

from __future__ import annotations

import calendar as stdlib_calendar
import json
from datetime import date

import pytest
from rich.color import Color as RichColor
from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from textual.color import Color
from textual.command import CommandList

from store.repository import Tracker
from store.schedule import Outlook
from tests.tui.conftest import JUNE_15, make_app, select, until
from tui.app import CicteApp
from tui.config import CONFIG_NAME, Settings
from tui.labels import OVERDUE, ROLES
from tui.widgets.agenda import Agenda
from tui.widgets.calendar import MEETING, PINNED, MonthCalendar
from tui.widgets.detail import DetailPane
from tui.widgets.mandate_tree import MandateTree
from tui.widgets.themed import MINIMUM_CONTRAST, contrast

ANSI_THEMES = {"ansi-dark", "ansi-light"}
"""The terminal's own colours: not ours to measure."""


@pytest.fixture
def config_folder(tmp_path, monkeypatch):
    """The user's config folder, in a temporary place."""
    folder = tmp_path / "config"
    monkeypatch.setattr("tui.config.config_folder", lambda: folder)
    return folder


def app_with_settings() -> CicteApp:
    """The app as ``cicte-tui`` starts it: with the user's settings file."""
    return CicteApp(Tracker.in_memory(), Outlook(JUNE_15), "--today", settings=Settings.load())


async def test_the_theme_picked_in_the_palette_is_used_at_the_next_start(config_folder):
    app = app_with_settings()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert app.theme == "textual-dark"
        app.search_themes()  # the palette's "Change theme"
        await pilot.pause()
        await pilot.press(*"solarized-light")
        listed = lambda: app.screen.query_one(CommandList).option_count > 0  # noqa: E731
        await until(pilot, listed, "the themes listed")
        await pilot.press("enter")
        await until(pilot, lambda: app.theme == "solarized-light", "the theme picked")
        await app.workers.wait_for_complete()
    assert json.loads((config_folder / CONFIG_NAME).read_text()) == {"theme": "solarized-light"}

    again = app_with_settings()
    async with again.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert again.theme == "solarized-light"
        assert again.has_class("-light-mode")
        assert not again._notifications


async def test_setting_the_theme_saves_it_and_keeps_other_settings(config_folder):
    config_folder.mkdir()
    (config_folder / CONFIG_NAME).write_text('{"theme": "nord", "later": [1, 2]}')
    app = app_with_settings()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert app.theme == "nord"
        app.theme = "textual-light"
        await pilot.pause()
        await app.workers.wait_for_complete()
    saved = json.loads((config_folder / CONFIG_NAME).read_text())
    assert saved == {"theme": "textual-light", "later": [1, 2]}


@pytest.mark.parametrize(
    "content",
    [
        b'{"theme": "nord"',  # cut short
        b"\xff\xfe not text",
        b'["nord"]',
        b'{"theme": 3}',
        b'{"theme": "no-such-theme"}',
    ],
    ids=["truncated", "not-utf8", "not-an-object", "not-a-name", "unknown-theme"],
)
async def test_a_bad_config_file_starts_in_the_default_theme_and_says_so(config_folder, content):
    config_folder.mkdir()
    (config_folder / CONFIG_NAME).write_bytes(content)
    app = app_with_settings()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert app.theme == "textual-dark"
        assert app.screen.query_one(MandateTree).cursor_node is not None  # it works
        assert [n.severity for n in app._notifications] == ["warning"]
        assert str(config_folder / CONFIG_NAME) in next(iter(app._notifications)).message
        # Picking a theme writes a good file over the bad one.
        app.theme = "gruvbox"
        await pilot.pause()
        await app.workers.wait_for_complete()
    assert json.loads((config_folder / CONFIG_NAME).read_text())["theme"] == "gruvbox"


async def test_tests_and_other_callers_never_touch_the_users_settings(config_folder):
    app = make_app()  # no settings given: defaults, in memory
    async with app.run_test(size=(120, 40)) as pilot:
        app.theme = "nord"
        await pilot.pause()
        await app.workers.wait_for_complete()
    assert not config_folder.exists()


def overdue_colour(app: CicteApp) -> Color:
    """The colour of an overdue item's state words in the tree, as drawn."""
    tree = app.screen.query_one(MandateTree)
    label = tree._obligation_nodes["I-1.iv"].label
    (span,) = [s for s in label.spans if label.plain[s.start : s.end].strip() == "100d late"]
    assert isinstance(span.style, Style) and span.style.color is not None
    return Color.from_rich_color(span.style.color)


async def test_changing_theme_recolours_the_lines_already_drawn(app):
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        dark = overdue_colour(app)
        app.theme = "textual-light"
        await pilot.pause()
        light = overdue_colour(app)
        assert dark != light
        tree = app.screen.query_one(MandateTree)
        assert light == Color.from_rich_color(tree.roles(OVERDUE).color)
        agenda = app.screen.query_one(Agenda)
        prompts = [agenda.get_option_at_index(i).prompt for i in range(agenda.option_count)]
        colours = {s.style.color for p in prompts for s in p.spans if isinstance(s.style, Style)}
        assert tree.roles(OVERDUE).color in colours


async def test_no_role_name_is_ever_left_in_what_is_drawn(app):
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await select(app, pilot, "II-1.D.1")
        tree = app.screen.query_one(MandateTree)
        texts = [node.label for node in tree._obligation_nodes.values()]
        texts += [node.label for node in tree._group_nodes.values()]
        agenda = app.screen.query_one(Agenda)
        texts += [agenda.get_option_at_index(i).prompt for i in range(agenda.option_count)]
        styles = {span.style for text in texts for span in text.spans}
        assert not styles & ROLES


async def test_every_theme_draws_each_mark_readably(app):
    """Each role's colour reads on its pane (WCAG AA, 4.5:1) in every built-in theme,
    light ones included; a band of colour lets the day numbers on it read too."""
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        widgets = [
            app.screen.query_one(kind) for kind in (MandateTree, DetailPane, Agenda, MonthCalendar)
        ]
        themes = sorted(set(app.available_themes) - ANSI_THEMES)
        assert {"textual-light", "solarized-light", "catppuccin-latte"} <= set(themes)
        for theme in themes:
            app.theme = theme
            await pilot.pause()
            for widget in widgets:
                _, _, background, foreground = widget.colors
                for role in widget._get_component_classes() & (ROLES | {MEETING, PINNED}):
                    style = widget.roles(role)
                    text = foreground if style.color is None else style.color
                    text = Color.from_rich_color(text) if isinstance(text, RichColor) else text
                    if style.bgcolor is None:
                        under = background
                    else:  # a band: its text reads on it, and the band shows on the pane
                        under = Color.from_rich_color(style.bgcolor)
                        assert contrast(under, background) > 1.2, (theme, widget, role)
                    ratio = contrast(text, under)
                    assert ratio >= MINIMUM_CONTRAST, (theme, widget, role, ratio)


def day_cells(calendar: MonthCalendar) -> dict[int, tuple[str, Style]]:
    """Each day's number as drawn, with the style of its digits once colour is taken away."""
    console = Console(width=calendar.size.width, color_system=None, legacy_windows=False)
    lines = console.render_lines(calendar.render(), pad=False)
    grid = [
        [(char, style or Style()) for text, style, _ in Segment.remove_color(line) for char in text]
        for line in lines
    ]
    month = calendar.month
    weeks = stdlib_calendar.Calendar().monthdatescalendar(month.year, month.month)
    cells: dict[int, tuple[str, Style]] = {}
    for row, week in enumerate(weeks, start=2):  # after the month's name and the weekdays
        for column, day in enumerate(week):
            if day.month == month.month:
                drawn = grid[row][column * 4 : column * 4 + 2]
                cells[day.day] = ("".join(char for char, _ in drawn), drawn[-1][1])
    return cells


def cue(style: Style) -> tuple[bool, bool, bool, bool]:
    return (bool(style.bold), bool(style.underline), bool(style.italic), bool(style.reverse))


async def test_without_colour_meeting_days_and_the_cursor_day_keep_a_cue(monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert app.no_color
        app.screen.jump_to("I-1.viii")  # due 7 Mar 2008, the last day of the regular session
        await pilot.pause()
        app.screen.show_day(date(2008, 3, 6))
        await pilot.pause()
        calendar = app.screen.query_one(MonthCalendar)
        cells = day_cells(calendar)
        assert [cells[day][0] for day in (4, 5, 6, 7)] == [" 4", " 5", " 6", " 7"]
        plain, meeting, cursor = cue(cells[4][1]), cue(cells[5][1]), cue(cells[6][1])
        pinned_meeting = cue(cells[7][1])
        assert plain == (False, False, False, False)
        assert meeting == (False, True, False, False)  # 5 Mar: the session, underlined
        assert cursor == (False, True, False, True)  # 6 Mar: session and cursor, reversed
        assert pinned_meeting == (False, True, True, False)  # 7 Mar: the item's day, italic
        assert len({plain, meeting, cursor, pinned_meeting}) == 4
        # Late and close items stand out by weight and reverse video, not colour.
        assert cue(calendar.roles(OVERDUE)) == (True, False, False, True)


async def test_without_colour_today_is_bold(monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        calendar = app.screen.query_one(MonthCalendar)
        calendar.action_move(1)  # the cursor off today
        await pilot.pause()
        cells = day_cells(calendar)
        assert cue(cells[15][1]) == (True, False, False, False)
        assert cue(cells[16][1]) == (False, False, False, True)


async def test_in_colour_a_meeting_day_is_a_band_of_the_themes_primary(app):
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.screen.show_day(date(2008, 3, 4))
        await pilot.pause()
        calendar = app.screen.query_one(MonthCalendar)
        band = calendar.roles(MEETING)
        assert band.bgcolor is not None and not band.underline
        assert cue(band) == (False, False, False, False)


async def test_typing_theme_in_the_palette_offers_change_theme_first(app):
    """`theme` matches words in item titles (thème) too: the command comes first."""
    from tests.tui.conftest import from_palette

    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await from_palette(pilot, "theme")  # enter on the first hit
        await pilot.pause()
        await pilot.press(*"textual-light")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert app.theme == "textual-light"
