"""show(): the printed graph cards, as lesson 2.1 shows them."""

import os
import subprocess
import sys
import textwrap

import pytest

from deepdive import Value, show


def test_an_input_prints_as_the_seed_shows_it(capsys):
    a = Value(2.0)
    show(a)
    assert capsys.readouterr().out == 'a\ndata: 2.0\n_op: ""\n_prev: {}\n'


def test_lesson_2_1_cards_match_the_seed(capsys):
    a = Value(2.0)
    b = Value(-3.0)
    c = a * b
    d = a + b
    e = c + d
    show(e)
    cards = capsys.readouterr().out.split("\n\n")
    assert [card.split("\n")[0] for card in cards] == ["a", "b", "c", "d", "e"]
    assert cards[2] == 'c\ndata: -6.0\n_op: "*"\n_prev: {a, b}'
    assert cards[4] == 'e\ndata: -7.0\n_op: "+"\n_prev: {c, d}\n'


def test_whole_graph_false_prints_only_the_given_values(capsys):
    x = Value(4.0)
    y = Value(10.0)
    z = x + y
    q = z * x
    show(z, q, whole_graph=False)
    assert capsys.readouterr().out == (
        'z\ndata: 14.0\n_op: "+"\n_prev: {x, y}\n\n'
        'q\ndata: 56.0\n_op: "*"\n_prev: {z, x}\n')


def test_unnamed_values_are_shown_by_their_expression(capsys):
    a = Value(2.0)
    b = Value(-3.0)
    e = a * b + (a + b).tanh()
    show(e)
    out = capsys.readouterr().out
    assert "\n\na * b\ndata: -6.0\n" in out
    assert "_prev: {a * b, tanh(a + b)}" in out
    show(Value(1.5) * a)
    assert "_prev: {1.5, a}" in capsys.readouterr().out


def test_grad_line_appears_once_gradients_exist(capsys):
    x = Value(4.0)
    y = Value(10.0)
    q = (x + y) * x
    show(q)
    assert "grad:" not in capsys.readouterr().out
    q.backward()
    show(q)
    out = capsys.readouterr().out
    assert 'x\ndata: 4.0\ngrad: 18.0\n_op: ""' in out
    show(q, grad=False)
    assert "grad:" not in capsys.readouterr().out


def test_names_follow_the_caller_not_show_itself(capsys):
    def helper():
        inner = Value(1.0)
        show(inner)

    helper()
    assert capsys.readouterr().out.startswith("inner\n")


def test_output_is_the_same_in_every_process_whatever_the_hash_seed():
    program = textwrap.dedent("""
        from deepdive import Value, show
        x = Value(4.0); y = Value(10.0)
        z = x + y
        q = z * x + (y * z).relu() - x / y
        q.backward()
        show(q)
    """)
    outputs = {
        subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True,
                       env={**os.environ, "PYTHONHASHSEED": seed}).stdout
        for seed in ("0", "1", "12345", "random")
    }
    assert len(outputs) == 1
    assert "_prev: {z, x}" in outputs.pop()


def test_a_label_wins_over_the_variable_name(capsys):
    a = Value(2.0, label="x")
    b = Value(-3.0)
    c = a * b
    c.label = "product"
    show(c)
    cards = capsys.readouterr().out.split("\n\n")
    assert [card.split("\n")[0] for card in cards] == ["x", "b", "product"]
    assert cards[2].endswith("_prev: {x, b}\n")


def test_a_parent_used_twice_is_listed_once(capsys):
    a = Value(3.0)
    b = a + a
    show(b, whole_graph=False)
    assert capsys.readouterr().out == 'b\ndata: 6.0\n_op: "+"\n_prev: {a}\n'


class MyValue:
    """A learner's own engine: only the fields that show() and draw() read."""

    def __init__(self, data, _prev=(), _op=""):
        self.data = data
        self.grad = 0
        self._prev = _prev
        self._op = _op

    def __mul__(self, other):
        return MyValue(self.data * other.data, (self, other), "*")


def test_any_value_class_with_the_four_fields_can_be_shown(capsys):
    a = MyValue(2.0)
    b = MyValue(-3.0)
    c = a * b
    c.grad = 1
    show(c)
    assert capsys.readouterr().out == (
        'a\ndata: 2.0\ngrad: 0\n_op: ""\n_prev: {}\n\n'
        'b\ndata: -3.0\ngrad: 0\n_op: ""\n_prev: {}\n\n'
        'c\ndata: -6.0\ngrad: 1\n_op: "*"\n_prev: {a, b}\n')


@pytest.mark.parametrize("args, words", [
    ((3.0,), "show() takes values with data, grad, _op and _prev, not float 3.0"),
    ((Value, ), "not type"),
    ((), "show() takes one or more values"),
])
def test_show_names_what_it_got_when_it_is_not_a_value(args, words):
    with pytest.raises(TypeError) as caught:
        show(*args)
    assert words in str(caught.value)
