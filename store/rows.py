"""Saves that cost what the edit touched, not what the file holds.

TinyDB's ``Table`` rebuilds the whole table (two dict comprehensions) on
every insert, update or remove, and the file's JSON is encoded whole on
every save: at 10,000 items that is most of an edit's time. Here a table
works on its stored rows in place and tells the storage which rows it
touched; the storage keeps every row's JSON from the last save and encodes
again only those. Any other write (an import, a migration, a merge) drops
what was kept and encodes the document whole.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping, MutableMapping
from typing import Any, Protocol, cast

import orjson
from tinydb import TinyDB
from tinydb.table import Table

Doc = dict[str, Any]
Document = dict[str, dict[str, Any]]


def encode_value(value: object) -> bytes:
    """Compact UTF-8 JSON, the bytes ``json.dumps(ensure_ascii=False, separators=(",", ":"))``
    gives for what a tracker holds (strings, whole numbers, booleans, null; a float
    may be spelt otherwise, NaN becomes null); orjson takes a few ms where json takes
    70 at 10,000 items, holding the GIL."""
    try:
        return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS)
    except (orjson.JSONEncodeError, TypeError):  # a lone surrogate, an integer past 64 bits
        return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


class EncodedRows:
    """Each table's rows as JSON pieces (``"12":{…}``), as last saved, for one document."""

    def __init__(self, always_whole: Callable[[str], bool]) -> None:
        self._always_whole = always_whole
        """Tables encoded whole at every save (the meta row, whose revision each save bumps)."""
        self._document: Document | None = None
        self._tables: dict[str, _TablePieces] = {}
        self._touched: dict[str, set[str]] = {}

    def touch(self, table: str, row_id: str) -> None:
        self._touched.setdefault(table, set()).add(row_id)

    def forget(self) -> None:
        """The document was changed other than through a table: encode it all next time."""
        self._document, self._tables = None, {}
        self._touched.clear()

    def encode(self, document: Document) -> bytes:
        if document is not self._document:
            self.forget()
            self._document = document
        # One flat list, joined once: each copy of a 10 MB file costs a millisecond.
        parts = [b"{"]
        for name, rows in document.items():
            if len(parts) > 1:
                parts.append(b",")
            parts += (encode_value(name), b":", *self._table(name, rows))
        parts.append(b"}")
        self._touched.clear()
        return b"".join(parts)

    def _table(self, name: str, rows: dict[str, Any]) -> tuple[bytes, ...]:
        if self._always_whole(name):
            return (encode_value(rows),)
        kept = self._tables.get(name)
        touched = self._touched.get(name, set())
        if kept is None or kept.rows is not rows or not kept.follow(rows, touched):
            kept = self._tables[name] = _TablePieces(rows)
        return b"{", b",".join(kept.pieces), b"}"


class _TablePieces:
    """One table's pieces in the table's order, and where each row's piece sits."""

    def __init__(self, rows: dict[str, Any]) -> None:
        self.rows = rows
        """The table they were made from: another table object under the same name
        (the table renumbered, replaced) is encoded whole."""
        self.pieces = [_piece(row_id, row) for row_id, row in rows.items()]
        self.at = {row_id: index for index, row_id in enumerate(rows)}

    def follow(self, rows: dict[str, Any], touched: set[str]) -> bool:
        """Re-encode the touched rows and add the new ones (TinyDB appends them); False
        when the table changed otherwise (a row removed): it is then encoded whole."""
        added = len(rows) - len(self.pieces)
        if added < 0:
            return False
        newest = reversed(rows)
        new_ids = [next(newest) for _ in range(added)][::-1]
        if any(row_id in self.at for row_id in new_ids):
            return False
        for row_id in touched:
            index = self.at.get(row_id)
            if index is not None:
                if row_id not in rows:
                    return False
                self.pieces[index] = _piece(row_id, rows[row_id])
            elif row_id not in new_ids:
                return False
        for row_id in new_ids:
            self.at[row_id] = len(self.pieces)
            self.pieces.append(_piece(row_id, rows[row_id]))
        return True


def _piece(row_id: str, row: Any) -> bytes:
    return encode_value(row_id) + b":" + encode_value(row)


class TouchableStorage(Protocol):
    def read(self) -> Document | None: ...

    def touch(self, table: str, row_id: str) -> None: ...

    def write_touched(self, document: Document) -> None: ...


class RowsInPlace(MutableMapping[int, Doc]):
    """A stored table as TinyDB's write operations see it (rows by whole-number id),
    changed in place; every row they reach is reported as touched."""

    def __init__(self, rows: dict[str, Doc], touch: Callable[[str], None]) -> None:
        self._rows = rows
        self._touch = touch

    def __getitem__(self, doc_id: int) -> Doc:
        row = self._rows[str(doc_id)]
        self._touch(str(doc_id))  # an update changes the row it was handed
        return row

    def __setitem__(self, doc_id: int, row: Doc) -> None:
        self._rows[str(doc_id)] = row
        self._touch(str(doc_id))

    def __delitem__(self, doc_id: int) -> None:
        del self._rows[str(doc_id)]
        self._touch(str(doc_id))

    def __contains__(self, doc_id: object) -> bool:
        return str(doc_id) in self._rows

    def __iter__(self) -> Iterator[int]:
        return (int(row_id) for row_id in self._rows)

    def __len__(self) -> int:
        return len(self._rows)


class RowTable(Table):
    """TinyDB's table, writing its rows in place (see the module's docstring)."""

    def _update_table(self, updater: Callable[[dict[int, Mapping[Any, Any]]], None]) -> None:
        storage = cast(TouchableStorage, self._storage)  # ours, which TinyDB types as its own
        tables = storage.read() or {}
        rows = tables.setdefault(self.name, {})
        # TinyDB's updaters only index, assign, delete and iterate: a mapping is enough.
        in_place = RowsInPlace(rows, lambda row_id: storage.touch(self.name, row_id))
        updater(cast(dict[int, Mapping[Any, Any]], in_place))
        storage.write_touched(tables)
        self.clear_cache()


class RowDB(TinyDB):
    table_class = RowTable
