"""Hostile text through every way in; then every output, byte by byte.

The corpus is ``tests/hostile/cases.json``: terminal escapes (7- and 8-bit),
control characters, bidi and zero-width characters, decomposed accents,
spreadsheet formulas and Markdown/HTML. An export of the tracker with every
case in every text field goes in through ``import --replace`` and
``import --merge``; the cases go in through the scriptable edits and the
forms too. Then no output may hold ESC, a C1 control, another C0 control but
newline and tab (CR only in CRLF line ends of ICS and CSV), or a bidi or
zero-width character; CSV cells never start a formula; Markdown never holds
raw HTML or a link of the user's. The same holds with the store's gate
bypassed (a record that got in some other way): then the output wall alone
keeps the terminal safe.
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from rich.text import Text
from textual.widgets import Input, Static, TextArea, Tree

from store.repository import Tracker
from store.text import clean_text, may_hold_controls
from tests.tui.conftest import editing_app, make_app, saved, settle
from tui.app import CicteApp
from tui.screens.dialogs import NoteForm
from tui.screens.meetings import MeetingsScreen, SessionForm
from tui.screens.obligation_form import ObligationForm
from tui.widgets.agenda import Agenda
from tui.widgets.calendar import MonthCalendar
from tui.widgets.detail import DetailPane
from tui.widgets.mandate_tree import MandateTree

CORPUS = json.loads((Path(__file__).parent / "hostile" / "cases.json").read_text("utf-8"))
CASES: list[dict[str, Any]] = CORPUS["cases"]
FIRSTS = [case["text"] for case in CASES if not case.get("last")]
LASTS = [case["text"] for case in CASES if case.get("last")]
PAYLOADS = (
    "SGFja2VkIQ",
    "pwned title",
    "osc8-payload",
    "c1-title-payload",
    "sixel-payload",
    "dcs-payload",
    "apc-payload",
    "apc7-payload",
    "pm-payload",
    "sos-payload",
    "unterminated-payload",
)
"""What the sequences carried: gone with them, in every output."""
KEPT = ("clipboard", "window", "clearscreen", "linkclick", "dcsdone", "apcdone", "sosdone")
KEPT += ("pmdone", "isolated", "zerowidth", "sécurité", "txt.exe", "backEVIL")
"""The text around the sequences: kept, in an output that shows every text."""
BIDI_AND_INVISIBLE = frozenset(
    "\u061c\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
    "\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\ufeff"
)
FORMULA_STARTS = "=+-@\t\r"
TODAY = "2008-03-01"
"""Three items due soon, the CICTE session in four days: status and brief list them."""
YEAR_OVER = "2009-01-15"

SINGLE_LINE = {"title", "schedule_text", "owner", "name", "alongside_basis", "place", "document"}
SINGLE_LINE |= {"committee", "meeting"}
MULTI_LINE = {"text", "note"}
LISTS = {"sources": False, "activity": True, "appendix_notes": False}
"""List fields, and whether their items may span lines."""


def every_case(index: int) -> str:
    """All cases, the ``index``-th first (so each one starts a field somewhere)."""
    return " ".join([FIRSTS[index % len(FIRSTS)], *FIRSTS, *LASTS])


def one_case(index: int) -> str:
    """One case, then the unterminated one: short enough for a name or an owner."""
    return f"{FIRSTS[index % len(FIRSTS)]} {LASTS[0]}"


def poisoned(value: Any, counter: Iterator[int]) -> Any:
    """``value`` (a tracker document) with hostile text in every free-text field."""
    if isinstance(value, list):
        return [poisoned(item, counter) for item in value]
    if not isinstance(value, dict):
        return value
    result = {}
    for key, item in value.items():
        if key in SINGLE_LINE and isinstance(item, str):
            item = one_case(next(counter))
        elif key in MULTI_LINE and isinstance(item, str):
            item = every_case(next(counter))
        elif key in LISTS and isinstance(item, list) and item:
            make = every_case if LISTS[key] else one_case
            item = [make(next(counter)) for _ in item]
        else:
            item = poisoned(item, counter)
        result[key] = item
    return result


def hostile_export(export: Path, target: Path, *, ensure_ascii: bool) -> Path:
    """The export at ``export`` with every text poisoned, and a note on every item."""
    document = json.loads(export.read_text("utf-8"))
    counter = iter(range(10**6))
    for plan in document["plans"]:
        for row in plan["obligations"]:
            row["notes"] = [{"at": "2008-02-01T10:00:00", "text": "placeholder"}]
            if row["owner"] == "":
                row["owner"] = "placeholder"
    for plan in document["plans"]:  # the symbol names the plan: a merge must find it the same
        symbol = plan["symbol"]
        plan.update(poisoned(plan, counter))
        plan["symbol"] = symbol
    document["meeting_series"] = poisoned(document["meeting_series"], counter)
    target.write_text(json.dumps(document, ensure_ascii=ensure_ascii), "utf-8")
    return target


# -- what no output may hold --------------------------------------------------------------


def unsafe_characters(text: str, *, crlf: bool = False) -> list[tuple[int, str]]:
    """(offset, character) of everything a terminal could act on, or that hides text."""
    found = []
    for offset, char in enumerate(text):
        code = ord(char)
        if char == "\r" and crlf and text[offset + 1 : offset + 2] == "\n":
            continue
        if (
            (code < 0x20 and char not in "\n\t")
            or 0x7F <= code <= 0x9F
            or char in BIDI_AND_INVISIBLE
            or 0xD800 <= code <= 0xDFFF
        ):
            found.append((offset, hex(code)))
    return found


def assert_safe(name: str, text: str) -> None:
    """No raw control, bidi or zero-width character; no payload (JSON data may keep it
    escaped: ``\\u001b]52;…`` is inert text, and the export is a lossless copy)."""
    crlf = "csv" in name or "ics" in name
    bad = unsafe_characters(text, crlf=crlf)
    assert not bad, f"{name}: {bad[:5]} in …{text[max(0, bad[0][0] - 40) : bad[0][0] + 20]!r}…"
    if "json" in name and "status" not in name:
        return
    for payload in PAYLOADS:
        assert payload not in text, f"{name} shows {payload!r}"


def assert_markdown_escaped(name: str, markdown: str) -> None:
    assert not re.search(r"(?<!\\)<(?:img|javascript)", markdown), name
    assert not re.search(r"(?<!\\)\]\(javascript", markdown), name


def assert_no_formula(name: str, content: str) -> list[str]:
    """Every cell of a CSV file; none would run as a spreadsheet formula."""
    cells = [cell for row in csv.reader(io.StringIO(content)) for cell in row]
    for cell in cells:
        if cell.startswith("'") or not cell.strip():
            continue
        assert cell[0] not in FORMULA_STARTS, (name, cell[:40])
        assert cell.lstrip()[0] not in FORMULA_STARTS, (name, cell[:40])
    return cells


def every_output(run: Callable[..., tuple[int, str, str]], tmp_path: Path) -> dict[str, str]:
    """Each command's standard output and error, and the files written, by name."""
    found: dict[str, str] = {}

    def output(name: str, *argv: str, today: str = TODAY) -> None:
        code, out, err = run(*argv, today=today)
        assert code == 0, (name, err)
        found[name], found[f"{name} (stderr)"] = out, err

    output("status table", "status", "--all")
    output("status markdown", "status", "--all", "--format", "markdown")
    output("status json", "status", "--all", "--format", "json")
    output("status owner", "status", "--owner", FIRSTS[0], "--format", "markdown")
    output("status img owner", "status", "--owner", "<img src=x onerror=alert(1)>")
    output("status img owner markdown", "status", "--owner", "<img src=x>", "--format", "markdown")
    output("brief", "brief")
    output("brief of a session", "brief", "--event", "cicte-session/2008")
    output("report markdown", "report", "year", today=YEAR_OVER)
    output("report csv", "report", "year", "--format", "csv", today=YEAR_OVER)
    for kind in ("ics", "markdown", "csv", "json"):
        output(f"export {kind}", "export", kind, "-o", "-")
        target = tmp_path / f"written.{kind}"
        output(f"export {kind} file", "export", kind, "-o", str(target), "--force")
        found[f"export {kind} file content"] = target.read_bytes().decode("utf-8-sig")
    report = tmp_path / "report.csv"
    output("report csv file", "report", "year", "--format", "csv", "-o", str(report), "--force")
    found["report csv file content"] = report.read_bytes().decode("utf-8-sig")
    for number in ("1.iv", "1.viii", "2.i"):
        output(f"show {number}", "show", number)
        output(f"show {number} json", "show", number, "--format", "json")
    output("meeting list", "meeting", "list")
    output("meeting list json", "meeting", "list", "--format", "json")
    output("plan list", "plan", "list")
    output("plan list json", "plan", "list", "--format", "json")
    return found


