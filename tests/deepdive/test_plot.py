"""deepdive.plot: a loss curve, a heatmap and a scatter plot as SVG that pages and notebooks show, the same bytes every time."""

import math
import re
import xml.etree.ElementTree as ET

import pytest

from deepdive import Value
from deepdive.plot import heatmap, line_plot, scatter_plot, ticks

SVG = "{http://www.w3.org/2000/svg}"


def parse(drawing):
    return ET.fromstring(drawing._repr_svg_())


def polyline_points(root):
    found = {}
    for line in root.iter(f"{SVG}polyline"):
        pairs = [tuple(map(float, point.split(","))) for point in line.get("points").split()]
        found[line.find(f"{SVG}title").text] = pairs
    return found


def test_a_loss_curve_has_a_point_per_value_and_falls_when_the_loss_falls():
    losses = [3.3, 2.9, 2.7, 2.6, 2.55]
    root = parse(line_plot({"loss": losses}, title="Loss"))
    points = polyline_points(root)["loss"]
    assert len(points) == len(losses)
    xs, ys = zip(*points)
    assert list(xs) == sorted(xs) and len(set(xs)) == len(xs)
    assert list(ys) == sorted(ys), "SVG y grows downwards: a falling loss has growing y"
    assert root.find(f"{SVG}title").text == "Loss"


def test_series_with_their_own_steps_share_the_axes():
    drawing = line_plot({"training": [3.0, 2.0, 1.0, 0.5], "validation": ([0, 3], [3.0, 2.5])}, title="Two")
    points = polyline_points(parse(drawing))
    assert points["training"][0] == points["validation"][0]
    assert points["training"][3][0] == points["validation"][1][0]
    assert "stroke-dasharray" in drawing._repr_svg_(), "the second series is told apart by its dashes"


def test_a_mark_is_drawn_at_its_height_between_the_series_points():
    root = parse(line_plot({"loss": [3.0, 2.0]}, title="Marked", marks={"counting: 2.5": 2.5}))
    (start, end), = polyline_points(root).values()
    mark = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "mark")
    y = float(mark.find(f"{SVG}line").get("y1"))
    assert y == pytest.approx((start[1] + end[1]) / 2)
    assert mark.find(f"{SVG}text").text == "counting: 2.5"


def test_charts_are_deterministic_accessible_and_use_the_page_colour():
    def make():
        return (line_plot({"a": [1, 2, 3], "b": [3, 2, 1]}, title="x<y").svg,
                heatmap([[0, 1], [2, 3]], ["p", "q"], ["r", "s"], title="Counts & more").svg,
                scatter_plot([(0.5, -1.0), (2.0, 1.5)], ["a", "b"], title="x<y").svg)
    first, second = make(), make()
    assert first == second
    for svg in first:
        root = ET.fromstring(svg)  # well-formed XML, titles escaped
        assert root.get("role") == "img"
        assert root.find(f"{SVG}title").text in ("x<y", "Counts & more")
        assert root.find(f"{SVG}desc").text
        assert not re.search(r"#[0-9a-fA-F]{3,6}\b|\brgb\(", svg), "colours come from currentColor only"
        assert " id=" not in svg


def test_a_heatmap_has_a_cell_per_number_darker_for_larger_numbers():
    rows = [[0, 1, 4], [9, 16, 0]]
    drawing = heatmap(rows, ["a", "b"], ["x", "y", "z"], title="Counts")
    cells = [rect for rect in parse(drawing).iter(f"{SVG}rect")]
    assert len(cells) == 6
    opacity = {rect.find(f"{SVG}title").text: float(rect.get("fill-opacity")) for rect in cells}
    assert opacity["b then y: 16"] == 1.0
    assert opacity["a then x: 0"] == 0.0
    assert opacity["a then y: 1"] < opacity["a then z: 4"] < opacity["b then x: 9"] < 1.0
    assert repr(drawing) == "<drawing: Counts>"


def test_a_heatmap_takes_values_and_leaves_cells_past_a_short_row_empty():
    drawing = heatmap([[1.0], [0.25, Value(0.75)]], ["a", "b"], ["a", "b"], title="Attention")
    cells = list(parse(drawing).iter(f"{SVG}rect"))
    assert [rect.get("fill") for rect in cells] == ["currentColor", "none", "currentColor", "currentColor"]
    opacity = {rect.find(f"{SVG}title").text: float(rect.get("fill-opacity")) for rect in cells if rect.get("fill") != "none"}
    assert opacity == {"a then a: 1": 1.0, "b then a: 0.25": 0.5, "b then b: 0.75": 0.866}


