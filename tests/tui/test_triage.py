"""Triage in bulk: marks in the tree, bulk review, status and owner, the owner filter."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from textual.widgets import Input, OptionList, Static

from store.editing import Editor
from store.model import Status
from store.repository import Tracker
from tests.tui.conftest import editing_app, from_palette, make_app, saved, settle, until
from tui.app import CicteApp
from tui.screens.dialogs import OwnerForm, StatusChoice
from tui.screens.filter_menu import FilterMenu, OwnerFilterMenu
from tui.widgets.mandate_tree import MandateTree, NodeRef

JUNE_20 = date(2008, 6, 20)
OVERDUE = ["I-1.iv", "I-1.v", "I-1.vii", "I-1.viii", "I-1.xiii"]


@pytest.fixture(autouse=True)
def no_default_owner(monkeypatch):
    """The developer's own CICTE_OWNER must not leak into the tests."""
    monkeypatch.delenv("CICTE_OWNER", raising=False)


def tree(app) -> MandateTree:
    return app.screen.query_one(MandateTree)


def line(app, key: str) -> str:
    return tree(app)._obligation_nodes[key].label.plain


def header(app) -> str:
    return str(app.screen.query_one("#header", Static).content)


def told(app, words: str) -> bool:
    return any(words in str(n.message) for n in app._notifications)


def stale_keys(app: CicteApp) -> list[str]:
    return [key for key, a in app.view.assessments.items() if a.stale]


async def choose_filter(app, pilot, key: str) -> None:
    """``f``, then the menu line whose filter has this key."""
    await pilot.press("f")
    assert isinstance(app.screen, FilterMenu)
    target = next(i for i, f in enumerate(app.screen.filters) if f.key == key)
    app.screen.query_one(OptionList).highlighted = target
    await pilot.press("enter")
    await pilot.pause()


async def test_v_marks_the_line_and_moves_on_escape_clears_the_marks(app):
    async with app.run_test(size=(120, 40)) as pilot:
        app.screen.jump_to("I-1.i")
        await pilot.press("v", "v")  # 1.i, then the line below it
        assert app.screen.marks == {"I-1.i", "I-1.ii"}
        assert tree(app).cursor_node.data == NodeRef("obligation", "I-1.iii")
        assert line(app, "I-1.i").startswith("● ◌ 1.i stale")  # a glyph, not only colour
        assert not line(app, "I-1.iii").startswith("●")
        assert tree(app).border_subtitle == "● 2 marked · 58 of 58 shown"
        await pilot.press("k", "v")  # pressed again on a marked line: unmarked
        assert app.screen.marks == {"I-1.i"}
        assert not line(app, "I-1.ii").startswith("●")
        await pilot.press("escape")
        assert app.screen.marks == set()
        assert not line(app, "I-1.i").startswith("●")
        assert tree(app).border_subtitle == "58 of 58 shown"


async def test_v_on_a_group_marks_its_items_and_again_unmarks_them(app):
    async with app.run_test(size=(120, 40)) as pilot:
        tree(app).select_ref(NodeRef("group", "I-3"))
        await pilot.press("v")
        assert app.screen.marks == {"I-3", "I-3.i", "I-3.ii", "I-3.iii", "I-3.iv"}
        await pilot.press("v")
        assert app.screen.marks == set()


async def test_V_marks_every_item_shown_and_pressed_again_clears_the_marks(app):
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("o", "V")
        assert app.screen.marks == set(OVERDUE)
        assert tree(app).border_subtitle == "● 5 marked · 5 of 58 shown"
        await pilot.press("V")
        assert app.screen.marks == set()
        await pilot.press("V", "o")  # the filter goes, the marks stay and say they are hidden
        assert app.screen.marks == set(OVERDUE)
        await choose_filter(app, pilot, "stale")  # none of them is stale: all hidden
        assert tree(app).border_subtitle == "● 5 marked (5 hidden) · 48 of 58 shown"
        await pilot.press("escape")  # first the marks…
        assert app.screen.marks == set() and "filter: stale" in header(app)
        await pilot.press("escape")  # …then the filter
        assert "filter" not in header(app)