def check_outputs(outputs: dict[str, str]) -> None:
    for name, text in outputs.items():
        assert_safe(name, text)
    for name in ("status markdown", "status owner", "status img owner markdown", "brief"):
        assert_markdown_escaped(name, outputs[name])
    for name in ("brief of a session", "report markdown", "export markdown"):
        assert_markdown_escaped(name, outputs[name])
    assert "Owner: clipboard ·" in outputs["status owner"]  # the text came through, cleaned
    assert "\\<img src=x\\>" in outputs["status img owner markdown"]
    assert "<img src=x onerror=alert(1)>" in outputs["status img owner"]  # text is text
    for name in ("export csv", "export csv file content", "report csv", "report csv file content"):
        assert_no_formula(name, outputs[name])
    # Removed whole, the sequences leave the text around them (NFC: the gate composes
    # accents; past the gate, output is not normalised).
    shown = unicodedata.normalize("NFC", outputs["export markdown"])
    for word in KEPT:
        assert word in shown, word


def assert_formulas_neutralised(outputs: dict[str, str]) -> None:
    """Every formula of the corpus started some cell: each one got its leading '."""
    for name in ("export csv", "report csv"):
        cells = assert_no_formula(name, outputs[name])
        starts = ["'=HYPERLINK(", "'+1+cmd", "'-2+3", "'@SUM(", ("'\t=1+1", "'\n=1+1", "'=1+1")]
        for start in starts:
            assert any(cell.startswith(start) for cell in cells), (name, start)


