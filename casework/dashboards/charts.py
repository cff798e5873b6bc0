"""Bar charts drawn on the server as SVG: no script, no library, nothing fetched. Each chart
is an image with a title and a description, and the table beside it carries the figures
for anyone who cannot see it (the chart repeats the table; it adds nothing the table lacks).
"""

from __future__ import annotations

from dataclasses import dataclass

from .figures import Table

LABEL_WIDTH = 230
BAR_AREA = 300
ROW_HEIGHT = 22
BAR_HEIGHT = 14
# Colours with at least 3:1 contrast against white, told apart by pattern of position too.
SERIES_COLOURS = ("#1d4ed8", "#b45309", "#047857")


@dataclass(frozen=True)
class Bar:
    x: int
    y: int
    width: int
    height: int
    colour: str
    value: object
    text_x: int


@dataclass(frozen=True)
class Row:
    label: str
    y: int
    bars: list[Bar]


@dataclass(frozen=True)
class Chart:
    slug: str
    title: str
    description: str
    width: int
    height: int
    label_width: int
    rows: list[Row]
    series: list[tuple[str, str]]  # (name, colour) for the legend


def bar_chart(table: Table, *, columns: tuple[int, ...] = (1,)) -> Chart:
    """Horizontal bars for the table's numeric ``columns`` (one bar per column per row)."""
    values = [row[c] for row in table.rows for c in columns if isinstance(row[c], int | float)]
    top = max(values, default=0) or 1
    per_row = ROW_HEIGHT * len(columns) if len(columns) > 1 else ROW_HEIGHT
    rows = []
    for index, row in enumerate(table.rows):
        y = 8 + index * (per_row + 6)
        bars = []
        for k, column in enumerate(columns):
            value = row[column]
            number = value if isinstance(value, int | float) else 0
            width = round(BAR_AREA * number / top)
            bar_y = y + k * ROW_HEIGHT
            bars.append(
                Bar(
                    x=LABEL_WIDTH,
                    y=bar_y,
                    width=width,
                    height=BAR_HEIGHT,
                    colour=SERIES_COLOURS[k % len(SERIES_COLOURS)],
                    value="—" if value is None else value,
                    text_x=LABEL_WIDTH + width + 6,
                )
            )
        rows.append(Row(label=str(row[0]), y=y + BAR_HEIGHT - 2, bars=bars))
    height = 16 + len(table.rows) * (per_row + 6)
    described = "; ".join(
        f"{row[0]}: " + ", ".join(f"{table.columns[c]} {row[c]}" for c in columns)
        for row in table.rows
    )
    return Chart(
        slug=table.slug,
        title=table.title,
        description=described or "No cases in this period.",
        width=LABEL_WIDTH + BAR_AREA + 60,
        height=max(height, 40),
        label_width=LABEL_WIDTH - 8,
        rows=rows,
        series=[
            (table.columns[c], SERIES_COLOURS[k % len(SERIES_COLOURS)])
            for k, c in enumerate(columns)
        ],
    )


def chart_for(table: Table) -> Chart:
    if table.slug == "months":
        return bar_chart(table, columns=(1, 2))
    if table.slug == "stage-times":
        return bar_chart(table, columns=(1, 2))
    return bar_chart(table)