async def test_bulk_review_of_every_stale_item_then_one_undo_restores_them(db_path):
    async with editing_app(db_path) as (app, pilot):
        stale = stale_keys(app)
        assert len(stale) == 48
        await choose_filter(app, pilot, "stale")
        await pilot.press("V")
        assert app.screen.marks == set(stale)
        await pilot.press("R")
        await settle(pilot)
        await until(pilot, lambda: not stale_keys(app), "every item reviewed")
        assert app.screen.marks == set()  # a bulk action that worked clears the marks
        assert "stale" not in line(app, "I-1.i") and "● " not in line(app, "I-1.i")
        assert told(app, "reviewed 2008-06-20 — 48 items: 1.i, 1.iii")
        with Tracker.open(db_path, read_only=True) as tracker:
            assert {tracker.obligation(k).last_reviewed for k in stale} == {JUNE_20}
            assert all(len(tracker.changes(k)) == 1 for k in stale)  # one entry per item
        await pilot.press("u")  # one undo step for the whole bulk action
        await settle(pilot)
        await until(pilot, lambda: len(stale_keys(app)) == 48, "every item stale again")
        assert line(app, "I-4.v").startswith("◌ 4.v stale")
        assert told(app, "undo: 48 items (1.i, 1.iii")
    with Tracker.open(db_path, read_only=True) as tracker:
        assert {tracker.obligation(k).last_reviewed for k in stale} == {None}
        assert [c.action for c in tracker.changes("II-6.2")] == [
            "edit",
            "undo",
        ]


async def test_R_without_marks_reviews_the_item_under_the_cursor(db_path):
    async with editing_app(db_path) as (app, pilot):
        app.screen.jump_to("I-2.i")
        await pilot.press("R")
        await settle(pilot)
        assert "stale" not in line(app, "I-2.i")
        await pilot.press("R")  # the same day again: nothing to do, and it says so
        await settle(pilot)
        assert told(app, "Already reviewed today: 2.i")
    assert saved(db_path, "2.i").last_reviewed == JUNE_20
    assert saved(db_path, "3.i").last_reviewed is None


async def test_e_with_marks_sets_one_owner_after_one_form_and_u_undoes_it(db_path):
    async with editing_app(db_path) as (app, pilot):
        app.screen.jump_to("I-1.i")
        await pilot.press("v", "v", "v", "e")
        assert isinstance(app.screen, OwnerForm)
        assert "the 3 items marked (1.i, 1.ii, 1.iii)" in str(app.screen.query_one(Static).content)
        await pilot.press("escape")  # cancelled: nothing saved, the marks stay
        await settle(pilot)
        assert app.screen.marks == {"I-1.i", "I-1.ii", "I-1.iii"}
        await pilot.press("e", *"Ana María", "enter")
        await settle(pilot)
        assert app.screen.marks == set()
        assert told(app, "owner: Ana María — 3 items: 1.i, 1.ii, 1.iii")
        assert [saved(db_path, n).owner for n in ("1.i", "1.ii", "1.iii", "1.iv")] == [
            "Ana María",
            "Ana María",
            "Ana María",
            "",
        ]
        await pilot.press("u")
        await settle(pilot)
    assert [saved(db_path, n).owner for n in ("1.i", "1.ii", "1.iii")] == ["", "", ""]


async def test_s_with_marks_sets_the_chosen_status_on_every_marked_item(db_path):
    async with editing_app(db_path) as (app, pilot):
        await pilot.press("o", "V", "s")
        assert isinstance(app.screen, StatusChoice)
        options = app.screen.query_one(OptionList)
        options.highlighted = next(
            i for i in range(options.option_count) if options.get_option_at_index(i).id == "DONE"
        )
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.marks == set()
        assert "0 overdue" in header(app)
        assert all(line(app, key).startswith("✓") for key in OVERDUE)
    with Tracker.open(db_path, read_only=True) as tracker:
        assert {tracker.obligation(k).status for k in OVERDUE} == {Status.DONE}
        assert {tracker.obligation(k).last_reviewed for k in OVERDUE} == {JUNE_20}


