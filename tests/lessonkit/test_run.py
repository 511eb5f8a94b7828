import os
import signal
import subprocess
import sys
import time
import threading
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FuturesTimeout
from pathlib import Path

import pytest
from lessonkit import Display, PageRun, check_page, run_page, run_pages



def test_snippets_share_one_namespace_in_order(write_page, tmp_path):
    page = write_page("""
        ```python
        x = 20
        ```

        ```python
        print(x + 1)
        ```
        """)
    run = run_page(page, tmp_path)
    assert [r.output for r in run.results] == ["", "21\n"]


def test_prints_from_imported_modules_and_subprocesses_are_caught_in_order(write_page, tmp_path, monkeypatch):
    (tmp_path / "chatty.py").write_text('print("imported")\n\ndef hello():\n    print("hello from chatty")\n')
    monkeypatch.setenv("PYTHONPATH", str(tmp_path))
    page = write_page("""
        ```python
        import os, sys
        import chatty
        chatty.hello()
        print("to stderr", file=sys.stderr)
        os.system("echo from a shell")
        print("last")
        ```
        """)
    [result] = run_page(page, tmp_path).results
    assert result.output == "imported\nhello from chatty\nto stderr\nfrom a shell\nlast\n"


def test_an_exception_is_reported_with_lines_mapped_to_the_page(write_page, tmp_path):
    page = write_page("""
        # Title

        !!! note

            ```python
            def inverse(x):
                return 1 / x

            print("before")
            inverse(0)
            ```

        ```python
        print("still runs")
        ```
        """)
    first, second = run_page(page, tmp_path).results
    assert first.output == "before\n"
    assert first.failure.summary == "raised ZeroDivisionError"
    traceback = first.failure.traceback(page)
    assert 'File "docs/page.md", line 10, in <module>\n    inverse(0)' in traceback
    assert 'File "docs/page.md", line 7, in inverse\n    return 1 / x\n           ~~^~~' in traceback
    assert traceback.endswith("ZeroDivisionError: division by zero\n")
    assert second.ran and second.output == "still runs\n"  # every failure on a page gets reported


def test_a_syntax_error_names_the_page_line(write_page, tmp_path):
    page = write_page("""
        Text

        ```python
        x = 1
        y = (
        ```
        """)
    [result] = run_page(page, tmp_path).results
    assert 'File "docs/page.md", line 5' in result.failure.traceback(page)
    assert "SyntaxError" in result.failure.traceback(page)


def test_a_runaway_snippet_is_stopped_at_its_time_limit(write_page, tmp_path):
    page = write_page("""
        ```python timeout=2
        import time
        print("started")
        while True:
            time.sleep(60)  # where it always is when stopped
        ```
        """)
    [result] = run_within(600, run_page, page, tmp_path).results  # a limit that never fires would hang here
    assert result.failure.kind == "timeout"
    traceback = result.failure.traceback(page)
    assert "did not finish within 2 s" in traceback
    assert 'File "docs/page.md", line 5' in traceback  # where it was when stopped
    assert result.output == "started\n"
    [problem] = check_page(page, PageRun((result,)))
    assert (problem.location, problem.title) == ("docs/page.md:1", "timed out")


def test_a_runaway_snippet_says_where_it_was_when_the_build_runs_in_the_background(write_page, tmp_path):
    # A background job (`make build &`, many CI runners) starts with SIGINT ignored, and its
    # children inherit that: the worker must still turn the runner's interrupt into a traceback.
    page = write_page("""
        ```python timeout=1
        import time
        while True:
            time.sleep(60)
        ```
        """)
    ignored = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        [result] = run_within(600, run_page, page, tmp_path).results
    finally:
        signal.signal(signal.SIGINT, ignored)
    assert 'File "docs/page.md", line 4' in result.failure.traceback(page)


