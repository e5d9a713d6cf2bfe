"""Shared fixtures: an in-memory tracker and a temporary tracker file."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from store.repository import Tracker
from store.rows import EncodedRows, encode_value


@pytest.fixture(autouse=True)
def every_save_encodes_the_whole_document(monkeypatch: pytest.MonkeyPatch) -> None:
    """A save encodes only the rows an edit touched (``store.rows``): in every test, check
    that the bytes are those of the whole document, so a row changed without being
    reported can never be saved stale."""
    spliced = EncodedRows.encode

    def checked(self: EncodedRows, document: dict[str, dict[str, object]]) -> bytes:
        content = spliced(self, document)
        assert content == encode_value(document), "a changed row was not re-encoded"
        return content

    monkeypatch.setattr(EncodedRows, "encode", checked)


@pytest.fixture
def tracker() -> Tracker:
    return Tracker.in_memory()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "tracker.json"


@pytest.fixture
def run(db_path: Path, capsys: pytest.CaptureFixture[str]) -> Callable[..., tuple[int, str, str]]:
    """``cicte-tui ARGV`` in this process on ``db_path``, as of a day: (exit code, out, err)."""
    from tui.launch import main

    def run(*argv: str, today: str = "2008-06-15") -> tuple[int, str, str]:
        code = main([*argv, "--db", str(db_path), "--today", today])
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run


def modules_loaded_by(argv: list[str]) -> tuple[int, str]:
    """Run ``cicte-tui ARGV`` in a fresh interpreter; (exit code, Textual modules it loaded)."""
    probe = (
        "import sys; from tui.launch import main; "
        f"code = main({argv!r}); "
        "bad = sorted(m for m in sys.modules if m.split('.')[0] == 'textual' or m == 'tui.app'); "
        "print('LOADED', bad); sys.exit(code)"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60
    )
    loaded = result.stdout.rpartition("LOADED ")[2].strip() or result.stderr
    return result.returncode, loaded
