"""What the tracker holds at one moment, frozen: the records the UI reads while a save runs.

The app's saves run on a worker thread, and ``Tracker`` is not thread-safe.
After each save the worker takes a ``TrackerSnapshot`` and hands it to the
UI thread, which reads only snapshots; the queries that both sides need
(``store.editing``, ``store.plan_years``, the formats) accept either through
the ``TrackerRecords`` protocol.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from types import MappingProxyType
from typing import Protocol, TypeVar

from store.model import Change, MeetingSeries, Obligation, PlanInfo, PlanReference


class TrackerRecords(Protocol):
    """The read side of a tracker, shared by ``Tracker`` and ``TrackerSnapshot``."""

    @property
    def year(self) -> int: ...

    @property
    def plan(self) -> PlanInfo: ...

    @property
    def plans(self) -> Mapping[int, PlanInfo]: ...

    @property
    def reference(self) -> PlanReference: ...

    @property
    def meetings(self) -> Mapping[str, MeetingSeries]: ...

    @property
    def read_only(self) -> bool: ...

    def __iter__(self) -> Iterator[Obligation]: ...

    def __len__(self) -> int: ...

    def get(self, key: str) -> Obligation | None: ...

    def obligation(self, key: str) -> Obligation: ...

    def find(self, identifier: str) -> Obligation | None: ...

    def obligations_of(self, year: int) -> Mapping[str, Obligation]: ...

    def every_obligation(self) -> Iterator[Obligation]: ...

    def reference_of(self, year: int) -> PlanReference: ...

    def changes(self, key: str | None = None) -> list[Change]: ...


class ReadsRecords:
    """The read queries of ``TrackerRecords``, answered from a few mappings; shared by the
    live ``Tracker`` and ``TrackerSnapshot`` so that both answer alike."""

    year: int
    """The active plan year."""
    plans: Mapping[int, PlanInfo]
    """Every plan by year, oldest first."""
    references: Mapping[int, PlanReference]
    by_year: Mapping[int, Mapping[str, Obligation]]
    change_log: Sequence[Change]
    """Every change, oldest first."""
    changes_by_key: Mapping[str, Sequence[Change]]
    meetings: Mapping[str, MeetingSeries]
    path: Path | None
    read_only: bool
    warnings: Sequence[str]
    """Lasting problems to show while the tracker is open (read-only, no backup)."""

    def snapshot(self) -> TrackerSnapshot:
        """The records as they are now, frozen: what another thread may read while the
        tracker is written."""
        return TrackerSnapshot(
            self.year,
            frozen_mapping(self.plans),
            frozen_mapping(self.references),
            frozen_mapping({year: frozen_mapping(o) for year, o in self.by_year.items()}),
            frozen_mapping(self.meetings),
            tuple(self.change_log),
            self.path,
            self.read_only,
            tuple(self.warnings),
        )

    @property
    def plan(self) -> PlanInfo:
        """The active plan."""
        return self.plans[self.year]

    @property
    def reference(self) -> PlanReference:
        return self.references[self.year]

    @property
    def obligations(self) -> Mapping[str, Obligation]:
        """The active plan's obligations by key, in plan order."""
        return self.by_year[self.year]

    def __iter__(self) -> Iterator[Obligation]:
        return iter(self.obligations.values())

    def __len__(self) -> int:
        return len(self.obligations)

    def get(self, key: str) -> Obligation | None:
        """By stable key exactly, or None."""
        return self.obligations.get(key)

    def obligation(self, key: str) -> Obligation:
        return self.obligations[key]

    def find(self, identifier: str) -> Obligation | None:
        """By stable key (``I-1.vii``) or by the plan's numbering (``1.vii``)."""
        identifier = identifier.strip()
        return self.get(identifier) or self.get(f"I-{identifier}")

    def obligations_of(self, year: int) -> Mapping[str, Obligation]:
        return self.by_year.get(year, {})

    def every_obligation(self) -> Iterator[Obligation]:
        """The obligations of every plan year, oldest year first."""
        for year in self.plans:
            yield from self.by_year[year].values()

    def reference_of(self, year: int) -> PlanReference:
        return self.references[year]

    def changes(self, key: str | None = None) -> list[Change]:
        """The change log, oldest first; one record's changes (in the active plan) by ``key``."""
        if key is None:
            return list(self.change_log)
        return [
            change
            for change in self.changes_by_key.get(key, ())
            if change.target != "obligation" or change.plan in (None, self.year)
        ]


@dataclass(frozen=True, eq=False)
class TrackerSnapshot(ReadsRecords):
    """A tracker's records as they were after one save: never changes afterwards.

    Built by ``Tracker.snapshot()``; cheap enough to take after every edit
    (the records are frozen dataclasses already, only the indexes are copied).
    """

    year: int
    plans: Mapping[int, PlanInfo]
    references: Mapping[int, PlanReference]
    by_year: Mapping[int, Mapping[str, Obligation]]
    meetings: Mapping[str, MeetingSeries]
    change_log: tuple[Change, ...]
    path: Path | None = None
    read_only: bool = False
    warnings: tuple[str, ...] = field(default=())

    @cached_property
    def changes_by_key(self) -> Mapping[str, Sequence[Change]]:  # type: ignore[override]
        # Indexed on the first look at an item's history, not on every save.
        by_key: dict[str, list[Change]] = {}
        for change in self.change_log:
            by_key.setdefault(change.key, []).append(change)
        return by_key

    def selecting(self, year: int) -> TrackerSnapshot:
        """The same records with another plan year active."""
        if year not in self.plans:
            held = ", ".join(str(y) for y in self.plans)
            raise KeyError(f"the tracker holds no {year} plan (it holds {held})")
        return TrackerSnapshot(
            year,
            self.plans,
            self.references,
            self.by_year,
            self.meetings,
            self.change_log,
            self.path,
            self.read_only,
            self.warnings,
        )


K = TypeVar("K")
V = TypeVar("V")


def frozen_mapping(source: Mapping[K, V]) -> Mapping[K, V]:
    """A read-only copy: later writes to ``source`` do not show through."""
    return MappingProxyType(dict(source))
