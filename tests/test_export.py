"""`cicte-tui export`: iCalendar that expands to the engine's dates, CSV, Markdown, safe output."""

import csv
import io
import json
import subprocess
import sys
from collections import defaultdict
from dataclasses import replace
from datetime import date, datetime

import pytest
import recurring_ical_events
from icalendar import Calendar

from store.editing import Editor
from store.formats.csv_table import csv_text
from store.formats.export import FORMATS
from store.formats.ics import calendar_of
from store.formats.markdown import md_inline, md_line
from store.formats.markdown_report import markdown_report
from store.formats.year_report import inline as pandoc_inline
from store.formats.year_report import line as pandoc_line
from store.model import Completion, Evidence, Note, Session, Status
from store.repository import Tracker
from store.schedule import Outlook, assess
from tests.conftest import modules_loaded_by
from tui.cli.export import EXPORT_FORMATS
from tui.cli.parser import EXIT_OK, EXIT_USAGE, main

STAMP = datetime(2008, 1, 1, 12, 0)

# Recurring rules of every shape the rule syntax allows, including ones
# that start before the plan year and a hand-written RRULE with a COUNT.
RECURRING_SPECS = [
    "monthly",
    "yearly in february",
    "yearly on february 29",
    "every 2 weeks from 2007-12-20",
    "every 3 months from 2008-01-31",
    "every 6 months from 2008-06-30",
    "every 10 days from 2008-11-25",
    "rrule FREQ=WEEKLY;BYDAY=MO,TH",
    "rrule FREQ=MONTHLY;BYDAY=-1FR",
    "rrule FREQ=MONTHLY;COUNT=5 from 2007-10-15",
    "rrule FREQ=YEARLY;UNTIL=20080401 from 2005-03-15",
]


def engine_dates(tracker, obligation):
    """The engine's due dates; a completed occurrence keeps the one it was done against."""
    assessment = assess(obligation, tracker.plan, tracker.meetings, Outlook(date(2008, 1, 1)))
    return sorted({o.due for o in assessment.occurrences if o.due is not None})


def expanded_dates(calendar, start, end):
    """Due dates per obligation key, as a calendar program would expand them."""
    parsed = Calendar.from_ical(calendar.to_ical())
    found = defaultdict(list)
    for component in recurring_ical_events.of(parsed).between(start, end):
        key = component.get("X-CICTE-OBLIGATION")
        if key is not None:
            found[str(key)].append(component["DTSTART"].dt)
    return {key: sorted(days) for key, days in found.items()}


def with_recurring_rules(tracker):
    """The seed plus one obligation per recurring rule shape (some with completions)."""
    template = tracker.find("1.ii")
    for number, spec in enumerate(RECURRING_SPECS, 1):
        tracker.save_obligation(
            replace(template, key=f"T-{number}", number=f"T.{number}", rules=(spec,))
        )
    # Mark the September draft done, and one month's report of the "monthly" rule.
    evidence = Evidence("CICTE/doc.4/08", "https://example.org/plan", "Projet transmis")
    draft = Completion("2008-09-30", date(2008, 9, 25), date(2008, 9, 30), evidence=evidence)
    tracker.save_obligation(replace(template, completions=(draft,)))
    monthly = tracker.obligation("T-1")
    tracker.save_obligation(
        replace(
            monthly, completions=(Completion("2008-03-31", date(2008, 3, 28), date(2008, 3, 31)),)
        )
    )
    return tracker


def test_every_deadline_expands_to_the_engines_occurrences_in_2008(tracker):
    with_recurring_rules(tracker)
    expanded = expanded_dates(calendar_of(tracker, STAMP), date(2008, 1, 1), date(2009, 1, 1))
    for obligation in tracker:
        in_2008 = [day for day in engine_dates(tracker, obligation) if day.year == 2008]
        assert expanded.get(obligation.key, []) == in_2008, obligation.key


def test_nothing_leaks_outside_the_plans_own_dates(tracker):
    """Over decades the calendar holds exactly the engine's dates (year ranges included)."""
    with_recurring_rules(tracker)
    expanded = expanded_dates(calendar_of(tracker, STAMP), date(1990, 1, 1), date(2030, 1, 1))
    for obligation in tracker:
        assert expanded.get(obligation.key, []) == engine_dates(tracker, obligation), obligation.key


def vevents(calendar):
    return [c for c in calendar.walk("VEVENT")]


