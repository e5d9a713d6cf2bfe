"""An edit made on a file that someone else changed meanwhile, re-applied on top of theirs.

``base`` is the document as this process last read or wrote it, ``mine`` the
one it was about to write, ``theirs`` what is on disk now. Records are
matched by what identifies them (a plan by year, an obligation by year and
key, a series by key), not by TinyDB's row numbers, which the two sides may
have given to different records. My edit is replayed field by field on their
record with the change log's own diff (store.changes), so two people adding
notes to one item keep both notes; the same field changed differently on
both sides is a clash, for the user to settle.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any

from store.changes import ELEMENT_FIELDS, apply, diff
from store.storage import META_TABLE, Document

Row = dict[str, Any]


def _identity(table: str) -> Callable[[Row], Hashable] | None:
    """How a row of ``table`` is recognised on both sides; None: an append-only log."""
    if table == "plans":
        return lambda row: row.get("plan", {}).get("year")
    if table == "obligations":
        return lambda row: (row.get("plan_year"), row.get("key"))
    if table == "series":
        return lambda row: row.get("key")
    if table == "changes":
        return None
    return lambda row: None  # meta and anything else: one record per table


@dataclass
class Merge:
    document: Document
    clashes: list[str] = field(default_factory=list)
    """``obligations 2008/I-1.iv: owner``: what both sides changed differently."""


def three_way_merge(
    base: Document, mine: Document, theirs: Document, *, mine_wins: bool = False
) -> Merge:
    """Their document with my changes since ``base`` made on it.

    ``mine_wins``: settle every clash my way (the user chose to keep theirs
    only where I changed nothing).
    """
    merged: Document = {META_TABLE: copy.deepcopy(theirs.get(META_TABLE, {}))}
    clashes: list[str] = []
    for table in sorted((set(base) | set(mine) | set(theirs)) - {META_TABLE}):
        identity = _identity(table)
        sides = base.get(table, {}), mine.get(table, {}), theirs.get(table, {})
        if identity is None:
            merged[table] = _appended(*sides)
        else:
            merged[table], table_clashes = _merge_table(table, identity, *sides, mine_wins)
            clashes += table_clashes
    return Merge(merged, clashes)


def _appended(base: dict[str, Row], mine: dict[str, Row], theirs: dict[str, Row]) -> dict[str, Row]:
    """Their log, then the entries I added, numbered after theirs."""
    rows = copy.deepcopy(theirs)
    next_id = max((int(i) for i in rows), default=0) + 1
    for row_id, row in mine.items():
        if row_id not in base:
            rows[str(next_id)] = copy.deepcopy(row)
            next_id += 1
    return rows


def _merge_table(
    table: str,
    identity: Callable[[Row], Hashable],
    base: dict[str, Row],
    mine: dict[str, Row],
    theirs: dict[str, Row],
    mine_wins: bool,
) -> tuple[dict[str, Row], list[str]]:
    def keyed(rows: dict[str, Row]) -> dict[Hashable, Row]:
        return {identity(row): row for row in rows.values()}

    old, ours, other = keyed(base), keyed(mine), keyed(theirs)
    result: dict[Hashable, Row | None] = {key: copy.deepcopy(row) for key, row in other.items()}
    clashes = []
    for key in list(old) + [k for k in ours if k not in old]:
        was, now, their = old.get(key), ours.get(key), other.get(key)
        if was == now:
            continue  # I did not touch it: theirs stands
        label = f"{table} {_label(key)}"
        if was is None or now is None or their is None or was == their:
            # Added, deleted, or changed only by me; or deleted by them while I changed it.
            if was != their and their != now and not mine_wins:
                what = "deleted on one side" if None in (now, their) else "added on both sides"
                clashes.append(f"{label}: {what}")
                continue
            result[key] = copy.deepcopy(now)
            continue
        row, fields = _merge_row(was, now, their, mine_wins)
        result[key] = row
        clashes += [f"{label}: {name}" for name in fields]
    rows = [row for row in result.values() if row is not None]
    return {str(number): row for number, row in enumerate(rows, 1)}, clashes


def _merge_row(was: Row, now: Row, their: Row, mine_wins: bool) -> tuple[Row, list[str]]:
    """Their record with my edit replayed on it, and the fields both changed differently."""
    my_before, my_after = diff(was, now)
    their_before, their_after = diff(was, their)
    clashing = [
        name
        for name, value in my_after.items()
        if name in their_after and name not in ELEMENT_FIELDS and value != their_after[name]
    ]
    if clashing and not mine_wins:
        return copy.deepcopy(their), clashing
    return _one_completion_each(apply(their, my_before, my_after)), [] if mine_wins else clashing


def _one_completion_each(row: Row) -> Row:
    """Both sides marked the same occurrence done: keep one completion of it (theirs,
    which comes first), as the editor never records two."""
    completions = row.get("completions")
    if not isinstance(completions, list):
        return row
    seen, kept = set(), []
    for completion in completions:
        occurrence = completion.get("occurrence") if isinstance(completion, dict) else None
        if occurrence is not None and occurrence in seen:
            continue
        seen.add(occurrence)
        kept.append(completion)
    return {**row, "completions": kept}


def _label(key: Hashable) -> str:
    if isinstance(key, tuple):
        return "/".join(str(part) for part in key)
    return "" if key is None else str(key)
