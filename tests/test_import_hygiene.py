"""The core and the one-shot commands load without Textual (as harlequin proves of its core).

Each check runs in a fresh interpreter: this test process has long imported Textual.
"""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import store
import tui.cli
from tests.conftest import modules_loaded_by

UI_MODULES = ("textual", "tui.app", "tui.screens", "tui.widgets")
"""What a module of the core or of the command line must not bring in."""


def modules_of(package: object) -> list[str]:
    """Every module of ``package``, however deep, by name."""
    name, path = package.__name__, package.__path__  # type: ignore[attr-defined]
    return [module.name for module in pkgutil.walk_packages(path, prefix=f"{name}.")]


CORE = ["store", *modules_of(store)]
COMMAND_LINE = ["tui.launch", "tui.cli", *modules_of(tui.cli), "tui.crash"]
"""The entry point, the one-shot commands, and the crash log they write on an internal error."""

PROBE = """
import importlib, sys
UI = {ui!r}
for name in sys.argv[1:]:
    importlib.import_module(name)
    loaded = sorted(m for m in sys.modules if m in UI or m.startswith(tuple(u + "." for u in UI)))
    if loaded:
        print(f"{{name}} loads {{', '.join(loaded[:3])}}…")
        sys.exit(1)
print("clean")
"""


def first_module_loading_the_ui(modules: list[str]) -> str:
    """Import ``modules`` one after another in a fresh interpreter; say which first loads
    any of :data:`UI_MODULES` (``clean`` when none does)."""
    result = subprocess.run(
        [sys.executable, "-c", PROBE.format(ui=UI_MODULES), *modules],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=Path(__file__).resolve().parents[1],
    )
    return (result.stdout + result.stderr).strip()


def test_every_module_is_found():
    """The walk sees the packages' modules (a wrong path would prove nothing)."""
    assert {"store.repository", "store.formats.export"} <= set(CORE)
    assert {"tui.cli.parser", "tui.cli.status", "tui.cli.edit"} <= set(COMMAND_LINE)


@pytest.mark.parametrize("modules", [CORE, COMMAND_LINE], ids=["store", "tui.cli"])
def test_no_module_loads_textual(modules):
    assert first_module_loading_the_ui(modules) == "clean"


def test_cicte_tui_status_loads_neither_textual_nor_the_app(db_path):
    """The whole path of the quick check: parse, open the file, report, print a table."""
    argv = ["status", "--db", str(db_path), "--today", "2008-06-15", "--format", "table"]
    assert modules_loaded_by(argv) == (0, "[]")