def test_a_recurring_rule_is_one_event_with_an_rrule_bounded_by_the_plan(tracker):
    calendar = calendar_of(tracker, STAMP)
    september = [e for e in vevents(calendar) if e.get("X-CICTE-OBLIGATION") == "I-1.ii"]
    assert len(september) == 1
    (event,) = september
    assert str(event["UID"]) == "2008.I-1.ii.event@cicte-tui"  # never the rule: see test_calendar
    assert event["DTSTART"].dt == date(2008, 9, 30)
    assert event["RRULE"].to_ical().decode() == "FREQ=YEARLY;UNTIL=20081231;BYMONTHDAY=-1;BYMONTH=9"
    semiannual = [e for e in vevents(calendar) if e.get("X-CICTE-OBLIGATION") == "I-4.i"]
    assert [len(semiannual), *[e.get("RRULE") is not None for e in semiannual]] == [1, True]


def test_a_rule_that_cannot_be_restated_is_listed_date_by_date(tracker):
    with_recurring_rules(tracker)
    key = f"T-{RECURRING_SPECS.index('rrule FREQ=MONTHLY;COUNT=5 from 2007-10-15') + 1}"
    listed = [e for e in vevents(calendar_of(tracker, STAMP)) if e.get("X-CICTE-OBLIGATION") == key]
    assert [e["DTSTART"].dt for e in listed] == [date(2008, 1, 15), date(2008, 2, 15)]
    assert all(e.get("RRULE") is None for e in listed)


def test_completed_occurrences_are_marked_done(tracker):
    with_recurring_rules(tracker)
    expanded = recurring_ical_events.of(calendar_of(tracker, STAMP)).between(
        date(2008, 1, 1), date(2009, 1, 1)
    )
    by_day = {
        (str(e["X-CICTE-OBLIGATION"]), e["DTSTART"].dt): e
        for e in expanded
        if "X-CICTE-OBLIGATION" in e
    }
    september = by_day[("I-1.ii", date(2008, 9, 30))]
    assert str(september["SUMMARY"]).startswith("[done] 1.ii · Préparer un projet annuel")
    assert (
        "COMPLETED on 2008-09-25.\nDocument: CICTE/doc.4/08\nLink: https://example.org/plan\n"
        "Outcome: Projet transmis\n"
    ) in str(september["DESCRIPTION"])
    assert str(by_day[("T-1", date(2008, 3, 31))]["SUMMARY"]).startswith("[done] ")
    assert not str(by_day[("T-1", date(2008, 4, 30))]["SUMMARY"]).startswith("[done]")


def test_the_whole_obligation_done_marks_its_dated_deadlines(tracker):
    tracker.save_obligation(replace(tracker.find("1.vii"), status=Status.DONE))
    (event,) = [
        e for e in vevents(calendar_of(tracker, STAMP)) if e.get("X-CICTE-OBLIGATION") == "I-1.vii"
    ]
    assert str(event["SUMMARY"]).startswith("[done] 1.vii")
    assert "done" in [str(c) for c in event["CATEGORIES"].cats]


def test_descriptions_carry_the_number_and_sources(tracker):
    event = next(
        e for e in vevents(calendar_of(tracker, STAMP)) if e.get("X-CICTE-OBLIGATION") == "I-1.vii"
    )
    description = str(event["DESCRIPTION"])
    assert description.startswith("Obligation 1.vii (I-1.vii)")
    assert "Source: " in description and "AG/RES. 2010 (XXXIV-O/04)" in description
    assert event["DTSTART"].dt == date(2008, 5, 31)  # the day before the General Assembly
    assert str(event["UID"]) == "2008.I-1.vii.event@cicte-tui"  # never the session's dates


def sessions_in(calendar):
    return {str(e["X-CICTE-SESSION"]): e for e in vevents(calendar) if "X-CICTE-EVENT" in e}


def test_each_dated_session_is_an_all_day_event_with_an_exclusive_end(tracker):
    sessions = sessions_in(calendar_of(tracker, STAMP))
    # The points of contact have no session of their own: no meeting entry for them.
    assert set(sessions) == {"cicte-session/2008", "oas-ga/2008", "preparatory-meeting/2008"}
    session = sessions["cicte-session/2008"]
    assert (session["DTSTART"].dt, session["DTEND"].dt) == (date(2008, 3, 5), date(2008, 3, 8))
    assert str(session["SUMMARY"]) == "CICTE regular session — Eighth Regular Session"
    assert str(session["UID"]) == "2008.event.cicte-session@cicte-tui"  # as 0.1 named it
    assert str(session["LOCATION"]) == "Washington, D.C."
    assert "Document: AG/RES. 2396 (XXXVIII-O/08)" in str(session["DESCRIPTION"])
    assert str(sessions["oas-ga/2008"]["LOCATION"]) == "Medellín, Colombia"
    assert str(sessions["preparatory-meeting/2008"]["SUMMARY"]) == (
        "preparatory meeting for the Eighth Regular Session"
    )


