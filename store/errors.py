"""Why a tracker file cannot be used; each message is meant for the user."""

from __future__ import annotations


class StoreError(Exception):
    """A tracker file that cannot be used; the message is meant for the user."""


class StoreCorrupt(StoreError):
    """The file is not valid JSON, or not a tracker; it is left untouched."""


class UnreadableFile(StoreCorrupt):
    """The file is empty or not JSON: a backup may hold what it lost."""


class StoreTooNew(StoreError):
    """The file was written by a newer cicte-tui."""


class StoreLocked(StoreError):
    """Another process is editing the file."""
