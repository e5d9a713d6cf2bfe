"""The app in the terminal people have: copy, the mouse, search, titles, forms, zoom."""

from __future__ import annotations

from datetime import date

import pytest
from textual.widgets import Input, Static
from textual.widgets._toast import Toast

from store.storage import StoreError
from store.text import unaccented
from tests.tui.conftest import from_palette, select, settle, until, zoom_in
from tui.commands import TrackerCommands
from tui.filters import fold
from tui.screens.obligation_form import ObligationForm
from tui.titles import ELLIPSIS, cut_title, distinct_titles, one_line, shared_starts
from tui.widgets.agenda import Agenda
from tui.widgets.calendar import MonthCalendar
from tui.widgets.detail import DetailPane
from tui.widgets.mandate_tree import MandateTree, NodeRef


def tree(app) -> MandateTree:
    return app.screen.query_one(MandateTree)


def cursor(app) -> NodeRef | None:
    node = tree(app).cursor_node
    return node.data if node else None


def notifications(app) -> list[str]:
    return [n.message for n in app._notifications]


# -- the mouse ------------------------------------------------------------------


async def test_clicking_a_calendar_day_selects_it_and_lists_it_in_the_agenda(app):
    async with app.run_test(size=(120, 40)) as pilot:
        calendar = app.screen.query_one(MonthCalendar)
        agenda = app.screen.query_one(Agenda)
        # June 2008 starts on a Sunday: Monday 30 June is the first day of the sixth week.
        assert calendar.day_at(0, 7) == date(2008, 6, 30)
        assert calendar.day_at(2, 2) is None  # 26 May: another month's blank
        await pilot.click(MonthCalendar, offset=(1, 7))
        await until(pilot, lambda: calendar.cursor == date(2008, 6, 30), "the day selected")
        await until(pilot, lambda: "30 Jun" in str(agenda.get_option_at_index(0).prompt))
        listed = [str(agenda.get_option_at_index(i).prompt) for i in range(1, 3)]
        assert any(" 4.i " in line for line in listed) and any(" 4.ii " in line for line in listed)
        assert app.focused is calendar


async def test_clicking_an_agenda_line_jumps_to_its_item(app):
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        agenda = app.screen.query_one(Agenda)
        line = next(y for y in range(agenda.size.height) if " 1.iv " in agenda.render_line(y).text)
        await pilot.click(Agenda, offset=(4, line))
        await until(pilot, lambda: cursor(app) == NodeRef("obligation", "I-1.iv"), "the jump")
        assert app.focused is tree(app)


async def test_dragging_over_the_agenda_selects_words_without_jumping(app):
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        before = cursor(app)
        agenda = app.screen.query_one(Agenda)
        line = next(y for y in range(agenda.size.height) if " 1.iv " in agenda.render_line(y).text)
        await pilot.mouse_down(Agenda, offset=(1, line))
        await pilot.hover(Agenda, offset=(12, line))
        await pilot.mouse_up(Agenda, offset=(12, line))
        await pilot.pause()
        assert cursor(app) == before
        assert "1.iv" in (app.screen.get_selected_text() or "")


# -- copy -----------------------------------------------------------------------


async def test_detail_text_can_be_selected_with_the_mouse(app):
    async with app.run_test(size=(120, 40)) as pilot:
        await select(app, pilot, "I-4.ii")
        detail = app.screen.query_one(DetailPane)
        first = detail.content.plain.splitlines()[0]
        await pilot.mouse_down(DetailPane, offset=(1, 0))
        await pilot.hover(DetailPane, offset=(12, 0))
        await pilot.mouse_up(DetailPane, offset=(12, 0))
        await pilot.pause()
        selected = app.screen.get_selected_text()
        assert selected and selected in first


async def test_c_copies_the_item_as_id_text_and_source(app):
    async with app.run_test(size=(120, 40)) as pilot:
        app.screen.jump_to("I-4.ii")
        await pilot.press("c")
        obligation = app.tracker.find("4.ii")
        assert app.clipboard.startswith("4.ii — Maintenir et distribuer parmi les États membres")
        assert " ".join(obligation.text.split()) in app.clipboard
        assert app.clipboard.endswith(f"({'; '.join(obligation.sources)})")
        assert "Copied 4.ii to the clipboard." in notifications(app)


