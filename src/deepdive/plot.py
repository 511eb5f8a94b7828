"""Three small charts for the lessons: a line plot (a loss curve), a heatmap (a table of counts or
weights) and a scatter plot of labelled points (a character's embedding).

Like draw(), they return SVG text that a notebook or a lesson page shows
inline. Every colour is currentColor, the text colour of the page around the
chart, so a chart reads in light and dark themes alike; lines differ by dash,
cells by opacity. The same numbers always give the same bytes.
"""

import math

from deepdive.draw import Drawing, escape

FONT_SIZE = 12
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 52, 16, 28, 40
PLOT_WIDTH, PLOT_HEIGHT = 480, 240
DASHES = ["", "6 4", "2 3", "10 3 2 3"]  # one per series, so lines differ without colour
CELL = 22  # a heatmap cell's side, in pixels
SQUARE = 320  # a scatter plot's side, in pixels
DOT = 9  # the radius of a scatter plot's circles, in pixels
FONT = 'font-family="ui-monospace,SFMono-Regular,Menlo,Consolas,monospace"'


def line_plot(series, title, x_label="step", y_label="loss", marks=None):
    """Lines through the points of each series, on shared axes.

    series maps a name to its y values (at x = 0, 1, 2, ...) or to a pair
    (xs, ys). marks maps a name to a y value drawn as a dotted level line,
    such as the loss that another model reaches.
    """
    lines = {name: points(values) for name, values in series.items()}
    marks = marks or {}
    if not lines or len(lines) > len(DASHES) or not all(lines.values()):
        raise ValueError(f"line_plot() takes 1 to {len(DASHES)} series, each with at least one point")
    xs = [x for line in lines.values() for x, _ in line]
    ys = [y for line in lines.values() for _, y in line] + list(marks.values())
    x_ticks, y_ticks = ticks(min(xs), max(xs)), ticks(min(ys), max(ys))
    x_scale = scale(x_ticks[0], x_ticks[-1], MARGIN_LEFT, MARGIN_LEFT + PLOT_WIDTH)
    y_scale = scale(y_ticks[0], y_ticks[-1], MARGIN_TOP + PLOT_HEIGHT, MARGIN_TOP)
    width, height = MARGIN_LEFT + PLOT_WIDTH + MARGIN_RIGHT, MARGIN_TOP + PLOT_HEIGHT + MARGIN_BOTTOM
    parts = [axes(x_ticks, y_ticks, x_scale, y_scale, x_label, y_label)]
    for name, y in marks.items():
        parts.append(f'<g class="mark"><line x1="{MARGIN_LEFT}" y1="{y_scale(y):.1f}" x2="{MARGIN_LEFT + PLOT_WIDTH}"'
                     f' y2="{y_scale(y):.1f}" stroke="currentColor" stroke-opacity="0.6" stroke-dasharray="1 3"/>'
                     f'<text x="{MARGIN_LEFT + PLOT_WIDTH - 4}" y="{y_scale(y) - 4:.1f}" text-anchor="end"'
                     f' fill="currentColor">{escape(name)}</text></g>')
    for (name, line), dash in zip(lines.items(), DASHES):
        path = " ".join(f"{x_scale(x):.1f},{y_scale(y):.1f}" for x, y in line)
        dashes = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(f'<polyline class="series" points="{path}" fill="none" stroke="currentColor"'
                     f' stroke-width="1.5"{dashes}><title>{escape(name)}</title></polyline>')
    if len(lines) > 1:
        parts.append(legend(list(lines), MARGIN_LEFT + PLOT_WIDTH - 150, MARGIN_TOP + 8))
    summary = "; ".join(f"{name}: {len(line)} points, from {line[0][1]:.4g} to {line[-1][1]:.4g}"
                        for name, line in lines.items())
    return Drawing(document(width, height, title, f"{y_label} against {x_label}. {summary}.", parts), title)