def load_stored(db_path: Path) -> str:
    return db_path.read_text("utf-8")


# -- the ways in --------------------------------------------------------------------------


@pytest.fixture
def plain_export(run, tmp_path) -> Path:
    target = tmp_path / "plain.json"
    code, _, err = run("export", "json", "-o", str(target))
    assert code == 0, err
    return target


@pytest.fixture(params=["gate", "bypassed"])
def gate(request, monkeypatch) -> str:
    """``bypassed``: files are read without cleaning, as if a record had got past the gate."""
    if request.param == "bypassed":
        monkeypatch.setattr("store.storage.scrub_tree", lambda value: value)
        monkeypatch.setattr("store.formats.exchange.scrub_tree", lambda value: value)
    return str(request.param)


@pytest.fixture(autouse=True)
def wide_terminal(monkeypatch):
    """Rich's table shows its Schedule column from 100 columns."""
    monkeypatch.setenv("COLUMNS", "160")
    monkeypatch.delenv("CICTE_OWNER", raising=False)


@pytest.mark.parametrize(
    ("how", "ensure_ascii"),
    [("--replace", False), ("--replace", True), ("--merge", False)],
    ids=["replace-raw-utf8", "replace-json-escapes", "merge-raw-utf8"],
)
def test_import_of_hostile_text(run, db_path, tmp_path, plain_export, gate, how, ensure_ascii):
    source = hostile_export(plain_export, tmp_path / "hostile.json", ensure_ascii=ensure_ascii)
    code, out, err = run("import", how, str(source))
    assert code == 0, err
    assert_safe(f"import {how} (its summary)", out + err)
    # What the store keeps is clean already, escaped or not (or, bypassed, hostile still).
    assert may_hold_controls(load_stored(db_path)) == (gate == "bypassed")
    outputs = every_output(run, tmp_path)
    check_outputs(outputs)
    assert_formulas_neutralised(outputs)


def test_scriptable_edits_of_hostile_text(run, db_path, tmp_path):
    every, one = every_case(0), one_case(3)
    edits = [
        ("note", "1.iv", every),
        ("note", "1.viii", every_case(7)),
        ("set", "1.iv", "--owner", one_case(26)),  # the HYPERLINK formula
        ("set", "1.viii", "2.i", "--owner", one_case(32)),  # the <img> tag
        ("done", "1.v", "--doc", one, "--link", "javascript:alert(1)", "--outcome", every),
        ("meeting", "set", "cicte-session", "2008", "--from", "2008-03-05", "--to", "2008-03-07"),
        ("plan", "set", "2008", "--title", one_case(20)),
    ]
    edits[-2] += ("--place", one_case(5), "--title", one_case(33), "--document", one_case(9))
    for argv in edits:
        code, out, err = run(*argv, today=TODAY)
        assert code == 0, (argv, err)
        assert_safe(" ".join(argv[:2]), out + err)
    stored = saved(db_path, "1.iv")
    assert stored is not None
    assert stored.notes[-1].text == clean_text(every, multiline=True)
    assert stored.owner == '=HYPERLINK("http://csv-payload.example","clic") end'
    assert not may_hold_controls(load_stored(db_path))
    outputs = every_output(run, tmp_path)
    check_outputs(outputs)
    assert "; link javascript:alert(1);" in outputs["export markdown"]  # text, not <a link>
    assert "'=HYPERLINK(" in outputs["export csv"]


# -- the app ---------------------------------------------------------------------------------


