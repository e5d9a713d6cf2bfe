"""The screen's state, computed from the store once and kept: no Textual here.

Assessments, search folds and the calendar index are built when the app
opens and refreshed only for what an edit touched, so moving around never
recomputes the plan.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

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
from store.report import Counts, urgent_rows
from store.repository import Tracker
from store.schedule import Assessment, DueOccurrence, OccurrenceState, Outlook, assess
from tui.filters import TreeFilter, searchable

AGENDA_DAYS = 42
"""How far ahead the agenda looks: the coming six weeks."""


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


class TrackerView:
    """Everything the main screen shows, derived from one tracker and one *today*."""

    def __init__(self, tracker: Tracker, outlook: Outlook) -> None:
        self.tracker = tracker
        self.outlook = outlook
        self.groups: dict[str, Group] = {g.key: g for g in tracker.reference.groups}
        self.assessments: dict[str, Assessment] = {}
        self._folded: dict[str, str] = {}
        self._by_day: dict[date, list[DueItem]] = {}
        self._agenda = AgendaSections()
        self._paths: dict[str, tuple[str, ...]] = {}
        """Group key → its path; groups do not move, so this is never stale."""
        self.refresh()

    @property
    def today(self) -> date:
        return self.outlook.today

    # -- what panes read of the store (they never hold the tracker themselves) --

    @property
    def plan(self) -> PlanInfo:
        return self.tracker.plan

    @property
    def meetings(self) -> Mapping[str, MeetingSeries]:
        return self.tracker.meetings

    @property
    def reference(self) -> PlanReference:
        return self.tracker.reference

    @property
    def read_only(self) -> bool:
        return self.tracker.read_only

    def obligation(self, key: str) -> Obligation | None:
        return self.tracker.get(key)

    def search_text(self, key: str) -> str:
        """What a search matches in an item (its group titles too), folded."""
        # Folded on first use, not at start: most sessions never search 10,000 items.
        folded = self._folded.get(key)
        if folded is None:
            obligation = self.tracker.get(key)
            if obligation is None:
                return ""
            folded = self._folded[key] = searchable(obligation, self.groups)
        return folded

    def changes(self, key: str) -> list[Change]:
        return self.tracker.changes(key)

    # -- recomputation -----------------------------------------------------

    def refresh(self, keys: Iterable[str] | None = None) -> None:
        """Re-assess the given obligations (all when None) after an edit."""
        tracker = self.tracker
        if keys is None:
            self.assessments = {}
            self._folded = {}
            keys = [o.key for o in tracker]
        for key in keys:
            obligation = tracker.get(key)
            if obligation is None:  # deleted
                self.assessments.pop(key, None)
                self._folded.pop(key, None)
                continue
            self.assessments[key] = assess(obligation, tracker.plan, tracker.meetings, self.outlook)
            self._folded.pop(key, None)  # folded again when a search needs it
        self._index_days()

    def _index_days(self) -> None:
        by_day: dict[date, list[DueItem]] = defaultdict(list)
        for assessment in self.assessments.values():
            for due in assessment.occurrences:
                if due.due is not None:
                    by_day[due.due].append(DueItem(assessment, due))
        self._by_day = dict(by_day)
        self._agenda = self._agenda_sections()

    def _agenda_sections(self) -> AgendaSections:
        rows = urgent_rows(self.assessments.values(), self.meetings)
        lines = {
            state: tuple(
                AgendaLine(row.obligation, state, tuple(d.due for d in row.dues if d.due))
                for row in rows
                if row.state is state
            )
            for state in (OccurrenceState.OVERDUE, OccurrenceState.DUE_SOON)
        }
        horizon = self.today + timedelta(days=AGENDA_DAYS)
        later = []
        for assessment in self.assessments.values():
            days = tuple(
                d.due
                for d in assessment.occurrences
                if d.state is OccurrenceState.UPCOMING and d.due and d.due <= horizon
            )
            if days:
                later.append(AgendaLine(assessment.obligation, OccurrenceState.UPCOMING, days))
        later.sort(key=lambda line: (line.day, line.obligation.order))
        return AgendaSections(
            lines[OccurrenceState.OVERDUE], lines[OccurrenceState.DUE_SOON], tuple(later)
        )

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

    def sections(self) -> list[Section]:
        return [Section.MANDATES, Section.PROGRAMMES]

    def top_groups(self, section: Section) -> list[Group]:
        return [g for g in self.groups.values() if g.section is section and g.parent is None]

    def child_groups(self, parent: str) -> list[Group]:
        return [g for g in self.groups.values() if g.parent == parent]

    def visible(self, tree_filter: TreeFilter) -> list[Assessment]:
        """Obligations the filter lets through, in plan order."""
        if not tree_filter.active:
            return list(self.assessments.values())
        searching = bool(tree_filter.search.strip())  # only a search needs the folded text
        return [
            assessment
            for key, assessment in self.assessments.items()
            if tree_filter.accepts(
                assessment,
                self.search_text(key) if searching else "",
                self.group_path(assessment.obligation),
            )
        ]

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
        return Counts.of(self.assessments.values())
