"""The one-shot face of cicte-tui: the parser and one module per command (no Textual)."""
