"""A table of numbers between 0 and 1 as a picture: the darker the cell, the bigger the number.

Attention weights are such a table: a row per position that looks, a column per
position it looks at. Cells are drawn in currentColor, the text colour of the
page, with the number as their opacity, so the picture reads in light and dark
themes alike; hovering a cell shows its number.
"""

from deepdive.draw import Drawing, escape

CELL = 30
FONT_SIZE = 13
CHAR_WIDTH = 0.62 * FONT_SIZE
GAP = 8


def heatmap(rows, row_labels, column_labels, title="Heat map"):
    """A picture of `rows` (lists of numbers in [0, 1], or Values holding them), labelled on both axes."""
    table = [[getattr(x, "data", x) for x in row] for row in rows]
    if len(table) != len(row_labels) or any(len(row) > len(column_labels) for row in table):
        raise ValueError(f"heatmap() got {len(table)} rows for {len(row_labels)} row labels, "
                         f"and rows of up to {max(map(len, table), default=0)} numbers "
                         f"for {len(column_labels)} column labels")
    if any(not 0 <= x <= 1 for row in table for x in row):
        raise ValueError("heatmap() draws numbers between 0 and 1")
    return Drawing(heatmap_svg(table, list(map(str, row_labels)), list(map(str, column_labels)), title), title)


def heatmap_svg(table, row_labels, column_labels, title):
    left = GAP + CHAR_WIDTH * max(map(len, row_labels), default=0) + GAP
    top = GAP + FONT_SIZE + GAP
    width = left + CELL * len(column_labels) + GAP
    height = top + CELL * len(row_labels) + GAP
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width:.0f}" height="{height:.0f}"'
        f' viewBox="0 0 {width:.0f} {height:.0f}" style="max-width:100%;height:auto"'
        f' font-family="ui-monospace,SFMono-Regular,Menlo,Consolas,monospace" font-size="{FONT_SIZE}">',
        f"<title>{escape(title)}</title>",
    ]
    for j, label in enumerate(column_labels):
        x = left + CELL * (j + 0.5)
        parts.append(f'<text x="{x:.1f}" y="{top - GAP:.1f}" text-anchor="middle"'
                     f' fill="currentColor">{escape(label)}</text>')
    for i, (label, row) in enumerate(zip(row_labels, table)):
        y = top + CELL * i
        parts.append(f'<text x="{left - GAP:.1f}" y="{y + CELL / 2 + 0.35 * FONT_SIZE:.1f}" text-anchor="end"'
                     f' fill="currentColor">{escape(label)}</text>')
        for j, column in enumerate(column_labels):
            x = left + CELL * j
            if j < len(row):  # a cell past the end of a row, such as a masked one, stays empty
                fill = f'fill="currentColor" fill-opacity="{row[j]:.3f}"'
                tip = f"<title>{escape(label)} → {escape(column)}: {row[j]:.3f}</title>"
            else:
                fill, tip = 'fill="none"', ""
            parts.append(f'<rect x="{x + 0.5:.1f}" y="{y + 0.5:.1f}" width="{CELL - 1}" height="{CELL - 1}"'
                         f' {fill} stroke="currentColor" stroke-opacity="0.25">{tip}</rect>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"
