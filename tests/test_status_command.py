"""`cicte-tui status`: the quick check, its formats, its errors, and no Textual."""

import json
import subprocess
import sys

import pytest

from tests.conftest import modules_loaded_by
from tui.cli import EXIT_STORE, EXIT_USAGE, main


def run_cli(*args, env=None):
    return subprocess.run(
        [sys.executable, "-m", "tui", *args], capture_output=True, text=True, env=env, timeout=60
    )


def test_status_loads_neither_textual_nor_the_app(db_path):
    code, loaded = modules_loaded_by(["status", "--db", str(db_path), "--today", "2008-06-15"])
    assert (code, loaded) == (0, "[]")


def test_json_lists_overdue_items_with_id_state_and_due(db_path, capsys):
    assert main(["status", "--db", str(db_path), "--today", "2008-10-15", "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["today"] == "2008-10-15"
    items = {item["id"]: item for item in report["items"]}
    assert items["1.ii"]["state"] == "overdue"
    assert items["1.ii"]["due"] == "2008-09-30"
    assert items["1.ii"]["days"] == -15
    assert report["counts"]["overdue"] == len(report["items"])


def test_the_september_draft_is_not_overdue_in_june(db_path, capsys):
    main(["status", "--db", str(db_path), "--today", "2008-06-15", "--format", "json"])
    ids = [item["id"] for item in json.loads(capsys.readouterr().out)["items"]]
    assert "1.ii" not in ids
    assert "1.vii" in ids  # the report due before the General Assembly is late


def test_within_widens_the_due_soon_window(db_path, capsys):
    main(
        [
            "status",
            "--db",
            str(db_path),
            "--today",
            "2008-06-15",
            "--within",
            "120",
            "--format",
            "json",
        ]
    )
    items = json.loads(capsys.readouterr().out)["items"]
    assert {"id": "1.ii", "state": "due soon"}.items() <= next(
        i for i in items if i["id"] == "1.ii"
    ).items()


def test_today_comes_from_the_environment_when_not_given(db_path, monkeypatch, capsys):
    monkeypatch.setenv("CICTE_TODAY", "2008-10-15")
    main(["status", "--db", str(db_path), "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    assert report["today"] == "2008-10-15" and report["today_source"] == "CICTE_TODAY"


def test_markdown_and_table_formats_show_the_same_items(db_path, capsys):
    main(["status", "--db", str(db_path), "--today", "2008-10-15", "--format", "markdown"])
    markdown = capsys.readouterr().out
    assert "| overdue | 1.ii |" in markdown
    main(["status", "--db", str(db_path), "--today", "2008-10-15"])
    table = capsys.readouterr().out
    assert "1.ii" in table and "OVERDUE" in table and "15 d late" in table


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--today", "2008-02-30"], "--today: 2008-02-30 is not a real date"),
        (["--today", "tomorrow"], "is not a date"),
        (["--within", "-3"], "--within: -3 is negative"),
        (["--format", "pdf"], "invalid choice"),
    ],
)
def test_bad_arguments_give_one_line_and_exit_2(db_path, args, message):
    result = run_cli("status", "--db", str(db_path), *args)
    assert result.returncode == EXIT_USAGE
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_a_corrupt_store_gives_its_path_and_position(db_path):
    db_path.write_text('{"meta": {', "utf-8")
    result = run_cli("status", "--db", str(db_path))
    assert result.returncode == EXIT_STORE
    assert str(db_path) in result.stderr and "line 1, column 11" in result.stderr
    assert "Traceback" not in result.stderr
    assert db_path.read_text("utf-8") == '{"meta": {'
