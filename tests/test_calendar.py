"""The iCalendar export as calendars use it: re-imports update, one entry a day, titles."""

from collections import Counter, defaultdict
from dataclasses import replace
from datetime import UTC, date, datetime

import pytest
import recurring_ical_events
from icalendar import Calendar

from store.editing import Editor
from store.formats.ics import DONE_MARK, TITLE_WIDTH, calendar_of, deadline_titles, ics_bytes
from store.model import Completion, Status
from store.repository import Tracker
from store.schedule import Outlook, assess

STAMP = datetime(2008, 1, 1, 12, 0)
YEAR_2008 = (date(2008, 1, 1), date(2009, 1, 1))


def export(run, path):
    code, _, err = run("export", "ics", "-o", str(path), "--force")
    assert code == 0, err
    return Calendar.from_ical(path.read_bytes())


def imported(*calendars):
    """One calendar that imported each file in turn, as calendar programs do: of two
    copies of a UID the one with the higher SEQUENCE stays (the first one on a tie, so an
    update that forgot to raise it would be lost here as it is in a real calendar)."""
    kept = {}
    for calendar in calendars:
        for event in calendar.walk("VEVENT"):
            uid = str(event["UID"])
            if uid not in kept or int(event.get("SEQUENCE", 0)) > int(kept[uid].get("SEQUENCE", 0)):
                kept[uid] = event
    merged = Calendar()
    merged.add("version", "2.0")
    merged.add("prodid", "-//test//merge//EN")
    for event in kept.values():
        merged.add_component(event)
    return merged


def entries(calendar, start=YEAR_2008[0], end=YEAR_2008[1]):
    """(obligation key or session id, day, summary) of each entry a calendar program shows."""
    found = []
    for event in recurring_ical_events.of(calendar).between(start, end):
        what = event.get("X-CICTE-OBLIGATION") or event.get("X-CICTE-SESSION")
        found.append((str(what), event["DTSTART"].dt, str(event["SUMMARY"])))
    return found


def days_of(found):
    days = defaultdict(list)
    for what, day, _ in found:
        days[what].append(day)
    return {what: sorted(found) for what, found in days.items()}


def engine_days(tracker, start=YEAR_2008[0], end=YEAR_2008[1]):
    """Each obligation's due dates in the period, as the schedule engine gives them."""
    days = {}
    for obligation in tracker:
        assessment = assess(obligation, tracker.plan, tracker.meetings, Outlook(date.max))
        found = sorted(
            due.due for due in assessment.occurrences if due.due and start <= due.due < end
        )
        if found:
            days[obligation.key] = found
    return days


def by_uid(calendar):
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


# -- a reschedule moves the entry; it leaves no ghost ---------------------------------


def test_a_calendar_reimporting_after_a_reschedule_shows_each_deadline_once_on_its_new_date(
    run, db_path, tmp_path
):
    assert run("set", "II-1.D.1", "--rule", "2008-10-15")[0] == 0
    before = export(run, tmp_path / "before.ics")

    assert run("set", "1.ii", "--rule", "yearly on september 15")[0] == 0
    assert run("set", "II-1.D.1", "--rule", "2008-11-30")[0] == 0
    code, _, _ = run("meeting", "set", "cicte-session", "2008", "--from", "2008-03-12",
                     "--to", "2008-03-14")  # fmt: skip
    assert code == 0
    after = export(run, tmp_path / "after.ics")

    merged = imported(before, after)
    days = days_of(entries(merged))
    assert days["I-1.ii"] == [date(2008, 9, 15)]  # not also on 30 Sep
    assert days["II-1.D.1"] == [date(2008, 11, 30)]  # not also on 15 Oct
    assert days["I-1.viii"] == [date(2008, 3, 14)]  # the last day of the moved session
    assert days["cicte-session/2008"] == [date(2008, 3, 12)]  # one entry, 12–14 March
    (session,) = [e for e in merged.walk("VEVENT") if e.get("X-CICTE-EVENT") == "cicte-session"]
    assert (session["DTSTART"].dt, session["DTEND"].dt) == (date(2008, 3, 12), date(2008, 3, 15))
    with Tracker.open(db_path) as tracker:
        expected = engine_days(tracker)
    assert {k: v for k, v in days.items() if "/" not in k} == expected
    # The UIDs did not change: the second export is the first one, updated.
    assert set(by_uid(before)) == set(by_uid(after))


