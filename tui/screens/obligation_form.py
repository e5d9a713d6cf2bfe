"""The edit form (and its add variant): validates as you type, refuses bad input inline."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Input, Label, Select, Static, TextArea

from store.model import Obligation, Section, Status
from store.text import clean_text
from store.validation import OWNER_NEEDED, item_form_problems, obligation_problems
from tui.screens.form import LiveFormScreen, cell, row
from tui.view import TrackerView
from tui.widgets.schedule_field import ScheduleField

__all__ = ["OWNER_NEEDED", "ObligationForm"]


class ObligationForm(LiveFormScreen[Obligation]):
    """Owner, status, schedule, review date and partners; in add mode also id and texts."""

    ERROR_FIELDS: ClassVar[dict[str, str]] = {
        "id": "#number",
        "schedule": "#schedule-input",
        "last reviewed": "#reviewed",
    }

    def __init__(self, obligation: Obligation, view: TrackerView, *, adding: bool = False) -> None:
        super().__init__()
        self.obligation = obligation
        self.view = view
        self.adding = adding
        self.partner_keys = {p.key for p in view.reference.partners}

    def heading(self) -> Text:
        o = self.obligation
        group = self.view.groups.get(o.group)
        where = o.group if group is None else f"{group.number}. {group.title}".lstrip(". ")
        return Text(f"New item in {where}" if self.adding else f"Edit {o.number}", style="bold")

    def fields(self) -> ComposeResult:
        o = self.obligation
        if self.adding:
            yield Label("Id")
            yield Input(o.number, id="number")
            yield Label("Text")
            yield TextArea(o.text, id="text", soft_wrap=True, classes="short")
            yield Label("Source documents (separate with ;)")
            yield Input("; ".join(o.sources), id="sources")
            yield Label("Planned activity (one bullet per line)")
            yield TextArea("\n".join(o.activity), id="activity", soft_wrap=True, classes="short")
        else:
            printed = Text("Printed schedule: ", style="bold")
            printed.append(o.schedule_text or "(none printed)", style="italic")
            yield Static(printed)
        yield Label("Schedule rule")
        view = self.view
        yield ScheduleField(o.rules, view.plan, view.meetings, view.today, id="schedule")
        statuses = [(s.value, s) for s in Status]
        yield row(
            cell("Status", Select(statuses, value=o.status, allow_blank=False, id="status")),
            cell("Owner", Input(o.owner, id="owner")),
        )
        reviewed = o.last_reviewed.isoformat() if o.last_reviewed else ""
        yield row(
            cell("Last reviewed (YYYY-MM-DD)", Input(reviewed, id="reviewed")),
            cell(
                "Partners (Appendix II keys, e.g. A9, B25)",
                Input(", ".join(o.partners), id="partners"),
            ),
        )

    def on_mount(self) -> None:
        self.query_one("#number" if self.adding else "#schedule-input").focus()
        self.call_after_refresh(self.show_errors)

    # -- validation ----------------------------------------------------------

    def _status(self) -> Status:
        value = self.query_one("#status", Select).value
        return value if isinstance(value, Status) else self.obligation.status

    def _partners(self) -> list[str]:
        return [
            p.strip().upper()
            for p in self.typed("partners").replace(";", ",").split(",")
            if p.strip()
        ]

    def errors(self) -> list[str]:
        found: list[str] = []
        schedule = self.query_one(ScheduleField)
        wrong_day: list[str] = []
        # The store's checks of the record (id, text, schedule), as the editor runs them,
        # then those it asks of a person only; a schedule being typed shows its own
        # message under the rule.
        candidate = replace(
            self.obligation,
            rules=schedule.specs if schedule.rules is not None else self.obligation.rules,
            owner=clean_text(self.typed("owner")),
            status=self._status(),
            last_reviewed=self.typed_date("reviewed", "last reviewed", wrong_day),
            partners=tuple(self._partners()),
        )
        if self.adding:
            number = clean_text(self.typed("number"))
            key = self._key_for(number) if number else ""
            if key and key != self.obligation.key and self.view.obligation(key):
                found.append(f"id: {number} already exists")
            text = clean_text(self.query_one("#text", TextArea).text, multiline=True)
            activity = self.query_one("#activity", TextArea).text.splitlines()
            candidate = replace(
                candidate,
                key=key,
                number=number,
                text=text,
                sources=tuple(clean_text(s) for s in self.typed("sources").split(";")),
                activity=tuple(clean_text(a, multiline=True) for a in activity),
            )
        found += obligation_problems(candidate, self.view.meetings)
        if schedule.error:
            found.append("schedule: see the message under the rule")
        # The owner is asked when this form puts the item in progress or blocks it: an
        # item that `s` already moved there can still have its other fields edited.
        before = None if self.adding else self.obligation
        found += item_form_problems(candidate, before, self.view.today, self.partner_keys)
        return found + wrong_day

    # -- result --------------------------------------------------------------

    def _key_for(self, number: str) -> str:
        """The stable key of a typed id: ``1.xiv`` → ``I-1.xiv``; ``3.B.4`` → ``II-3.B.4``."""
        if self.obligation.section is Section.MANDATES:
            return f"I-{number}"
        return number if number.startswith("II-") else f"II-{number}"

    def result(self) -> Obligation:
        o = self.obligation
        reviewed = self.typed("reviewed").strip()
        edited = replace(
            o,
            owner=self.typed("owner"),
            status=self._status(),
            rules=self.query_one(ScheduleField).specs,
            last_reviewed=date.fromisoformat(reviewed) if reviewed else None,
            partners=tuple(self._partners()),
        )
        if not self.adding:
            return edited
        number = clean_text(self.typed("number"))
        activity = self.query_one("#activity", TextArea).text.splitlines()
        return replace(
            edited,
            key=self._key_for(number),
            number=self._key_for(number) if o.section is Section.PROGRAMMES else number,
            text=self.query_one("#text", TextArea).text,
            sources=tuple(self.typed("sources").split(";")),
            activity=tuple(activity),
            activity_bulleted=len([a for a in activity if a.strip()]) > 1,
        )
