"""Settings shared by the app and the one-shot commands: *today*, the file, windows.

No Textual here: the one-shot commands import this module.
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from store.rules import RuleError, parse_iso_date
from store.schedule import DUE_SOON_DAYS, REVIEW_DAYS, Outlook

if TYPE_CHECKING:
    from store.repository import Tracker

TODAY_VARIABLE = "CICTE_TODAY"
DB_VARIABLE = "CICTE_DB"
OWNER_VARIABLE = "CICTE_OWNER"
"""The user's own name as an owner: "my items" are the items it owns."""
NO_COLOR_VARIABLE = "NO_COLOR"
"""Set and not empty: no colour, as ``--no-color`` (https://no-color.org)."""


class OptionError(ValueError):
    """A bad command-line option or environment variable; the message says which."""


@dataclass(frozen=True)
class Options:
    db: Path
    today: date
    today_source: str
    """Where *today* came from: ``--today``, ``CICTE_TODAY`` or ``clock``."""
    within: int = DUE_SOON_DAYS
    review_days: int = REVIEW_DAYS
    plan_year: int | None = None
    """``--plan YEAR``; None: the plan whose year holds *today*, else the latest before it."""

    @property
    def outlook(self) -> Outlook:
        return Outlook(self.today, self.within, self.review_days)

    def open_tracker(self, *, read_only: bool = False, quiet: bool = False) -> Tracker:
        """The tracker file, with the plan these options name made the active one.

        Its news (a stale lock released, no backup written) goes to stderr unless
        ``quiet`` (the app shows it on screen).
        """
        from store.repository import Tracker

        tracker = Tracker.open(self.db, read_only=read_only)
        if not quiet:
            for news in [*tracker.warnings, *tracker.notices]:
                print(f"cicte-tui: note: {news}", file=sys.stderr)
            tracker.notices.clear()
        try:
            year = tracker.year_for(self.today) if self.plan_year is None else self.plan_year
            tracker.select(year)
        except KeyError as error:
            tracker.close()
            raise OptionError(f"--plan: {error.args[0]}") from None
        return tracker

    @property
    def today_is_set(self) -> bool:
        return self.today_source != "clock"


def default_db_path() -> Path:
    from platformdirs import user_data_path

    return user_data_path("cicte-tui", appauthor=False) / "tracker.json"


def resolve_today(option: str | None) -> tuple[date, str]:
    if option is not None:
        return _date_from("--today", option), "--today"
    if value := os.environ.get(TODAY_VARIABLE, "").strip():
        return _date_from(TODAY_VARIABLE, value), TODAY_VARIABLE
    return date.today(), "clock"


def _date_from(name: str, value: str) -> date:
    try:
        return parse_iso_date(value.strip())
    except RuleError as error:
        raise OptionError(f"{name}: {error}") from None


def resolve_db(option: str | None) -> Path:
    value = option or os.environ.get(DB_VARIABLE, "").strip()
    if not value:
        return default_db_path()
    path = Path(value).expanduser()
    if path.is_dir():
        raise OptionError(f"--db: {path} is a folder; give a file path")
    if _KEPT_FILE.search(path.name):
        raise OptionError(
            f"--db: {path} is a backup or lock file of a tracker, not a tracker; "
            "'cicte-tui restore --list' shows the backups and puts one back"
        )
    return path


_KEPT_FILE = re.compile(r"\.(\d{8}-\d{6}(-\d+)?\.bak|lock|unreadable-\d{8}-\d{6})$")
"""What cicte-tui keeps beside a tracker: editing one in place would fork the history."""


def no_color(option: bool) -> bool:
    """No colour: ``--no-color``, or ``NO_COLOR`` set and not empty."""
    return option or bool(os.environ.get(NO_COLOR_VARIABLE))


def default_owner() -> str:
    """``CICTE_OWNER``, cleaned as a typed owner is; empty when it is not set."""
    from store.text import clean_text

    return clean_text(os.environ.get(OWNER_VARIABLE, ""))


def non_negative_days(name: str, value: int | None, default: int) -> int:
    if value is None:
        return default
    if value < 0:
        raise OptionError(f"{name}: {value} is negative; give a number of days")
    return value


def resolve(
    db: str | None,
    today: str | None,
    within: int | None = None,
    review_days: int | None = None,
    plan: int | None = None,
) -> Options:
    day, source = resolve_today(today)
    return Options(
        db=resolve_db(db),
        today=day,
        today_source=source,
        within=non_negative_days("--within", within, DUE_SOON_DAYS),
        review_days=non_negative_days("--review-days", review_days, REVIEW_DAYS),
        plan_year=plan,
    )
