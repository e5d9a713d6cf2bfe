"""Tables written in place and saves that encode only the rows touched (store.rows).

Every test of the suite also checks each save against the whole document's
encoding (tests/conftest.py); these check the pieces on their own.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tinydb import TinyDB
from tinydb.storages import MemoryStorage as TinyMemory

from store.editing import Editor
from store.repository import Tracker
from store.rows import EncodedRows, RowDB, encode_value
from store.storage import MemoryStorage

Operation = tuple[str, int, dict[str, Any]]

operations = st.lists(
    st.tuples(
        st.sampled_from(["insert", "update", "remove"]),
        st.integers(min_value=1, max_value=6),
        st.dictionaries(st.sampled_from("abc"), st.integers(0, 9) | st.text(max_size=3)),
    ),
    max_size=25,
)


def apply(db: TinyDB, steps: list[Operation]) -> None:
    table = db.table("rows")
    for action, doc_id, fields in steps:
        known = doc_id in {row.doc_id for row in table.all()}
        if action == "insert":
            table.insert(fields)
        elif action == "update" and known:
            table.update(fields, doc_ids=[doc_id])
        elif action == "remove" and known:
            table.remove(doc_ids=[doc_id])


@settings(max_examples=80, deadline=None)
@given(steps=operations)
def test_a_table_written_in_place_holds_what_tinydb_would(steps: list[Operation]) -> None:
    stock = TinyDB(storage=TinyMemory)
    ours_storage = MemoryStorage({})
    ours = RowDB(storage=lambda: ours_storage)
    apply(stock, steps)
    apply(ours, steps)
    assert (ours_storage.read() or {}).get("rows", {}) == (stock.storage.read() or {}).get(
        "rows", {}
    )
    assert [row.doc_id for row in ours.table("rows").all()] == [
        row.doc_id for row in stock.table("rows").all()
    ]


@settings(max_examples=80, deadline=None)
@given(steps=operations)
def test_saves_after_any_edits_are_the_whole_documents_bytes(steps: list[Operation]) -> None:
    storage = MemoryStorage({"meta": {"1": {"schema_version": 3}}})
    encoded = EncodedRows(lambda table: table == "meta")
    storage.touch = encoded.touch  # type: ignore[method-assign]
    db = RowDB(storage=lambda: storage)
    document = storage.read()
    assert document is not None
    for step in steps:  # a save after each edit, as the tracker makes them
        apply(db, [step])
        document["meta"]["1"]["revision"] = len(steps)
        assert encoded.encode(document) == encode_value(document)


def test_a_row_changed_behind_the_tables_back_is_encoded_after_forget(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.undo()  # the suite's own check (conftest) would stop the stale save below
    document = {"rows": {"1": {"a": 1}, "2": {"a": 2}}}
    encoded = EncodedRows(lambda table: False)
    encoded.encode(document)
    document["rows"]["2"]["a"] = 3  # not reported: the next save would keep the old bytes…
    assert encoded.encode(document) != encode_value(document)
    encoded.forget()  # …which is why any write but a table's forgets them
    assert encoded.encode(document) == encode_value(document)


def test_an_edit_reaches_a_row_whose_id_was_hand_written(tmp_path: Path) -> None:
    """A file edited by hand may say ``"02"`` for row 2: TinyDB read it as 2, and edits
    must still reach that row (it is saved back as ``"2"``), not vanish on reopening."""
    path = tmp_path / "tracker.json"
    Tracker.open(path).close()
    document = json.loads(path.read_text("utf-8"))
    rows = document["obligations"]
    document["obligations"] = {("0" + k if k in {"2", "3"} else k): v for k, v in rows.items()}
    path.write_text(json.dumps(document, ensure_ascii=False), "utf-8")
    with Tracker.open(path) as tracker:
        noted, deleted = rows["2"]["key"], rows["3"]["key"]
        editor = Editor(tracker, lambda: datetime(2008, 6, 15, 9))
        editor.add_note(noted, "Relancé.", date(2008, 6, 15))
        editor.delete_obligation(deleted)
    with Tracker.open(path, read_only=True) as reopened:
        assert [note.text for note in reopened.obligation(noted).notes] == ["Relancé."]
        assert reopened.get(deleted) is None
    assert set(json.loads(path.read_text("utf-8"))["obligations"]) >= {"2"}
