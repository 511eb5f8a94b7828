"""Every lab runs top to bottom, and its solutions do what the exercises ask."""

from pathlib import Path

import jupytext
import nbformat
import pytest

from run_in_kernel import printed, run

pytestmark = pytest.mark.xdist_group("lab-notebooks")  # one process (pytest -n) makes its module fixtures once

DOCS = Path(__file__).parents[2] / "docs"
LABS = sorted(DOCS.glob("**/lab-*.py"))


@pytest.fixture(scope="module")
def run_lab(tmp_path_factory, request):
    """Run each lab once per test module, however many tests look at it."""
    runs = {}

    def run_lab(path):
        if path not in runs:
            if "trained()" in path.read_text():  # the course's GPT: trained by the session, not in a 60 s cell
                request.getfixturevalue("course_gpt")
            runs[path] = run(jupytext.read(path), tmp_path_factory.mktemp(path.stem))
        return runs[path]
    return run_lab


def solution_outputs(notebook):
    return [printed(cell) for cell in notebook.cells
            if cell.cell_type == "code" and "solution" in cell.metadata.get("tags", [])]


@pytest.mark.parametrize("lab", LABS, ids=lambda path: str(path.relative_to(DOCS.parent)))
def test_lab_runs_top_to_bottom(lab, run_lab):
    notebook = run_lab(lab)
    nbformat.validate(notebook)
    assert solution_outputs(notebook), f"{lab.name} has no cell tagged 'solution'"


def test_values_and_gradients_solutions_solve_the_exercises(run_lab):
    notebook = run_lab(DOCS / "chapter-2" / "lab-values-and-gradients.py")
    code_outputs = [printed(cell) for cell in notebook.cells if cell.cell_type == "code"]
    everything = "\n".join(code_outputs)
    sub, by_hand, training, predictions = solution_outputs(notebook)

    # Before the solutions, the learner's empty stubs get a hint, not an error.
    assert "sub returns None: write its body first." in everything
    stub = next(text for text in code_outputs if "fill in your number" in text)
    assert "-24.0" not in stub, "the check gives the answer away before the learner has one"
    assert "train_step returns None: write its body first." in everything

    assert sub.splitlines() == [
        "sub(a, b) = 5.0, grads (1.0, -1.0), ops ['*', '+']",
        "it matches a - b",
    ]
    assert by_hand.splitlines() == [
        "dL/da: by hand -24.0, backward() -24.0, finite difference -24.0000",
        "dL/db: by hand 16.0, backward() 16.0, finite difference 16.0000",
        "dL/dc: by hand 8.0, backward() 8.0, finite difference 8.0000",
    ]
    first, last = (float(part.split(": ")[1]) for part in training.strip().split(", "))
    assert last < first / 10
    for line in predictions.splitlines():  # "[2.0, 3.0] wants +1, gets +1.006"
        wants, gets = line.split(" wants ")[1].split(", gets ")
        assert wants[0] == gets[0], line
    assert len(predictions.splitlines()) == 6


def test_language_models_solutions_solve_the_exercises(run_lab):
    notebook = run_lab(DOCS / "chapter-3" / "lab-language-models.py")
    code_outputs = [printed(cell) for cell in notebook.cells if cell.cell_type == "code"]
    everything = "\n".join(code_outputs)
    softmax, cross_entropy, sampler = solution_outputs(notebook)

    # Before the solutions, the learner's empty stubs get a hint, not an error or an answer.
    for stub in ("softmax", "cross_entropy", "sample_name"):
        assert f"{stub} returns None: write its body first." in everything
    assert "-0.7903" not in everything.split(cross_entropy)[0], "the gradient is given away before the solution"

    assert softmax.splitlines() == ["probabilities: [0.6381, 0.2347, 0.0954, 0.0318]",
                                    "softmax([1000, 999]): [0.7311, 0.2689]"]
    assert cross_entropy.splitlines() == ["loss 1.5622", "backward(): [0.6961, 0.0942, -0.7903]",
                                          "your rule:  [0.6961, 0.0942, -0.7903]"]
    shares = [line for line in sampler.splitlines() if line.startswith("names starting with")]
    assert len(shares) == 3
    for line in shares:  # "names starting with a: 0.154, the table says 0.143"
        share, expected = (float(part.split()[-1]) for part in line.split(":")[1].split(", the table says"))
        assert abs(share - expected) < 0.03, line