def test_next_years_session_is_a_second_event_with_its_own_uid(tracker):
    series = tracker.meetings["cicte-session"]
    ninth = Session(2009, date(2009, 3, 4), date(2009, 3, 6), title="Ninth Regular Session")
    tracker.save_series(replace(series, sessions=(*series.sessions, ninth)))
    sessions = sessions_in(calendar_of(tracker, STAMP))
    assert str(sessions["cicte-session/2008"]["UID"]) == "2008.event.cicte-session@cicte-tui"
    later = sessions["cicte-session/2009"]
    assert str(later["UID"]) == "2009.event.cicte-session@cicte-tui"
    assert str(later["SUMMARY"]) == "CICTE regular session — Ninth Regular Session"
    assert (later["DTSTART"].dt, later["DTEND"].dt) == (date(2009, 3, 4), date(2009, 3, 7))
    assert "LOCATION" not in later


def test_the_points_of_contact_deadline_falls_at_the_cicte_session_and_says_why(tracker):
    (event,) = [
        e for e in vevents(calendar_of(tracker, STAMP)) if e.get("X-CICTE-OBLIGATION") == "I-1.v"
    ]
    assert event["DTSTART"].dt == date(2008, 3, 7)
    assert str(event["X-CICTE-SESSION"]) == "pcn-meeting/2008"
    assert "Date assumed: alongside the CICTE regular session, footnote 4." in event["DESCRIPTION"]


def test_an_undated_session_leaves_its_deadline_out(tracker):
    tracker.save_series(replace(tracker.meetings["pcn-meeting"], alongside=None))
    assert not [
        e for e in vevents(calendar_of(tracker, STAMP)) if e.get("X-CICTE-OBLIGATION") == "I-1.v"
    ]


def test_a_completed_deadline_keeps_its_day_when_the_session_moves(tracker):
    evidence = Evidence(document="CICTE/doc.4/08", outcome="Ordre du jour adopté")
    Editor(tracker).complete(
        "I-1.iv", date(2008, 3, 7), done_on=date(2008, 3, 6), evidence=evidence
    )
    series = tracker.meetings["cicte-session"]
    moved = replace(series.session(2008), start=date(2008, 3, 10), end=date(2008, 3, 12))
    tracker.save_series(replace(series, sessions=(moved,)))
    by_key = {
        str(e["X-CICTE-OBLIGATION"]): e
        for e in vevents(calendar_of(tracker, STAMP))
        if "X-CICTE-OBLIGATION" in e
    }
    done = by_key["I-1.iv"]
    assert done["DTSTART"].dt == date(2008, 3, 7)
    assert str(done["SUMMARY"]).startswith("[done] 1.iv")
    description = str(done["DESCRIPTION"])
    assert "COMPLETED on 2008-03-06.\nDocument: CICTE/doc.4/08\nOutcome: Ordre du jour adopté" in (
        description
    )
    assert by_key["I-1.viii"]["DTSTART"].dt == date(2008, 3, 12)  # open: it moves


def test_uids_are_unique_and_stable_across_exports(tracker):
    with_recurring_rules(tracker)

    def uids(calendar):
        return [str(e["UID"]) for e in vevents(calendar)]

    first = uids(calendar_of(tracker, STAMP))
    assert len(first) == len(set(first))
    # Moving a meeting moves its deadlines but keeps their identity.
    series = tracker.meetings["cicte-session"]
    moved = replace(series.session(2008), start=date(2008, 3, 12), end=date(2008, 3, 14))
    tracker.save_series(replace(series, sessions=(moved,)))
    assert uids(calendar_of(tracker, datetime(2008, 6, 1))) == first


def test_the_ics_file_is_valid_utf8_icalendar(db_path, tmp_path):
    target = tmp_path / "plan.ics"
    assert main(["export", "ics", "--db", str(db_path), "-o", str(target)]) == EXIT_OK
    raw = target.read_bytes()
    assert raw.startswith(b"BEGIN:VCALENDAR\r\n") and b"VERSION:2.0" in raw
    assert max(len(line) for line in raw.split(b"\r\n")) <= 75  # folded per RFC 5545
    calendar = Calendar.from_ical(raw)
    assert "Medellín, Colombia" in [str(e.get("LOCATION")) for e in vevents(calendar)]


