"""Chapter 4's lab: its stubs get hints, and its solutions solve the exercises."""

from pathlib import Path

import jupytext

from run_in_kernel import printed, run

LAB = Path(__file__).parents[2] / "docs" / "chapter-4" / "lab-attention-and-a-gpt.py"


def test_attention_lab_hints_for_stubs_and_solutions_pass(tmp_path):
    notebook = run(jupytext.read(LAB), tmp_path)
    outputs = [printed(cell) for cell in notebook.cells if cell.cell_type == "code"]
    solutions = [printed(cell) for cell in notebook.cells
                 if cell.cell_type == "code" and "solution" in cell.metadata.get("tags", [])]
    for stub in ["weights", "masked", "count"]:
        assert f"{stub} returns None: write its body first.\n" in outputs
    weights, mask, count = solutions
    assert weights == "weights [0.1978, 0.4011, 0.4011] - the same as deepdive's\n"
    rows = [[float(w) for w in line.split()] for line in mask.splitlines()]
    assert all(w == 0.0 for t, row in enumerate(rows) for w in row[t + 1:])
    assert count.splitlines()[0] == "n_embd 16, n_layer 1, block_size 16: 4,192"
    assert count.splitlines()[-1] == "deepdive.gpt.parameter_count agrees: True"
