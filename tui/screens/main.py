"""The main screen: it owns the view state and hands it down to the panes.

Panes report what the user did with messages; this screen decides what
changes and tells the other panes. No pane reaches into a sibling.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from functools import partial
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.css.query import NoMatches
from textual.events import Resize
from textual.timer import Timer
from textual.widgets import Footer, Input, Static

from store.model import Change, Section
from store.text import safe_text
from tui.cli.options import default_owner
from tui.commands import TrackerCommands
from tui.details import group_detail, obligation_detail, section_detail
from tui.filters import (
    OVERDUE,
    RECURRING,
    STATE_FILTERS,
    STATUS_FILTERS,
    QuickFilter,
    TreeFilter,
    group_filter,
    my_items_filter,
    owner_filter,
    owners_present,
)
from tui.labels import as_markup_literal
from tui.screens.editing import EditingActions
from tui.screens.filter_menu import CHOOSE_OWNER, CLEAR, FilterMenu, OwnerFilterMenu
from tui.screens.help import HelpScreen
from tui.screens.meetings import MeetingsScreen
from tui.screens.triage import TriageActions
from tui.view import TrackerView
from tui.widgets.agenda import Agenda
from tui.widgets.calendar import MonthCalendar
from tui.widgets.detail import DetailPane
from tui.widgets.header import TrackerHeader
from tui.widgets.mandate_tree import MandateTree, NodeRef

NARROW_BELOW = 100
"""Terminal width under which the panes switch to their compact layout."""
SEARCH_DELAY = 0.15
"""Seconds of quiet typing before the tree is filtered, so each key stays fast."""
AGENDA_DELAY = 0.08
"""Seconds the calendar cursor rests before the agenda lists its day."""


class MainScreen(TriageActions):
    """Mandate tree, detail, calendar and agenda of one tracker."""

    COMMANDS = {TrackerCommands}

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "search", "Search", id="search"),
        Binding(
            "escape", "clear_filter", "Clear marks, search, filter", id="clear-filter", show=False
        ),
        Binding("f", "filter_menu", "Filter", id="filter-menu", show=False),
        Binding("o", "toggle_filter('overdue')", "Overdue only", id="overdue-only", show=False),
        Binding(
            "r", "toggle_filter('recurring')", "Recurring only", id="recurring-only", show=False
        ),
        Binding(
            "left_square_bracket", "month(-1)", "Previous month", id="previous-month", show=False
        ),
        Binding("right_square_bracket", "month(1)", "Next month", id="next-month", show=False),
        Binding("t", "today", "Calendar to today", id="today", show=False),
        Binding("z", "zoom_detail", "Zoom the detail", id="zoom-detail", show=False),
        Binding("c", "copy_item", "Copy the item (id — text (source))", id="copy-item", show=False),
        Binding("question_mark", "help", "Help", id="help"),
        *EditingActions.EDIT_BINDINGS,
        *TriageActions.TRIAGE_BINDINGS,
    ]

    def __init__(self, view: TrackerView, today_source: str, owner: str | None = None) -> None:
        """``owner``: the user's name for "my items" (default: ``CICTE_OWNER``)."""
        super().__init__()
        self.view = view
        self.today_source = today_source
        self.owner = default_owner() if owner is None else owner
        # "My items" is offered, not applied: the first look is at the whole plan.
        self.tree_filter = TreeFilter()
        self._shown = 0
        self._search_timer: Timer | None = None
        self._agenda_timer: Timer | None = None

    # -- layout --------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield TrackerHeader(id="header")
        yield Static(id="banner")
        with Horizontal(id="body"):
            yield MandateTree(id="tree")
            with Vertical(id="right"):
                yield DetailPane(id="detail")
                with Horizontal(id="dates"):
                    yield MonthCalendar(self.view, id="calendar")
                    yield Agenda(id="agenda")
        yield Input(
            placeholder="search id, text, source, activity — enter to keep, escape to clear",
            id="search",
        )
        yield Footer()

    def on_mount(self) -> None:
        self.show_warnings()
        self.query_one("#search", Input).display = False
        self.query_one(DetailPane).border_title = "Detail"
        self.query_one("#dates", Horizontal).border_title = "Deadlines"
        tree = self.query_one(MandateTree)
        self._repopulate()
        tree.move_cursor_to_line(0)
        tree.focus()
        self.query_one(Agenda).show(self.view, self.view.today)

    def show_warnings(self) -> None:
        """What stays true while the tracker is open (read-only, no backup) in a banner;
        one-off news (a stale lock released) as notifications."""
        tracker = self.view.tracker
        banner = self.query_one("#banner", Static)
        banner.update(Text("\n".join(f"⚠ {warning}" for warning in tracker.warnings)))
        banner.display = bool(tracker.warnings)
        for notice in tracker.notices:
            self.notify(notice, markup=False, timeout=10)
        tracker.notices.clear()

    def on_resize(self, event: Resize) -> None:
        self.set_class(event.size.width < NARROW_BELOW, "narrow")

    # -- state flowing down -------------------------------------------------

    def _repopulate(self) -> None:
        tree = self.query_one(MandateTree)
        self.marks = self.marks.intersection(self.view.assessments)  # deleted: unmarked
        tree.marked = self.marks
        shown = self._shown = tree.populate(self.view, self.tree_filter)
        self.show_tree_counts()
        # The filter also goes on the tree's border: the header is cut on narrow terminals.
        tree.border_title = as_markup_literal(
            f"Work plan: {self.tree_filter.describe()}" if self.tree_filter.active else "Work plan"
        )
        self._show_header()
        if shown == 0:
            self.query_one(DetailPane).show(
                Text(f"Nothing matches {self.tree_filter.describe()}; escape clears it.")
            )
        elif tree.cursor_node is None or tree.cursor_node.data is None:
            tree.move_cursor_to_line(0)
        elif (ref := self.selected()) is not None:
            self._show_detail(ref)

    def show_tree_counts(self) -> None:
        """How many items the tree shows, and how many are marked (first: borders get cut)."""
        counts = f"{self._shown} of {len(self.view.assessments)} shown"
        if self.marks:
            hidden = self.hidden_marks()
            marked = f"● {len(self.marks)} marked" + (f" ({hidden} hidden)" if hidden else "")
            counts = f"{marked} · {counts}"
        self.query_one(MandateTree).border_subtitle = counts

    def _show_header(self) -> None:
        self.query_one(TrackerHeader).show(self.view, self.tree_filter, self.today_source)

    def _show_detail(self, ref: NodeRef) -> None:
        view = self.view
        if ref.kind == "obligation" and ref.key in view.assessments:
            assessment = view.assessments[ref.key]
            content = obligation_detail(assessment, view)
            calendar = self.query_one(MonthCalendar)
            calendar.pinned = assessment.next_due
            if assessment.next_due is not None:
                calendar.go_to(assessment.next_due)
        elif ref.kind == "group" and ref.key in view.groups:
            content = group_detail(view.groups[ref.key], view)
        elif ref.kind == "section":
            content = section_detail(Section(ref.key), view)
        else:
            return  # a line whose item was just removed: the tree moves on at once
        self.query_one(DetailPane).show(content)

    def selected(self) -> NodeRef | None:
        node = self.query_one(MandateTree).cursor_node
        return node.data if node else None

    def cursor_day(self) -> date:
        return self.query_one(MonthCalendar).cursor

    def plan_switched(self) -> None:
        """Another plan year is active (the view was refreshed): show it everywhere."""
        self.marks = frozenset()  # marks belong to one plan year's items
        self.records_reloaded()
        self.query_one(MandateTree).move_cursor_to_line(0)

    def records_reloaded(self) -> None:
        """The records were read again (the view was refreshed): show them everywhere."""
        self._repopulate()
        calendar = self.query_one(MonthCalendar)
        calendar.refresh(layout=True)
        self.query_one(Agenda).show(self.view, calendar.cursor)

    def after_edit(self, change: Change) -> None:
        """Show an edit everywhere at once: tree, detail, calendar, agenda, header."""
        view = self.view
        try:
            tree = self.query_one(MandateTree)
        except NoMatches:  # quitting while a long bulk edit was saved: nothing left to show
            return
        touched = self.cicte.editor.last_touched
        # A bulk edit (or its undo) changed every item it touched, not only the last one.
        keys = list(touched) if change.key in touched else [change.key]
        if change.target == "series":  # a meeting moved: every anchored deadline may move
            view.refresh()
            self._repopulate()
        elif change.before is None or change.after is None:  # added or deleted
            view.refresh(keys)
            self._repopulate()
        else:
            view.refresh(keys)
            assessments = view.assessments
            tree.update_obligations((assessments[k] for k in keys if k in assessments), view)
            self._show_header()
        if (ref := self.selected()) is not None:
            self._show_detail(ref)
        calendar = self.query_one(MonthCalendar)
        calendar.refresh(layout=change.target == "series")  # a meeting's caption may come or go
        self.query_one(Agenda).show(view, calendar.cursor)

    # -- messages coming up -------------------------------------------------

    @on(MandateTree.NodeHighlighted)
    def _tree_moved(self, event: MandateTree.NodeHighlighted[NodeRef]) -> None:
        if event.node.data is not None:
            self._show_detail(event.node.data)

    @on(MonthCalendar.DayHighlighted)
    def _day_moved(self, event: MonthCalendar.DayHighlighted) -> None:
        # Rebuilt once the cursor rests: holding a key down does not rebuild it each step.
        if self._agenda_timer is not None:
            self._agenda_timer.stop()
        self._agenda_timer = self.set_timer(
            AGENDA_DELAY, partial(self.query_one(Agenda).show, self.view, event.day)
        )

    @on(MonthCalendar.DayChosen)
    def _day_chosen(self, event: MonthCalendar.DayChosen) -> None:
        agenda = self.query_one(Agenda)
        agenda.show(self.view, event.day)
        agenda.focus_day()

    @on(MonthCalendar.DayClicked)
    def _day_clicked(self, event: MonthCalendar.DayClicked) -> None:
        if self._agenda_timer is not None:
            self._agenda_timer.stop()  # the click lists the day now, not once the cursor rests
        self.query_one(Agenda).show(self.view, event.day)

    @on(Agenda.JumpTo)
    def _agenda_jump(self, event: Agenda.JumpTo) -> None:
        self.jump_to(event.key)

    @on(Input.Changed, "#search")
    def _search_typed(self, event: Input.Changed) -> None:
        if self._search_timer is not None:
            self._search_timer.stop()
        self._search_timer = self.set_timer(SEARCH_DELAY, partial(self._apply_search, event.value))

    @on(Input.Submitted, "#search")
    def _search_kept(self, event: Input.Submitted) -> None:
        self._apply_search(event.value)
        self.query_one(MandateTree).focus()

    def _apply_search(self, text: str) -> None:
        if text != self.tree_filter.search:
            self.tree_filter = TreeFilter(text, self.tree_filter.quick)
            self._repopulate()

    # -- actions (keys and palette) -----------------------------------------

    def jump_to(self, key: str) -> None:
        """Select an obligation in the tree, clearing a filter that hides it."""
        tree = self.query_one(MandateTree)
        ref = NodeRef("obligation", key)
        if not tree.select_ref(ref):
            self.clear_filter()
            tree.select_ref(ref)
        tree.focus()

    def show_day(self, day: date) -> None:
        self.query_one(MonthCalendar).go_to(day)

    def set_quick_filter(self, quick: QuickFilter | None) -> None:
        self.tree_filter = TreeFilter(self.tree_filter.search, quick)
        self._repopulate()

    def action_search(self) -> None:
        search = self.query_one("#search", Input)
        search.display = True
        search.focus()

    def action_zoom_detail(self) -> None:
        """The detail alone on the screen (a small terminal shows it only a few lines).

        Zoomed, the detail has the focus, so PageUp and PageDown scroll it at once;
        leaving the zoom gives the focus back to the tree.
        """
        if self.maximized is not None:
            self.minimize()
        else:
            detail = self.query_one(DetailPane)
            self.maximize(detail, container=False)
            detail.focus()

    def minimize(self) -> None:
        """Leave the zoom (``z``, or escape, which the app handles first): back to the tree."""
        super().minimize()
        self.query_one(MandateTree).focus()

    def action_copy_item(self) -> None:
        """Copy the selected item (the agenda's line when the agenda has the focus) as
        "id — full text (source)" to the clipboard, and say so."""
        focused = self.focused
        line = focused.highlighted_line if isinstance(focused, Agenda) else None
        ref = NodeRef("obligation", line.key) if line is not None else self.selected()
        copied = None if ref is None else self._clipboard_text(ref)
        if copied is None:
            self.notify("Select an item in the tree first.", severity="warning")
            return
        name, text = copied
        self.app.copy_to_clipboard(text)
        self.notify(f"Copied {name} to the clipboard.", markup=False, timeout=4)

    def _clipboard_text(self, ref: NodeRef) -> tuple[str, str] | None:
        """(the item's id, the text to copy) for a line of the tree."""
        view = self.view
        if ref.kind == "obligation" and (obligation := view.obligation(ref.key)) is not None:
            words = "\n".join(part for part in (obligation.title, obligation.text) if part)
            text = f"{obligation.number} — {' '.join(words.split())}"
            if obligation.sources:
                text += f" ({'; '.join(obligation.sources)})"
            return obligation.number, safe_text(text)
        if ref.kind == "group" and (group := view.groups.get(ref.key)) is not None:
            return group.key, safe_text(f"{group.key} — {group.title}")
        return None

    def action_clear_filter(self) -> None:
        """Escape: leave the zoomed detail, else clear the marks, else the search and filter."""
        if self.maximized is not None:
            self.minimize()
        elif self.marks and not self.query_one("#search", Input).has_focus:
            self.set_marks(())
        else:
            self.clear_filter()

    def clear_filter(self) -> None:
        """Show every item: no search, no quick filter."""
        search = self.query_one("#search", Input)
        if self._search_timer is not None:
            self._search_timer.stop()
        with search.prevent(Input.Changed):
            search.value = ""
        search.display = False
        if self.tree_filter.active:
            self.tree_filter = TreeFilter()
            self._repopulate()
        self.query_one(MandateTree).focus()

    def action_toggle_filter(self, key: str) -> None:
        quick = {OVERDUE.key: OVERDUE, RECURRING.key: RECURRING}[key]
        self.set_quick_filter(None if self.tree_filter.quick == quick else quick)

    async def action_filter_menu(self) -> None:
        def chosen(quick: QuickFilter | None) -> None:
            if quick == CHOOSE_OWNER:
                self.choose_owner()
            elif quick is not None:
                self.set_quick_filter(None if quick == CLEAR else quick)

        await self.app.push_screen(FilterMenu(self._group_filters(), self._my_items()), chosen)

    def choose_owner(self) -> None:
        """Show one owner's items: chosen among the owners present, or typed."""

        def chosen(name: str | None) -> None:
            if name is not None:
                self.set_quick_filter(owner_filter(name))

        obligations = [a.obligation for a in self.view.assessments.values()]
        unowned = sum(1 for o in obligations if not o.owner.strip())
        self.app.push_screen(OwnerFilterMenu(owners_present(obligations), unowned), chosen)

    def _my_items(self) -> list[QuickFilter]:
        return [my_items_filter(self.owner)] if self.owner else []

    def _owner_filters(self) -> list[QuickFilter]:
        obligations = (a.obligation for a in self.view.assessments.values())
        return [owner_filter(name) for name, _ in owners_present(obligations)]

    def _group_filters(self) -> list[QuickFilter]:
        filters = [
            group_filter(Section.MANDATES.value, "Section I (mandates)"),
            group_filter(Section.PROGRAMMES.value, "Section II (programmes)"),
        ]
        for group in self.view.groups.values():
            if group.parent is None:
                where = "group" if group.section is Section.MANDATES else "sector"
                filters.append(group_filter(group.key, f"{where} {group.number}: {group.title}"))
        return filters

    def filter_commands(self) -> Iterator[tuple[str, Callable[[], None]]]:
        """(what it shows, how) for each quick filter, for the palette."""
        yield "all items (clear the filter)", self.clear_filter
        yield "owner… (choose one, or type a name)", self.choose_owner
        for quick in (
            *self._my_items(),
            *STATE_FILTERS,
            *STATUS_FILTERS,
            *self._owner_filters(),
            *self._group_filters(),
        ):
            yield quick.label, partial(self.set_quick_filter, quick)

    def action_month(self, months: int) -> None:
        self.query_one(MonthCalendar).change_month(months)

    def action_today(self) -> None:
        self.query_one(MonthCalendar).go_to(self.view.today)

    def action_help(self) -> None:
        triage = TriageActions.TRIAGE_BINDINGS
        sections = [
            ("Everywhere", [*self.app.BINDINGS, *(b for b in self.BINDINGS if b not in triage)]),
            ("Tree", MandateTree.BINDINGS),
            ("Marks and bulk edits", TriageActions.TRIAGE_HELP),
            ("Calendar (when focused)", MonthCalendar.BINDINGS),
            ("Meetings editor (E)", MeetingsScreen.BINDINGS),
        ]
        self.app.push_screen(HelpScreen(sections))
