"""Meetings that deadlines hang on: a list to pick from and a form to edit one."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from store.describe import event_dates
from store.model import Event
from store.rules import EVENT_KEY, RuleError, parse_iso_date
from store.text import clean_text
from tui.screens.form import LiveFormScreen

EventRequest = tuple[str, str | None]
"""(``add`` | ``edit`` | ``delete``, event key) chosen in the list."""


class EventsScreen(ModalScreen[EventRequest | None]):
    """The meetings, with how many obligations hang on each."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "request('add')", "Add event"),
        Binding("e,enter", "request('edit')", "Edit event"),
        Binding("d", "request('delete')", "Delete event"),
        Binding("escape", "close", "Close"),
    ]

    def __init__(
        self, events: Mapping[str, Event], anchored: Mapping[str, int], focus: str | None = None
    ) -> None:
        super().__init__()
        self.events = events
        self.anchored = anchored
        self.focus_key = focus

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Static(Text("Meetings — a add · e edit · d delete · esc close", style="bold"))
            yield OptionList(*(self._option(e) for e in self.events.values()), id="event-list")

    def _option(self, event: Event) -> Option:
        line = Text()
        line.append(f"{event.key:<22}", style="bold")
        line.append(f"{event_dates(event):<22}")
        line.append(event.name)
        count = self.anchored.get(event.key, 0)
        line.append(f"  ({count} obligation{'s' if count != 1 else ''})", style="dim")
        return Option(line, id=event.key)

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.focus()
        if self.focus_key in self.events:
            options.highlighted = options.get_option_index(self.focus_key)

    def _highlighted_key(self) -> str | None:
        options = self.query_one(OptionList)
        if options.highlighted is None:
            return None
        return options.get_option_at_index(options.highlighted).id

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(("edit", event.option.id))

    def action_request(self, what: str) -> None:
        key = None if what == "add" else self._highlighted_key()
        if what != "add" and key is None:
            return
        self.dismiss((what, key))

    def action_close(self) -> None:
        self.dismiss(None)


class EventForm(LiveFormScreen[Event]):
    """Name, dates and place of one meeting; the key is set once, when adding."""

    def __init__(self, event: Event | None, taken: set[str]) -> None:
        super().__init__()
        self.event = event
        self.taken = taken

    def compose(self) -> ComposeResult:
        e = self.event
        with VerticalScroll(classes="dialog wide form"):
            yield Static(Text(f"Edit {e.key}" if e else "New meeting", style="bold"))
            yield Label("Key (used in schedules, e.g. before cicte-session)")
            yield Input(e.key if e else "", id="key", disabled=e is not None)
            yield Label("Name")
            yield Input(e.name if e else "", id="name")
            with Horizontal(classes="row"):
                with Vertical(classes="cell"):
                    yield Label("First day (YYYY-MM-DD or blank)")
                    yield Input(e.start.isoformat() if e and e.start else "", id="start")
                with Vertical(classes="cell"):
                    yield Label("Last day (blank: one day)")
                    yield Input(e.end.isoformat() if e and e.end else "", id="end")
            yield Label("Place")
            yield Input(e.place if e else "", id="place")
            yield Label("Note")
            yield Input(e.note if e else "", id="note")
            yield Static(id="form-errors")
            with Horizontal(classes="buttons"):
                yield Button("Save (ctrl+s)", id="save", variant="primary")
                yield Button("Cancel (esc)", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#name" if self.event else "#key", Input).focus()
        self.show_errors()

    def _value(self, name: str) -> str:
        return self.query_one(f"#{name}", Input).value

    def _date(self, name: str, found: list[str]) -> date | None:
        text = self._value(name).strip()
        if not text:
            return None
        try:
            return parse_iso_date(text)
        except RuleError as error:
            found.append(f"{'first' if name == 'start' else 'last'} day: {error}")
            return None

    def _check(self) -> tuple[Event | None, list[str]]:
        found: list[str] = []
        key = clean_text(self._value("key")).lower()
        if self.event is None:
            if not key:
                found.append("key: it cannot be empty")
            elif not EVENT_KEY.fullmatch(key):
                found.append("key: a-z, 0-9 and dashes only (e.g. board-meeting)")
            elif key in self.taken:
                found.append(f"key: {key} already exists")
        name = clean_text(self._value("name"))
        if not name:
            found.append("name: it cannot be empty")
        start, end = self._date("start", found), self._date("end", found)
        if end and not start:
            found.append("first day: needed when the last day is given")
        if start and end and end < start:
            found.append("last day: it is before the first day")
        if found:
            return None, found
        event = Event(
            self.event.key if self.event else key,
            name,
            start,
            end or start,
            clean_text(self._value("place")),
            clean_text(self._value("note")),
        )
        return event, found

    def errors(self) -> list[str]:
        return self._check()[1]

    def result(self) -> Event:
        event, _ = self._check()
        assert event is not None  # only called once errors() is empty
        return event