def test_a_slow_start_of_the_worker_is_not_counted_against_the_first_snippet(write_page, tmp_path):
    """As on a busy machine: the worker takes longer to start than the first snippet may run."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "sitecustomize.py").write_text("import time\n\ntime.sleep(3)\n")  # the page's folder is on PYTHONPATH
    page = write_page("""
        ```python timeout=2
        print("ran")
        ```
        """)
    [result] = run_page(page, tmp_path).results
    assert result.failure is None and result.output == "ran\n"


def run_within(seconds, function, *arguments):
    """function(*arguments), failing the test if it has not returned after `seconds`: a guard against a hang."""
    done = Future()

    def call():
        try:
            done.set_result(function(*arguments))
        except BaseException as error:  # noqa: BLE001 - handed to the test, which re-raises it
            done.set_exception(error)

    threading.Thread(target=call, daemon=True).start()
    try:
        return done.result(timeout=seconds)
    except FuturesTimeout:
        pytest.fail(f"still running after {seconds} s")


def test_an_expected_exception_shows_its_error_line_after_the_prints(write_page, tmp_path):
    page = write_page("""
        ```python raises="ValueError"
        print("checking")
        int("seven")
        ```

        ```python raises=KeyError
        print("fine")
        ```

        ```python raises=KeyError
        [][1]
        ```
        """)
    expected, silent, wrong = run_page(page, tmp_path).results
    assert expected.failure is None
    assert expected.output == "checking\nValueError: invalid literal for int() with base 10: 'seven'\n"
    assert silent.failure.message == "expected KeyError, but the snippet raised nothing"
    assert wrong.failure.summary == "raised IndexError"  # a second failure on the page is reported too


def test_a_last_expression_with_a_picture_or_html_view_is_displayed_with_a_text_stand_in(write_page, tmp_path):
    page = write_page("""
        ```python
        class Picture:
            def _repr_svg_(self):
                return '<svg width="1" height="1"></svg>'
            def __repr__(self):
                return "<picture: a dot>"

        print("before")
        Picture()
        ```

        ```python
        class Table:
            def _repr_html_(self):
                return "<table><tr><td>1</td></tr></table>"

        class Photo:
            def _repr_png_(self):
                return b"\\x89PNG"

        display(Table(), Photo(), 42)
        ```

        ```python
        1 + 1
        ```
        """)
    picture, table_and_photo, number = run_page(page, tmp_path).results
    assert picture.output == "before\n<picture: a dot>\n"
    assert picture.displays == (Display("image/svg+xml", '<svg width="1" height="1"></svg>', "<picture: a dot>"),)
    assert table_and_photo.output == "<Table>\n<Photo>\n42\n"  # a repr with a memory address is not stable
    assert [(shown.mime, shown.data) for shown in table_and_photo.displays] == [
        ("text/html", "<table><tr><td>1</td></tr></table>"), ("image/png", "iVBORw==")]
    assert number.displays == () and number.output == ""  # a plain value is not printed: print() it


FIGURE = """
    ```python
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=(3, 2))
    ax.plot([0, 1, 2], [3.0, 1.5, 0.7], label="loss")
    ax.set_title("loss curve")
    ax.legend()
    plt.show()
    print("after show")
    ```
    """


def test_a_matplotlib_figure_is_shown_as_svg_the_same_on_every_run(write_page, tmp_path):
    page = write_page(FIGURE)
    [first] = run_page(page, tmp_path).results
    [second] = run_page(page, tmp_path).results
    assert first.failure is None
    assert first.output == "after show\n<Figure size 300x200 with 1 Axes>\n"
    [figure] = first.displays
    assert figure.mime == "image/svg+xml" and "<svg" in figure.data
    assert "Date" not in figure.data and "<dc:date>" not in figure.data
    assert second.displays == first.displays


def test_pages_cannot_see_each_others_state(write_page, tmp_path):
    first = write_page("""
        ```python
        import sys
        secret = 42
        sys.modules["shared"] = sys
        ```
        """, "first.md")
    second = write_page("""
        ```python
        import sys
        print("secret" in globals(), "shared" in sys.modules)
        ```
        """, "second.md")
    runs = run_pages([first, second, first, second], root=tmp_path, jobs=2)
    assert runs[1].results[0].output == runs[3].results[0].output == "False False\n"


def test_the_parent_keeps_its_working_directory_and_sys_path(write_page, tmp_path):
    page = write_page("""
        ```python
        import os, sys
        os.chdir("/")
        sys.path.insert(0, "/nowhere")
        print(os.path.basename(os.getcwd()) or "/")
        ```
        """)
    cwd, path = os.getcwd(), list(sys.path)
    [result] = run_page(page, tmp_path).results
    assert result.output == "/\n"
    assert (os.getcwd(), sys.path) == (cwd, path)


def test_a_snippet_runs_in_a_scratch_folder_and_reads_and_imports_from_its_pages_folder(write_page, tmp_path):
    (tmp_path / "docs" / "chapter").mkdir(parents=True)
    (tmp_path / "docs" / "chapter" / "data.txt").write_text("3 4\n")
    (tmp_path / "docs" / "chapter" / "helper.py").write_text("def area(a, b):\n    return a * b\n")
    page = write_page("""
        ```python raises=EOFError
        import os
        from pathlib import Path
        import helper
        a, b = map(int, (Path(os.environ["PAGE_DIR"]) / "data.txt").read_text().split())
        print(helper.area(a, b), os.path.basename(os.getcwd()).startswith("lessonkit-"))
        Path("written.txt").write_text("a file the snippet made")
        input("name? ")
        ```
        """, "chapter/page.md")
    run = run_pages([page], root=tmp_path)[0]
    assert run.results[0].output.startswith("12 True\nname? EOFError")
    files = sorted(path.name for path in (tmp_path / "docs").rglob("*"))
    assert files == ["chapter", "data.txt", "helper.py", "page.md"]  # nothing written, no __pycache__
    assert {Path(file).name for file in run.files} == {"data.txt", "helper.py"}


def test_a_process_that_a_snippet_starts_ends_with_its_page(write_page, tmp_path):
    page = write_page("""
        ```python
        import subprocess, sys
        child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)", "lessonkit-orphan-test"])
        print("started")
        ```
        """)
    run = run_page(page, tmp_path)
    assert run.results[0].output == "started\n"
    deadline = time.monotonic() + 5  # SIGKILL is delivered soon after killpg returns, not at once
    while processes_named("lessonkit-orphan-test") and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not processes_named("lessonkit-orphan-test"), "the snippet's child outlived its page"


def processes_named(word):
    listing = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True).stdout.splitlines()
    return [line for line in listing if word in line and "ps -eo" not in line]


def test_a_worker_that_dies_is_reported_and_stray_output_does_not_confuse_it(write_page, tmp_path):
    page = write_page("""
        ```python
        import threading, time
        def chatter():
            while True:
                print("{not json")
                time.sleep(0.001)
        threading.Thread(target=chatter, daemon=True).start()
        ```

        ```python
        time.sleep(0.05)
        print("still here")
        ```

        ```python
        import os
        os._exit(3)
        ```
        """)
    first, second, third = run_page(page, tmp_path).results
    assert second.ran and second.failure is None
    assert third.failure.kind == "crashed"
    assert "exited with code 3" in third.failure.message


def test_a_worker_killed_by_a_signal_is_reported_with_the_signals_name(write_page, tmp_path):
    page = write_page("""
        ```python
        print("fine")
        ```

        ```python
        import ctypes
        ctypes.string_at(0)
        ```

        ```python
        print("never")
        ```
        """)
    fine, crashed, later = run_page(page, tmp_path).results
    assert fine.output == "fine\n"
    assert crashed.failure.summary == "the worker process was killed by SIGSEGV while running this snippet"
    assert not later.ran


def test_output_past_the_limit_is_an_error_and_is_never_held_whole(write_page, tmp_path):
    page = write_page("""
        ---
        max-output: 1000
        ---

        ```python
        import os
        print("x" * 999)
        os.system("head -c 3000000 /dev/zero")
        ```

        ```python
        print("x" * 999)
        ```
        """)
    over, under = run_page(page, tmp_path).results
    assert over.failure.summary == ("printed 3,001,000 bytes, more than the limit of 1,000 (print less, "
                                    "or raise the page's limit with front matter max-output: BYTES)")
    assert len(over.output) == 1000
    assert under.failure is None and under.output == "x" * 999 + "\n"


def test_colour_codes_are_removed_from_output_and_errors(write_page, tmp_path):
    page = write_page("""
        ```python
        print("\\x1b[1;31mred\\x1b[0m and \\x1b]0;a title\\x07plain")
        raise ValueError("\\x1b[33mwarm\\x1b[0m")
        ```
        """)
    [result] = run_page(page, tmp_path).results
    assert result.output == "red and plain\n"
    assert result.failure.message == "ValueError: warm\n"


def test_top_level_await_is_a_syntax_error_at_its_page_line(write_page, tmp_path):
    page = write_page("""
        # Title

        ```python
        import asyncio
        await asyncio.sleep(0)
        ```
        """)
    [result] = run_page(page, tmp_path).results
    traceback = result.failure.traceback(page)
    assert 'File "docs/page.md", line 5' in traceback
    assert traceback.endswith("SyntaxError: 'await' outside function\n")
