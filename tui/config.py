"""The user's settings file: the theme picked in the command palette, and the user's keys.

A small JSON object in the user's config folder (``config.json``), read once
at start and rewritten whole when a setting changes. Keys it does not know
are kept as found. A file that cannot be read, or names a theme that does not
exist, is not an error: the app starts in its default theme and says why.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from store.files import atomic_write_bytes

CONFIG_NAME = "config.json"
THEME_KEY = "theme"
KEYMAP_KEY = "keymap"


def config_folder() -> Path:
    """Where cicte-tui keeps its settings (``~/.config/cicte-tui`` on Linux)."""
    from platformdirs import user_config_path

    return user_config_path("cicte-tui", appauthor=False)


@dataclass
class Settings:
    """What the settings file says, and where it is (None: in memory, never saved)."""

    path: Path | None = None
    theme: str | None = None
    """The Textual theme's name, as picked; None for Textual's default."""
    keymap: dict[str, str] = field(default_factory=dict)
    """Binding id → the keys the user wants for it (``{"complete": "x,space"}``)."""
    problem: str | None = None
    """Why the file could not be used, to tell the user once (None: it was fine or absent)."""
    _document: dict[str, Any] = field(default_factory=dict, repr=False)
    """Everything the file held, unknown keys included, so a save keeps them."""

    @classmethod
    def load(cls, path: Path | None = None) -> Settings:
        """The settings in ``path`` (default: ``config.json`` in :func:`config_folder`).

        A missing file gives the defaults; a file that is not a JSON object, or
        whose theme is not a string, gives the defaults and a ``problem``.
        """
        path = config_folder() / CONFIG_NAME if path is None else path
        try:
            document = json.loads(path.read_bytes())
        except FileNotFoundError:
            return cls(path)
        except (OSError, ValueError) as error:  # unreadable, not JSON, not UTF-8
            return cls(path, problem=f"{path} could not be read ({error})")
        if not isinstance(document, dict):
            return cls(path, problem=f"{path} is not a JSON object")
        theme = document.get(THEME_KEY)
        if theme is not None and not isinstance(theme, str):
            return cls(
                path, problem=f"{path}: {THEME_KEY!r} is not a theme name", _document=document
            )
        keymap = document.get(KEYMAP_KEY, {})
        if not isinstance(keymap, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in keymap.items()
        ):
            return cls(
                path,
                theme,
                problem=f"{path}: {KEYMAP_KEY!r} is not an object of binding ids to keys",
                _document=document,
            )
        return cls(path, theme, keymap, _document=document)

    def save_theme(self, theme: str) -> None:
        """Keep ``theme`` for the next start; ``OSError`` when the file cannot be written."""
        self.theme = theme
        self._document[THEME_KEY] = theme
        if self.path is not None:
            content = json.dumps(self._document, indent=2, ensure_ascii=False) + "\n"
            atomic_write_bytes(self.path, content.encode("utf-8"), make_folder=True)
