"""cicte-tui's user interface: the Textual app and the one-shot commands."""
