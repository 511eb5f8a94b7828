"""heatmap(): a table of weights as SVG cells whose opacity is the weight."""

import re

import pytest

from deepdive import Value
from deepdive.heatmap import heatmap


def test_each_weight_is_a_cell_of_that_opacity_and_missing_cells_stay_empty():
    picture = heatmap([[1.0], [0.25, Value(0.75)]], ["a", "b"], ["a", "b"], title="Attention")
    svg = picture._repr_svg_()
    assert re.findall(r'fill-opacity="([0-9.]+)"', svg) == ["1.000", "0.250", "0.750"]
    assert svg.count('fill="none"') == 1  # row "a" does not look at "b"
    assert "<title>b → a: 0.250</title>" in svg
    assert "<title>Attention</title>" in svg


def test_the_same_table_gives_the_same_bytes():
    rows = [[0.5, 0.5], [0.1, 0.9]]
    assert heatmap(rows, "xy", "xy").svg == heatmap(rows, "xy", "xy").svg


def test_labels_are_escaped():
    assert "&lt;b&gt;" in heatmap([[0.5]], ["<b>"], ["c"]).svg


@pytest.mark.parametrize("rows, message", [
    ([[0.5], [0.5]], "2 rows for 1 row labels"),
    ([[1.5]], "between 0 and 1"),
])
def test_bad_tables_are_refused(rows, message):
    with pytest.raises(ValueError, match=message):
        heatmap(rows, ["a"], ["a"])
