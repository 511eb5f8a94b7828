"""draw(): the picture of a graph, as SVG that browsers and notebooks show."""

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from itertools import combinations

import pytest

from deepdive import Value, draw
from deepdive.draw import graph_svg
from deepdive.engine import topological_order

SVG = "{http://www.w3.org/2000/svg}"


def parse(drawing):
    return ET.fromstring(drawing._repr_svg_())


def boxes(root, kind="value"):
    """The texts and the rectangle (x, y, width, height) of each box of one kind."""
    found = []
    for group in root.iter(f"{SVG}g"):
        if group.get("class") == kind:
            rect = group.find(f"{SVG}rect")
            texts = tuple(t.text for t in group.iter(f"{SVG}text"))
            found.append((texts, tuple(float(rect.get(k)) for k in ("x", "y", "width", "height"))))
    return found


def overlapping(rects):
    return [(r, s) for r, s in combinations(rects, 2)
            if r[0] < s[0] + s[2] and s[0] < r[0] + r[2] and r[1] < s[1] + s[3] and s[1] < r[1] + r[3]]


def forty_values():
    """A neuron with 9 inputs and a bias, and its squared error: 40 values, 20 operations."""
    xs = [Value(float(i % 3 - 1)) for i in range(9)]
    ws = [Value(0.1 * i - 0.4) for i in range(9)]
    out = sum((w * x for w, x in zip(ws, xs)), Value(0.5))
    return (out - 1.0) ** 2


def test_one_box_per_value_with_its_name_and_data():
    a = Value(2.0)
    b = Value(-3.0)
    c = a * b
    root = parse(draw(c))
    assert sorted(texts for texts, _ in boxes(root)) == [
        ("a", "data 2.0"), ("b", "data -3.0"), ("c", "data -6.0")]
    assert [texts for texts, _ in boxes(root, "op")] == [("*",)]
    assert root.find(f"{SVG}title").text == "Graph of c"


def test_unnamed_values_are_titled_by_their_expression():
    a = Value(2.0)
    b = Value(-3.0)
    e = a * b + (a + b)
    names = {texts[0] for texts, _ in boxes(parse(draw(e)))}
    assert names == {"a", "b", "a * b", "a + b", "e"}


def test_an_unnamed_number_shows_only_its_data():
    a = Value(2.0)
    f = a * 3
    assert sorted(texts for texts, _ in boxes(parse(draw(f)))) == [
        ("a", "data 2.0"), ("data 3",), ("f", "data 6.0")]


def test_grad_appears_after_backward():
    a = Value(2.0)
    b = Value(-3.0)
    c = a * b
    assert not any("grad" in " ".join(texts) for texts, _ in boxes(parse(draw(c))))
    c.backward()
    assert sorted(texts for texts, _ in boxes(parse(draw(c)))) == [
        ("a", "data 2.0", "grad -3.0"), ("b", "data -3.0", "grad 2.0"), ("c", "data -6.0", "grad 1.0")]
    assert not any("grad" in " ".join(texts) for texts, _ in boxes(parse(draw(c, grad=False))))


def test_grad_true_shows_grads_before_backward():
    a = Value(2.0)
    texts = [texts for texts, _ in boxes(parse(draw(a, grad=True)))]
    assert texts == [("a", "data 2.0", "grad 0.0")]


def test_inputs_are_left_of_the_operation_and_the_result_right_of_it():
    a = Value(2.0)
    b = Value(-3.0)
    c = a * b
    root = parse(draw(c))
    x = {texts[0]: rect[0] for texts, rect in boxes(root) + boxes(root, "op")}
    assert x["a"] < x["*"] < x["c"] and x["b"] < x["*"]


def test_no_two_boxes_overlap():
    x = Value(4.0)
    y = Value(10.0)
    z = x + y
    q = z * x
    root = parse(draw(q))
    rects = [rect for _, rect in boxes(root) + boxes(root, "op")]
    assert len(rects) == 6 and overlapping(rects) == []


def test_forty_values_render_without_overlaps():
    loss = forty_values()
    assert len(topological_order(loss)) == 40
    root = parse(draw(loss))
    values, ops = boxes(root), boxes(root, "op")
    assert len(values) == 40 and len(ops) == 20
    assert overlapping([rect for _, rect in values + ops]) == []


def test_the_same_graph_gives_the_same_bytes():
    def picture():
        loss = forty_values()
        return draw(loss).svg

    assert picture() == picture()


def test_the_same_bytes_in_processes_with_different_hash_seeds():
    program = "\n".join([
        "import sys",
        "from deepdive import Value, draw",
        "a = Value(2.0)",
        "b = Value(-3.0)",
        "e = a * b + (a + b)",
        "e.backward()",
        "sys.stdout.write(draw(e).svg)",
    ])
    outputs = set()
    for seed in ("0", "1", "12345"):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        run = subprocess.run([sys.executable, "-c", program], env=env, capture_output=True, text=True, check=True)
        outputs.add(run.stdout)
    assert len(outputs) == 1


def test_svg_scales_down_and_follows_the_page_colours():
    a = Value(2.0)
    svg = draw(a * 3).svg
    root = ET.fromstring(svg)
    width, height = root.get("width"), root.get("height")
    assert root.get("viewBox") == f"0 0 {width} {height}"
    assert "max-width:100%" in root.get("style")
    assert root.get("role") == "img"
    assert "currentColor" in svg
    assert "black" not in svg and "#000" not in svg


def test_text_is_escaped():
    a = Value(1.0)
    svg = graph_svg(a, names={id(a): "<b>&"})
    assert "&lt;b&gt;&amp;" in svg
    assert boxes(ET.fromstring(svg))[0][0] == ("<b>&", "data 1.0")


def test_the_drawing_displays_in_notebooks():
    a = Value(2.0)
    drawing = draw(a)
    assert drawing._repr_svg_() == str(drawing) == drawing.svg
    assert repr(drawing) == "<drawing: Graph of a>"


def test_labels_title_the_boxes():
    a = Value(2.0, label="a")
    e = a * Value(-3.0, label="b")
    e.label = "e"
    assert sorted(texts for texts, _ in boxes(parse(draw(e)))) == [
        ("a", "data 2.0"), ("b", "data -3.0"), ("e", "data -6.0")]


def test_a_learners_own_value_class_can_be_drawn():
    class MyValue:
        def __init__(self, data, _prev=(), _op=""):
            self.data, self.grad, self._prev, self._op = data, 0.0, _prev, _op

    a = MyValue(2.0)
    b = MyValue(-3.0)
    c = MyValue(a.data * b.data, (a, b), "*")
    root = parse(draw(c))
    assert sorted(texts for texts, _ in boxes(root)) == [("a", "data 2.0"), ("b", "data -3.0"), ("c", "data -6.0")]
    assert [texts for texts, _ in boxes(root, "op")] == [("*",)]


def test_a_parent_used_twice_gets_one_arrow():
    a = Value(3.0)
    b = a + a
    root = parse(draw(b))
    assert len([g for g in root.iter(f"{SVG}g") if g.get("class") == "edge"]) == 2  # a -> +, + -> b


def test_draw_names_what_it_got_when_it_is_not_a_value():
    with pytest.raises(TypeError, match="draw\\(\\) takes values with data, grad, _op and _prev, not int 3"):
        draw(3)
