"""Draw a value's graph as a picture: a box per value, a bubble per operation.

This is micrograd's draw_dot without Graphviz. The picture is SVG text, laid
out by a small layered layout of our own, in four steps:

1. columns: inputs on the left, each operation one column right of its inputs,
   and its result one column right of the operation;
2. waypoints: an edge that skips columns gets a waypoint in each column it
   crosses, so that every edge joins neighbouring columns and no box is in its way;
3. order: a few sweeps sort each column by the average row of its neighbours,
   which uncrosses most edges;
4. rows: each node moves as close to the height of its neighbours as its
   column allows without overlapping.

It needs no Graphviz binary and no layout library: for graphs of a few dozen
values these steps are short, and the same graph always gives the same bytes.
"""

import sys
from itertools import combinations

from deepdive.show import Labels, check_values, graph_text, labelled_graph, parents, variable_names

FONT_SIZE = 13
CHAR_WIDTH = 0.62 * FONT_SIZE  # a monospace letter is about 0.6 em wide
LINE_HEIGHT = 18
PADDING = 8
BUBBLE_HEIGHT = 24
COLUMN_GAP = 28
ROW_GAP = 14
MARGIN = 4
LONGEST_EXPRESSION = 16  # an unnamed value is titled by its expression up to this length
SWEEPS = 4
MIN_SCALE = 0.75  # a narrow screen shrinks a picture this far at most, then scrolls it


def draw(*values, grad=None):
    """A picture of the graph of the given values, for a notebook or a lesson.

    Like show(): names come from labels or the caller's variables, and each
    box shows its grad once any grad is non-zero (grad=True or grad=False
    forces it). Any value class with data, grad, _op and _prev will do.
    """
    caller = sys._getframe(1)
    names = variable_names(caller)
    return Drawing(graph_svg(*values, names=names, grad=grad), title(values, Labels(names)))


class Drawing:
    """An SVG picture. Notebooks and lesson pages show it inline."""

    def __init__(self, svg, title):
        self.svg = svg
        self.title = title

    def _repr_svg_(self):
        """The SVG text, for Jupyter and lessonkit."""
        return self.svg

    def save(self, path):
        """Write the picture to an .svg file."""
        with open(path, "w", encoding="utf-8") as file:
            file.write(self.svg)

    def __str__(self):
        return self.svg

    def __repr__(self):
        return f"<drawing: {self.title}>"


def graph_svg(*values, names=None, grad=None):
    """The SVG text of the picture that draw() returns."""
    check_values(values, "draw")
    graph, label, grad = labelled_graph(values, names, grad)
    boxes, bubbles, edges = nodes_and_edges(graph, label, grad)
    put_in_columns(graph, boxes, bubbles)
    chains = add_waypoints(edges)
    columns = sort_columns(list(boxes.values()) + list(bubbles.values()), chains)
    place(columns, chains)
    description = graph_text(*values, names=names, grad=grad)
    return svg(columns, chains, title(values, label), description)


def title(values, label):
    """What the picture shows, in words: "Graph of e"."""
    return "Graph of " + " and ".join(label(v) for v in values)


class Node:
    """One thing in the picture: a value's box, an operation's bubble, or an edge's waypoint."""

    def __init__(self, kind, lines=(), titled=False):
        self.kind = kind  # "value", "op" or "waypoint"
        self.lines = lines
        self.titled = titled  # the first line is a name, drawn in bold
        self.column = 0
        self.x = self.y = 0.0  # the centre, in pixels
        text_width = max((len(line) for line in lines), default=0) * CHAR_WIDTH
        if kind == "value":
            self.width = text_width + 2 * PADDING
            self.height = len(lines) * LINE_HEIGHT + 2 * PADDING
        elif kind == "op":
            self.width = max(BUBBLE_HEIGHT, text_width + 2 * PADDING)
            self.height = BUBBLE_HEIGHT
        else:
            self.width = self.height = 0.0  # a waypoint is as wide as its column, set in place()

    def left(self):
        """Where edges come in: the middle of the left side."""
        return self.x - self.width / 2, self.y

    def right(self):
        """Where edges go out: the middle of the right side."""
        return self.x + self.width / 2, self.y


def nodes_and_edges(graph, label, grad):
    """A box per value, a bubble per operation, and the edges between them."""
    boxes, bubbles, edges = {}, {}, []
    for v in graph:
        boxes[v] = value_box(v, label, grad)
        if v._prev:
            bubbles[v] = Node("op", (v._op,))
            edges += [(boxes[parent], bubbles[v]) for parent in parents(v)]
            edges.append((bubbles[v], boxes[v]))
    return boxes, bubbles, edges


def value_box(v, label, grad):
    """A value's box: its name, its data, and its grad if asked.

    An unnamed input has no name (it would repeat its data), and nor has an
    unnamed value whose expression is long (the picture shows it already).
    """
    lines = [f"data {short(v.data)}"]
    if grad:
        lines.append(f"grad {short(v.grad)}")
    name = label(v)
    titled = bool(label.name(v)) or (bool(v._prev) and len(name) <= LONGEST_EXPRESSION)
    if titled:
        lines.insert(0, name)
    return Node("value", tuple(lines), titled)