def tree_labels(tree: Tree[Any]) -> list[str]:
    labels, pending = [], [tree.root]
    while pending:
        node = pending.pop()
        labels.append(node.label.plain)
        pending += list(node.children)
    return labels


def shown_text(app: CicteApp) -> dict[str, str]:
    """What the main screen shows, widget by widget, and the whole screen as drawn."""
    screen = app.screen
    agenda = screen.query_one(Agenda)
    prompts = [agenda.get_option_at_index(i).prompt for i in range(agenda.option_count)]
    calendar = screen.query_one(MonthCalendar).render()
    return {
        "detail": screen.query_one(DetailPane).content.plain,
        "tree": "\n".join(tree_labels(screen.query_one(MandateTree))),
        "agenda": "\n".join(p.plain if isinstance(p, Text) else str(p) for p in prompts),
        "header": str(screen.query_one("#header", Static).content),
        "calendar": calendar.plain if isinstance(calendar, Text) else str(calendar),
        "screenshot": app.export_screenshot(),
    }


async def test_the_app_shows_hostile_text_safely(run, db_path, tmp_path, plain_export, gate):
    source = hostile_export(plain_export, tmp_path / "hostile.json", ensure_ascii=False)
    assert run("import", "--replace", str(source))[0] == 0
    async with editing_app(db_path, today=date(2008, 3, 1)) as (app, pilot):
        for key in ("I-1.iv", "I-1.viii", "I-2.i", "II-1.A.1"):
            app.screen.jump_to(key)
            await pilot.pause()
            for name, text in shown_text(app).items():
                assert_safe(f"{key} {name}", text)
        await pilot.press("o")  # the overdue filter rebuilds the tree
        await settle(pilot)
        for name, text in shown_text(app).items():
            assert_safe(f"filtered {name}", text)


async def test_the_app_never_prints_text_that_bypassed_the_store(monkeypatch):
    """Records put straight into the store, past every gate: the panes still clean them."""
    from dataclasses import replace

    from store.model import Note

    tracker = Tracker.in_memory()
    for index, number in enumerate(("1.iv", "1.viii", "2.i")):
        obligation = tracker.find(number)
        assert obligation is not None
        tracker.save_obligation(
            replace(
                obligation,
                text=every_case(index),
                owner=one_case(index),
                schedule_text=one_case(index + 1),
                notes=(Note(datetime(2008, 2, 1, 10, 0), every_case(2)),),
            )
        )
    series = tracker.meetings["cicte-session"]
    session = replace(series.sessions[0], title=one_case(4), place=one_case(5))
    tracker.save_series(replace(series, name=one_case(6), sessions=(session,)))
    app = make_app(date(2008, 3, 1), tracker)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        for key in ("I-1.iv", "I-1.viii", "I-2.i"):
            app.screen.jump_to(key)
            await pilot.pause()
            for name, text in shown_text(app).items():
                assert_safe(f"{key} {name}", text)
        # Rich drops BEL on the way into a Text, so OSC 52 then runs to the next ST: more
        # is lost than the gate would lose, never a control. The text after them stays.
        assert "[bold red]markup[/] end" in shown_text(app)["detail"]


async def test_the_forms_clean_hostile_text_before_saving(run, db_path, tmp_path):
    note, owner = every_case(0), one_case(26)
    place, title = one_case(5), one_case(33)
    async with editing_app(db_path, today=date(2008, 3, 1)) as (app, pilot):
        app.screen.jump_to("I-1.iv")
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, NoteForm)
        area = app.screen.query_one(TextArea)
        area.load_text(note)
        typed = area.text  # a text area breaks lines at NEL (\x85) as well
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, ObligationForm)
        app.screen.query_one("#owner", Input).value = owner
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("E")
        await pilot.pause()
        meetings = app.screen
        assert isinstance(meetings, MeetingsScreen)
        options = meetings.query_one("#meeting-list")
        options.highlighted = options.get_option_index("session:cicte-session:2008")
        await pilot.press("enter")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, SessionForm)
        form.query_one("#place", Input).value = place
        form.query_one("#title", Input).value = title
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        for name, text in shown_text(app).items():
            assert_safe(f"after the forms: {name}", text)
        assert "clipboard" in shown_text(app)["detail"]
    stored = saved(db_path, "1.iv")
    assert stored is not None
    assert stored.notes[-1].text == clean_text(typed, multiline=True)
    assert stored.owner == clean_text(owner)
    with Tracker.open(db_path, read_only=True) as tracker:
        session = tracker.meetings["cicte-session"].session(2008)
        assert session is not None
        assert (session.place, session.title) == (clean_text(place), clean_text(title))
    assert not may_hold_controls(load_stored(db_path))
    check_outputs(every_output(run, tmp_path))
