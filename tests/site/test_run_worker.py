"""The Python half of the page's worker (src/lessonkit/assets/run_worker.py), run here by CPython.

In the page, Pyodide runs the same module, with lessonkit's semantics.py next to
it; here it finds semantics.py one folder up, in lessonkit's source. The browser
tests check it in the page (tests/browser/test_one_runtime.py against the build).
"""

import importlib.util
import json
import time
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

    def run(snippet, replay=(), check=None, filename="snippet 9", raises=None, posted=None, post=None):
        """The answer to a run request; `posted` collects (time, message) of what the run posted."""
        request = {"replay": list(replay), "check": check,
                   "snippet": {"id": "L9", "filename": filename, "code": snippet, "raises": raises}}
        if posted is not None:
            post = lambda message: posted.append((time.monotonic(), json.loads(message)))  # noqa: E731
        return json.loads(module.run(json.dumps(request), post or (lambda message: None)))
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


BUSY = "def busy(seconds):\n    end = time.monotonic() + seconds\n    while time.monotonic() < end:\n        abs(1)\n"


def test_what_a_snippet_prints_reaches_the_page_while_it_runs(worker):
    posted = []
    code = f"import time\n{BUSY}print('first')\nbusy(0.5)\nprint('second')\nbusy(0.5)\nt = time.monotonic()\n"
    started = time.monotonic()
    answer = worker(code, posted=posted)
    texts = [(at - started, message["text"]) for at, message in posted if message["type"] == "output"]
    assert "".join(text for _, text in texts) == "first\nsecond\n" == answer["output"]
    first = next(at for at, text in texts if "first" in text)
    assert first < 0.25, texts  # not held until the end, a second later
    newline = next(at for at, text in texts if text.endswith("first\n") or text == "\n")
    assert newline < 0.35, texts  # a print's newline comes right after its text: held back, then sent by the hook


def test_log_records_are_progress_never_output_and_a_replays_records_are_sent_too(worker):
    posted = []
    training = {"id": "L3", "filename": "snippet 1",
                "code": "import logging\nlogging.getLogger('training').info('step 50 loss 2.61')\n"}
    answer = worker("import logging\nlogging.getLogger('deepdive.training').info('step 100')\n"
                    "logging.getLogger('x').debug('quiet')\nprint('done')\n", replay=[training], posted=posted)
    assert answer["output"] == "done\n"
    records = [record for _, message in posted if message["type"] == "log" for record in message["records"]]
    assert [(r["snippet"], r["logger"], r["message"]) for r in records] == [
        ("snippet 1", "training", "step 50 loss 2.61"), ("snippet 9", "deepdive.training", "step 100")]
    kinds = [message["type"] for _, message in posted]
    assert kinds.index("started") > kinds.index("log")  # the snippet itself starts after the replay


def test_a_display_shows_live_as_its_text_stand_in(worker):
    posted = []
    worker("print('a')\ndisplay(draw(a))\n", replay=[SETUP, INPUTS], posted=posted)
    assert "".join(m["text"] for _, m in posted if m["type"] == "output") == "a\n<drawing: Graph of a>\n"


def test_an_interrupted_snippet_says_stopped_and_the_namespace_keeps_what_it_did(worker):
    answer = worker("trained = 0\nfor step in range(100):\n    trained += 1\n    if step == 41:\n"
                    "        raise KeyboardInterrupt\n")
    assert answer["stopped"] is True and "trained" in answer["names"]
    assert worker("print(trained)\n")["output"] == "42\n"


def test_an_interrupted_replay_is_replayed_by_the_next_run(worker):
    stopped = {"id": "L3", "filename": "snippet 1", "code": "raise KeyboardInterrupt\n"}
    answer = worker("print('never')\n", replay=[SETUP, stopped])
    assert answer["stopped"] is True and answer["output"] == ""
    fixed = {**stopped, "code": "x = 1\n"}
    assert worker("print(x)\n", replay=[SETUP, fixed])["replayed"] == ["L3"]


def test_an_exception_the_checks_meet_in_the_learners_code_names_its_line(worker):
    code = "def double(x):\n    print('doubling', x)\n    return x + undefined\n"
    answer = worker(code, check="assert double(2) == 4")
    assert answer["check"] == {"status": "error", "message": "NameError: name 'undefined' is not defined"}
    assert answer["check_error"]["line"] == 3 and 'File "snippet 9", line 3' in answer["check_error"]["traceback"]
    assert answer["output"] == "doubling 2\n"  # what the learner printed, under the checks



def test_a_stop_between_snippets_is_a_stop_too(worker):
    def stop_as_it_starts(message):
        if json.loads(message)["type"] == "started":
            raise KeyboardInterrupt  # as Pyodide raises it when the page's interrupt lands outside any snippet
    answer = worker("print('never')\n", replay=[SETUP], post=stop_as_it_starts)
    assert answer["stopped"] is True and answer["output"] == "" and "Value" in answer["names"]
    assert worker("print(Value(1.0).data)\n", replay=[SETUP])["replayed"] == []  # the replay had finished
