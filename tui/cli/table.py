"""A one-line-per-row table for the command line, laid out once from known widths.

Rich's ``Table`` measures every cell of every row, then renders each one as
a Text: 1.2 s for the status of 10,000 items. Here the widths come from one
pass over the plain strings and each line is one formatted string, in
Rich's ``HEAVY_HEAD`` box so that it reads as the rest of Rich's output.
Cells must already be safe to print (``safe_text``); colours come from the
console, so ``--no-color``, ``NO_COLOR`` and pipes are honoured as before.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from math import ceil
from typing import TYPE_CHECKING

from rich.cells import cell_len, set_cell_size

if TYPE_CHECKING:
    from rich.console import Console

ELLIPSIS = "…"
PADDING = 1
"""Spaces on each side of a cell."""
SHRUNK_MIN = 4
"""A sized column is never cut below this many columns to make room."""
FLEXIBLE_MIN = 3
"""What a column with a ratio keeps, even on a narrow terminal (``Fa…``): the sized
columns are cut only once these are down to it."""


@dataclass(frozen=True)
class Column:
    header: str
    ratio: int = 0
    """0: as wide as its widest cell; else its share of the width left by the others."""
    whole: bool = False
    """Never cut, however narrow the terminal (what tells rows apart, or their urgency)."""


@dataclass(frozen=True)
class Cell:
    text: str
    style: str = ""


Paint = Callable[[str, str], str]
"""(text, Rich style) → the text as the console would print it."""


def print_table(
    console: Console, columns: Sequence[Column], rows: Sequence[Sequence[Cell]]
) -> None:
    """The table, as wide as the console, each cell on one line (cut with an ellipsis)."""
    paint = painter(console)
    text = "\n".join(table_lines(columns, rows, console.width, paint)) + "\n"
    console.file.write(text)
    console.file.flush()


def painter(console: Console) -> Paint:
    """Rich's own escape codes for each style, asked once: none on a plain console."""
    codes: dict[str, tuple[str, str]] = {}

    def paint(text: str, style: str) -> str:
        if not style or not text:
            return text
        if style not in codes:
            from rich.text import Text

            with console.capture() as captured:
                console.print(Text("x", style=style), end="")
            before, _, after = captured.get().partition("x")
            codes[style] = (before, after)
        before, after = codes[style]
        return f"{before}{text}{after}"

    return paint


def table_lines(
    columns: Sequence[Column], rows: Sequence[Sequence[Cell]], width: int, paint: Paint
) -> Iterator[str]:
    widths = column_widths(columns, rows, width)
    yield _rule("┏", "━", "┳", "┓", widths)
    yield _line([Cell(c.header, "bold") for c in columns], widths, "┃", paint)
    yield _rule("┡", "━", "╇", "┩", widths)
    for row in rows:
        yield _line(row, widths, "│", paint)
    yield _rule("└", "─", "┴", "┘", widths)


def column_widths(
    columns: Sequence[Column], rows: Sequence[Sequence[Cell]], width: int
) -> list[int]:
    """Sized columns as wide as their widest cell (header included); the rest of the
    width shared by ratio, as Rich's ``expand=True`` shares it."""
    widths = [
        0 if column.ratio else max([cell_len(column.header), *(cell_len(r[i].text) for r in rows)])
        for i, column in enumerate(columns)
    ]
    flexible = [i for i, column in enumerate(columns) if column.ratio]
    overhead = len(columns) + 1 + 2 * PADDING * len(columns)
    cuttable = [i for i, column in enumerate(columns) if not column.ratio and not column.whole]
    _shrink(widths, cuttable, width - overhead - FLEXIBLE_MIN * len(flexible))
    # Shared as Rich shares it: padding included, each share rounded up in turn.
    padded = 2 * PADDING
    room = max(width - overhead - sum(widths), FLEXIBLE_MIN * len(flexible)) + padded * len(
        flexible
    )
    ratios = sum(columns[i].ratio for i in flexible)
    for i in flexible:
        share = max(FLEXIBLE_MIN + padded, ceil(columns[i].ratio * room / ratios))
        widths[i], room, ratios = share - padded, room - share, ratios - columns[i].ratio
    return widths


def _shrink(widths: list[int], cuttable: list[int], room: int) -> None:
    """Narrow the widest cuttable columns, one column at a time, until all fit ``room``."""
    while sum(widths) > room and cuttable:
        widest = max(cuttable, key=widths.__getitem__)
        if widths[widest] <= SHRUNK_MIN:
            return  # too narrow a terminal: the lines run long rather than lose every cell
        widths[widest] -= 1


def _rule(left: str, fill: str, cross: str, right: str, widths: list[int]) -> str:
    return left + cross.join(fill * (w + 2 * PADDING) for w in widths) + right


def _line(cells: Sequence[Cell], widths: list[int], bar: str, paint: Paint) -> str:
    pad = " " * PADDING
    inner = f"{pad}{bar}{pad}".join(
        paint(_fit(cell.text, width), cell.style) + " " * max(0, width - cell_len(cell.text))
        for cell, width in zip(cells, widths, strict=True)
    )
    return f"{bar}{pad}{inner}{pad}{bar}"


def _fit(text: str, width: int) -> str:
    """``text`` cut to ``width`` columns with an ellipsis (Rich's ``overflow="ellipsis"``)."""
    if cell_len(text) <= width:
        return text
    return set_cell_size(text, width - 1) + ELLIPSIS
