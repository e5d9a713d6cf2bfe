"""What the screen shows, computed from one tracker snapshot: no Textual here.

A view is built once when the app opens, then each save builds the next one
on the store's worker thread from the last (``updated``), re-assessing only
what the edit touched. A view never changes once handed to the UI thread,
so panes read it while the next save is written.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import islice

from store.model import (
    Change,
    Group,
    MeetingSeries,
    Obligation,
    PlanInfo,
    PlanReference,
    Section,
    Session,
)
from store.report import Counts
from store.schedule import Assessment, DueOccurrence, OccurrenceState, Outlook, assess
from store.snapshot import TrackerSnapshot
from tui.filters import TreeFilter, searchable

AGENDA_DAYS = 42
"""How far ahead the agenda looks: the coming six weeks."""
FILTERS_KEPT = 16
"""What the last few filters let through is kept per view: a search typed on looks only
among what its start found, and backspace or escape finds its list made already."""


@dataclass(frozen=True)
class DueItem:
    """One occurrence on one day, for the calendar and the agenda."""

    assessment: Assessment
    due: DueOccurrence

    @property
    def key(self) -> str:
        return self.assessment.key

    @property
    def day(self) -> date:
        assert self.due.due is not None
        return self.due.due


@dataclass(frozen=True)
class AgendaLine:
    """One obligation in one agenda section: its earliest date there, and how many more."""

    obligation: Obligation
    state: OccurrenceState
    """The state of its occurrences in that section."""
    days: tuple[date, ...]
    """Due dates of its occurrences in that section, earliest first."""

    @property
    def key(self) -> str:
        return self.obligation.key

    @property
    def day(self) -> date:
        return self.days[0]

    @property
    def more(self) -> int:
        """Further occurrences in the section after the first (``+N`` on the line)."""
        return len(self.days) - 1


@dataclass(frozen=True)
class AgendaSections:
    """The coming weeks at a glance, one line per obligation in each section.

    ``overdue`` and ``due_soon`` are the rows that ``Counts.of`` counts, so the
    headings agree with the header and with ``status``.
    """

    overdue: tuple[AgendaLine, ...] = ()
    due_soon: tuple[AgendaLine, ...] = ()
    later: tuple[AgendaLine, ...] = ()
    """Occurrences after the due-soon window, within ``AGENDA_DAYS`` of today."""


class SearchFolds:
    """Each item's folded search text, made when a search (or the search bar, opening)
    first asks for it, and shared by every view.

    Kept by obligation identity: an edited item is a new record, so its old
    fold is never used. Only the UI thread reads and writes it.
    """

    def __init__(self) -> None:
        self._folded: dict[str, tuple[Obligation, str]] = {}

    def of(self, obligation: Obligation, groups: Mapping[str, Group]) -> str:
        cached = self._folded.get(obligation.key)
        if cached is not None and cached[0] is obligation:
            return cached[1]
        folded = searchable(obligation, groups)
        self._folded[obligation.key] = (obligation, folded)
        return folded


@dataclass(frozen=True)
class AssessmentDates:
    """What one assessment puts on the calendar and in the agenda."""

    items: tuple[DueItem, ...]
    overdue: AgendaLine | None
    due_soon: AgendaLine | None
    later: AgendaLine | None
    """Its upcoming dates within ``AGENDA_DAYS``."""


class DatesCache:
    """Each assessment's dates and agenda lines, made once and handed from view to view:
    after a save only the items it touched are worked out again (at 10,000 items,
    making them all took 50 ms per save)."""

    def __init__(self) -> None:
        self._made: dict[str, tuple[Assessment, date, AssessmentDates]] = {}

    def of(self, assessment: Assessment, today: date) -> AssessmentDates:
        made = self._made.get(assessment.key)
        if made is not None and made[0] is assessment and made[1] == today:
            return made[2]
        dated = _dated(assessment, today)
        self._made[assessment.key] = (assessment, today, dated)
        return dated


def _dated(assessment: Assessment, today: date) -> AssessmentDates:
    obligation = assessment.obligation
    items = tuple(DueItem(assessment, due) for due in assessment.occurrences if due.due)

    def line(state: OccurrenceState, last: date | None = None) -> AgendaLine | None:
        days = tuple(
            item.day
            for item in items
            if item.due.state is state and (last is None or item.day <= last)
        )
        return AgendaLine(obligation, state, days) if days else None

    return AssessmentDates(
        items,
        line(OccurrenceState.OVERDUE),
        line(OccurrenceState.DUE_SOON),
        line(OccurrenceState.UPCOMING, today + timedelta(days=AGENDA_DAYS)),
    )


class TrackerView:
    """Everything the main screen shows, derived from one snapshot and one *today*."""

    def __init__(
        self,
        records: TrackerSnapshot,
        outlook: Outlook,
        *,
        assessments: dict[str, Assessment] | None = None,
        folds: SearchFolds | None = None,
        dates: DatesCache | None = None,
        paths: dict[str, tuple[str, ...]] | None = None,
        serial: int = 0,
    ) -> None:
        """``assessments``: already made for ``records`` (else every item is assessed);
        ``serial``: how many views came before this one (a newer view has a higher one)."""
        self.serial = serial
        self.records = records
        self.outlook = outlook
        # What panes read most, at hand (the records never change, so neither do these).
        self.plan: PlanInfo = records.plan
        self.plans: Mapping[int, PlanInfo] = records.plans
        self.meetings: Mapping[str, MeetingSeries] = records.meetings
        self.reference: PlanReference = records.reference
        self.read_only = records.read_only
        self.groups: dict[str, Group] = {g.key: g for g in records.reference.groups}
        self._folds = folds or SearchFolds()
        self._paths: dict[str, tuple[str, ...]] = {} if paths is None else paths
        """Group key → its path; groups do not move within a plan, so this is never stale."""
        if assessments is None:
            assessments = {o.key: self._assess(o) for o in records}
        self.assessments = assessments
        self._dates = dates or DatesCache()
        self._by_day = self._index_days()
        self._agenda = self._agenda_sections()
        # Made on first use and kept: a view never changes (only the UI thread reads these).
        self._counts: Counts | None = None
        self._members: dict[str, list[Assessment]] | None = None
        self._urgent: dict[str, tuple[bool, bool]] | None = None
        self._visible: dict[TreeFilter, list[Assessment]] = {}
        self._group_counts: dict[str, Counts] = {}
        self._texts: dict[str, str] | None = None

    def updated(self, records: TrackerSnapshot, keys: Iterable[str] | None = None) -> TrackerView:
        """The view of ``records``, re-assessing only ``keys`` (every item when None,
        or when the plan year or the meetings changed)."""
        same_plan = records.year == self.records.year
        if (
            keys is None
            or not same_plan
            or records.meetings != self.records.meetings  # a moved meeting moves deadlines
            or records.plan != self.records.plan
        ):
            paths = self._paths if same_plan else None
            return TrackerView(
                records, self.outlook, folds=self._folds, paths=paths, serial=self.serial + 1
            )
        assessments = dict(self.assessments)
        for key in keys:
            obligation = records.get(key)
            if obligation is None:  # deleted
                assessments.pop(key, None)
            else:
                assessments[key] = self._assess(obligation, records)
        if len(assessments) != len(records):  # added or deleted: keep plan order
            assessments = {
                o.key: assessments.get(o.key) or self._assess(o, records) for o in records
            }
        view = TrackerView(
            records,
            self.outlook,
            assessments=assessments,
            folds=self._folds,
            dates=self._dates,
            paths=self._paths,
            serial=self.serial + 1,
        )
        view._derive_from(self)
        return view

    def _derive_from(self, old: TrackerView) -> None:
        """What the screen reads after every save (each item's urgency, the counts), made
        here on the store's thread from ``old``'s: on the UI thread it held the screen
        for 50 ms at 10,000 items."""
        urgent = dict(old._urgency())
        changed = self.changed_since(old)
        for assessment in changed:
            urgent[assessment.key] = _urgency_of(assessment)
        gone = [old.assessments[key] for key in urgent.keys() - self.assessments.keys()]
        for assessment in gone:
            del urgent[assessment.key]
        self._urgent = urgent
        before = [old.assessments[a.key] for a in changed if a.key in old.assessments]
        self._counts = old.counts() - Counts.of(before + gone) + Counts.of(changed)

    def has_lines_of(self, old: TrackerView) -> bool:
        """Whether this view shows the items of ``old`` under the same groups (only what
        each line says may differ)."""
        return (
            old.records.year == self.records.year
            and old.meetings == self.meetings
            and old.assessments.keys() == self.assessments.keys()
        )

    def changed_since(self, old: TrackerView) -> list[Assessment]:
        """The assessments made anew since ``old`` (an edit's items, and only those)."""
        return [a for k, a in self.assessments.items() if old.assessments.get(k) is not a]

    def _assess(self, obligation: Obligation, records: TrackerSnapshot | None = None) -> Assessment:
        records = records or self.records
        return assess(obligation, records.plan, records.meetings, self.outlook)

    @property
    def today(self) -> date:
        return self.outlook.today

    # -- what panes read of the records -----------------------------------------

    def obligation(self, key: str) -> Obligation | None:
        return self.records.get(key)

    def search_text(self, key: str) -> str:
        """What a search matches in an item (its group titles too), folded."""
        # Folded on first use, not at start: most sessions never search 10,000 items.
        obligation = self.records.get(key)
        return "" if obligation is None else self._folds.of(obligation, self.groups)

    def _search_texts(self) -> dict[str, str]:
        """Every item's folded search text by key (folded at the first search, then kept)."""
        if self._texts is None:
            self._texts = {
                key: self._folds.of(a.obligation, self.groups)
                for key, a in self.assessments.items()
            }
        return self._texts

    def fold_ahead(self, start: int, count: int) -> int:
        """Fold the search text of the items from ``start`` (plan order) to ``start + count``
        ahead of a search; returns where to go on (the number of items once all are)."""
        if self._texts is None:
            for assessment in islice(self.assessments.values(), start, start + count):
                self._folds.of(assessment.obligation, self.groups)
        return len(self.assessments) if self._texts else min(start + count, len(self.assessments))

    def changes(self, key: str) -> list[Change]:
        return self.records.changes(key)

    # -- indexes -----------------------------------------------------------------

    def _index_days(self) -> dict[date, list[DueItem]]:
        by_day: dict[date, list[DueItem]] = defaultdict(list)
        for assessment in self.assessments.values():
            for item in self._dates.of(assessment, self.today).items:
                by_day[item.day].append(item)
        return dict(by_day)

    def _agenda_sections(self) -> AgendaSections:
        overdue: list[AgendaLine] = []
        due_soon: list[AgendaLine] = []
        later: list[AgendaLine] = []
        for assessment in self.assessments.values():
            dated = self._dates.of(assessment, self.today)
            for found, line in ((overdue, dated.overdue), (due_soon, dated.due_soon)):
                if line is not None:
                    found.append(line)
            if dated.later is not None:
                later.append(dated.later)
        # As ``urgent_rows`` orders them (oldest first, ties in plan order), so the
        # agenda lists what ``status`` lists.
        overdue.sort(key=lambda line: line.day)
        due_soon.sort(key=lambda line: line.day)
        later.sort(key=lambda line: (line.day, line.obligation.order))
        return AgendaSections(tuple(overdue), tuple(due_soon), tuple(later))

    # -- structure ---------------------------------------------------------

    def group_path(self, obligation: Obligation) -> tuple[str, ...]:
        """Section, then each enclosing group key, outermost first."""
        cached = self._paths.get(obligation.group)
        if cached is None:
            cached = self._paths[obligation.group] = self._path_of(obligation)
        return cached

    def _path_of(self, obligation: Obligation) -> tuple[str, ...]:
        path = [obligation.group]
        group = self.groups.get(obligation.group)
        while group is not None and group.parent:
            path.insert(0, group.parent)
            group = self.groups.get(group.parent)
        return (obligation.section.value, *path)

    def group_depth(self, group: Group) -> int:
        """Lines above a group's line: its section and each enclosing group."""
        depth, parent = 1, group.parent
        while parent and depth < 10:  # a hand-edited file may loop
            depth += 1
            parent = self.groups[parent].parent if parent in self.groups else None
        return depth

    def sections(self) -> list[Section]:
        return [Section.MANDATES, Section.PROGRAMMES]

    def top_groups(self, section: Section) -> list[Group]:
        return [g for g in self.groups.values() if g.section is section and g.parent is None]

    def child_groups(self, parent: str) -> list[Group]:
        return [g for g in self.groups.values() if g.parent == parent]

    def visible(self, tree_filter: TreeFilter) -> list[Assessment]:
        """Obligations the filter lets through, in plan order (the list is shared: not to
        be changed)."""
        if not tree_filter.active:
            return list(self.assessments.values())
        found = self._visible.get(tree_filter)
        if found is not None:
            return found
        # A filter that only narrows one already applied looks among what that one found.
        narrower = [shown for wider, shown in self._visible.items() if tree_filter.narrows(wider)]
        candidates: Iterable[Assessment] = self.assessments.values()
        shortest: list[Assessment] = min(narrower, key=len) if narrower else []
        if narrower:
            candidates = shortest
        found = tree_filter.select(
            candidates, self._search_texts, lambda a: self.group_path(a.obligation)
        )
        if narrower and len(found) == len(shortest):
            found = shortest  # the same items: the same list (the tree sees nothing changed)
        if len(self._visible) >= FILTERS_KEPT:
            del self._visible[next(iter(self._visible))]
        self._visible[tree_filter] = found
        return found

    def members(self, group_key: str) -> list[Assessment]:
        """The items under a group, at any depth, in plan order (shared: not to be changed)."""
        if self._members is None:
            members: dict[str, list[Assessment]] = defaultdict(list)
            for assessment in self.assessments.values():
                for key in self.group_path(assessment.obligation):
                    members[key].append(assessment)
            self._members = dict(members)
        return self._members.get(group_key, [])

    def counts_under(self, group_key: str) -> Counts:
        """The counts of a group's or a section's items (made once per view)."""
        counts = self._group_counts.get(group_key)
        if counts is None:
            counts = self._group_counts[group_key] = Counts.of(self.members(group_key))
        return counts

    def urgency(self, key: str) -> tuple[bool, bool]:
        """Whether an item is overdue, and whether it is due soon (made once per view)."""
        return self._urgency().get(key, (False, False))

    def _urgency(self) -> dict[str, tuple[bool, bool]]:
        if self._urgent is None:
            self._urgent = {k: _urgency_of(a) for k, a in self.assessments.items()}
        return self._urgent

    # -- dates ---------------------------------------------------------------

    def due_on(self, day: date) -> list[DueItem]:
        return self._by_day.get(day, [])

    def days_with_dues(self, first: date, last: date) -> dict[date, list[DueItem]]:
        return {day: items for day, items in self._by_day.items() if first <= day <= last}

    def agenda(self) -> AgendaSections:
        """Overdue, due soon and later in the coming weeks, one line per obligation."""
        return self._agenda

    def agenda_day(self, day: date) -> list[AgendaLine]:
        """What falls due on ``day``, one line per obligation."""
        found: dict[str, AgendaLine] = {}
        for item in self.due_on(day):
            if item.key not in found:
                found[item.key] = AgendaLine(item.assessment.obligation, item.due.state, (day,))
        return list(found.values())

    def sessions_between(self, first: date, last: date) -> list[tuple[MeetingSeries, Session]]:
        """Sessions with dates of their own that overlap ``first``..``last``, by first day."""
        found = [
            (series, session)
            for series in self.meetings.values()
            for session in series.sessions
            if session.start is not None
            and session.start <= last
            and (session.last_day or session.start) >= first
        ]
        return sorted(found, key=lambda pair: (pair[1].start or first, pair[0].key))

    def counts(self) -> Counts:
        if self._counts is None:
            self._counts = Counts.of(self.assessments.values())
        return self._counts


def _urgency_of(assessment: Assessment) -> tuple[bool, bool]:
    return bool(assessment.overdue), bool(assessment.due_soon)
