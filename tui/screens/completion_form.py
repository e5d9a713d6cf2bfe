"""The completion form (X): which occurrence, the day it was done, and what shows it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Input, Label, Select

from store.describe import session_name, short_date
from store.model import Completion, Evidence, MeetingSeries, Obligation
from store.schedule import DueOccurrence
from store.text import clean_text
from store.validation import completion_problems
from tui.screens.form import LiveFormScreen, cell, row


@dataclass(frozen=True)
class CompletionRequest:
    """What the form asks the editor to record (the editor cleans the text)."""

    due: date
    """The due date of the open occurrence to complete."""
    done_on: date
    evidence: Evidence


class CompletionForm(LiveFormScreen[CompletionRequest]):
    """Done date prefilled with *today* (it can be set back, never after today) and evidence."""

    FRAME_ID: ClassVar[str | None] = "completion-form"

    def __init__(
        self,
        obligation: Obligation,
        open_occurrences: Sequence[DueOccurrence],
        chosen: date | None,
        today: date,
        meetings: Mapping[str, MeetingSeries],
    ) -> None:
        super().__init__()
        self.obligation = obligation
        self.open_occurrences = [d for d in open_occurrences if d.due is not None]
        self.today = today
        self.meetings = meetings
        dues = [d.due for d in self.open_occurrences]
        self.chosen = chosen if chosen in dues else (dues[0] if dues else None)

    def heading(self) -> Text:
        title = Text(f"Mark {self.obligation.number} done", style="bold")
        title.append(f"  {self.obligation.short_title}", style="dim")
        return title

    def fields(self) -> ComposeResult:
        yield Label("Occurrence (due date)")
        yield Select(
            [(self._occurrence_label(d), d.due) for d in self.open_occurrences],
            value=self.chosen if self.chosen is not None else Select.BLANK,
            allow_blank=False,
            id="occurrence",
        )
        yield row(
            cell(
                "Done on (YYYY-MM-DD, not after today)", Input(self.today.isoformat(), id="done-on")
            ),
            cell("Document symbol (e.g. CICTE/doc.4/08)", Input(id="document")),
        )
        yield row(cell("Link", Input(id="link")), cell("Outcome (one line)", Input(id="outcome")))

    def _occurrence_label(self, due: DueOccurrence) -> Text:
        assert due.due is not None
        label = Text(f"{short_date(due.due)}  {due.state.value}")
        session = due.occurrence.session
        if session:
            series_key, _, year = session.rpartition("/")
            series = self.meetings.get(series_key)
            held = series.session(int(year)) if series else None
            if series is not None:
                name = session_name(series, held) if held else f"{series.name} {year}"
                label.append(f"  · {name}", style="dim")
        return label

    def on_mount(self) -> None:
        self.query_one("#done-on", Input).focus()
        self.show_errors()

    def _chosen(self) -> DueOccurrence | None:
        value = self.query_one("#occurrence", Select).value
        return next((d for d in self.open_occurrences if d.due == value), None)

    def _check(self) -> tuple[CompletionRequest | None, list[str]]:
        found: list[str] = []
        chosen = self._chosen()
        if chosen is None or chosen.due is None:
            found.append("occurrence: there is no open occurrence to mark done")
        done_on = self.typed_date("done-on", "done on", found, required=True)
        if done_on is None:
            return None, found
        key = chosen.occurrence.key if chosen else ""
        evidence = Evidence(self.typed("document"), self.typed("link"), self.typed("outcome"))
        typed = Evidence(
            *(clean_text(text) for text in (evidence.document, evidence.link, evidence.outcome))
        )
        found += completion_problems(Completion(key, done_on, evidence=typed), self.today)
        if found or chosen is None or chosen.due is None:
            return None, found
        return CompletionRequest(chosen.due, done_on, evidence), []

    def errors(self) -> list[str]:
        return self._check()[1]

    def result(self) -> CompletionRequest:
        request, _ = self._check()
        assert request is not None  # only called once errors() is empty
        return request
