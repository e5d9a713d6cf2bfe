"""What the mandate tree shows: search text and quick filters, with no Textual.

Search is accent-, ligature- and case-insensitive ("securite" finds "sécurité",
"oeuvre" finds "œuvre") and a group's title counts for its items; each
obligation's searchable text is folded once and kept, so typing never
re-folds the whole plan.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property, lru_cache

from store.model import Group, Obligation, Status
from store.report import owner_key, same_owner
from store.schedule import Assessment
from store.text import unaccented


def fold(text: str) -> str:
    """Lower-case, accent-free text for matching."""
    return unaccented(text).casefold()


def searchable(obligation: Obligation, groups: Mapping[str, Group] | None = None) -> str:
    """Everything a search may match in an item, folded once.

    The titles of its group, programme and sector count too: "surete portuaire"
    finds every project of the Port security programme, whatever its text says.
    """
    # Titles, sources and activities repeat across items: folded once each (folding is
    # the cost of opening a big plan). Folding part by part equals folding the whole.
    shared: Iterable[str] = (
        *_group_titles(obligation.group, groups or {}),
        *obligation.sources,
        *obligation.activity,
        obligation.owner,
    )
    own: Iterable[str] = (
        obligation.number,
        obligation.key,
        obligation.title or "",
        obligation.text,
        *(note.text for note in obligation.notes),
    )
    # The item's own texts are folded in one go: one pass of the fold per item.
    return "\n".join([*(_fold_shared(part) for part in shared), fold("\n".join(own))])


@lru_cache(maxsize=4096)
def _fold_shared(text: str) -> str:
    return fold(text)


def _group_titles(key: str, groups: Mapping[str, Group]) -> list[str]:
    """The titles of a group and of each group around it, innermost first."""
    titles: list[str] = []
    seen: set[str] = set()
    group = groups.get(key)
    while group is not None and group.key not in seen:  # a hand-edited file may loop
        seen.add(group.key)
        titles.append(group.title)
        group = groups.get(group.parent) if group.parent else None
    return titles


class FilterKind(StrEnum):
    """What a quick filter looks at."""

    ALL = "all"
    CHOOSE_OWNER = "choose-owner"
    """Not a filter: the menu's line that opens the owner list."""
    OVERDUE = "overdue"
    DUE_SOON = "due-soon"
    RECURRING = "recurring"
    STALE = "stale"
    WAITING = "waiting"
    STATUS = "status"
    GROUP = "group"
    OWNER = "owner"


@dataclass(frozen=True)
class QuickFilter:
    """One named filter: what it looks at, for which value, and what the user reads."""

    kind: FilterKind
    label: str
    value: str = ""
    """The status, group key or owner name it keeps (empty for the others)."""

    @property
    def key(self) -> str:
        """What identifies it in the menu and in tests: ``overdue``, ``status:done``."""
        return f"{self.kind.value}:{self.value}" if self.kind in VALUED else self.kind.value

    def accepts(self, assessment: Assessment, group_path: tuple[str, ...]) -> bool:
        kind, value = self.kind, self.value
        if kind is FilterKind.OVERDUE:
            return bool(assessment.overdue)
        if kind is FilterKind.DUE_SOON:
            return bool(assessment.due_soon)
        if kind is FilterKind.RECURRING:
            return assessment.recurring
        if kind is FilterKind.STALE:
            return assessment.stale
        if kind is FilterKind.WAITING:
            return assessment.waiting
        if kind is FilterKind.STATUS:
            return assessment.obligation.status.value == value
        if kind is FilterKind.GROUP:
            return value in group_path
        if kind is FilterKind.OWNER:
            return same_owner(assessment.obligation.owner, value)
        return True