async def test_s_and_e_without_marks_keep_their_single_item_meaning(db_path):
    async with editing_app(db_path) as (app, pilot):
        app.screen.jump_to("I-1.i")
        await pilot.press("s")
        await settle(pilot)
        assert saved(db_path, "1.i").status is Status.IN_PROGRESS
        await pilot.press("e")
        await settle(pilot)
        assert type(app.screen).__name__ == "ObligationForm"


def tracker_with_owners() -> Tracker:
    tracker = Tracker.in_memory()
    editor = Editor(tracker)
    for number, owner in (("1.i", "Ana"), ("1.ii", "ana "), ("2.i", "Bob")):
        obligation = tracker.find(number)
        editor.save_obligation(replace(obligation, owner=owner))
    return tracker


async def test_the_owner_filter_chooses_among_the_owners_or_takes_a_typed_name():
    app = make_app(tracker=tracker_with_owners())
    async with app.run_test(size=(120, 40)) as pilot:
        await choose_filter(app, pilot, "choose-owner")
        assert isinstance(app.screen, OwnerFilterMenu)
        options = app.screen.query_one(OptionList)
        shown = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert shown == ["Ana  (2)", "Bob  (1)", "(no owner)  (55)"]
        await pilot.press("down", "enter")  # ↓ goes to the list; Ana (both spellings)
        await pilot.pause()
        assert tree(app).obligation_keys() == ["I-1.i", "I-1.ii"]
        assert "filter: owner: Ana" in header(app)
        await choose_filter(app, pilot, "choose-owner")
        await pilot.press(*"BOB", "enter")  # typed: case does not matter
        await pilot.pause()
        assert tree(app).obligation_keys() == ["I-2.i"]
        await choose_filter(app, pilot, "choose-owner")
        await pilot.press(*"(no", "down", "enter")  # typing narrows the list
        await pilot.pause()
        assert len(tree(app).obligation_keys()) == 55
        await choose_filter(app, pilot, "choose-owner")
        await pilot.press(*"Zoé", "enter")  # nobody yet: an empty tree that says why
        await pilot.pause()
        assert tree(app).obligation_keys() == []
        assert tree(app).border_subtitle == "0 of 58 shown"


async def test_my_items_come_from_cicte_owner_and_are_offered_not_applied(monkeypatch):
    monkeypatch.setenv("CICTE_OWNER", "  ANA ")
    app = make_app(tracker=tracker_with_owners())
    async with app.run_test(size=(120, 40)) as pilot:
        assert len(tree(app).obligation_keys()) == 58  # the first look is at the whole plan
        await pilot.press("f")
        assert app.screen.filters[1].label == "my items (ANA)"
        await pilot.press("escape")
        await from_palette(pilot, "my items")
        await pilot.pause()
        assert tree(app).obligation_keys() == ["I-1.i", "I-1.ii"]
        assert "filter: my items (ANA)" in header(app)


async def test_without_cicte_owner_there_is_no_my_items_filter(app):
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f")
        assert not any("my items" in f.label for f in app.screen.filters)


async def test_bulk_edits_from_the_palette(db_path):
    async with editing_app(db_path) as (app, pilot):
        await from_palette(pilot, "one owner for the marked")  # nothing marked: it says how
        await settle(pilot)
        assert told(app, "Mark items first: v marks a line")
        await pilot.press("o")
        await from_palette(pilot, "mark every item shown")
        await pilot.pause()
        assert app.screen.marks == set(OVERDUE)
        await from_palette(pilot, "one owner for the marked")
        await settle(pilot)
        assert isinstance(app.screen, OwnerForm)
        app.screen.query_one(Input).value = "Bob"
        await pilot.press("enter")
        await settle(pilot)
    assert {saved(db_path, k.removeprefix("I-")).owner for k in OVERDUE} == {"Bob"}
