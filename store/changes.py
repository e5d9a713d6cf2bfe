"""What the change log keeps of an edit: the fields that changed, not two whole records.

An edit is stored as two partial records, ``before`` and ``after``, holding
only the fields that differ. Growing lists (notes, completions, sessions)
keep only the elements removed (in ``before``) and added (in ``after``), so
800 notes make a log that grows by one note per entry, not by the whole list.
Undoing an edit applies the same diff with the two sides swapped.
"""

from __future__ import annotations

import copy
from typing import Any

Doc = dict[str, Any]

ELEMENT_FIELDS: dict[str, str | None] = {"notes": "at", "completions": None, "sessions": "year"}
"""List fields stored element by element, with the element field that orders them (None:
the order they were added in)."""


def diff(before: Doc, after: Doc) -> tuple[Doc, Doc]:
    """(the changed fields as they were, as they became)."""
    old: Doc = {}
    new: Doc = {}
    for name in sorted(set(before) | set(after)):
        was, now = before.get(name), after.get(name)
        if was == now:
            continue
        if name in ELEMENT_FIELDS and isinstance(was, list) and isinstance(now, list):
            old[name], new[name] = _without(was, now), _without(now, was)
        else:
            old[name], new[name] = was, now
    return old, new


def _without(items: list[Any], others: list[Any]) -> list[Any]:
    """``items`` less one element for each equal one in ``others`` (a multiset difference:
    two identical notes are two notes)."""
    remaining = list(items)
    for other in others:
        if other in remaining:
            remaining.remove(other)
    return remaining


def apply(record: Doc, before: Doc, after: Doc) -> Doc:
    """``record`` with an edit made: ``before`` → ``after`` (swap them to undo it)."""
    result = copy.deepcopy(record)
    for name, value in after.items():
        if name in ELEMENT_FIELDS and isinstance(value, list):
            items = _without(list(result.get(name) or []), before.get(name) or [])
            items += copy.deepcopy(value)
            order = ELEMENT_FIELDS[name]
            if order is not None:
                items.sort(key=lambda item: str(item.get(order, "")))
            result[name] = items
        else:
            result[name] = copy.deepcopy(value)
    return result
