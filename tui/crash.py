"""An internal error: its traceback kept in a private log, one sentence on the screen.

No Textual here: the one-shot commands use it too.
"""

from __future__ import annotations

import traceback
from datetime import datetime
from pathlib import Path

from store.files import atomic_write_bytes


def write_crash_log(error: BaseException | None) -> Path | None:
    """Keep the whole traceback for whoever fixes it; None when it cannot be written."""
    from platformdirs import user_log_path

    text = "".join(traceback.format_exception(error)) if error else "no exception recorded\n"
    cause = getattr(error, "error", None)  # a Textual worker's failure wraps the real one
    if isinstance(cause, BaseException) and cause is not error.__cause__:  # type: ignore[union-attr]
        text += "\nThe worker's error:\n" + "".join(traceback.format_exception(cause))
    try:
        folder = user_log_path("cicte-tui", appauthor=False)
        path = folder / f"crash-{datetime.now():%Y%m%d-%H%M%S-%f}.log"
        atomic_write_bytes(path, text.encode("utf-8"), make_folder=True)
    except OSError:
        return None
    return path


def crash_message(log: Path | None, *, in_app: bool) -> str:
    where = f" The details are in {log}." if log else ""
    safe = " Every edit the app confirmed was saved." if in_app else ""
    return f"stopped on an internal error.{safe}{where}"