def short(x):
    """x rounded to 4 decimals, as Python prints it: 2.0, -6.0, 0.8814."""
    return repr(round(x, 4))


def put_in_columns(graph, boxes, bubbles):
    """Step 1: inputs on the left, each operation right of its inputs, its result right of it.

    An input then moves right, next to its first use, so that its edges stay short.
    """
    for v in graph:  # parents come first, so their columns are already known
        if v._prev:
            bubbles[v].column = 1 + max(boxes[parent].column for parent in v._prev)
            boxes[v].column = bubbles[v].column + 1
    first_use = {}
    for v in graph:
        for parent in v._prev:
            if not parent._prev:
                use = bubbles[v].column
                first_use[parent] = min(use, first_use.get(parent, use))
    for v, use in first_use.items():
        boxes[v].column = use - 1


def add_waypoints(edges):
    """Step 2: turn each edge into a chain of nodes, one node in each column it passes."""
    chains = []
    for source, target in edges:
        chain = [source]
        for column in range(source.column + 1, target.column):
            waypoint = Node("waypoint")
            waypoint.column = column
            chain.append(waypoint)
        chain.append(target)
        chains.append(chain)
    return chains


def sort_columns(nodes, chains):
    """Step 3: the columns, each sorted top to bottom so that few edges cross.

    The barycenter heuristic: sweeping left to right, each node moves to the
    average row of its neighbours in the column before; then the same right
    to left. After a few sweeps the order with the fewest crossings wins.
    Sorting is stable, so ties keep their order and the result is the same
    on every run.
    """
    waypoints = [node for chain in chains for node in chain[1:-1]]
    columns = [[] for _ in range(1 + max(node.column for node in nodes))]
    for node in nodes + waypoints:
        columns[node.column].append(node)
    links = links_of(chains)
    before, after = neighbours(links)
    row = {node: i for column in columns for i, node in enumerate(column)}
    best, fewest = [list(c) for c in columns], crossings(links, row)
    for _ in range(SWEEPS):
        for column in columns[1:]:
            sort_by_neighbours(column, before, row)
        for column in reversed(columns[:-1]):
            sort_by_neighbours(column, after, row)
        count = crossings(links, row)
        if count < fewest:
            best, fewest = [list(c) for c in columns], count
    return best


def links_of(chains):
    """Every link between neighbouring columns: (left node, right node)."""
    return [link for chain in chains for link in zip(chain, chain[1:])]


def neighbours(links):
    """For each node, the nodes linked to it from the column before, and from the column after."""
    before, after = {}, {}
    for a, b in links:
        before.setdefault(b, []).append(a)
        after.setdefault(a, []).append(b)
    return before, after


def sort_by_neighbours(column, linked, row):
    """Sort a column by the average row of each node's neighbours, and note the new rows."""
    def barycenter(node):
        rows = [row[n] for n in linked.get(node, [])] or [row[node]]
        return sum(rows) / len(rows)
    column.sort(key=barycenter)
    row.update((node, i) for i, node in enumerate(column))


def crossings(links, row):
    """How many pairs of edges cross: a above c on the left but below it on the right."""
    by_column = {}
    for a, b in links:
        by_column.setdefault(a.column, []).append((a, b))
    return sum((row[a] - row[c]) * (row[b] - row[d]) < 0
               for column in by_column.values()
               for (a, b), (c, d) in combinations(column, 2))


def place(columns, chains):
    """Step 4: give every node its centre (x, y).

    Columns stand side by side. In each column the nodes keep their order,
    and each moves as near the average height of its neighbours as it can
    without overlapping the next one.
    """
    before, after = neighbours(links_of(chains))
    for column in columns:
        settle(column, {})
    for _ in range(SWEEPS):
        for column in columns[1:]:
            settle(column, before)
        for column in reversed(columns[:-1]):
            settle(column, after)
    top = min(node.y - node.height / 2 for column in columns for node in column)
    left = MARGIN
    for column in columns:
        width = max(node.width for node in column)
        for node in column:
            node.x = left + width / 2
            node.y += MARGIN - top
            if node.kind != "op":
                node.width = width  # boxes line up, and an edge runs straight through a waypoint
        left += width + COLUMN_GAP


def settle(column, linked):
    """Move a column's nodes as near their neighbours' average height as the spacing allows.

    Each node i must sit at least gap[i] below node i-1. Subtracting the
    running total of gaps turns that into "never go up", and the nearest
    sequence that never goes up is found by pooling adjacent violators.
    """
    offsets, total = [], 0.0
    for i, node in enumerate(column):
        if i:
            total += (column[i - 1].height + node.height) / 2 + ROW_GAP
        offsets.append(total)
    wanted = []
    for node, offset in zip(column, offsets):
        ys = [n.y for n in linked.get(node, [])] or [node.y]
        wanted.append(sum(ys) / len(ys) - offset)
    for node, y, offset in zip(column, nearest_non_decreasing(wanted), offsets):
        node.y = y + offset


