"""The main screen's quick filters: the filter menu, the owner list and their palette entries."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from typing import TypeVar

from store.model import Section
from tui.filters import (
    OVERDUE,
    RECURRING,
    STATE_FILTERS,
    STATUS_FILTERS,
    FilterKind,
    QuickFilter,
    group_filter,
    my_items_filter,
    owner_filter,
    owners_present,
)
from tui.screens.filter_menu import CHOOSE_OWNER, CLEAR, FilterMenu, OwnerFilterMenu
from tui.screens.host import MainHost

T = TypeVar("T")

TOGGLED = {OVERDUE.kind: OVERDUE, RECURRING.kind: RECURRING}
"""The filters a key turns on and off (``o``, ``r``) by their keys."""
FOLD_AHEAD = 500
"""Items whose search text is folded at a time while the search bar waits for a letter."""


class Filtering:
    """Chooses the quick filter the screen applies."""

    def __init__(self, host: MainHost) -> None:
        self.host = host

    def fold_ahead(self, start: int = 0) -> None:
        """Fold the items' search text a few at a time while the user starts typing: the
        first letter finds them ready (10,000 items take a tenth of a second)."""
        view = self.host.view
        going_on = view.fold_ahead(start, FOLD_AHEAD)
        if going_on < len(view.assessments):
            self.host.app.call_later(self.fold_ahead, going_on)

    def overdue_only(self) -> None:
        self._toggle(FilterKind.OVERDUE)

    def recurring_only(self) -> None:
        self._toggle(FilterKind.RECURRING)

    def _toggle(self, kind: FilterKind) -> None:
        quick = TOGGLED[kind]
        self.host.set_quick_filter(None if self.host.quick_filter == quick else quick)

    def filter_menu(self) -> None:
        def chosen(quick: QuickFilter) -> None:
            if quick == CHOOSE_OWNER:
                self.choose_owner()
            else:
                self.host.set_quick_filter(None if quick == CLEAR else quick)

        menu = FilterMenu(self._group_filters(), self._my_items())
        self.host.app.push_screen(menu, callback=_unless_cancelled(chosen))

    def choose_owner(self) -> None:
        """Show one owner's items: chosen among the owners present, or typed."""
        obligations = [a.obligation for a in self.host.view.assessments.values()]
        unowned = sum(1 for o in obligations if not o.owner.strip())
        menu = OwnerFilterMenu(owners_present(obligations), unowned)

        def chosen(name: str) -> None:
            self.host.set_quick_filter(owner_filter(name))

        self.host.app.push_screen(menu, callback=_unless_cancelled(chosen))

    def _my_items(self) -> list[QuickFilter]:
        return [my_items_filter(self.host.owner)] if self.host.owner else []

    def _owner_filters(self) -> list[QuickFilter]:
        obligations = (a.obligation for a in self.host.view.assessments.values())
        return [owner_filter(name) for name, _ in owners_present(obligations)]

    def _group_filters(self) -> list[QuickFilter]:
        filters = [
            group_filter(Section.MANDATES.value, "Section I (mandates)"),
            group_filter(Section.PROGRAMMES.value, "Section II (programmes)"),
        ]
        for group in self.host.view.groups.values():
            if group.parent is None:
                where = "group" if group.section is Section.MANDATES else "sector"
                filters.append(group_filter(group.key, f"{where} {group.number}: {group.title}"))
        return filters

    def palette_entries(
        self, run: Callable[[Callable[[], object]], None]
    ) -> Iterator[tuple[str, Callable[[], object]]]:
        """(what it shows, how) for each quick filter; ``run`` starts what asks the user."""
        yield "all items (clear the filter)", self.host.show_every_item
        yield "owner… (choose one, or type a name)", self.choose_owner
        for quick in (
            *self._my_items(),
            *STATE_FILTERS,
            *STATUS_FILTERS,
            *self._owner_filters(),
            *self._group_filters(),
        ):
            yield quick.label, partial(self.host.set_quick_filter, quick)


def _unless_cancelled(then: Callable[[T], object]) -> Callable[[T | None], None]:
    def answered(result: T | None) -> None:
        if result is not None:
            then(result)

    return answered
