"""The tracker file is never lost, half-written, silently repaired or shared by two writers."""

import json
import os
from dataclasses import replace
from datetime import date, datetime

import pytest

from store.backups import rotating_backups
from store.model import Completion, Evidence, MeetingSeries, Note, Session, Status
from store.plan_data import embedded_plan
from store.repository import Tracker
from store.storage import SCHEMA_VERSION, StoreCorrupt, StoreError, StoreLocked, StoreTooNew


def test_first_open_seeds_the_file_with_the_embedded_plan(db_path):
    with Tracker.open(db_path) as tracker:
        assert len(tracker) == len(embedded_plan().obligations)
    document = json.loads(db_path.read_text("utf-8"))
    assert document["meta"]["1"]["schema_version"] == SCHEMA_VERSION
    assert "Fournir un appui technique" in db_path.read_text("utf-8")  # UTF-8, not \u escapes


def test_opening_again_never_overwrites_user_edits(db_path):
    with Tracker.open(db_path) as tracker:
        tracker.save_obligation(replace(tracker.find("1.ii"), owner="Ana", status=Status.DONE))
        tracker.delete_obligation("II-6.2")
    with Tracker.open(db_path) as tracker:
        assert tracker.find("1.ii").owner == "Ana"
        assert tracker.find("II-6.2") is None


def test_every_field_round_trips_with_accents(db_path):
    with Tracker.open(db_path) as tracker:
        edited = replace(
            tracker.find("1.vii"),
            status=Status.BLOCKED,
            owner="Élodie Müller",
            notes=(Note(datetime(2008, 6, 2, 9, 30), "Réunion « préparatoire » [bold]x[/]"),),
            completions=(
                Completion(
                    "oas-ga/2008:between",
                    date(2008, 5, 30),
                    date(2008, 5, 31),
                    "oas-ga/2008",
                    Evidence("CICTE/doc.4/08", "https://example.org/é", "Présenté « tel quel »"),
                ),
            ),
            last_reviewed=date(2008, 6, 2),
            rules=("2008-05-30",),
            partners=("A9",),
        )
        tracker.save_obligation(edited)
        series = MeetingSeries(
            "pcn-meeting",
            "Réunion des PCN",
            (
                Session(
                    2008, date(2008, 3, 4), date(2008, 3, 4), "Première", "Washington", "n", "d"
                ),
            ),
            alongside="cicte-session",
            alongside_basis="note 4",
            note="À suivre",
        )
        tracker.save_series(series)
    with Tracker.open(db_path) as tracker:
        assert tracker.find("1.vii") == edited
        assert tracker.meetings["pcn-meeting"] == series


def test_a_crash_mid_write_leaves_the_previous_file_intact(db_path, monkeypatch):
    with Tracker.open(db_path) as tracker:
        before = db_path.read_bytes()

        def crash(*_args, **_kwargs):
            raise OSError("disk full")

        monkeypatch.setattr(os, "replace", crash)
        with pytest.raises(StoreError, match="disk full"):
            tracker.save_obligation(replace(tracker.find("1.i"), owner="lost"))
        monkeypatch.undo()
        assert db_path.read_bytes() == before
        json.loads(before)
        assert not [p for p in db_path.parent.iterdir() if p.name.endswith(".tmp")]


def test_a_second_writer_is_refused_naming_the_lock_file(db_path):
    with Tracker.open(db_path):
        with pytest.raises(StoreLocked, match=r"tracker\.json\.lock"):
            Tracker.open(db_path)
        with Tracker.open(db_path, read_only=True) as reader:  # status still works
            assert len(reader) > 0
    with Tracker.open(db_path):  # released on close
        pass


def test_a_reader_never_writes_a_missing_file(db_path):
    with Tracker.open(db_path, read_only=True) as reader:
        assert reader.find("1.i") is not None
    assert not db_path.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"meta": {"1": {"schema_version": 1}}, "obligations": {', "line 1, column"),
        ("[1, 2, 3]", "not a cicte-tui tracker"),
        ('{"notes": {"1": {"x": 1}}}', "not a cicte-tui tracker"),
        (b"\xff\xfe garbage", "not UTF-8"),
    ],
)
def test_a_corrupt_file_is_refused_and_left_byte_for_byte_unchanged(db_path, content, message):
    raw = content if isinstance(content, bytes) else content.encode()
    db_path.write_bytes(raw)
    with pytest.raises(StoreCorrupt, match=message) as refused:
        Tracker.open(db_path)
    assert str(db_path) in str(refused.value)
    assert db_path.read_bytes() == raw


def test_the_corrupt_message_offers_the_newest_good_backup(db_path):
    with Tracker.open(db_path):
        pass
    [backup] = rotating_backups(db_path)
    db_path.write_text('{"meta": ', "utf-8")
    with pytest.raises(
        StoreCorrupt, match=r"newest good backup is .*tracker\.json\.\d{8}-\d{6}\.bak"
    ) as refused:
        Tracker.open(db_path)
    assert f"cicte-tui restore {backup.path.name}" in str(refused.value)


def test_a_newer_schema_is_refused(db_path):
    with Tracker.open(db_path):
        pass
    document = json.loads(db_path.read_text("utf-8"))
    document["meta"]["1"]["schema_version"] = SCHEMA_VERSION + 1
    db_path.write_text(json.dumps(document), "utf-8")
    raw = db_path.read_bytes()
    with pytest.raises(StoreTooNew, match="newer cicte-tui"):
        Tracker.open(db_path)
    assert db_path.read_bytes() == raw


def test_a_path_that_cannot_hold_a_file_gives_a_store_error(tmp_path):
    from store.storage import StoreError

    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", "utf-8")
    with pytest.raises(StoreError, match="cannot use the tracker file .*not-a-folder"):
        Tracker.open(blocker / "tracker.json")


@pytest.mark.parametrize("content", [b"", b"  \n"])
def test_an_emptied_file_is_refused_and_its_backup_kept(db_path, content):
    with Tracker.open(db_path) as tracker:
        tracker.save_obligation(replace(tracker.find("1.i"), owner="Ana"))
    with Tracker.open(db_path):  # the backup now holds Ana
        pass
    db_path.write_bytes(content)
    with pytest.raises(StoreCorrupt, match="the file is empty.*newest good backup"):
        Tracker.open(db_path)
    assert db_path.read_bytes() == content
    assert "Ana" in rotating_backups(db_path)[0].path.read_text("utf-8")


def test_valid_json_with_an_unreadable_record_is_refused(db_path):
    with Tracker.open(db_path):
        pass
    document = json.loads(db_path.read_text("utf-8"))
    document["obligations"]["1"]["status"] = "bogus"
    db_path.write_text(json.dumps(document), "utf-8")
    raw = db_path.read_bytes()
    with pytest.raises(StoreCorrupt, match="record cicte-tui cannot read"):
        Tracker.open(db_path, read_only=True)
    assert db_path.read_bytes() == raw


def test_note_times_with_a_zone_are_read_as_local_time(db_path):
    with Tracker.open(db_path):
        pass
    document = json.loads(db_path.read_text("utf-8"))
    document["obligations"]["1"]["notes"] = [
        {"at": "2008-06-02T09:30:00+00:00", "text": "a"},
        {"at": "2008-06-03T09:30:00", "text": "b"},
    ]
    db_path.write_text(json.dumps(document), "utf-8")
    with Tracker.open(db_path, read_only=True) as tracker:
        notes = tracker.find("1.i").notes
        assert sorted(notes, key=lambda n: n.at)[-1].text == "b"