# -- CSV ---------------------------------------------------------------------------


def read_csv(text):
    return list(csv.DictReader(io.StringIO(text)))


def test_csv_has_one_row_per_obligation_with_accents_intact(db_path, tmp_path):
    with Tracker.open(db_path) as tracker:
        tracker.save_obligation(
            replace(
                tracker.find("1.ii"),
                owner="Élodie Müller",
                status=Status.IN_PROGRESS,
                notes=(
                    Note(datetime(2008, 2, 1, 9, 0), "premier jet"),
                    Note(datetime(2008, 2, 18, 14, 5), "Envoyé à la présidence, « relu »\nligne 2"),
                ),
            )
        )
        editor = Editor(tracker)
        editor.complete("I-4.i", date(2008, 7, 2), evidence=Evidence(link="https://x.org/r?a=1"))
        editor.complete("I-4.i", date(2008, 10, 15), done_on=date(2008, 10, 1))
        count = len(tracker)
    target = tmp_path / "plan.csv"
    assert (
        main(["export", "csv", "--db", str(db_path), "--today", "2008-10-15", "-o", str(target)])
        == 0
    )
    with target.open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert len(rows) == count
    assert list(rows[0]) == [
        "id", "section", "group", "text", "source", "schedule text", "rule",
        "next due", "state", "status", "owner", "last note", "completions", "last done",
    ]  # fmt: skip
    row = next(r for r in rows if r["id"] == "1.ii")
    assert row["owner"] == "Élodie Müller" and row["status"] == "in progress"
    assert row["schedule text"] == "Une fois par an - en septembre"
    assert row["rule"] == "yearly in september"
    assert (row["next due"], row["state"]) == ("2008-09-30", "overdue")
    assert row["last note"] == "2008-02-18: Envoyé à la présidence, « relu »\nligne 2"
    assert (row["completions"], row["last done"]) == ("", "")
    semiannual = next(r for r in rows if r["id"] == "4.i")
    assert semiannual["completions"] == (
        "due 2008-06-30, done on 2008-07-02; link https://x.org/r?a=1\n"
        "due 2008-12-31, done on 2008-10-01"
    )
    assert semiannual["last done"] == "2008-10-01"
    assert (semiannual["next due"], semiannual["state"]) == ("", "continuous")  # and reviewed
    two_line = next(r for r in rows if r["id"] == "2.i")
    assert "\na. Contrôles financiers ;" in two_line["text"]
    assert next(r for r in rows if r["id"] == "II-1.A.1")["section"] == "II"


def test_csv_file_starts_with_a_byte_order_mark_for_excel_but_stdout_does_not(
    db_path, tmp_path, capfd
):
    target = tmp_path / "plan.csv"
    main(["export", "csv", "--db", str(db_path), "-o", str(target)])
    assert target.read_bytes().startswith(b"\xef\xbb\xbfid,section,")
    capfd.readouterr()
    main(["export", "csv", "--db", str(db_path), "-o", "-"])
    assert capfd.readouterr().out.startswith("id,section,")


def test_csv_rows_follow_the_plan_and_the_engine(tracker):
    outlook = Outlook(date(2008, 6, 15))
    rows = read_csv(csv_text(tracker, outlook))
    assert [r["id"] for r in rows] == [o.number for o in tracker]
    for row, obligation in zip(rows, tracker, strict=True):
        assessment = assess(obligation, tracker.plan, tracker.meetings, outlook)
        assert row["state"] == assessment.state.value
        assert row["next due"] == (assessment.next_due.isoformat() if assessment.next_due else "")


# -- Markdown ---------------------------------------------------------------------


def test_markdown_report_is_grouped_by_section_group_and_programme(tracker):
    report = markdown_report(tracker, Outlook(date(2008, 10, 15)))
    order = [
        "# CICTE/RP/doc.2/07 — PROJET DE PLAN DE TRAVAIL 2008",
        "## Meetings",
        "## Section I — mandates to the Secretariat",
        "### 1. FONCTIONS ET ATTRIBUTIONS PERMANENTES",
        "#### 1.ii — Préparer un projet annuel",
        "### 8. PROPOSITIONS DE MANDATS",
        "## Section II — programmes and activities",
        "### II-1 CONTRÔLES DES FRONTIÈRES",
        "#### A. SÛRETÉ PORTUAIRE",
        "##### II-1.A.1 — ",
        "### II-6 ÉVALUATION DU PROGRAMME",
        "## Footnotes",
        "## Appendix II — cooperating bodies",
    ]
    positions = [report.index(heading) for heading in order]
    assert positions == sorted(positions)
    assert "- Next due: 30 Sep 2008 (overdue)" in report
    assert "7\\. De demander à nouveau" in report  # a quoted paragraph, not a numbered list
    assert "Appendix I is cited by the document" in report


