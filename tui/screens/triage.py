"""Triage in bulk: marks in the tree and the edits that apply to every marked item.

``v`` marks a line (a group line: its items), ``V`` every item shown,
escape clears the marks. ``R`` marks the marked items reviewed today;
``s`` and ``e`` with marks set one status or one owner on all of them after
one dialog that names them. Each bulk action is one grouped edit: one
write, one undo step, one change-log entry per item (see ``store.bulk``).
"""

from __future__ import annotations

from store import bulk
from store.model import Obligation, Status
from store.validation import OWNER_NEEDED
from tui.filters import owners_present
from tui.nodes import NodeKind
from tui.screens.dialogs import OwnerForm, StatusChoice
from tui.screens.host import Later, MainHost, open_then, selected_obligation
from tui.screens.item_editing import ItemEditing


class Triage:
    """The marks (the screen owns them; the tree shows them) and the bulk edits; each
    method runs the command of the same id."""

    def __init__(self, host: MainHost, editing: ItemEditing) -> None:
        self.host = host
        self.editing = editing

    # -- marks -------------------------------------------------------------------

    def toggle_mark(self) -> None:
        """Mark the line under the cursor (a group: its items shown), or unmark it."""
        host = self.host
        keys = host.keys_under_cursor()
        if not keys:
            return
        if host.marks.issuperset(keys):
            host.set_marks(host.marks.difference(keys))
        else:
            host.set_marks(host.marks.union(keys))
        ref = host.selected_ref()
        if ref is not None and ref.kind is NodeKind.OBLIGATION:
            host.cursor_down()  # v v v marks a run of lines

    def mark_all(self) -> None:
        """Mark every item the filter shows; when they all are, clear the marks."""
        shown = self.host.shown_keys()
        if shown and not self.host.marks.issuperset(shown):
            self.host.set_marks(self.host.marks.union(shown))
        else:
            self.host.set_marks(())

    def hidden_marks(self) -> int:
        """Marked items the filter does not show."""
        return len(self.host.marks - set(self.host.shown_keys()))

    def marked_obligations(self) -> list[Obligation]:
        found = (self.host.view.obligation(key) for key in self.host.marks)
        return bulk.in_plan_order(o for o in found if o is not None)

    def _marked_words(self) -> str:
        """``the 12 marked items (1.i, 1.iii, …)``, and how many the filter hides."""
        marked = self.marked_obligations()
        words = f"the {bulk.items(len(marked))} marked ({bulk.listed([o.number for o in marked])})"
        if hidden := self.hidden_marks():
            words += f", {hidden} of them hidden by the filter"
        return words

    # -- bulk edits --------------------------------------------------------------

    async def _save_bulk(self, action: bulk.Bulk) -> bool:
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
        if await self.host.link.save(action.run, said=said) is None:
            return False
        self.host.set_marks(())
        return True

    def review(self) -> Later:
        """Mark the marked items reviewed today (none marked: the item under the cursor)."""
        if self.host.marks:
            targets = self.marked_obligations()
        elif (obligation := selected_obligation(self.host)) is not None:
            targets = [obligation]
        else:
            return None
        action = bulk.review(targets, self.host.view.today)
        if not action.targets:
            numbers = bulk.listed([o.number for o in action.unchanged])
            self.host.notify(f"Already reviewed today: {numbers}.", markup=False)
            return None
        return self._save_bulk(action)

    def clear_marks(self) -> None:
        self.host.set_marks(())

    def cycle_status(self) -> Later:
        """``s``: with marks, one status for all of them; else the next status of this item."""
        return self.bulk_status() if self.host.marks else self.editing.cycle_status()

    def edit(self) -> Later:
        """``e``: with marks, one owner for all of them; else the edit form of this item."""
        return self.bulk_owner() if self.host.marks else self.editing.edit()

    def _no_marks(self) -> bool:
        if not self.host.marks:
            self.host.notify("Mark items first: v marks a line, V every item shown.", markup=False)
        return not self.host.marks

    def bulk_status(self) -> Later:
        if self._no_marks():
            return None
        marked, today = self.marked_obligations(), self.host.view.today

        async def chosen(status: Status) -> None:
            action = bulk.set_status(marked, status, today)
            if not action.targets:
                self.host.notify(f"Every marked item is already {status.value}.", markup=False)
                return
            if await self._save_bulk(action) and status in OWNER_NEEDED:
                unowned = [o.number for o in action.targets if not o.owner]
                if unowned:
                    self.host.notify(
                        f"No owner yet: {bulk.listed(unowned)}. "
                        "Mark them (v) and press e to name one.",
                        markup=False,
                    )

        question = f"Status for {self._marked_words()}?"
        return open_then(self.host, StatusChoice(question), chosen)

    def bulk_owner(self) -> Later:
        if self._no_marks():
            return None
        marked = self.marked_obligations()
        present = owners_present(a.obligation for a in self.host.view.assessments.values())

        def chosen(owner: str) -> Later:
            action = bulk.set_owner(marked, owner)
            if not action.targets:
                self.host.notify(f"Every marked item already has {action.what}.", markup=False)
                return None
            return self._save_bulk(action)

        question = f"Owner of {self._marked_words()}:"
        return open_then(self.host, OwnerForm(question, [name for name, _ in present]), chosen)
