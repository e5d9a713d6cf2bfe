"""The app driven from the keyboard, as a Secretariat officer would."""

from __future__ import annotations

from datetime import date

import pytest
from textual.widgets import Input, Static

from tests.tui.conftest import detail, from_palette, header, make_app, select, until, zoom_in
from tui.screens.help import HelpScreen
from tui.widgets.calendar import MonthCalendar
from tui.widgets.mandate_tree import MandateTree, NodeRef


def tree(app) -> MandateTree:
    return app.screen.query_one(MandateTree)


def cursor(app) -> NodeRef | None:
    node = tree(app).cursor_node
    return node.data if node else None


async def test_header_shows_plan_today_and_counts(app):
    async with app.run_test(size=(120, 40)):
        text = header(app)
        assert text.startswith("Plan 2008  today") and text.endswith("CICTE/RP/doc.2/07")
        assert "15 Jun 2008 (--today)" in text
        # 1.v counts too: the points of contact meet alongside the March session (footnote 4).
        assert "5 overdue" in text and "0 soon" in text


async def test_moving_down_the_tree_shows_each_mandate(app):
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("down", "down")
        assert cursor(app) == NodeRef("obligation", "I-1.i")
        assert "Fournir un appui technique et administratif" in detail(app)
        await pilot.press("j")
        assert cursor(app) == NodeRef("obligation", "I-1.ii")
        await pilot.press("k", "k")
        assert cursor(app) == NodeRef("group", "I-1")


async def test_left_and_right_collapse_and_expand_groups(app):
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("down")
        group = tree(app).cursor_node
        assert group.is_expanded
        await pilot.press("left")
        assert not group.is_expanded
        await pilot.press("l")
        assert group.is_expanded
        await pilot.press("down", "h")  # on a mandate: back to its group
        assert cursor(app) == NodeRef("group", "I-1")


DETAILS = {
    "its-schedule-and-footnote-texts": (
        "I-1.v",
        (
            "Printed: En fonction de la tenue des réunions - en général chaque année.",
            "! 7 Mar 2008  overdue (100d late)",
            "session: national points of contact meeting 2008",
            "assumed: alongside the CICTE regular session, footnote 4",
            "3. Jusqu'à présent, les réunions de PNC ont été organisées",
            "4. Étant donné que les PNC se réunissent habituellement",
        ),
    ),
    "an-event-anchored-schedule-interpreted": (
        "I-1.vii",
        (
            "between the CICTE regular session (5–7 Mar 2008)",
            "OAS General Assembly (1–3 Jun 2008)",
            "Next due: 31 May 2008 (15d late)",
        ),
    ),
}


@pytest.mark.parametrize(("key", "shown"), DETAILS.values(), ids=list(DETAILS))
async def test_the_detail_of_a_mandate_shows(app, key, shown):
    async with app.run_test(size=(120, 40)) as pilot:
        await select(app, pilot, key)
        text = detail(app)
        assert [line for line in shown if line not in text] == []


async def test_bracketed_plan_text_shows_as_printed(app):
    async with app.run_test(size=(120, 40)) as pilot:
        await select(app, pilot, "I-8.1")
        assert "[Renforcer la formation et le suivi" in detail(app)
        line = tree(app).cursor_node.label
        assert "[Renforcer" in line.plain


async def test_search_ignores_accents_and_case(app):
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("slash", *"SURETE PORTUAIRE", "enter")
        found = set(tree(app).obligation_keys())
        # "Sûreté portuaire" in 2.i's list; "sûreté portuaire" in project 1.A.1.
        assert {"I-2.i", "II-1.A.1"} <= found
        assert "II-1.B.1" not in found
        await pilot.press("escape")
        assert len(tree(app).obligation_keys()) == 58
        await pilot.press("slash", *"sécurité", "enter")
        with_accents = set(tree(app).obligation_keys())
        await pilot.press("escape", "slash", *"securite", "enter")
        assert set(tree(app).obligation_keys()) == with_accents
        assert "II-3.B.1" in with_accents and "filter" in header(app)


async def test_a_search_with_no_match_empties_the_tree_and_says_so(app):
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("slash", *"zzzz", "enter")
        assert tree(app).obligation_keys() == []
        assert tree(app).border_subtitle == "0 of 58 shown"