def test_sequence_and_last_modified_come_from_the_change_log(tracker):
    editor = Editor(tracker, clock=lambda: datetime(2008, 2, 3, 10, 30, tzinfo=UTC))
    first = by_uid(calendar_of(tracker, STAMP))
    series = "2008.I-1.ii.event@cicte-tui"
    session = "2008.I-1.viii.event@cicte-tui"
    meeting = "2008.event.cicte-session@cicte-tui"
    assert [int(first[uid]["SEQUENCE"]) for uid in (series, session, meeting)] == [0, 0, 0]
    assert "LAST-MODIFIED" not in first[series]

    editor.save_obligation(replace(tracker.find("1.ii"), rules=("yearly on september 15",)))
    editor.add_note("I-1.ii", "a note is not on the calendar", date(2008, 2, 3))
    moved = replace(tracker.meetings["cicte-session"].session(2008), start=date(2008, 3, 12),
                    end=date(2008, 3, 14))  # fmt: skip
    editor.save_session("cicte-session", moved)
    second = by_uid(calendar_of(tracker, datetime(2008, 6, 1)))

    assert int(second[series]["SEQUENCE"]) == 1  # the note did not count
    assert second[series]["LAST-MODIFIED"].dt == datetime(2008, 2, 3, 10, 30, tzinfo=UTC)
    assert int(second[session]["SEQUENCE"]) == 1  # its session moved
    assert int(second[meeting]["SEQUENCE"]) == 1
    untouched = "2008.I-1.vii.event@cicte-tui"
    assert int(second[untouched]["SEQUENCE"]) == 0 and "LAST-MODIFIED" not in second[untouched]
    # The same tracker gives the same file, whenever it is exported.
    again = by_uid(calendar_of(tracker, datetime(2009, 1, 1)))
    assert {u: e["SEQUENCE"] for u, e in again.items()} == {
        u: e["SEQUENCE"] for u, e in second.items()
    }


@pytest.mark.parametrize(
    ("number", "first_rule", "new_rule"),
    [
        ("1.ii", None, "2008-10-15"),  # yearly to a fixed date
        ("1.vii", None, "2008-07-01"),  # a session's deadline to a date
        ("II-1.D.1", "2008-12-31", "yearly in november"),  # a date to yearly
    ],
)
def test_a_rule_of_another_kind_keeps_the_event_s_uid(tracker, number, first_rule, new_rule):
    """Changing the kind of rule moves the item's event; it never makes another."""
    key = tracker.find(number).key
    if first_rule is not None:
        tracker.save_obligation(replace(tracker.find(number), rules=(first_rule,)))
    before = {u for u in by_uid(calendar_of(tracker, STAMP)) if u.startswith(f"2008.{key}.")}
    tracker.save_obligation(replace(tracker.find(number), rules=(new_rule,)))
    after = {u for u in by_uid(calendar_of(tracker, STAMP)) if u.startswith(f"2008.{key}.")}
    assert f"2008.{key}.event@cicte-tui" in before & after


def test_uids_never_carry_a_date_or_a_rule(tracker):
    tracker.save_obligation(replace(tracker.find("II-1.D.1"), rules=("2008-12-31",)))
    uids = list(by_uid(calendar_of(tracker, STAMP)))
    assert "2008.II-1.D.1.event@cicte-tui" in uids
    assert not [uid for uid in uids if "2008-12" in uid or "yearly" in uid or "between" in uid]


# -- completed occurrences: one entry a day in every program ------------------------------


def with_completions(tracker):
    template = tracker.find("1.ii")
    monthly = replace(template, key="T-1", number="T.1", rules=("monthly",))
    done_on = [date(2008, 3, 28), date(2008, 6, 30)]
    completions = tuple(Completion(d.isoformat(), d, d) for d in (date(2008, 3, 31), done_on[1]))
    tracker.save_obligation(replace(monthly, completions=completions))
    tracker.save_obligation(
        replace(template, completions=(Completion("2008-09-30", date(2008, 9, 25), None),))
    )
    weekly = replace(template, key="T-2", number="T.2", rules=("rrule FREQ=WEEKLY;BYDAY=MO",))
    tracker.save_obligation(replace(weekly, status=Status.DONE))
    return tracker


def test_each_day_has_exactly_one_entry_per_item(tracker):
    with_completions(tracker)
    found = entries(calendar_of(tracker, STAMP))
    per_day = Counter((what, day) for what, day, _ in found)
    assert [entry for entry, count in per_day.items() if count > 1] == []
    summaries = {(what, day): summary for what, day, summary in found}
    assert summaries[("T-1", date(2008, 3, 31))].startswith(DONE_MARK + "T.1 · ")
    assert summaries[("T-1", date(2008, 6, 30))].startswith(DONE_MARK)
    assert not summaries[("T-1", date(2008, 4, 30))].startswith(DONE_MARK)
    assert summaries[("I-1.ii", date(2008, 9, 30))].startswith(DONE_MARK + "1.ii · ")
    weekly = [summary for what, _, summary in found if what == "T-2"]
    assert len(weekly) == 52 and all(s.startswith(DONE_MARK) for s in weekly)
    assert {k: v for k, v in days_of(found).items() if "/" not in k} == engine_days(tracker)


