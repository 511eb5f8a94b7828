"""The Python half of the page's worker (docs/assets/javascripts/run_worker.py), run here by CPython.

In the page, Pyodide runs the same module; the browser tests check it there.
"""

import importlib.util
import json
from pathlib import Path

import pytest

RUN_WORKER = Path(__file__).resolve().parents[2] / "docs" / "assets" / "javascripts" / "run_worker.py"
SETUP = {"id": "L1", "filename": "setup", "code": "from deepdive import Value, draw, show\n"}
INPUTS = {"id": "L5", "filename": "snippet 1", "code": "a = Value(2.0)\nb = Value(-3.0)\n"}


@pytest.fixture
def worker():
    """A fresh copy of the module: an empty page namespace."""
    spec = importlib.util.spec_from_file_location("run_worker", RUN_WORKER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)

    def run(snippet, replay=(), check=None, filename="snippet 9"):
        request = {"replay": list(replay), "snippet": {"id": "L9", "filename": filename, "code": snippet},
                   "check": check}
        return json.loads(module.run(json.dumps(request)))
    return run


def test_earlier_snippets_run_once_then_show_prints_the_cards(worker):
    first = worker("c = a * b\nshow(c)\n", replay=[SETUP, INPUTS])
    assert first["replayed"] == ["L1", "L5"]
    assert first["output"].endswith('c\ndata: -6.0\n_op: "*"\n_prev: {a, b}\n')
    edited = {**INPUTS, "code": "a = Value(5.0)\nb = Value(-3.0)\n"}
    again = worker("show(a * b, whole_graph=False)\n", replay=[SETUP, edited])
    assert again["replayed"] == []  # already run: an edit to an earlier snippet waits for its own Run
    assert "data: -6.0" in again["output"]


def test_a_last_expression_with_an_svg_comes_back_as_svg(worker):
    answer = worker("e = a * b + a\ndraw(e)\n", replay=[SETUP, INPUTS])
    [svg] = answer["svgs"]
    assert svg.startswith("<svg") and "data -4.0" in svg
    assert worker("1 + 1\n")["svgs"] == []


def test_display_shows_each_picture_as_the_build_does(worker):
    answer = worker("display(draw(a), 7)\ndraw(b)\n", replay=[SETUP, INPUTS])
    assert [("data 2.0" in svg, "data -3.0" in svg) for svg in answer["svgs"]] == [(True, False), (False, True)]
    assert answer["output"] == "7\n"  # what has no picture prints its repr


def test_an_error_names_the_line_of_the_learners_code(worker):
    answer = worker("c = a * b\nd = c + dd\n", replay=[SETUP, INPUTS])
    assert answer["error"]["line"] == 2
    assert answer["error"]["message"] == "NameError: name 'dd' is not defined"
    assert 'File "snippet 9", line 2, in <module>\n    d = c + dd' in answer["error"]["traceback"]
    assert "run_worker" not in answer["error"]["traceback"]


def test_a_syntax_error_names_its_line_too(worker):
    answer = worker("x = 1\ny = = 2\n")
    assert answer["error"]["line"] == 2
    assert answer["error"]["message"].startswith("SyntaxError")
    assert answer["error"]["traceback"].startswith('  File "snippet 9", line 2')


def test_a_function_from_an_earlier_snippet_is_named_by_its_snippet(worker):
    worker("def half(x):\n    return x / 0\n", filename="snippet 2")
    answer = worker("half(4)\n")
    assert answer["error"]["line"] == 1
    assert 'File "snippet 2", line 2, in half' in answer["error"]["traceback"]


def test_a_replayed_snippet_that_raises_is_reported_and_the_rest_still_runs(worker):
    broken = {"id": "L3", "filename": "snippet 1", "code": "1 / 0\n"}
    answer = worker("print('still here')\n", replay=[broken])
    assert answer["replay_errors"] == [{"id": "L3", "message": "ZeroDivisionError: division by zero"}]
    assert answer["output"] == "still here\n"


@pytest.mark.parametrize("code, check, status, message", [
    ("x = 2\n", "assert x == 2, f'x is {x}'", "pass", ""),
    ("x = 1\n", "assert x == 2, f'x: yours {x}, expected 2'", "fail", "x: yours 1, expected 2"),
    ("x = 1\n", "assert x == 2", "fail", "failed: assert x == 2"),
    ("x = 1 / 0\n", "assert True", "error", "ZeroDivisionError: division by zero"),
    ("x = 1\n", "assert y == 2", "error", "NameError: name 'y' is not defined"),
])
def test_checks_run_after_the_code_and_say_pass_fail_or_error(worker, code, check, status, message):
    assert worker(code, check=check)["check"] == {"status": status, "message": message}