async def test_overdue_and_recurring_filters(app):
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("o")
        assert tree(app).obligation_keys() == ["I-1.iv", "I-1.v", "I-1.vii", "I-1.viii", "I-1.xiii"]
        assert "filter: overdue only" in header(app)
        await pilot.press("o")
        assert len(tree(app).obligation_keys()) == 58
        await pilot.press("r")
        recurring = tree(app).obligation_keys()
        assert "I-1.ii" in recurring and "I-4.i" in recurring and "I-1.i" not in recurring


async def test_filter_menu_by_status_and_by_sector(app):
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f")
        app.screen.query_one("#filter-options").highlighted = None
        await pilot.press(*"", "down")
        filters = app.screen.filters
        target = next(i for i, f in enumerate(filters) if f.key == "group:II-3")
        app.screen.query_one("#filter-options").highlighted = target
        await pilot.press("enter")
        keys = tree(app).obligation_keys()
        assert keys and all(k.startswith("II-3.") for k in keys)
        await pilot.press("f")
        target = next(i for i, f in enumerate(app.screen.filters) if f.key == "status:done")
        app.screen.query_one("#filter-options").highlighted = target
        await pilot.press("enter")
        assert tree(app).obligation_keys() == []
        assert "status: done" in header(app)


async def test_calendar_months_today_and_day_moves(app):
    async with app.run_test(size=(120, 40)) as pilot:
        calendar = app.screen.query_one(MonthCalendar)
        app.screen.query_one(MonthCalendar).focus()
        await pilot.press("t")
        assert calendar.cursor == date(2008, 6, 15)
        await pilot.press("left_square_bracket", "left_square_bracket", "left_square_bracket")
        assert calendar.month == date(2008, 3, 1)
        assert "March 2008" in calendar.render().plain
        await pilot.press("right_square_bracket")
        assert calendar.month == date(2008, 4, 1)
        await pilot.press("t", "right", "down")
        assert calendar.cursor == date(2008, 6, 23)


async def test_choosing_a_day_lists_its_items_and_jumps_to_the_tree(app):
    async with app.run_test(size=(120, 40)) as pilot:
        calendar = app.screen.query_one(MonthCalendar)
        calendar.focus()
        calendar.go_to(date(2008, 3, 7))
        await pilot.pause()
        await pilot.press("enter")  # the agenda takes focus on the day's first item
        await pilot.press("enter")
        assert cursor(app) in (NodeRef("obligation", "I-1.iv"), NodeRef("obligation", "I-1.viii"))
        assert app.focused is tree(app)


async def test_choosing_an_obligation_shows_its_next_due_date_in_the_calendar(app):
    async with app.run_test(size=(120, 40)) as pilot:
        await select(app, pilot, "I-1.ii")
        calendar = app.screen.query_one(MonthCalendar)
        assert calendar.pinned == date(2008, 9, 30)
        assert calendar.month == date(2008, 9, 1)


async def test_the_march_calendar_names_the_cicte_session(app):
    async with app.run_test(size=(120, 40)) as pilot:
        app.screen.show_day(date(2008, 3, 1))
        await pilot.pause()
        grid = app.screen.query_one(MonthCalendar).render().plain
        assert "5–7 Mar 2008 CICTE regular session" in grid
        assert " 7!" in grid  # 1.iv and 1.viii fell due on the session's last day


async def test_help_lists_every_key(app):
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        table = app.screen.query_one("#help-table", Static).content
        words = " ".join(str(cell) for column in table.columns for cell in column._cells)
        for expected in (
            "Search",
            "Overdue only",
            "Previous month",
            "Calendar to today",
            "Quit",
            "Done today",
            "Done on… (date, evidence)",
            "Next year's session",
            "period ended (renew or close)",
            "Mark every item shown",
            "Reviewed today (the marked items, else this one)",
            "With marks: one owner for every marked item",
        ):
            assert expected in words
        assert "left_square_bracket" not in words and "[" in words
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_palette_jumps_to_an_obligation_by_id(app):
    async with app.run_test(size=(120, 40)) as pilot:
        await from_palette(pilot, "Go to 1.vii")
        await pilot.pause()
        assert cursor(app) == NodeRef("obligation", "I-1.vii")


async def test_typing_q_in_search_does_not_quit(app):
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("slash", "q")
        assert app.screen.query_one("#search", Input).value == "q"
        assert app.is_running


