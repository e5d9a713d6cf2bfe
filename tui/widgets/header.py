"""The top line: plan, *today*, counts, the active filter and the read-only banner."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from store.describe import short_date
from tui.filters import TreeFilter
from tui.view import TrackerView


class TrackerHeader(Static):
    """What the user checks first: which plan, which day, how much is late."""

    def show(self, view: TrackerView, tree_filter: TreeFilter, today_source: str) -> None:
        plan = view.tracker.plan
        counts = view.counts()
        text = Text()
        if view.tracker.read_only:
            text.append(" READ-ONLY: another cicte-tui is editing this file ", style="bold reverse")
            text.append(" ")
        text.append(f"{plan.symbol} · {plan.year}", style="bold")
        text.append("  today ")
        text.append(short_date(view.today), style="bold")
        if today_source != "clock":
            text.append(f" ({today_source})", style="italic")
        text.append("  ")
        text.append(f"! {counts.overdue} overdue", style="bold red" if counts.overdue else "")
        text.append("  ")
        text.append(f"~ {counts.due_soon} soon", style="bold yellow" if counts.due_soon else "")
        if tree_filter.active:
            text.append("  filter: ", style="bold")
            text.append(tree_filter.describe())
        self.update(text)