async def test_c_in_the_agenda_copies_the_agenda_line_s_item(app):
    async with app.run_test(size=(120, 40)) as pilot:
        agenda = app.screen.query_one(Agenda)
        agenda.focus()
        agenda.highlighted = agenda.get_option_index("late:0")
        key = agenda.highlighted_line.key
        await pilot.press("c")
        assert app.clipboard.startswith(f"{app.view.obligation(key).number} — ")


# -- search ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "programme"),
    [("surete portuaire", "II-1.A"), ("cybersecurite", "II-3.A")],
)
async def test_a_programme_s_title_counts_for_its_projects(app, typed, programme):
    assert app.view.groups[programme].title in ("SÛRETÉ PORTUAIRE", "CYBERSÉCURITÉ")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("slash", *typed, "enter")
        found = set(tree(app).obligation_keys())
        assert {f"{programme}.1", f"{programme}.2", f"{programme}.3"} <= found


async def test_ligatures_fold_so_oeuvre_finds_the_word_with_oe(app):
    assert unaccented("Œuvre, cœur, Æsop, æ") == "OEuvre, coeur, AEsop, ae"
    with_ligature = {
        a.key for a in app.view.assessments.values() if "œuvre" in app.view.search_text(a.key)
    }
    assert not with_ligature  # folded once, when the view is built
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("slash", *"oeuvre", "enter")
        found = set(tree(app).obligation_keys())
        written = {o.key for o in app.tracker if "œuvre" in o.text or "œuvre" in o.headline}
        assert written and written <= found


async def hits(app, query: str) -> list[tuple[float, str]]:
    provider = TrackerCommands(app.screen)
    found = [(hit.score, str(hit.text)) async for hit in provider.search(query)]
    return sorted(found, reverse=True)


async def test_the_palette_ranks_an_id_then_title_words_then_text_words(app):
    async with app.run_test(size=(120, 40)) as pilot:
        ranked = await hits(app, "4.i")
        assert ranked[0][1].startswith("Go to 4.i: ")
        ranked = await hits(app, "formation")
        labels = [label for _, label in ranked if label.startswith("Go to ")]
        in_title = [label for label in labels if "formation" in fold(label)]
        assert in_title and labels[: len(in_title)] == in_title
        only_in_text = labels[len(in_title) :]
        assert any(label.startswith("Go to 2.i: ") for label in only_in_text)  # in its text
        # 7.3 and 8.1 say "cybersécurité" in their titles; II-3.A's projects only
        # under their programme's title: they come next.
        ranked = await hits(app, "cybersecurite")
        ids = [label.split(":")[0].removeprefix("Go to ") for _, label in ranked]
        assert set(ids[:2]) == {"7.3", "8.1"}
        assert set(ids[2:5]) == {"II-3.A.1", "II-3.A.2", "II-3.A.3"}
        await from_palette(pilot, "II-3.A.2")
        await pilot.pause()
        assert cursor(app) == NodeRef("obligation", "II-3.A.2")


# -- titles ---------------------------------------------------------------------


def test_a_cut_title_shows_the_words_that_tell_it_apart():
    headlines = {
        "4.i": "Maintenir et distribuer parmi les États membres un répertoire des autorités.",
        "4.ii": "Maintenir et distribuer parmi les États membres un répertoire des personnes.",
    }
    titles = distinct_titles(headlines, 40)
    assert titles["4.i"] != titles["4.ii"]
    assert "autorités" in titles["4.i"] and "personnes" in titles["4.ii"]
    assert all(len(title) <= 40 for title in titles.values())
    assert cut_title(headlines["4.i"], 200) == headlines["4.i"]  # room enough: whole
    assert shared_starts({"a": "Même texte", "b": "Même  texte"}) == {"a": 0, "b": 0}


def shown_titles(app) -> dict[str, str]:
    """Item key → the words its tree line shows after its id and state."""
    the_tree = tree(app)
    return {
        key: node.label.plain.split("  ", 1)[1] for key, node in the_tree._obligation_nodes.items()
    }


