"""The main screen: it owns the view state and binds it down into the panes.

Panes report what the user did with messages; this screen decides what
changes, and the bindings (``data_bind``) carry it to every pane. Commands
(keys, palette) are declared in ``tui.command_list`` and run by this screen
or by the helpers it delegates to (editing, triage, filters).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable
from datetime import date
from functools import partial
from typing import ClassVar, cast

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.events import Resize
from textual.reactive import var
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Static

from tui import command_list as commands
from tui.commands import TrackerCommands
from tui.filters import QuickFilter, TreeFilter
from tui.nodes import NodeKind, NodeRef
from tui.saving import StoreLink
from tui.screens.files import ExportKind, write_export
from tui.screens.filtering import Filtering
from tui.screens.help import HelpScreen
from tui.screens.item_editing import Handler, ItemEditing
from tui.screens.main_help import clipboard_text, main_help
from tui.screens.triage import Triage
from tui.view import AgendaLine, TrackerView
from tui.widgets.agenda import Agenda
from tui.widgets.calendar import MonthCalendar
from tui.widgets.detail import ItemDetail
from tui.widgets.header import TrackerHeader
from tui.widgets.mandate_tree import MandateTree
from tui.widgets.search_bar import SearchBar

NARROW_BELOW = 100
"""Terminal width under which the panes switch to their compact layout."""
AGENDA_DELAY = 0.08
"""Seconds the calendar cursor rests before the agenda lists its day."""


class MainScreen(Screen[None]):
    """Mandate tree, detail, calendar and agenda of one tracker."""

    COMMANDS = {TrackerCommands}
    BINDINGS: ClassVar[list[BindingType]] = [*commands.bindings()]

    view: var[TrackerView] = var(cast(TrackerView, None), init=False)
    """What every pane shows: replaced after each save (``TrackerChanged``)."""
    tree_filter: var[TreeFilter] = var(TreeFilter())
    marks: var[frozenset[str]] = var(frozenset())
    """Keys of the marked items; they stay marked when a filter hides them."""
    selected: var[NodeRef | None] = var(None)
    """The tree's cursor line."""
    pinned: var[date | None] = var(None, always_update=True)
    """The selected item's next due day: the calendar outlines it and goes there."""
    agenda_day: var[date | None] = var(None)
    """The day the agenda lists first."""
    nothing_matches: var[str] = var("")

    def __init__(self, link: StoreLink, today_source: str, owner: str) -> None:
        """``owner``: the user's name for "my items" ("" when unknown)."""
        super().__init__()
        self.link = link
        self.today_source = today_source
        self.owner = owner
        self.set_reactive(MainScreen.view, link.view)
        self.set_reactive(MainScreen.agenda_day, link.view.today)
        self.editing = ItemEditing(self)
        self.triage = Triage(self, self.editing)
        self.filtering = Filtering(self)
        self._handlers = {
            command.id: handler
            for command in commands.MAIN_COMMANDS
            if (handler := self.handler_of(command)) is not None
        }
        self._agenda_timer: Timer | None = None

    # -- layout --------------------------------------------------------------

    def compose(self) -> ComposeResult:
        bound = (MainScreen.view, MainScreen.tree_filter)
        yield TrackerHeader(self.today_source, id="header").data_bind(*bound)
        yield Static(id="banner")
        with Horizontal(id="body"):
            yield MandateTree(id="tree").data_bind(*bound, MainScreen.marks)
            with Vertical(id="right"):
                yield ItemDetail(id="detail").data_bind(
                    MainScreen.view, MainScreen.selected, MainScreen.nothing_matches
                )
                with Horizontal(id="dates"):
                    yield MonthCalendar(self.view.today, id="calendar").data_bind(
                        MainScreen.view, MainScreen.pinned
                    )
                    yield Agenda(id="agenda").data_bind(MainScreen.view, day=MainScreen.agenda_day)
        yield SearchBar(id="search")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(ItemDetail).border_title = "Detail"
        self.query_one("#dates", Horizontal).border_title = "Deadlines"
        self._show_banner()
        tree = self.query_one(MandateTree)
        tree.move_cursor_to_line(0)
        if tree.cursor_node is not None:  # the detail is there on the first paint
            self.selected = tree.cursor_node.data
        tree.focus()

    def on_resize(self, event: Resize) -> None:
        self.set_class(event.size.width < NARROW_BELOW, "narrow")

    # -- state flowing down ---------------------------------------------------

    def watch_view(self, old: TrackerView, new: TrackerView) -> None:
        if old.records.year != new.records.year:
            self.marks = frozenset()  # marks belong to one plan year's items
        else:
            self.marks = self.marks.intersection(new.assessments)  # deleted: unmarked
        self._show_banner()
        self._pin_next_due()

    def watch_selected(self) -> None:
        self._pin_next_due()

    def _pin_next_due(self) -> None:
        ref = self.selected
        if ref is not None and ref.kind is NodeKind.OBLIGATION:
            assessment = self.view.assessments.get(ref.key)
            if assessment is not None:
                self.pinned = assessment.next_due

    def _show_banner(self) -> None:
        """What stays true while the tracker is open (read-only, no backup)."""
        warnings = self.view.records.warnings
        banner = self.query_one("#banner", Static)
        banner.update(Text("\n".join(f"⚠ {warning}" for warning in warnings)))
        banner.display = bool(warnings)

    # -- messages coming up -------------------------------------------------

    @on(MandateTree.NodeHighlighted)
    def _tree_moved(self, event: MandateTree.NodeHighlighted[NodeRef]) -> None:
        if event.node.data is not None:
            self.selected = event.node.data

    @on(MandateTree.Populated)
    def _tree_populated(self, event: MandateTree.Populated) -> None:
        words = self.tree_filter.describe()
        self.nothing_matches = "" if event.shown else f"Nothing matches {words}; escape clears it."
        # Another item can come to rest on the cursor's line without the tree saying the
        # cursor moved: the detail follows the line, which the keys act on.
        node = self.query_one(MandateTree).cursor_node
        if node is not None and node.data is not None:
            self.selected = node.data

    @on(MandateTree.DoneToday)
    def _done_today(self) -> None:
        self.run_command("complete")

    @on(MonthCalendar.DayHighlighted)
    def _day_moved(self, event: MonthCalendar.DayHighlighted) -> None:
        # Listed once the cursor rests: holding a key down does not rebuild it each step.
        if self._agenda_timer is not None:
            self._agenda_timer.stop()
        self._agenda_timer = self.set_timer(
            AGENDA_DELAY, partial(setattr, self, "agenda_day", event.day)
        )

    @on(MonthCalendar.DayChosen)
    def _day_chosen(self, event: MonthCalendar.DayChosen) -> None:
        self.agenda_day = event.day
        self.query_one(Agenda).focus_day()

    @on(MonthCalendar.DayClicked)
    def _day_clicked(self, event: MonthCalendar.DayClicked) -> None:
        if self._agenda_timer is not None:
            self._agenda_timer.stop()  # the click lists the day now, not once the cursor rests
        self.agenda_day = event.day

    @on(Agenda.JumpTo)
    def _agenda_jump(self, event: Agenda.JumpTo) -> None:
        self.jump_to(event.key)

    @on(SearchBar.Search)
    def _searched(self, event: SearchBar.Search) -> None:
        if event.text != self.tree_filter.search:
            self.tree_filter = TreeFilter(event.text, self.tree_filter.quick)
        if event.kept:
            self.query_one(MandateTree).focus()

    # -- commands -------------------------------------------------------------

    def handler_of(self, command: commands.Command) -> Handler | None:
        """What runs ``command``: the method named like it on the triage, the editing, the
        filters or this screen, first found (triage first: ``s`` and ``e`` act on the marks
        when there are some)."""
        name = command.handler or command.id
        for owner in (self.triage, self.editing, self.filtering, self):
            method = getattr(owner, name, None)
            if callable(method):
                return partial(method, command.argument) if command.argument else method
        return None

    def action_command(self, command_id: str) -> None:
        """A key bound to a command (see ``tui.command_list``)."""
        self.run_command(command_id)

    def run_command(self, command_id: str) -> None:
        """Run a command; one that waits for the user or the store runs as a worker."""
        handler = self._handlers.get(command_id)
        if handler is not None:
            self.start(handler)

    def start(self, handler: Callable[[], object]) -> None:
        result = handler()
        if inspect.isawaitable(result):
            self.run_worker(result, group="command")

    # -- what the helpers ask of the screen (``tui.screens.host.MainHost``) ---

    def _calendar(self) -> MonthCalendar:
        return self.query_one(MonthCalendar)

    def selected_ref(self) -> NodeRef | None:
        # The tree's cursor itself, not ``selected``: that follows a message, which keys
        # typed in a burst can overtake.
        node = self.query_one(MandateTree).cursor_node
        return node.data if node is not None else None

    def focused_agenda_line(self) -> AgendaLine | None:
        focused = self.focused
        return focused.highlighted_line if isinstance(focused, Agenda) else None

    def calendar_day(self, *, focused_only: bool = False) -> date | None:
        calendar = self._calendar()
        if focused_only and self.focused is not calendar:
            return None
        return calendar.cursor

    def shown_keys(self) -> list[str]:
        return self.query_one(MandateTree).obligation_keys()

    def keys_under_cursor(self) -> list[str]:
        ref = self.selected_ref()
        return self.query_one(MandateTree).keys_under(ref) if ref is not None else []

    def set_marks(self, keys: Iterable[str]) -> None:
        """Mark exactly these items (a deleted item drops out)."""
        self.marks = frozenset(key for key in keys if key in self.view.assessments)

    def cursor_down(self) -> None:
        self.query_one(MandateTree).action_cursor_down()

    @property
    def quick_filter(self) -> QuickFilter | None:
        return self.tree_filter.quick

    def set_quick_filter(self, quick: QuickFilter | None) -> None:
        self.tree_filter = TreeFilter(self.tree_filter.search, quick)

    def jump_to(self, key: str) -> None:
        """Select an obligation in the tree, clearing a filter that hides it."""
        tree = self.query_one(MandateTree)
        ref = NodeRef(NodeKind.OBLIGATION, key)
        if not tree.select_ref(ref):
            self.show_every_item()
            tree.select_ref(ref)
        tree.focus()

    def show_day(self, day: date) -> None:
        self._calendar().go_to(day)

    # -- this screen's own commands ---------------------------------------------

    def previous_month(self) -> None:
        self._calendar().change_month(-1)

    def next_month(self) -> None:
        self._calendar().change_month(1)

    def today(self) -> None:
        self.show_day(self.view.today)

    async def export(self, kind: str) -> None:
        await write_export(self, self.link, ExportKind(kind))

    def search(self) -> None:
        self.query_one(SearchBar).open()
        self.filtering.fold_ahead()

    def zoom_detail(self) -> None:
        """The detail alone on the screen (a small terminal shows it only a few lines).

        Zoomed, the detail has the focus, so PageUp and PageDown scroll it at once;
        leaving the zoom gives the focus back to the tree.
        """
        if self.maximized is not None:
            self.minimize()
        else:
            detail = self.query_one(ItemDetail)
            self.maximize(detail, container=False)
            detail.focus()

    def minimize(self) -> None:
        """Leave the zoom (``z``, or escape, which the app handles first): back to the tree."""
        super().minimize()
        self.query_one(MandateTree).focus()

    def copy_item(self) -> None:
        """Copy the selected item (the agenda's line when the agenda has the focus) as
        "id — full text (source)" to the clipboard, and say so."""
        line = self.focused_agenda_line()
        ref = NodeRef(NodeKind.OBLIGATION, line.key) if line is not None else self.selected_ref()
        copied = None if ref is None else clipboard_text(self.view, ref)
        if copied is None:
            self.notify("Select an item in the tree first.", severity="warning")
            return
        name, text = copied
        self.app.copy_to_clipboard(text)
        self.notify(f"Copied {name} to the clipboard.", markup=False, timeout=4)

    def clear_filter(self) -> None:
        """Escape: leave the zoomed detail, else clear the marks, else the search and filter."""
        if self.maximized is not None:
            self.minimize()
        elif self.marks and not self.query_one(SearchBar).has_focus:
            self.set_marks(())
        else:
            self.show_every_item()

    def show_every_item(self) -> None:
        """Show every item: no search, no quick filter."""
        self.query_one(SearchBar).close()
        if self.tree_filter.active:
            self.tree_filter = TreeFilter()
        self.query_one(MandateTree).focus()

    def help(self) -> None:
        self.app.push_screen(HelpScreen(main_help(self.app.BINDINGS)))