def nearest_non_decreasing(targets):
    """The non-decreasing sequence closest to targets (least squares).

    Pool adjacent violators: whenever a block ends up above the next one,
    merge the two and put both at their mean.
    """
    blocks = []  # [mean, count]
    for t in targets:
        blocks.append([t, 1])
        while len(blocks) > 1 and blocks[-2][0] > blocks[-1][0]:
            mean, count = blocks.pop()
            previous_mean, previous_count = blocks.pop()
            total = previous_count + count
            blocks.append([(previous_mean * previous_count + mean * count) / total, total])
    return [mean for mean, count in blocks for _ in range(count)]


def svg(columns, chains, title, description):
    """The SVG text: edges first, then the boxes and bubbles on top.

    Colours come from currentColor, the text colour of the page around the
    picture, so it reads in light and dark themes alike.
    """
    nodes = [node for column in columns for node in column if node.kind != "waypoint"]
    width = max(node.x + node.width / 2 for node in nodes) + MARGIN
    height = max(node.y + node.height / 2 for node in nodes) + MARGIN
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width:.0f}" height="{height:.0f}"'
        f' viewBox="0 0 {width:.0f} {height:.0f}" style="max-width:100%;min-width:{MIN_SCALE * width:.0f}px;height:auto"'
        f' font-family="ui-monospace,SFMono-Regular,Menlo,Consolas,monospace" font-size="{FONT_SIZE}">',
        f"<title>{escape(title)}</title>",
        f"<desc>{escape(description)}</desc>",
    ]
    parts += [edge_svg(chain) for chain in chains]
    parts += [value_svg(node) if node.kind == "value" else op_svg(node) for node in nodes]
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def edge_svg(chain):
    """An edge: curves between columns, straight through waypoints, an arrowhead at the end."""
    x, y = chain[0].right()
    path = [f"M{x:.1f},{y:.1f}"]
    for node in chain[1:]:
        x2, y2 = node.left()
        middle = (x + x2) / 2
        path.append(f"C{middle:.1f},{y:.1f} {middle:.1f},{y2:.1f} {x2:.1f},{y2:.1f}")
        x, y = node.right()
        if node.kind == "waypoint":
            path.append(f"L{x:.1f},{y:.1f}")
    arrow = f"{x2:.1f},{y2:.1f} {x2 - 7:.1f},{y2 - 3.5:.1f} {x2 - 7:.1f},{y2 + 3.5:.1f}"
    return (f'<g class="edge" fill="none" stroke="currentColor" stroke-opacity="0.55">'
            f'<path d="{" ".join(path)}"/>'
            f'<polygon points="{arrow}" fill="currentColor" fill-opacity="0.8" stroke="none"/></g>')


def value_svg(node):
    """A value's box: the name in bold, a rule under it, then data and grad."""
    x, y = node.x - node.width / 2, node.y - node.height / 2
    parts = [f'<g class="value"><rect x="{x:.1f}" y="{y:.1f}" width="{node.width:.1f}"'
             f' height="{node.height:.1f}" rx="4" fill="currentColor" fill-opacity="0.06"'
             f' stroke="currentColor" stroke-opacity="0.6"/>']
    for i, line in enumerate(node.lines):
        baseline = y + PADDING + LINE_HEIGHT * (i + 0.5) + 0.35 * FONT_SIZE
        weight = ' font-weight="bold"' if node.titled and i == 0 else ""
        parts.append(f'<text x="{node.x:.1f}" y="{baseline:.1f}" text-anchor="middle"'
                     f' fill="currentColor"{weight}>{escape(line)}</text>')
    if node.titled:
        rule = y + PADDING + LINE_HEIGHT
        parts.append(f'<line x1="{x:.1f}" y1="{rule:.1f}" x2="{x + node.width:.1f}" y2="{rule:.1f}"'
                     f' stroke="currentColor" stroke-opacity="0.3"/>')
    parts.append("</g>")
    return "".join(parts)


def op_svg(node):
    """An operation's bubble, with its symbol: +, *, tanh, ..."""
    x, y = node.x - node.width / 2, node.y - node.height / 2
    baseline = node.y + 0.35 * FONT_SIZE
    return (f'<g class="op"><rect x="{x:.1f}" y="{y:.1f}" width="{node.width:.1f}"'
            f' height="{node.height:.1f}" rx="{node.height / 2:.1f}" fill="currentColor"'
            f' fill-opacity="0.14" stroke="currentColor" stroke-opacity="0.5"/>'
            f'<text x="{node.x:.1f}" y="{baseline:.1f}" text-anchor="middle"'
            f' fill="currentColor">{escape(node.lines[0])}</text></g>')


def escape(text):
    """Text made safe to put inside an SVG element."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
