"""A schedule rule input with a live preview: what it means and the next due dates."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Static

from store.describe import describe_schedule, short_date
from store.model import MeetingSeries, PlanInfo
from store.rules import Rule, RuleError, parse_schedule
from store.schedule import occurrences, preview_dates
from tui.labels import ERROR, OVERDUE, ROLES, VALID, WAITING, safe_rich
from tui.widgets.themed import RoleStyles

SYNTAX_HINT = (
    "e.g. 2008-09-30 · yearly in september · every 6 months from 2008-06-30 · "
    "before cicte-session · 21 days before cicte-session · between cicte-session and oas-ga · "
    "period 2004-2008 · continuous · on demand · tbd "
    "(join several with +)"
)


class ScheduleField(Vertical):
    """Validates as you type; ``rules`` is None while the text cannot be read."""

    DEFAULT_CSS = """
    ScheduleField { height: auto; }
    ScheduleField #schedule-preview { height: auto; padding: 0 1; }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = set(ROLES)
    """The preview's roles: the theme's colours for errors and states (app.tcss)."""

    def __init__(
        self,
        rules: tuple[str, ...],
        plan: PlanInfo,
        meetings: Mapping[str, MeetingSeries],
        today: date,
        *,
        id: str | None = None,  # noqa: A002 - Textual's name
    ) -> None:
        super().__init__(id=id)
        self.plan = plan
        self.meetings = meetings
        self.today = today
        self._initial = " + ".join(rules)
        self.rules: tuple[Rule, ...] | None = None
        self.error: str | None = None
        self.roles = RoleStyles(self)
        self._preview = Text()

    def compose(self) -> ComposeResult:
        yield Input(self._initial, placeholder=SYNTAX_HINT, id="schedule-input")
        yield Static(id="schedule-preview")

    def on_mount(self) -> None:
        self._check(self._initial)
        self.roles.follow_theme(self._show_preview)

    def _show_preview(self) -> None:
        self.query_one("#schedule-preview", Static).update(self.roles.apply(self._preview))

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "schedule-input":
            self._check(event.value)

    @property
    def specs(self) -> tuple[str, ...]:
        """The rules in their stored form (only meaningful when valid)."""
        return tuple(rule.spec for rule in self.rules or ())

    def _preview_dates(self, preview: Text, rules: list[Rule]) -> None:
        """The next due dates, and a warning for dates already past or still unknown."""
        dates = preview_dates(rules, self.plan, self.meetings, self.today)
        found = occurrences(rules, self.plan, self.meetings)
        late = [o.due for o in found if o.due is not None and o.due < self.today]
        waiting = [o.waiting_on for o in found if o.waiting_on]
        preview.append("\nNext due: ", style="bold")
        if dates:
            preview.append(", ".join(short_date(d) for d in dates))
        elif late or waiting:
            preview.append("none after today")
        else:
            preview.append("never (tracked by review)")
        if late:
            days = (self.today - late[-1]).days
            preview.append(
                f"\n! {short_date(late[-1])} is already past: it will show as overdue "
                f"({days}d late) until marked done",
                style=OVERDUE,
            )
        for key in waiting:
            preview.append(f"\n… waits until the {key} meeting has a date", style=WAITING)

    def _check(self, text: str) -> None:
        preview = Text()
        try:
            rules = parse_schedule(text, known_events=self.meetings.keys())
        except RuleError as error:
            self.rules, self.error = None, f"schedule: {error}"
            preview.append(f"✗ {error}", style=ERROR)
            preview.append(f"\n{SYNTAX_HINT}", style="dim")
        else:
            self.rules, self.error = tuple(rules), None
            preview.append("✓ ", style=VALID)
            preview.append(describe_schedule(rules, self.meetings, self.plan.year))
            self._preview_dates(preview, rules)
        self._preview = safe_rich(preview)
        self._show_preview()
