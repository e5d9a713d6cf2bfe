"""Triage in bulk: marks in the tree and the edits that apply to every marked item.

``v`` marks a line (a group line: its items), ``V`` every item shown,
escape clears the marks. ``R`` marks the marked items reviewed today;
``s`` and ``e`` with marks set one status or one owner on all of them after
one dialog that names them. Each bulk action is one grouped edit: one
write, one undo step, one change-log entry per item (see ``store.bulk``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar

from textual import work
from textual.binding import Binding, BindingType

from store import bulk
from store.model import Obligation
from tui.filters import owners_present
from tui.screens.dialogs import OwnerForm, StatusChoice
from tui.screens.editing import EditingActions
from tui.screens.obligation_form import OWNER_NEEDED
from tui.widgets.mandate_tree import MandateTree


class TriageActions(EditingActions):
    """The marks (the screen owns them; the tree shows them) and the bulk edits."""

    TRIAGE_BINDINGS: ClassVar[list[BindingType]] = [
        Binding("v", "toggle_mark", "Mark", id="toggle-mark"),
        Binding(
            "V", "mark_all", "Mark every item shown (again: clear the marks)", id="mark-all",
            show=False,
        ),
        Binding(
            "R", "review", "Reviewed today (the marked items, else this one)", id="review",
            show=False,
        ),
    ]  # fmt: skip
    TRIAGE_HELP: ClassVar[list[BindingType]] = [
        Binding("v", "toggle_mark", "Mark or unmark the line (● ; on a group: all its items)"),
        TRIAGE_BINDINGS[1],
        TRIAGE_BINDINGS[2],
        Binding("s", "cycle_status", "With marks: one status for every marked item"),
        Binding("e", "edit", "With marks: one owner for every marked item"),
        Binding("escape", "clear_filter", "Clear the marks (pressed again: search and filter)"),
    ]
    """The help screen's lines for marks: ``s`` and ``e`` change meaning with marks."""

    def __init__(self) -> None:
        super().__init__()
        self.marks: frozenset[str] = frozenset()
        """Keys of the marked items; they stay marked when a filter hides them."""

    if TYPE_CHECKING:  # provided by MainScreen, which mixes this class in

        def show_tree_counts(self) -> None: ...

    # -- marks -------------------------------------------------------------------

    def set_marks(self, keys: Iterable[str]) -> None:
        """Mark exactly these items (a deleted item drops out) and say how many."""
        self.marks = frozenset(key for key in keys if key in self.view.assessments)
        self.query_one(MandateTree).show_marks(self.marks)
        self.show_tree_counts()

    def hidden_marks(self) -> int:
        """Marked items the filter does not show."""
        return len(self.marks - set(self.query_one(MandateTree).obligation_keys()))

    def action_toggle_mark(self) -> None:
        """Mark the line under the cursor (a group: its items shown), or unmark it."""
        tree = self.query_one(MandateTree)
        ref = self.selected()
        keys = tree.keys_under(ref) if ref is not None else []
        if not keys:
            return
        if self.marks.issuperset(keys):
            self.set_marks(self.marks.difference(keys))
        else:
            self.set_marks(self.marks.union(keys))
        if ref is not None and ref.kind == "obligation":
            tree.action_cursor_down()  # v v v marks a run of lines

    def action_mark_all(self) -> None:
        """Mark every item the filter shows; when they all are, clear the marks."""
        shown = self.query_one(MandateTree).obligation_keys()
        if shown and not self.marks.issuperset(shown):
            self.set_marks(self.marks.union(shown))
        else:
            self.set_marks(())

    def marked_obligations(self) -> list[Obligation]:
        found = (self.view.obligation(key) for key in self.marks)
        return bulk.in_plan_order(o for o in found if o is not None)

    def _marked_words(self) -> str:
        """``the 12 marked items (1.i, 1.iii, …)``, and how many the filter hides."""
        marked = self.marked_obligations()
        words = f"the {bulk.items(len(marked))} marked ({bulk.listed([o.number for o in marked])})"
        if hidden := self.hidden_marks():
            words += f", {hidden} of them hidden by the filter"
        return words

    # -- bulk edits --------------------------------------------------------------

    async def save_bulk(self, action: bulk.Bulk) -> bool:
        """Save a bulk action as one undo step; on success the marks are cleared."""
        numbers = [o.number for o in action.targets]
        if len(numbers) == 1:
            said = f"{numbers[0]}: {action.what}"
        else:
            said = (
                f"{action.what} — {bulk.items(len(numbers))}: {bulk.listed(numbers)}; u undoes it"
            )
        if action.unchanged:
            said += f" (already so: {bulk.listed([o.number for o in action.unchanged])})"
        if await self.save(action.run, self.cicte.editor, said=said) is None:
            return False
        self.set_marks(())
        return True

    async def action_review(self) -> None:
        """Mark the marked items reviewed today (none marked: the item under the cursor)."""
        if self.marks:
            targets = self.marked_obligations()
        elif (obligation := self._selected_obligation()) is not None:
            targets = [obligation]
        else:
            return
        action = bulk.review(targets, self.view.today)
        if not action.targets:
            numbers = bulk.listed([o.number for o in action.unchanged])
            self.notify(f"Already reviewed today: {numbers}.", markup=False)
            return
        await self.save_bulk(action)

    async def action_cycle_status(self) -> None:
        """``s``: with marks, one status for all of them; else the next status of this item."""
        if self.marks:
            self.bulk_status()
        else:
            await super().action_cycle_status()

    def action_edit(self) -> None:  # type: ignore[override]  # a worker either way
        """``e``: with marks, one owner for all of them; else the edit form of this item."""
        if self.marks:
            self.bulk_owner()
        else:
            super().action_edit()

    def _can_bulk(self) -> bool:
        if not self.marks:
            self.notify("Mark items first: v marks a line, V every item shown.", markup=False)
            return False
        return self._writable()

    @work(group="dialog")
    async def bulk_status(self) -> None:
        if not self._can_bulk():
            return
        marked = self.marked_obligations()
        question = f"Status for {self._marked_words()}?"
        status = await self.app.push_screen_wait(StatusChoice(question))
        if status is None:
            return
        action = bulk.set_status(marked, status, self.view.today)
        if not action.targets:
            self.notify(f"Every marked item is already {status.value}.", markup=False)
            return
        if await self.save_bulk(action) and status in OWNER_NEEDED:
            unowned = [o.number for o in action.targets if not o.owner]
            if unowned:
                self.notify(
                    f"No owner yet: {bulk.listed(unowned)}. Mark them (v) and press e to name one.",
                    markup=False,
                )

    @work(group="dialog")
    async def bulk_owner(self) -> None:
        if not self._can_bulk():
            return
        marked = self.marked_obligations()
        present = owners_present(a.obligation for a in self.view.assessments.values())
        owners = [name for name, _ in present]
        question = f"Owner of {self._marked_words()}:"
        owner = await self.app.push_screen_wait(OwnerForm(question, owners))
        if owner is None:
            return
        action = bulk.set_owner(marked, owner)
        if not action.targets:
            self.notify(f"Every marked item already has {action.what}.", markup=False)
            return
        await self.save_bulk(action)

    def edit_commands(self) -> list[tuple[str, Callable[[], Any], str]]:
        """The editing keys' palette entries, and the marks and bulk edits."""
        return [
            *super().edit_commands(),
            ("Triage: mark or unmark the line", self.action_toggle_mark, "v"),
            ("Triage: mark every item shown (again: clear)", self.action_mark_all, "V"),
            ("Triage: clear the marks", partial(self.set_marks, ()), "escape"),
            ("Triage: reviewed today (marked items, else this one)", self.action_review, "R"),
            ("Triage: one status for the marked items", self.bulk_status, "s with marks"),
            ("Triage: one owner for the marked items", self.bulk_owner, "e with marks"),
        ]
