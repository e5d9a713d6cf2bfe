"""Glyphs, words and style roles for states, so colour is never the only cue.

Lines are ``rich.text.Text`` built from plain strings, so plan and user text
is never parsed as markup; ``as_markup_literal`` is for the few Textual APIs
that only take markup. What the panes show passes :func:`safe_rich` (the
app's side of ``store.text.safe_text``): no escape sequence, control, bidi or
zero-width character reaches the terminal, nor shifts a border.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from rich.style import Style
from rich.text import Span, Text

from store.describe import day_month
from store.model import Status, shorten
from store.schedule import Assessment, OccurrenceState, State
from store.text import safe_text

STATE_GLYPH = {
    State.OVERDUE: "!",
    State.DUE_SOON: "~",
    State.WAITING: "…",
    State.PERIOD_ENDED: "⊘",
    State.STALE: "◌",
    State.SCHEDULED: "·",
    State.DONE: "✓",
    State.CONTINUOUS: "∞",
    State.ON_DEMAND: "?",
    State.TBD: "-",
}
# Colours come from the theme. A line names a *role* as a span's style; the
# widget that shows it declares the roles in COMPONENT_CLASSES, app.tcss gives
# each role its theme variables (``$text-error``…), and :func:`themed` swaps the
# names for the current theme's styles (again whenever the theme changes).
OVERDUE = "state--overdue"
DUE_SOON = "state--due-soon"
WAITING = "state--waiting"
ENDED = "state--ended"
STALE = "state--stale"
DONE = "state--done"
QUIET = "state--quiet"
"""Continuous, on demand, to be decided: nothing to do by a date."""
RECURRING = "state--recurring"
STATUS = "state--status"
"""The blocked and in-progress tags of a tree line."""
MUTED = "text--muted"
"""Words around the facts: dates in the agenda, labels, the plan symbol."""
ERROR = "text--error"
"""What cannot be saved as typed."""
VALID = "text--valid"
"""What was typed can be read."""
ROLES = frozenset(
    {OVERDUE, DUE_SOON, WAITING, ENDED, STALE, DONE, QUIET, RECURRING, STATUS, MUTED, ERROR, VALID}
)
"""Every role: the component classes of each widget that shows these lines."""

STATE_STYLE = {
    State.OVERDUE: OVERDUE,
    State.DUE_SOON: DUE_SOON,
    State.WAITING: WAITING,
    State.PERIOD_ENDED: ENDED,
    State.STALE: STALE,
    State.SCHEDULED: "",
    State.DONE: DONE,
    State.CONTINUOUS: QUIET,
    State.ON_DEMAND: QUIET,
    State.TBD: QUIET,
}
OCCURRENCE_STYLE = {
    OccurrenceState.OVERDUE: OVERDUE,
    OccurrenceState.DUE_SOON: DUE_SOON,
    OccurrenceState.UPCOMING: "",
    OccurrenceState.DONE: DONE,
    OccurrenceState.WAITING: WAITING,
}
OCCURRENCE_GLYPH = {
    OccurrenceState.OVERDUE: "!",
    OccurrenceState.DUE_SOON: "~",
    OccurrenceState.UPCOMING: "·",
    OccurrenceState.DONE: "✓",
    OccurrenceState.WAITING: "…",
}
RECURRING_GLYPH = "↻"

STATUS_TAGS = {Status.BLOCKED: "■ blocked", Status.IN_PROGRESS: "▶"}
"""Statuses a reader of the tree needs to see without opening the item."""

LEGEND = (
    "! overdue  ~ due soon  ↻ recurring  ✓ done  … waiting for a meeting date  "
    "◌ stale  ∞ continuous  ? on demand  ⊘ period ended (renew or close)  · scheduled  "
    "▶ in progress  ■ blocked"
)


def days_words(days: int) -> str:
    if days < 0:
        return f"{-days}d late"
    if days == 0:
        return "due today"
    return f"in {days}d"


def state_words(assessment: Assessment, today: date) -> str:
    """A few words for the tree line: what the state means today."""
    state = assessment.state
    if state is State.OVERDUE:
        late = assessment.overdue[0].days_from_today or 0
        return days_words(late)
    if state is State.DUE_SOON:
        return days_words(assessment.due_soon[0].days_from_today or 0)
    if state is State.SCHEDULED and assessment.next_due:
        return f"due {day_month(assessment.next_due, today)}"
    if state is State.WAITING:
        return "waiting"
    if state is State.PERIOD_ENDED:
        return "ended"
    if state is State.STALE:
        return "stale"
    if state is State.DONE:
        return "done"
    return ""


def obligation_line(
    assessment: Assessment, today: date, title_width: int = 38, title: str | None = None
) -> Text:
    """``! 1.vii  15d late ↻  Collaborer à la préparation…``

    ``title``: the words to show, already cut (default: the headline cut to ``title_width``).
    """
    obligation = assessment.obligation
    state = assessment.state
    style = STATE_STYLE[state]
    line = Text()
    line.append(STATE_GLYPH[state], style=style)
    line.append(" ")
    line.append(obligation.number, style="bold")
    words = state_words(assessment, today)
    if words:
        line.append(f" {words}", style=style)
    if assessment.recurring:
        line.append(f" {RECURRING_GLYPH}", style=RECURRING)
    if obligation.status in STATUS_TAGS:
        line.append(f" {STATUS_TAGS[obligation.status]}", style=STATUS)
    line.append("  ")
    line.append(shorten(safe_text(obligation.headline), title_width) if title is None else title)
    return safe_rich(line)


def group_line(number: str, title: str, overdue: int, due_soon: int, width: int = 48) -> Text:
    """A group or programme line with its counts of overdue and due-soon items."""
    line = Text()
    if number:
        line.append(f"{number}. ", style="bold")
    # Counts before the title, so a narrow pane cuts the title, not the counts.
    if overdue:
        line.append(f"!{overdue} late", style=OVERDUE)
        line.append(" ")
    if due_soon:
        line.append(f"~{due_soon} soon", style=DUE_SOON)
        line.append(" ")
    line.append(shorten(safe_text(title), width), style="bold")
    return safe_rich(line)


def themed(text: Text, style_of: Callable[[str], Style]) -> Text:
    """``text`` with each role (a span styled by a role's name) in the style ``style_of`` gives.

    ``style_of`` is a widget's ``component_style``: the role's colours in the
    current theme. Other spans (``bold``, ``dim``…) are kept as they are.
    """
    if not any(span.style in ROLES for span in text.spans) and text.style not in ROLES:
        return text
    styled = text.copy()
    if isinstance(text.style, str) and text.style in ROLES:
        styled.style = style_of(text.style)
    styled.spans = [
        Span(span.start, span.end, style_of(span.style))
        if isinstance(span.style, str) and span.style in ROLES
        else span
        for span in text.spans
    ]
    return styled


def safe_rich(text: Text) -> Text:
    """``text`` as :func:`store.text.safe_text` would print it, each part in its own style.

    The common case (nothing to remove) returns ``text`` itself. Otherwise each
    run of one style is cleaned on its own: a sequence cut by a style change
    loses its controls either way, and no style moves onto other characters.
    """
    plain = text.plain
    if safe_text(plain) is plain:
        return text
    bounds = sorted({0, len(plain)} | {i for span in text.spans for i in (span.start, span.end)})
    safe = text.blank_copy()
    for run in text.divide(bounds[1:-1]):
        cleaned = safe_text(run.plain)
        if cleaned:
            spans = [Span(0, len(cleaned), span.style) for span in run.spans]
            safe.append_text(Text(cleaned, spans=spans))
    return safe


def as_markup_literal(text: str) -> str:
    """Text for an API that parses Textual markup, shown exactly as written.

    Escaping every ``[`` is the only reliable way: Textual's own escape leaves
    tags such as ``[DRAFT]`` alone, and then drops them as unknown styles.
    """
    return text.replace("[", "\\[")
