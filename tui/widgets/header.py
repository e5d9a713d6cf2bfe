"""The top line: plan year, *today*, counts, the active filter and the read-only banner."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.reactive import var
from textual.widgets import Static

from store.describe import short_date
from tui.filters import TreeFilter
from tui.labels import DUE_SOON, MUTED, OVERDUE, ROLES, safe_rich
from tui.view import TrackerView
from tui.widgets.themed import RoleStyles


class TrackerHeader(Static):
    """What the user checks first: which plan, which day, how much is late."""

    COMPONENT_CLASSES: ClassVar[set[str]] = set(ROLES)

    view: var[TrackerView | None] = var(None)
    tree_filter: var[TreeFilter] = var(TreeFilter())

    def __init__(self, today_source: str, *, id: str | None = None) -> None:  # noqa: A002
        """``today_source``: where *today* comes from (``clock``, or the option that set it)."""
        super().__init__(id=id)
        self.today_source = today_source
        self.roles = RoleStyles(self)
        self._shown = Text()
        """The line as shown, its colours still roles (drawn anew in another theme)."""

    def on_mount(self) -> None:
        self.roles.follow_theme(lambda: self.update(self.roles.apply(self._shown), layout=False))

    def watch_view(self) -> None:
        self._show()

    def watch_tree_filter(self) -> None:
        self._show()

    def _show(self) -> None:
        view, tree_filter, today_source = self.view, self.tree_filter, self.today_source
        if view is None:
            return
        plan = view.plan
        counts = view.counts()
        text = Text()
        if view.read_only:
            text.append(" READ-ONLY ", style="bold reverse")  # details: the edit keys say why
            text.append(" ")
        text.append(f"Plan {plan.year}", style="bold")
        if view.today > plan.period_end and plan.year + 1 not in view.plans:
            # The year is over and nothing follows it: say so, and how to begin the next.
            text.append(f" ended: P starts {plan.year + 1}", style="bold reverse")
        text.append("  today ")
        text.append(short_date(view.today), style="bold")
        if today_source != "clock":
            text.append(f" ({today_source})", style="italic")
        text.append("  ")
        text.append(f"! {counts.overdue} overdue", style=OVERDUE if counts.overdue else "")
        text.append("  ")
        text.append(f"~ {counts.due_soon} soon", style=DUE_SOON if counts.due_soon else "")
        if tree_filter.active:
            text.append("  filter: ", style="bold")
            text.append(tree_filter.describe())
        # The symbol last: a narrow terminal cuts it, never the counts or the filter.
        text.append(f"  {plan.symbol}", style=MUTED)
        shown = safe_rich(text)
        if shown == self._shown:
            return  # the same line (another view, the same counts): nothing to draw
        self._shown = shown
        # One line high (app.tcss): a new line never changes the layout of the screen.
        self.update(self.roles.apply(shown), layout=False)
