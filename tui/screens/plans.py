"""Plan years in the app: choose the plan to work on (P), or start next year's as a form."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from store.describe import session_dates
from store.model import MeetingSeries, PlanInfo, Session
from store.rules import RuleError, parse_iso_date
from store.text import clean_text
from store.validation import session_problems
from tui.screens.form import LiveFormScreen

START_NEXT = "start-next"
"""The chooser's answer when the user asks to start next year's plan."""


class PlanChooser(ModalScreen[int | str | None]):
    """The tracker's plan years, the active one marked; and starting the next."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "close", "Close")]

    def __init__(self, plans: Mapping[int, PlanInfo], active: int, summaries: Mapping[int, str]):
        super().__init__()
        self.plans = plans
        self.active = active
        self.summaries = summaries

    def compose(self) -> ComposeResult:
        options = []
        for year, plan in self.plans.items():
            line = Text()
            line.append("● " if year == self.active else "  ", style="bold")
            line.append(f"{year}  ", style="bold")
            line.append(plan.symbol)
            line.append(f"  {self.summaries.get(year, '')}", style="dim")
            options.append(Option(line, id=str(year)))
        following = max(self.plans) + 1
        options.append(Option(Text(f"  Start the {following} plan…", style="italic"), START_NEXT))
        with Vertical(classes="dialog wide", id="plan-chooser"):
            yield Static(Text("Plan years — enter opens one · esc closes", style="bold"))
            yield OptionList(*options, id="plan-list")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.focus()
        options.highlighted = list(self.plans).index(self.active)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        chosen = event.option.id or ""
        self.dismiss(START_NEXT if chosen == START_NEXT else int(chosen))

    def action_close(self) -> None:
        self.dismiss(None)


@dataclass(frozen=True)
class NewPlanRequest:
    year: int
    from_year: int
    sessions: tuple[tuple[str, Session], ...]
    symbol: str
    title: str


class NewPlanForm(LiveFormScreen[NewPlanRequest]):
    """Next year's plan: its year, the plan it starts from, and the sessions it hangs on.

    A series left without dates makes its items wait; the form says which.
    """

    def __init__(
        self,
        plans: Mapping[int, PlanInfo],
        meetings: Mapping[str, MeetingSeries],
        named: Sequence[str],
        default_title: str,
    ) -> None:
        super().__init__()
        self.plans = plans
        self.meetings = meetings
        self.named = [key for key in named if key in meetings]
        """Series that the rules name: each gets a row of dates."""
        self.from_year = max(plans)
        self.year = self.from_year + 1
        self.default_title = default_title

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog wide form", id="new-plan-form"):
            yield Static(Text(f"Start the {self.year} plan from {self.from_year}", style="bold"))
            yield Static(
                Text(
                    "Every item is copied with its text, sources, schedule and owner; "
                    "items still open at the end of the year are carried over.",
                    style="dim",
                )
            )
            with Horizontal(classes="row"):
                with Vertical(classes="cell"):
                    yield Label("Symbol (blank: the title below)")
                    yield Input(placeholder=self.default_title, id="symbol")
                with Vertical(classes="cell"):
                    yield Label("Title")
                    yield Input(placeholder=self.default_title, id="title")
            for key in self.named:
                series = self.meetings[key]
                before = series.session(self.from_year)
                hint = f" (in {self.from_year}: {session_dates(before)})" if before else ""
                yield Label(f"{series.name}{hint}", classes="series-name")
                with Horizontal(classes="row"):
                    with Vertical(classes="cell"):
                        yield Label("First day (blank: no date yet)")
                        yield Input(id=f"start-{key}")
                    with Vertical(classes="cell"):
                        yield Label("Last day (blank: one day)")
                        yield Input(id=f"end-{key}")
            yield Static(id="form-waiting")
            yield Static(id="form-errors")
            with Horizontal(classes="buttons"):
                yield Button("Start (ctrl+s)", id="save", variant="primary")
                yield Button("Cancel (esc)", id="cancel")

    def on_mount(self) -> None:
        first = f"#start-{self.named[0]}" if self.named else "#symbol"
        self.query_one(first, Input).focus()
        self.show_errors()

    def _value(self, widget_id: str) -> str:
        return self.query_one(f"#{widget_id}", Input).value.strip()

    def _date(self, widget_id: str, words: str, found: list[str]) -> date | None:
        text = self._value(widget_id)
        if not text:
            return None
        try:
            return parse_iso_date(text)
        except RuleError as error:
            found.append(f"{words}: {error}")
            return None

    def _check(self) -> tuple[NewPlanRequest | None, list[str], list[str]]:
        """(the request, what is wrong, the series left waiting)."""
        found: list[str] = []
        sessions: list[tuple[str, Session]] = []
        waiting: list[str] = []
        undated: list[str] = []
        for key in self.named:
            name = self.meetings[key].name
            start = self._date(f"start-{key}", f"{name}, first day", found)
            end = self._date(f"end-{key}", f"{name}, last day", found)
            if start is None and end is None:
                undated.append(key)
                continue
            session = Session(self.year, start, end or start)
            found += [f"{name}, {problem}" for problem in session_problems(session)]
            sessions.append((key, session))
        held = {
            k for k, series in self.meetings.items() if (s := series.session(self.year)) and s.dated
        }
        dated = held | {key for key, _ in sessions}
        for key in (k for k in undated if k not in dated):  # alongside a dated one: its dates
            if self.meetings[key].alongside not in dated:
                waiting.append(self.meetings[key].name)
        request = NewPlanRequest(
            self.year,
            self.from_year,
            tuple(sessions),
            clean_text(self._value("symbol")),
            clean_text(self._value("title")),
        )
        return (None if found else request), found, waiting

    def errors(self) -> list[str]:
        return self._check()[1]

    def show_errors(self) -> list[str]:
        found = super().show_errors()
        waiting = self._check()[2]
        words = (
            f"Without dates, items hanging on these wait: {', '.join(waiting)}."
            if waiting
            else "Every meeting the rules name has dates."
        )
        self.query_one("#form-waiting", Static).update(Text(words))
        return found

    def result(self) -> NewPlanRequest:
        request, _, _ = self._check()
        assert request is not None  # only called once errors() is empty
        return request