def test_markdown_shows_user_text_literally(tracker):
    note = Note(
        datetime(2008, 2, 18, 14, 5), "*urgent* [voir](http://x) <b>gras</b> # pas un titre"
    )
    tracker.save_obligation(replace(tracker.find("1.ii"), notes=(note,), owner="[bold]Ana[/]"))
    report = markdown_report(tracker, Outlook(date(2008, 2, 20)))
    assert (
        "  - 2008-02-18 14:05 — \\*urgent\\* [voir\\](http://x) \\<b\\>gras\\</b\\> # pas un titre"
        in report
    )
    assert "- Owner: [bold]Ana[/]" in report


MEETING_LINES = (
    "- CICTE regular session (`cicte-session`)\n"
    "  - 2008 — Eighth Regular Session: 5–7 Mar 2008, Washington, D.C.; "
    "document AG/RES. 2396 (XXXVIII-O/08)\n",
    "- national points of contact meeting (`pcn-meeting`)\n"
    "  - without dates of its own, a session takes those of the CICTE regular session "
    "(footnote 4)\n",
    "- Next due: 7 Mar 2008 (upcoming; date assumed: alongside the CICTE regular",
)


@pytest.mark.parametrize("lines", MEETING_LINES)
def test_markdown_lists_each_meeting_with_its_sessions(tracker, lines):
    assert lines in markdown_report(tracker, Outlook(date(2008, 2, 20)))


def test_markdown_shows_when_each_deadline_was_done_and_the_evidence(tracker):
    editor = Editor(tracker)
    evidence = Evidence("CICTE/doc.4/08", "https://www.oas.org/cicte_doc", "Ordre du jour *adopté*")
    editor.complete("I-1.iv", date(2008, 3, 7), done_on=date(2008, 3, 6), evidence=evidence)
    editor.complete("I-1.ii", date(2008, 9, 30), done_on=date(2008, 9, 25))
    # The draft's deadline is then moved: its completion no longer matches the schedule.
    editor.save_obligation(replace(tracker.find("1.ii"), rules=("2008-10-31",)))
    report = markdown_report(tracker, Outlook(date(2009, 3, 1)))
    assert (
        "- Completed:\n  - due 7 Mar 2008 (cicte-session/2008), done on 6 Mar 2008; "
        "document CICTE/doc.4/08; link <https://www.oas.org/cicte_doc>; "
        "outcome: Ordre du jour \\*adopté\\*\n"
    ) in report
    assert (
        "  - due 30 Sep 2008, done on 25 Sep 2008 (no longer an occurrence of the schedule)\n"
    ) in report


def test_markdown_says_when_a_period_of_work_has_ended(tracker):
    report = markdown_report(tracker, Outlook(date(2009, 3, 1)))
    assert ", 2 period ended (renew or close)." in report
    section = report[report.index("##### II-1.D.1 — ") :]
    assert "- State: period ended — renew or close\n" in section[: section.index("#####", 5)]


