"""Formats the tracker is written in: pure functions from domain records to text or bytes.

``exchange`` (the JSON exchange format, and its validation on import), ``ics``
(iCalendar), ``csv_table``, ``markdown_report`` (the whole tracker),
``brief`` (a meeting brief) and ``year_report`` (a plan year's outcome);
``export`` chooses one by name. Writing a file is ``store.output``'s.
"""