def heatmap(rows, row_labels, column_labels, title="Heat map"):
    """A grid of cells, one per number in rows (or Value holding one), darker for larger numbers.

    The opacity grows with the square root of the number, so that small
    counts still show beside large ones. A row may stop short of the last
    column, as a row of attention weights stops at the causal mask: the
    cells past its end stay empty. Each cell's tooltip gives its row and
    column labels and the number.
    """
    rows = [[getattr(x, "data", x) for x in row] for row in rows]
    if len(rows) != len(row_labels) or any(len(row) > len(column_labels) for row in rows):
        raise ValueError(f"heatmap() needs {len(row_labels)} rows of at most {len(column_labels)} numbers, "
                         f"one per label")
    if any(x < 0 for row in rows for x in row):
        raise ValueError("heatmap() draws numbers of 0 or more")
    largest = max((x for row in rows for x in row), default=0) or 1
    left, top = MARGIN_LEFT - 24, MARGIN_TOP
    width = left + CELL * len(column_labels) + MARGIN_RIGHT
    height = top + CELL * len(rows) + 8
    parts = []
    for j, label in enumerate(column_labels):
        parts.append(f'<text x="{left + CELL * (j + 0.5):.1f}" y="{top - 8}" text-anchor="middle"'
                     f' fill="currentColor">{escape(label)}</text>')
    for i, (label, row) in enumerate(zip(row_labels, rows)):
        y = top + CELL * i
        parts.append(f'<text x="{left - 8}" y="{y + CELL / 2 + 0.35 * FONT_SIZE:.1f}" text-anchor="end"'
                     f' fill="currentColor">{escape(label)}</text>')
        for j, column in enumerate(column_labels):
            if j < len(row):
                fill = f'fill="currentColor" fill-opacity="{math.sqrt(row[j] / largest):.3f}"'
                tip = f"<title>{escape(label)} then {escape(column)}: {row[j]:g}</title>"
            else:
                fill, tip = 'fill="none"', ""
            parts.append(f'<rect x="{left + CELL * j}" y="{y}" width="{CELL}" height="{CELL}" {fill}'
                         f' stroke="currentColor" stroke-opacity="0.1">{tip}</rect>')
    description = f"{len(rows)} rows by {len(column_labels)} columns; the largest number is {largest:g}."
    return Drawing(document(width, height, title, description, parts), title)


def scatter_plot(points, labels, title, x_label="dimension 1", y_label="dimension 2"):
    """A circle with a short label in it at each (x, y) point, such as each character at its embedding.

    points are pairs of numbers (or Values holding them). Both axes share one
    scale on a square frame, so distances on the picture are distances between
    the points. Each circle's tooltip gives its label and coordinates.
    """
    points = [(float(getattr(x, "data", x)), float(getattr(y, "data", y))) for x, y in points]
    if not points or len(points) != len(labels):
        raise ValueError(f"scatter_plot() needs one label per point, and at least one point: "
                         f"{len(points)} points, {len(labels)} labels")
    coordinates = [c for point in points for c in point]
    shared = ticks(min(coordinates), max(coordinates))
    x_scale = scale(shared[0], shared[-1], MARGIN_LEFT, MARGIN_LEFT + SQUARE)
    y_scale = scale(shared[0], shared[-1], MARGIN_TOP + SQUARE, MARGIN_TOP)
    parts = [axes(shared, shared, x_scale, y_scale, x_label, y_label, SQUARE, SQUARE)]
    for (x, y), label in zip(points, labels):
        tip = f"<title>{escape(label)}: ({x:.3f}, {y:.3f})</title>"
        parts.append(f'<g class="point"><circle cx="{x_scale(x):.1f}" cy="{y_scale(y):.1f}" r="{DOT}"'
                     f' fill="currentColor" fill-opacity="0.15" stroke="currentColor">{tip}</circle>'
                     f'<text x="{x_scale(x):.1f}" y="{y_scale(y) + 0.35 * FONT_SIZE:.1f}" text-anchor="middle"'
                     f' fill="currentColor">{escape(label)}</text></g>')
    width, height = MARGIN_LEFT + SQUARE + MARGIN_RIGHT, MARGIN_TOP + SQUARE + MARGIN_BOTTOM
    description = f"{len(points)} labelled points, {x_label} across and {y_label} up, on one scale."
    return Drawing(document(width, height, title, description, parts), title)


