"""Plan years in the app: choose the plan to work on (P), or start next year's as a form."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import ClassVar, Final, Literal

from rich.text import Text
from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Input, Label, Static
from textual.widgets.option_list import Option

from store.describe import session_dates
from store.model import MeetingSeries, PlanInfo, Session
from store.text import clean_text
from store.validation import session_problems
from tui.screens.form import LiveFormScreen, cell, row
from tui.screens.lists import ListScreen

StartNext = Literal["start-next"]
START_NEXT: Final[StartNext] = "start-next"
"""The chooser's answer when the user asks to start next year's plan."""


class PlanChooser(ListScreen[int | StartNext]):
    """The tracker's plan years, the active one marked; and starting the next."""

    FRAME_ID: ClassVar[str | None] = "plan-chooser"
    LIST_ID: ClassVar[str] = "plan-list"

    def __init__(
        self, plans: Mapping[int, PlanInfo], active: int, summaries: Mapping[int, str]
    ) -> None:
        """``active``: the year shown now; ``summaries``: a few words on each year."""
        super().__init__()
        self.plans, self.active, self.summaries = plans, active, summaries

    def heading(self) -> Text:
        return Text("Plan years — enter opens one · esc closes", style="bold")

    def options(self) -> list[Option]:
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
        return options

    def first_highlight(self) -> int:
        return list(self.plans).index(self.active)

    def choose(self, option: Option) -> None:
        chosen = option.id or ""
        self.dismiss(START_NEXT if chosen == START_NEXT else int(chosen))


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

    FRAME_ID: ClassVar[str | None] = "new-plan-form"
    SAVE_LABEL: ClassVar[str] = "Start (ctrl+s)"

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

    def heading(self) -> Text:
        return Text(f"Start the {self.year} plan from {self.from_year}", style="bold")

    def fields(self) -> ComposeResult:
        yield Static(
            Text(
                "Every item is copied with its text, sources, schedule and owner; "
                "items still open at the end of the year are carried over.",
                style="dim",
            )
        )
        yield row(
            cell(
                "Symbol (blank: the title below)",
                Input(placeholder=self.default_title, id="symbol"),
            ),
            cell("Title", Input(placeholder=self.default_title, id="title")),
        )
        for key in self.named:
            series = self.meetings[key]
            before = series.session(self.from_year)
            hint = f" (in {self.from_year}: {session_dates(before)})" if before else ""
            yield Label(f"{series.name}{hint}", classes="series-name")
            yield row(
                cell("First day (blank: no date yet)", Input(id=f"start-{key}")),
                cell("Last day (blank: one day)", Input(id=f"end-{key}")),
            )
        yield Static(id="form-waiting")

    def error_field(self, error: str) -> Widget | None:
        """A series' dates are said as ``Name, first day: …`` (and ``last day``)."""
        for key in self.named:
            name = self.meetings[key].name
            for words, field in (("first day", "start"), ("last day", "end")):
                if error.startswith(f"{name}, {words}"):
                    return self.query_one(f"#{field}-{key}")
        return super().error_field(error)

    def on_mount(self) -> None:
        first = f"#start-{self.named[0]}" if self.named else "#symbol"
        self.query_one(first, Input).focus()
        self.show_errors()

    def _check(self) -> tuple[NewPlanRequest | None, list[str], list[str]]:
        """(the request, what is wrong, the series left waiting)."""
        found: list[str] = []
        sessions: list[tuple[str, Session]] = []
        waiting: list[str] = []
        undated: list[str] = []
        for key in self.named:
            name = self.meetings[key].name
            start = self.typed_date(f"start-{key}", f"{name}, first day", found)
            end = self.typed_date(f"end-{key}", f"{name}, last day", found)
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
            clean_text(self.typed("symbol")),
            clean_text(self.typed("title")),
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
