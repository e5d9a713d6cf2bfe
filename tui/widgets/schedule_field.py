"""A schedule rule input with a live preview: what it means and the next due dates."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Static

from store.describe import SchedulePreview, preview_schedule, short_date
from store.model import MeetingSeries, PlanInfo
from store.rules import Rule
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

    def _check(self, text: str) -> None:
        preview = preview_schedule(text, self.plan, self.meetings, self.today)
        self.rules = preview.rules
        self.error = None if preview.error is None else f"schedule: {preview.error}"
        self._preview = safe_rich(self._words(preview))
        self._show_preview()

    def _words(self, preview: SchedulePreview) -> Text:
        shown = Text()
        if preview.error is not None:
            shown.append(f"✗ {preview.error}", style=ERROR)
            shown.append(f"\n{SYNTAX_HINT}", style="dim")
            return shown
        shown.append("✓ ", style=VALID)
        shown.append(preview.meaning)
        shown.append("\nNext due: ", style="bold")
        if preview.next_due:
            shown.append(", ".join(short_date(d) for d in preview.next_due))
        elif preview.last_past or preview.waiting_on:
            shown.append("none after today")
        else:
            shown.append("never (tracked by review)")
        if (late := preview.last_past) is not None:
            days = (self.today - late).days
            shown.append(
                f"\n! {short_date(late)} is already past: it will show as overdue "
                f"({days}d late) until marked done",
                style=OVERDUE,
            )
        for key in preview.waiting_on:
            shown.append(f"\n… waits until the {key} meeting has a date", style=WAITING)
        return shown