def circles(drawing):
    """{label: (x, y)} of each point's circle, and {label: text} of the label written at it."""
    found, written = {}, {}
    for group in parse(drawing).iter(f"{SVG}g"):
        if group.get("class") == "point":
            circle, text = group.find(f"{SVG}circle"), group.find(f"{SVG}text")
            label = circle.find(f"{SVG}title").text.split(":")[0]
            found[label] = (float(circle.get("cx")), float(circle.get("cy")))
            written[label] = (text.text, float(text.get("x")))
    return found, written


def test_a_scatter_plot_puts_each_label_at_its_point_on_one_scale_for_both_axes():
    drawing = scatter_plot([(0.0, 0.0), (1.0, 0.0), (0.0, 1.0), (Value(-1.0), Value(-1.0))],
                           ["o", "x", "y", "."], title="Embeddings")
    found, written = circles(drawing)
    assert set(found) == {"o", "x", "y", "."}
    assert all(written[label] == (label, found[label][0]) for label in found), "each label sits in its circle"
    (ox, oy), (xx, xy), (yx, yy) = found["o"], found["x"], found["y"]
    assert xx > ox and xy == oy, "a larger x is further right, at the same height"
    assert yy < oy and yx == ox, "a larger y is higher up: SVG y grows downwards"
    assert xx - ox == pytest.approx(oy - yy), "one unit is as long across as it is up"
    assert found["."][0] < ox and found["."][1] > oy
    assert repr(drawing) == "<drawing: Embeddings>"
    tips = {circle.find(f"{SVG}title").text for circle in parse(drawing).iter(f"{SVG}circle")}
    assert ".: (-1.000, -1.000)" in tips


def test_a_scatter_plot_of_one_point_or_one_line_still_draws():
    assert circles(scatter_plot([(2.0, 2.0)], ["a"], title="One"))[0]
    found, _ = circles(scatter_plot([(0.0, 3.0), (1.0, 3.0)], ["a", "b"], title="A row"))
    assert found["a"][1] == found["b"][1] and found["a"][0] < found["b"][0]


def test_heatmap_and_scatter_labels_are_escaped():
    assert "&lt;b&gt;" in heatmap([[0.5]], ["<b>"], ["c"]).svg
    assert "&lt;b&gt;" in scatter_plot([(0.5, 0.5)], ["<b>"], title="Escaped").svg


def test_bad_input_gets_a_clear_error():
    with pytest.raises(ValueError, match="at least one point"):
        line_plot({"loss": []}, title="Empty")
    with pytest.raises(ValueError, match="1 to 4 series"):
        line_plot({}, title="Nothing")
    with pytest.raises(ValueError, match="2 rows of at most 3 numbers"):
        heatmap([[1, 2, 3]], ["a", "b"], ["x", "y", "z"], title="Short")
    with pytest.raises(ValueError, match="2 rows of at most 1 numbers"):
        heatmap([[0.5, 0.5], [0.5]], ["a", "b"], ["x"], title="Long")
    with pytest.raises(ValueError, match="0 or more"):
        heatmap([[-1]], ["a"], ["x"], title="Negative")
    with pytest.raises(ValueError, match="one label per point.*2 points, 1 labels"):
        scatter_plot([(0, 0), (1, 1)], ["a"], title="Unlabelled")
    with pytest.raises(ValueError, match="at least one point"):
        scatter_plot([], [], title="Empty")


@pytest.mark.parametrize("low, high", [(0, 299), (2.4540, 3.2958), (1.672, 4.329), (5, 5), (-0.3, 0.7)])
def test_ticks_are_round_numbers_that_cover_the_range(low, high):
    found = ticks(low, high)
    assert found[0] <= low and found[-1] >= high
    assert 2 <= len(found) <= 8
    steps = {round(b - a, 9) for a, b in zip(found, found[1:])}
    assert len(steps) == 1
    step = steps.pop()
    mantissa = step / 10 ** math.floor(math.log10(step))
    assert round(mantissa, 6) in (1, 2, 5)