@pytest.mark.parametrize("width", [100, 160])
async def test_tree_titles_use_the_width_and_never_look_alike(app, width):
    async with app.run_test(size=(width, 40)) as pilot:
        await pilot.pause()
        the_tree = tree(app)
        titles = shown_titles(app)
        headlines = {
            key: one_line(a.obligation.headline) for key, a in app.view.assessments.items()
        }
        assert len(titles) == len(headlines) == 58
        for key, title in titles.items():
            for other, other_title in titles.items():
                if other != key and headlines[other] != headlines[key]:
                    assert title != other_title, (key, other, title)
            words = {word.rstrip(",;:.") for word in headlines[key].split()}
            shown = [word.rstrip(",;:.") for word in title.replace(ELLIPSIS, " ").split()]
            if len(title) <= 12:  # too little room for the one word that tells it apart
                shown = shown[:-1]
            assert set(shown) <= words, (key, title)  # whole words only
            node = the_tree._obligation_nodes[key]
            depth = len(app.view.group_path(app.view.assessments[key].obligation))
            assert (depth + 1) * the_tree.guide_depth + node.label.cell_len <= the_tree.line_width
        assert titles["I-4.i"] != titles["I-4.ii"]
        # A wide tree shows more of each title than a narrow one.
        assert sum(map(len, titles.values())) > 58 * (the_tree.line_width - 40) // 2


# -- forms ----------------------------------------------------------------------


async def test_a_refused_save_focuses_the_first_error_and_sums_up_at_the_top(app):
    async with app.run_test(size=(100, 24)) as pilot:
        app.screen.jump_to("I-1.iv")
        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.screen, ObligationForm), "the form")
        form = app.screen
        form.query_one("#reviewed", Input).value = "2099-01-01"
        form.query_one("#partners", Input).value = "ZZ9"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form  # not saved
        assert app.focused is form.query_one("#reviewed", Input)
        summary = form.query_one("#form-summary", Static)
        assert str(summary.content).startswith("✗ Not saved: 2 problems — last reviewed:")
        assert summary.region.y < form.query_one("#reviewed").region.y
        assert form.query_one("#reviewed").region.y < app.size.height  # scrolled into view
        form.query_one("#reviewed", Input).value = ""
        form.query_one("#partners", Input).value = ""
        await pilot.pause()
        assert not summary.display  # nothing wrong any more


async def test_a_form_that_fails_to_save_keeps_what_was_typed(app, monkeypatch):
    saving, disk_full = app.editor.save_obligation, [True]

    def save(obligation):
        if disk_full:
            raise StoreError("the disk is full")
        return saving(obligation)

    monkeypatch.setattr(app.editor, "save_obligation", save)
    async with app.run_test(size=(120, 30), notifications=True) as pilot:
        app.screen.jump_to("I-1.iv")
        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.screen, ObligationForm), "the form")
        form = app.screen
        form.query_one("#owner", Input).value = "Ana Pérez"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await until(pilot, lambda: form.query("#form-summary"), "the refusal")
        await until(pilot, lambda: "disk is full" in str(form.query_one("#form-summary").content))
        assert app.screen is form and form.query_one("#owner", Input).value == "Ana Pérez"
        # A notification over a form comes at the top, never over its buttons.
        app.notify("Something else happened.")
        await until(pilot, lambda: form.query(Toast), "the toast")
        await pilot.pause()
        buttons = [form.query_one("#save").region, form.query_one("#cancel").region]
        for toast in form.query(Toast):
            assert not any(toast.region.overlaps(button) for button in buttons)
        disk_full.clear()  # the disk has room again
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is not form
        assert app.tracker.find("1.iv").owner == "Ana Pérez"


# -- zoom -----------------------------------------------------------------------


async def test_zoomed_detail_pages_at_once_and_gives_the_focus_back(app):
    async with app.run_test(size=(80, 24)) as pilot:
        detail = await zoom_in(pilot, "I-1.v")
        assert app.screen.maximized is detail and app.focused is detail
        await pilot.press("pagedown")
        await until(pilot, lambda: detail.scroll_offset.y > 0, "a page down")
        await pilot.press("pageup")
        await until(pilot, lambda: detail.scroll_offset.y == 0, "a page up")
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen.maximized is None and app.focused is tree(app)
        await pilot.press("z", "z")
        await pilot.pause()
        assert app.screen.maximized is None and app.focused is tree(app)
