"""The tree kept quick on a big plan shows exactly what it showed when it rebuilt everything.

A search typed on looks only among what its start found, the tree keeps the
lines it made, and a filter opens only its first groups: none of it may
change which items a user finds, nor what their lines say after an edit.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from store.repository import Tracker, seed_document
from store.schedule import Outlook
from tests.tui.conftest import detail, make_app, press_and_settle, select, settle
from tui.filters import TreeFilter, fold, searchable
from tui.nodes import NodeKind, NodeRef
from tui.view import TrackerView
from tui.widgets.mandate_tree import FILTER_OPENS_UP_TO, MandateTree
from tui.widgets.search_bar import SearchBar
from tui.widgets.tree_lines import ObligationLines


def tree(app) -> MandateTree:
    return app.screen.query_one(MandateTree)


def found_afresh(app, text: str) -> set[str]:
    """What a search for ``text`` finds, worked out item by item with nothing kept."""
    view = app.view
    words = fold(text).split()
    return {
        key
        for key, assessment in view.assessments.items()
        if all(word in searchable(assessment.obligation, view.groups) for word in words)
    }


async def search_for(app, pilot, text: str) -> None:
    """What the search bar says once the typing pauses (each letter its own search)."""
    app.screen.post_message(SearchBar.Search(text, kept=False))
    await pilot.pause()


def big_tracker(count: int) -> Tracker:
    """The 2008 plan with ``count`` items in all, the added ones spread over its groups."""
    document = seed_document()
    rows = document["obligations"]
    templates = list(rows.values())
    for index in range(len(rows) + 1, count + 1):
        template = templates[index % len(templates)]
        key = f"{template['key']}.{index}"
        rows[str(index)] = template | {
            "key": key,
            "number": key,
            "text": f"Projet synthétique numéro {index}, sécurité portuaire.",
            "order": index,
        }
    return Tracker.in_memory(document)


async def test_a_search_typed_letter_by_letter_then_shortened_finds_what_a_fresh_one_finds(app):
    async with app.run_test(size=(120, 40)) as pilot:
        typed = "securite port"
        prefixes = [typed[:end] for end in range(1, len(typed) + 1)]
        for text in [*prefixes, *reversed(prefixes[:-1]), "surete", "surete portuaire", ""]:
            await search_for(app, pilot, text)
            expected = found_afresh(app, text)
            assert set(tree(app).obligation_keys()) == expected, text
            assert tree(app).border_subtitle == f"{len(expected)} of 58 shown"
        assert len(tree(app).obligation_keys()) == 58


async def test_a_view_finds_the_same_items_whatever_searches_came_before(app):
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        view = app.view
        for text in ("s", "se", "sec", "secu", "secur", "securite", "securite p", "secu", "e"):
            fresh = TrackerView(view.records, Outlook(view.today))
            assert view.visible(TreeFilter(text)) == fresh.visible(TreeFilter(text)), text


async def test_an_edit_under_a_filter_shows_on_its_line_then_and_once_the_filter_is_cleared(app):
    async with app.run_test(size=(120, 40)) as pilot:
        await press_and_settle(pilot, "o")
        await select(app, pilot, "I-1.iv")
        before = tree(app)._obligation_nodes["I-1.iv"].label.plain
        assert "▶" not in before
        await press_and_settle(pilot, "s")  # not started → in progress
        assert "▶" in tree(app)._obligation_nodes["I-1.iv"].label.plain
        await press_and_settle(pilot, "escape")
        assert "▶" in tree(app)._obligation_nodes["I-1.iv"].label.plain
        await press_and_settle(pilot, "o")
        assert "▶" in tree(app)._obligation_nodes["I-1.iv"].label.plain


async def test_the_same_filter_shown_again_shows_the_same_lines(app):
    async with app.run_test(size=(120, 40)) as pilot:
        await press_and_settle(pilot, "o")
        first = [(key, node.label.plain) for key, node in tree(app)._obligation_nodes.items()]
        await press_and_settle(pilot, "o", "o")
        again = [(key, node.label.plain) for key, node in tree(app)._obligation_nodes.items()]
        assert again == first


async def test_a_filter_on_a_big_plan_opens_its_first_groups_and_the_rest_when_asked():
    app = make_app(date(2008, 6, 15), big_tracker(1200))
    async with app.run_test(size=(120, 40)) as pilot:
        await search_for(app, pilot, "synthetique")
        the_tree = tree(app)
        expected = found_afresh(app, "synthetique")
        assert len(expected) == 1200 - 58
        # Every match is counted and reachable, though only the first groups have lines.
        assert set(the_tree.obligation_keys()) == expected
        assert the_tree.border_subtitle == f"{len(expected)} of 1200 shown"
        assert len(the_tree._obligation_nodes) <= FILTER_OPENS_UP_TO
        shut = [
            node
            for node in the_tree._group_nodes.values()
            if node.allow_expand and not node.is_expanded
        ]
        assert shut, "groups too big for what is left to open stay shut"
        # The first match is in a shut group: the cursor is on that group's line.
        first = the_tree.obligation_keys()[0]
        assert the_tree.cursor_node is not None
        if first not in the_tree._obligation_nodes:
            group = (
                the_tree.keys_under(NodeRef(NodeKind.OBLIGATION, first))
                and app.view.obligation(first).group
            )
            assert the_tree.cursor_node.data == NodeRef(NodeKind.GROUP, group)
        last = the_tree.obligation_keys()[-1]
        assert last not in the_tree._obligation_nodes
        assert the_tree.select_ref(NodeRef(NodeKind.OBLIGATION, last))
        await settle(pilot)
        assert the_tree.cursor_node is not None
        assert the_tree.cursor_node.data == NodeRef(NodeKind.OBLIGATION, last)


async def test_the_detail_shows_the_item_a_filter_brings_under_the_cursor(app):
    """``o`` can put another item on the cursor's line without the cursor moving: the
    detail must follow, for the keys act on that item (found by the hands-on attack)."""
    async with app.run_test(size=(100, 30)) as pilot:
        await select(app, pilot, "I-1.i")
        await press_and_settle(pilot, "o")
        under_cursor = tree(app).cursor_node.data
        assert under_cursor.key != "I-1.i"  # not overdue: filtered out
        assert app.screen.selected == under_cursor
        number = app.view.assessments[under_cursor.key].obligation.number
        await settle(pilot)
        assert detail(app).startswith(number)


def test_a_saved_headline_that_now_starts_like_another_is_told_apart() -> None:
    """After a save the tree rereads only the touched items' headlines: an edit that makes
    one start like another's must still change how both are cut."""
    tracker = Tracker.in_memory()
    outlook = Outlook(date(2008, 6, 15))
    view = TrackerView(tracker.snapshot(), outlook)
    lines = ObligationLines(roles=None)  # type: ignore[arg-type] - no line is drawn here
    lines.follow(view)
    first, second = list(view.assessments)[:2]
    assert lines._shared_starts()[second] < 40
    headline = view.assessments[first].obligation.headline
    edited = replace(tracker.obligation(second), text=headline + " — bis")
    tracker.save_obligation(edited)
    view = view.updated(tracker.snapshot(), [second])
    lines.follow(view)
    assert lines._shared_starts()[second] >= len(headline)