def test_a_done_occurrence_is_an_exdate_and_an_event_of_its_own(tracker):
    with_completions(tracker)
    raw = ics_bytes(tracker, STAMP)
    assert b"RECURRENCE-ID" not in raw  # calcurse ignores it and would show both
    assert b"EXDATE;VALUE=DATE:20080331\r\n" in raw and b"EXDATE;VALUE=DATE:20080630\r\n" in raw
    events = by_uid(Calendar.from_ical(raw))
    master = events["2008.T-1.event@cicte-tui"]
    assert "RRULE" in master and not str(master["SUMMARY"]).startswith(DONE_MARK)
    march = events["2008.T-1.event.3@cicte-tui"]  # the third occurrence of the series
    assert march["DTSTART"].dt == date(2008, 3, 31) and "RRULE" not in march
    assert str(march["SUMMARY"]).startswith(DONE_MARK)


def test_marking_an_occurrence_done_then_reimporting_shows_it_once_as_done(run, tmp_path):
    before = export(run, tmp_path / "before.ics")
    assert run("done", "4.i", "--occurrence", "2008-06-30", "--on", "2008-06-10")[0] == 0
    after = export(run, tmp_path / "after.ics")
    june = [e for e in entries(imported(before, after)) if e[:2] == ("I-4.i", date(2008, 6, 30))]
    assert len(june) == 1 and june[0][2].startswith(DONE_MARK + "4.i · ")


# -- summaries read as titles ----------------------------------------------------------


def test_no_two_items_of_the_2008_plan_share_a_summary(tracker):
    keys_by_summary = defaultdict(set)
    for event in calendar_of(tracker, STAMP).walk("VEVENT"):
        if "X-CICTE-OBLIGATION" in event:
            summary = str(event["SUMMARY"]).removeprefix(DONE_MARK)
            keys_by_summary[summary].add(str(event["X-CICTE-OBLIGATION"]))
    assert keys_by_summary and all(len(keys) == 1 for keys in keys_by_summary.values())
    titles = deadline_titles(tracker)  # every item, dated or not
    assert len(titles) == len(tracker) and len(set(titles.values())) == len(titles)


def test_a_summary_is_the_id_and_the_first_sentence_cut_at_a_word(tracker):
    titles = deadline_titles(tracker)
    assert titles["I-1.ii"] == (
        "1.ii · Préparer un projet annuel de Plan de travail du CICTE en consultation avec la…"
    )
    assert titles["I-1.i"] == (
        "1.i · Fournir un appui technique et administratif au titre des activités du CICTE"
    )
    for obligation in tracker:
        title = titles[obligation.key]
        sentence = title.removeprefix(f"{obligation.number} · ")
        assert len(sentence) <= TITLE_WIDTH
        if sentence.endswith("…"):
            assert obligation.headline.startswith(sentence[:-1].rstrip(" ,;:"))


def test_items_alike_after_the_cut_get_their_whole_sentence_or_their_key(tracker):
    template = tracker.find("1.ii")
    common = "Faire rapport au CICTE " + "sur les travaux menés pendant l'année " * 3
    tracker.save_obligation(replace(template, key="T-1", number="T.1", text=common + "à Lima."))
    tracker.save_obligation(replace(template, key="T-2", number="T.1", text=common + "à Quito."))
    tracker.save_obligation(replace(template, key="T-3", number="T.3", text="Même texte."))
    tracker.save_obligation(replace(template, key="T-4", number="T.3", text="Même texte."))
    titles = deadline_titles(tracker)
    assert titles["T-1"].endswith("à Lima") and titles["T-2"].endswith("à Quito")
    assert (titles["T-3"], titles["T-4"]) == ("T.3 · Même texte (T-3)", "T.3 · Même texte (T-4)")
    summaries = [
        str(e["SUMMARY"]).removeprefix(DONE_MARK)
        for e in calendar_of(tracker, STAMP).walk("VEVENT")
        if str(e.get("X-CICTE-OBLIGATION", "")).startswith("T-")
    ]
    assert len(set(summaries)) == 4


def test_two_rules_on_one_day_make_one_entry_with_one_uid(tracker):
    """A monthly report, a yearly one in March and a dated one on 30 April: 31 March and
    30 April are one occurrence each, shown once (the other series leaves the day out)."""
    template = tracker.find("1.ii")
    rules = ("monthly", "yearly in march", "2008-04-30")
    done = Completion("2008-03-31", date(2008, 3, 30), date(2008, 3, 31))
    tracker.save_obligation(
        replace(template, key="T-1", number="T.1", rules=rules, completions=(done,))
    )
    calendar = calendar_of(tracker, STAMP)
    uids = [str(e["UID"]) for e in calendar.walk("VEVENT")]
    assert len(uids) == len(set(uids))
    found = [entry for entry in entries(calendar) if entry[0] == "T-1"]
    # The engine lists the day once per rule; a calendar shows it once.
    assert sorted(day for _, day, _ in found) == sorted(set(engine_days(tracker)["T-1"]))
    assert [s for _, day, s in found if day == date(2008, 3, 31)][0].startswith(DONE_MARK)
