"""An exercise in a notebook: the starter's checks say "not yet" without raising, and the solution proves itself."""

from pathlib import Path

from run_in_kernel import printed, run
from lessonkit import page_notebook, parse_page


PAGE = (Path(__file__).parents[1] / "fixtures" / "square-exercise.md").read_text()


def test_the_notebook_says_not_yet_for_the_starter_and_proves_the_solution(tmp_path):
    notebook = page_notebook(parse_page(PAGE, "docs/square.md"))
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert [cell.metadata.get("tags") for cell in code] == [None, ["exercise"], ["checks"], ["solution"], None]
    assert code[3].source.endswith("check_square()  # the reference solution passes the checks")
    run(notebook, tmp_path)
    assert printed(code[2]) == "not yet: square(3) should be 9, not 3\n"
    assert printed(code[3]) == ""  # the solution's cell ran the checks, which raise if they fail
    assert printed(code[4]) == "16 False\n"  # the checks' variables stay in their function


def test_a_check_that_raises_something_else_is_not_yet_too(tmp_path):
    notebook = page_notebook(parse_page(PAGE.replace("return x\n", "return None\n"), "docs/square.md"))
    run(notebook, tmp_path)
    checks = [cell for cell in notebook.cells if cell.cell_type == "code"][2]
    assert printed(checks) == "not yet: AssertionError('square(3) should be 9, not None')\n" or \
        printed(checks) == "not yet: square(3) should be 9, not None\n"