async def test_small_terminal_keeps_the_essentials(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.screen.has_class("narrow")
        assert tree(app).region.width >= 28
        assert "5 overdue" in header(app)


async def test_a_huge_plan_opens_with_groups_collapsed():
    from dataclasses import replace

    from store.repository import Tracker

    tracker = Tracker.in_memory()
    template = tracker.find("II-6.2")
    for index in range(600):
        tracker.save_obligation(
            replace(template, key=f"II-6.{index + 3}", number=f"II-6.{index + 3}")
        )
    app = make_app(tracker=tracker)
    async with app.run_test(size=(120, 40)) as pilot:
        group = tree(app).root.children[0].children[0]
        assert not group.is_expanded and not group.children  # lines are made on opening
        assert len(tree(app).obligation_keys()) == 658
        await select(app, pilot, "II-6.400")
        assert cursor(app) == NodeRef("obligation", "II-6.400")
        await pilot.press("down")
        assert cursor(app) == NodeRef("obligation", "II-6.401")


async def test_a_store_locked_by_another_instance_opens_read_only(db_path):
    from store.repository import Tracker
    from tui.app import open_tracker
    from tui.cli.options import resolve

    with Tracker.open(db_path):  # another instance is editing
        reader = open_tracker(resolve(str(db_path), "2008-06-15"))
        assert reader.read_only
        app = make_app(tracker=reader)
        async with app.run_test(size=(120, 40)):
            assert "READ-ONLY" in header(app) and "5 overdue" in header(app)


def test_the_app_refuses_a_corrupt_store_with_a_message_not_a_traceback(db_path, capsys):
    from tui.cli.exit_codes import EXIT_STORE
    from tui.launch import main

    db_path.write_text("{not json", "utf-8")
    assert main(["--db", str(db_path), "--today", "2008-06-15"]) == EXIT_STORE
    error = capsys.readouterr().err
    assert str(db_path) in error and "line 1, column 2" in error
    assert db_path.read_text("utf-8") == "{not json"


async def test_a_large_terminal_uses_the_room(app):
    async with app.run_test(size=(200, 60)) as pilot:
        await pilot.pause()
        assert not app.screen.has_class("narrow")
        assert tree(app).region.width >= 85
        assert (
            "Fournir un appui technique et administratif"
            in tree(app).get_node_at_line(2).label.plain
        )


async def test_the_narrow_agenda_shows_whole_ids(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        agenda = app.screen.query_one("#agenda")
        prompts = [str(agenda.get_option_at_index(i).prompt) for i in range(agenda.option_count)]
        assert " 7 Mar ! 1.viii" in prompts and " 6 Apr ! 1.xiii" in prompts


async def test_a_search_puts_the_cursor_on_the_first_match(app):
    async with app.run_test(size=(120, 40)) as pilot:
        await select(app, pilot, "I-1.iv")
        await pilot.press("slash", *"GAFISUD", "enter")
        await until(pilot, lambda: "GAFISUD" in detail(app), "the match's detail")
        assert cursor(app) == NodeRef("obligation", "I-3.ii")


async def test_z_zooms_the_detail_and_escape_comes_back(app):
    async with app.run_test(size=(80, 24)) as pilot:
        detail_pane = await zoom_in(pilot, "I-1.v")
        assert app.screen.maximized is detail_pane
        assert detail_pane.region.height >= 20
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen.maximized is None


async def test_an_internal_error_ends_with_a_message_and_a_log_not_a_traceback(
    app, tmp_path, monkeypatch
):
    from pathlib import Path

    monkeypatch.setattr("platformdirs.user_log_path", lambda *args, **kwargs: tmp_path)
    printed: list[str] = []  # what the terminal would show once the app has closed
    monkeypatch.setattr(
        type(app),
        "_print_error_renderables",
        lambda self: printed.extend(str(r) for r in self._exit_renderables),
    )
    with pytest.raises(ZeroDivisionError):
        async with app.run_test(size=(80, 24)) as pilot:
            app.call_later(lambda: 1 / 0)
            await pilot.pause()
    shown = " ".join(printed)
    assert "stopped on an internal error" in shown
    assert "Every edit the app confirmed was saved" in shown
    assert "Traceback" not in shown
    logs = list(Path(tmp_path).glob("crash-*.log"))
    assert logs and "ZeroDivisionError" in logs[0].read_text("utf-8")
