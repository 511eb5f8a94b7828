"""The Python half of the page's worker (src/lessonkit/assets/run_worker.py), run here by CPython.

In the page, Pyodide runs the same module, with lessonkit's semantics.py next to
it; here it finds semantics.py one folder up, in lessonkit's source. The browser
tests check it in the page (tests/browser/test_one_runtime.py against the build).
"""

import importlib.util
import json
from pathlib import Path

import pytest

RUN_WORKER = Path(__file__).resolve().parents[2] / "src" / "lessonkit" / "assets" / "run_worker.py"
SETUP = {"id": "L1", "filename": "setup", "code": "from deepdive import Value, draw, show\n"}
INPUTS = {"id": "L5", "filename": "snippet 1", "code": "a = Value(2.0)\nb = Value(-3.0)\n"}


@pytest.fixture
def worker():
    """A fresh copy of the module: an empty page namespace."""
    spec = importlib.util.spec_from_file_location("run_worker", RUN_WORKER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)

    def run(snippet, replay=(), check=None, filename="snippet 9", raises=None):
        request = {"replay": list(replay), "check": check,
                   "snippet": {"id": "L9", "filename": filename, "code": snippet, "raises": raises}}
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


def displays(answer):
    return [part["display"] for part in answer["parts"] if "display" in part]


def test_a_last_expression_with_an_svg_comes_back_as_svg(worker):
    answer = worker("e = a * b + a\ndraw(e)\n", replay=[SETUP, INPUTS])
    [shown] = displays(answer)
    assert shown["mime"] == "image/svg+xml" and shown["data"].startswith("<svg") and "data -4.0" in shown["data"]
    assert answer["output"] == shown["text"] + "\n"  # its text stand-in, as the build's output fence has it
    assert worker("1 + 1\n")["parts"] == []  # a plain value is not printed


def test_display_shows_each_picture_in_print_order_as_the_build_does(worker):
    answer = worker("print('before')\ndisplay(draw(a), 7)\ndraw(b)\n", replay=[SETUP, INPUTS])
    kinds = [("text", part["text"]) if "text" in part else ("display", part["display"]["text"])
             for part in answer["parts"]]
    assert kinds == [("text", "before\n"), ("display", "<drawing: Graph of a>"), ("text", "7\n"),
                     ("display", "<drawing: Graph of b>")]  # what has no picture prints its repr
    assert answer["output"] == "before\n<drawing: Graph of a>\n7\n<drawing: Graph of b>\n"


def test_a_last_expression_with_html_is_displayed(worker):
    answer = worker("class Table:\n    def _repr_html_(self):\n        return '<b>1</b>'\nTable()\n")
    assert displays(answer) == [{"mime": "text/html", "data": "<b>1</b>", "text": "<Table>"}]


def test_a_snippet_that_raises_as_it_must_shows_its_error_line_as_the_build_does(worker):
    answer = worker("print('checking')\nint('seven')\n", raises="ValueError")
    assert answer["error"] is None
    assert answer["output"] == "checking\nValueError: invalid literal for int() with base 10: 'seven'\n"
    assert worker("print('fine')\n", raises="KeyError")["error"]["kind"] == "not-raised"


def test_an_error_names_the_line_of_the_learners_code(worker):
    answer = worker("c = a * b\nd = c + dd\n", replay=[SETUP, INPUTS])
    assert answer["error"]["line"] == 2
    assert answer["error"]["type"] == "NameError"
    assert answer["error"]["message"] == "NameError: name 'dd' is not defined\n"
    assert 'File "snippet 9", line 2, in <module>\n    d = c + dd' in answer["error"]["traceback"]
    assert "run_worker" not in answer["error"]["traceback"] and "semantics" not in answer["error"]["traceback"]


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
