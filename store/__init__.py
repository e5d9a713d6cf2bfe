"""cicte-tui's domain and persistence: the work plan, its schedules, the tracker file.

Plain Python: this package never imports Textual or Rich.
"""
