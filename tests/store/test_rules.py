"""The schedule rule syntax users type and the store keeps."""

from datetime import date

import pytest

from store.rules import (
    Continuous,
    Dated,
    EventRelative,
    OnDemand,
    Period,
    Recurring,
    Relation,
    RuleError,
    ToBeDetermined,
    YearRange,
    format_schedule,
    parse_rule,
    parse_schedule,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("continuous", Continuous()),
        ("On demand", OnDemand()),
        ("tbd", ToBeDetermined()),
        ("2008-09-30", Dated(date(2008, 9, 30))),
        ("2008", YearRange(2008, 2008)),
        ("2006-2009", YearRange(2006, 2009)),
        ("before cicte-session", EventRelative(Relation.BEFORE, "cicte-session")),
        (
            "yearly between cicte-session and oas-ga",
            EventRelative(Relation.BETWEEN, "cicte-session", "oas-ga", yearly=True),
        ),
        (
            "before and during cicte-session",
            EventRelative(Relation.BEFORE_AND_DURING, "cicte-session"),
        ),
        ("period 2004-2008", Period(2004, 2008)),
        (
            "21 Days before cicte-session",
            EventRelative(Relation.BEFORE, "cicte-session", lead="21 days"),
        ),
        (
            "yearly 1 week after oas-ga",
            EventRelative(Relation.AFTER, "oas-ga", yearly=True, lead="1 week"),
        ),
    ],
)
def test_each_form_parses(text, expected):
    assert parse_rule(text) == expected


def test_recurring_forms_carry_an_rrule():
    september = parse_rule("yearly in Sept")
    assert isinstance(september, Recurring)
    assert september.rrule == "FREQ=YEARLY;BYMONTH=9;BYMONTHDAY=-1"
    semiannual = parse_rule("every 6 months from 2008-06-30")
    assert isinstance(semiannual, Recurring)
    assert semiannual.rrule == "FREQ=MONTHLY;INTERVAL=6;BYMONTHDAY=-1"
    assert semiannual.start == date(2008, 6, 30)


@pytest.mark.parametrize(
    "spec",
    [
        "continuous", "on demand", "tbd", "2008-09-30", "2008", "2006-2009",
        "yearly in september", "yearly on march 15", "monthly",
        "every 2 weeks from 2008-01-07", "rrule FREQ=MONTHLY;BYMONTHDAY=15 from 2008-01-15",
        "yearly after cicte-session", "between cicte-session and oas-ga",
    ],
)  # fmt: skip
def test_a_rule_reads_back_its_own_spec(spec):
    assert parse_rule(parse_rule(spec).spec) == parse_rule(spec)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("2008-02-30", "not a real date"),
        ("", "empty"),
        ("yearly in smarch", "not a month"),
        ("yearly on february 30", "no day 30"),
        ("2009-2006", "ends before it starts"),
        ("rrule FREQ=SOMETIMES", "not a valid RRULE"),
        ("whenever", "cannot read"),
        ("between oas-ga and oas-ga", "two different events"),
        ("0 days before oas-ga", "lead time is 1 to 366 days"),
        ("60 weeks before oas-ga", "lead time is 1 to 366 days"),
        ("period 2009-2004", "ends before it starts"),
    ],
)
def test_bad_rules_are_refused_with_a_reason(text, reason):
    with pytest.raises(RuleError, match=reason):
        parse_rule(text)


def test_unknown_events_are_refused_when_events_are_known():
    with pytest.raises(RuleError, match="unknown event 'board-meeting'"):
        parse_rule("before board-meeting", known_events={"cicte-session", "oas-ga"})


def test_a_schedule_joins_rules_with_plus():
    rules = parse_schedule("continuous + every 6 months from 2008-06-30")
    assert format_schedule(rules) == "continuous + every 6 months from 2008-06-30"


def test_sub_daily_recurrences_are_refused():
    with pytest.raises(RuleError, match="at most daily"):
        parse_rule("rrule FREQ=MINUTELY")


@pytest.mark.parametrize("typed", ["yearly in septembre", "yearly in Sept", "yearly in SEPTEMBRE"])
def test_month_names_in_french_or_english(typed):
    assert parse_rule(typed).spec == "yearly in september"


def test_an_ambiguous_month_is_refused():
    with pytest.raises(RuleError, match="not a month name"):
        parse_rule("yearly in jui")  # juin or juillet


@pytest.mark.parametrize("text", ["9999-12-31", "9999", "1850-2008", "period 2004-2999"])
def test_years_outside_1900_to_2100_are_refused(text):
    with pytest.raises(RuleError, match="is not between 1900 and 2100"):
        parse_rule(text)


def test_a_schedule_preview_says_what_the_typed_text_means_or_why_it_cannot_be_read():
    from datetime import date

    from store.describe import preview_schedule
    from store.plan_data import embedded_plan

    seed = embedded_plan()
    meetings = {series.key: series for series in seed.meetings}
    refused = preview_schedule("every fortnight", seed.plan, meetings, date(2008, 6, 15))
    assert refused.rules is None and refused.error
    read = preview_schedule("2008-10-15", seed.plan, meetings, date(2008, 6, 15))
    assert read.error is None and read.next_due == (date(2008, 10, 15),)
    late = preview_schedule("2008-03-01", seed.plan, meetings, date(2008, 6, 15))
    assert late.last_past == date(2008, 3, 1) and late.next_due == ()