@pytest.mark.parametrize(
    ("escape", "text", "escaped"),
    [
        # A line of the Markdown report: it never starts a block.
        (md_line, "7. De demander", "7\\. De demander"),
        (md_line, "1.iv", "1.iv"),
        (md_line, "- tiret", "\\- tiret"),
        (md_line, "# titre", "\\# titre"),
        (md_line, "---", "\\---"),
        (md_line, "[sic] et [bold]", "[sic] et [bold]"),
        (md_line, "[lien](x)", "[lien\\](x)"),
        (md_line, "a_b *c* `d` <e> \\f", "a\\_b \\*c\\* \\`d\\` \\<e\\> \\\\f"),
        (md_line, "&amp; & co", "\\&amp; & co"),
        (md_line, "deux\nlignes", "deux lignes"),
        # Inside a line, only inline marks are escaped.
        (md_inline, "7. De demander", "7. De demander"),
        (md_inline, "- tiret # dièse > chevron", "- tiret # dièse \\> chevron"),
        (md_inline, "*a* [b](c)", "\\*a\\* [b\\](c)"),
        # A line of the year report never starts a pandoc block either.
        (pandoc_line, "a. Contrôles financiers", "a\\. Contrôles financiers"),
        (pandoc_line, "iv) point", "iv\\) point"),
        (pandoc_line, "(b) point", "\\(b) point"),
        (pandoc_line, "7. De demander", "7\\. De demander"),
        (pandoc_line, ": définition", "\\: définition"),
        (pandoc_line, "# suivi", "\\# suivi"),
        (pandoc_line, "| a | b |", "\\| a \\| b \\|"),
        (pandoc_line, "[Renforcer]{.x}", "\\[Renforcer\\]\\{.x\\}"),
        (pandoc_line, "Etc. voir", "Etc. voir"),
        (pandoc_inline, "a\\[b] c\\", "a\\\\\\[b\\] c\\\\"),
    ],
)
def test_plan_and_user_text_reads_literally_in_markdown(escape, text, escaped):
    assert escape(text) == escaped


# -- output files -------------------------------------------------------------------


def run_cli(*args):
    return subprocess.run(
        [sys.executable, "-m", "tui", *args], capture_output=True, text=True, timeout=60
    )


def test_export_formats_on_the_command_line_match_the_exporters():
    assert EXPORT_FORMATS == FORMATS


@pytest.mark.parametrize("kind", FORMATS)
def test_an_existing_file_is_not_overwritten_without_force(db_path, tmp_path, kind):
    target = tmp_path / f"out.{kind}"
    target.write_text("précieux", "utf-8")
    result = run_cli("export", kind, "--db", str(db_path), "-o", str(target))
    assert result.returncode == EXIT_USAGE
    assert (
        result.stderr.strip() == f"cicte-tui: {target} already exists; add --force to overwrite it"
    )
    assert target.read_text("utf-8") == "précieux"
    forced = run_cli("export", kind, "--db", str(db_path), "-o", str(target), "--force")
    assert forced.returncode == EXIT_OK, forced.stderr
    assert target.read_text("utf-8") != "précieux"
    assert forced.stderr.strip() == f"cicte-tui: wrote {kind} to {target}"


def test_dash_writes_to_standard_output_and_says_nothing_else(db_path):
    result = run_cli("export", "json", "--db", str(db_path), "-o", "-")
    assert result.returncode == EXIT_OK and result.stderr == ""
    assert json.loads(result.stdout)["format"] == "cicte-tui-export"


def test_the_tracker_file_itself_is_never_an_output(db_path):
    Tracker.open(db_path).close()
    before = db_path.read_bytes()
    result = run_cli("export", "markdown", "--db", str(db_path), "-o", str(db_path), "--force")
    assert result.returncode == EXIT_USAGE
    assert "is the tracker file itself" in result.stderr
    assert db_path.read_bytes() == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["export", "pdf", "-o", "x"], "invalid choice: 'pdf'"),
        (["export", "ics"], "the following arguments are required: -o/--output"),
    ],
)
def test_bad_export_arguments_give_one_line(db_path, args, message):
    result = run_cli(*args, "--db", str(db_path))
    assert result.returncode == EXIT_USAGE
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_an_output_folder_that_does_not_exist_is_a_clear_error(db_path, tmp_path):
    target = tmp_path / "nowhere" / "plan.ics"
    result = run_cli("export", "ics", "--db", str(db_path), "-o", str(target))
    assert result.returncode == EXIT_USAGE
    assert result.stderr.strip() == f"cicte-tui: cannot write {target}: No such file or directory"
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "argv",
    [
        ["brief", "--today", "2008-02-20", "-o", "{tmp}/brief.md"],
        ["export", "ics", "-o", "{tmp}/plan.ics"],
        ["export", "csv", "-o", "{tmp}/plan.csv"],
        ["export", "markdown", "-o", "{tmp}/plan.md"],
        ["export", "json", "-o", "{tmp}/plan.json"],
        ["import", "{tmp}/plan.json", "--replace"],
    ],
)
def test_one_shot_commands_do_not_import_textual(db_path, tmp_path, argv):
    if argv[0] == "import":
        main(["export", "json", "--db", str(db_path), "-o", str(tmp_path / "plan.json")])
    args = [arg.format(tmp=tmp_path) for arg in argv] + ["--db", str(db_path)]
    assert modules_loaded_by(args) == (0, "[]")
