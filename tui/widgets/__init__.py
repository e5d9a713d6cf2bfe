"""Widgets of the main screen: mandate tree, detail, calendar, agenda, header."""