def points(values):
    """[(x, y), ...] from ys, or from a pair (xs, ys)."""
    if isinstance(values, tuple) and len(values) == 2:
        xs, ys = values
    else:
        xs, ys = range(len(values)), values
    return [(float(x), float(y)) for x, y in zip(xs, ys)]


def ticks(low, high, most=6):
    """Round numbers from at or below low to at or above high: steps of 1, 2 or 5 times a power of ten."""
    if high <= low:
        low, high = low - 1, high + 1
    rough = (high - low) / (most - 1)
    power = 10 ** math.floor(math.log10(rough))
    step = next(power * m for m in (1, 2, 5, 10) if power * m >= rough)
    first = math.floor(low / step + 1e-9)
    last = math.ceil(high / step - 1e-9)
    return [round(k * step, 10) for k in range(first, last + 1)]


def scale(low, high, start, end):
    """The function that maps [low, high] onto [start, end]."""
    return lambda x: start + (x - low) / (high - low) * (end - start)


def axes(x_ticks, y_ticks, x_scale, y_scale, x_label, y_label, plot_width=PLOT_WIDTH, plot_height=PLOT_HEIGHT):
    """The frame, a light grid line and a number at each tick, and the axis labels."""
    bottom, right = MARGIN_TOP + plot_height, MARGIN_LEFT + plot_width
    parts = [f'<rect x="{MARGIN_LEFT}" y="{MARGIN_TOP}" width="{plot_width}" height="{plot_height}" fill="none"'
             f' stroke="currentColor" stroke-opacity="0.5"/>']
    for x in x_ticks:
        parts.append(f'<line x1="{x_scale(x):.1f}" y1="{MARGIN_TOP}" x2="{x_scale(x):.1f}" y2="{bottom}"'
                     f' stroke="currentColor" stroke-opacity="0.1"/>'
                     f'<text x="{x_scale(x):.1f}" y="{bottom + 16}" text-anchor="middle"'
                     f' fill="currentColor">{number(x)}</text>')
    for y in y_ticks:
        parts.append(f'<line x1="{MARGIN_LEFT}" y1="{y_scale(y):.1f}" x2="{right}" y2="{y_scale(y):.1f}"'
                     f' stroke="currentColor" stroke-opacity="0.1"/>'
                     f'<text x="{MARGIN_LEFT - 6}" y="{y_scale(y) + 0.35 * FONT_SIZE:.1f}" text-anchor="end"'
                     f' fill="currentColor">{number(y)}</text>')
    parts.append(f'<text x="{MARGIN_LEFT + plot_width / 2:.1f}" y="{bottom + 34}" text-anchor="middle"'
                 f' fill="currentColor">{escape(x_label)}</text>')
    parts.append(f'<text x="{MARGIN_LEFT}" y="{MARGIN_TOP - 10}" text-anchor="start"'
                 f' fill="currentColor">{escape(y_label)}</text>')
    return f'<g class="axes">{"".join(parts)}</g>'


def legend(names, x, y):
    """A short sample of each series' line, with its name."""
    parts = []
    for k, (name, dash) in enumerate(zip(names, DASHES)):
        row = y + 16 * k + 8
        dashes = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(f'<line x1="{x}" y1="{row}" x2="{x + 28}" y2="{row}" stroke="currentColor"'
                     f' stroke-width="1.5"{dashes}/>'
                     f'<text x="{x + 34}" y="{row + 0.35 * FONT_SIZE:.1f}" fill="currentColor">{escape(name)}</text>')
    return f'<g class="legend">{"".join(parts)}</g>'


def number(x):
    """A tick's number, as short as it can be: 0, 2.5, 1000."""
    return f"{x:g}"


def document(width, height, title, description, parts):
    """The whole SVG: a titled, described picture in the page's text colour."""
    return "\n".join([
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width:.0f}" height="{height:.0f}"'
        f' viewBox="0 0 {width:.0f} {height:.0f}" style="max-width:100%;height:auto" {FONT}'
        f' font-size="{FONT_SIZE}">',
        f"<title>{escape(title)}</title>",
        f"<desc>{escape(description)}</desc>",
        *parts,
        "</svg>",
    ]) + "\n"
