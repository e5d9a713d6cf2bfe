"""The status table is laid out from known widths, yet reads exactly as Rich's table did."""

from __future__ import annotations

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console
from rich.table import Table

from tui.cli.table import Cell, Column, column_widths, table_lines

COLUMNS = [
    Column("State"),
    Column("ID"),
    Column("Obligation", ratio=3),
    Column("Due"),
    Column("Late/left"),
    Column("Schedule", ratio=2),
]


def rich_table(rows: list[list[str]], width: int) -> str:
    """What status printed before: Rich's Table with the same columns."""
    console = Console(file=io.StringIO(), width=width, color_system=None)
    table = Table(show_lines=False, header_style="bold", expand=True)
    for column in COLUMNS:
        if column.ratio:
            table.add_column(column.header, ratio=column.ratio, no_wrap=True, overflow="ellipsis")
        else:
            table.add_column(column.header, no_wrap=True)
    for row in rows:
        table.add_row(*row)
    console.print(table)
    return console.file.getvalue()  # type: ignore[attr-defined, no-any-return]


def ours(rows: list[list[str]], width: int) -> str:
    cells = [[Cell(text) for text in row] for row in rows]
    return "\n".join(table_lines(COLUMNS, cells, width, lambda text, style: text)) + "\n"


ROWS = [
    ["! OVERDUE", "1.iv", "Faire office de secrétariat durant…", "7 Mar", "100 d late", "Avant"],
    [
        "~ due soon",
        "II-6.12",
        "Présenter un rapport annuel au CICTE sur les activités",
        "30 Jun +1",
        "3 d left",
        "Une fois par an, durant la session ordinaire du CICTE",
    ],  # noqa: E501
]


@pytest.mark.parametrize("width", [100, 120, 133, 200])
def test_the_table_is_the_one_rich_drew(width: int) -> None:
    assert ours(ROWS, width) == rich_table(ROWS, width)


cell_text = st.text(
    alphabet=st.characters(codec="utf-8", categories=["L", "N", "P", "Zs"]), max_size=40
).map(lambda text: " ".join(text.split()))


@settings(max_examples=60, deadline=None)
@given(
    rows=st.lists(st.lists(cell_text, min_size=6, max_size=6), min_size=1, max_size=4),
    width=st.integers(min_value=100, max_value=180),
)
def test_any_text_is_laid_out_as_rich_would(rows: list[list[str]], width: int) -> None:
    # Short sized columns, as status has them: Rich squeezes only when they cannot fit.
    rows = [[row[0][:10], row[1][:8], row[2], row[3][:9], row[4][:10], row[5]] for row in rows]
    assert ours(rows, width) == rich_table(rows, width)


def test_a_narrow_terminal_keeps_states_and_ids_whole() -> None:
    """Rich gave the obligation no room at all at 40 columns; here it keeps a few columns,
    and the state and the id (what tells 4.i from 4.ii) are never cut."""
    columns = [Column("State", whole=True), Column("ID", whole=True), *COLUMNS[2:5]]
    rows = [[Cell(text) for text in ROWS[1][:5]]]
    for width in (40, 50, 60):
        lines = list(table_lines(columns, rows, width, lambda text, style: text))
        assert "│ ~ due soon │ II-6.12 │" in lines[3], width
        assert "Pr…" in lines[3] or "Présent" in lines[3], width
    widths = column_widths(columns, rows, 50)
    assert widths[2] >= 3 and all(width >= 3 for width in widths)


def test_styles_paint_the_text_and_not_the_padding() -> None:
    painted = list(
        table_lines(
            COLUMNS,
            [[Cell(ROWS[0][0], "red"), *map(Cell, ROWS[0][1:])]],
            120,
            lambda text, style: f"<{text}>" if style == "red" else text,
        )
    )
    assert "│ <! OVERDUE> │" in painted[3]