VALUED = frozenset({FilterKind.STATUS, FilterKind.GROUP, FilterKind.OWNER})
OVERDUE = QuickFilter(FilterKind.OVERDUE, "overdue only")
DUE_SOON = QuickFilter(FilterKind.DUE_SOON, "due soon")
RECURRING = QuickFilter(FilterKind.RECURRING, "recurring only")
STALE = QuickFilter(FilterKind.STALE, "stale (not reviewed)")
WAITING = QuickFilter(FilterKind.WAITING, "waiting for an event date")
STATE_FILTERS = (OVERDUE, DUE_SOON, RECURRING, STALE, WAITING)
STATUS_FILTERS = tuple(
    QuickFilter(FilterKind.STATUS, f"status: {s.value}", s.value) for s in Status
)
ALL_ITEMS = QuickFilter(FilterKind.ALL, "all items")
CHOOSE_OWNER = QuickFilter(FilterKind.CHOOSE_OWNER, "owner… (choose one, or type a name)")


def group_filter(key: str, label: str) -> QuickFilter:
    return QuickFilter(FilterKind.GROUP, label, key)


def owner_filter(name: str, label: str = "") -> QuickFilter:
    """Items whose owner is ``name`` (an empty name: items with no owner)."""
    name = " ".join(name.split())
    return QuickFilter(FilterKind.OWNER, label or f"owner: {name or '(none)'}", name)


def my_items_filter(owner: str) -> QuickFilter:
    """The default owner's items (``CICTE_OWNER``)."""
    return owner_filter(owner, f"my items ({' '.join(owner.split())})")


def owners_present(obligations: Iterable[Obligation]) -> list[tuple[str, int]]:
    """Each owner named in the plan (spelt as first met) with how many items it holds.

    Sorted by name; items with no owner are not counted here.
    """
    names: dict[str, str] = {}
    counts: Counter[str] = Counter()
    for obligation in obligations:
        owner = " ".join(obligation.owner.split())
        if owner:
            folded = owner_key(owner)
            names.setdefault(folded, owner)
            counts[folded] += 1
    return [(names[folded], counts[folded]) for folded in sorted(names)]


@dataclass(frozen=True)
class TreeFilter:
    """The search text and quick filter currently applied to the tree."""

    search: str = ""
    quick: QuickFilter | None = None

    @property
    def active(self) -> bool:
        return bool(self.search.strip()) or self.quick is not None

    def describe(self) -> str:
        parts = []
        if self.quick is not None:
            parts.append(self.quick.label)
        if self.search.strip():
            parts.append(f'search "{self.search.strip()}"')
        return " + ".join(parts) if parts else "all"

    @cached_property
    def words(self) -> tuple[str, ...]:
        """The search's words, folded (once per filter, not once per item)."""
        return tuple(fold(self.search).split())

    def narrows(self, wider: TreeFilter) -> bool:
        """Whether every item this filter lets through, ``wider`` lets through too.

        True when the quick filter is the same and each word of ``wider`` is part
        of a word of this one: typing on ("secu" → "securite", or a second word)
        only looks among what the search showed before.
        """
        return self.quick == wider.quick and all(
            any(word in mine for mine in self.words) for word in wider.words
        )

    def accepts(self, assessment: Assessment, folded: str, group_path: tuple[str, ...]) -> bool:
        if self.quick is not None and not self.quick.accepts(assessment, group_path):
            return False
        return all(word in folded for word in self.words)

    def select(
        self,
        candidates: Iterable[Assessment],
        folded: Callable[[], Mapping[str, str]],
        group_path: Callable[[Assessment], tuple[str, ...]],
    ) -> list[Assessment]:
        """The candidates this filter accepts, in their order: what :meth:`accepts` says of
        each, one test at a time over the list (10,000 items at each key typed).

        ``folded``: gives each item's folded search text by key (asked only for a search).
        """
        found = list(candidates)
        quick = self.quick
        if quick is not None:
            found = [a for a in found if quick.accepts(a, group_path(a))]
        if self.words:
            texts = folded()
            for word in self.words:
                found = [a for a in found if word in texts[a.obligation.key]]
        return found
