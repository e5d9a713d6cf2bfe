"""Upgrades of tracker documents written by earlier releases, one schema at a time.

Pure functions from a parsed document to a new one; the storage decides
when the result is written (after a backup of the original file).
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import date
from typing import Any

from store.changes import diff
from store.documents import plan_from_doc, series_from_doc, series_to_doc
from store.model import session_id
from store.plan_data import embedded_plan
from store.rules import EventRelative, RuleError, parse_rule
from store.schedule import occurrences

Document = dict[str, dict[str, Any]]

SCHEMA_1_EVENTS = {
    # The 0.1.0 seed's meetings, as it wrote them: unchanged ones take the
    # richer 0.2 record (title, document, alongside) instead of a bare copy.
    ("cicte-session", "2008-03-05", "2008-03-07"): (
        "Eighth Regular Session of CICTE, recorded by AG/RES. 2396 (XXXVIII-O/08)."
    ),
    ("oas-ga", "2008-06-01", "2008-06-03"): (
        "Thirty-eighth regular session of the OAS General Assembly."
    ),
    ("preparatory-meeting", "2007-11-02", "2007-11-02"): (
        "The meeting to which the draft work plan CICTE/RP/doc.2/07 was submitted."
    ),
    ("pcn-meeting", None, None): (
        "The national points of contact usually meet each year alongside the CICTE regular "
        "session (footnote 4); set the date once it is known."
    ),
}


def schema_1_to_2(document: Document) -> Document:
    """Meetings become series of dated sessions; completions get dates of their own.

    - each event becomes a series; its dates become the session of the plan
      year (a preparatory meeting the autumn before still serves that year);
    - each completion is attached to the occurrence it satisfied in the plan
      year, keeping the day it was recorded as its done date;
    - "Permanent : YYYY-YYYY" schedules read as periods of continuous work;
    - the change log keeps only what each edit changed.
    """
    migrated = copy.deepcopy(document)
    meta = next(iter(migrated["meta"].values()))
    plan_year = int(meta["plan"]["year"])
    events = migrated.pop("events", {})
    migrated["series"] = {
        row_id: _series_from_event(event, plan_year, {e["key"] for e in events.values()})
        for row_id, event in events.items()
    }
    meetings = {row["key"]: series_from_doc(row) for row in migrated["series"].values()}
    for obligation in migrated.get("obligations", {}).values():
        _migrate_obligation(obligation, meta["plan"], meetings)
    for change in migrated.get("changes", {}).values():
        _migrate_change(change)
    meta["schema_version"] = 2
    return migrated


def _series_from_event(event: dict[str, Any], plan_year: int, keys: set[str]) -> dict[str, Any]:
    key, start, end = event["key"], event.get("start"), event.get("end")
    note = event.get("note", "")
    seeded = {series.key: series for series in embedded_plan().meetings}
    if SCHEMA_1_EVENTS.get((key, start, end)) == note and key in seeded:
        return series_to_doc(seeded[key])
    sessions = []
    if start:
        first = date.fromisoformat(start)
        year = plan_year if first.year in (plan_year - 1, plan_year) else first.year
        sessions.append(
            {
                "year": year,
                "start": start,
                "end": end or start,
                "title": "",
                "place": event.get("place", ""),
                "note": note,
                "document": "",
            }
        )
    alongside = "cicte-session" if key == "pcn-meeting" and "cicte-session" in keys else None
    return {
        "key": key,
        "name": event["name"],
        "alongside": None if sessions else alongside,
        "alongside_basis": "footnote 4" if alongside and not sessions else "",
        "note": "" if sessions else note,
        "sessions": sessions,
    }


def _migrate_obligation(
    obligation: dict[str, Any], plan: dict[str, Any], meetings: dict[str, Any]
) -> None:
    rules = obligation.get("rules", [])
    if obligation.get("schedule_text", "").startswith("Permanent :") and len(rules) == 2:
        first, second = rules
        if first == "continuous" and _is_year_range(second) and "-" in second:
            obligation["rules"] = [f"period {second}"]
    obligation["completions"] = [
        _migrate_completion(c, obligation.get("rules", []), plan, meetings)
        for c in obligation.get("completions", [])
    ]


def _is_year_range(spec: str) -> bool:
    parts = spec.split("-")
    return all(part.isdigit() and len(part) == 4 for part in parts)


def _migrate_completion(
    completion: dict[str, Any], rules: list[str], plan: dict[str, Any], meetings: dict[str, Any]
) -> dict[str, Any]:
    old_key, done_on = completion["occurrence"], completion["completed_on"]
    new: dict[str, Any] = {
        "occurrence": old_key,
        "done_on": done_on,
        "due": None,
        "session": None,
        "document": "",
        "link": "",
        "outcome": "",
    }
    if not old_key.startswith("event:"):
        new["due"] = old_key  # the ISO due date it was
        return new
    _, relation, anchors = old_key.split(":", 2)
    year = int(plan["year"])
    session = session_id(anchors.split("/")[-1], year)
    new["occurrence"] = f"{session}:{relation}"
    new["session"] = session
    new["due"] = _due_of(new["occurrence"], rules, plan, meetings)
    return new


def _due_of(
    key: str, specs: list[str], plan: dict[str, Any], meetings: dict[str, Any]
) -> str | None:
    rules = []
    for spec in specs:
        try:
            rule = parse_rule(spec)
        except RuleError:
            continue
        if isinstance(rule, EventRelative):
            rules.append(rule)
    found = {o.key: o.due for o in occurrences(rules, plan_from_doc(plan), meetings)}
    due = found.get(key)
    return due.isoformat() if due is not None else None


def _migrate_change(change: dict[str, Any]) -> None:
    if change.get("target") == "event":
        change["target"] = "series"
    before, after = change.get("before"), change.get("after")
    if isinstance(before, dict) and isinstance(after, dict):
        change["before"], change["after"] = diff(before, after)


MIGRATIONS: dict[int, Callable[[Document], Document]] = {1: schema_1_to_2}
"""Version N → function upgrading a document from N to N + 1."""
